#include "support/daemon_process.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <thread>

#include "support/exec_args.hpp"

namespace litellm::test {

TempDir::TempDir() {
  std::string tmpl = (std::filesystem::temp_directory_path() / "litellm-test-XXXXXX").string();
  if (mkdtemp(tmpl.data()) == nullptr) {
    throw std::runtime_error("mkdtemp failed");
  }
  path_ = tmpl;
}

TempDir::~TempDir() {
  std::error_code ec;
  std::filesystem::remove_all(path_, ec);
}

std::string TempDir::write(const std::string& name, const std::string& content) const {
  const std::string p = path_ + "/" + name;
  std::ofstream(p, std::ios::binary) << content;
  return p;
}

namespace {

// Everything the child needs is built before fork: the test process has threads, so the child
// may only call async-signal-safe functions.
pid_t spawn(const std::vector<std::string>& args, const std::vector<std::string>& env, int out_fd,
            int err_fd, int in_fd = -1) {
  auto argv = argv_of(args);
  auto envp = envp_with(env);
  const pid_t pid = fork();
  if (pid != 0) {
    return pid;
  }
  if (in_fd >= 0) {
    dup2(in_fd, STDIN_FILENO);
  }
  dup2(out_fd, STDOUT_FILENO);
  dup2(err_fd, STDERR_FILENO);
  execve(argv[0], argv.data(), envp.data());
  _exit(127);
}

}  // namespace

DaemonProcess::DaemonProcess(const std::string& config_yaml, std::vector<std::string> extra_args,
                             std::vector<std::string> env) {
  const std::string config = dir_.write("config.yaml", config_yaml);
  std::vector<std::string> args = {LITELLMD_PATH, "--config",      config, "--port",
                                   "0",           "--num_workers", "2"};
  args.insert(args.end(), extra_args.begin(), extra_args.end());
  launch(args, std::move(env));
}

std::unique_ptr<DaemonProcess> DaemonProcess::command(std::vector<std::string> argv,
                                                      std::vector<std::string> env) {
  std::unique_ptr<DaemonProcess> d(new DaemonProcess());
  d->launch(argv, std::move(env));
  return d;
}

void DaemonProcess::launch(const std::vector<std::string>& args, std::vector<std::string> env) {
  env.push_back("LITELLM_HOME=" + dir_.path() + "/home");
  // Mock upstreams live on loopback: a proxy set in the machine's environment must not catch
  // them (a test's own settings come first and win).
  env.push_back("no_proxy=127.0.0.1,localhost");
  env.push_back("NO_PROXY=127.0.0.1,localhost");
  int out[2];
  if (pipe(out) != 0) {
    throw std::runtime_error("pipe failed");
  }
  const int err = open((dir_.path() + "/stderr.log").c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
  pid_ = spawn(args, env, out[1], err);
  close(out[1]);
  close(err);
  std::string buffer;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(15);
  const std::string marker = "litellmd: listening on http://127.0.0.1:";
  while (std::chrono::steady_clock::now() < deadline) {
    pollfd p{out[0], POLLIN, 0};
    if (poll(&p, 1, 100) <= 0) {
      continue;
    }
    char chunk[512];
    const auto n = read(out[0], chunk, sizeof chunk);
    if (n <= 0) {
      break;
    }
    buffer.append(chunk, static_cast<std::size_t>(n));
    const auto at = buffer.find(marker);
    if (at != std::string::npos && buffer.find('\n', at) != std::string::npos) {
      port_ = std::atoi(buffer.c_str() + at + marker.size());
      break;
    }
  }
  close(out[0]);
  if (port_ == 0) {
    stop(std::chrono::seconds(2));
    throw std::runtime_error("litellmd did not become ready; stderr: " + stderr_text());
  }
}

DaemonProcess::~DaemonProcess() {
  if (exit_status_ == -2) {
    stop(std::chrono::seconds(5));
  }
}

int DaemonProcess::stop(std::chrono::milliseconds timeout) {
  if (exit_status_ != -2) {
    return exit_status_;
  }
  kill(pid_, SIGTERM);
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  int status = 0;
  while (std::chrono::steady_clock::now() < deadline) {
    if (waitpid(pid_, &status, WNOHANG) == pid_) {
      exit_status_ = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
      return exit_status_;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  kill(pid_, SIGKILL);
  waitpid(pid_, &status, 0);
  exit_status_ = -1;
  return exit_status_;
}

std::string DaemonProcess::stderr_text() const {
  std::ifstream in(dir_.path() + "/stderr.log");
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

RunResult run_binary(const std::string& binary, const std::vector<std::string>& args,
                     const std::vector<std::string>& env, const std::string& stdin_text) {
  TempDir dir;
  dir.write("stdin", stdin_text);
  const int fd = open((dir.path() + "/out").c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
  std::vector<std::string> all = {binary};
  all.insert(all.end(), args.begin(), args.end());
  const int stdin_fd = open((dir.path() + "/stdin").c_str(), O_RDONLY);
  const pid_t pid = spawn(all, env, fd, fd, stdin_fd);
  close(stdin_fd);
  close(fd);
  int status = 0;
  waitpid(pid, &status, 0);
  RunResult r;
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  std::ifstream in(dir.path() + "/out");
  std::ostringstream s;
  s << in.rdbuf();
  r.output = s.str();
  return r;
}

bool wait_until(const std::function<bool()>& pred, std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    if (pred()) {
      return true;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  return pred();
}

}  // namespace litellm::test
