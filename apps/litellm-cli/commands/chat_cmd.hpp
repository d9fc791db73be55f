#pragma once

#include <string>

#include "commands/daemon_cmd.hpp"

namespace litellm::cli {

struct ChatFlags {
  ConnectFlags connect;
  std::string model;
  std::string prompt;
  std::string system;
  bool no_stream = false;
};

// `litellm chat -m MODEL "prompt"`: one answer, streamed as it arrives on a terminal. Piped
// stdin is appended to the prompt (`git diff | litellm chat -m x "review this"`). --json prints
// the whole response. Exit codes: 0, 1 (refused or failed), 2 (usage), 3 (no daemon).
int chat_command(const ChatFlags& flags);

}  // namespace litellm::cli
