#include "commands/config_cmd.hpp"

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <iostream>

#include "config/loader.hpp"
#include "providers/registry.hpp"
#include "ui/table.hpp"

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

namespace {

constexpr const char* kStarterConfig =
    R"(# litellm config: LiteLLM's config.yaml format. Check it with: litellm config validate
# Clients call the OpenAI API at http://127.0.0.1:4000/v1 with "model": one of the model_name
# values below and "Authorization: Bearer <master_key>".

model_list:
  # Answers without any provider key: replace with real deployments when you are ready.
  - model_name: echo
    litellm_params:
      model: mock/echo                       # repeats the last user message

  # OpenAI (key read from the environment when litellm starts):
  # - model_name: gpt-4o-mini
  #   litellm_params:
  #     model: openai/gpt-4o-mini
  #     api_key: os.environ/OPENAI_API_KEY

  # Any OpenAI-compatible server (vLLM, LM Studio, llama.cpp):
  # - model_name: local-llama
  #   litellm_params:
  #     model: openai/meta-llama/Llama-3.1-8B-Instruct
  #     api_base: http://127.0.0.1:8000/v1

litellm_settings:
  num_retries: 2                             # retries on connection errors, 429 and 5xx
  request_timeout: 600                       # seconds

general_settings:
  # Every request must present this key. Change it; or use os.environ/LITELLM_MASTER_KEY.
  master_key: sk-change-me
)";

// Where the shared Redis is, never its password; empty when there is none.
std::string redis_shown(const litellm::config::Config& c) {
  if (!c.redis_url.empty()) {
    const std::string& url = c.redis_url.reveal();
    const auto at = url.rfind('@');
    return at == std::string::npos ? url : "redis://" + url.substr(at + 1);
  }
  if (!c.redis_host.empty()) {
    return "redis://" + c.redis_host + ":" + std::to_string(c.redis_port);
  }
  return "";
}

std::string or_dash(const std::string& s) {
  return s.empty() ? "-" : s;
}

}  // namespace

int config_show(const std::string& path, bool json) {
  auto env = config::EnvResolver::from_process();
  auto cfg = config::load_file(path, env);
  if (!cfg) {
    std::cerr << "error: " << cfg.error().message << "\n";
    return 2;
  }
  nlohmann::json deployments = nlohmann::json::array();
  for (const auto& d : cfg->model_list) {
    deployments.push_back({{"model_name", d.model_name},
                           {"model", d.model},
                           {"provider", d.provider},
                           {"api_base", d.api_base},
                           {"api_key", d.api_key.redacted()},
                           {"id", d.id}});
  }
  nlohmann::json aliases = cfg->model_group_alias;
  nlohmann::json out = {
      {"source", path},
      {"model_list", deployments},
      {"model_group_alias", aliases},
      {"num_retries", cfg->effective_num_retries()},
      {"timeout_s", cfg->effective_timeout_s()},
      {"drop_params", cfg->drop_params},
      {"max_request_size_mb", static_cast<double>(cfg->max_request_size_bytes) / (1024.0 * 1024.0)},
      {"master_key", cfg->master_key.redacted()},
      {"redis", redis_shown(*cfg)},
      {"warnings", cfg->warnings}};
  if (json) {
    std::cout << out.dump(2) << "\n";
    return 0;
  }
  const bool color = use_color(STDOUT_FILENO);
  Table table({"MODEL NAME", "PROVIDER", "MODEL", "API BASE", "KEY", "ID"});
  for (const auto& d : cfg->model_list) {
    table.add({d.model_name, d.provider, d.provider_model, or_dash(d.api_base),
               or_dash(d.api_key.redacted()), d.id});
  }
  table.print(std::cout, color);
  std::cout << "\n";
  for (const auto& [alias, group] : cfg->model_group_alias) {
    std::cout << "alias " << alias << " -> " << group << "\n";
  }
  std::cout << "retries " << cfg->effective_num_retries() << ", timeout "
            << cfg->effective_timeout_s() << " s, drop_params " << (cfg->drop_params ? "on" : "off")
            << ", master key "
            << (cfg->master_key.empty() ? "NONE (the proxy is open)" : cfg->master_key.redacted())
            << "\n";
  if (const auto redis = redis_shown(*cfg); !redis.empty()) {
    std::cout << "shared state: Redis at " << redis << "\n";
  }
  for (const auto& w : cfg->warnings) {
    std::cout << "warning: " << w << "\n";
  }
  return 0;
}

int config_init(const std::string& path, bool force) {
  if (std::filesystem::exists(path) && !force) {
    std::cerr << "litellm: " << path << " already exists; pass --force to overwrite it\n";
    return 1;
  }
  std::ofstream out(path, std::ios::trunc);
  out << kStarterConfig;
  out.close();
  if (!out) {
    std::cerr << "litellm: cannot write " << path << "\n";
    return 1;
  }
  std::cout << "Wrote " << path << ". Start the proxy with: litellm --config " << path << "\n";
  return 0;
}

}  // namespace litellm::cli
