#include "config/env_resolver.hpp"

#include <unistd.h>

namespace litellm::config {

EnvResolver EnvResolver::from_process() {
  std::map<std::string, std::string> vars;
  for (char** e = environ; e != nullptr && *e != nullptr; ++e) {  // read once, before any thread
    std::string_view entry(*e);
    const auto eq = entry.find('=');
    if (eq != std::string_view::npos) {
      vars.emplace(std::string(entry.substr(0, eq)), std::string(entry.substr(eq + 1)));
    }
  }
  return EnvResolver(vars);
}

std::optional<std::string> EnvResolver::get(std::string_view name) const {
  const auto it = vars_.find(name);
  if (it == vars_.end()) {
    return std::nullopt;
  }
  return it->second;
}

}  // namespace litellm::config
