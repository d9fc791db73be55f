#include "redis/redis_client.hpp"

#include <atomic>
#include <mutex>
#include <vector>

#include <doctest/doctest.h>

#include "support/daemon_process.hpp"
#include "support/redis_server.hpp"

using litellm::redis::parse_redis_url;
using litellm::redis::RedisClient;
using litellm::redis::RedisEndpoint;
using litellm::redis::RedisReply;
using litellm::redis::RedisSubscriber;
using litellm::test::RedisServer;
using litellm::test::wait_until;

namespace {

RedisEndpoint endpoint_of(const RedisServer& server) {
  auto ep = parse_redis_url(server.url());
  REQUIRE(ep);
  return *ep;
}

}  // namespace

TEST_CASE(
    "redis url: host, port, password, user and database are read and the password is never shown") {
  auto ep = parse_redis_url("redis://ann:s3cret@cache.internal:6380/2");
  REQUIRE(ep);
  CHECK(ep->host == "cache.internal");
  CHECK(ep->port == 6380);
  CHECK(ep->username == "ann");
  CHECK(ep->password.reveal() == "s3cret");
  CHECK(ep->db == 2);
  CHECK(ep->describe() == "redis://cache.internal:6380/2");
  auto bare = parse_redis_url("redis://10.0.0.7");
  REQUIRE(bare);
  CHECK(bare->port == 6379);
  CHECK(bare->password.empty());
  auto v6 = parse_redis_url("redis://:pw@[::1]:7000");
  REQUIRE(v6);
  CHECK(v6->host == "::1");
  CHECK(v6->port == 7000);
}

TEST_CASE("redis url: TLS, other schemes, bad ports and bad databases are refused by name") {
  auto tls = parse_redis_url("rediss://h:6380");
  REQUIRE_FALSE(tls);
  CHECK(tls.error().message.find("TLS") != std::string::npos);
  CHECK_FALSE(parse_redis_url("http://h:6379"));
  auto port = parse_redis_url("redis://h:99999");
  REQUIRE_FALSE(port);
  CHECK(port.error().message.find("99999") != std::string::npos);
  CHECK_FALSE(parse_redis_url("redis://h:6379/x"));
}

TEST_CASE("redis client: commands reach the server and an error reply is an error naming it") {
  RedisServer server;
  RedisClient redis(endpoint_of(server));
  REQUIRE(redis.command({"SET", "greeting", "hello world"}));
  auto got = redis.command({"GET", "greeting"});
  REQUIRE(got);
  CHECK(got->kind == RedisReply::Kind::String);
  CHECK(got->text == "hello world");
  auto missing = redis.command({"GET", "nothing-here"});
  REQUIRE(missing);
  CHECK(missing->kind == RedisReply::Kind::Nil);
  auto wrong = redis.command({"INCR", "greeting"});
  REQUIRE_FALSE(wrong);
  CHECK(wrong.error().message.find("Redis at redis://127.0.0.1:" + std::to_string(server.port())) ==
        0);
}

TEST_CASE("redis client: scripts run by SHA and are loaded again after the server forgot them") {
  RedisServer server;
  RedisClient redis(endpoint_of(server));
  const std::string script = "return redis.call('INCRBY', KEYS[1], ARGV[1])";
  auto first = redis.eval(script, {"n"}, {"5"});
  REQUIRE(first);
  CHECK(first->integer == 5);
  REQUIRE(redis.command({"SCRIPT", "FLUSH"}));
  auto again = redis.eval(script, {"n"}, {"2"});
  REQUIRE(again);
  CHECK(again->integer == 7);
}

TEST_CASE("redis client: a password is sent, and a wrong one is a clear error without it") {
  RedisServer server("pw-1234");
  RedisClient good(endpoint_of(server));
  CHECK(good.command({"PING"}));
  auto ep = endpoint_of(server);
  ep.password = litellm::core::Secret("wrong-pass");
  RedisClient bad(ep);
  auto refused = bad.command({"PING"});
  REQUIRE_FALSE(refused);
  CHECK(refused.error().message.find("AUTH") != std::string::npos);
  CHECK(refused.error().message.find("wrong-pass") == std::string::npos);
}

TEST_CASE("redis client: a server that went away fails fast and is used again once it is back") {
  RedisServer server;
  RedisClient redis(endpoint_of(server));
  REQUIRE(redis.command({"SET", "k", "1"}));
  server.stop();
  auto down = redis.command({"GET", "k"});
  REQUIRE_FALSE(down);
  CHECK(down.error().code == litellm::ErrorCode::Storage);
  server.start();
  auto back = redis.command({"SET", "k", "2"});
  CHECK(back);
}

TEST_CASE("redis subscriber: hears published messages and says when it (re)connects") {
  RedisServer server;
  std::mutex mu;
  std::vector<std::string> heard;
  std::atomic<int> connects{0};
  std::atomic<int> losses{0};
  RedisSubscriber::Handlers h;
  h.on_message = [&](const std::string& m) {
    std::lock_guard lock(mu);
    heard.push_back(m);
  };
  h.on_connected = [&] {
    ++connects;
  };
  h.on_lost = [&](const std::string&) {
    ++losses;
  };
  RedisSubscriber sub(endpoint_of(server), "chan", h);
  REQUIRE(wait_until([&] { return connects.load() == 1; }));
  RedisClient redis(endpoint_of(server));
  // PUBLISH answers how many listened: 1 once the SUBSCRIBE is in.
  REQUIRE(wait_until([&] {
    auto r = redis.command({"PUBLISH", "chan", "key:abc"});
    return r && r->integer == 1;
  }));
  REQUIRE(wait_until([&] {
    std::lock_guard lock(mu);
    return !heard.empty();
  }));
  {
    std::lock_guard lock(mu);
    CHECK(heard.front() == "key:abc");
  }
  server.stop();
  REQUIRE(wait_until([&] { return losses.load() == 1; }));
  server.start();
  CHECK(wait_until([&] { return connects.load() == 2; }, std::chrono::seconds(10)));
}
