#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "litellm/error.hpp"

#include "config/config.hpp"
#include "config/env_resolver.hpp"

namespace litellm::config {

// Reads a LiteLLM config.yaml. Errors are ErrorCode::Config with a message of the form
// `FILE:LINE:COL: key.path: what is wrong (hint)`. `env` supplies os.environ/ values;
// the file's `environment_variables` are added to it.
Result<Config> load_file(const std::string& path, EnvResolver& env);

// Same, from text; `source` names it in messages. `base_dir` resolves `include:` paths.
Result<Config> load_string(std::string_view text, const std::string& source, EnvResolver& env,
                           const std::string& base_dir = ".");

// A config with one deployment, for `litellm --model ollama/llama3`.
Config single_model(const std::string& model);

// A boolean as YAML spells it (true, False, yes, off, ...); nullopt for any other text. Settings
// that also come from the environment (SSL_VERIFY) read it the same way.
std::optional<bool> parse_bool(std::string_view text);

// Splits "provider/model"; a bare name is an OpenAI model.
void split_provider(const std::string& model, std::string& provider, std::string& rest);

}  // namespace litellm::config
