#pragma once

#include <string>

namespace litellm::cli {

// `litellm providers`: every provider prefix this build serves and what each can do, read from
// the adapters' own capability declarations (the README's table is this command's --markdown).
int providers_command(const std::string& format);  // "table", "json" or "markdown"

}  // namespace litellm::cli
