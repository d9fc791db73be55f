#include "server/gateway.hpp"

#include <filesystem>

#include "litellm/version.hpp"

#include "config/loader.hpp"
#include "core/ids.hpp"
#include "server/error_response.hpp"
#include "server/gateway_state.hpp"
#include "server/request_context.hpp"
#include "server/route_table.hpp"
#include "store/postgres/pg_store.hpp"
#include "store/sqlite/sqlite_store.hpp"

namespace litellm::server {

namespace {

// SSL_VERIFY in the environment overrides litellm_settings.ssl_verify (false, or a CA bundle's
// path); with verification on and no bundle named there, SSL_CERT_FILE names one, as for
// Python's SSL. A bundle named in the config beats a machine-wide SSL_CERT_FILE.
http::UpstreamPoolOptions upstream_pool_options(const config::Config& cfg,
                                                const config::EnvResolver& env) {
  http::UpstreamPoolOptions o;
  o.verify_tls = cfg.ssl_verify;
  o.ca_file = cfg.ssl_ca_file;
  if (auto v = env.get("SSL_VERIFY"); v && !v->empty()) {
    // Environment flags are also written 0 / 1, which YAML does not read as booleans.
    const auto on = *v == "0"   ? std::optional(false)
                    : *v == "1" ? std::optional(true)
                                : config::parse_bool(*v);
    o.verify_tls = on.value_or(true);
    if (!on) {
      o.ca_file = *v;  // neither true nor false: a CA bundle's path
    }
  }
  if (auto f = env.get("SSL_CERT_FILE"); o.ca_file.empty() && f && !f->empty()) {
    o.ca_file = *f;
  }
  // libcurl reads these itself (and NO_PROXY with them); the built-in client speaks no proxy.
  for (const char* name : {"http_proxy", "HTTP_PROXY", "all_proxy", "ALL_PROXY"}) {
    if (auto v = env.get(name); v && !v->empty()) {
      o.direct_http = false;
    }
  }
  if (auto v = env.get("LITELLM_HTTP_CLIENT"); v && *v == "curl") {
    o.direct_http = false;
  }
  return o;
}

}  // namespace

Gateway::Impl::Impl(config::Config cfg, config::EnvResolver env_in, GatewayOptions opts,
                    core::Logger& log)
    : initial_config(std::move(cfg)),
      env(std::move(env_in)),
      options(std::move(opts)),
      logger(log),
      clock(options.clock != nullptr ? *options.clock : core::SystemClock::instance()),
      limits(clock),
      instance_id(core::new_uuid()),
      loops(std::max(1, options.io_threads)),
      pool(loops, upstream_pool_options(initial_config, env)),
      executor(pool, clock, core::SystemRandom::instance()),
      blocking(std::make_unique<http::BlockingPool>(2, 1024)) {}

Gateway::Impl::~Impl() {
  // Other replicas' messages are handled on the subscriber's thread with this object's members
  // (instance_id, the caches, the database): it stops before any of them goes.
  invalidations.reset();
  // Calls still waiting for their rate limits are answered while the executor and the loops
  // they continue on exist; the releases of calls torn down below still reach Redis.
  if (shared_limits) {
    shared_limits->stop_admitting();
  }
}

void add_common_headers(core::Headers& headers, const std::string& call_id) {
  headers.emplace_back("x-litellm-call-id", call_id);
  headers.emplace_back("x-litellm-version", kCompatLiteLLMVersion);
}

http::Response json_response(int status, const nlohmann::json& body, const std::string& call_id) {
  http::Response r;
  r.status = status;
  r.body = body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  add_common_headers(r.headers, call_id);
  return r;
}

void Gateway::Impl::handle(http::Request& req, const http::Responder& responder) {
  const std::string call_id = core::new_time_ordered_uuid();
  if (logger.enabled(core::LogLevel::Debug)) {
    // Method, path and id only: bodies and headers may carry prompts and keys.
    logger.debug(req.method + " " + req.path + " call_id=" + call_id + " from " + req.remote_ip);
  }
  const auto reply = [&](http::Response r) {
    responder.reply(http::Reply{std::move(r), nullptr});
  };
  if (req.error) {
    reply(error_response(*req.error, call_id));
    return;
  }
  auto snap = snapshot();  // once per request: every check and the handler see one config
  if (auto refused = snap->refuse_ip(req)) {
    reply(error_response(*refused, call_id));
    return;
  }
  RouteMatch m = match_route(req.method, req.path);
  if (m.row == nullptr && m.wrong_method) {
    auto r = error_response(
        Error::invalid("Method " + req.method + " is not allowed on " + req.path), call_id);
    r.status = 405;
    reply(std::move(r));
    return;
  }
  if (m.row == nullptr) {
    reply(error_response(
        Error{ErrorCode::NotFound, "Not Found: " + req.method + " " + req.path, {}, {}, 0, {}},
        call_id));
    return;
  }
  RequestContext rc{*this, req, responder, call_id, std::move(snap), Caller{}, std::move(m.arg)};
  if (m.row->access == Access::Public) {
    m.row->handle(rc);
    return;
  }
  requests.fetch_add(1, std::memory_order_relaxed);
  authenticate(std::move(rc), *m.row);
}

void Gateway::Impl::run_on_db(const http::Responder& responder, const std::string& call_id,
                              std::function<http::Response()> work) {
  if (!db) {
    responder.reply(http::Reply{
        error_response(
            Error::make(ErrorCode::Storage, "virtual keys are unavailable: " + db_unavailable),
            call_id),
        nullptr});
    return;
  }
  const bool queued = blocking->post([responder, work = std::move(work)] {
    responder.reply(http::Reply{work(), nullptr});
  });
  if (!queued) {
    responder.reply(http::Reply{
        error_response(Error::make(ErrorCode::Storage, "the key database is not keeping up"),
                       call_id),
        nullptr});
  }
}

Result<std::optional<auth::PartyEntry>> Gateway::Impl::read_party(store::PartyKind kind,
                                                                  const std::string& id) {
  return writer->consistent([&]() -> Result<std::optional<auth::PartyEntry>> {
    const double mark = ledger.flushed(spend::entity_of(store::holder_of(kind), id));
    auto found = db->find_party(kind, id);
    if (!found) {
      return found.error();
    }
    if (!found->has_value()) {
      return std::optional<auth::PartyEntry>();
    }
    return std::optional<auth::PartyEntry>(auth::PartyEntry{std::move(**found), mark});
  });
}

Result<std::optional<auth::KeyEntry>> Gateway::Impl::read_key(const std::string& token) {
  auto key = writer->consistent([&]() -> Result<std::optional<auth::KeyEntry>> {
    const double mark = ledger.flushed(spend::key_entity(token));
    auto found = db->find_key(token);
    if (!found) {
      return found.error();
    }
    if (!found->has_value()) {
      return std::optional<auth::KeyEntry>();
    }
    return std::optional<auth::KeyEntry>(auth::KeyEntry{std::move(**found), mark, {}, {}});
  });
  if (!key || !key->has_value()) {
    return key;
  }
  auto& entry = **key;
  for (auto [kind, id, into] :
       {std::tuple{store::PartyKind::User, entry.key.user_id, &entry.user},
        std::tuple{store::PartyKind::Team, entry.key.team_id, &entry.team}}) {
    if (!id) {
      continue;
    }
    auto party = read_party(kind, *id);
    if (!party) {
      return party.error();
    }
    *into = std::move(*party);
  }
  return key;
}

void Gateway::Impl::open_store() {
  std::string url = snapshot()->config.database_url;
  if (url.empty()) {
    url = env.get("DATABASE_URL").value_or("");
  }
  const auto progress = [this](const std::string& step) {
    logger.info(step);
  };
  if (url.rfind("postgres", 0) == 0) {
    auto opened = store::PgStore::open(url, progress);
    if (opened) {
      db = std::move(*opened);
    } else {
      // Not up yet, perhaps (containers start in any order): keys answer 503 until it is.
      logger.warn(opened.error().message +
                  "; virtual keys answer 503 until the database answers (the master key works)");
      db = store::PgStore::open_when_reachable(url, progress);
    }
  } else if (!url.empty()) {
    db_unavailable = "database_url must be a postgresql:// URL (leave it out for SQLite)";
  } else if (options.data_dir.empty()) {
    db_unavailable = "no data directory to keep the database in";
  } else {
    std::error_code ec;
    std::filesystem::create_directories(options.data_dir, ec);
    auto opened = store::SqliteStore::open(options.data_dir + "/litellm.db", progress);
    if (opened) {
      db = std::move(*opened);
    } else {
      db_unavailable = opened.error().message;
    }
  }
  if (!db) {
    logger.warn("virtual keys and spend logs are unavailable (" + db_unavailable +
                "); the master key still works");
    return;
  }
  if (auto total = db->total_spend({})) {
    global_spend_base = *total;
  }
  writer = std::make_unique<spend::SpendWriter>(
      *db, ledger, clock, logger, spend::SpendWriter::Options{},
      [this](const std::vector<std::string>& entities) { forget_reset(entities); },
      [this](const std::vector<std::string>& entities) { tell_spent(entities); });
  logger.info("virtual keys and spend: " + db->describe());
}

Gateway::Gateway(config::Config config, config::EnvResolver env, GatewayOptions options,
                 core::Logger& logger)
    : impl_(std::make_unique<Impl>(std::move(config), std::move(env), std::move(options), logger)) {
}

Gateway::~Gateway() = default;

Result<std::uint16_t> Gateway::start() {
  if (!upstream_pool_options(impl_->initial_config, impl_->env).verify_tls) {
    impl_->logger.warn(
        "upstream TLS certificates are not checked (ssl_verify / SSL_VERIFY is false): whoever "
        "sits between this proxy and a provider can read its keys and answers");
  }
  auto table = router::ModelTable::build(impl_->initial_config, impl_->registry, impl_->env,
                                         output_limit_of);
  if (!table) {
    return table.error();
  }
  auto first = make_snapshot(std::move(impl_->initial_config), std::move(*table));
  std::atomic_store(&impl_->current, std::shared_ptr<const Snapshot>(std::move(first)));
  impl_->open_store();
  impl_->open_redis();
  http::ServerOptions so;
  so.host = impl_->options.host;
  so.port = impl_->options.port;
  so.body_limit_bytes = impl_->snapshot()->config.max_request_size_bytes;
  impl_->front = std::make_unique<http::ServerFront>(
      so,
      [impl = impl_.get()](http::Request& req, const http::Responder& r) { impl->handle(req, r); },
      impl_->loops, impl_->logger);
  return impl_->front->listen();
}

void Gateway::run() {
  impl_->front->run();
}

Result<std::uint64_t> Gateway::reload(config::Config config) {
  std::lock_guard lock(impl_->reload_mu);
  auto table = router::ModelTable::build(config, impl_->registry, impl_->env, output_limit_of);
  if (!table) {
    impl_->last_reload_error = table.error().message;
    return table.error();
  }
  const auto old = impl_->snapshot();
  if (config.max_request_size_bytes != old->config.max_request_size_bytes) {
    impl_->logger.warn(
        "reload: general_settings.max_request_size_mb takes effect at the next restart");
  }
  if (config.ssl_verify != old->config.ssl_verify ||
      config.ssl_ca_file != old->config.ssl_ca_file) {
    impl_->logger.warn("reload: litellm_settings.ssl_verify takes effect at the next restart");
  }
  auto next = make_snapshot(std::move(config), std::move(*table));
  next->generation = old->generation + 1;
  const auto generation = next->generation;
  std::atomic_store(&impl_->current, std::shared_ptr<const Snapshot>(std::move(next)));
  impl_->last_reload_error.clear();
  return generation;
}

void Gateway::reload_failed(const Error& error) {
  std::lock_guard lock(impl_->reload_mu);
  impl_->last_reload_error = error.message;
}

void Gateway::stop(std::chrono::milliseconds grace) {
  if (impl_->front) {
    impl_->front->stop(grace);
  }
}

}  // namespace litellm::server
