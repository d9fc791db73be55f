#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace litellm::spend {

// LiteLLM's durations: "30s", "30m", "30h", "30d", "2w", "1mo".
struct Duration {
  enum class Unit {
    Second,
    Minute,
    Hour,
    Day,
    Week,
    Month
  };
  std::int64_t count = 0;
  Unit unit = Unit::Second;
};

// nullopt when `text` is not a positive count followed by s, m, h, d, w or mo.
std::optional<Duration> parse_duration(std::string_view text);

// When a budget with this period set (or reset) at `now` resets next, aligned to UTC calendar
// boundaries as LiteLLM does: 1d → next midnight, 7d → next Monday, 30d and 1mo → the 1st of
// next month, other Nd → today's midnight + N days, Nh/Nm/Ns → the next multiple of N within
// the day/hour/minute, Nw → today's midnight + N weeks. Unix seconds in and out.
std::int64_t next_budget_reset(const Duration& period, std::int64_t now);

// A key's expiry: `now` plus the duration, months by the calendar (Jan 31 + 1mo → Feb 28/29).
std::int64_t add_duration(const Duration& d, std::int64_t now);

}  // namespace litellm::spend
