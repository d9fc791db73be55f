// litellm_settings, router_settings, general_settings, environment_variables.
#include <filesystem>

#include "config/loader.hpp"
#include "config/yaml_read.hpp"

namespace litellm::config::read {

namespace {

// true / false, or the path of a CA bundle (PEM) to trust for upstream TLS.
Result<void> load_ssl_verify(const Ctx& ctx, const YAML::Node& node) {
  const std::string path = "litellm_settings.ssl_verify";
  std::string text;
  LITELLM_TRY_ASSIGN(text, get_string(ctx, node, path));
  if (const auto on = parse_bool(text)) {
    ctx.out.ssl_verify = *on;
    return {};
  }
  std::error_code ec;
  if (!std::filesystem::is_regular_file(text, ec)) {
    return fail(ctx, node, path, "CA bundle file '" + text + "' not found",
                "give true, false, or the path of a PEM file");
  }
  ctx.out.ssl_ca_file = text;
  return {};
}

}  // namespace

Result<void> load_litellm_settings(const Ctx& ctx, const YAML::Node& s) {
  if (auto r = require_map(ctx, s, "litellm_settings"); !r) {
    return r;
  }
  check_keys(ctx, s, "litellm_settings", litellm_settings_keys());
  if (s["drop_params"]) {
    LITELLM_TRY_ASSIGN(ctx.out.drop_params,
                       get_bool(ctx, s["drop_params"], "litellm_settings.drop_params"));
  }
  if (s["num_retries"]) {
    LITELLM_TRY_ASSIGN(ctx.out.num_retries,
                       get_int(ctx, s["num_retries"], "litellm_settings.num_retries"));
  }
  if (s["request_timeout"]) {
    LITELLM_TRY_ASSIGN(ctx.out.request_timeout_s,
                       get_number(ctx, s["request_timeout"], "litellm_settings.request_timeout"));
  }
  if (s["max_budget"]) {
    LITELLM_TRY_ASSIGN(ctx.out.max_budget,
                       get_budget(ctx, s["max_budget"], "litellm_settings.max_budget"));
  }
  if (s["ssl_verify"]) {
    if (auto r = load_ssl_verify(ctx, s["ssl_verify"]); !r) {
      return r;
    }
  }
  return {};
}

Result<void> load_router_settings(const Ctx& ctx, const YAML::Node& s) {
  if (auto r = require_map(ctx, s, "router_settings"); !r) {
    return r;
  }
  check_keys(ctx, s, "router_settings", router_settings_keys());
  if (s["num_retries"]) {
    LITELLM_TRY_ASSIGN(ctx.out.router_num_retries,
                       get_int(ctx, s["num_retries"], "router_settings.num_retries"));
  }
  if (s["timeout"]) {
    LITELLM_TRY_ASSIGN(ctx.out.router_timeout_s,
                       get_number(ctx, s["timeout"], "router_settings.timeout"));
  }
  if (s["retry_after"]) {
    LITELLM_TRY_ASSIGN(ctx.out.retry_after_s,
                       get_number(ctx, s["retry_after"], "router_settings.retry_after"));
  }
  if (s["redis_url"]) {
    std::string url;
    LITELLM_TRY_ASSIGN(url, get_string(ctx, s["redis_url"], "router_settings.redis_url"));
    if (url.rfind("redis://", 0) != 0) {
      return fail(ctx, s["redis_url"], "router_settings.redis_url",
                  "expected a redis:// URL (rediss:// is not supported by this build)");
    }
    ctx.out.redis_url = core::Secret(url);
  }
  if (s["redis_host"]) {
    LITELLM_TRY_ASSIGN(ctx.out.redis_host,
                       get_string(ctx, s["redis_host"], "router_settings.redis_host"));
  }
  if (s["redis_port"]) {
    LITELLM_TRY_ASSIGN(ctx.out.redis_port,
                       get_int(ctx, s["redis_port"], "router_settings.redis_port"));
    if (ctx.out.redis_port <= 0 || ctx.out.redis_port > 65535) {
      return fail(ctx, s["redis_port"], "router_settings.redis_port",
                  "expected a port from 1 to 65535");
    }
  }
  if (s["redis_password"]) {
    std::string password;
    LITELLM_TRY_ASSIGN(password,
                       get_string(ctx, s["redis_password"], "router_settings.redis_password"));
    ctx.out.redis_password = core::Secret(password);
  }
  if (const YAML::Node aliases = s["model_group_alias"]) {
    if (auto r = require_map(ctx, aliases, "router_settings.model_group_alias"); !r) {
      return r;
    }
    for (const auto& kv : aliases) {
      const std::string path = "router_settings.model_group_alias." + kv.first.Scalar();
      const YAML::Node target = kv.second.IsMap() ? kv.second["model"] : kv.second;
      if (!target) {
        return fail(ctx, kv.second, path + ".model", "missing");
      }
      std::string group;
      LITELLM_TRY_ASSIGN(group, get_string(ctx, target, path));
      ctx.out.model_group_alias[kv.first.Scalar()] = group;
    }
  }
  return {};
}

Result<void> load_general_settings(const Ctx& ctx, const YAML::Node& s) {
  if (auto r = require_map(ctx, s, "general_settings"); !r) {
    return r;
  }
  check_keys(ctx, s, "general_settings", general_settings_keys());
  if (s["master_key"]) {
    std::string key;
    LITELLM_TRY_ASSIGN(key, get_string(ctx, s["master_key"], "general_settings.master_key"));
    ctx.out.master_key = core::Secret(std::move(key));
  }
  if (s["database_url"]) {
    LITELLM_TRY_ASSIGN(ctx.out.database_url,
                       get_string(ctx, s["database_url"], "general_settings.database_url"));
  }
  if (s["max_budget"]) {
    LITELLM_TRY_ASSIGN(ctx.out.max_budget,
                       get_budget(ctx, s["max_budget"], "general_settings.max_budget"));
  }
  if (s["allowed_ips"]) {
    LITELLM_TRY_ASSIGN(ctx.out.allowed_ips,
                       get_ip_list(ctx, s["allowed_ips"], "general_settings.allowed_ips"));
  }
  if (s["blocked_ips"]) {
    LITELLM_TRY_ASSIGN(ctx.out.blocked_ips,
                       get_ip_list(ctx, s["blocked_ips"], "general_settings.blocked_ips"));
  }
  if (s["use_x_forwarded_for"]) {
    LITELLM_TRY_ASSIGN(
        ctx.out.use_x_forwarded_for,
        get_bool(ctx, s["use_x_forwarded_for"], "general_settings.use_x_forwarded_for"));
  }
  if (s["disable_spend_logs"]) {
    LITELLM_TRY_ASSIGN(ctx.out.disable_spend_logs, get_bool(ctx, s["disable_spend_logs"],
                                                            "general_settings.disable_spend_logs"));
  }
  if (s["max_request_size_mb"]) {
    double mb = 0;
    LITELLM_TRY_ASSIGN(
        mb, get_number(ctx, s["max_request_size_mb"], "general_settings.max_request_size_mb"));
    if (mb <= 0) {
      return fail(ctx, s["max_request_size_mb"], "general_settings.max_request_size_mb",
                  "must be greater than 0");
    }
    ctx.out.max_request_size_bytes = static_cast<std::size_t>(mb * 1024 * 1024);
  }
  return {};
}

Result<void> load_environment(const Ctx& ctx, const YAML::Node& s) {
  if (auto r = require_map(ctx, s, "environment_variables"); !r) {
    return r;
  }
  for (const auto& kv : s) {
    std::string value;
    LITELLM_TRY_ASSIGN(value,
                       get_string(ctx, kv.second, "environment_variables." + kv.first.Scalar()));
    ctx.env.set(kv.first.Scalar(), value);
  }
  return {};
}

}  // namespace litellm::config::read
