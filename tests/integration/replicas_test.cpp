// Several daemons behind one load balancer, sharing one PostgreSQL database and one Redis, as
// LiteLLM users run them: limits are counted once, and a key change on one is seen by all.
#include <chrono>
#include <future>
#include <thread>

#include <doctest/doctest.h>
#include <httplib.h>

#include "integration/harness.hpp"

using namespace litellm::test;  // NOLINT(google-build-using-namespace): test file
using nlohmann::json;

namespace {

// Two daemons on one fresh PostgreSQL database, and on one Redis unless `shared` is false.
struct Replicas {
  Replicas(const MockUpstream& up, bool shared = true, const std::string& params = "")
      : db(fresh_postgres_database()),
        a(config(up, shared, params)),
        b(config(up, shared, params)) {}
  std::string config(const MockUpstream& up, bool shared, const std::string& params) const {
    std::string c = gateway_config(up, params, "  database_url: " + db + "\n");
    if (shared) {
      c += "router_settings:\n  redis_url: " + redis.url() + "\n";
    }
    return c;
  }
  RedisServer redis;
  std::string db;
  DaemonProcess a;
  DaemonProcess b;
};

int chat(const DaemonProcess& d, const std::string& key) {
  return HttpClient(d.port()).post("/v1/chat/completions", chat_body("gpt-4o"), bearer(key)).status;
}

}  // namespace

TEST_CASE("replicas: with Redis a key's rpm_limit counts the calls made on every daemon") {
  MockUpstream up;
  up.reply_json("/v1/chat/completions", 200, fixture("openai", "chat.response.json"));
  Replicas replicas(up);
  auto& [redis, db, a, b] = replicas;
  const std::string key = new_key(HttpClient(a.port()), {{"rpm_limit", 4}});
  CHECK(chat(a, key) == 200);
  CHECK(chat(b, key) == 200);
  const auto third =
      HttpClient(a.port()).post("/v1/chat/completions", chat_body("gpt-4o"), bearer(key));
  CHECK(third.status == 200);
  CHECK(third.header("x-ratelimit-api_key-remaining-requests") == "1");
  CHECK(chat(b, key) == 200);
  const auto fifth =
      HttpClient(a.port()).post("/v1/chat/completions", chat_body("gpt-4o"), bearer(key));
  CHECK(fifth.status == 429);
  CHECK(!fifth.header("retry-after").empty());
  CHECK(chat(b, key) == 429);
  CHECK(up.request_count() == 4);
  LITELLM_CHECK_CLEAN_EXIT(a);
  LITELLM_CHECK_CLEAN_EXIT(b);
}

TEST_CASE("replicas: without Redis each daemon counts only its own calls") {
  MockUpstream up;
  up.reply_json("/v1/chat/completions", 200, fixture("openai", "chat.response.json"));
  Replicas replicas(up, false);
  auto& [redis, db, a, b] = replicas;
  const std::string key = new_key(HttpClient(a.port()), {{"rpm_limit", 2}});
  CHECK(chat(a, key) == 200);
  CHECK(chat(a, key) == 200);
  CHECK(chat(a, key) == 429);
  CHECK(chat(b, key) == 200);  // b saw none of a's calls: LiteLLM's documented caveat
}

TEST_CASE("replicas: max_parallel_requests holds a slot on one daemon against the other") {
  MockUpstream up;
  const std::string body = fixture("openai", "chat.response.json");
  // The first call is held upstream until b has been refused: its slot is taken for as long as
  // the test needs, however slow the machine.
  std::promise<void> release;
  const std::shared_future<void> released = release.get_future().share();
  up.on_post("/v1/chat/completions",
             [body, released](const httplib::Request&, httplib::Response& res) {
               released.wait();
               res.set_content(body, "application/json");
             });
  Replicas replicas(up);
  auto& [redis, db, a, b] = replicas;
  const std::string key = new_key(HttpClient(a.port()), {{"max_parallel_requests", 1}});
  int slow_status = 0;
  std::thread slow([&] { slow_status = chat(a, key); });
  // CHECK, not REQUIRE: the held call is let go and joined whatever happens.
  CHECK(wait_until([&] { return up.request_count() == 1; }));
  const auto r =
      HttpClient(b.port()).post("/v1/chat/completions", chat_body("gpt-4o"), bearer(key));
  CHECK(r.status == 429);
  CHECK(json::parse(r.body)["error"]["message"].get<std::string>().find("max_parallel_requests") !=
        std::string::npos);
  release.set_value();
  slow.join();
  CHECK(slow_status == 200);
  // The slot is given back (by a background thread): b may call now.
  CHECK(wait_until([&] { return chat(b, key) == 200; }, std::chrono::seconds(10)));
}

