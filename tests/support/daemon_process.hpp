#pragma once

#include <sys/types.h>

#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace litellm::test {

// A temporary directory removed with everything in it when this goes out of scope.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::string& path() const { return path_; }
  std::string write(const std::string& name, const std::string& content) const;

 private:
  std::string path_;
};

// The real litellmd, started with `--port 0` and a config written to a temp dir. Waits for the
// readiness line `litellmd: listening on http://127.0.0.1:<port>`.
class DaemonProcess {
 public:
  explicit DaemonProcess(const std::string& config_yaml, std::vector<std::string> extra_args = {},
                         std::vector<std::string> env = {});
  // Any command line that ends in the readiness line (e.g. `litellm --model mock/echo --port 0`).
  static std::unique_ptr<DaemonProcess> command(std::vector<std::string> argv,
                                                std::vector<std::string> env = {});
  ~DaemonProcess();
  DaemonProcess(const DaemonProcess&) = delete;
  DaemonProcess& operator=(const DaemonProcess&) = delete;

  int port() const { return port_; }
  std::string config_path() const { return dir_.path() + "/config.yaml"; }
  std::string home() const { return dir_.path() + "/home"; }  // its LITELLM_HOME
  pid_t pid() const { return pid_; }
  // SIGTERM, then wait up to `timeout`; returns the exit status (or -1 if it had to be killed).
  int stop(std::chrono::milliseconds timeout = std::chrono::seconds(30));
  std::string stderr_text() const;

 private:
  DaemonProcess() = default;
  void launch(const std::vector<std::string>& args, std::vector<std::string> env);

  TempDir dir_;
  pid_t pid_ = -1;
  int port_ = 0;
  int exit_status_ = -2;
};

// Runs litellmd (or litellm with `cli`) to completion; returns exit code and combined output.
struct RunResult {
  int exit_code = -1;
  std::string output;
};
// `stdin_text` is what the program reads on stdin (empty: /dev/null).
RunResult run_binary(const std::string& binary, const std::vector<std::string>& args,
                     const std::vector<std::string>& env = {}, const std::string& stdin_text = "");

// Polls `pred` until it holds or `timeout` passes.
bool wait_until(const std::function<bool()>& pred,
                std::chrono::milliseconds timeout = std::chrono::seconds(5));

}  // namespace litellm::test
