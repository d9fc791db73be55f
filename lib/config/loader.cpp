#include "config/loader.hpp"

#include <algorithm>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <yaml-cpp/yaml.h>

#include "config/known_keys.hpp"
#include "config/yaml_json.hpp"
#include "core/ip_network.hpp"

namespace litellm::config {

namespace {

constexpr std::string_view kEnvPrefix = "os.environ/";

struct Ctx {
  std::string source;
  EnvResolver& env;
  Config& out;
};

std::string where(const Ctx& ctx, const YAML::Mark& mark) {
  std::ostringstream s;
  s << ctx.source;
  if (mark.line >= 0) {
    s << ':' << mark.line + 1 << ':' << mark.column + 1;
  }
  return s.str();
}

Error fail(const Ctx& ctx, const YAML::Node& node, const std::string& path, const std::string& what,
           const std::string& hint = {}) {
  std::string msg = where(ctx, node.Mark()) + ": " + path + ": " + what;
  if (!hint.empty()) {
    msg += " (" + hint + ")";
  }
  return Error{ErrorCode::Config, std::move(msg), path, {}, 0, {}};
}

// A scalar's text with os.environ/NAME replaced. A missing variable is an error: a gateway that
// starts without its credentials fails later, on the first request, where it is harder to see.
Result<std::string> scalar_text(const Ctx& ctx, const YAML::Node& node, const std::string& path) {
  if (!node.IsScalar()) {
    return fail(ctx, node, path, "expected a single value, found a list or mapping");
  }
  std::string text = node.Scalar();
  if (text.rfind(kEnvPrefix, 0) == 0) {
    const std::string name = text.substr(kEnvPrefix.size());
    auto value = ctx.env.get(name);
    if (!value) {
      return fail(ctx, node, path, "environment variable " + name + " is not set",
                  "export " + name + " or set it under environment_variables");
    }
    return *value;
  }
  return text;
}

Result<std::string> get_string(const Ctx& ctx, const YAML::Node& node, const std::string& path) {
  return scalar_text(ctx, node, path);
}

Result<double> get_number(const Ctx& ctx, const YAML::Node& node, const std::string& path) {
  auto text = scalar_text(ctx, node, path);
  if (!text) {
    return text.error();
  }
  YAML::Node tmp(*text);
  double value = 0;
  if (!YAML::convert<double>::decode(tmp, value)) {
    return fail(ctx, node, path, "expected a number, found '" + *text + "'");
  }
  return value;
}

Result<int> get_int(const Ctx& ctx, const YAML::Node& node, const std::string& path) {
  auto number = get_number(ctx, node, path);
  if (!number) {
    return number.error();
  }
  if (*number != static_cast<double>(static_cast<std::int64_t>(*number)) || *number < 0 ||
      *number > 1e9) {
    return fail(ctx, node, path, "expected a whole number >= 0");
  }
  return static_cast<int>(*number);
}

Result<bool> get_bool(const Ctx& ctx, const YAML::Node& node, const std::string& path) {
  auto text = scalar_text(ctx, node, path);
  if (!text) {
    return text.error();
  }
  const auto value = parse_bool(*text);
  if (!value) {
    return fail(ctx, node, path, "expected true or false, found '" + *text + "'");
  }
  return *value;
}

Result<double> get_budget(const Ctx& ctx, const YAML::Node& node, const std::string& path) {
  auto v = get_number(ctx, node, path);
  if (v && *v < 0) {
    return fail(ctx, node, path, "cannot be negative");
  }
  return v;
}

// A list of client addresses or CIDR networks.
Result<std::vector<std::string>> get_ip_list(const Ctx& ctx, const YAML::Node& node,
                                             const std::string& path) {
  if (!node.IsSequence()) {
    return fail(ctx, node, path, "expected a list of IP addresses or CIDR networks");
  }
  std::vector<std::string> out;
  for (std::size_t i = 0; i < node.size(); ++i) {
    const std::string item_path = path + "[" + std::to_string(i) + "]";
    auto text = get_string(ctx, node[i], item_path);
    if (!text) {
      return text.error();
    }
    if (!core::IpNetwork::parse(*text)) {
      return fail(ctx, node[i], item_path,
                  "'" + *text + "' is not an IP address or CIDR network (10.0.0.7, 10.0.0.0/8)");
    }
    out.push_back(std::move(*text));
  }
  return out;
}

// Records keys a section does not act on; fails nothing.
void check_keys(const Ctx& ctx, const YAML::Node& section, const std::string& path,
                const SectionKeys& keys) {
  for (const auto& kv : section) {
    const std::string key = kv.first.Scalar();
    const auto in = [&](std::span<const std::string_view> list) {
      return std::find(list.begin(), list.end(), key) != list.end();
    };
    const std::string full = path.empty() ? key : path + "." + key;
    if (in(keys.supported)) {
      continue;
    }
    if (in(keys.not_yet)) {
      ctx.out.warnings.push_back(where(ctx, kv.first.Mark()) + ": " + full +
                                 ": not supported yet; accepted and ignored");
      continue;
    }
    std::string msg = where(ctx, kv.first.Mark()) + ": " + full + ": unknown key";
    const auto near = closest_key(key, keys);
    if (!near.empty()) {
      msg += " (did you mean '" + std::string(near) + "'?)";
    }
    ctx.out.warnings.push_back(std::move(msg));
  }
}

Result<void> require_map(const Ctx& ctx, const YAML::Node& node, const std::string& path) {
  if (!node.IsMap()) {
    return fail(ctx, node, path, "expected a mapping of key: value");
  }
  return {};
}

std::string stable_id(const DeploymentConfig& d, const YAML::Node& params) {
  // FNV-1a over the entry's text: the same config yields the same id on every replica/restart.
  std::uint64_t h = 1469598103934665603ULL;
  const auto mix = [&](std::string_view s) {
    for (const char c : s) {
      h ^= static_cast<unsigned char>(c);
      h *= 1099511628211ULL;
    }
  };
  mix(d.model_name);
  YAML::Emitter e;
  e << params;
  mix(e.c_str());
  std::ostringstream s;
  s << std::hex << h;
  return s.str();
}

#define LITELLM_TRY_ASSIGN(lhs, expr) \
  do {                                \
    auto r_ = (expr);                 \
    if (!r_) {                        \
      return r_.error();              \
    }                                 \
    (lhs) = std::move(*r_);           \
  } while (0)

Result<void> load_params(const Ctx& ctx, const YAML::Node& params, const std::string& path,
                         DeploymentConfig& d) {
  for (const auto& kv : params) {
    const std::string key = kv.first.Scalar();
    const YAML::Node& v = kv.second;
    const std::string p = path + "." + key;
    if (key == "model") {
      LITELLM_TRY_ASSIGN(d.model, get_string(ctx, v, p));
      d.location = where(ctx, v.Mark()) + ": " + p;
    } else if (key == "api_key") {
      std::string s;
      LITELLM_TRY_ASSIGN(s, get_string(ctx, v, p));
      d.api_key = core::Secret(std::move(s));
    } else if (key == "api_base" || key == "base_url") {
      LITELLM_TRY_ASSIGN(d.api_base, get_string(ctx, v, p));
    } else if (key == "api_version") {
      LITELLM_TRY_ASSIGN(d.api_version, get_string(ctx, v, p));
    } else if (key == "timeout") {
      LITELLM_TRY_ASSIGN(d.timeout_s, get_number(ctx, v, p));
    } else if (key == "stream_timeout") {
      LITELLM_TRY_ASSIGN(d.stream_timeout_s, get_number(ctx, v, p));
    } else if (key == "num_retries" || key == "max_retries") {
      int n = 0;
      LITELLM_TRY_ASSIGN(n, get_int(ctx, v, p));
      if (key == "num_retries" || !d.num_retries) {
        d.num_retries = n;
      }
    } else if (key == "rpm") {
      LITELLM_TRY_ASSIGN(d.rpm, get_int(ctx, v, p));
    } else if (key == "tpm") {
      LITELLM_TRY_ASSIGN(d.tpm, get_int(ctx, v, p));
    } else if (key == "weight") {
      LITELLM_TRY_ASSIGN(d.weight, get_number(ctx, v, p));
    } else if (key == "mock_response") {
      LITELLM_TRY_ASSIGN(d.mock_response, get_string(ctx, v, p));
    } else if (key == "input_cost_per_token") {
      LITELLM_TRY_ASSIGN(d.input_cost_per_token, get_number(ctx, v, p));
    } else if (key == "output_cost_per_token") {
      LITELLM_TRY_ASSIGN(d.output_cost_per_token, get_number(ctx, v, p));
    } else if (key == "extra_headers") {
      if (auto r = require_map(ctx, v, p); !r) {
        return r;
      }
      for (const auto& h : v) {
        std::string value;
        LITELLM_TRY_ASSIGN(value, get_string(ctx, h.second, p + "." + h.first.Scalar()));
        d.extra_headers[h.first.Scalar()] = value;
      }
    } else if (key == "organization") {
      std::string org;
      LITELLM_TRY_ASSIGN(org, get_string(ctx, v, p));
      d.extra_headers["OpenAI-Organization"] = org;
    } else if (key == "custom_llm_provider") {
      LITELLM_TRY_ASSIGN(d.provider, get_string(ctx, v, p));
    } else if (key == "drop_params" || key == "model_info") {
      // drop_params is per-deployment in LiteLLM; it only matters once providers other than
      // OpenAI-compatible ones exist, so it is kept with the defaults the adapter can see.
      d.default_params[key] = yaml_to_json(v);
    } else if (std::find(litellm_params_not_yet().begin(), litellm_params_not_yet().end(), key) !=
               litellm_params_not_yet().end()) {
      ctx.out.warnings.push_back(where(ctx, kv.first.Mark()) + ": " + p +
                                 ": not supported yet; accepted and ignored");
    } else {
      // LiteLLM passes any other key to the call: a default the request may override.
      if (v.IsScalar() && v.Scalar().rfind(kEnvPrefix, 0) == 0) {
        std::string s;
        LITELLM_TRY_ASSIGN(s, get_string(ctx, v, p));
        d.default_params[key] = s;
      } else {
        d.default_params[key] = yaml_to_json(v);
      }
    }
  }
  return {};
}

Result<void> load_model_list(const Ctx& ctx, const YAML::Node& list) {
  if (!list.IsSequence()) {
    if (list.IsNull()) {
      return {};
    }
    return fail(ctx, list, "model_list",
                "expected a list of deployments (each '- model_name: ...')");
  }
  for (std::size_t i = 0; i < list.size(); ++i) {
    const YAML::Node entry = list[i];
    const std::string path = "model_list[" + std::to_string(ctx.out.model_list.size()) + "]";
    if (auto r = require_map(ctx, entry, path); !r) {
      return r;
    }
    DeploymentConfig d;
    const YAML::Node name = entry["model_name"];
    if (!name) {
      return fail(ctx, entry, path + ".model_name", "missing",
                  "every deployment needs the model_name clients will ask for");
    }
    LITELLM_TRY_ASSIGN(d.model_name, get_string(ctx, name, path + ".model_name"));
    const YAML::Node params = entry["litellm_params"];
    if (!params) {
      return fail(ctx, entry, path + ".litellm_params", "missing",
                  "add litellm_params: {model: provider/model}");
    }
    if (auto r = require_map(ctx, params, path + ".litellm_params"); !r) {
      return r;
    }
    if (!params["model"]) {
      return fail(ctx, params, path + ".litellm_params.model", "missing",
                  "e.g. model: openai/gpt-4o or model: mock/echo");
    }
    const std::string forced_provider = d.provider;
    if (auto r = load_params(ctx, params, path + ".litellm_params", d); !r) {
      return r;
    }
    std::string provider;
    split_provider(d.model, provider, d.provider_model);
    if (d.provider.empty()) {
      d.provider = provider;
    }
    if (const YAML::Node info = entry["model_info"]) {
      if (auto r = require_map(ctx, info, path + ".model_info"); !r) {
        return r;
      }
      d.model_info = yaml_to_json(info);
    }
    for (const auto& kv : entry) {
      const std::string key = kv.first.Scalar();
      if (key != "model_name" && key != "litellm_params" && key != "model_info") {
        ctx.out.warnings.push_back(where(ctx, kv.first.Mark()) + ": " + path + "." + key +
                                   ": unknown key");
      }
    }
    if (d.model_info.contains("id") && d.model_info["id"].is_string()) {
      d.id = d.model_info["id"].get<std::string>();
    } else {
      d.id = stable_id(d, params);
    }
    ctx.out.model_list.push_back(std::move(d));
  }
  return {};
}

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

Result<YAML::Node> parse_yaml(std::string_view text, const std::string& source) {
  try {
    return YAML::Load(std::string(text));
  } catch (const YAML::ParserException& e) {
    std::ostringstream s;
    s << source << ':' << e.mark.line + 1 << ':' << e.mark.column + 1 << ": invalid YAML: " << e.msg
      << " (check indentation and quoting on this line or the one before)";
    return Error::make(ErrorCode::Config, s.str());
  } catch (const YAML::Exception& e) {
    return Error::make(ErrorCode::Config, source + ": invalid YAML: " + e.msg);
  }
}

Result<void> load_document(const Ctx& ctx, const YAML::Node& root) {
  if (!root.IsMap()) {
    return fail(ctx, root, "(top level)",
                "expected a mapping with model_list, litellm_settings, ...");
  }
  check_keys(ctx, root, "", top_level_keys());
  // environment_variables first: other sections may name the variables it sets.
  if (root["environment_variables"]) {
    if (auto r = load_environment(ctx, root["environment_variables"]); !r) {
      return r;
    }
  }
  if (root["model_list"]) {
    if (auto r = load_model_list(ctx, root["model_list"]); !r) {
      return r;
    }
  }
  if (const auto s = root["litellm_settings"]; s && !s.IsNull()) {
    if (auto r = load_litellm_settings(ctx, s); !r) {
      return r;
    }
  }
  if (const auto s = root["router_settings"]; s && !s.IsNull()) {
    if (auto r = load_router_settings(ctx, s); !r) {
      return r;
    }
  }
  if (const auto s = root["general_settings"]; s && !s.IsNull()) {
    if (auto r = load_general_settings(ctx, s); !r) {
      return r;
    }
  }
  return {};
}

Result<std::string> read_text(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return Error::make(ErrorCode::Config, "Config file not found: " + path);
  }
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

}  // namespace

void split_provider(const std::string& model, std::string& provider, std::string& rest) {
  const auto slash = model.find('/');
  if (slash == std::string::npos) {
    provider = "openai";
    rest = model;
    return;
  }
  provider = model.substr(0, slash);
  rest = model.substr(slash + 1);
}

Result<Config> load_string(std::string_view text, const std::string& source, EnvResolver& env,
                           const std::string& base_dir) {
  Config cfg;
  cfg.source = source;
  auto root = parse_yaml(text, source);
  if (!root) {
    return root.error();
  }
  if (root->IsNull()) {
    return Error::make(ErrorCode::Config, source + ": Config cannot be None or Empty.");
  }
  Ctx ctx{source, env, cfg};
  if (auto r = load_document(ctx, *root); !r) {
    return r.error();
  }
  if (const YAML::Node inc = (*root)["include"]) {
    if (!inc.IsSequence()) {
      return fail(ctx, inc, "include", "'include' must be a list of file paths");
    }
    for (std::size_t i = 0; i < inc.size(); ++i) {
      std::string rel;
      LITELLM_TRY_ASSIGN(rel, get_string(ctx, inc[i], "include[" + std::to_string(i) + "]"));
      const std::string path = (std::filesystem::path(base_dir) / rel).string();
      auto inc_text = read_text(path);
      if (!inc_text) {
        return fail(ctx, inc[i], "include[" + std::to_string(i) + "]",
                    "Included file not found: " + path);
      }
      auto inc_root = parse_yaml(*inc_text, path);
      if (!inc_root) {
        return inc_root.error();
      }
      Ctx inc_ctx{path, env, cfg};
      if (auto r = load_document(inc_ctx, *inc_root); !r) {
        return r.error();
      }
    }
  }
  if (cfg.master_key.empty()) {
    if (auto k = env.get("LITELLM_MASTER_KEY"); k && !k->empty()) {
      cfg.master_key = core::Secret(*k);
    }
  }
  return cfg;
}

Result<Config> load_file(const std::string& path, EnvResolver& env) {
  auto text = read_text(path);
  if (!text) {
    return text.error();
  }
  const auto dir = std::filesystem::path(path).parent_path();
  return load_string(*text, path, env, dir.empty() ? "." : dir.string());
}

std::optional<bool> parse_bool(std::string_view text) {
  YAML::Node node{std::string(text)};
  bool value = false;
  if (!YAML::convert<bool>::decode(node, value)) {
    return std::nullopt;
  }
  return value;
}

Config single_model(const std::string& model) {
  Config cfg;
  cfg.source = "--model " + model;
  DeploymentConfig d;
  d.model_name = model;
  d.model = model;
  split_provider(model, d.provider, d.provider_model);
  d.id = "cli-" + model;
  d.location = "--model " + model;
  cfg.model_list.push_back(std::move(d));
  return cfg;
}

int Config::effective_num_retries() const {
  if (router_num_retries) {
    return *router_num_retries;
  }
  if (num_retries) {
    return *num_retries;
  }
  return 2;  // openai.DEFAULT_MAX_RETRIES, LiteLLM's fallback
}

double Config::effective_timeout_s() const {
  if (router_timeout_s) {
    return *router_timeout_s;
  }
  if (request_timeout_s) {
    return *request_timeout_s;
  }
  return 6000;
}

}  // namespace litellm::config
