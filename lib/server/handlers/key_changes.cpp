// /key/update, /key/block, /key/unblock, /key/regenerate: changes to a key that exists.
#include <ctime>

#include "auth/virtual_keys.hpp"
#include "server/error_response.hpp"
#include "server/gateway_state.hpp"
#include "server/handlers/key_fields.hpp"

namespace litellm::server {

namespace {

using nlohmann::json;

Error key_not_found() {
  return Error{ErrorCode::NotFound, "Key not found in database", "key", {}, 0, {}};
}

// Reads the key, changes it with `change`, stores it and drops it from the cache.
http::Response change_key(Gateway::Impl& gw, const std::string& token, const std::string& call_id,
                          const std::function<Result<void>(store::KeyRecord&)>& change) {
  auto found = gw.db->find_key(token);
  if (!found) {
    return error_response(found.error(), call_id);
  }
  if (!found->has_value()) {
    return error_response(key_not_found(), call_id);
  }
  store::KeyRecord key = std::move(**found);
  if (auto ok = change(key); !ok) {
    return error_response(ok.error(), call_id);
  }
  if (auto ok = gw.db->update_key(key); !ok) {
    return error_response(ok.error(), call_id);
  }
  gw.forget_keys({token});
  json out = key_json(key);
  out["token"] = key.token;
  return json_response(200, out, call_id);
}

std::string named_key(const json& body) {
  const auto it = body.find("key");
  return it != body.end() && it->is_string() ? it->get<std::string>() : std::string();
}

http::Response regenerate(Gateway::Impl& gw, const std::string& token, const json& body,
                          const std::string& call_id) {
  std::string fresh = auth::generate_key();
  if (const auto it = body.find("new_key"); it != body.end() && !it->is_null()) {
    if (!it->is_string() || it->get_ref<const std::string&>().rfind("sk-", 0) != 0) {
      return error_response(Error::invalid("new_key must start with 'sk-'", "new_key"), call_id);
    }
    fresh = it->get<std::string>();
  }
  // Spend the old hash still owes is written under it before the key moves.
  gw.writer->flush();
  if (auto ok = gw.db->rename_key(token, auth::hash_key(fresh), auth::key_name(fresh)); !ok) {
    return error_response(ok.error(), call_id);
  }
  gw.forget_keys({token});
  json changes = body;
  changes.erase("key");
  changes.erase("new_key");
  auto r = change_key(gw, auth::hash_key(fresh), call_id, [&](store::KeyRecord& k) {
    return apply_key_fields(changes, k, static_cast<std::int64_t>(std::time(nullptr)));
  });
  if (r.status == 200) {
    auto out = json::parse(r.body);
    out["key"] = fresh;  // shown this once, as at /key/generate
    r.body = out.dump();
  }
  return r;
}

}  // namespace

void handle_key_change(Gateway::Impl& gw, Route route, const std::string& key_in_path,
                       const nlohmann::json& body, const http::Responder& responder,
                       const std::string& call_id) {
  const std::string named = key_in_path.empty() ? named_key(body) : key_in_path;
  if (named.empty()) {
    responder.reply(http::Reply{
        error_response(Error::invalid("key is required: the key (sk-...) or its hash", "key"),
                       call_id),
        nullptr});
    return;
  }
  const std::string token = token_of(named);
  gw.run_on_db(responder, call_id, [&gw, route, token, body, call_id] {
    switch (route) {
      case Route::KeyUpdate: {
        json changes = body;
        changes.erase("key");
        return change_key(gw, token, call_id, [&](store::KeyRecord& k) {
          return apply_key_fields(changes, k, static_cast<std::int64_t>(std::time(nullptr)));
        });
      }
      case Route::KeyBlock:
      case Route::KeyUnblock:
        return change_key(gw, token, call_id, [&](store::KeyRecord& k) {
          k.blocked = route == Route::KeyBlock;
          k.updated_at = static_cast<std::int64_t>(std::time(nullptr));
          return Result<void>();
        });
      default:
        return regenerate(gw, token, body, call_id);
    }
  });
}

}  // namespace litellm::server
