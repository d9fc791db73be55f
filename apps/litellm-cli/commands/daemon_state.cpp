#include "commands/daemon_state.hpp"

#include <signal.h>

#include <fstream>
#include <iterator>

#include <nlohmann/json.hpp>

#include "config/paths.hpp"

namespace litellm::cli {

namespace {

// A zombie (exited, not yet reaped by its parent) still answers kill(pid, 0): read its state.
bool alive(pid_t pid) {
  if (kill(pid, 0) != 0) {
    return false;
  }
  std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
  std::string text((std::istreambuf_iterator<char>(stat)), std::istreambuf_iterator<char>());
  const auto close = text.rfind(')');
  return close == std::string::npos || close + 2 >= text.size() || text[close + 2] != 'Z';
}

}  // namespace

std::string state_dir() {
  return config::resolve_paths(config::EnvResolver::from_process()).state_dir;
}

std::string state_path() {
  return state_dir() + "/litellmd.json";
}

std::optional<DaemonState> read_state() {
  std::ifstream in(state_path());
  if (!in) {
    return std::nullopt;
  }
  const auto j = nlohmann::json::parse(in, nullptr, false);
  if (j.is_discarded() || !j.is_object()) {
    return std::nullopt;
  }
  DaemonState s;
  s.pid = j.value("pid", 0L);
  s.url = j.value("url", "");
  s.config = j.value("config", "");
  s.version = j.value("version", "");
  if (s.pid <= 0 || !alive(static_cast<pid_t>(s.pid))) {
    return std::nullopt;  // stale: that daemon is gone
  }
  return s;
}

}  // namespace litellm::cli
