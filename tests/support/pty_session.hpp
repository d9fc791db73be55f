#pragma once

#include <sys/types.h>

#include <chrono>
#include <string>
#include <vector>

namespace litellm::test {

// A program running in a real pseudo-terminal, driven as a person would: type keys, read the
// screen's output. Used for the REPL, where isatty, line editing and Ctrl-C matter.
class PtySession {
 public:
  PtySession(const std::vector<std::string>& argv, const std::vector<std::string>& env);
  ~PtySession();
  PtySession(const PtySession&) = delete;
  PtySession& operator=(const PtySession&) = delete;

  void type(const std::string& keys);
  // Reads until `text` has appeared after everything already waited for; false on timeout.
  bool expect(const std::string& text,
              std::chrono::milliseconds timeout = std::chrono::seconds(10));
  // Waits for the program to exit; its exit code, or -1 on timeout.
  int wait_exit(std::chrono::milliseconds timeout = std::chrono::seconds(10));
  // Waits until the program reads the terminal key by key (a line editor has switched it out
  // of canonical mode). Keys sent earlier are cooked by the line discipline instead, and a
  // Ctrl-D there is not the line editor's end-of-file. False on timeout.
  bool wait_for_line_editor(std::chrono::milliseconds timeout = std::chrono::seconds(5));
  // Ctrl-D at the line editor's prompt; the program's exit code, -1 if it never left.
  int press_ctrl_d_until_exit(int attempts = 3);
  const std::string& output() const { return out_; }

 private:
  void pump(std::chrono::milliseconds wait);

  int fd_ = -1;
  pid_t pid_ = -1;
  std::string out_;
  std::size_t seen_ = 0;
  int exit_code_ = -2;
};

}  // namespace litellm::test
