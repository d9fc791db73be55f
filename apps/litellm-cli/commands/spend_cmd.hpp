#pragma once

#include <string>

#include <CLI/CLI.hpp>

#include "commands/daemon_cmd.hpp"

namespace litellm::cli {

// `litellm spend [--by key|team|model|user|customer|day] [--since D] [--until D]`: what was
// spent, from the daemon's /global/spend/report and /spend/logs, as a table (days also as a
// bar chart) or JSON.
struct SpendCommand {
  ConnectFlags connect;
  CLI::App* spend = nullptr;
  std::string by = "key";
  std::string since = "7d";  // YYYY-MM-DD, or a count of days back: 7d
  std::string until;         // YYYY-MM-DD; today when empty
};

void add_spend_command(CLI::App& app, SpendCommand& s);
// Exit codes: 0, 1 refused, 2 bad dates, 3 no daemon.
int spend_command(const SpendCommand& s);

}  // namespace litellm::cli
