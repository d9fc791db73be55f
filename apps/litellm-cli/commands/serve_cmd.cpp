#include "commands/serve_cmd.hpp"

#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <iostream>
#include <vector>

namespace litellm::cli {

void add_serve_flags(CLI::App& app, ServeFlags& flags) {
  app.add_option("--config,-c", flags.config, "LiteLLM config.yaml to serve");
  app.add_option("--model,-m", flags.model, "Serve one model with no config (e.g. ollama/llama3)");
  app.add_option("--host", flags.host, "Address to listen on (default 127.0.0.1)");
  app.add_option("--port,-p", flags.port, "Port to listen on (default 4000; 0 picks a free one)")
      ->check(CLI::Range(0, 65535));
  app.add_option("--num_workers", flags.num_workers, "IO threads (default: one per core)")
      ->check(CLI::Range(1, 256));
  app.add_flag("--detailed_debug", flags.detailed_debug, "Log debug detail");
}

int exec_daemon(const char* argv0, const ServeFlags& flags) {
  std::vector<std::string> args;
  std::error_code ec;
  const auto self = std::filesystem::read_symlink("/proc/self/exe", ec);
  std::string daemon = "litellmd";
  if (!ec) {
    const auto sibling = self.parent_path() / "litellmd";
    if (std::filesystem::exists(sibling)) {
      daemon = sibling.string();
    }
  }
  (void)argv0;
  args.push_back(daemon);
  if (!flags.config.empty()) {
    args.insert(args.end(), {"--config", flags.config});
  }
  if (!flags.model.empty()) {
    args.insert(args.end(), {"--model", flags.model});
  }
  if (!flags.host.empty()) {
    args.insert(args.end(), {"--host", flags.host});
  }
  if (flags.port >= 0) {
    args.insert(args.end(), {"--port", std::to_string(flags.port)});
  }
  if (flags.num_workers > 0) {
    args.insert(args.end(), {"--num_workers", std::to_string(flags.num_workers)});
  }
  if (flags.detailed_debug) {
    args.emplace_back("--detailed_debug");
  }
  std::vector<char*> argv;
  for (auto& a : args) {
    argv.push_back(a.data());
  }
  argv.push_back(nullptr);
  execvp(argv[0], argv.data());
  std::cerr << "litellm: cannot start " << daemon << ": " << std::strerror(errno)
            << " (install litellmd next to litellm or on PATH)\n";
  return 127;
}

}  // namespace litellm::cli
