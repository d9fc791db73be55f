#include "commands/config_cmd.hpp"

#include <iostream>

#include "config/loader.hpp"
#include "providers/registry.hpp"

namespace litellm::cli {

int config_validate(const std::string& path) {
  auto env = config::EnvResolver::from_process();
  auto cfg = config::load_file(path, env);
  if (!cfg) {
    std::cerr << "error: " << cfg.error().message << "\n";
    return 2;
  }
  providers::Registry registry;
  int errors = 0;
  for (const auto& d : cfg->model_list) {
    if (registry.find(d.provider) == nullptr && !providers::Registry::is_local(d.provider)) {
      std::cerr << "error: " << d.location << ": unknown provider '" << d.provider << "'\n";
      ++errors;
    }
  }
  for (const auto& w : cfg->warnings) {
    std::cerr << "warning: " << w << "\n";
  }
  if (errors > 0) {
    return 2;
  }
  std::cout << path << ": OK (" << cfg->model_list.size() << " deployment"
            << (cfg->model_list.size() == 1 ? "" : "s") << ", " << cfg->warnings.size()
            << " warning" << (cfg->warnings.size() == 1 ? "" : "s") << ")\n";
  return 0;
}

}  // namespace litellm::cli
