#include "server/routes.hpp"

#include <array>

namespace litellm::server {

namespace {

struct Suffix {
  std::string_view text;
  Route route;
};

constexpr std::array<Suffix, 3> kLlmSuffixes = {{
    {"/chat/completions", Route::Chat},
    {"/completions", Route::Completion},
    {"/embeddings", Route::Embedding},
}};

struct AdminRoute {
  std::string_view path;
  std::string_view method;
  Route route;
};

constexpr std::array<AdminRoute, 11> kAdminRoutes = {{
    {"/key/generate", "POST", Route::KeyGenerate},
    {"/key/info", "GET", Route::KeyInfo},
    {"/key/delete", "POST", Route::KeyDelete},
    {"/key/list", "GET", Route::KeyList},
    {"/key/update", "POST", Route::KeyUpdate},
    {"/key/regenerate", "POST", Route::KeyRegenerate},
    {"/key/block", "POST", Route::KeyBlock},
    {"/key/unblock", "POST", Route::KeyUnblock},
    {"/spend/logs", "GET", Route::SpendLogs},
    {"/global/spend", "GET", Route::GlobalSpend},
    {"/global/spend/report", "GET", Route::GlobalSpendReport},
}};

// Under /user/, /team/ and /customer/ alike (member_* for teams only).
constexpr std::array<AdminRoute, 9> kPartyRoutes = {{
    {"new", "POST", Route::PartyNew},
    {"info", "GET", Route::PartyInfo},
    {"update", "POST", Route::PartyUpdate},
    {"delete", "POST", Route::PartyDelete},
    {"list", "GET", Route::PartyList},
    {"block", "POST", Route::PartyBlock},
    {"unblock", "POST", Route::PartyUnblock},
    {"member_add", "POST", Route::TeamMemberAdd},
    {"member_delete", "POST", Route::TeamMemberDelete},
}};

bool starts_with(std::string_view s, std::string_view p) {
  return s.substr(0, p.size()) == p;
}
bool ends_with(std::string_view s, std::string_view p) {
  return s.size() >= p.size() && s.substr(s.size() - p.size()) == p;
}

RouteMatch with_method(std::string_view method, std::string_view want, RouteMatch m) {
  if (method != want && !(want == "GET" && method == "HEAD")) {
    return RouteMatch{Route::MethodNotAllowed, {}};
  }
  return m;
}

}  // namespace

RouteMatch match_route(std::string_view method, std::string_view path) {
  if (path.size() > 1 && path.back() == '/') {
    path.remove_suffix(1);
  }
  std::string_view rest = path;
  if (starts_with(rest, "/v1/")) {
    rest.remove_prefix(3);
  }
  for (const auto& s : kLlmSuffixes) {
    if (rest == s.text) {
      return with_method(method, "POST", {s.route, {}});
    }
  }
  for (const std::string_view prefix : {"/engines/", "/openai/deployments/"}) {
    if (!starts_with(rest, prefix)) {
      continue;
    }
    for (const auto& s : kLlmSuffixes) {
      if (!ends_with(rest, s.text)) {
        continue;
      }
      if (rest.size() == prefix.size() + s.text.size()) {
        return {};  // no model between the prefix and the endpoint
      }
      std::string model(rest.substr(prefix.size(), rest.size() - prefix.size() - s.text.size()));
      return with_method(method, "POST", {s.route, std::move(model)});
    }
  }
  if (rest == "/models") {
    return with_method(method, "GET", {Route::ListModels, {}});
  }
  if (starts_with(rest, "/models/") && rest.size() > 8) {
    return with_method(method, "GET", {Route::GetModel, std::string(rest.substr(8))});
  }
  if (path == "/v1/messages" || path == "/anthropic/v1/messages") {
    return with_method(method, "POST", {Route::Messages, {}});
  }
  if (rest == "/model/info") {
    return with_method(method, "GET", {Route::ModelInfo, {}});
  }
  if (path == "/model_group/info") {
    return with_method(method, "GET", {Route::ModelGroupInfo, {}});
  }
  for (const auto& a : kAdminRoutes) {
    if (path == a.path) {
      return with_method(method, a.method, {a.route, {}});
    }
  }
  for (const std::string_view kind : {"user", "team", "customer"}) {
    const std::string prefix = "/" + std::string(kind) + "/";
    if (!starts_with(path, prefix)) {
      continue;
    }
    for (const auto& p : kPartyRoutes) {
      if (path.substr(prefix.size()) == p.path &&
          ((p.route != Route::TeamMemberAdd && p.route != Route::TeamMemberDelete) ||
           kind == "team")) {
        return with_method(method, p.method, {p.route, std::string(kind)});
      }
    }
  }
  if (starts_with(path, "/key/") && ends_with(path, "/regenerate") && path.size() > 5 + 11) {
    return with_method(method, "POST",
                       {Route::KeyRegenerate, std::string(path.substr(5, path.size() - 16))});
  }
  if (path == "/health") {
    return with_method(method, "GET", {Route::Health, {}});
  }
  if (path == "/health/liveliness" || path == "/health/liveness") {
    return with_method(method, "GET", {Route::Liveliness, {}});
  }
  if (path == "/health/readiness") {
    return with_method(method, "GET", {Route::Readiness, {}});
  }
  return {};
}

}  // namespace litellm::server
