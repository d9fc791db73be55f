// Matching a request's method and path against the route table's patterns.
#include <algorithm>
#include <array>
#include <optional>

#include "server/route_table.hpp"

namespace litellm::server {

namespace {

constexpr std::string_view kOptionalV1 = "[/v1]";
constexpr std::array<std::string_view, 3> kParties = {"user", "team", "customer"};

bool starts_with(std::string_view s, std::string_view p) {
  return s.substr(0, p.size()) == p;
}
bool ends_with(std::string_view s, std::string_view p) {
  return s.size() >= p.size() && s.substr(s.size() - p.size()) == p;
}

// The capture's text when `path` fits `pattern` ("" when the pattern has none).
std::optional<std::string> fit(std::string_view pattern, std::string_view path) {
  if (starts_with(pattern, kOptionalV1)) {
    pattern.remove_prefix(kOptionalV1.size());
    if (starts_with(path, "/v1/")) {
      path.remove_prefix(3);
    }
  }
  const auto open = pattern.find('{');
  if (open == std::string_view::npos) {
    return pattern == path ? std::optional<std::string>("") : std::nullopt;
  }
  const auto close = pattern.find('}', open);
  const auto prefix = pattern.substr(0, open);
  const auto suffix = pattern.substr(close + 1);
  const auto name = pattern.substr(open + 1, close - open - 1);
  if (path.size() <= prefix.size() + suffix.size() || !starts_with(path, prefix) ||
      !ends_with(path, suffix)) {
    return std::nullopt;
  }
  const auto arg = path.substr(prefix.size(), path.size() - prefix.size() - suffix.size());
  if (arg.front() == '/' || arg.back() == '/') {
    return std::nullopt;
  }
  if (name == "party" && std::find(kParties.begin(), kParties.end(), arg) == kParties.end()) {
    return std::nullopt;
  }
  return std::string(arg);
}

}  // namespace

RouteMatch match_route(std::string_view method, std::string_view path) {
  if (path.size() > 1 && path.back() == '/') {
    path.remove_suffix(1);
  }
  RouteMatch none;
  for (const auto& row : route_table()) {
    auto arg = fit(row.pattern, path);
    if (!arg) {
      continue;
    }
    if (method == row.method || (row.method == "GET" && method == "HEAD")) {
      return RouteMatch{&row, false, std::move(*arg)};
    }
    none.wrong_method = true;
  }
  return none;
}

}  // namespace litellm::server
