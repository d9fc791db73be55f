#include "spend/budget_period.hpp"

#include <chrono>

#include <doctest/doctest.h>

using litellm::spend::add_duration;
using litellm::spend::Duration;
using litellm::spend::next_budget_reset;
using litellm::spend::parse_duration;

namespace {

namespace chr = std::chrono;

// Unix seconds of a UTC date and time.
std::int64_t at(int y, unsigned mo, unsigned d, int h = 0, int mi = 0, int s = 0) {
  const chr::sys_days day{chr::year{y} / chr::month{mo} / chr::day{d}};
  return (chr::sys_seconds{day} + chr::hours{h} + chr::minutes{mi} + chr::seconds{s})
      .time_since_epoch()
      .count();
}

std::int64_t next(const char* period, std::int64_t now) {
  const auto p = parse_duration(period);
  REQUIRE_MESSAGE(p.has_value(), period);
  return next_budget_reset(*p, now);
}

}  // namespace

TEST_CASE("budget periods: LiteLLM's duration strings parse and nonsense does not") {
  for (const char* ok : {"30s", "30m", "30h", "30d", "2w", "1mo", "1d", "7d"}) {
    CHECK_MESSAGE(parse_duration(ok).has_value(), ok);
  }
  for (const char* bad : {"", "d", "30", "30x", "-1d", "0d", "1.5h", "30 d", "1month"}) {
    CHECK_FALSE_MESSAGE(parse_duration(bad).has_value(), bad);
  }
  CHECK(parse_duration("1mo")->unit == Duration::Unit::Month);
  CHECK(parse_duration("45m")->count == 45);
}

TEST_CASE("budget periods: resets align to UTC calendar boundaries as LiteLLM's do") {
  const auto wed = at(2026, 1, 7, 15, 42, 10);  // a Wednesday
  CHECK(next("1d", wed) == at(2026, 1, 8));
  CHECK(next("7d", wed) == at(2026, 1, 12));                   // next Monday
  CHECK(next("7d", at(2026, 1, 12, 9)) == at(2026, 1, 19));    // on a Monday: a week on
  CHECK(next("30d", wed) == at(2026, 2, 1));                   // the 1st of next month
  CHECK(next("1mo", at(2026, 12, 31, 23)) == at(2027, 1, 1));  // across the year
  CHECK(next("3d", wed) == at(2026, 1, 10));                   // today's midnight + 3 days
  CHECK(next("2w", wed) == at(2026, 1, 21));
  CHECK(next("6h", wed) == at(2026, 1, 7, 18));             // multiples of 6h since midnight
  CHECK(next("5h", at(2026, 1, 7, 22)) == at(2026, 1, 8));  // past the day's last: midnight
  CHECK(next("15m", wed) == at(2026, 1, 7, 15, 45));
  CHECK(next("30s", wed) == at(2026, 1, 7, 15, 42, 30));
  CHECK(next("30s", at(2026, 1, 7, 15, 42, 30)) == at(2026, 1, 7, 15, 43));  // strictly after
}

TEST_CASE("budget periods: key expiry adds calendar months and plain seconds") {
  CHECK(add_duration(*parse_duration("1mo"), at(2026, 1, 31, 8)) == at(2026, 2, 28, 8));
  CHECK(add_duration(*parse_duration("1mo"), at(2028, 1, 31)) == at(2028, 2, 29));  // leap
  CHECK(add_duration(*parse_duration("90s"), at(2026, 1, 1)) == at(2026, 1, 1, 0, 1, 30));
  CHECK(add_duration(*parse_duration("2d"), at(2026, 1, 1, 5)) == at(2026, 1, 3, 5));
}
