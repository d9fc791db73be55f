#include "config/yaml_read.hpp"

#include <sstream>

#include "config/loader.hpp"
#include "core/ip_network.hpp"

namespace litellm::config::read {

std::string where(const Ctx& ctx, const YAML::Mark& mark) {
  std::ostringstream s;
  s << ctx.source;
  if (mark.line >= 0) {
    s << ':' << mark.line + 1 << ':' << mark.column + 1;
  }
  return s.str();
}

Error fail(const Ctx& ctx, const YAML::Node& node, const std::string& path, const std::string& what,
           const std::string& hint) {
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

}  // namespace litellm::config::read
