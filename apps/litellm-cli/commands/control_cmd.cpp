#include "commands/control_cmd.hpp"

#include <signal.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <iostream>
#include <iterator>
#include <optional>
#include <thread>

#include "commands/daemon_state.hpp"
#include "ui/table.hpp"

namespace litellm::cli {

namespace {

constexpr int kExitFailed = 1;
constexpr int kExitNoDaemon = 3;

int no_daemon() {
  std::cerr << "litellm: no litellm daemon is running (no live " << state_path()
            << "). Start one with: litellm serve --config config.yaml\n";
  return kExitNoDaemon;
}

std::string duration_text(long long secs) {
  if (secs < 60) {
    return std::to_string(secs) + "s";
  }
  if (secs < 3600) {
    return std::to_string(secs / 60) + "m" + std::to_string(secs % 60) + "s";
  }
  return std::to_string(secs / 3600) + "h" + std::to_string(secs % 3600 / 60) + "m";
}

}  // namespace

int status_command(const ConnectFlags& flags) {
  const auto state = read_state();
  ConnectFlags f = flags;
  if (f.base_url.empty() && state) {
    f.base_url = state->url;
  }
  client::DaemonClient daemon(resolve_endpoint(f));
  auto ready = daemon.get("/health/readiness");
  if (!ready) {
    if (flags.json) {
      std::cout << nlohmann::json{{"running", false}, {"url", daemon.endpoint().base_url}}.dump(2)
                << "\n";
    }
    return state ? (std::cerr << "litellm: " << ready.error().message << "\n", kExitFailed)
                 : no_daemon();
  }
  const auto& own = (*ready)["litellm_cpp"];
  nlohmann::json out = {{"running", true},
                        {"url", daemon.endpoint().base_url},
                        {"pid", state ? nlohmann::json(state->pid) : nlohmann::json(nullptr)},
                        {"config", state ? state->config : ""},
                        {"version", own.value("version", "")},
                        {"uptime_s", own.value("uptime_s", 0LL)},
                        {"requests", own.value("requests", 0LL)},
                        {"model_groups", own.value("model_groups", 0)},
                        {"deployments", own.value("deployments", 0)},
                        {"config_generation", own.value("config_generation", 0)},
                        {"last_reload_error", own.value("last_reload_error", nlohmann::json())}};
  if (flags.json) {
    std::cout << out.dump(2) << "\n";
    return 0;
  }
  Table table({"STATUS", "PID", "ADDRESS", "VERSION", "UPTIME", "MODELS", "REQUESTS"});
  table.add({"running", state ? std::to_string(state->pid) : "-", daemon.endpoint().base_url,
             out["version"].get<std::string>(), duration_text(out["uptime_s"].get<long long>()),
             std::to_string(out["model_groups"].get<int>()) + " groups / " +
                 std::to_string(out["deployments"].get<int>()) + " deployments",
             std::to_string(out["requests"].get<long long>())});
  table.print(std::cout, use_color(STDOUT_FILENO));
  if (!out["last_reload_error"].is_null()) {
    std::cout << "\nlast reload refused: " << out["last_reload_error"].get<std::string>() << "\n";
  }
  return 0;
}

int stop_command() {
  const auto state = read_state();
  if (!state) {
    return no_daemon();
  }
  const auto pid = static_cast<pid_t>(state->pid);
  kill(pid, SIGTERM);
  // The daemon finishes requests in flight (up to its 20 s grace) before it exits.
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while (read_state()) {
    if (std::chrono::steady_clock::now() > deadline) {
      std::cerr << "litellm: daemon " << pid << " did not stop within 30 s\n";
      return kExitFailed;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  std::cout << "stopped litellmd (pid " << pid << ")\n";
  return 0;
}

int reload_command() {
  const auto state = read_state();
  if (!state) {
    return no_daemon();
  }
  return reload_daemon(*state);
}

int reload_daemon(const DaemonState& state_ref) {
  const auto* state = &state_ref;
  ConnectFlags f;
  f.base_url = state->url;
  client::DaemonClient daemon(resolve_endpoint(f));
  const auto generation = [&]() -> nlohmann::json {
    auto r = daemon.get("/health/readiness");
    return r ? (*r)["litellm_cpp"] : nlohmann::json::object();
  };
  const auto before = generation().value("config_generation", 0);
  kill(static_cast<pid_t>(state->pid), SIGHUP);
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (std::chrono::steady_clock::now() < deadline) {
    const auto now = generation();
    if (now.value("config_generation", 0) > before) {
      std::cout << "reloaded " << state->config << " (config generation "
                << now.value("config_generation", 0) << ")\n";
      return 0;
    }
    if (now.contains("last_reload_error") && now["last_reload_error"].is_string()) {
      std::cerr << "litellm: reload refused, the daemon keeps serving the previous config: "
                << now["last_reload_error"].get<std::string>() << "\n";
      return kExitFailed;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  std::cerr << "litellm: the daemon did not report a reload within 10 s\n";
  return kExitFailed;
}

}  // namespace litellm::cli
