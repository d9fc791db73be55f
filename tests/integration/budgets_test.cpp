#include <atomic>
#include <chrono>
#include <thread>

#include <doctest/doctest.h>
#include <httplib.h>

#include "integration/harness.hpp"

using namespace litellm::test;  // NOLINT(google-build-using-namespace): test file
using nlohmann::json;

namespace {

// An upstream that takes `delay` to answer the chat fixture: calls overlap in the gateway.
void slow_chat(MockUpstream& up, std::chrono::milliseconds delay) {
  const std::string body = fixture("openai", "chat.response.json");
  up.on_post("/v1/chat/completions",
             [body, delay](const httplib::Request&, httplib::Response& res) {
               std::this_thread::sleep_for(delay);
               res.set_content(body, "application/json");
             });
}

// Sends `n` chat calls at once, each on its own connection; answers their statuses.
std::vector<int> burst(int port, const std::string& key, int n) {
  std::vector<int> statuses(n);
  std::vector<std::thread> threads;
  for (int i = 0; i < n; ++i) {
    threads.emplace_back([&, i] {
      HttpClient c(port);
      statuses[i] = c.post("/v1/chat/completions", chat_body("gpt-4o"), bearer(key)).status;
    });
  }
  for (auto& t : threads) {
    t.join();
  }
  return statuses;
}

}  // namespace

TEST_CASE_TEMPLATE(
    "budgets: 100 concurrent calls on a key with room for one - exactly one gets through", Db,
    SqliteDb, PostgresDb) {
  MockUpstream up;
  slow_chat(up, std::chrono::milliseconds(300));
  DaemonProcess d(gateway_config(up, kPrices, Db::settings()));
  HttpClient c(d.port());
  // Nothing spent of $0.50, and a call costs $0.51: one call, then the budget is gone.
  const std::string key = new_key(c, {{"max_budget", 0.5}});
  const auto statuses = burst(d.port(), key, 100);
  CHECK(std::count(statuses.begin(), statuses.end(), 200) == 1);
  CHECK(std::count(statuses.begin(), statuses.end(), 400) == 99);
  CHECK(up.request_count() == 1);
  const auto info = json::parse(c.get("/key/info", bearer(key)).body)["info"];
  CHECK(info["spend"].get<double>() == doctest::Approx(0.51));
  const auto after = c.post("/v1/chat/completions", chat_body("gpt-4o"), bearer(key));
  CHECK(after.status == 400);
  CHECK(json::parse(after.body)["error"]["type"] == "budget_exceeded");
  LITELLM_CHECK_CLEAN_EXIT(d);
}

TEST_CASE_TEMPLATE("budgets: a key's budget_duration resets its spend in the running daemon", Db,
                   SqliteDb, PostgresDb) {
  MockUpstream up;
  up.reply_json("/v1/chat/completions", 200, fixture("openai", "chat.response.json"));
  DaemonProcess d(gateway_config(up, kPrices, Db::settings()));
  HttpClient c(d.port());
  // Periods end on multiples of 2 s; the spend writer resets due budgets every second. (The
  // calendar rules themselves are unit-tested with a manual clock: spend_test "budget periods".)
  const std::string key = new_key(c, {{"max_budget", 0.5}, {"budget_duration", "2s"}});
  REQUIRE(c.post("/v1/chat/completions", chat_body("gpt-4o"), bearer(key)).status == 200);
  // Until the reset the key is spent; within a period and a writer tick it is not.
  CHECK(wait_until(
      [&] {
        return c.post("/v1/chat/completions", chat_body("gpt-4o"), bearer(key)).status == 200;
      },
      std::chrono::seconds(6)));
  const auto info = json::parse(c.get("/key/info", bearer(key)).body)["info"];
  CHECK(info["spend"].get<double>() <= 0.51 + 1e-9);
  LITELLM_CHECK_CLEAN_EXIT(d);
}

