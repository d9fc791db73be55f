#pragma once

#include <optional>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "commands/daemon_cmd.hpp"

namespace litellm::cli {

// `litellm team create|list|info|update|delete|add-member|remove-member` and
// `litellm user create|list|info|update|delete`: the daemon's /team/* and /user/* as tables (or
// --json). One struct per group; `team` says which.
struct PartyCommands {
  bool team = false;
  ConnectFlags connect;
  CLI::App* group = nullptr;
  CLI::App* create = nullptr;
  CLI::App* list = nullptr;
  CLI::App* info = nullptr;
  CLI::App* update = nullptr;
  CLI::App* remove = nullptr;
  CLI::App* add_member = nullptr;     // teams
  CLI::App* remove_member = nullptr;  // teams
  std::vector<std::string> ids;       // positional: the team or user (then the member)
  std::string id;                     // create --id
  std::string alias;                  // --alias (team) / --email (user)
  std::vector<std::string> models;
  std::optional<double> max_budget;
  std::string budget_duration;
  std::optional<long long> rpm;
  std::optional<long long> tpm;
  std::string role = "user";
};

void add_party_commands(CLI::App& app, PartyCommands& p, bool team);
// Exit codes: 0, 1 refused, 3 no daemon.
int party_command(const PartyCommands& p);

}  // namespace litellm::cli
