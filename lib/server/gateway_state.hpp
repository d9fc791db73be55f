#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>

#include "auth/limit_counters.hpp"
#include "auth/shared_limit_counters.hpp"
#include "auth/virtual_keys.hpp"
#include "config/config.hpp"
#include "config/env_resolver.hpp"
#include "core/clock.hpp"
#include "core/ip_network.hpp"
#include "core/logger.hpp"
#include "http/blocking_pool.hpp"
#include "http/event_loops.hpp"
#include "http/server_front.hpp"
#include "http/upstream_pool.hpp"
#include "providers/registry.hpp"
#include "redis/redis_client.hpp"
#include "router/executor.hpp"
#include "router/model_table.hpp"
#include "server/gateway.hpp"
#include "spend/ledger.hpp"
#include "spend/price_table.hpp"
#include "spend/spend_writer.hpp"
#include "store/store.hpp"

namespace litellm::server {

struct RequestContext;
struct RouteSpec;

// One config and the deployments built from it. Immutable; a request takes the current one at
// entry and keeps it to the end, so a reload never changes a request half-way.
struct Snapshot {
  config::Config config;
  std::shared_ptr<const router::ModelTable> table;
  // Each deployment's prices and limits: the price table's entry with the config's overrides.
  std::unordered_map<const router::Deployment*, spend::ModelPrice> prices;
  std::uint64_t generation = 1;
  std::vector<core::IpNetwork> allowed_ips;  // general_settings, parsed
  std::vector<core::IpNetwork> blocked_ips;

  const spend::ModelPrice& price_of(const router::Deployment& d) const;
  // general_settings.blocked_ips, then allowed_ips (empty allows all).
  bool ip_allowed(std::string_view ip) const;
  // The client's address (the first X-Forwarded-For hop with use_x_forwarded_for), refused by
  // those lists: why; nullopt when allowed.
  std::optional<Error> refuse_ip(const http::Request& req) const;
};

// A deployment's output token limit: model_info, else the price table (ModelTable::build's
// OutputLimit).
std::optional<std::int64_t> output_limit_of(const config::DeploymentConfig& d);

// Builds the snapshot for a config whose table is already built.
std::shared_ptr<Snapshot> make_snapshot(config::Config config,
                                        std::shared_ptr<const router::ModelTable> table);

// Who is calling: the proxy admin (the master key, or anyone when there is none) or a virtual key.
struct Caller {
  bool admin = false;
  // Shared with the key cache's entry: the hot path copies no key.
  std::shared_ptr<const store::KeyRecord> key;
  double spend_mark = 0;  // the ledger's mark `key` was read with: see spend::SpendLedger
  std::optional<auth::PartyEntry> user;  // the key's user_id and team_id, when they exist
  std::optional<auth::PartyEntry> team;
  std::optional<auth::PartyEntry> customer;  // the request's `user`, when it exists
  bool customer_checked = false;             // customer looked up (found or not)

  static Caller proxy_admin() { return Caller{true, {}, 0, {}, {}, {}, false}; }
  static Caller of(const std::shared_ptr<const auth::KeyEntry>& e) {
    return Caller{false,         std::shared_ptr<const store::KeyRecord>(e, &e->key),
                  e->spend_mark, e->user,
                  e->team,       {},
                  false};
  }
};

// What every handler needs from the gateway. Private to lib/server.
struct Gateway::Impl {
  Impl(config::Config cfg, config::EnvResolver env_in, GatewayOptions opts, core::Logger& log);
  ~Impl();
  Impl(const Impl&) = delete;
  Impl& operator=(const Impl&) = delete;

