#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>

#include <doctest/doctest.h>

#include "integration/harness.hpp"
#include "support/loopback.hpp"

using namespace litellm::test;  // NOLINT(google-build-using-namespace): test file
using nlohmann::json;

TEST_CASE("gateway: a chat completion goes upstream with the deployment's model and key") {
  MockUpstream up;
  up.reply_json("/v1/chat/completions", 200, fixture("openai", "chat.response.json"));
  DaemonProcess d(gateway_config(up));
  HttpClient c(d.port());
  const auto r = c.post("/v1/chat/completions", chat_body("gpt-4o"), auth());
  REQUIRE(r.status == 200);
  CHECK(json::parse(r.body) == fixture_json("openai", "chat.response.json"));
  CHECK(r.header("x-litellm-call-id").size() == 36);
  CHECK(r.header("x-litellm-model-group") == "gpt-4o");
  CHECK(r.header("x-litellm-attempted-retries") == "0");
  CHECK(r.header("content-type") == "application/json");
  REQUIRE(up.request_count() == 1);
  const auto sent = up.requests()[0];
  CHECK(sent.path == "/v1/chat/completions");
  CHECK(sent.header("Authorization") == std::string("Bearer ") + kUpstreamKey);
  CHECK(json::parse(sent.body) == fixture_json("openai", "chat.request.json"));
  for (const auto& [k, v] : r.headers) {
    CHECK(v.find(kUpstreamKey) == std::string::npos);
  }
  CHECK(r.body.find(kUpstreamKey) == std::string::npos);
  LITELLM_CHECK_CLEAN_EXIT(d);
}

TEST_CASE("gateway: every chat path spelling reaches the same group") {
  MockUpstream up;
  up.reply_json("/v1/chat/completions", 200, fixture("openai", "chat.response.json"));
  DaemonProcess d(
      gateway_config(up, "", "router_settings:\n  model_group_alias: {gpt4: gpt-4o}\n"));
  HttpClient c(d.port());
  json no_model = fixture_json("openai", "chat.request.json");
  no_model.erase("model");
  CHECK(c.post("/chat/completions", chat_body("gpt-4o"), auth()).status == 200);
  CHECK(c.post("/v1/chat/completions", chat_body("gpt4"), auth()).status == 200);
  CHECK(c.post("/engines/gpt-4o/chat/completions", no_model.dump(), auth()).status == 200);
  CHECK(c.post("/openai/deployments/gpt-4o/chat/completions", no_model.dump(), auth()).status ==
        200);
  CHECK(up.request_count() == 4);
}

TEST_CASE("gateway: completions and embeddings pass the recorded payloads through") {
  MockUpstream up;
  up.reply_json("/v1/completions", 200, fixture("openai", "completions.response.json"));
  up.reply_json("/v1/embeddings", 200, fixture("openai", "embeddings.response.json"));
  DaemonProcess d(gateway_config(up));
  HttpClient c(d.port());
  json comp = fixture_json("openai", "completions.request.json");
  comp["model"] = "gpt-4o";
  const auto rc = c.post("/v1/completions", comp.dump(), auth());
  REQUIRE(rc.status == 200);
  CHECK(json::parse(rc.body) == fixture_json("openai", "completions.response.json"));
  const auto re = c.post("/v1/embeddings", fixture("openai", "embeddings.request.json"), auth());
  REQUIRE(re.status == 200);
  CHECK(json::parse(re.body) == fixture_json("openai", "embeddings.response.json"));
  const auto sent = up.requests();
  REQUIRE(sent.size() == 2);
  CHECK(json::parse(sent[1].body) == fixture_json("openai", "embeddings.request.json"));
}

TEST_CASE("gateway: the mock provider answers without a network") {
  MockUpstream up;
  DaemonProcess d(gateway_config(up));
  HttpClient c(d.port());
  const auto r =
      c.post("/v1/chat/completions",
             R"({"model":"echo","messages":[{"role":"user","content":"ping pong"}]})", auth());
  REQUIRE(r.status == 200);
  const auto body = json::parse(r.body);
  CHECK(body["choices"][0]["message"]["content"] == "ping pong");
  CHECK(body["object"] == "chat.completion");
  CHECK(up.request_count() == 0);
}

TEST_CASE("gateway: models are listed and looked up as LiteLLM shows them") {
  MockUpstream up;
  DaemonProcess d(gateway_config(up));
  HttpClient c(d.port());
  const auto list = c.get("/v1/models", auth());
  REQUIRE(list.status == 200);
  const auto body = json::parse(list.body);
  CHECK(body["object"] == "list");
  std::vector<std::string> ids;
  for (const auto& m : body["data"]) {
    ids.push_back(m["id"]);
    CHECK(m["object"] == "model");
    CHECK(m["created"] == 1677610602);
  }
  CHECK(ids == std::vector<std::string>{"echo", "gpt-4o", "text-embedding-3-small"});
  CHECK(c.get("/models", auth()).status == 200);
  const auto one = c.get("/v1/models/echo", auth());
  REQUIRE(one.status == 200);
  CHECK(json::parse(one.body)["owned_by"] == "mock");
  const auto missing = c.get("/v1/models/nope", auth());
  CHECK(missing.status == 404);
  CHECK(json::parse(missing.body)["error"]["code"] == "404");
}

