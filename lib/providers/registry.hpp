#pragma once

#include <memory>
#include <string_view>
#include <vector>

#include "providers/adapter.hpp"

namespace litellm::providers {

// Resolves a provider prefix to its adapter: native adapters first, then OpenAI-compatible
// presets. Built once; immutable; share freely.
class Registry {
 public:
  Registry();
  ~Registry();
  Registry(const Registry&) = delete;
  Registry& operator=(const Registry&) = delete;

  // nullptr for an unknown prefix.
  const ProviderAdapter* find(std::string_view prefix) const;
  // True for `mock`, whose answers never leave the process.
  static bool is_local(std::string_view prefix) { return prefix == "mock"; }
  // The environment variable that holds `prefix`'s default credential, or empty.
  std::string_view key_variable(std::string_view prefix) const;
  std::vector<std::string_view> prefixes() const;
  // litellm_params a provider reads from environment variables when the deployment leaves them
  // out (bedrock: aws_access_key_id from AWS_ACCESS_KEY_ID, ...), first variable set wins.
  struct ParamVariable {
    std::string_view param;
    std::vector<std::string_view> variables;
  };
  std::vector<ParamVariable> param_variables(std::string_view prefix) const;

 private:
  std::vector<std::unique_ptr<ProviderAdapter>> adapters_;
};

}  // namespace litellm::providers
