#include "commands/daemon_cmd.hpp"

#include <unistd.h>

#include <filesystem>
#include <iostream>

#include "commands/daemon_state.hpp"
#include "config/loader.hpp"
#include "ui/table.hpp"

namespace litellm::cli {

namespace {

constexpr int kExitRefused = 1;
constexpr int kExitNoDaemon = 3;

}  // namespace

int report_error(const Error& e) {
  std::cerr << "litellm: " << e.message << "\n";
  return e.code == ErrorCode::UpstreamUnavailable ? kExitNoDaemon : kExitRefused;
}

void add_connect_flags(CLI::App& app, ConnectFlags& flags) {
  app.add_option("--base-url", flags.base_url,
                 "Daemon URL (default: $LITELLM_BASE_URL, then http://127.0.0.1:4000)");
  app.add_option(
      "--api-key", flags.api_key,
      "Key to present (default: $LITELLM_API_KEY, $LITELLM_MASTER_KEY, the config's master_key)");
  app.add_option("--config,-c", flags.config,
                 "Config whose master_key to use (default ./config.yaml)");
  app.add_flag("--json", flags.json, "Print JSON for scripts instead of a table");
}

client::Endpoint resolve_endpoint(const ConnectFlags& flags) {
  auto env = config::EnvResolver::from_process();
  client::Endpoint e;
  if (!flags.base_url.empty()) {
    e.base_url = flags.base_url;
  } else if (auto v = env.get("LITELLM_BASE_URL"); v && !v->empty()) {
    e.base_url = *v;
  } else if (auto state = read_state(); state && !state->url.empty()) {
    e.base_url = state->url;  // the daemon `litellm start` left running
  }
  while (!e.base_url.empty() && e.base_url.back() == '/') {
    e.base_url.pop_back();
  }
  if (!flags.api_key.empty()) {
    e.api_key = flags.api_key;
    return e;
  }
  for (const char* name : {"LITELLM_API_KEY", "LITELLM_MASTER_KEY"}) {
    if (auto v = env.get(name); v && !v->empty()) {
      e.api_key = *v;
      return e;
    }
  }
  std::string path = flags.config;
  if (path.empty() && std::filesystem::exists("config.yaml")) {
    path = "config.yaml";
  }
  if (!path.empty()) {
    if (auto cfg = config::load_file(path, env)) {
      e.api_key = cfg->master_key.reveal();
    }
  }
  return e;
}

int models_command(const ConnectFlags& flags) {
  client::DaemonClient daemon(resolve_endpoint(flags));
  auto models = daemon.get("/v1/models");
  if (!models) {
    return report_error(models.error());
  }
  if (flags.json) {
    std::cout << models->dump(2) << "\n";
    return 0;
  }
  Table table({"MODEL", "OWNED BY"});
  for (const auto& m : (*models)["data"]) {
    table.add({m.value("id", ""), m.value("owned_by", "")});
  }
  if (table.empty()) {
    std::cout << "No models configured at " << daemon.endpoint().base_url << "\n";
    return 0;
  }
  table.print(std::cout, use_color(STDOUT_FILENO));
  return 0;
}

int health_command(const ConnectFlags& flags) {
  client::DaemonClient daemon(resolve_endpoint(flags));
  auto health = daemon.get("/health");
  if (!health) {
    return report_error(health.error());
  }
  if (flags.json) {
    std::cout << health->dump(2) << "\n";
    return 0;
  }
  const bool color = use_color(STDOUT_FILENO);
  Table table({"DEPLOYMENT", "API BASE", "STATUS", "ERROR"});
  const auto add = [&](const nlohmann::json& list, bool ok) {
    for (const auto& e : list) {
      std::string status = ok ? "healthy" : "unhealthy";
      if (color) {
        status.insert(0, ok ? "\033[32m" : "\033[31m");
        status += "\033[0m";
      }
      std::string error = e.value("error", "");
      if (error.size() > 80) {
        error = error.substr(0, 77) + "...";
      }
      table.add({e.value("model", ""), e.value("api_base", ""), status, error});
    }
  };
  add((*health)["healthy_endpoints"], true);
  add((*health)["unhealthy_endpoints"], false);
  table.print(std::cout, color);
  const int bad = (*health).value("unhealthy_count", 0);
  std::cout << "\n" << (*health).value("healthy_count", 0) << " healthy, " << bad << " unhealthy\n";
  return bad == 0 ? 0 : kExitRefused;
}

}  // namespace litellm::cli
