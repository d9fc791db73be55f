#pragma once

#include <string_view>

#include "providers/adapter.hpp"

namespace litellm::providers::openai {

// One row per OpenAI-compatible cloud: it is data, not code.
struct Preset {
  std::string_view prefix;
  std::string_view default_api_base;  // empty: the deployment must give api_base
  std::string_view key_variable;      // environment variable holding the default credential
};

// The OpenAI wire format, served to OpenAI and every OpenAI-compatible server (vLLM, LM Studio,
// llama.cpp, the preset clouds). Immutable; share freely.
class OpenAIAdapter final : public ProviderAdapter {
 public:
  explicit OpenAIAdapter(const Preset& preset) : preset_(preset) {}

  std::string_view name() const override { return preset_.prefix; }
  Capabilities capabilities() const override;
  Result<core::UpstreamRequest> build(const LlmRequest& req, const Target& target) const override;
  Result<LlmResponse> parse(const core::UpstreamResponse& resp,
                            const LlmRequest& req) const override;
  std::unique_ptr<StreamDecoder> new_stream(const LlmRequest& req) const override;
  Error map_error(const core::UpstreamResponse& resp) const override;

 private:
  const Preset& preset_;
};

// The preset for `prefix`, or nullptr.
const Preset* find_preset(std::string_view prefix);

}  // namespace litellm::providers::openai
