#include "providers/registry.hpp"

#include "providers/anthropic/anthropic_adapter.hpp"
#include "providers/azure/azure_adapter.hpp"
#include "providers/cohere/cohere_adapter.hpp"
#include "providers/gemini/gemini_adapter.hpp"
#include "providers/ollama/ollama_adapter.hpp"
#include "providers/openai/openai_adapter.hpp"

namespace litellm::providers {

Registry::Registry() {
  adapters_.push_back(std::make_unique<anthropic::AnthropicAdapter>());
  adapters_.push_back(std::make_unique<azure::AzureAdapter>());
  adapters_.push_back(std::make_unique<cohere::CohereAdapter>());
  adapters_.push_back(std::make_unique<gemini::GeminiAdapter>());
  adapters_.push_back(std::make_unique<ollama::OllamaAdapter>("ollama"));
  adapters_.push_back(std::make_unique<ollama::OllamaAdapter>("ollama_chat"));
  for (const auto& preset : openai::presets()) {
    adapters_.push_back(std::make_unique<openai::OpenAIAdapter>(preset));
  }
}

Registry::~Registry() = default;

const ProviderAdapter* Registry::find(std::string_view prefix) const {
  for (const auto& a : adapters_) {
    if (a->name() == prefix) {
      return a.get();
    }
  }
  return nullptr;
}

std::string_view Registry::key_variable(std::string_view prefix) const {
  if (const auto* preset = openai::find_preset(prefix)) {
    return preset->key_variable;
  }
  if (prefix == "anthropic") {
    return "ANTHROPIC_API_KEY";
  }
  if (prefix == "gemini") {
    return "GEMINI_API_KEY";
  }
  if (prefix == "azure") {
    return "AZURE_API_KEY";
  }
  if (prefix == "cohere" || prefix == "cohere_chat") {
    return "COHERE_API_KEY";
  }
  return {};
}

std::vector<std::string_view> Registry::prefixes() const {
  std::vector<std::string_view> out;
  out.reserve(adapters_.size() + 1);
  for (const auto& a : adapters_) {
    out.push_back(a->name());
  }
  out.push_back("mock");
  return out;
}

}  // namespace litellm::providers
