#pragma once

#include <string>
#include <string_view>

#include "providers/adapter.hpp"

namespace litellm::providers::ollama {

// Ollama's native API: /api/chat (chat, NDJSON streaming, tools, images, thinking),
// /api/generate (text completions) and /api/embed. Serves both `ollama/` and `ollama_chat/`
// (chat goes to /api/chat for both: it is the endpoint that takes tools and roles as they are).
// Immutable; share freely.
class OllamaAdapter final : public ProviderAdapter {
 public:
  explicit OllamaAdapter(std::string prefix) : prefix_(std::move(prefix)) {}

  std::string_view name() const override { return prefix_; }
  Capabilities capabilities() const override;
  Result<core::UpstreamRequest> build(const LlmRequest& req, const Target& target) const override;
  Result<LlmResponse> parse(const core::UpstreamResponse& resp,
                            const LlmRequest& req) const override;
  std::unique_ptr<StreamDecoder> new_stream(const LlmRequest& req) const override;
  Error map_error(const core::UpstreamResponse& resp) const override;

 private:
  std::string prefix_;
};

inline constexpr std::string_view kDefaultApiBase = "http://localhost:11434";

}  // namespace litellm::providers::ollama
