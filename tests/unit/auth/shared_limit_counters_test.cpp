#include "auth/shared_limit_counters.hpp"

#include <doctest/doctest.h>

#include "support/daemon_process.hpp"
#include "support/manual_clock.hpp"
#include "support/redis_server.hpp"

using litellm::auth::LimitCounters;
using litellm::auth::LimitDenied;
using litellm::auth::LimitSpec;
using litellm::auth::LimitTicket;
using litellm::auth::LimitType;
using litellm::auth::SharedLimitCounters;
using litellm::redis::parse_redis_url;
using litellm::redis::RedisClient;
using litellm::test::ManualClock;
using litellm::test::RedisServer;

namespace {

// One process's view: its Redis client, its own counters (the fallback) and the shared ones.
struct Replica {
  Replica(const RedisServer& server, const ManualClock& clock)
      : redis(*parse_redis_url(server.url())), local(clock), shared(redis, local, clock, log) {}
  litellm::core::NullLogger log;
  RedisClient redis;
  LimitCounters local;
  SharedLimitCounters shared;
};

LimitSpec key(std::optional<std::int64_t> rpm, std::optional<std::int64_t> tpm = {},
              std::optional<std::int64_t> parallel = {}) {
  return LimitSpec{"api_key", "hash-1", rpm, tpm, parallel};
}

bool admitted(const std::variant<LimitTicket, LimitDenied>& v) {
  return std::holds_alternative<LimitTicket>(v);
}

}  // namespace

TEST_CASE("shared limits: two replicas count one rpm window together and it resets after 60 s") {
  RedisServer server;
  ManualClock clock;
  Replica a(server, clock);
  Replica b(server, clock);
  for (int i = 0; i < 3; ++i) {
    auto got = (i % 2 == 0 ? a : b).shared.acquire({key(3)}, 0);
    REQUIRE(admitted(got));
    CHECK(std::get<LimitTicket>(got).shared);
  }
  auto fourth = b.shared.acquire({key(3)}, 0);
  REQUIRE_FALSE(admitted(fourth));
  const auto& d = std::get<LimitDenied>(fourth);
  CHECK(d.type == LimitType::Requests);
  CHECK(d.limit == 3);
  CHECK(d.remaining == 0);
  CHECK(d.retry_after == std::chrono::seconds(60));
  CHECK(d.reset_at == clock.wall_now() + std::chrono::seconds(60));
  CHECK_FALSE(admitted(a.shared.acquire({key(3)}, 0)));
  clock.advance(std::chrono::seconds(60));
  CHECK(admitted(a.shared.acquire({key(3)}, 0)));
}

TEST_CASE("shared limits: max_parallel_requests holds across replicas until a call is released") {
  RedisServer server;
  ManualClock clock;
  Replica a(server, clock);
  Replica b(server, clock);
  auto first = a.shared.acquire({key({}, {}, 1)}, 0);
  REQUIRE(admitted(first));
  auto second = b.shared.acquire({key({}, {}, 1)}, 0);
  REQUIRE_FALSE(admitted(second));
  CHECK(std::get<LimitDenied>(second).type == LimitType::MaxParallel);
  a.shared.release(std::get<LimitTicket>(first), 0);
  // The release is sent by a background thread.
  CHECK(litellm::test::wait_until([&] {
    auto again = b.shared.acquire({key({}, {}, 1)}, 0);
    if (admitted(again)) {
      b.shared.release(std::get<LimitTicket>(again), 0);
      return true;
    }
    return false;
  }));
}

