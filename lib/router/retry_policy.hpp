#pragma once

#include <chrono>
#include <optional>

#include "litellm/error.hpp"

namespace litellm::router {

// When a failed attempt is tried again, and after how long (router_settings.num_retries and
// retry_after, a deployment's or a request's num_retries).
struct RetryPolicy {
  int num_retries = 2;
  std::chrono::milliseconds min_delay{0};

  // The wait before retry number `attempt` (1-based) after `error`; nullopt when the error is
  // not worth another attempt or the retries are spent.
  std::optional<std::chrono::milliseconds> delay_before(const Error& error, int attempt) const;
};

// True for errors worth another attempt: the upstream may answer differently next time.
bool is_retryable(ErrorCode code);
// Wait before retry number `attempt` (1-based): the upstream's retry-after when it gave one
// (capped at 60 s), else 0.5 s doubling up to 8 s; never less than `floor`.
std::chrono::milliseconds retry_delay(const Error& error, int attempt,
                                      std::chrono::milliseconds floor);

}  // namespace litellm::router
