#include "providers/registry.hpp"

#include <utility>

#include "providers/anthropic/anthropic_adapter.hpp"
#include "providers/azure/azure_adapter.hpp"
#include "providers/bedrock/bedrock_adapter.hpp"
#include "providers/cohere/cohere_adapter.hpp"
#include "providers/gemini/gemini_adapter.hpp"
#include "providers/ollama/ollama_adapter.hpp"
#include "providers/openai/openai_adapter.hpp"

namespace litellm::providers {

Registry::Registry() {
  adapters_.push_back(std::make_unique<anthropic::AnthropicAdapter>());
  adapters_.push_back(std::make_unique<azure::AzureAdapter>());
  adapters_.push_back(std::make_unique<bedrock::BedrockAdapter>());
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

namespace {
// The environment variable each native provider's key defaults to (presets carry their own).
constexpr std::pair<std::string_view, std::string_view> kNativeKeyVariables[] = {
    {"anthropic", "ANTHROPIC_API_KEY"},
    {"gemini", "GEMINI_API_KEY"},
    {"azure", "AZURE_API_KEY"},
    {"cohere", "COHERE_API_KEY"},
    {"bedrock", "AWS_BEARER_TOKEN_BEDROCK"},  // a Bedrock API key; SigV4 credentials otherwise
};
}  // namespace

std::string_view Registry::key_variable(std::string_view prefix) const {
  if (const auto* preset = openai::find_preset(prefix)) {
    return preset->key_variable;
  }
  for (const auto& [p, var] : kNativeKeyVariables) {
    if (p == prefix) {
      return var;
    }
  }
  return {};
}

std::vector<Registry::ParamVariable> Registry::param_variables(std::string_view prefix) const {
  if (prefix == "bedrock") {
    return {{"aws_access_key_id", {"AWS_ACCESS_KEY_ID"}},
            {"aws_secret_access_key", {"AWS_SECRET_ACCESS_KEY"}},
            {"aws_session_token", {"AWS_SESSION_TOKEN"}},
            {"aws_region_name", {"AWS_REGION", "AWS_DEFAULT_REGION"}}};
  }
  return {};
}

std::vector<std::string_view> Registry::prefixes() const {
  std::vector<std::string_view> out;
  out.reserve(adapters_.size() + 1);
  for (const auto& a : adapters_) {
    out.push_back(a->name());
  }
  out.emplace_back("mock");
  return out;
}

}  // namespace litellm::providers