TEST_CASE("budgets: the proxy-wide max_budget refuses every caller once spent") {
  MockUpstream up;
  up.reply_json("/v1/chat/completions", 200, fixture("openai", "chat.response.json"));
  DaemonProcess d(gateway_config(up, kPrices, "litellm_settings:\n  max_budget: 0.5\n"));
  HttpClient c(d.port());
  CHECK(c.post("/v1/chat/completions", chat_body("gpt-4o"), auth()).status == 200);
  const auto refused = c.post("/v1/chat/completions", chat_body("gpt-4o"), auth());
  CHECK(refused.status == 400);
  CHECK(json::parse(refused.body)["error"]["type"] == "budget_exceeded");
  const auto global = json::parse(c.get("/global/spend", auth()).body);
  CHECK(global["spend"].get<double>() == doctest::Approx(0.51));
  CHECK(global["max_budget"] == 0.5);
  CHECK(c.get("/v1/models", auth()).status == 200);  // only LLM calls are refused
}

TEST_CASE_TEMPLATE("budgets: a streamed call is charged from the upstream's usage", Db, SqliteDb,
                   PostgresDb) {
  MockUpstream up;
  up.reply_sse("/v1/chat/completions", fixture("openai", "chat.stream.sse"));
  DaemonProcess d(gateway_config(up, kPrices, Db::settings()));
  HttpClient c(d.port());
  const std::string key = new_key(c, json::object());
  // The client does not ask for usage: the gateway does, and keeps it off the client's stream.
  json body = json::parse(chat_body("gpt-4o", true));
  body.erase("stream_options");
  const auto plain = c.post("/v1/chat/completions", body.dump(), bearer(key));
  REQUIRE(plain.status == 200);
  CHECK(plain.body.find("\"usage\"") == std::string::npos);
  CHECK(plain.body.find("data: [DONE]") != std::string::npos);
  CHECK(json::parse(up.requests().back().body)["stream_options"]["include_usage"] == true);
  // 14 prompt and 30 completion tokens in the recorded stream: $0.44.
  auto info = json::parse(c.get("/key/info", bearer(key)).body)["info"];
  CHECK(info["spend"].get<double>() == doctest::Approx(0.44));
  // Asked for, usage reaches the client as OpenAI sends it.
  const auto with_usage = c.post("/v1/chat/completions", chat_body("gpt-4o", true), bearer(key));
  CHECK(with_usage.body.find("\"usage\":{\"completion_tokens\":30") != std::string::npos);
  info = json::parse(c.get("/key/info", bearer(key)).body)["info"];
  CHECK(info["spend"].get<double>() == doctest::Approx(0.88));
}

TEST_CASE("limits: rpm_limit answers 429 with LiteLLM's message and rate-limit headers") {
  MockUpstream up;
  up.reply_json("/v1/chat/completions", 200, fixture("openai", "chat.response.json"));
  DaemonProcess d(gateway_config(up));
  HttpClient c(d.port());
  const std::string key = new_key(c, {{"rpm_limit", 2}});
  const auto first = c.post("/v1/chat/completions", chat_body("gpt-4o"), bearer(key));
  REQUIRE(first.status == 200);
  CHECK(first.header("x-ratelimit-api_key-limit-requests") == "2");
  CHECK(first.header("x-ratelimit-api_key-remaining-requests") == "1");
  CHECK(c.post("/v1/chat/completions", chat_body("gpt-4o"), bearer(key)).status == 200);
  const auto third = c.post("/v1/chat/completions", chat_body("gpt-4o"), bearer(key));
  REQUIRE(third.status == 429);
  const int retry = std::stoi(third.header("retry-after"));
  CHECK(retry >= 1);
  CHECK(retry <= 60);
  CHECK(third.header("rate_limit_type") == "requests");
  CHECK(third.header("x-ratelimit-remaining-requests") == "0");
  CHECK(third.header("x-ratelimit-limit-requests") == "2");
  const auto msg = json::parse(third.body)["error"]["message"].get<std::string>();
  CHECK(msg.find("Rate limit exceeded for api_key: ") == 0);
  CHECK(msg.find("Limit type: requests. Current limit: 2, Remaining: 0") != std::string::npos);
  CHECK(up.request_count() == 2);
  // The limit is the key's: the master key and other keys are not held back.
  CHECK(c.post("/v1/chat/completions", chat_body("gpt-4o"), auth()).status == 200);
  CHECK(c.post("/v1/chat/completions", chat_body("gpt-4o"), bearer(new_key(c, json::object())))
            .status == 200);
}

