#include <array>

#include "providers/openai/openai_adapter.hpp"

namespace litellm::providers::openai {

namespace {
constexpr unsigned kAll = kChat | kStream | kTools | kVision | kJson | kEmbed | kText;
constexpr unsigned kChatTools = kChat | kStream | kTools | kJson;

// Default base URLs and key variables as LiteLLM uses them; what each cloud's API offers.
constexpr std::array<Preset, 13> kPresets = {{
    {"openai", "https://api.openai.com/v1", "OPENAI_API_KEY", kAll},
    {"groq", "https://api.groq.com/openai/v1", "GROQ_API_KEY", kChatTools | kVision},
    {"mistral", "https://api.mistral.ai/v1", "MISTRAL_API_KEY", kChatTools | kVision | kEmbed},
    {"together_ai", "https://api.together.xyz/v1", "TOGETHERAI_API_KEY", kAll},
    {"deepseek", "https://api.deepseek.com/v1", "DEEPSEEK_API_KEY", kChatTools | kText},
    {"openrouter", "https://openrouter.ai/api/v1", "OPENROUTER_API_KEY",
     kChatTools | kVision | kText},
    {"fireworks_ai", "https://api.fireworks.ai/inference/v1", "FIREWORKS_AI_API_KEY", kAll},
    {"perplexity", "https://api.perplexity.ai", "PERPLEXITYAI_API_KEY", kChat | kStream | kJson},
    {"xai", "https://api.x.ai/v1", "XAI_API_KEY", kChatTools | kVision},
    {"hosted_vllm", "", "HOSTED_VLLM_API_KEY", kAll},
    {"lm_studio", "http://localhost:1234/v1", "LM_STUDIO_API_KEY", kAll},
    {"huggingface", "https://router.huggingface.co/v1", "HUGGINGFACE_API_KEY",
     kChatTools | kVision},
    {"nvidia_nim", "https://integrate.api.nvidia.com/v1", "NVIDIA_NIM_API_KEY",
     kChatTools | kVision | kEmbed},
}};
}  // namespace

std::span<const Preset> presets() {
  return kPresets;
}

Capabilities Preset::capabilities() const {
  Capabilities c;
  c.chat = (caps & kChat) != 0;
  c.stream = (caps & kStream) != 0;
  c.tools = (caps & kTools) != 0;
  c.vision = (caps & kVision) != 0;
  c.json_mode = (caps & kJson) != 0;
  c.embeddings = (caps & kEmbed) != 0;
  c.completions = (caps & kText) != 0;
  return c;
}

const Preset* find_preset(std::string_view prefix) {
  for (const auto& p : kPresets) {
    if (p.prefix == prefix) {
      return &p;
    }
  }
  return nullptr;
}

}  // namespace litellm::providers::openai
