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

// What a request's credentials make it, before any database is asked.
struct Credential {
  bool admin = false;       // no master key configured (LiteLLM's open mode), or the master key
  std::string virtual_key;  // otherwise: an `sk-` key to look up in the key store
};

// Errors: Authentication with LiteLLM's messages for no key, a malformed one, or one that
// cannot be a virtual key.
Result<Credential> classify_key(const core::Headers& headers, const core::Secret& master_key);

// LiteLLM's error for a virtual key the key store does not hold (or when there is no store).
Error unknown_virtual_key(const std::string& key);

}  // namespace litellm::auth
