#include "router/retry_policy.hpp"

#include <algorithm>

namespace litellm::router {

using std::chrono::milliseconds;

bool is_retryable(ErrorCode code) {
  switch (code) {
    case ErrorCode::Timeout:
    case ErrorCode::UpstreamUnavailable:
    case ErrorCode::RateLimited:
    case ErrorCode::UpstreamError:
      return true;
    default:
      return false;
  }
}

milliseconds retry_delay(const Error& error, int attempt, milliseconds floor) {
  milliseconds d{0};
  if (error.retry_after) {
    d = std::min(*error.retry_after, milliseconds(60'000));
  } else {
    d = std::min<milliseconds>(milliseconds(500 * (1LL << std::min(attempt - 1, 4))),
                               milliseconds(8'000));
  }
  return std::max(d, floor);
}

std::optional<milliseconds> RetryPolicy::delay_before(const Error& error, int attempt) const {
  if (!is_retryable(error.code) || attempt > num_retries) {
    return std::nullopt;
  }
  return retry_delay(error, attempt, min_delay);
}

}  // namespace litellm::router
