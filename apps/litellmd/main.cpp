#include <pthread.h>
#include <signal.h>
#include <unistd.h>

#include <ctime>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <string>
#include <thread>

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include "litellm/version.hpp"

#include "config/loader.hpp"
#include "config/paths.hpp"
#include "core/logger.hpp"
#include "server/gateway.hpp"

namespace {

constexpr auto kShutdownGrace = std::chrono::seconds(20);

struct Flags {
  std::string config_path;
  std::string model;
  std::string host = "127.0.0.1";
  int port = 4000;
  int num_workers = 0;
  bool detailed_debug = false;
};

// SIGHUP: re-read the config file and swap it in; a config that does not load or build is
// refused with its file:line and the old one keeps serving.
void reload(const Flags& flags, litellm::server::Gateway& gateway, litellm::core::Logger& logger) {
  if (flags.config_path.empty()) {
    logger.warn("SIGHUP: nothing to reload (started with --model, not --config)");
    return;
  }
  auto env = litellm::config::EnvResolver::from_process();
  auto cfg = litellm::config::load_file(flags.config_path, env);
  if (!cfg) {
    gateway.reload_failed(cfg.error());
    logger.error("reload refused, still serving the previous config: " + cfg.error().message);
    return;
  }
  for (const auto& w : cfg->warnings) {
    logger.warn(w);
  }
  auto generation = gateway.reload(std::move(*cfg));
  if (!generation) {
    logger.error("reload refused, still serving the previous config: " +
                 generation.error().message);
    return;
  }
  logger.info("reloaded " + flags.config_path + " (config generation " +
              std::to_string(*generation) + ")");
}

// Where `litellm status|stop|reload` find this daemon. Best effort: a read-only state directory
// costs those commands, not the gateway.
std::string write_state(const std::string& dir, const std::string& host, std::uint16_t port,
                        const Flags& flags, litellm::core::Logger& logger) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  std::string path = dir + "/litellmd.json";
  const std::string tmp = path + ".tmp";
  nlohmann::json state = {
      {"pid", static_cast<long>(getpid())},
      {"url", "http://" + (host == "0.0.0.0" ? std::string("127.0.0.1") : host) + ":" +
                  std::to_string(port)},
      {"config", flags.config_path.empty()
                     ? std::string()
                     : std::filesystem::absolute(flags.config_path, ec).string()},
      {"version", litellm::kVersion},
      {"started_at", static_cast<long long>(std::time(nullptr))}};
  std::ofstream(tmp, std::ios::trunc) << state.dump() << "\n";
  std::filesystem::rename(tmp, path, ec);
  if (ec) {
    logger.warn("cannot write " + path + ": " + ec.message() +
                " (litellm status/stop/reload will need --base-url)");
    return {};
  }
  return path;
}

