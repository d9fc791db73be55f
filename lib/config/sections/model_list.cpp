// model_list: one entry per deployment, grouped by model_name into model groups.
#include <sstream>

#include "config/loader.hpp"
#include "config/yaml_json.hpp"
#include "config/yaml_read.hpp"

namespace litellm::config::read {

namespace {

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

}  // namespace

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

}  // namespace litellm::config::read
