#pragma once

#include <string_view>

#include "providers/adapter.hpp"

namespace litellm::providers::anthropic {

// Anthropic's Messages API: system lifted to the top level, max_tokens always set, same-role
// turns merged, tool_use / tool_result blocks, images, thinking, JSON mode, and the SSE event
// sequence (message_start ... message_stop) turned into OpenAI chunks. Immutable; share freely.
class AnthropicAdapter final : public ProviderAdapter {
 public:
  std::string_view name() const override { return "anthropic"; }
  Capabilities capabilities() const override;
  Result<core::UpstreamRequest> build(const LlmRequest& req, const Target& target) const override;
  Result<LlmResponse> parse(const core::UpstreamResponse& resp,
                            const LlmRequest& req) const override;
  std::unique_ptr<StreamDecoder> new_stream(const LlmRequest& req) const override;
  Error map_error(const core::UpstreamResponse& resp) const override;
};

inline constexpr std::string_view kDefaultApiBase = "https://api.anthropic.com";
inline constexpr std::string_view kApiVersion = "2023-06-01";
// What max_tokens defaults to when neither the client nor the model's limits say.
inline constexpr int kDefaultMaxTokens = 4096;
// JSON mode without a schema is served with a tool the model must call (Anthropic has no
// json_object switch); its input comes back as the message's content.
inline constexpr std::string_view kJsonTool = "json_tool_call";

// For the inbound /v1/messages route too: OpenAI finish_reason of a stop_reason.
std::string_view finish_reason_of(std::string_view stop_reason);

}  // namespace litellm::providers::anthropic
