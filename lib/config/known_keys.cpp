#include "config/known_keys.hpp"

#include <algorithm>
#include <array>
#include <vector>

namespace litellm::config {

namespace {

constexpr std::array<std::string_view, 6> kTopSupported = {
    "model_list",       "litellm_settings",      "router_settings",
    "general_settings", "environment_variables", "include"};
constexpr std::array<std::string_view, 10> kTopNotYet = {
    "callback_settings", "guardrails",     "credential_list", "assistant_settings",
    "finetune_settings", "files_settings", "mcp_servers",     "vector_store_registry",
    "prompts",           "search_tools"};

constexpr std::array<std::string_view, 5> kLitellmSupported = {
    "drop_params", "num_retries", "request_timeout", "max_budget", "ssl_verify"};
constexpr std::array<std::string_view, 47> kLitellmNotYet = {
    "modify_params",
    "fallbacks",
    "context_window_fallbacks",
    "content_policy_fallbacks",
    "default_fallbacks",
    "allowed_fails",
    "max_fallbacks",
    "cache",
    "cache_params",
    "success_callback",
    "failure_callback",
    "callbacks",
    "service_callbacks",
    "json_logs",
    "set_verbose",
    "turn_off_message_logging",
    "redact_user_api_key_info",
    "redact_messages_in_exceptions",
    "budget_duration",
    "timezone",
    "default_team_settings",
    "default_key_generate_params",
    "upperbound_key_generate_params",
    "key_generation_settings",
    "default_internal_user_params",
    "max_internal_user_budget",
    "default_max_internal_user_budget",
    "internal_user_budget_duration",
    "disable_end_user_cost_tracking",
    "disable_end_user_cost_tracking_prometheus_only",
    "require_auth_for_metrics_endpoint",
    "custom_prometheus_metadata_labels",
    "custom_prometheus_tags",
    "prometheus_metrics_config",
    "enable_preview_features",
    "force_ipv4",
    "enable_json_schema_validation",
    "model_group_settings",
    "guardrails",
    "post_call_rules",
    "custom_provider_map",
    "mcp_aliases",
    "langfuse_default_tags",
    "responses",
    "telemetry",
    "drop_params_list",
    "additional_drop_params"};

constexpr std::array<std::string_view, 8> kRouterSupported = {
    "num_retries", "timeout",    "retry_after",    "model_group_alias",
    "redis_host",  "redis_port", "redis_password", "redis_url"};
constexpr std::array<std::string_view, 32> kRouterNotYet = {"routing_strategy",
                                                            "routing_strategy_args",
                                                            "retry_policy",
                                                            "model_group_retry_policy",
                                                            "stream_timeout",
                                                            "max_fallbacks",
                                                            "fallbacks",
                                                            "context_window_fallbacks",
                                                            "content_policy_fallbacks",
                                                            "default_fallbacks",
                                                            "allowed_fails",
                                                            "allowed_fails_policy",
                                                            "cooldown_time",
                                                            "disable_cooldowns",
                                                            "enable_pre_call_checks",
                                                            "optional_pre_call_checks",
                                                            "enable_tag_filtering",
                                                            "tag_filtering_match_any",
                                                            "default_max_parallel_requests",
                                                            "default_litellm_params",
                                                            "cache_responses",
                                                            "cache_kwargs",
                                                            "caching_groups",
                                                            "client_ttl",
                                                            "polling_interval",
                                                            "default_priority",
                                                            "provider_budget_config",
                                                            "debug_level",
                                                            "set_verbose",
                                                            "alerting_config",
                                                            "ignore_invalid_deployments",
                                                            "model_group_alias_hidden"};

constexpr std::array<std::string_view, 8> kGeneralSupported = {
    "master_key", "max_request_size_mb", "database_url",        "disable_spend_logs",
    "max_budget", "allowed_ips",         "use_x_forwarded_for", "blocked_ips"};
constexpr std::array<std::string_view, 53> kGeneralNotYet = {
    "database_connection_pool_limit",
    "database_connection_timeout",
    "database_connection_pool_timeout",
    "allow_requests_on_db_unavailable",
    "store_model_in_db",
    "disable_spend_updates",
    "disable_reset_budget",
    "budget_duration",
    "background_health_checks",
    "health_check_interval",
    "health_check_details",
    "use_shared_health_check",
    "alerting",
    "alerting_threshold",
    "alert_types",
    "alert_to_webhook_url",
    "alerting_args",
    "max_parallel_requests",
    "global_max_parallel_requests",
    "max_response_size_mb",
    "user_api_key_cache_ttl",
    "proxy_budget_rescheduler_min_time",
    "proxy_budget_rescheduler_max_time",
    "proxy_batch_write_at",
    "proxy_batch_polling_interval",
    "maximum_spend_logs_retention_period",
    "maximum_spend_logs_retention_interval",
    "custom_auth",
    "custom_key_generate",
    "enable_jwt_auth",
    "litellm_jwtauth",
    "litellm_key_header_name",
    "user_header_name",
    "user_header_mappings",
    "enforce_user_param",
    "forward_client_headers_to_llm_api",
    "forward_openai_org_id",
    "ui_access_mode",
    "allowed_routes",
    "public_routes",
    "admin_only_routes",
    "infer_model_from_keys",
    "completion_model",
    "embedding_model",
    "image_generation_model",
    "moderation_model",
    "pass_through_endpoints",
    "key_management_system",
    "key_management_settings",
    "enforced_params",
    "disable_master_key_return",
    "default_team_disabled",
    "litellm_license"};

constexpr std::array<std::string_view, 18> kParamsNotYet = {"aws_role_name",
                                                            "aws_session_name",
                                                            "aws_profile_name",
                                                            "aws_web_identity_token",
                                                            "aws_bedrock_runtime_endpoint",
                                                            "aws_sts_endpoint",
                                                            "vertex_project",
                                                            "vertex_location",
                                                            "vertex_credentials",
                                                            "region_name",
                                                            "watsonx_region_name",
                                                            "tags",
                                                            "litellm_credential_name",
                                                            "max_budget",
                                                            "budget_duration",
                                                            "use_in_pass_through",
                                                            "configurable_clientside_auth_params",
                                                            "order"};

std::size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<std::size_t> prev(b.size() + 1);
  std::vector<std::size_t> cur(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) {
    prev[j] = j;
  }
  for (std::size_t i = 1; i <= a.size(); ++i) {
    cur[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t sub = prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1);
      cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, sub});
    }
    std::swap(prev, cur);
  }
  return prev[b.size()];
}

}  // namespace

SectionKeys top_level_keys() {
  return {kTopSupported, kTopNotYet};
}
SectionKeys litellm_settings_keys() {
  return {kLitellmSupported, kLitellmNotYet};
}
SectionKeys router_settings_keys() {
  return {kRouterSupported, kRouterNotYet};
}
SectionKeys general_settings_keys() {
  return {kGeneralSupported, kGeneralNotYet};
}
std::span<const std::string_view> litellm_params_not_yet() {
  return kParamsNotYet;
}

std::string_view closest_key(std::string_view key, const SectionKeys& keys) {
  std::string_view best;
  std::size_t best_d = 3;
  for (const auto list : {keys.supported, keys.not_yet}) {
    for (const auto candidate : list) {
      const std::size_t d = edit_distance(key, candidate);
      if (d < best_d) {
        best_d = d;
        best = candidate;
      }
    }
  }
  return best;
}

}  // namespace litellm::config
