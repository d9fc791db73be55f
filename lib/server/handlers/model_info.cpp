#include <algorithm>
#include <set>

#include "server/error_response.hpp"
#include "server/gateway_state.hpp"
#include "server/handlers/handlers.hpp"
#include "server/request_context.hpp"

namespace litellm::server {

namespace {

constexpr std::array<const char*, 8> kCapabilities = {
    "function_calling", "parallel_function_calling", "tool_choice",    "vision",
    "response_schema",  "system_messages",           "prompt_caching", "reasoning"};

template <typename T>
nlohmann::json or_null(const std::optional<T>& v) {
  return v ? nlohmann::json(*v) : nlohmann::json(nullptr);
}

// litellm_params as /model/info shows them: what routing needs, never a credential.
nlohmann::json public_params(const config::DeploymentConfig& c) {
  nlohmann::json p = c.default_params;
  p["model"] = c.model;
  if (!c.api_base.empty()) {
    p["api_base"] = c.api_base;
  }
  if (!c.api_version.empty()) {
    p["api_version"] = c.api_version;
  }
  const auto put = [&](const char* key, const auto& v) {
    if (v) {
      p[key] = *v;
    }
  };
  put("rpm", c.rpm);
  put("tpm", c.tpm);
  put("timeout", c.timeout_s);
  put("stream_timeout", c.stream_timeout_s);
  put("num_retries", c.num_retries);
  put("weight", c.weight);
  put("input_cost_per_token", c.input_cost_per_token);
  put("output_cost_per_token", c.output_cost_per_token);
  for (const char* secret :
       {"api_key", "azure_ad_token", "aws_access_key_id", "aws_secret_access_key",
        "aws_session_token", "client_secret", "vertex_credentials"}) {
    p.erase(secret);
  }
  return p;
}

nlohmann::json deployment_info(const router::Deployment& d, const spend::ModelPrice& price) {
  nlohmann::json info = d.config.model_info;
  info["id"] = d.config.id;
  info["db_model"] = false;
  info["key"] = d.config.model;
  info["litellm_provider"] = price.provider;
  info["mode"] = price.mode.empty() ? nlohmann::json(nullptr) : nlohmann::json(price.mode);
  info["max_tokens"] = or_null(price.max_output_tokens);
  info["max_input_tokens"] = or_null(price.max_input_tokens);
  info["max_output_tokens"] = or_null(price.max_output_tokens);
  info["input_cost_per_token"] = or_null(price.input_cost_per_token);
  info["output_cost_per_token"] = or_null(price.output_cost_per_token);
  info["cache_read_input_token_cost"] = or_null(price.cache_read_input_token_cost);
  info["cache_creation_input_token_cost"] = or_null(price.cache_creation_input_token_cost);
  for (const char* cap : kCapabilities) {
    info[std::string("supports_") + cap] = price.has(cap);
  }
  return {{"model_name", d.config.model_name},
          {"litellm_params", public_params(d.config)},
          {"model_info", std::move(info)}};
}

template <typename T>
void keep_max(std::optional<T>& into, const std::optional<T>& v) {
  if (v && (!into || *v > *into)) {
    into = v;
  }
}

nlohmann::json group_info(const Snapshot& snap, const std::string& name,
                          const router::ModelGroup& group) {
  std::set<std::string> providers;
  std::optional<std::int64_t> max_in;
  std::optional<std::int64_t> max_out;
  std::optional<double> in_cost;
  std::optional<double> out_cost;
  std::optional<std::int64_t> tpm;
  std::optional<std::int64_t> rpm;
  std::string mode;
  nlohmann::json item = {{"model_group", name}};
  for (const char* cap : kCapabilities) {
    item[std::string("supports_") + cap] = false;
  }
  for (const auto* d : group.deployments) {
    const auto& price = snap.price_of(*d);
    providers.insert(d->config.provider);
    keep_max(max_in, price.max_input_tokens);
    keep_max(max_out, price.max_output_tokens);
    keep_max(in_cost, price.input_cost_per_token);
    keep_max(out_cost, price.output_cost_per_token);
    if (d->config.tpm) {
      tpm = tpm.value_or(0) + *d->config.tpm;
    }
    if (d->config.rpm) {
      rpm = rpm.value_or(0) + *d->config.rpm;
    }
    if (mode.empty()) {
      mode = price.mode;
    }
    for (const char* cap : kCapabilities) {
      if (price.has(cap)) {
        item[std::string("supports_") + cap] = true;
      }
    }
  }
  item["providers"] = providers;
  item["max_input_tokens"] = or_null(max_in);
  item["max_output_tokens"] = or_null(max_out);
  item["input_cost_per_token"] = or_null(in_cost);
  item["output_cost_per_token"] = or_null(out_cost);
  item["mode"] = mode.empty() ? nlohmann::json(nullptr) : nlohmann::json(mode);
  item["tpm"] = or_null(tpm);
  item["rpm"] = or_null(rpm);
  return item;
}

}  // namespace

void handle_model_info(RequestContext& rc) {
  const Snapshot& snap = *rc.snap;
  const std::string id = query_param(rc.req, "litellm_model_id");
  nlohmann::json data = nlohmann::json::array();
  for (const auto& d : snap.table->deployments()) {
    if (id.empty() || d->config.id == id) {
      data.push_back(deployment_info(*d, snap.price_of(*d)));
    }
  }
  if (!id.empty() && data.empty()) {
    rc.fail(Error{ErrorCode::NotFound,
                  "Model id = " + id + " not found on litellm proxy",
                  "litellm_model_id",
                  {},
                  0,
                  {}});
    return;
  }
  rc.reply(json_response(200, {{"data", std::move(data)}}, rc.call_id));
}

void handle_model_group_info(RequestContext& rc) {
  const Snapshot& snap = *rc.snap;
  const std::string wanted = query_param(rc.req, "model_group");
  nlohmann::json data = nlohmann::json::array();
  for (const auto& name : snap.table->names()) {
    const auto* group = snap.table->find(name);
    if (group != nullptr && (wanted.empty() || wanted == name)) {
      data.push_back(group_info(snap, name, *group));
    }
  }
  if (!wanted.empty() && data.empty()) {
    rc.fail(Error{ErrorCode::NotFound,
                  "model_group=" + wanted + " not found on litellm proxy",
                  "model_group",
                  {},
                  0,
                  {}});
    return;
  }
  rc.reply(json_response(200, {{"data", std::move(data)}}, rc.call_id));
}

}  // namespace litellm::server
