#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <thread>

#include <doctest/doctest.h>
#include <httplib.h>

#include "integration/harness.hpp"
#include "support/loopback.hpp"

using namespace litellm::test;  // NOLINT(google-build-using-namespace): test file
using nlohmann::json;

namespace {
json error_of(const HttpResult& r) {
  const auto j = json::parse(r.body);
  REQUIRE(j.contains("error"));
  CHECK(j["error"].contains("message"));
  CHECK(j["error"].contains("type"));
  CHECK(j["error"].contains("param"));
  // The status as a string, as LiteLLM sends it; an over-long prompt says so as OpenAI does.
  const std::string code = j["error"]["code"];
  CHECK((code == std::to_string(r.status) || code == "context_length_exceeded"));
  return j["error"];
}
}  // namespace

TEST_CASE("errors: bad requests get 400 naming the problem and the daemon keeps serving") {
  MockUpstream up;
  DaemonProcess d(gateway_config(up));
  HttpClient c(d.port());
  const auto malformed = c.post("/v1/chat/completions", "{\"model\": ", auth());
  CHECK(malformed.status == 400);
  CHECK(error_of(malformed)["message"].get<std::string>().find("Invalid JSON") == 0);
  const auto no_model =
      c.post("/v1/chat/completions", R"({"messages":[{"role":"user","content":"x"}]})", auth());
  CHECK(no_model.status == 400);
  CHECK(error_of(no_model)["param"] == "model");
  const auto no_messages = c.post("/v1/chat/completions", R"({"model":"gpt-4o"})", auth());
  CHECK(no_messages.status == 400);
  CHECK(error_of(no_messages)["param"] == "messages");
  const auto wrong_type =
      c.post("/v1/chat/completions",
             R"({"model":"gpt-4o","messages":[{"role":"user","content":"x"}],"temperature":"hot"})",
             auth());
  CHECK(wrong_type.status == 400);
  CHECK(error_of(wrong_type)["param"] == "temperature");
  const auto unknown = c.post("/v1/chat/completions", chat_body("gpt-9"), auth());
  CHECK(unknown.status == 400);
  const std::string msg = error_of(unknown)["message"];
  CHECK(msg.find("Invalid model name passed in model=gpt-9") != std::string::npos);
  CHECK(msg.find("echo, gpt-4o, text-embedding-3-small") != std::string::npos);
  CHECK(c.get("/v1/chat/completions", auth()).status == 405);
  CHECK(c.post("/v1/nothing", "{}", auth()).status == 404);
  CHECK(up.request_count() == 0);
  CHECK(c.get("/health/liveliness").status == 200);
}

TEST_CASE("errors: a body over the limit is refused with 413") {
  MockUpstream up;
  DaemonProcess d(gateway_config(up, "", "  max_request_size_mb: 1\n"));
  HttpClient c(d.port());
  const std::string big(2 * 1024 * 1024, 'x');
  const auto r =
      c.post("/v1/chat/completions",
             R"({"model":"echo","messages":[{"role":"user","content":")" + big + "\"}]}", auth());
  CHECK(r.status == 413);
  CHECK(error_of(r)["message"].get<std::string>().find("larger than the limit") !=
        std::string::npos);
  CHECK(c.get("/health/liveliness").status == 200);
}

namespace {

// Sends `bytes` on a new connection and reads until the daemon closes it (or 10 s pass).
std::string exchange(int port, const std::string& bytes) {
  const int fd = connect_loopback(port);
  REQUIRE(fd >= 0);
  (void)send(fd, bytes.data(), bytes.size(), MSG_NOSIGNAL);
  std::string got = read_until_closed(fd, std::chrono::seconds(10));
  close(fd);
  return got;
}

std::string chunked_post(const std::vector<std::string>& chunks) {
  std::string out = std::string("POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\n") +
                    "Authorization: Bearer " + kMasterKey +
                    "\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n"
                    "Connection: close\r\n\r\n";
  for (const auto& c : chunks) {
    char size[32];
    std::snprintf(size, sizeof size, "%zx\r\n", c.size());
    out.append(size).append(c).append("\r\n");
  }
  return out + "0\r\n\r\n";
}

}  // namespace

