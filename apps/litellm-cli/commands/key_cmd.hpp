#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "commands/daemon_cmd.hpp"

namespace litellm::cli {

// `litellm key create|list|info|update|delete|regenerate|block|unblock`: virtual keys through the
// daemon's /key/* API, as tables for people and JSON with --json. Master key from the usual places
// (daemon_cmd.hpp).
struct KeyCommands {
  ConnectFlags connect;
  CLI::App* key = nullptr;
  CLI::App* create = nullptr;
  CLI::App* list = nullptr;
  CLI::App* info = nullptr;
  CLI::App* remove = nullptr;
  CLI::App* update = nullptr;
  CLI::App* regenerate = nullptr;
  CLI::App* block = nullptr;
  CLI::App* unblock = nullptr;
  // create
  std::string alias;
  std::vector<std::string> models;
  std::optional<double> max_budget;
  std::string budget_duration;
  std::string duration;
  std::string user_id;
  std::string team_id;
  std::optional<long long> rpm;
  std::optional<long long> tpm;
  std::optional<long long> max_parallel;
  // list
  long long page = 1;
  long long size = 20;
  // info, delete
  std::vector<std::string> keys;
};

// Registers the `key` command group on `app`; the struct must outlive parsing.
void add_key_commands(CLI::App& app, KeyCommands& k);
// Runs whichever key subcommand was given. Exit codes: 0, 1 refused, 3 no daemon.
int key_command(const KeyCommands& k);

}  // namespace litellm::cli