int run(const Flags& flags, bool host_given, bool port_given) {
  auto env = litellm::config::EnvResolver::from_process();
  litellm::core::StreamLogger logger(std::cerr, flags.detailed_debug
                                                    ? litellm::core::LogLevel::Debug
                                                    : litellm::core::LogLevel::Info);
  litellm::config::Config cfg;
  if (!flags.config_path.empty()) {
    auto loaded = litellm::config::load_file(flags.config_path, env);
    if (!loaded) {
      std::cerr << "litellmd: config error: " << loaded.error().message << "\n";
      return 2;
    }
    cfg = std::move(*loaded);
  } else if (!flags.model.empty()) {
    cfg = litellm::config::single_model(flags.model);
    if (auto k = env.get("LITELLM_MASTER_KEY"); k && !k->empty()) {
      cfg.master_key = litellm::core::Secret(*k);
    }
  } else {
    std::cerr << "litellmd: nothing to serve: pass --config config.yaml or --model "
                 "provider/model (try --model mock/echo)\n";
    return 2;
  }
  for (const auto& w : cfg.warnings) {
    logger.warn(w);
  }
  const auto paths = litellm::config::resolve_paths(env);
  logger.debug("data directory: " + paths.data_dir + ", state directory: " + paths.state_dir);
  litellm::server::GatewayOptions options;
  options.data_dir = paths.data_dir;
  options.host = flags.host;
  if (!host_given) {
    if (auto h = env.get("HOST"); h && !h->empty()) {
      options.host = *h;
    }
  }
  options.port = static_cast<std::uint16_t>(flags.port);
  if (!port_given) {
    if (auto p = env.get("PORT"); p && !p->empty()) {
      options.port = static_cast<std::uint16_t>(std::stoi(*p));
    }
  }
  options.io_threads = flags.num_workers > 0
                           ? flags.num_workers
                           : static_cast<int>(std::max(1U, std::thread::hardware_concurrency()));

  // Signals are taken by one thread with sigwait; every other thread inherits the mask.
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  sigaddset(&set, SIGHUP);
  sigaddset(&set, SIGUSR1);
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
  signal(SIGPIPE, SIG_IGN);

  const bool has_master_key = !cfg.master_key.empty();
  litellm::server::Gateway gateway(std::move(cfg), std::move(env), options, logger);
  auto port = gateway.start();
  if (!port) {
    std::cerr << "litellmd: " << port.error().message << "\n";
    return 2;
  }
  if (!has_master_key) {
    logger.warn(
        "no master_key set (general_settings.master_key or LITELLM_MASTER_KEY): the proxy "
        "is OPEN, every request is admitted without a key");
  }
  if (options.host == "0.0.0.0" || options.host == "::") {
    logger.warn("listening on all interfaces (" + options.host +
                "): anyone who can reach this machine can use the configured provider keys");
  }
  std::cout << "litellmd: listening on http://" << options.host << ":" << *port << std::endl;
  const std::string state_file = write_state(paths.state_dir, options.host, *port, flags, logger);

  std::thread signals([&] {
    for (;;) {
      int sig = 0;
      sigwait(&set, &sig);
      if (sig == SIGHUP) {
        reload(flags, gateway, logger);
        continue;
      }
      if (sig == SIGINT || sig == SIGTERM) {
        logger.info("shutting down: finishing requests in flight");
        gateway.stop(kShutdownGrace);
      }
      return;  // SIGUSR1: the server stopped on its own
    }
  });
  gateway.run();
  pthread_kill(signals.native_handle(), SIGUSR1);
  signals.join();
  if (!state_file.empty()) {
    std::error_code ec;
    std::filesystem::remove(state_file, ec);
  }
  logger.info("stopped");
  return 0;
}

}  // namespace

namespace {

int parse_and_run(int argc, char** argv) {
  CLI::App app{"litellmd - the litellm-cpp gateway daemon (OpenAI-compatible LLM proxy)"};
  Flags flags;
  app.add_option("--config,-c", flags.config_path, "LiteLLM config.yaml to serve");
  app.add_option("--model,-m", flags.model, "Serve one model with no config (e.g. ollama/llama3)");
  auto* host = app.add_option("--host", flags.host, "Address to listen on (default 127.0.0.1)");
  auto* port = app.add_option("--port,-p", flags.port, "Port to listen on; 0 picks a free one")
                   ->check(CLI::Range(0, 65535));
  app.add_option("--num_workers", flags.num_workers, "IO threads (default: one per core)")
      ->check(CLI::Range(1, 256));
  app.add_flag("--detailed_debug", flags.detailed_debug, "Log debug detail");
  app.set_version_flag("--version,-v", std::string("litellmd ") + litellm::kVersion +
                                           " (LiteLLM proxy API " + litellm::kCompatLiteLLMVersion +
                                           ")");
  CLI11_PARSE(app, argc, argv);
  return run(flags, host->count() > 0, port->count() > 0);
}

}  // namespace

int main(int argc, char** argv) {
  try {
    return parse_and_run(argc, argv);
  } catch (const std::exception& e) {
    std::cerr << "litellmd: fatal: " << e.what() << "\n";
    return 1;
  }
}