TEST_CASE("errors: a chunked request body is read whole, and refused with 413 over the limit") {
  MockUpstream up;  // unused: the mock `echo` group answers
  DaemonProcess d(gateway_config(up, "", "  max_request_size_mb: 1\n"));
  const std::string answer =
      exchange(d.port(), chunked_post({R"({"model":"echo","messages":[{"role":"user",)",
                                       R"("content":"two chunks, one body"}]})"}));
  REQUIRE(answer.rfind("HTTP/1.1 200 OK\r\n", 0) == 0);
  CHECK(answer.find("two chunks, one body") != std::string::npos);
  std::vector<std::string> big{R"({"model":"echo","messages":[{"role":"user","content":")"};
  for (int i = 0; i < 24; ++i) {
    big.emplace_back(64 * 1024, 'x');  // 1.5 MB in all
  }
  big.emplace_back("\"}]}");
  const std::string refused = exchange(d.port(), chunked_post(big));
  REQUIRE(refused.rfind("HTTP/1.1 413 ", 0) == 0);
  CHECK(refused.find("larger than the limit") != std::string::npos);
  HttpClient c(d.port());
  CHECK(c.get("/health/liveliness").status == 200);
}

TEST_CASE("errors: the master key guards every API route - in any of LiteLLM's headers") {
  MockUpstream up;
  DaemonProcess d(gateway_config(up));
  HttpClient c(d.port());
  const std::string body = R"({"model":"echo","messages":[{"role":"user","content":"x"}]})";
  const auto none = c.post("/v1/chat/completions", body);
  CHECK(none.status == 401);
  CHECK(error_of(none)["message"] == "Authentication Error, No api key passed in.");
  CHECK(error_of(none)["type"] == "auth_error");
  const auto wrong = c.post("/v1/chat/completions", body, {{"Authorization", "Bearer sk-wrong"}});
  CHECK(wrong.status == 401);
  CHECK(wrong.body.find("sk-wrong") == std::string::npos);  // not echoed back whole
  CHECK(c.post("/v1/chat/completions", body, {{"Authorization", "Token x"}}).status == 401);
  CHECK(c.get("/v1/models").status == 401);
  for (const char* h : {"x-api-key", "api-key", "x-litellm-api-key"}) {
    CAPTURE(h);
    CHECK(c.post("/v1/chat/completions", body, {{h, kMasterKey}}).status == 200);
  }
  CHECK(c.post("/v1/chat/completions", body, auth()).status == 200);
}

TEST_CASE("errors: without a master key the proxy is open and says so at start") {
  MockUpstream up;
  DaemonProcess d("model_list:\n  - model_name: echo\n    litellm_params: {model: mock/echo}\n");
  HttpClient c(d.port());
  CHECK(c.post("/v1/chat/completions",
               R"({"model":"echo","messages":[{"role":"user","content":"x"}]})")
            .status == 200);
  LITELLM_CHECK_CLEAN_EXIT(d);
  CHECK(d.stderr_text().find("no master_key") != std::string::npos);
}

TEST_CASE("errors: upstream errors map to LiteLLM's status - type and message") {
  struct Case {
    const char* fixture;
    int upstream_status;
    int status;
    const char* prefix;
  };
  const Case cases[] = {
      {"error-429.json", 429, 429, "litellm.RateLimitError: OpenAIException - Rate limit"},
      {"error-context-length.json", 400, 400,
       "litellm.ContextWindowExceededError: litellm.BadRequestError: OpenAIException - This "
       "model's maximum"},
      {"error-401.json", 401, 401, "litellm.AuthenticationError: OpenAIException - "},
      {"error-404.json", 404, 404, "litellm.NotFoundError: OpenAIException - "},
      {"error-503.json", 503, 503, "litellm.ServiceUnavailableError: OpenAIException - "},
  };
  for (const auto& k : cases) {
    CAPTURE(k.fixture);
    MockUpstream up;
    up.reply_json("/v1/chat/completions", k.upstream_status, fixture("openai", k.fixture),
                  {{"retry-after", "1"}});
    DaemonProcess d(gateway_config(up, "      num_retries: 0\n"));
    HttpClient c(d.port());
    const auto r = c.post("/v1/chat/completions", chat_body("gpt-4o"), auth());
    CHECK(r.status == k.status);
    const std::string msg = error_of(r)["message"];
    CHECK(msg.rfind(k.prefix, 0) == 0);
    if (std::string_view(k.fixture) == "error-context-length.json") {
      CHECK(error_of(r)["code"] == "context_length_exceeded");
    }
    CHECK(up.request_count() == 1);
  }
}

