#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>

#include "litellm/error.hpp"

#include "config/config.hpp"
#include "config/env_resolver.hpp"
#include "core/clock.hpp"
#include "core/logger.hpp"

namespace litellm::server {

struct GatewayOptions {
  std::string host = "127.0.0.1";
  std::uint16_t port = 4000;
  int io_threads = 1;
  // Where the SQLite database lives (litellm.db) unless database_url names another store.
  // Empty: no store, so virtual keys are unavailable.
  std::string data_dir;
  // Time for budgets, windows and spend rows; the system clock when null (tests pass theirs).
  const core::Clock* clock = nullptr;
};

// The daemon: wires config, providers, router, upstream pool and the HTTP front together and
// owns them. Built once in main. run() blocks; stop() may be called from any thread.
class Gateway {
 public:
  Gateway(config::Config config, config::EnvResolver env, GatewayOptions options,
          core::Logger& logger);
  ~Gateway();
  Gateway(const Gateway&) = delete;
  Gateway& operator=(const Gateway&) = delete;

  // Builds the model table (unknown providers fail here, with file:line) and binds the port.
  // Returns the bound port.
  Result<std::uint16_t> start();
  void run();
  void stop(std::chrono::milliseconds grace);
  // Swaps in a new config without dropping requests in flight (they finish on the old one).
  // Refuses a config whose deployments cannot be built (unknown provider): the old one keeps
  // serving. Returns the new config generation. Thread-safe.
  Result<std::uint64_t> reload(config::Config config);
  // Records a reload refused before it reached the gateway (a config file that did not load), so
  // /health/readiness can report it.
  void reload_failed(const Error& error);

  struct Impl;  // public only so handlers in lib/server can take it; defined in gateway_state.hpp

 private:
  std::unique_ptr<Impl> impl_;
};

}  // namespace litellm::server
