#pragma once

#include <functional>
#include <optional>
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

// What a streamed chat answer came to. `error` holds a failure reported inside the stream.
// NOLINTNEXTLINE(bugprone-exception-escape): only allocation failure, in the json's destructor
struct StreamedAnswer {
  std::string text;
  nlohmann::json usage;  // null unless the daemon sent a usage chunk
  std::string error;
  std::string deployment_id;  // x-litellm-model-id: who answered, for its prices
};

// "gpt-4o-mini · 12 in, 40 out · $0.000026": the line shown after an answer on a terminal.
std::string answer_footer(const std::string& model, const nlohmann::json& usage,
                          std::optional<double> cost);

// Streams a chat completion for `body` (stream options are added), printing each token to
// stdout as it arrives; `stop` is asked between chunks. Errors: as DaemonClient::stream.
Result<StreamedAnswer> stream_answer(const client::DaemonClient& daemon, nlohmann::json body,
                                     const std::function<bool()>& stop);

// `litellm chat -m MODEL "prompt"`: one answer, streamed as it arrives on a terminal. Piped
// stdin is appended to the prompt (`git diff | litellm chat -m x "review this"`). --json prints
// the whole response. Exit codes: 0, 1 (refused or failed), 2 (usage), 3 (no daemon).
int chat_command(const ChatFlags& flags);

}  // namespace litellm::cli
