#include <array>

#include "providers/openai/openai_adapter.hpp"

namespace litellm::providers::openai {

namespace {
// Default base URLs and key variables as LiteLLM uses them.
constexpr std::array<Preset, 12> kPresets = {{
    {"openai", "https://api.openai.com/v1", "OPENAI_API_KEY"},
    {"groq", "https://api.groq.com/openai/v1", "GROQ_API_KEY"},
    {"mistral", "https://api.mistral.ai/v1", "MISTRAL_API_KEY"},
    {"together_ai", "https://api.together.xyz/v1", "TOGETHERAI_API_KEY"},
    {"deepseek", "https://api.deepseek.com/v1", "DEEPSEEK_API_KEY"},
    {"openrouter", "https://openrouter.ai/api/v1", "OPENROUTER_API_KEY"},
    {"fireworks_ai", "https://api.fireworks.ai/inference/v1", "FIREWORKS_AI_API_KEY"},
    {"perplexity", "https://api.perplexity.ai", "PERPLEXITYAI_API_KEY"},
    {"xai", "https://api.x.ai/v1", "XAI_API_KEY"},
    {"hosted_vllm", "", "HOSTED_VLLM_API_KEY"},
    {"lm_studio", "http://localhost:1234/v1", "LM_STUDIO_API_KEY"},
    {"nvidia_nim", "https://integrate.api.nvidia.com/v1", "NVIDIA_NIM_API_KEY"},
}};
}  // namespace

const Preset* find_preset(std::string_view prefix) {
  for (const auto& p : kPresets) {
    if (p.prefix == prefix) {
      return &p;
    }
  }
  return nullptr;
}

}  // namespace litellm::providers::openai
