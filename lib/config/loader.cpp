#include "config/loader.hpp"

#include <algorithm>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <yaml-cpp/yaml.h>

#include "config/known_keys.hpp"
#include "config/yaml_read.hpp"

namespace litellm::config {

namespace {

using read::check_keys;
using read::Ctx;
using read::fail;

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
    if (auto r = read::load_environment(ctx, root["environment_variables"]); !r) {
      return r;
    }
  }
  if (root["model_list"]) {
    if (auto r = read::load_model_list(ctx, root["model_list"]); !r) {
      return r;
    }
  }
  if (const auto s = root["litellm_settings"]; s && !s.IsNull()) {
    if (auto r = read::load_litellm_settings(ctx, s); !r) {
      return r;
    }
  }
  if (const auto s = root["router_settings"]; s && !s.IsNull()) {
    if (auto r = read::load_router_settings(ctx, s); !r) {
      return r;
    }
  }
  if (const auto s = root["general_settings"]; s && !s.IsNull()) {
    if (auto r = read::load_general_settings(ctx, s); !r) {
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
