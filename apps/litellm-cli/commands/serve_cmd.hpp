#pragma once

#include <string>

#include <CLI/CLI.hpp>

namespace litellm::cli {

struct ServeFlags {
  std::string config;
  std::string model;
  std::string host;
  int port = -1;
  int num_workers = 0;
  bool detailed_debug = false;
  bool detach = false;
};

void add_serve_flags(CLI::App& app, ServeFlags& flags);
// Replaces this process with litellmd (found next to this binary, else on PATH). Returns only on
// failure, with an exit code. With flags.detach it starts litellmd in the background instead
// (own session, output to the log file in the state directory), waits until it listens, and
// returns 0.
int exec_daemon(const ServeFlags& flags);
// `litellm logs [-f] [-n N]`: the detached daemon's log.
int logs_command(bool follow, int lines);

}  // namespace litellm::cli
