// `litellm ollama sync`: the config's Ollama deployments brought in line with the server.
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>

#include "client/ollama_client.hpp"
#include "commands/control_cmd.hpp"
#include "commands/daemon_state.hpp"
#include "commands/ollama_cmd.hpp"
#include "config/env_resolver.hpp"
#include "config/ollama_sync.hpp"
#include "core/unified_diff.hpp"
#include "ui/table.hpp"

namespace litellm::cli {

extern const char* const kOllamaCatalogue;

namespace {

constexpr int kExitFailed = 1;
constexpr int kExitUsage = 2;
constexpr int kExitUnavailable = 3;

namespace fs = std::filesystem;

// Embedding models: by the catalogue's category, else by the families Ollama reports for them.
bool is_embedding(const nlohmann::json& model) {
  const std::string name = model.value("name", "");
  const std::string base = name.substr(0, name.find(':'));
  static const auto kCatalogue = nlohmann::json::parse(kOllamaCatalogue);
  for (const auto& m : kCatalogue["models"]) {
    if (m.value("name", "") == base) {
      const auto& cats = m["categories"];
      return std::find(cats.begin(), cats.end(), "embedding") != cats.end();
    }
  }
  const auto details = model.value("details", nlohmann::json::object());
  const std::string family = details.value("family", "");
  return family == "bert" || family == "nomic-bert";
}

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// Writes beside the target and renames over it, so a crash leaves the old file or the new one.
bool write_atomically(const std::string& path, const std::string& text, fs::perms perms) {
  const std::string tmp = path + ".tmp-" + std::to_string(getpid());
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    out << text;
    out.flush();
    if (!out) {
      fs::remove(tmp);
      return false;
    }
  }
  std::error_code ec;
  fs::permissions(tmp, perms, ec);
  fs::rename(tmp, path, ec);
  if (ec) {
    fs::remove(tmp);
    return false;
  }
  return true;
}

std::string backup_path(const std::string& path) {
  const auto now = std::time(nullptr);
  std::tm tm{};
  localtime_r(&now, &tm);
  char stamp[32];
  std::strftime(stamp, sizeof stamp, "%Y%m%d-%H%M%S", &tm);
  std::string candidate = path + "." + stamp + ".bak";
  for (int n = 2; fs::exists(candidate); ++n) {
    candidate = path + "." + stamp + "-" + std::to_string(n) + ".bak";
  }
  return candidate;
}

void print_diff(const std::string& diff, bool color) {
  std::istringstream lines(diff);
  std::string line;
  while (std::getline(lines, line)) {
    const char* code = nullptr;
    if (color && !line.empty()) {
      code = line.rfind("---", 0) == 0 || line.rfind("+++", 0) == 0 ? "\033[1m"
             : line[0] == '@'                                       ? "\033[36m"
             : line[0] == '-'                                       ? "\033[31m"
             : line[0] == '+'                                       ? "\033[32m"
                                                                    : nullptr;
    }
    std::cout << (code != nullptr ? code + line + "\033[0m" : line) << "\n";
  }
}

// The file to sync: --config, else the running daemon's, else ./config.yaml.
std::string config_to_sync(const std::string& flag) {
  if (!flag.empty()) {
    return flag;
  }
  if (const auto state = read_state(); state && !state->config.empty()) {
    return state->config;
  }
  return "config.yaml";
}

std::string plural(std::size_t n, const char* one, const char* many) {
  return std::to_string(n) + " " + (n == 1 ? one : many);
}

}  // namespace

int ollama_sync(const OllamaFlags& flags, const std::string& config_flag, bool dry_run) {
  const std::string path = config_to_sync(config_flag);
  std::error_code ec;
  if (!fs::is_regular_file(path, ec)) {
    std::cerr << "litellm: no config file at " << path
              << ". Pass --config FILE, or write one with: litellm config init > config.yaml\n";
    return kExitUsage;
  }
  auto env = config::EnvResolver::from_process();
  const client::OllamaClient ollama(
      client::ollama_base_url(flags.url, env.get("OLLAMA_HOST").value_or("")));
  const auto tags = ollama.tags();
  if (!tags) {
    std::cerr << "litellm: " << tags.error().message << "\n";
    return tags.error().code == ErrorCode::UpstreamUnavailable ? kExitUnavailable : kExitFailed;
  }
  std::vector<config::InstalledModel> installed;
  for (const auto& m : tags->value("models", nlohmann::json::array())) {
    installed.push_back({m.value("name", m.value("model", "")), is_embedding(m)});
  }
  const std::string before = read_file(path);
  const auto plan = config::plan_ollama_sync(before, path, installed, ollama.base_url(), env);
  if (!plan) {
    std::cerr << "litellm: " << plan.error().message << "\n";
    return kExitFailed;
  }
  if (!plan->changed()) {
    (dry_run ? std::cerr : std::cout)
        << path << " already serves the " << plural(installed.size(), "model", "models")
        << " installed on " << ollama.base_url() << "; nothing to change\n";
    return 0;
  }
  print_diff(core::unified_diff(before, plan->text, path, path + " (synced)"),
             use_color(STDOUT_FILENO));
  if (dry_run) {
    return 0;
  }
  const auto perms = fs::status(path, ec).permissions();
  const std::string backup = backup_path(path);
  if (!write_atomically(backup, before, perms)) {
    std::cerr << "litellm: cannot write the backup " << backup << "; " << path << " is unchanged\n";
    return kExitFailed;
  }
  if (!write_atomically(path, plan->text, perms)) {
    std::cerr << "litellm: cannot write " << path << "; it is unchanged\n";
    return kExitFailed;
  }
  std::cout << "\nwrote " << path << ": " << plan->added.size() << " added, "
            << plan->removed.size() << " removed";
  if (!plan->aliases_removed.empty()) {
    std::cout << ", " << plural(plan->aliases_removed.size(), "alias", "aliases") << " removed";
  }
  std::cout << " (backup: " << backup << ")\n";

  const auto state = read_state();
  if (!state) {
    std::cout << "no daemon is running; the changes apply when one starts\n";
    return 0;
  }
  if (fs::weakly_canonical(state->config, ec) != fs::weakly_canonical(path, ec)) {
    std::cout << "the running daemon serves " << state->config << ", not " << path
              << "; it was not reloaded\n";
    return 0;
  }
  return reload_daemon(*state);
}

}  // namespace litellm::cli
