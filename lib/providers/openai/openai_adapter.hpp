#pragma once

#include <span>
#include <string>
#include <string_view>

#include "providers/adapter.hpp"

namespace litellm::providers::openai {

// Capability bits of a preset row.
inline constexpr unsigned kChat = 1U << 0U;
inline constexpr unsigned kStream = 1U << 1U;
inline constexpr unsigned kTools = 1U << 2U;
inline constexpr unsigned kVision = 1U << 3U;
inline constexpr unsigned kJson = 1U << 4U;
inline constexpr unsigned kEmbed = 1U << 5U;
inline constexpr unsigned kText = 1U << 6U;  // /v1/completions

// One row per OpenAI-compatible cloud: it is data, not code.
struct Preset {
  std::string_view prefix;
  std::string_view default_api_base;  // empty: the deployment must give api_base
  std::string_view key_variable;      // environment variable holding the default credential
  unsigned caps = 0;                  // kChat | kStream | ...

  Capabilities capabilities() const;
};

// Every preset, in the order `litellm providers` lists them.
std::span<const Preset> presets();

// The OpenAI wire format, served to OpenAI and every OpenAI-compatible server (vLLM, LM Studio,
// llama.cpp, the preset clouds). Immutable; share freely.
class OpenAIAdapter final : public ProviderAdapter {
 public:
  // `exception` names the provider in error messages, as LiteLLM does ("AzureException - ...").
  explicit OpenAIAdapter(const Preset& preset, std::string_view exception = "OpenAIException")
      : preset_(preset), exception_(std::string(exception) + " - ") {}

  std::string_view name() const override { return preset_.prefix; }
  Capabilities capabilities() const override;
  Result<core::UpstreamRequest> build(const LlmRequest& req, const Target& target) const override;
  Result<LlmResponse> parse(const core::UpstreamResponse& resp,
                            const LlmRequest& req) const override;
  std::unique_ptr<StreamDecoder> new_stream(const LlmRequest& req) const override;
  Error map_error(const core::UpstreamResponse& resp) const override;

 private:
  const Preset& preset_;
  std::string exception_;  // "OpenAIException - "
};

// The preset for `prefix`, or nullptr.
const Preset* find_preset(std::string_view prefix);

}  // namespace litellm::providers::openai
