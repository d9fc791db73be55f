#pragma once

#include <cstddef>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/secret.hpp"

namespace litellm::config {

// One `model_list` entry (a deployment), resolved: no `os.environ/` left in it.
struct DeploymentConfig {
  std::string model_name;      // the model group clients ask for
  std::string model;           // litellm_params.model as written, e.g. "openai/gpt-4o"
  std::string provider;        // prefix before the first '/', "openai" for a bare name
  std::string provider_model;  // the rest, sent upstream
  core::Secret api_key;
  std::string api_base;
  std::string api_version;
  std::optional<double> timeout_s;
  std::optional<double> stream_timeout_s;
  std::optional<int> num_retries;
  std::optional<int> rpm;
  std::optional<int> tpm;
  std::optional<double> weight;
  std::optional<std::string> mock_response;
  std::optional<double> input_cost_per_token;
  std::optional<double> output_cost_per_token;
  nlohmann::json extra_headers = nlohmann::json::object();
  // Other litellm_params keys (temperature, max_tokens, ...): defaults the request may override.
  nlohmann::json default_params = nlohmann::json::object();
  nlohmann::json model_info = nlohmann::json::object();
  std::string id;  // model_info.id, else derived from the entry (stable across restarts)
  // Where litellm_params.model stands in the file, for messages about it.
  std::string location;  // "FILE:LINE:COL: model_list[i].litellm_params.model"
};

struct Config {
  std::string source;  // file path, or a label for configs not read from a file
  std::vector<DeploymentConfig> model_list;

  // litellm_settings
  bool drop_params = false;
  std::optional<int> num_retries;
  std::optional<double> request_timeout_s;
  // ssl_verify: false skips upstream certificate checks; a file name trusts that CA bundle.
  bool ssl_verify = true;
  std::string ssl_ca_file;

  // router_settings
  std::optional<int> router_num_retries;
  std::optional<double> router_timeout_s;
  std::optional<double> retry_after_s;
  std::map<std::string, std::string> model_group_alias;
  // Shared state across replicas (rate-limit counters, key-cache invalidation): a Redis server,
  // as router_settings.redis_url or redis_host/redis_port/redis_password. Empty host and URL:
  // no Redis, each process keeps its own.
  core::Secret redis_url;  // may hold the password
  std::string redis_host;
  int redis_port = 6379;
  core::Secret redis_password;

  // The proxy's own budget (litellm_settings.max_budget; general_settings too): LLM routes
  // are refused once all spend together passes it.
  std::optional<double> max_budget;

  // general_settings
  core::Secret master_key;
  std::string database_url;
  std::size_t max_request_size_bytes = std::size_t{32} * 1024 * 1024;
  // Client addresses or CIDR networks; checked before anything else. Empty allowed = all.
  std::vector<std::string> allowed_ips;
  std::vector<std::string> blocked_ips;
  bool use_x_forwarded_for = false;
  bool disable_spend_logs = false;

  // Messages for the operator: keys this version ignores, probable typos.
  std::vector<std::string> warnings;

  int effective_num_retries() const;
  double effective_timeout_s() const;
};

}  // namespace litellm::config
