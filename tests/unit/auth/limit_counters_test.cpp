#include "auth/limit_counters.hpp"

#include <doctest/doctest.h>

#include "support/manual_clock.hpp"

using litellm::auth::LimitCounters;
using litellm::auth::LimitDenied;
using litellm::auth::LimitSpec;
using litellm::auth::LimitTicket;
using litellm::auth::LimitType;
using litellm::test::ManualClock;

namespace {

LimitSpec key(std::optional<std::int64_t> rpm, std::optional<std::int64_t> tpm = {},
              std::optional<std::int64_t> parallel = {}) {
  return LimitSpec{"api_key", "hash", rpm, tpm, parallel};
}

}  // namespace

TEST_CASE("limits: rpm admits the limit in a window and resets when the window has passed") {
  ManualClock clock;
  LimitCounters limits(clock);
  for (int i = 0; i < 3; ++i) {
    auto got = limits.acquire({key(3)}, 0);
    REQUIRE(std::holds_alternative<LimitTicket>(got));
    limits.release(std::get<LimitTicket>(got), 0);
  }
  auto fourth = limits.acquire({key(3)}, 0);
  REQUIRE(std::holds_alternative<LimitDenied>(fourth));
  const auto& d = std::get<LimitDenied>(fourth);
  CHECK(d.type == LimitType::Requests);
  CHECK(d.limit == 3);
  CHECK(d.remaining == 0);
  CHECK(d.retry_after == std::chrono::seconds(60));
  clock.advance(std::chrono::seconds(59));
  CHECK(std::holds_alternative<LimitDenied>(limits.acquire({key(3)}, 0)));
  clock.advance(std::chrono::seconds(1));
  auto after = limits.acquire({key(3)}, 0);
  REQUIRE(std::holds_alternative<LimitTicket>(after));
  const auto& readings = std::get<LimitTicket>(after).readings;
  REQUIRE(readings.size() == 1);
  CHECK(readings[0].remaining == 2);
}

TEST_CASE("limits: max_parallel_requests counts calls in flight, not calls made") {
  ManualClock clock;
  LimitCounters limits(clock);
  auto a = limits.acquire({key({}, {}, 2)}, 0);
  auto b = limits.acquire({key({}, {}, 2)}, 0);
  REQUIRE(std::holds_alternative<LimitTicket>(a));
  REQUIRE(std::holds_alternative<LimitTicket>(b));
  auto c = limits.acquire({key({}, {}, 2)}, 0);
  REQUIRE(std::holds_alternative<LimitDenied>(c));
  CHECK(std::get<LimitDenied>(c).type == LimitType::MaxParallel);
  limits.release(std::get<LimitTicket>(a), 0);
  CHECK(std::holds_alternative<LimitTicket>(limits.acquire({key({}, {}, 2)}, 0)));
}

TEST_CASE("limits: tpm holds an estimate while a call runs and counts real usage after") {
  ManualClock clock;
  LimitCounters limits(clock);
  auto first = limits.acquire({key({}, 1000)}, 600);
  REQUIRE(std::holds_alternative<LimitTicket>(first));
  // 600 held: another 600 would not fit beside it.
  CHECK(std::holds_alternative<LimitDenied>(limits.acquire({key({}, 1000)}, 600)));
  limits.release(std::get<LimitTicket>(first), 300);  // it really used 300
  auto second = limits.acquire({key({}, 1000)}, 600);
  REQUIRE(std::holds_alternative<LimitTicket>(second));
  limits.release(std::get<LimitTicket>(second), 800);  // 1100 used: the window is spent
  auto third = limits.acquire({key({}, 1000)}, 1);
  REQUIRE(std::holds_alternative<LimitDenied>(third));
  CHECK(std::get<LimitDenied>(third).type == LimitType::Tokens);
  clock.advance(std::chrono::seconds(60));
  CHECK(std::holds_alternative<LimitTicket>(limits.acquire({key({}, 1000)}, 1)));
}

TEST_CASE("limits: a refused request counts against no other party") {
  ManualClock clock;
  LimitCounters limits(clock);
  const LimitSpec user{"user", "alice", 10, {}, {}};
  REQUIRE(std::holds_alternative<LimitTicket>(limits.acquire({key(1)}, 0)));
  for (int i = 0; i < 5; ++i) {
    CHECK(std::holds_alternative<LimitDenied>(limits.acquire({user, key(1)}, 0)));
  }
  auto alone = limits.acquire({user}, 0);
  REQUIRE(std::holds_alternative<LimitTicket>(alone));
  CHECK(std::get<LimitTicket>(alone).readings[0].remaining == 9);
}

TEST_CASE("limits: the window slides - a request leaves it a window after the second it was made") {
  ManualClock clock;
  LimitCounters limits(clock);
  const auto take = [&] {
    auto got = limits.acquire({key(3)}, 0);
    if (auto* t = std::get_if<LimitTicket>(&got)) {
      limits.release(*t, 0);
    }
    return got;
  };
  REQUIRE(std::holds_alternative<LimitTicket>(take()));
  REQUIRE(std::holds_alternative<LimitTicket>(take()));
  clock.advance(std::chrono::seconds(30));
  REQUIRE(std::holds_alternative<LimitTicket>(take()));
  auto full = take();
  REQUIRE(std::holds_alternative<LimitDenied>(full));
  CHECK(std::get<LimitDenied>(full).retry_after == std::chrono::seconds(30));
  CHECK(std::get<LimitDenied>(full).reset_at == clock.wall_now() + std::chrono::seconds(30));
  // A fixed window would start afresh here with room for three; the request made 30 s ago
  // still counts.
  clock.advance(std::chrono::seconds(30));
  CHECK(std::holds_alternative<LimitTicket>(take()));
  CHECK(std::holds_alternative<LimitTicket>(take()));
  auto again = take();
  REQUIRE(std::holds_alternative<LimitDenied>(again));
  CHECK(std::get<LimitDenied>(again).retry_after == std::chrono::seconds(30));
  clock.advance(std::chrono::milliseconds(29500));
  CHECK(std::holds_alternative<LimitDenied>(take()));
  clock.advance(std::chrono::milliseconds(500));
  CHECK(std::holds_alternative<LimitTicket>(take()));
}
