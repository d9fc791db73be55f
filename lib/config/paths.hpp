#pragma once

#include <string>

#include "config/env_resolver.hpp"

namespace litellm::config {

// Where litellm keeps its files, following the XDG base directories; $LITELLM_HOME overrides
// both (data in $LITELLM_HOME, state in $LITELLM_HOME/state). Never the working directory.
struct Paths {
  std::string data_dir;   // the SQLite database: $XDG_DATA_HOME/litellm (~/.local/share/litellm)
  std::string state_dir;  // pid file, logs: $XDG_STATE_HOME/litellm (~/.local/state/litellm)
};

Paths resolve_paths(const EnvResolver& env);

}  // namespace litellm::config
