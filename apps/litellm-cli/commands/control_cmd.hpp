#pragma once

#include "commands/daemon_cmd.hpp"
#include "commands/daemon_state.hpp"

namespace litellm::cli {

// Daemon control through the state file litellmd writes ($LITELLM_HOME/state or
// $XDG_STATE_HOME/litellm/litellmd.json): status (any daemon answering --base-url too), stop
// (SIGTERM, waits for a graceful exit), reload (SIGHUP, waits for the new config generation or
// reports why the daemon refused it). Exit codes: 0 done, 1 refused/failed, 3 no daemon.
int status_command(const ConnectFlags& flags);
int stop_command();
int reload_command();
// SIGHUP to the daemon `state` describes, waiting as reload_command does. Same exit codes.
int reload_daemon(const DaemonState& state);

}  // namespace litellm::cli
