// Who is calling: the master key, or a virtual key from the key cache or (off the io thread)
// the database. Then the route's access, from its row.
#include "auth/api_key.hpp"
#include "server/error_response.hpp"
#include "server/gateway_state.hpp"
#include "server/request_context.hpp"
#include "server/route_table.hpp"

namespace litellm::server {

namespace {

void run_route(RequestContext& rc, const RouteSpec& row) {
  if (row.access == Access::Admin && !rc.caller.admin) {
    rc.fail(
        Error::make(ErrorCode::PermissionDenied, "Only the proxy admin (the master key) can call " +
                                                     rc.req.path + "; this virtual key cannot."));
    return;
  }
  row.handle(rc);
}

// A cached key whose budget period (its own, its user's or its team's) has ended: the row the
// spend writer resets must be read again.
bool period_over(const auth::KeyEntry& e, std::int64_t now) {
  const auto over = [now](const std::optional<std::int64_t>& at) {
    return at && *at <= now;
  };
  return over(e.key.budget_reset_at) || (e.user && over(e.user->record.budget_reset_at)) ||
         (e.team && over(e.team->record.budget_reset_at));
}

}  // namespace

void Gateway::Impl::authenticate(RequestContext rc, const RouteSpec& row) {
  auto cred = auth::classify_key(rc.req.headers, rc.snap->config.master_key);
  if (!cred) {
    rc.fail(cred.error());
    return;
  }
  if (cred->admin) {
    rc.caller = Caller::proxy_admin();
    run_route(rc, row);
    return;
  }
  if (!db) {
    rc.fail(auth::unknown_virtual_key(cred->virtual_key));
    return;
  }
  std::string token = auth::hash_key(cred->virtual_key);
  bool refresh_due = false;
  auto cached = key_cache.get(token, &refresh_due);
  if (refresh_due) {
    // A busy pool just means the next caller past the TTL tries again.
    (void)blocking->post([this, token] {
      if (auto fresh = read_key(token); fresh && fresh->has_value()) {
        key_cache.put(token, std::make_shared<const auth::KeyEntry>(std::move(**fresh)));
      } else if (fresh) {
        key_cache.erase(token);  // deleted on another replica
      }
    });
  }
  if (cached && period_over(**cached, clock.unix_seconds())) {
    cached.reset();
  }
  if (cached) {
    rc.caller = Caller::of(*cached);
    run_route(rc, row);
    return;
  }
  const std::string call_id = rc.call_id;
  const auto responder = rc.responder;
  const bool queued = blocking->post([this, rc = std::move(rc), &row, token = std::move(token),
                                      key = cred->virtual_key]() mutable {
    auto found = read_key(token);
    if (!found) {
      rc.fail(found.error());
      return;
    }
    if (!found->has_value()) {
      rc.fail(auth::unknown_virtual_key(key));
      return;
    }
    auto entry = std::make_shared<const auth::KeyEntry>(std::move(**found));
    key_cache.put(token, entry);
    rc.caller = Caller::of(entry);
    run_route(rc, row);
  });
  if (!queued) {
    responder.reply(http::Reply{
        error_response(
            Error::make(ErrorCode::Storage, "the key database (" + db->describe() +
                                                ") is not keeping up; try again shortly"),
            call_id),
        nullptr});
  }
}

}  // namespace litellm::server
