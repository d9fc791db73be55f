// /key/generate, /key/info, /key/delete, /key/list: virtual keys, stored hashed.
#include <algorithm>
#include <type_traits>

#include "auth/api_key.hpp"
#include "server/error_response.hpp"
#include "server/gateway_state.hpp"
#include "server/handlers/handlers.hpp"
#include "server/handlers/key_fields.hpp"
#include "server/request_context.hpp"

namespace litellm::server {

namespace {

using nlohmann::json;

Result<store::KeyRecord> key_from_request(const json& body, std::int64_t now,
                                          std::string& raw_key) {
  store::KeyRecord k;
  if (const auto it = body.find("key"); it != body.end() && !it->is_null()) {
    if (!it->is_string() || it->get_ref<const std::string&>().rfind("sk-", 0) != 0 ||
        it->get_ref<const std::string&>().size() < 8) {
      return Error::invalid("key must start with 'sk-' and be at least 8 characters", "key");
    }
    raw_key = it->get<std::string>();
  } else {
    raw_key = auth::generate_key();
  }
  k.token = auth::hash_key(raw_key);
  k.key_name = auth::key_name(raw_key);
  k.created_at = now;
  if (auto ok = apply_key_fields(body, k, k.created_at); !ok) {
    return ok.error();
  }
  return k;
}

}  // namespace

Result<void> check_key_access(const store::KeyRecord& key, const std::string& model_group,
                              std::int64_t now) {
  if (key.blocked) {
    return Error::make(ErrorCode::Authentication,
                       "Authentication Error - Key is blocked. Update via `/key/unblock` if "
                       "you're admin.");
  }
  if (key.expires && *key.expires <= now) {
    return Error::make(ErrorCode::Authentication,
                       "Authentication Error - Expired Key. Key Expiry time " +
                           iso_time(*key.expires) + " and current time " + iso_time(now));
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

Result<void> check_party_access(const Caller& caller, const std::string& model_group) {
  if (caller.team) {
    const auto& team = caller.team->record;
    if (team.blocked) {
      return Error::make(ErrorCode::Authentication,
                         "Authentication Error - Team=" + team.id +
                             " is blocked. Update via `/team/unblock` if you're admin.");
    }
    if (!team.models.empty() &&
        std::find(team.models.begin(), team.models.end(), model_group) == team.models.end() &&
        std::find(team.models.begin(), team.models.end(), "*") == team.models.end()) {
      return Error::make(ErrorCode::Authentication,
                         "Authentication Error - Team=" + team.id +
                             " not allowed to access model. Tried to access " + model_group);
    }
  }
  if (caller.customer && caller.customer->record.blocked) {
    return Error::make(ErrorCode::PermissionDenied,
                       "End User=" + caller.customer->record.id + " is blocked.");
  }
  return {};
}

void handle_key_generate(RequestContext& rc) {
  const std::string& call_id = rc.call_id;
  auto* keys = rc.gw.db.get();
  const auto parsed = rc.body_object();
  if (!parsed) {
    return;
  }
  const json& body = *parsed;
  std::string raw;
  auto k = key_from_request(body, rc.gw.clock.unix_seconds(), raw);
  if (!k) {
    rc.fail(k.error());
    return;
  }
  rc.gw.run_on_db(rc.responder, call_id, [keys, key = std::move(*k), raw, call_id] {
    if (auto ok = keys->insert_key(key); !ok) {
      return error_response(ok.error(), call_id);
    }
    json out = key_json(key);
    out["key"] = raw;  // the only time the key itself is shown
    out["token"] = key.token;
    out["token_id"] = key.token;
    return json_response(200, out, call_id);
  });
}

void handle_key_info(RequestContext& rc) {
  Gateway::Impl& gw = rc.gw;
  const http::Request& req = rc.req;
  const std::string& call_id = rc.call_id;
  std::string asked = query_param(req, "key");
  const std::string token =
      asked.empty() ? (rc.caller.key ? rc.caller.key->token : "") : token_of(asked);
  if (token.empty()) {
    rc.fail(Error::invalid("key is required: /key/info?key=sk-...", "key"));
    return;
  }
  if (!rc.caller.admin && (!rc.caller.key || rc.caller.key->token != token)) {
    rc.fail(
        Error::make(ErrorCode::PermissionDenied, "a virtual key may read its own /key/info only"));
    return;
  }
  gw.run_on_db(rc.responder, call_id, [&gw, token, asked, call_id] {
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
    return json_response(200, {{"key", asked.empty() ? token : asked}, {"info", info}}, call_id);
  });
}

void handle_key_delete(RequestContext& rc) {
  Gateway::Impl& gw = rc.gw;
  const std::string& call_id = rc.call_id;
  auto* keys = gw.db.get();
  const auto parsed = rc.body_object();
  if (!parsed) {
    return;
  }
  const json& body = *parsed;
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
    rc.fail(Error::invalid("keys or key_aliases is required", "keys"));
    return;
  }
  gw.run_on_db(rc.responder, call_id, [&gw, keys, named, aliases, call_id] {
    std::vector<std::string> tokens;
    tokens.reserve(named.size() + aliases.size());
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
    gw.forget_keys(tokens);
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
}

void handle_key_list(RequestContext& rc) {
  Gateway::Impl& gw = rc.gw;
  const http::Request& req = rc.req;
  const std::string& call_id = rc.call_id;
  auto* keys = gw.db.get();
  const auto page = query_number(req, "page", 1);
  const auto size = query_number(req, "size", 10);
  if (page < 1 || size < 1 || size > 100) {
    rc.fail(Error::invalid("page must be 1 or more and size from 1 to 100", "page"));
    return;
  }
  const auto opt = [&](const char* name) {
    const auto v = query_param(req, name);
    return v.empty() ? std::nullopt : std::optional<std::string>(v);
  };
  const bool full = query_param(req, "return_full_object") == "true";
  gw.run_on_db(rc.responder, call_id,
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
}

}  // namespace litellm::server
