#pragma once

// Reading config.yaml's nodes: typed values with os.environ/ resolved, and errors that say file,
// line, column and key. Private to lib/config (loader.cpp and sections/).
#include <string>
#include <string_view>
#include <vector>

#include <yaml-cpp/yaml.h>

#include "litellm/error.hpp"

#include "config/config.hpp"
#include "config/env_resolver.hpp"
#include "config/known_keys.hpp"

// `lhs = *expr`, or return expr's error from the enclosing function.
#define LITELLM_TRY_ASSIGN(lhs, expr) \
  do {                                \
    auto r_ = (expr);                 \
    if (!r_) {                        \
      return r_.error();              \
    }                                 \
    (lhs) = std::move(*r_);           \
  } while (0)

namespace litellm::config::read {

constexpr std::string_view kEnvPrefix = "os.environ/";

// Where a document is being read from, and what it is read into.
struct Ctx {
  std::string source;
  EnvResolver& env;
  Config& out;
};

// "FILE:LINE:COL" of `mark`.
std::string where(const Ctx& ctx, const YAML::Mark& mark);
// A Config error naming where `node` is and the key path.
Error fail(const Ctx& ctx, const YAML::Node& node, const std::string& path, const std::string& what,
           const std::string& hint = {});
// A scalar's text with os.environ/NAME replaced (a missing variable is an error).
Result<std::string> scalar_text(const Ctx& ctx, const YAML::Node& node, const std::string& path);
Result<std::string> get_string(const Ctx& ctx, const YAML::Node& node, const std::string& path);
Result<double> get_number(const Ctx& ctx, const YAML::Node& node, const std::string& path);
Result<int> get_int(const Ctx& ctx, const YAML::Node& node, const std::string& path);
Result<bool> get_bool(const Ctx& ctx, const YAML::Node& node, const std::string& path);
Result<double> get_budget(const Ctx& ctx, const YAML::Node& node, const std::string& path);
// A list of client addresses or CIDR networks.
Result<std::vector<std::string>> get_ip_list(const Ctx& ctx, const YAML::Node& node,
                                             const std::string& path);
// Records keys a section does not act on; fails nothing.
void check_keys(const Ctx& ctx, const YAML::Node& section, const std::string& path,
                const SectionKeys& keys);
Result<void> require_map(const Ctx& ctx, const YAML::Node& node, const std::string& path);

// The sections (sections/model_list.cpp, sections/settings.cpp).
Result<void> load_model_list(const Ctx& ctx, const YAML::Node& list);
Result<void> load_litellm_settings(const Ctx& ctx, const YAML::Node& s);
Result<void> load_router_settings(const Ctx& ctx, const YAML::Node& s);
Result<void> load_general_settings(const Ctx& ctx, const YAML::Node& s);
Result<void> load_environment(const Ctx& ctx, const YAML::Node& s);

}  // namespace litellm::config::read
