#pragma once

#include <string_view>

#include "providers/adapter.hpp"

namespace litellm::providers::gemini {

// Google AI Studio's Gemini API: generateContent, streamGenerateContent (alt=sse),
// embedContent / batchEmbedContents; roles user/model, systemInstruction, generationConfig,
// functionDeclarations, thinking, safety blocks as content_filter. Immutable; share freely.
class GeminiAdapter final : public ProviderAdapter {
 public:
  std::string_view name() const override { return "gemini"; }
  Capabilities capabilities() const override;
  Result<core::UpstreamRequest> build(const LlmRequest& req, const Target& target) const override;
  Result<LlmResponse> parse(const core::UpstreamResponse& resp,
                            const LlmRequest& req) const override;
  std::unique_ptr<StreamDecoder> new_stream(const LlmRequest& req) const override;
  Error map_error(const core::UpstreamResponse& resp) const override;
};

inline constexpr std::string_view kDefaultApiBase =
    "https://generativelanguage.googleapis.com/v1beta";

}  // namespace litellm::providers::gemini
