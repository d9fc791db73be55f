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

 private:
  std::vector<std::unique_ptr<ProviderAdapter>> adapters_;
};

}  // namespace litellm::providers
