#pragma once

#include <string>

#include <CLI/CLI.hpp>

#include "client/daemon_client.hpp"

namespace litellm::cli {

// How every command that talks to the daemon finds it: --base-url, then LITELLM_BASE_URL, then
// the running daemon's state file, then http://127.0.0.1:4000; --api-key, then LITELLM_API_KEY
// or LITELLM_MASTER_KEY, then the master key of --config (default ./config.yaml when present).
struct ConnectFlags {
  std::string base_url;
  std::string api_key;
  std::string config;
  bool json = false;
};

void add_connect_flags(CLI::App& app, ConnectFlags& flags);
client::Endpoint resolve_endpoint(const ConnectFlags& flags);

// Exit codes shared by the commands: 0 done, 1 the daemon refused, 3 no daemon answered.
int models_command(const ConnectFlags& flags);
// Prints why the daemon refused (or could not be reached) and answers the exit code: 1 or 3.
int report_error(const Error& e);
int health_command(const ConnectFlags& flags);

}  // namespace litellm::cli
