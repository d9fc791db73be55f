// A burst of calls through the real daemon to an upstream that takes one connection at a time,
// answers and closes it: its listen queue overflows, and the calls must still all come back.
#include <string>
#include <thread>
#include <vector>

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include "integration/harness.hpp"
#include "support/scripted_server.hpp"

using namespace litellm::test;  // NOLINT(google-build-using-namespace): test file
using nlohmann::json;

// libcurl carries every https:// upstream, i.e. every real provider; LITELLM_HTTP_CLIENT=curl
// puts this plain-http one on it too.
TEST_CASE(
    "upstream burst: 200 calls at once through libcurl to a slow-accepting upstream all "
    "get their answer") {
  const std::string answer = fixture("openai", "chat.response.json");
  ScriptedServer up(
      [&](int fd, int) {
        ScriptedServer::reply(fd,
                              "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                              "Connection: close\r\nContent-Length: " +
                                  std::to_string(answer.size()) + "\r\n\r\n" + answer);
      },
      8);
  const std::string cfg =
      std::string("model_list:\n  - model_name: gpt-4o\n    litellm_params:\n") +
      "      model: openai/gpt-4o-2024-08-06\n      api_base: " + up.base_url() +
      "\n      api_key: " + kUpstreamKey +
      "\n      timeout: 10\n      num_retries: 0\n"
      "general_settings:\n  master_key: " +
      kMasterKey + "\n";
  DaemonProcess d(cfg, {}, {"LITELLM_HTTP_CLIENT=curl"});
  constexpr int kCalls = 200;
  std::vector<HttpResult> results(kCalls);
  {
    std::vector<std::thread> callers;
    callers.reserve(kCalls);
    for (int i = 0; i < kCalls; ++i) {
      callers.emplace_back([&, i] {
        results[static_cast<std::size_t>(i)] =
            HttpClient(d.port()).post("/v1/chat/completions", chat_body("gpt-4o"), auth());
      });
    }
    for (auto& t : callers) {
      t.join();
    }
  }
  const std::string want = json::parse(answer)["choices"][0]["message"]["content"];
  int ok = 0;
  for (const auto& r : results) {
    // An answer (the client's own 30 s read timeout would give -1): the upstream's, or a
    // clear error no later than the deployment's 10 s timeout.
    REQUIRE_MESSAGE(r.status != -1, r.body);
    if (r.status == 200) {
      CHECK(json::parse(r.body)["choices"][0]["message"]["content"] == want);
      ++ok;
    } else {
      INFO(r.body);
      CHECK((r.status == 408 || r.status == 502));
      CHECK(json::parse(r.body)["error"]["message"].get<std::string>().find("litellm.") == 0);
    }
  }
  // Paced, the upstream takes every connection: no call needs its timeout.
  CHECK(ok == kCalls);
  CHECK(up.requests() == kCalls);
  CHECK(d.stop() == 0);
}
