#pragma once

#include <string>
#include <vector>

#include "litellm/error.hpp"

#include "config/env_resolver.hpp"

namespace litellm::config {

struct InstalledModel {
  std::string name;  // as Ollama lists it, e.g. "llama3.2:latest", "qwen2.5-coder:7b"
  bool embedding = false;
};

// What `litellm ollama sync` would do to a config.
struct OllamaSyncPlan {
  std::string text;                          // the config after the sync
  std::vector<std::string> added;            // model_names of new deployments
  std::vector<std::string> removed;          // model_names of deleted deployments
  std::vector<std::string> aliases_removed;  // model_group_alias entries left pointing nowhere
  bool changed() const { return !added.empty() || !removed.empty() || !aliases_removed.empty(); }
};

// Brings `text` (a config.yaml named `source`) in line with the models installed on the Ollama
// server at `ollama_url`: one `ollama/<name>` deployment per installed model (":latest" is left
// off the names, as Ollama does), Ollama deployments of that server whose model is gone are
// deleted, and so are aliases whose group is gone. Deployments of other servers and providers,
// comments and layout are kept byte for byte. `env` resolves os.environ/ in api_base.
// Errors: Config for YAML that does not parse or a model_list this edit cannot keep intact.
Result<OllamaSyncPlan> plan_ollama_sync(const std::string& text, const std::string& source,
                                        const std::vector<InstalledModel>& installed,
                                        const std::string& ollama_url, const EnvResolver& env);

// The default Ollama address LiteLLM assumes for an ollama/ deployment without api_base.
inline constexpr const char* kDefaultOllamaUrl = "http://localhost:11434";

}  // namespace litellm::config
