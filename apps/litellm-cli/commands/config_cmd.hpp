#pragma once

#include <string>

namespace litellm::cli {

// `litellm config validate FILE`: 0 when the config would start, 2 with file:line:col otherwise.
int config_validate(const std::string& path);
// `litellm config show FILE`: the resolved config, secrets redacted; a table or --json.
int config_show(const std::string& path, bool json);
// `litellm config init FILE`: writes a commented starter config; never overwrites without force.
int config_init(const std::string& path, bool force);

}  // namespace litellm::cli
