#include <pthread.h>
#include <signal.h>

#include <iostream>
#include <string>
#include <thread>

#include <CLI/CLI.hpp>

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
  // Nothing is stored yet; the directory is reported so operators know where state will live.
  logger.debug("data directory: " + litellm::config::resolve_paths(env).data_dir);
  litellm::server::GatewayOptions options;
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

  std::thread signals([&] {
    for (;;) {
      int sig = 0;
      sigwait(&set, &sig);
      if (sig == SIGHUP) {
        logger.warn("SIGHUP: config reload is not supported yet; still serving the old config");
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
  logger.info("stopped");
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
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
  try {
    return run(flags, host->count() > 0, port->count() > 0);
  } catch (const std::exception& e) {
    std::cerr << "litellmd: fatal: " << e.what() << "\n";
    return 1;
  }
}
