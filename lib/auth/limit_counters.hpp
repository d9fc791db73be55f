#pragma once

#include <array>
#include <chrono>
#include <cstdint>
#include <deque>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <variant>
#include <vector>

#include "core/clock.hpp"

namespace litellm::auth {

enum class LimitType {
  Requests,
  Tokens,
  MaxParallel
};
// "requests", "tokens", "max_parallel_requests": LiteLLM's names in messages and headers.
const char* limit_type_name(LimitType t);

// The limits one party puts on a request: a key, a user, a team or an end user.
struct LimitSpec {
  std::string descriptor;  // "api_key", "user", "team", "end_user"
  std::string value;       // the key's hash, the user id, ...
  std::optional<std::int64_t> rpm;
  std::optional<std::int64_t> tpm;
  std::optional<std::int64_t> max_parallel;
};

// One limit as it stands after admission: for x-ratelimit-<descriptor>-{limit,remaining}-<type>.
struct LimitReading {
  std::string descriptor;
  LimitType type = LimitType::Requests;
  std::int64_t limit = 0;
  std::int64_t remaining = 0;
};

struct LimitDenied {
  std::string descriptor;
  std::string value;
  LimitType type = LimitType::Requests;
  std::int64_t limit = 0;
  std::int64_t remaining = 0;
  std::chrono::system_clock::time_point reset_at;
  std::chrono::seconds retry_after{0};
};

// What an admitted request holds until it ends.
struct LimitTicket {
  std::vector<std::string> counters;  // "<descriptor>:<value>"
  std::int64_t estimated_tokens = 0;
  std::vector<LimitReading> readings;
  bool shared = false;  // counted in Redis (SharedLimitCounters), not in this process
};

// What admission answers: a ticket to hold until the call ends, or why not.
using Admission = std::variant<LimitTicket, LimitDenied>;

// Rate-limit counters for this process (rpm, tpm, max_parallel_requests) over a sliding window:
// a party may make `rpm` requests and use `tpm` tokens in any `window` (to the second; counts
// are kept per second, so a request leaves the window `window` after the second it was made
// in). Tokens are held from an estimate at admission and replaced by the real usage at release,
// so concurrent calls cannot all spend the same room. Admission is all-or-nothing: a refused
// request counts against nothing. Sharded by counter name, a short mutex per shard; all methods
// thread-safe.
class LimitCounters {
 public:
  explicit LimitCounters(const core::Clock& clock,
                         std::chrono::seconds window = std::chrono::seconds(60))
      : clock_(clock), window_(window) {}

  std::variant<LimitTicket, LimitDenied> acquire(const std::vector<LimitSpec>& specs,
                                                 std::int64_t estimated_tokens);
  // The call ended: frees its parallel slot and counts the tokens it really used.
  void release(const LimitTicket& ticket, std::int64_t tokens_used);

 private:
  struct Second {
    std::int64_t at = -1;  // which second (steady clock) these counts are for
    std::int64_t requests = 0;
    std::int64_t tokens = 0;
  };
  struct Counter {
    std::deque<Second> seconds;  // the seconds with counts in the window, oldest first
    std::int64_t held_tokens = 0;
    std::int64_t in_flight = 0;
  };
  struct InWindow {
    std::int64_t requests = 0;
    std::int64_t tokens = 0;
    std::int64_t oldest_request = -1;  // the second of the oldest request still counted
    std::int64_t oldest_tokens = -1;
  };
  struct Shard {
    std::mutex mu;
    std::unordered_map<std::string, Counter> counters;  // guarded by mu
  };
  static constexpr std::size_t kShards = 16;
  std::size_t shard_of(const std::string& name) const;
  // Drops the seconds that left the window and sums the rest.
  InWindow in_window(Counter& c, std::int64_t now_s) const;
  Second& this_second(Counter& c, std::int64_t now_s) const;

  const core::Clock& clock_;
  const std::chrono::seconds window_;
  std::array<Shard, kShards> shards_;
};

// A refusal's reset time and retry-after for a windowed limit: when the oldest second still
// counted (`oldest_s`, or now when none) leaves a window of `window`.
struct WindowReset {
  std::chrono::system_clock::time_point at;
  std::chrono::seconds retry_after;
};
WindowReset window_reset(std::int64_t oldest_s, std::int64_t now_ms, std::chrono::seconds window,
                         std::chrono::system_clock::time_point wall_now);

}  // namespace litellm::auth
