#pragma once

#include <span>
#include <string>
#include <string_view>

namespace litellm::server {

struct RequestContext;

// Who may call a route. Enforced from the row before its handler runs (route_access.cpp), so
// a handler never checks it again; a handler may narrow it further (/key/info: a virtual key
// reads only its own).
enum class Access {
  Public,  // no key: probes behind load balancers
  AnyKey,  // the master key or a virtual key
  Admin,   // the master key only (or anyone when none is configured)
};

using RouteHandler = void (*)(RequestContext&);

// One endpoint as LiteLLM spells it. `pattern` is a path with at most one capture:
//   `[/v1]` in front: the path may also carry /v1 before the rest;
//   `{party}`: one of user, team, customer;
//   `{name}` anything else: one or more characters, slashes too (model names have them), but
//   not starting or ending with a slash.
// GET rows also answer HEAD.
struct RouteSpec {
  std::string_view method;
  std::string_view pattern;
  Access access;
  RouteHandler handle;
  std::string_view name;  // for tests and logs
};

// Every endpoint, in matching order: the first row whose pattern and method fit wins.
std::span<const RouteSpec> route_table();

struct RouteMatch {
  const RouteSpec* row = nullptr;  // null: no row (see wrong_method)
  bool wrong_method = false;       // a row has this path, none this method: 405
  std::string arg;                 // what the pattern's capture took
};

// Trailing slashes are ignored.
RouteMatch match_route(std::string_view method, std::string_view path);

}  // namespace litellm::server