TEST_CASE("replicas: a key blocked or deleted on one daemon is refused by the other at once") {
  MockUpstream up;
  up.reply_json("/v1/chat/completions", 200, fixture("openai", "chat.response.json"));
  Replicas replicas(up);
  auto& [redis, db, a, b] = replicas;
  const std::string key = new_key(HttpClient(a.port()), json::object());
  const std::string other = new_key(HttpClient(a.port()), json::object());
  REQUIRE(chat(b, key) == 200);  // b has the key cached now (for 60 s)
  REQUIRE(chat(b, other) == 200);
  const auto blocked = HttpClient(a.port()).post("/key/block", json{{"key", key}}.dump(), auth());
  REQUIRE(blocked.status == 200);
  CHECK(wait_until([&] { return chat(b, key) == 401; }, std::chrono::seconds(3)));
  const auto deleted =
      HttpClient(a.port()).post("/key/delete", json{{"keys", {other}}}.dump(), auth());
  REQUIRE(deleted.status == 200);
  CHECK(wait_until([&] { return chat(b, other) == 401; }, std::chrono::seconds(3)));
  LITELLM_CHECK_CLEAN_EXIT(a);
  LITELLM_CHECK_CLEAN_EXIT(b);
}

TEST_CASE(
    "replicas: Redis going away never stops traffic, and limits are shared again once it is back") {
  MockUpstream up;
  up.reply_json("/v1/chat/completions", 200, fixture("openai", "chat.response.json"));
  Replicas replicas(up);
  auto& [redis, db, a, b] = replicas;
  const std::string key = new_key(HttpClient(a.port()), {{"rpm_limit", 2}});
  redis.stop();
  CHECK(chat(a, key) == 200);
  CHECK(chat(b, key) == 200);
  CHECK(chat(b, key) == 200);  // each daemon counts alone: b has had two
  CHECK(chat(b, key) == 429);
  CHECK(wait_until(
      [&] { return a.stderr_text().find("counted by this process alone") != std::string::npos; }));
  redis.start();
  // After a failure each daemon leaves Redis alone for a second (an unreachable server may cost
  // a connect timeout per try). Awaited, not slept: calls on a key of its own (its counts are
  // apart) until each daemon says Redis is back.
  const std::string probe = new_key(HttpClient(a.port()), {{"rpm_limit", 100000}});
  const auto back = [&](const DaemonProcess& d) {
    return wait_until([&] {
      chat(d, probe);
      return d.stderr_text().find("Redis is back") != std::string::npos;
    });
  };
  REQUIRE(back(a));
  REQUIRE(back(b));
  // Back: a fresh window in Redis, counted by both (b alone would refuse: it has had two).
  const auto first =
      HttpClient(a.port()).post("/v1/chat/completions", chat_body("gpt-4o"), bearer(key));
  CHECK(first.status == 200);
  CHECK(first.header("x-ratelimit-api_key-remaining-requests") == "1");
  CHECK(chat(b, key) == 200);
  CHECK(chat(a, key) == 429);
  LITELLM_CHECK_CLEAN_EXIT(a);
  LITELLM_CHECK_CLEAN_EXIT(b);
}

TEST_CASE("replicas: spend on one daemon counts against the key's budget on the other") {
  MockUpstream up;
  up.reply_json("/v1/chat/completions", 200, fixture("openai", "chat.response.json"));
  Replicas replicas(up, true, kPrices);
  auto& [redis, db, a, b] = replicas;
  const std::string key = new_key(HttpClient(a.port()), {{"max_budget", 0.5}});
  const auto echo = [&] {
    return HttpClient(b.port()).post("/v1/chat/completions", chat_body("echo"), bearer(key)).status;
  };
  REQUIRE(echo() == 200);        // b has the key cached, nothing spent ("echo" has no price)
  REQUIRE(chat(a, key) == 200);  // $0.51 spent on a
  // a writes its spend within a second and tells b, which reads the key again.
  CHECK(wait_until([&] { return echo() == 400; }, std::chrono::seconds(5)));
  LITELLM_CHECK_CLEAN_EXIT(a);
  LITELLM_CHECK_CLEAN_EXIT(b);
}
