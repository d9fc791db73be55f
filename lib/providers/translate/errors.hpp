#pragma once

#include <chrono>
#include <optional>

#include "litellm/error.hpp"

#include "core/http_message.hpp"

namespace litellm::providers::translate {

// What an upstream HTTP status means, before a provider's own error codes refine it.
ErrorCode code_for_status(int status);

// retry-after-ms, else retry-after (seconds), from an upstream's headers.
std::optional<std::chrono::milliseconds> retry_after_of(const core::UpstreamResponse& resp);

}  // namespace litellm::providers::translate
