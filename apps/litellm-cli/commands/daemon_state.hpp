#pragma once

#include <optional>
#include <string>

namespace litellm::cli {

// What litellmd writes to <state dir>/litellmd.json while it runs.
struct DaemonState {
  long pid = 0;
  std::string url;
  std::string config;
  std::string version;
};

// The XDG state directory ($LITELLM_HOME/state when set).
std::string state_dir();
std::string state_path();
// The running daemon's state, or nullopt when there is none (no file, or its process is gone).
std::optional<DaemonState> read_state();

}  // namespace litellm::cli