TEST_CASE("limits: max_parallel_requests refuses calls beyond the limit while others run") {
  MockUpstream up;
  slow_chat(up, std::chrono::milliseconds(400));
  DaemonProcess d(gateway_config(up));
  HttpClient c(d.port());
  const std::string key = new_key(c, {{"max_parallel_requests", 2}});
  const auto statuses = burst(d.port(), key, 6);
  CHECK(std::count(statuses.begin(), statuses.end(), 200) == 2);
  CHECK(std::count(statuses.begin(), statuses.end(), 429) == 4);
  // Slots free as calls end.
  CHECK(c.post("/v1/chat/completions", chat_body("gpt-4o"), bearer(key)).status == 200);
}

TEST_CASE("limits: a team's max_parallel_requests holds across all its keys") {
  MockUpstream up;
  slow_chat(up, std::chrono::milliseconds(600));
  DaemonProcess d(gateway_config(up));
  HttpClient c(d.port());
  const auto team =
      c.post("/team/new", json{{"team_id", "red"}, {"max_parallel_requests", 1}}.dump(), auth());
  REQUIRE(team.status == 200);
  CHECK(json::parse(team.body)["max_parallel_requests"] == 1);
  const std::string first = new_key(c, {{"team_id", "red"}});
  const std::string second = new_key(c, {{"team_id", "red"}});
  const std::string elsewhere = new_key(c, json::object());
  int slow_status = 0;
  std::thread slow([&] {
    slow_status = HttpClient(d.port())
                      .post("/v1/chat/completions", chat_body("gpt-4o"), bearer(first))
                      .status;
  });
  REQUIRE(wait_until([&] { return up.request_count() == 1; }));
  const auto refused = c.post("/v1/chat/completions", chat_body("gpt-4o"), bearer(second));
  CHECK(refused.status == 429);
  CHECK(json::parse(refused.body)["error"]["message"].get<std::string>().find(
            "Rate limit exceeded for team: red. Limit type: max_parallel_requests") !=
        std::string::npos);
  CHECK(refused.header("x-ratelimit-team-remaining-max_parallel_requests") == "0");
  CHECK(refused.header("rate_limit_type") == "max_parallel_requests");
  CHECK(c.post("/v1/chat/completions", chat_body("gpt-4o"), bearer(elsewhere)).status == 200);
  slow.join();
  CHECK(slow_status == 200);
  CHECK(c.post("/v1/chat/completions", chat_body("gpt-4o"), bearer(second)).status == 200);
}

TEST_CASE("limits: tpm_limit counts the tokens calls really used") {
  MockUpstream up;
  up.reply_json("/v1/chat/completions", 200, fixture("openai", "chat.response.json"));
  DaemonProcess d(gateway_config(up));
  HttpClient c(d.port());
  const std::string key = new_key(c, {{"tpm_limit", 100}});  // a call uses 51 tokens
  CHECK(c.post("/v1/chat/completions", chat_body("gpt-4o"), bearer(key)).status == 200);
  CHECK(c.post("/v1/chat/completions", chat_body("gpt-4o"), bearer(key)).status == 200);
  const auto over = c.post("/v1/chat/completions", chat_body("gpt-4o"), bearer(key));
  CHECK(over.status == 429);
  CHECK(over.header("rate_limit_type") == "tokens");
  CHECK(over.header("x-ratelimit-limit-tokens") == "100");
}

