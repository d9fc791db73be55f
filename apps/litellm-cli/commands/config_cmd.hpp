#pragma once

#include <string>

namespace litellm::cli {

// `litellm config validate FILE`: 0 when the config would start, 2 with file:line:col otherwise.
int config_validate(const std::string& path);

}  // namespace litellm::cli
