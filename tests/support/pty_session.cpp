#include "support/pty_session.hpp"

#include <poll.h>
#include <pty.h>
#include <signal.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

#include <stdexcept>

#include "support/exec_args.hpp"

namespace litellm::test {

PtySession::PtySession(const std::vector<std::string>& argv, const std::vector<std::string>& env) {
  auto args = argv_of(argv);
  auto envp = envp_with(env);
  winsize ws{};
  ws.ws_row = 40;
  ws.ws_col = 120;
  pid_ = forkpty(&fd_, nullptr, nullptr, &ws);
  if (pid_ < 0) {
    throw std::runtime_error("forkpty failed");
  }
  if (pid_ == 0) {
    execve(args[0], args.data(), envp.data());
    _exit(127);
  }
}

PtySession::~PtySession() {
  if (exit_code_ == -2) {
    kill(pid_, SIGKILL);
    waitpid(pid_, nullptr, 0);
  }
  close(fd_);
}

void PtySession::type(const std::string& keys) {
  std::size_t done = 0;
  while (done < keys.size()) {
    const auto n = write(fd_, keys.data() + done, keys.size() - done);
    if (n <= 0) {
      return;
    }
    done += static_cast<std::size_t>(n);
  }
}

void PtySession::pump(std::chrono::milliseconds wait) {
  pollfd p{fd_, POLLIN, 0};
  if (poll(&p, 1, static_cast<int>(wait.count())) <= 0) {
    return;
  }
  char buf[4096];
  const auto n = read(fd_, buf, sizeof buf);
  if (n > 0) {
    out_.append(buf, static_cast<std::size_t>(n));
  }
}

bool PtySession::expect(const std::string& text, std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    const auto at = out_.find(text, seen_);
    if (at != std::string::npos) {
      seen_ = at + text.size();
      return true;
    }
    if (std::chrono::steady_clock::now() >= deadline) {
      return false;
    }
    pump(std::chrono::milliseconds(20));
  }
}

int PtySession::wait_exit(std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    pump(std::chrono::milliseconds(10));
    int status = 0;
    if (waitpid(pid_, &status, WNOHANG) == pid_) {
      exit_code_ = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
      return exit_code_;
    }
  }
  return -1;
}

bool PtySession::wait_for_line_editor(std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    termios t{};
    if (tcgetattr(fd_, &t) == 0 && (t.c_lflag & ICANON) == 0) {
      return true;
    }
    pump(std::chrono::milliseconds(5));
  }
  return false;
}

int PtySession::press_ctrl_d_until_exit(int attempts) {
  int code = -1;
  for (int i = 0; i < attempts && code == -1; ++i) {
    wait_for_line_editor();
    type("\x04");
    code = wait_exit(std::chrono::seconds(2));
  }
  return code;
}

}  // namespace litellm::test
