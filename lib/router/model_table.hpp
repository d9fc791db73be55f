#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "litellm/error.hpp"

#include "config/config.hpp"
#include "config/env_resolver.hpp"
#include "providers/adapter.hpp"
#include "providers/registry.hpp"

namespace litellm::router {

// One model_list entry ready to call. Immutable.
struct Deployment {
  config::DeploymentConfig config;
  const providers::ProviderAdapter* adapter = nullptr;  // nullptr for local (mock) deployments
  providers::Target target;
  bool local = false;
};

struct ModelGroup {
  std::string name;
  std::vector<const Deployment*> deployments;
};

// The deployments of one config, grouped by model_name, with aliases. Immutable after build;
// share freely (held through a shared_ptr by every request that uses it).
class ModelTable {
 public:
  // The output token limit of a deployment's model when known (the caller's price table);
  // providers that require max_tokens default to it.
  using OutputLimit = std::function<std::optional<std::int64_t>(const config::DeploymentConfig&)>;

  // Errors: Config naming FILE:LINE:COL of a deployment whose provider is unknown.
  static Result<std::shared_ptr<const ModelTable>> build(const config::Config& cfg,
                                                         const providers::Registry& registry,
                                                         const config::EnvResolver& env,
                                                         const OutputLimit& output_limit = {});

  // The group for a requested name: a model_name, an alias, or a deployment id. nullptr if none.
  const ModelGroup* find(const std::string& requested) const;
  // Visible group names (model_names and aliases), sorted.
  std::vector<std::string> names() const;
  const std::vector<std::unique_ptr<Deployment>>& deployments() const { return deployments_; }

 private:
  std::vector<std::unique_ptr<Deployment>> deployments_;
  std::map<std::string, ModelGroup> groups_;
  std::map<std::string, std::string> aliases_;
  std::map<std::string, ModelGroup> by_id_;
};

}  // namespace litellm::router