TEST_CASE("ip lists: blocked and allowed addresses are checked before anything else") {
  MockUpstream up;
  SUBCASE("blocked") {
    DaemonProcess d(gateway_config(up, "", "  blocked_ips: [\"127.0.0.0/8\"]\n"));
    const auto r = HttpClient(d.port()).get("/v1/models", auth());
    CHECK(r.status == 403);
    CHECK(json::parse(r.body)["error"]["message"] ==
          "Access forbidden: IP address 127.0.0.1 not allowed.");
  }
  SUBCASE("not in the allow-list") {
    DaemonProcess d(gateway_config(up, "", "  allowed_ips: [\"10.0.0.0/8\", \"::1\"]\n"));
    CHECK(HttpClient(d.port()).get("/v1/models", auth()).status == 403);
  }
  SUBCASE("in the allow-list") {
    DaemonProcess d(gateway_config(up, "", "  allowed_ips: [\"127.0.0.1\"]\n"));
    CHECK(HttpClient(d.port()).get("/v1/models", auth()).status == 200);
  }
  SUBCASE("behind a proxy that says who the client is") {
    DaemonProcess d(
        gateway_config(up, "", "  allowed_ips: [\"10.1.2.3\"]\n  use_x_forwarded_for: true\n"));
    HttpClient c(d.port());
    auto headers = auth();
    headers.emplace_back("X-Forwarded-For", "10.1.2.3, 127.0.0.1");
    CHECK(c.get("/v1/models", headers).status == 200);
    CHECK(c.get("/v1/models", auth()).status == 403);
  }
}

TEST_CASE("limits: model_rpm_limit holds a key to a rate per model group") {
  MockUpstream up;
  up.reply_json("/v1/chat/completions", 200, fixture("openai", "chat.response.json"));
  DaemonProcess d(gateway_config(up));
  HttpClient c(d.port());
  const std::string key = new_key(c, {{"model_rpm_limit", {{"gpt-4o", 1}}}});
  const auto echo = json{{"model", "echo"}, {"messages", {{{"role", "user"}, {"content", "hi"}}}}};
  const auto first = c.post("/v1/chat/completions", chat_body("gpt-4o"), bearer(key));
  REQUIRE(first.status == 200);
  CHECK(first.header("x-ratelimit-model_per_key-remaining-requests") == "0");
  const auto second = c.post("/v1/chat/completions", chat_body("gpt-4o"), bearer(key));
  CHECK(second.status == 429);
  CHECK(json::parse(second.body)["error"]["message"].get<std::string>().find(
            "Rate limit exceeded for model_per_key: ") == 0);
  // Other models are not held back.
  CHECK(c.post("/v1/chat/completions", echo.dump(), bearer(key)).status == 200);
  CHECK(c.post("/v1/chat/completions", echo.dump(), bearer(key)).status == 200);
  const auto info = json::parse(c.get("/key/info", bearer(key)).body)["info"];
  CHECK(info["metadata"]["model_rpm_limit"]["gpt-4o"] == 1);
  CHECK(c.post("/key/generate", json{{"model_rpm_limit", {{"gpt-4o", "lots"}}}}.dump(), auth())
            .status == 400);
}

TEST_CASE("budgets: a refused call leaves no spend row and holds nothing") {
  MockUpstream up;
  up.reply_json("/v1/chat/completions", 200, fixture("openai", "chat.response.json"));
  DaemonProcess d(gateway_config(up, kPrices));
  HttpClient c(d.port());
  const std::string key = new_key(c, {{"max_budget", 0.5}});
  REQUIRE(c.post("/v1/chat/completions", chat_body("gpt-4o"), bearer(key)).status == 200);
  for (int i = 0; i < 3; ++i) {
    CHECK(c.post("/v1/chat/completions", chat_body("gpt-4o"), bearer(key)).status == 400);
  }
  const auto rows = json::parse(c.get("/spend/logs", auth()).body);
  CHECK(rows.size() == 1);
  CHECK(c.get("/spend/logs?start_date=2026-02-01&end_date=2026-01-01", auth()).status == 400);
  CHECK(c.get("/spend/logs?start_date=1970-01-01&end_date=2100-01-01", auth()).status == 400);
}
