// /key/generate, /key/info, /key/delete, /key/list: virtual keys, stored hashed.
#include <algorithm>
#include <ctime>
#include <type_traits>

#include "auth/api_key.hpp"
#include "server/error_response.hpp"
#include "server/gateway_state.hpp"

namespace litellm::server {

namespace {

using nlohmann::json;

std::int64_t now_s() {
  return static_cast<std::int64_t>(std::time(nullptr));
}

std::string iso_time(std::int64_t t) {
  const std::time_t secs = t;
  std::tm tm{};
  gmtime_r(&secs, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

// LiteLLM's durations: "30s", "30m", "30h", "30d", "1mo" (30 days). nullopt when malformed.
std::optional<std::int64_t> duration_seconds(const std::string& d) {
  std::size_t digits = 0;
  while (digits < d.size() && std::isdigit(static_cast<unsigned char>(d[digits])) != 0) {
    ++digits;
  }
  if (digits == 0 || digits > 9) {
    return std::nullopt;
  }
  const std::int64_t n = std::stoll(d.substr(0, digits));
  const std::string unit = d.substr(digits);
  if (unit == "s") {
    return n;
  }
  if (unit == "m") {
    return n * 60;
  }
  if (unit == "h") {
    return n * 3600;
  }
  if (unit == "d") {
    return n * 86400;
  }
  if (unit == "mo") {
    return n * 30 * 86400;
  }
  return std::nullopt;
}

template <typename T>
json or_null(const std::optional<T>& v) {
  return v ? json(*v) : json(nullptr);
}

json key_json(const store::KeyRecord& k) {
  return {{"key_name", k.key_name},
          {"key_alias", or_null(k.key_alias)},
          {"spend", k.spend},
          {"max_budget", or_null(k.max_budget)},
          {"expires", k.expires ? json(iso_time(*k.expires)) : json(nullptr)},
          {"models", k.models},
          {"aliases", json::object()},
          {"config", json::object()},
          {"user_id", or_null(k.user_id)},
          {"team_id", or_null(k.team_id)},
          {"max_parallel_requests", or_null(k.max_parallel_requests)},
          {"metadata", k.metadata},
          {"tpm_limit", or_null(k.tpm_limit)},
          {"rpm_limit", or_null(k.rpm_limit)},
          {"budget_duration", or_null(k.budget_duration)},
          {"blocked", k.blocked ? json(true) : json(nullptr)},
          {"created_at", iso_time(k.created_at)},
          {"updated_at", iso_time(k.updated_at)}};
}

Error not_admin(const std::string& path) {
  return Error::make(
      ErrorCode::PermissionDenied,
      "Only the proxy admin (the master key) can call " + path + "; this virtual key cannot.");
}

template <typename T>
struct is_optional : std::false_type {};
template <typename T>
struct is_optional<std::optional<T>> : std::true_type {};

// Reads an optional field of a type, or says which field is wrong.
template <typename T>
Result<std::optional<T>> field(const json& body, const char* name) {
  const auto it = body.find(name);
  if (it == body.end() || it->is_null()) {
    return std::optional<T>();
  }
  try {
    return std::optional<T>(it->get<T>());
  } catch (const json::exception&) {
    return Error::invalid(std::string(name) + " has the wrong type", name);
  }
}

// Sets `into` from an optional field of the right type; a field of the wrong type is named.
template <typename T>
Result<void> read_into(const json& body, const char* name, T& into) {
  using Value = typename std::conditional_t<is_optional<T>::value, T, std::optional<T>>::value_type;
  auto v = field<Value>(body, name);
  if (!v) {
    return v.error();
  }
  if (*v) {
    into = std::move(**v);
  }
  return {};
}

Result<store::KeyRecord> key_from_request(const json& body, std::string& raw_key) {
  store::KeyRecord k;
  auto key = field<std::string>(body, "key");
  if (!key) {
    return key.error();
  }
  if (*key) {
    if (key->value().rfind("sk-", 0) != 0 || key->value().size() < 8) {
      return Error::invalid("key must start with 'sk-' and be at least 8 characters", "key");
    }
    raw_key = **key;
  } else {
    raw_key = auth::generate_key();
  }
  k.token = auth::hash_key(raw_key);
  k.key_name = auth::key_name(raw_key);
  for (auto r :
       {read_into(body, "key_alias", k.key_alias), read_into(body, "models", k.models),
        read_into(body, "max_budget", k.max_budget), read_into(body, "spend", k.spend),
        read_into(body, "budget_duration", k.budget_duration),
        read_into(body, "user_id", k.user_id), read_into(body, "team_id", k.team_id),
        read_into(body, "rpm_limit", k.rpm_limit), read_into(body, "tpm_limit", k.tpm_limit),
        read_into(body, "max_parallel_requests", k.max_parallel_requests),
        read_into(body, "blocked", k.blocked)}) {
    if (!r) {
      return r.error();
    }
  }
  if (body.contains("metadata") && !body["metadata"].is_null()) {
    if (!body["metadata"].is_object()) {
      return Error::invalid("metadata must be an object", "metadata");
    }
    k.metadata = body["metadata"];
  }
  if (k.max_budget && *k.max_budget < 0) {
    return Error::invalid("max_budget cannot be negative", "max_budget");
  }
  if (k.budget_duration && !duration_seconds(*k.budget_duration)) {
    return Error::invalid("budget_duration must look like 30s, 30m, 30h, 30d or 1mo",
                          "budget_duration");
  }
  k.created_at = k.updated_at = now_s();
  auto duration = field<std::string>(body, "duration");
  if (!duration) {
    return duration.error();
  }
  if (*duration) {
    const auto secs = duration_seconds(**duration);
    if (!secs) {
      return Error::invalid("duration must look like 30s, 30m, 30h, 30d or 1mo", "duration");
    }
    k.expires = k.created_at + *secs;
  }
  return k;
}

// A key named by the client: the raw key ("sk-...") or its hash.
std::string token_of(const std::string& key) {
  return key.rfind("sk-", 0) == 0 ? auth::hash_key(key) : key;
}

void run_blocking(Gateway::Impl& gw, const http::Responder& responder, const std::string& call_id,
                  std::function<http::Response()> work) {
  if (!gw.keys) {
    responder.reply(http::Reply{
        error_response(
            Error::make(ErrorCode::Storage, "virtual keys are unavailable: " + gw.keys_unavailable),
            call_id),
        nullptr});
    return;
  }
  const bool queued = gw.blocking->post([responder, work = std::move(work)] {
    responder.reply(http::Reply{work(), nullptr});
  });
  if (!queued) {
    responder.reply(http::Reply{
        error_response(Error::make(ErrorCode::Storage, "the key database is not keeping up"),
                       call_id),
        nullptr});
  }
}

}  // namespace

Result<void> check_key_access(const store::KeyRecord& key, const std::string& model_group) {
  if (key.blocked) {
    return Error::make(ErrorCode::Authentication,
                       "Authentication Error - Key is blocked. Update via `/key/unblock` if "
                       "you're admin.");
  }
  if (key.expires && *key.expires <= now_s()) {
    return Error::make(ErrorCode::Authentication,
                       "Authentication Error - Expired Key. Key Expiry time " +
                           iso_time(*key.expires) + " and current time " + iso_time(now_s()));
  }
  if (!key.models.empty() &&
      std::find(key.models.begin(), key.models.end(), model_group) == key.models.end() &&
      std::find(key.models.begin(), key.models.end(), "*") == key.models.end()) {
    std::string allowed;
    for (const auto& m : key.models) {
      allowed += (allowed.empty() ? "'" : ", '") + m + "'";
    }
    return Error::make(ErrorCode::Authentication,
                       "Authentication Error - key not allowed to access model. This key can "
                       "only access models=[" +
                           allowed + "]. Tried to access " + model_group);
  }
  return {};
}

void handle_key_route(Gateway::Impl& gw, Route route, http::Request& req,
                      const http::Responder& responder, const std::string& call_id,
                      const Caller& caller) {
  const auto fail = [&](const Error& e) {
    responder.reply(http::Reply{error_response(e, call_id), nullptr});
  };
  if (route != Route::KeyInfo && !caller.admin) {
    fail(not_admin(req.path));
    return;
  }
  json body = json::object();
  if (req.method == "POST" && !req.body.empty()) {
    body = json::parse(req.body, nullptr, false);
    if (body.is_discarded() || !body.is_object()) {
      fail(Error::invalid("the request body is not a JSON object"));
      return;
    }
  }
  auto* keys = gw.keys.get();
  switch (route) {
    case Route::KeyGenerate: {
      std::string raw;
      auto k = key_from_request(body, raw);
      if (!k) {
        fail(k.error());
        return;
      }
      run_blocking(gw, responder, call_id, [keys, key = std::move(*k), raw, call_id] {
        if (auto ok = keys->insert_key(key); !ok) {
          return error_response(ok.error(), call_id);
        }
        json out = key_json(key);
        out["key"] = raw;  // the only time the key itself is shown
        out["token"] = key.token;
        out["token_id"] = key.token;
        return json_response(200, out, call_id);
      });
      return;
    }
    case Route::KeyInfo: {
      std::string asked = query_param(req, "key");
      const std::string token =
          asked.empty() ? (caller.key ? caller.key->token : "") : token_of(asked);
      if (token.empty()) {
        fail(Error::invalid("key is required: /key/info?key=sk-...", "key"));
        return;
      }
      if (!caller.admin && (!caller.key || caller.key->token != token)) {
        fail(Error::make(ErrorCode::PermissionDenied,
                         "a virtual key may read its own /key/info only"));
        return;
      }
      run_blocking(gw, responder, call_id, [&gw, token, asked, call_id] {
        auto found = gw.read_key(token);
        if (!found) {
          return error_response(found.error(), call_id);
        }
        if (!found->has_value()) {
          return error_response(
              Error{ErrorCode::NotFound, "Key not found in database", "key", {}, 0, {}}, call_id);
        }
        auto key = (*found)->key;
        key.spend = gw.spend_of(key, (*found)->spend_mark);  // finished calls not yet written
        json info = key_json(key);
        if (key.max_budget) {
          info["budget_left"] = *key.max_budget - key.spend;
        }
        return json_response(200, {{"key", asked.empty() ? token : asked}, {"info", info}},
                             call_id);
      });
      return;
    }
    case Route::KeyDelete: {
      std::vector<std::string> named;
      std::vector<std::string> aliases;
      for (const auto& k : body.value("keys", json::array())) {
        if (k.is_string()) {
          named.push_back(k.get<std::string>());
        }
      }
      for (const auto& a : body.value("key_aliases", json::array())) {
        if (a.is_string()) {
          aliases.push_back(a.get<std::string>());
        }
      }
      if (named.empty() && aliases.empty()) {
        fail(Error::invalid("keys or key_aliases is required", "keys"));
        return;
      }
      run_blocking(gw, responder, call_id, [&gw, keys, named, aliases, call_id] {
        std::vector<std::string> tokens;
        for (const auto& k : named) {
          tokens.push_back(token_of(k));
        }
        for (const auto& a : aliases) {
          auto found = keys->find_key_by_alias(a);
          if (!found) {
            return error_response(found.error(), call_id);
          }
          if (found->has_value()) {
            tokens.push_back((*found)->token);
          }
        }
        auto deleted = keys->delete_keys(tokens);
        if (!deleted) {
          return error_response(deleted.error(), call_id);
        }
        for (const auto& t : tokens) {
          gw.key_cache.erase(t);
        }
        if (*deleted < static_cast<std::int64_t>(named.size() + aliases.size())) {
          return error_response(
              Error{ErrorCode::NotFound,
                    "Not all keys passed in were deleted: " + std::to_string(*deleted) + " of " +
                        std::to_string(named.size() + aliases.size()) + " were found",
                    "keys",
                    {},
                    0,
                    {}},
              call_id);
        }
        json echo = named;
        for (const auto& a : aliases) {
          echo.push_back(a);
        }
        return json_response(200, {{"deleted_keys", echo}}, call_id);
      });
      return;
    }
    case Route::KeyList: {
      const auto number = [&](const char* name, std::int64_t fallback) {
        const auto v = query_param(req, name);
        char* end = nullptr;
        const long long n = v.empty() ? fallback : std::strtoll(v.c_str(), &end, 10);
        return v.empty() || (end != nullptr && *end == '\0') ? static_cast<std::int64_t>(n) : -1;
      };
      const auto page = number("page", 1);
      const auto size = number("size", 10);
      if (page < 1 || size < 1 || size > 100) {
        fail(Error::invalid("page must be 1 or more and size from 1 to 100", "page"));
        return;
      }
      const auto opt = [&](const char* name) {
        const auto v = query_param(req, name);
        return v.empty() ? std::nullopt : std::optional<std::string>(v);
      };
      const bool full = query_param(req, "return_full_object") == "true";
      run_blocking(gw, responder, call_id,
                   [keys, page, size, user = opt("user_id"), team = opt("team_id"), full, call_id] {
                     auto listed = keys->list_keys(page, size, user, team);
                     if (!listed) {
                       return error_response(listed.error(), call_id);
                     }
                     json out = json::array();
                     for (const auto& k : listed->keys) {
                       if (full) {
                         json o = key_json(k);
                         o["token"] = k.token;
                         out.push_back(std::move(o));
                       } else {
                         out.push_back(k.token);
                       }
                     }
                     return json_response(200,
                                          {{"keys", out},
                                           {"total_count", listed->total},
                                           {"current_page", page},
                                           {"total_pages", (listed->total + size - 1) / size}},
                                          call_id);
                   });
      return;
    }
    default:
      fail(Error::make(ErrorCode::Internal, "unrouted key request"));
  }
}

}  // namespace litellm::server