  config::Config initial_config;  // until start() builds the first snapshot
  config::EnvResolver env;
  GatewayOptions options;
  core::Logger& logger;
  const core::Clock& clock;
  providers::Registry registry;
  // Accounting outlives the loops and the upstream pool below: calls those still hold settle
  // into it while they are torn down.
  spend::SpendLedger ledger;
  auth::LimitCounters limits;
  // With Redis configured (router_settings.redis_*): the connection, and the rate-limit counters
  // every replica shares (the process's own `limits` stand in while Redis is down).
  std::unique_ptr<redis::RedisClient> redis;
  std::unique_ptr<auth::SharedLimitCounters> shared_limits;
  auth::KeyCache key_cache;
  auth::PartyCache party_cache;  // customers
  // Other replicas' key and party changes, heard through Redis: drops what they changed.
  std::unique_ptr<redis::RedisSubscriber> invalidations;
  const std::string instance_id;  // tells this process's own Redis messages from others'
  // Keys and spend: null when no database could be opened (master-key traffic still flows).
  std::unique_ptr<store::Database> db;
  std::string db_unavailable;                  // why, when db is null
  double global_spend_base = 0;                // all spend in the database when it was opened
  std::unique_ptr<spend::SpendWriter> writer;  // with db
  // Destroyed in reverse: the pool (its sockets and timers live on the loops) and the front go
  // before the loops; answers the pool's destructor still posts land on stopped loops.
  http::EventLoops loops;
  std::unique_ptr<http::ServerFront> front;
  http::UpstreamPool pool;
  router::Executor executor;
  // Database calls run here, never on an io thread. Declared last: destroyed (drained) first.
  std::unique_ptr<http::BlockingPool> blocking;
  std::shared_ptr<const Snapshot> current;  // swapped whole on reload (atomic_load/store)
  std::chrono::system_clock::time_point started_at = std::chrono::system_clock::now();
  std::atomic<std::uint64_t> requests{0};
  std::mutex reload_mu;
  std::string last_reload_error;  // guarded by reload_mu

  std::shared_ptr<const Snapshot> snapshot() const { return std::atomic_load(&current); }
  // Every request: call id, the IP lists, its route, then (unless the route is public) who
  // calls, and its handler.
  void handle(http::Request& req, const http::Responder& responder);
  // Finds the caller (authenticate.cpp) and runs the route once its access allows it: on this
  // thread when the key is cached, on a blocking-pool thread after reading it otherwise.
  void authenticate(RequestContext rc, const RouteSpec& row);
  void open_store();
  // Redis for state shared with other replicas, when the config names one.
  void open_redis();
  // A key, party or every key changed: drops them from this process's caches and, through
  // Redis, from every other replica's. May block on Redis: blocking-pool or background threads.
  void forget_keys(const std::vector<std::string>& tokens);
  void forget_all_keys();
  void forget_party(const std::string& entity);
  // Budgets the spend writer reset (spend::entity_of names): their cached rows are stale.
  void forget_reset(const std::vector<std::string>& entities);
  // The spend writer added to these entities' totals: other replicas read them again.
  void tell_spent(const std::vector<std::string>& entities);
  // Where a call's rate limits are counted: shared in Redis when configured, else here.
  // `done` runs at once (in-process counters, or Redis down) or on the shared limits' thread.
  void acquire_limits(std::vector<auth::LimitSpec> specs, std::int64_t estimated_tokens,
                      std::function<void(auth::Admission)> done);
  void release_limits(const auth::LimitTicket& ticket, std::int64_t tokens_used);
  // Runs `work` (database calls) on the blocking pool and replies with its answer; a 503 naming
  // why when there is no database or the pool is full.
  void run_on_db(const http::Responder& responder, const std::string& call_id,
                 std::function<http::Response()> work);
  // A key's row, its user's and its team's, each with its ledger mark (on a blocking-pool
  // thread). nullopt: no such key.
  Result<std::optional<auth::KeyEntry>> read_key(const std::string& token);
  // A user, team or customer with its ledger mark (blocking-pool thread). nullopt: none.
  Result<std::optional<auth::PartyEntry>> read_party(store::PartyKind kind, const std::string& id);
  // A key's spend now, finished calls not yet written included.
  double spend_of(const store::KeyRecord& key, double mark) const {
    return key.spend + ledger.since(spend::key_entity(key.token), mark);
  }
};

// One query parameter of the request, percent-decoded; empty when absent.
std::string query_param(const http::Request& req, std::string_view name);
// A whole-number query parameter: `fallback` when absent, -1 when not a number.
std::int64_t query_number(const http::Request& req, std::string_view name, std::int64_t fallback);

// Whether a virtual key may use the model group it asked for (blocked, expired at `now` in
// unix seconds, allow-list).
Result<void> check_key_access(const store::KeyRecord& key, const std::string& model_group,
                              std::int64_t now);
// The same for the key's team and the request's customer (blocked, team allow-list).
Result<void> check_party_access(const Caller& caller, const std::string& model_group);
// Headers every response carries.
void add_common_headers(core::Headers& headers, const std::string& call_id);
http::Response json_response(int status, const nlohmann::json& body, const std::string& call_id);

}  // namespace litellm::server