TEST_CASE("gateway: health endpoints") {
  MockUpstream up;
  up.reply_json("/v1/chat/completions", 200, fixture("openai", "chat.response.json"));
  const std::string dead =
      "  - model_name: dead\n    litellm_params:\n      model: openai/x\n"
      "      api_base: http://127.0.0.1:1/v1\n      api_key: sk-dead-key-5555\n";
  DaemonProcess d(gateway_config(up, dead));
  HttpClient c(d.port());
  const auto live = c.get("/health/liveliness");
  CHECK(live.status == 200);
  CHECK(live.body == "\"I'm alive!\"");
  CHECK(c.get("/health/liveness").status == 200);
  const auto ready = c.get("/health/readiness");
  REQUIRE(ready.status == 200);
  CHECK(json::parse(ready.body)["status"] == "healthy");
  CHECK(c.get("/health").status == 401);
  const auto health = c.get("/health", auth());
  REQUIRE(health.status == 200);
  const auto h = json::parse(health.body);
  CHECK(h["unhealthy_count"] == 1);
  CHECK(h["unhealthy_endpoints"][0]["model"] == "openai/x");
  CHECK(h["unhealthy_endpoints"][0].contains("error"));
  CHECK(h["healthy_count"] == 3);  // gpt-4o, text-embedding-3-small, echo
  CHECK(health.body.find("sk-dead-key-5555") == std::string::npos);
  CHECK(health.body.find(kUpstreamKey) == std::string::npos);
}

TEST_CASE("gateway: a HEAD request gets the GET's head and no body, so the next answer is intact") {
  MockUpstream up;  // unused
  DaemonProcess d(gateway_config(up));
  const int fd = connect_loopback(d.port());
  REQUIRE(fd >= 0);
  // Pipelined on one connection: a body after the HEAD's head would be read as the next answer.
  const std::string requests =
      "HEAD /health/liveliness HTTP/1.1\r\nHost: x\r\n\r\n"
      "GET /health/liveliness HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n";
  send(fd, requests.data(), requests.size(), MSG_NOSIGNAL);
  const std::string got = read_until_closed(fd, std::chrono::seconds(5));  // after the GET
  close(fd);
  const std::string alive = "\"I'm alive!\"";
  const auto first_end = got.find("\r\n\r\n");
  REQUIRE(first_end != std::string::npos);
  const std::string first = got.substr(0, first_end);
  const std::string rest = got.substr(first_end + 4);
  CHECK(first.rfind("HTTP/1.1 200 OK\r\n", 0) == 0);
  CHECK(first.find("Content-Length: " + std::to_string(alive.size())) != std::string::npos);
  CHECK(rest.rfind("HTTP/1.1 200 OK\r\n", 0) == 0);
  CHECK(rest.find("Connection: close\r\n") != std::string::npos);
  CHECK(rest.size() > alive.size());
  CHECK(rest.substr(rest.size() - alive.size()) == alive);
}

TEST_CASE("gateway: a client that sends Expect: 100-continue is told to go on before its body") {
  MockUpstream up;  // unused: the mock `echo` group answers
  DaemonProcess d(gateway_config(up));
  const std::string body =
      json({{"model", "echo"},
            {"messages", {{{"role", "user"}, {"content", std::string(4096, 'x')}}}}})
          .dump();
  const int fd = connect_loopback(d.port());
  REQUIRE(fd >= 0);
  const auto read_for = [fd](std::chrono::milliseconds wait) {
    std::string got;
    pollfd p{fd, POLLIN, 0};
    const auto until = std::chrono::steady_clock::now() + wait;
    while (std::chrono::steady_clock::now() < until && poll(&p, 1, 50) >= 0 &&
           got.find("\r\n\r\n") == std::string::npos) {
      char buf[4096];
      if ((p.revents & POLLIN) != 0) {
        const auto n = recv(fd, buf, sizeof buf, 0);
        if (n <= 0) {
          break;
        }
        got.append(buf, static_cast<std::size_t>(n));
      }
    }
    return got;
  };
  const std::string head = std::string("POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\n") +
                           "Authorization: Bearer " + kMasterKey +
                           "\r\nContent-Type: application/json\r\nExpect: 100-continue\r\n"
                           "Content-Length: " +
                           std::to_string(body.size()) + "\r\n\r\n";
  send(fd, head.data(), head.size(), MSG_NOSIGNAL);
  // curl waits a second for this before sending the body regardless.
  CHECK(read_for(std::chrono::milliseconds(500)) == "HTTP/1.1 100 Continue\r\n\r\n");
  send(fd, body.data(), body.size(), MSG_NOSIGNAL);
  const std::string answer = read_for(std::chrono::seconds(5));
  CHECK(answer.rfind("HTTP/1.1 200 OK\r\n", 0) == 0);
  close(fd);
}
