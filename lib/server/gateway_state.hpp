#pragma once

#include <atomic>
#include <chrono>
#include <memory>
#include <string>

#include "config/config.hpp"
#include "config/env_resolver.hpp"
#include "core/logger.hpp"
#include "http/event_loops.hpp"
#include "http/server_front.hpp"
#include "http/upstream_pool.hpp"
#include "providers/registry.hpp"
#include "router/executor.hpp"
#include "router/model_table.hpp"
#include "server/gateway.hpp"

namespace litellm::server {

// What every handler needs from the gateway. Private to lib/server.
struct Gateway::Impl {
  Impl(config::Config cfg, config::EnvResolver env_in, GatewayOptions opts, core::Logger& log);

  config::Config config;
  config::EnvResolver env;
  GatewayOptions options;
  core::Logger& logger;
  providers::Registry registry;
  // Destroyed in reverse: the pool (its sockets and timers live on the loops) and the front go
  // before the loops; answers the pool's destructor still posts land on stopped loops.
  http::EventLoops loops;
  std::unique_ptr<http::ServerFront> front;
  http::UpstreamPool pool;
  router::Executor executor;
  std::shared_ptr<const router::ModelTable> table;  // swapped whole on reload (atomic_load)

  std::shared_ptr<const router::ModelTable> snapshot() const { return std::atomic_load(&table); }
  void handle(http::Request& req, const http::Responder& responder);
};

// Handlers, one file each. `call_id` is this request's x-litellm-call-id.
void handle_llm(Gateway::Impl& gw, CallKind kind, const std::string& model_from_path,
                http::Request& req, const http::Responder& responder, const std::string& call_id);
http::Response handle_list_models(Gateway::Impl& gw, const std::string& call_id);
http::Response handle_get_model(Gateway::Impl& gw, const std::string& id,
                                const std::string& call_id);
void handle_health(Gateway::Impl& gw, const http::Request& req, const http::Responder& responder,
                   const std::string& call_id);
http::Response handle_readiness(Gateway::Impl& gw, const std::string& call_id);

// Headers every response carries.
void add_common_headers(core::Headers& headers, const std::string& call_id);
http::Response json_response(int status, const nlohmann::json& body, const std::string& call_id);

}  // namespace litellm::server
