#pragma once

#include <string_view>

#include "providers/adapter.hpp"

namespace litellm::providers::cohere {

// Cohere's v2 API: /v2/chat (tools with tool_plan, documents as tool results, the twelve SSE
// event types) and /v2/embed. Immutable; share freely.
class CohereAdapter final : public ProviderAdapter {
 public:
  std::string_view name() const override { return "cohere"; }
  Capabilities capabilities() const override;
  Result<core::UpstreamRequest> build(const LlmRequest& req, const Target& target) const override;
  Result<LlmResponse> parse(const core::UpstreamResponse& resp,
                            const LlmRequest& req) const override;
  std::unique_ptr<StreamDecoder> new_stream(const LlmRequest& req) const override;
  Error map_error(const core::UpstreamResponse& resp) const override;
};

inline constexpr std::string_view kDefaultApiBase = "https://api.cohere.com";

}  // namespace litellm::providers::cohere
