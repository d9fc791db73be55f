#include "router/model_table.hpp"

#include <algorithm>
#include <cmath>

namespace litellm::router {

Result<std::shared_ptr<const ModelTable>> ModelTable::build(const config::Config& cfg,
                                                            const providers::Registry& registry,
                                                            const config::EnvResolver& env,
                                                            const OutputLimit& output_limit) {
  auto table = std::make_shared<ModelTable>();
  const double default_timeout = cfg.effective_timeout_s();
  for (const auto& dc : cfg.model_list) {
    auto d = std::make_unique<Deployment>();
    d->config = dc;
    d->local = providers::Registry::is_local(dc.provider) || dc.mock_response.has_value();
    d->adapter = registry.find(dc.provider);
    if (d->adapter == nullptr && !providers::Registry::is_local(dc.provider)) {
      std::string known;
      for (const auto p : registry.prefixes()) {
        known += known.empty() ? "" : ", ";
        known += p;
      }
      return Error{ErrorCode::Config,
                   dc.location + ": unknown provider '" + dc.provider + "' in '" + dc.model +
                       "' (providers this build knows: " + known + ")",
                   "model",
                   {},
                   0,
                   {}};
    }
    auto& t = d->target;
    t.provider = dc.provider;
    t.model = dc.provider_model;
    t.api_base = dc.api_base;
    t.api_version = dc.api_version;
    t.api_key = dc.api_key;
    if (t.api_key.empty()) {
      const auto var = registry.key_variable(dc.provider);
      if (!var.empty()) {
        if (auto v = env.get(std::string(var))) {
          t.api_key = core::Secret(*v);
        }
      }
    }
    t.extra_headers = dc.extra_headers;
    t.default_params = dc.default_params;
    for (const auto& pv : registry.param_variables(dc.provider)) {
      const std::string key(pv.param);
      if (t.default_params.contains(key)) {
        continue;
      }
      for (const auto var : pv.variables) {
        if (auto v = env.get(std::string(var)); v && !v->empty()) {
          t.default_params[key] = *v;
          break;
        }
      }
    }
    t.drop_params = cfg.drop_params;
    if (output_limit) {
      t.max_output_tokens = output_limit(dc);
    }
    if (dc.default_params.contains("drop_params") &&
        dc.default_params["drop_params"].is_boolean()) {
      t.drop_params = dc.default_params["drop_params"].get<bool>();
    }
    t.timeout = std::chrono::milliseconds(
        static_cast<long long>(std::llround(dc.timeout_s.value_or(default_timeout) * 1000)));
    const Deployment* raw = d.get();
    table->deployments_.push_back(std::move(d));
    auto& group = table->groups_[dc.model_name];
    group.name = dc.model_name;
    group.deployments.push_back(raw);
    auto& by_id = table->by_id_[dc.id];
    by_id.name = dc.model_name;
    by_id.deployments.push_back(raw);
  }
  for (const auto& [alias, target] : cfg.model_group_alias) {
    table->aliases_[alias] = target;
  }
  return std::shared_ptr<const ModelTable>(std::move(table));
}

const ModelGroup* ModelTable::find(const std::string& requested) const {
  if (auto it = groups_.find(requested); it != groups_.end()) {
    return &it->second;
  }
  if (auto a = aliases_.find(requested); a != aliases_.end()) {
    if (auto it = groups_.find(a->second); it != groups_.end()) {
      return &it->second;
    }
  }
  if (auto it = by_id_.find(requested); it != by_id_.end()) {
    return &it->second;
  }
  return nullptr;
}

std::vector<std::string> ModelTable::names() const {
  std::vector<std::string> out;
  for (const auto& [name, g] : groups_) {
    out.push_back(name);
  }
  for (const auto& [alias, target] : aliases_) {
    if (groups_.count(target) != 0 && groups_.count(alias) == 0) {
      out.push_back(alias);
    }
  }
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace litellm::router