TEST_CASE(
    "shared limits: tokens used on one replica count on the other and admission is all or "
    "nothing") {
  RedisServer server;
  ManualClock clock;
  Replica a(server, clock);
  Replica b(server, clock);
  auto t = a.shared.acquire({key({}, 100)}, 10);
  REQUIRE(admitted(t));
  a.shared.release(std::get<LimitTicket>(t), 100);
  // The key's tpm is spent; a refused request must not count against the user's rpm either.
  const LimitSpec user{"user", "ann", 1, {}, {}};
  REQUIRE(litellm::test::wait_until([&] {  // the release is sent by a background thread
    auto r = a.redis.command({"HGET", "litellm:ratelimit:api_key:hash-1", "inflight"});
    return r && r->text == "0";
  }));
  auto denied = b.shared.acquire({user, key({}, 100)}, 10);
  REQUIRE_FALSE(admitted(denied));
  CHECK(std::get<LimitDenied>(denied).type == LimitType::Tokens);
  CHECK(std::get<LimitDenied>(denied).descriptor == "api_key");
  auto user_only = a.shared.acquire({user}, 0);
  REQUIRE(admitted(user_only));
  const auto& readings = std::get<LimitTicket>(user_only).readings;
  REQUIRE(readings.size() == 1);
  CHECK(readings[0].remaining == 0);
}

TEST_CASE(
    "shared limits: with Redis down each process counts alone, and shares again once it is back") {
  RedisServer server;
  ManualClock clock;
  Replica a(server, clock);
  server.stop();
  auto t = a.shared.acquire({key(1)}, 0);
  REQUIRE(admitted(t));
  CHECK_FALSE(std::get<LimitTicket>(t).shared);
  CHECK_FALSE(admitted(a.shared.acquire({key(1)}, 0)));  // the local window holds
  a.shared.release(std::get<LimitTicket>(t), 0);
  server.start();
  Replica b(server, clock);
  auto back = b.shared.acquire({key(1)}, 0);
  REQUIRE(admitted(back));
  CHECK(std::get<LimitTicket>(back).shared);
  CHECK_FALSE(admitted(a.shared.acquire({key(1)}, 0)));
}

TEST_CASE("shared limits: many releases at once all reach Redis and free every slot") {
  RedisServer server;
  ManualClock clock;
  Replica a(server, clock);
  Replica b(server, clock);
  const LimitSpec user{"user", "ann", {}, {}, 300};
  std::vector<LimitTicket> held;
  for (int i = 0; i < 300; ++i) {
    auto t = a.shared.acquire({user, key({}, {}, 300)}, 1);
    REQUIRE(admitted(t));
    held.push_back(std::get<LimitTicket>(t));
  }
  CHECK_FALSE(admitted(b.shared.acquire({key({}, {}, 300)}, 0)));
  for (const auto& t : held) {
    a.shared.release(t, 2);  // more than one batch queues up behind the first
  }
  REQUIRE(litellm::test::wait_until([&] {
    auto r = a.redis.command({"HGET", "litellm:ratelimit:api_key:hash-1", "inflight"});
    return r && r->text == "0";
  }));
  // Counts per second: the tokens used are counted in this (manual) second.
  auto r = b.redis.command({"HMGET", "litellm:ratelimit:user:ann", "inflight", "held",
                            "t" + std::to_string(clock.unix_seconds())});
  REQUIRE(r);
  CHECK(r->elements[0].text == "0");
  CHECK(r->elements[1].text == "0");
  CHECK(r->elements[2].text == "600");
}

TEST_CASE(
    "shared limits: the window slides across replicas - a request leaves it a window after its "
    "second") {
  RedisServer server;
  ManualClock clock;
  Replica a(server, clock);
  Replica b(server, clock);
  REQUIRE(admitted(a.shared.acquire({key(3)}, 0)));
  REQUIRE(admitted(b.shared.acquire({key(3)}, 0)));
  clock.advance(std::chrono::seconds(30));
  REQUIRE(admitted(a.shared.acquire({key(3)}, 0)));
  auto full = b.shared.acquire({key(3)}, 0);
  REQUIRE_FALSE(admitted(full));
  CHECK(std::get<LimitDenied>(full).retry_after == std::chrono::seconds(30));
  clock.advance(std::chrono::seconds(30));
  CHECK(admitted(b.shared.acquire({key(3)}, 0)));
  CHECK(admitted(a.shared.acquire({key(3)}, 0)));
  CHECK_FALSE(admitted(b.shared.acquire({key(3)}, 0)));  // the one from 30 s ago still counts
  clock.advance(std::chrono::seconds(30));
  CHECK(admitted(b.shared.acquire({key(3)}, 0)));
}
