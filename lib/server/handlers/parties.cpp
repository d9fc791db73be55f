// /user/*, /team/*, /customer/*: who keys belong to and requests are for, each with a budget
// and limits that stack with the key's.

#include "auth/virtual_keys.hpp"
#include "core/ids.hpp"
#include "server/error_response.hpp"
#include "server/gateway_state.hpp"
#include "server/handlers/handlers.hpp"
#include "server/handlers/key_fields.hpp"
#include "server/request_context.hpp"
#include "spend/spend_writer.hpp"
#include "store/party_sql.hpp"

namespace litellm::server {

namespace {

using nlohmann::json;
using store::PartyKind;

std::string kind_name(PartyKind k) {
  return store::party_kind_name(k);
}

Error missing_id(PartyKind kind) {
  return Error::invalid(std::string(party_id_field(kind)) + " is required", party_id_field(kind));
}

Error not_found(PartyKind kind, const std::string& id) {
  return Error{ErrorCode::NotFound,
               kind_name(kind) + " " + id + " not found",
               party_id_field(kind),
               {},
               0,
               {}};
}

std::string string_field(const json& body, const char* name) {
  const auto it = body.find(name);
  return it != body.end() && it->is_string() ? it->get<std::string>() : std::string();
}

std::vector<std::string> string_list(const json& body, const char* name) {
  std::vector<std::string> out;
  for (const auto& v : body.value(name, json::array())) {
    if (v.is_string()) {
      out.push_back(v.get<std::string>());
    }
  }
  return out;
}

// A party changed: keys carry their user and team, and customers are cached by id.
void forget(Gateway::Impl& gw, PartyKind kind, const std::string& id) {
  if (kind == PartyKind::Customer) {
    gw.forget_party(spend::entity_of(store::SpendHolder::Customer, id));
  } else {
    gw.forget_all_keys();
  }
}

// The party as stored, its spend including calls not yet written.
Result<store::PartyRecord> load(Gateway::Impl& gw, PartyKind kind, const std::string& id) {
  auto found = gw.read_party(kind, id);
  if (!found) {
    return found.error();
  }
  if (!found->has_value()) {
    return not_found(kind, id);
  }
  auto p = (*found)->record;
  p.spend += gw.ledger.since(spend::entity_of(store::holder_of(kind), id), (*found)->spend_mark);
  return p;
}

http::Response create(Gateway::Impl& gw, PartyKind kind, const json& body,
                      const std::string& call_id) {
  store::PartyRecord p;
  p.kind = kind;
  p.id = string_field(body, party_id_field(kind));
  if (p.id.empty()) {
    if (kind == PartyKind::Customer) {
      return error_response(missing_id(kind), call_id);
    }
    p.id = core::new_uuid();
  }
  p.created_at = gw.clock.unix_seconds();
  if (auto ok = apply_party_fields(body, p, p.created_at); !ok) {
    return error_response(ok.error(), call_id);
  }
  if (auto ok = gw.db->insert_party(p); !ok) {
    return error_response(ok.error(), call_id);
  }
  forget(gw, kind, p.id);
  json out = party_json(p);
  // LiteLLM's /user/new hands the new user a key unless told not to.
  if (kind == PartyKind::User && body.value("auto_create_key", true)) {
    store::KeyRecord k;
    const std::string raw = auth::generate_key();
    k.token = auth::hash_key(raw);
    k.key_name = auth::key_name(raw);
    k.user_id = p.id;
    k.created_at = k.updated_at = p.created_at;
    if (auto ok = gw.db->insert_key(k); !ok) {
      return error_response(ok.error(), call_id);
    }
    out["key"] = raw;
  }
  return json_response(200, out, call_id);
}

http::Response info(Gateway::Impl& gw, PartyKind kind, const std::string& id,
                    const std::string& call_id) {
  auto p = load(gw, kind, id);
  if (!p) {
    return error_response(p.error(), call_id);
  }
  if (kind == PartyKind::Customer) {
    return json_response(200, party_json(*p), call_id);
  }
  auto keys = gw.db->list_keys(1, 100, kind == PartyKind::User ? std::optional(id) : std::nullopt,
                               kind == PartyKind::Team ? std::optional(id) : std::nullopt);
  if (!keys) {
    return error_response(keys.error(), call_id);
  }
  json key_list = json::array();
  for (const auto& k : keys->keys) {
    json j = key_json(k);
    j["token"] = k.token;
    key_list.push_back(std::move(j));
  }
  return json_response(
      200,
      {{party_id_field(kind), id}, {kind_name(kind) + "_info", party_json(*p)}, {"keys", key_list}},
      call_id);
}

// Reads the party, changes it with `change`, stores it.
http::Response change(Gateway::Impl& gw, PartyKind kind, const std::string& id,
                      const std::string& call_id,
                      const std::function<Result<void>(store::PartyRecord&)>& change_fn) {
  auto found = gw.db->find_party(kind, id);
  if (!found) {
    return error_response(found.error(), call_id);
  }
  if (!found->has_value()) {
    return error_response(not_found(kind, id), call_id);
  }
  auto p = std::move(**found);
  if (auto ok = change_fn(p); !ok) {
    return error_response(ok.error(), call_id);
  }
  p.updated_at = gw.clock.unix_seconds();
  if (auto ok = gw.db->update_party(p); !ok) {
    return error_response(ok.error(), call_id);
  }
  forget(gw, kind, id);
  return json_response(200, party_json(p), call_id);
}

http::Response list(Gateway::Impl& gw, PartyKind kind, std::int64_t page, std::int64_t size,
                    const std::string& call_id) {
  auto listed = gw.db->list_parties(kind, page, size);
  if (!listed) {
    return error_response(listed.error(), call_id);
  }
  json items = json::array();
  for (const auto& p : listed->parties) {
    items.push_back(party_json(p));
  }
  if (kind != PartyKind::User) {
    return json_response(200, items, call_id);  // LiteLLM answers teams and customers as a list
  }
  return json_response(200,
                       {{"users", items},
                        {"total", listed->total},
                        {"page", page},
                        {"page_size", size},
                        {"total_pages", (listed->total + size - 1) / size}},
                       call_id);
}

Result<void> add_members(store::PartyRecord& team, const json& body) {
  json members = body.contains("member") ? body["member"] : json();
  if (members.is_object()) {
    members = json::array({members});
  }
  if (!members.is_array() || members.empty()) {
    return Error::invalid("member must be {user_id, role} or a list of them", "member");
  }
  for (const auto& m : members) {
    if (!m.is_object() || !m.contains("user_id") || !m["user_id"].is_string()) {
      return Error::invalid("each member needs a user_id", "member");
    }
    for (const auto& existing : team.members) {
      if (existing.value("user_id", "") == m["user_id"]) {
        return Error::invalid(
            "User " + m["user_id"].get<std::string>() + " is already a member of team " + team.id,
            "member");
      }
    }
    team.members.push_back({{"user_id", m["user_id"]}, {"role", m.value("role", "user")}});
  }
  return {};
}

// The party a row names ({party} in its pattern; /team/member_* rows name none) and the
// request's body.
struct PartyCall {
  PartyKind kind;
  json body;
};

std::optional<PartyCall> party_call(RequestContext& rc) {
  const auto kind =
      rc.arg.empty() ? std::optional(PartyKind::Team) : store::party_sql::party_kind_of(rc.arg);
  if (!kind) {
    rc.fail(Error::make(ErrorCode::Internal, "unrouted party request"));
    return std::nullopt;
  }
  auto body = rc.body_object();
  if (!body) {
    return std::nullopt;
  }
  return PartyCall{*kind, std::move(*body)};
}

using Edit = Result<void> (*)(PartyKind k, const std::string& id, const json& body,
                              std::int64_t now, store::PartyRecord& p);

// The party named by the body's id field, changed by `edit` on the blocking pool.
void edit_party(RequestContext& rc, Edit edit) {
  auto call = party_call(rc);
  if (!call) {
    return;
  }
  const PartyKind k = call->kind;
  const std::string id = string_field(call->body, party_id_field(k));
  if (id.empty()) {
    rc.fail(missing_id(k));
    return;
  }
  rc.gw.run_on_db(rc.responder, rc.call_id,
                  [&gw = rc.gw, k, id, body = std::move(call->body), edit, call_id = rc.call_id] {
                    return change(gw, k, id, call_id, [&](store::PartyRecord& p) {
                      return edit(k, id, body, gw.clock.unix_seconds(), p);
                    });
                  });
}

// Teams are named by team_id, customers by a user_ids list (LiteLLM's shapes).
void set_blocked(RequestContext& rc, bool blocked) {
  auto call = party_call(rc);
  if (!call) {
    return;
  }
  const PartyKind k = call->kind;
  std::vector<std::string> ids = string_list(call->body, "user_ids");
  if (const auto one = string_field(call->body, party_id_field(k)); !one.empty()) {
    ids.push_back(one);
  }
  if (ids.empty()) {
    rc.fail(missing_id(k));
    return;
  }
  rc.gw.run_on_db(rc.responder, rc.call_id, [&gw = rc.gw, k, ids, blocked, call_id = rc.call_id] {
    http::Response last;
    for (const auto& id : ids) {
      last = change(gw, k, id, call_id, [&](store::PartyRecord& p) {
        p.blocked = blocked;
        return Result<void>();
      });
      if (last.status != 200) {
        return last;
      }
    }
    return last;
  });
}

}  // namespace

void handle_party_new(RequestContext& rc) {
  auto call = party_call(rc);
  if (!call) {
    return;
  }
  rc.gw.run_on_db(rc.responder, rc.call_id,
                  [&gw = rc.gw, k = call->kind, body = std::move(call->body),
                   call_id = rc.call_id] { return create(gw, k, body, call_id); });
}

void handle_party_info(RequestContext& rc) {
  auto call = party_call(rc);
  if (!call) {
    return;
  }
  const PartyKind k = call->kind;
  const std::string id_param =
      k == PartyKind::Customer ? "end_user_id" : std::string(party_id_field(k));
  std::string id = query_param(rc.req, id_param);
  if (id.empty()) {
    id = query_param(rc.req, party_id_field(k));
  }
  if (id.empty()) {
    rc.fail(missing_id(k));
    return;
  }
  rc.gw.run_on_db(rc.responder, rc.call_id,
                  [&gw = rc.gw, k, id, call_id = rc.call_id] { return info(gw, k, id, call_id); });
}

void handle_party_update(RequestContext& rc) {
  edit_party(rc, [](PartyKind k, const std::string&, const json& body, std::int64_t now,
                    store::PartyRecord& p) {
    json changes = body;
    changes.erase(party_id_field(k));
    return apply_party_fields(changes, p, now);
  });
}

void handle_team_member_add(RequestContext& rc) {
  edit_party(rc, [](PartyKind, const std::string&, const json& body, std::int64_t,
                    store::PartyRecord& p) { return add_members(p, body); });
}

void handle_team_member_delete(RequestContext& rc) {
  edit_party(rc,
             [](PartyKind, const std::string& id, const json& body, std::int64_t,
                store::PartyRecord& p) -> Result<void> {
               const std::string user = string_field(body, "user_id");
               json kept = json::array();
               for (const auto& member : p.members) {
                 if (member.value("user_id", "") != user) {
                   kept.push_back(member);
                 }
               }
               if (kept.size() == p.members.size()) {
                 return Error::invalid("User " + user + " is not a member of team " + id,
                                       "user_id");
               }
               p.members = std::move(kept);
               return {};
             });
}

void handle_party_block(RequestContext& rc) {
  set_blocked(rc, true);
}

void handle_party_unblock(RequestContext& rc) {
  set_blocked(rc, false);
}

void handle_party_delete(RequestContext& rc) {
  auto call = party_call(rc);
  if (!call) {
    return;
  }
  const PartyKind k = call->kind;
  const char* field = k == PartyKind::Team ? "team_ids" : "user_ids";
  auto ids = string_list(call->body, field);
  if (ids.empty()) {
    rc.fail(Error::invalid(std::string(field) + " is required", field));
    return;
  }
  rc.gw.run_on_db(rc.responder, rc.call_id, [&gw = rc.gw, k, ids, call_id = rc.call_id] {
    auto deleted = gw.db->delete_parties(k, ids);
    if (!deleted) {
      return error_response(deleted.error(), call_id);
    }
    for (const auto& id : ids) {
      forget(gw, k, id);
    }
    if (*deleted < static_cast<std::int64_t>(ids.size())) {
      return error_response(not_found(k, "(one of those named)"), call_id);
    }
    return json_response(200, {{"deleted", ids}}, call_id);
  });
}

void handle_party_list(RequestContext& rc) {
  auto call = party_call(rc);
  if (!call) {
    return;
  }
  const auto page = query_number(rc.req, "page", 1);
  const auto size = query_number(rc.req, "page_size", 25);
  if (page < 1 || size < 1 || size > 100) {
    rc.fail(Error::invalid("page must be 1 or more and page_size from 1 to 100", "page_size"));
    return;
  }
  rc.gw.run_on_db(rc.responder, rc.call_id,
                  [&gw = rc.gw, k = call->kind, page, size, call_id = rc.call_id] {
                    return list(gw, k, page, size, call_id);
                  });
}

}  // namespace litellm::server
