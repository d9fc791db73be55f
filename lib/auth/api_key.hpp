#pragma once

#include <optional>
#include <string>

#include "litellm/error.hpp"

#include "core/http_message.hpp"
#include "core/secret.hpp"

namespace litellm::auth {

// The key a request presents, from the headers LiteLLM reads, first present wins:
// x-litellm-api-key, Authorization (Bearer/Basic), api-key, x-api-key, x-goog-api-key.
// nullopt when none is present; an empty string for a malformed Authorization value.
std::optional<std::string> presented_key(const core::Headers& headers);

// Admits a request to an API route. With no master key every request is admitted (LiteLLM's
// open mode). Errors: Authentication with LiteLLM's messages.
Result<void> check_master_key(const core::Headers& headers, const core::Secret& master_key);

}  // namespace litellm::auth
