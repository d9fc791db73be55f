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
};

void add_serve_flags(CLI::App& app, ServeFlags& flags);
// Replaces this process with litellmd (found next to this binary, else on PATH). Returns only on
// failure, with an exit code.
int exec_daemon(const char* argv0, const ServeFlags& flags);

}  // namespace litellm::cli
