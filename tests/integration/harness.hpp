#pragma once

#include <string>
#include <vector>

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include "support/daemon_process.hpp"
#include "support/fixtures.hpp"
#include "support/http_client.hpp"
#include "support/mock_upstream.hpp"
#include "support/postgres_db.hpp"
#include "support/raw_stream.hpp"
#include "support/redis_server.hpp"

namespace litellm::test {

inline constexpr const char* kMasterKey = "sk-master-test-1234";
inline constexpr const char* kUpstreamKey = "sk-upstream-secret-9876";

inline std::vector<std::pair<std::string, std::string>> auth() {
  return {{"Authorization", std::string("Bearer ") + kMasterKey}};
}

// A config whose `gpt-4o` group calls `upstream` as an OpenAI deployment, plus a mock group.
inline std::string gateway_config(const MockUpstream& upstream, const std::string& params = "",
                                  const std::string& extra = "") {
  return "model_list:\n"
         "  - model_name: gpt-4o\n"
         "    litellm_params:\n"
         "      model: openai/gpt-4o-2024-08-06\n"
         "      api_base: " +
         upstream.base_url() +
         "\n"
         "      api_key: " +
         kUpstreamKey + "\n" + params +
         "  - model_name: text-embedding-3-small\n"
         "    litellm_params:\n"
         "      model: openai/text-embedding-3-small\n"
         "      api_base: " +
         upstream.base_url() +
         "\n"
         "      api_key: " +
         kUpstreamKey +
         "\n"
         "  - model_name: echo\n"
         "    litellm_params:\n"
         "      model: mock/echo\n"
         "general_settings:\n"
         "  master_key: " +
         kMasterKey + "\n" + extra;
}

// The databases a test runs against (TEST_CASE_TEMPLATE): SQLite in the daemon's data dir, and
// a fresh database on the tests' PostgreSQL server. settings() goes under general_settings.
struct SqliteDb {
  static std::string settings() { return ""; }
};
struct PostgresDb {
  static std::string settings() { return "  database_url: " + fresh_postgres_database() + "\n"; }
};

// Deployment prices of $0.01 a token: the chat fixture's 14 prompt and 37 completion tokens
// cost $0.51.
inline const std::string kPrices =
    "      input_cost_per_token: 0.01\n      output_cost_per_token: 0.01\n";

// Authorization for a virtual key.
inline std::vector<std::pair<std::string, std::string>> bearer(const std::string& key) {
  return {{"Authorization", "Bearer " + key}};
}

// A new virtual key, made with the master key; fails the test when refused.
inline std::string new_key(const HttpClient& c, const nlohmann::json& body) {
  const auto r = c.post("/key/generate", body.dump(), auth());
  INFO(r.body);
  REQUIRE(r.status == 200);
  return nlohmann::json::parse(r.body)["key"];
}

inline std::string chat_body(const std::string& model, bool stream = false) {
  nlohmann::json b =
      fixture_json("openai", stream ? "chat.stream.request.json" : "chat.request.json");
  b["model"] = model;
  return b.dump();
}

// SIGTERM and expect exit 0; on failure the daemon's stderr (sanitizer reports) is shown.
#define LITELLM_CHECK_CLEAN_EXIT(daemon) \
  do {                                   \
    const int code_ = (daemon).stop();   \
    INFO((daemon).stderr_text());        \
    CHECK(code_ == 0);                   \
  } while (0)

// `n` identical one-token chunks as an upstream sends them, optionally ending in [DONE].
inline std::string token_stream(int n, bool done) {
  std::string out;
  for (int i = 0; i < n; ++i) {
    out +=
        R"(data: {"id":"c","object":"chat.completion.chunk","created":1,"model":"m","choices":[{"index":0,"delta":{"content":"x"},"finish_reason":null}]})";
    out += "\n\n";
  }
  return done ? out + "data: [DONE]\n\n" : out;
}

// The data payloads of an SSE body, in order.
inline std::vector<std::string> events_of(const std::string& body) {
  return sse_data(body);
}

}  // namespace litellm::test
