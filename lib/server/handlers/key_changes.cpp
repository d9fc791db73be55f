// /key/update, /key/block, /key/unblock, /key/regenerate: changes to a key that exists.

#include "auth/virtual_keys.hpp"
#include "server/error_response.hpp"
#include "server/gateway_state.hpp"
#include "server/handlers/handlers.hpp"
#include "server/handlers/key_fields.hpp"
#include "server/request_context.hpp"

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
    return apply_key_fields(changes, k, gw.clock.unix_seconds());
  });
  if (r.status == 200) {
    auto out = json::parse(r.body);
    out["key"] = fresh;  // shown this once, as at /key/generate
    r.body = out.dump();
  }
  return r;
}

using Change = http::Response (*)(Gateway::Impl& gw, const std::string& token, const json& body,
                                  const std::string& call_id);

// The key named in the path (/key/{key}/regenerate) or by the body's `key` (the key or its
// hash), changed by `change` on the blocking pool.
void change_named_key(RequestContext& rc, Change change) {
  const auto parsed = rc.body_object();
  if (!parsed) {
    return;
  }
  const std::string named = rc.arg.empty() ? named_key(*parsed) : rc.arg;
  if (named.empty()) {
    rc.fail(Error::invalid("key is required: the key (sk-...) or its hash", "key"));
    return;
  }
  rc.gw.run_on_db(rc.responder, rc.call_id,
                  [&gw = rc.gw, change, token = token_of(named), body = *parsed,
                   call_id = rc.call_id] { return change(gw, token, body, call_id); });
}

http::Response set_blocked(Gateway::Impl& gw, const std::string& token, bool blocked,
                           const std::string& call_id) {
  return change_key(gw, token, call_id, [&](store::KeyRecord& k) {
    k.blocked = blocked;
    k.updated_at = gw.clock.unix_seconds();
    return Result<void>();
  });
}

}  // namespace

void handle_key_update(RequestContext& rc) {
  change_named_key(rc, [](Gateway::Impl& gw, const std::string& token, const json& body,
                          const std::string& call_id) {
    json changes = body;
    changes.erase("key");
    return change_key(gw, token, call_id, [&](store::KeyRecord& k) {
      return apply_key_fields(changes, k, gw.clock.unix_seconds());
    });
  });
}

void handle_key_block(RequestContext& rc) {
  change_named_key(
      rc, [](Gateway::Impl& gw, const std::string& token, const json&, const std::string& call_id) {
        return set_blocked(gw, token, true, call_id);
      });
}

void handle_key_unblock(RequestContext& rc) {
  change_named_key(
      rc, [](Gateway::Impl& gw, const std::string& token, const json&, const std::string& call_id) {
        return set_blocked(gw, token, false, call_id);
      });
}

void handle_key_regenerate(RequestContext& rc) {
  change_named_key(rc, regenerate);
}

}  // namespace litellm::server