TEST_CASE("errors: 5xx and 429 are retried - the retry count is reported") {
  MockUpstream up;
  std::atomic<int> calls{0};
  up.on_post("/v1/chat/completions", [&](const httplib::Request&, httplib::Response& res) {
    if (calls.fetch_add(1) == 0) {
      res.status = 500;
      res.set_content(fixture("openai", "error-500.json"), "application/json");
      return;
    }
    res.set_content(fixture("openai", "chat.response.json"), "application/json");
  });
  DaemonProcess d(gateway_config(up, "", "router_settings:\n  num_retries: 2\n"));
  HttpClient c(d.port());
  const auto r = c.post("/v1/chat/completions", chat_body("gpt-4o"), auth());
  CHECK(r.status == 200);
  CHECK(r.header("x-litellm-attempted-retries") == "1");
  CHECK(calls.load() == 2);
}

TEST_CASE("errors: an unreachable upstream is a 502 - a slow one a 408") {
  SUBCASE("nothing listening") {
    const std::string cfg =
        "model_list:\n  - model_name: dead\n    litellm_params:\n      model: openai/x\n"
        "      api_base: http://127.0.0.1:1/v1\n      num_retries: 0\n";
    DaemonProcess d(cfg);
    HttpClient c(d.port());
    const auto r = c.post("/v1/chat/completions", chat_body("dead"));
    CHECK(r.status == 502);
    CHECK(error_of(r)["message"].get<std::string>().find("litellm.APIConnectionError") == 0);
  }
  SUBCASE("no answer within the timeout") {
    MockUpstream up;
    up.on_post("/v1/chat/completions", [](const httplib::Request&, httplib::Response& res) {
      std::this_thread::sleep_for(std::chrono::seconds(3));
      res.set_content("{}", "application/json");
    });
    DaemonProcess d(gateway_config(up, "      timeout: 0.3\n      num_retries: 0\n"));
    HttpClient c(d.port());
    const auto r = c.post("/v1/chat/completions", chat_body("gpt-4o"), auth());
    CHECK(r.status == 408);
    CHECK(error_of(r)["message"].get<std::string>().find("litellm.Timeout") == 0);
  }
  SUBCASE("the request's own timeout, and stream_timeout for streams") {
    MockUpstream up;
    up.on_post("/v1/chat/completions", [](const httplib::Request&, httplib::Response& res) {
      std::this_thread::sleep_for(std::chrono::milliseconds(1500));
      res.set_content(fixture("openai", "chat.response.json"), "application/json");
    });
    DaemonProcess d(gateway_config(up,
                                   "      timeout: 20\n      stream_timeout: 0.3\n"
                                   "      num_retries: 0\n"));
    HttpClient c(d.port());
    const std::string messages = R"("messages":[{"role":"user","content":"hi"}])";
    const auto own = c.post("/v1/chat/completions",
                            R"({"model":"gpt-4o",)" + messages + R"(,"timeout":0.3})", auth());
    CHECK(own.status == 408);
    const auto stream = c.post("/v1/chat/completions",
                               R"({"model":"gpt-4o",)" + messages + R"(,"stream":true})", auth());
    CHECK(stream.status == 408);
    // Neither applies to a plain call: the deployment's 20 s does.
    const auto plain =
        c.post("/v1/chat/completions", R"({"model":"gpt-4o",)" + messages + "}", auth());
    CHECK(plain.status == 200);
  }
}

TEST_CASE("errors: an upstream answering garbage is a 500 - not a crash") {
  MockUpstream up;
  up.reply_json("/v1/chat/completions", 200, "<html>oops</html>");
  DaemonProcess d(gateway_config(up, "      num_retries: 0\n"));
  HttpClient c(d.port());
  const auto r = c.post("/v1/chat/completions", chat_body("gpt-4o"), auth());
  CHECK(r.status == 500);
  CHECK(c.get("/health/liveliness").status == 200);
}

TEST_CASE("errors: mock_response can raise LiteLLM's exceptions") {
  DaemonProcess d(
      "model_list:\n  - model_name: limited\n    litellm_params:\n      model: openai/x\n"
      "      mock_response: litellm.RateLimitError\n      num_retries: 0\n");
  HttpClient c(d.port());
  const auto r = c.post("/v1/chat/completions", chat_body("limited"));
  CHECK(r.status == 429);
  CHECK(r.header("retry-after") == "1");
}
