#include "commands/serve_cmd.hpp"

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <system_error>
#include <thread>
#include <vector>

#include "commands/daemon_state.hpp"

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
  app.add_flag("--detach,-d", flags.detach,
               "Run in the background (log in the state directory; see litellm logs)");
}

namespace {

// Forks litellmd into its own session with its output in the log, and waits for it to listen.
int detach(std::vector<char*>& argv) {
  const std::string dir = state_dir();
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (read_state()) {
    std::cerr << "litellm: a daemon is already running (litellm status); stop it first\n";
    return 1;
  }
  const std::string log = dir + "/litellmd.log";
  const int fd = open(log.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0600);
  if (fd < 0) {
    std::cerr << "litellm: cannot open " << log << ": " << std::generic_category().message(errno)
              << "\n";
    return 1;
  }
  const auto start = std::filesystem::file_size(log, ec);
  const pid_t pid = fork();
  if (pid == 0) {
    setsid();
    const int null = open("/dev/null", O_RDONLY);
    dup2(null, STDIN_FILENO);
    dup2(fd, STDOUT_FILENO);
    dup2(fd, STDERR_FILENO);
    execvp(argv[0], argv.data());
    _exit(127);
  }
  close(fd);
  // Ready when its readiness line reaches the log; gone if it exits first (bad config...).
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(15);
  while (std::chrono::steady_clock::now() < deadline) {
    int status = 0;
    if (waitpid(pid, &status, WNOHANG) == pid) {
      std::ifstream in(log);
      in.seekg(static_cast<std::streamoff>(start));
      std::cerr << "litellm: litellmd exited during start-up:\n" << in.rdbuf();
      return 1;
    }
    std::ifstream in(log);
    in.seekg(static_cast<std::streamoff>(start));
    std::string line;
    while (std::getline(in, line)) {
      const auto at = line.find("litellmd: listening on ");
      if (at != std::string::npos) {
        std::cout << "started litellmd (pid " << pid << ") on " << line.substr(at + 23)
                  << "\nlogs: " << log << "  (litellm logs -f)\n";
        return 0;
      }
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  std::cerr << "litellm: litellmd (pid " << pid << ") did not report listening within 15 s; see "
            << log << "\n";
  return 1;
}

}  // namespace

int logs_command(bool follow, int lines) {
  const std::string log = state_dir() + "/litellmd.log";
  std::ifstream in(log);
  if (!in) {
    std::cerr << "litellm: no log at " << log << " (only a daemon started with litellm start "
              << "or serve --detach writes one)\n";
    return 1;
  }
  std::vector<std::string> tail;
  std::string line;
  while (std::getline(in, line)) {
    tail.push_back(std::move(line));
    if (lines > 0 && tail.size() > static_cast<std::size_t>(lines)) {
      tail.erase(tail.begin());
    }
  }
  for (const auto& l : tail) {
    std::cout << l << "\n";
  }
  std::cout << std::flush;
  if (!follow) {
    return 0;
  }
  in.clear();
  for (;;) {  // until Ctrl-C, like tail -f
    while (std::getline(in, line)) {
      std::cout << line << "\n" << std::flush;
    }
    in.clear();
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
  }
}

int exec_daemon(const ServeFlags& flags) {
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
  argv.reserve(args.size() + 1);
  for (auto& a : args) {
    argv.push_back(a.data());
  }
  argv.push_back(nullptr);
  if (flags.detach) {
    return detach(argv);
  }
  execvp(argv[0], argv.data());
  std::cerr << "litellm: cannot start " << daemon << ": " << std::generic_category().message(errno)
            << " (install litellmd next to litellm or on PATH)\n";
  return 127;
}

}  // namespace litellm::cli
