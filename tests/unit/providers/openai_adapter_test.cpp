#include <doctest/doctest.h>

#include "http/framing/sse_parser.hpp"
#include "openai/codec.hpp"
#include "providers/registry.hpp"
#include "providers/translate/request_params.hpp"
#include "support/byte_cuts.hpp"
#include "support/fixtures.hpp"

using litellm::CallKind;
using litellm::ErrorCode;
using litellm::core::UpstreamResponse;
using litellm::test::fixture;
using litellm::test::fixture_json;
using nlohmann::json;

namespace {

const litellm::providers::ProviderAdapter& openai_adapter() {
  static const litellm::providers::Registry kRegistry;
  return *kRegistry.find("openai");
}

litellm::providers::Target target() {
  litellm::providers::Target t;
  t.provider = "openai";
  t.model = "gpt-4o-2024-08-06";
  t.api_base = "http://127.0.0.1:9/v1/";
  t.api_key = litellm::core::Secret("sk-upstream");
  return t;
}

std::string header(const litellm::core::UpstreamRequest& r, const std::string& name) {
  for (const auto& [k, v] : r.headers) {
    if (k == name) {
      return v;
    }
  }
  return {};
}

}  // namespace

TEST_CASE("openai: the recorded chat request goes upstream as sent - with the deployment's model") {
  for (const char* name : {"chat.request.json", "chat-tools.request.json", "chat-full.request.json",
                           "chat-tool-result.request.json"}) {
    CAPTURE(name);
    const auto expected = fixture_json("openai", name);
    json sent = expected;
    sent["model"] = "my-group";
    sent["metadata"] = {{"tags", {"a"}}};  // proxy-only: must not reach the provider
    auto req = litellm::openai::parse_request(CallKind::Chat, sent.dump());
    REQUIRE(req.has_value());
    auto t = target();
    t.model = expected["model"];
    auto up = openai_adapter().build(*req, t);
    REQUIRE(up.has_value());
    CHECK(up->url == "http://127.0.0.1:9/v1/chat/completions");
    CHECK(header(*up, "Authorization") == "Bearer sk-upstream");
    auto body = json::parse(up->body);
    if (!expected.contains("metadata")) {
      CHECK(body == expected);
    }
  }
}

TEST_CASE("openai: deployment defaults apply unless the request sets them") {
  auto req = litellm::openai::parse_request(
      CallKind::Chat,
      R"({"model":"g","messages":[{"role":"user","content":"x"}],"temperature":1})");
  REQUIRE(req.has_value());
  auto t = target();
  t.default_params = {{"temperature", 0.1}, {"max_tokens", 5}};
  t.extra_headers = {{"X-Extra", "1"}};
  auto up = openai_adapter().build(*req, t);
  REQUIRE(up.has_value());
  auto body = json::parse(up->body);
  CHECK(body["temperature"] == 1);
  CHECK(body["max_tokens"] == 5);
  CHECK(header(*up, "X-Extra") == "1");
}

TEST_CASE("openai: the body written out without a tree copy is the effective body - model set") {
  const json cases[] = {
      fixture_json("openai", "chat-full.request.json"),
      json::parse(R"({"model":"g","messages":[{"role":"user","content":"x"}],"temperature":1,
                      "seed":3,"top_p":0.5,"additional_drop_params":["top_p"],"metadata":{"a":1},
                      "fallbacks":["h"],"num_retries":2,"we\"ird\u0001key":"\u00e9\u2028"})"),
      json::parse(R"({"model":"g","messages":[{"role":"user","content":"y"}],
                      "extra_body":{"top_k":4}})"),
  };
  for (const auto& [sent, model] :
       {std::pair{cases[0], "gpt-4o"}, std::pair{cases[1], "gpt-4o"}, std::pair{cases[2], "gpt-4o"},
        std::pair{cases[1], "a \"quoted\" \\ model\n"}}) {
    CAPTURE(sent.dump());
    CAPTURE(model);
    auto req = litellm::openai::parse_request(CallKind::Chat, sent.dump());
    REQUIRE(req.has_value());
    auto t = target();
    t.model = model;
    t.default_params = {{"temperature", 0.1},
                        {"max_tokens", 5},
                        {"seed", 9},
                        {"additional_drop_params", {"seed"}},
                        {"timeout", 30}};
    auto up = openai_adapter().build(*req, t);
    REQUIRE(up.has_value());
    const auto body = json::parse(up->body);
    json expected = litellm::providers::translate::effective_body(*req, t);
    expected["model"] = t.model;
    litellm::providers::translate::apply_extra_body(expected, *req, t);
    CHECK(body == expected);
    // A parser keeps the last of two equal keys, so the tree alone would not show a default
    // written beside the request's own value.
    const auto count = [&](const std::string& key) {
      std::size_t n = 0;
      for (auto at = up->body.find(key); at != std::string::npos; at = up->body.find(key, at + 1)) {
        ++n;
      }
      return n;
    };
    CHECK(count("\"temperature\":") == 1);
    CHECK(count("\"model\":") == 1);
    CHECK(body["model"] == t.model);
    CHECK(body["max_tokens"] == 5);
    for (const char* gone : {"seed", "metadata", "fallbacks", "num_retries", "timeout",
                             "additional_drop_params", "extra_body"}) {
      CHECK_FALSE(body.contains(gone));
    }
    CHECK(body["temperature"] == sent.value("temperature", json(0.1)));
    if (sent.contains("extra_body")) {
      CHECK(body["top_k"] == 4);
    }
    if (sent.contains("additional_drop_params")) {
      CHECK_FALSE(body.contains("top_p"));
      CHECK(body["we\"ird\u0001key"] == "\u00e9\u2028");
    }
  }
}

TEST_CASE("openai: a configured model name that is not UTF-8 is written as JSON, replaced") {
  auto req = litellm::openai::parse_request(CallKind::Chat, fixture("openai", "chat.request.json"));
  REQUIRE(req.has_value());
  auto t = target();
  t.model = "caf\xe9-model";  // Latin-1, as a hand-edited config may hold it
  auto up = openai_adapter().build(*req, t);
  REQUIRE(up.has_value());
  const auto body = json::parse(up->body);  // throws on bytes that are not UTF-8
  CHECK(body["model"] == "caf\xef\xbf\xbd-model");
}

TEST_CASE("openai: completions and embeddings use their own paths") {
  auto c = litellm::openai::parse_request(CallKind::Completion,
                                          fixture("openai", "completions.request.json"));
  auto e = litellm::openai::parse_request(CallKind::Embedding,
                                          fixture("openai", "embeddings.request.json"));
  REQUIRE(c.has_value());
  REQUIRE(e.has_value());
  CHECK(openai_adapter().build(*c, target())->url == "http://127.0.0.1:9/v1/completions");
  CHECK(openai_adapter().build(*e, target())->url == "http://127.0.0.1:9/v1/embeddings");
}

TEST_CASE("openai: recorded responses parse to the same JSON") {
  for (const char* name : {"chat.response.json", "chat-tools.response.json",
                           "chat-parallel-tools.response.json", "chat-length.response.json"}) {
    CAPTURE(name);
    auto req =
        litellm::openai::parse_request(CallKind::Chat, fixture("openai", "chat.request.json"));
    UpstreamResponse resp{200, {}, fixture("openai", name)};
    auto parsed = openai_adapter().parse(resp, *req);
    REQUIRE(parsed.has_value());
    // Passed on as it came; only `usage` is read, the rest parsed when someone asks.
    CHECK(parsed->raw == fixture("openai", name));
    REQUIRE(parsed->usage.has_value());
    CHECK(litellm::openai::usage_of(*parsed).total_tokens ==
          fixture_json("openai", name)["usage"]["total_tokens"].get<std::int64_t>());
    CHECK(litellm::openai::complete_body(*parsed) == fixture_json("openai", name));
    // Read from the whole body now, and the same.
    CHECK(litellm::openai::usage_of(*parsed).total_tokens == parsed->usage->total_tokens);
  }
  auto req = litellm::openai::parse_request(CallKind::Chat, fixture("openai", "chat.request.json"));
  for (const char* bad_body :
       {"<html>", "", "[1,2]", R"({"choices": [)", R"({"id": "x"})", R"({"choices": []} trailing)",
        "{\"choices\": [], \"x\": \"\xff\"}"}) {
    CAPTURE(bad_body);
    auto bad = openai_adapter().parse(UpstreamResponse{200, {}, bad_body}, *req);
    REQUIRE_FALSE(bad.has_value());
    CHECK(bad.error().code == ErrorCode::UpstreamError);
  }
  // No usage reported: nothing to count, and still an answer.
  auto bare = openai_adapter().parse(UpstreamResponse{200, {}, R"({"choices": []})"}, *req);
  REQUIRE(bare.has_value());
  CHECK_FALSE(bare->usage.has_value());
  CHECK(litellm::openai::usage_of(*bare).total_tokens == 0);
  CHECK(litellm::openai::complete_body(*bare) == json{{"choices", json::array()}});
}

TEST_CASE("openai: usage read by the answer scan equals usage read from the parsed answer") {
  auto req = litellm::openai::parse_request(CallKind::Chat, fixture("openai", "chat.request.json"));
  std::vector<std::string> answers;
  for (const char* name :
       {"chat.response.json", "chat-tools.response.json", "chat-parallel-tools.response.json",
        "chat-length.response.json", "completions.response.json", "embeddings.response.json"}) {
    answers.push_back(fixture("openai", name));
  }
  // What upstreams send beside OpenAI: cache counts, no total, numbers of the wrong kind.
  for (const char* usage :
       {R"({"prompt_tokens": 1200, "completion_tokens": 3, "total_tokens": 1203,
            "prompt_tokens_details": {"cached_tokens": 1024}, "cache_creation_input_tokens": 70})",
        R"({"prompt_tokens": 5, "completion_tokens": 7})",
        R"({"prompt_tokens": 5.0, "completion_tokens": "7"})",
        R"({"prompt_tokens": 18446744073709551615, "completion_tokens": -2})",
        R"({"prompt_tokens_details": null, "total_tokens": 9})", R"({})", "null", "[1]"}) {
    answers.push_back(std::string(R"({"choices": [], "data": [], "usage": )") + usage + "}");
  }
  for (const auto& answer : answers) {
    CAPTURE(answer);
    auto parsed = openai_adapter().parse(UpstreamResponse{200, {}, answer}, *req);
    if (!parsed) {  // an embedding list has no choices: parse it as what it is
      auto e = litellm::openai::parse_request(CallKind::Embedding,
                                              fixture("openai", "embeddings.request.json"));
      parsed = openai_adapter().parse(UpstreamResponse{200, {}, answer}, *e);
    }
    REQUIRE(parsed.has_value());
    const auto scanned = litellm::openai::usage_of(*parsed);
    const auto whole = litellm::openai::usage_of(json::parse(answer));
    CHECK(scanned.prompt_tokens == whole.prompt_tokens);
    CHECK(scanned.completion_tokens == whole.completion_tokens);
    CHECK(scanned.total_tokens == whole.total_tokens);
    CHECK(scanned.cached_tokens == whole.cached_tokens);
    CHECK(scanned.cache_creation_tokens == whole.cache_creation_tokens);
  }
}

TEST_CASE("openai: a recorded stream decodes chunk for chunk - cut at every byte") {
  for (const char* name : {"chat.stream.sse", "chat-tools.stream.sse", "chat-n3.stream.sse",
                           "chat-parallel-tools.stream.sse", "completions.stream.sse"}) {
    CAPTURE(name);
    const auto bytes = fixture("openai", name);
    const auto data = litellm::test::sse_data(bytes);
    auto req = litellm::openai::parse_request(CallKind::Chat,
                                              fixture("openai", "chat.stream.request.json"));
    for (const std::size_t cut : litellm::test::byte_cuts(0, bytes.size() - 1)) {
      auto decoder = openai_adapter().new_stream(*req);
      litellm::http::SseParser sse;
      std::vector<litellm::core::StreamEvent> events;
      std::vector<litellm::LlmChunk> chunks;
      sse.feed(std::string_view(bytes).substr(0, cut), events);
      sse.feed(std::string_view(bytes).substr(cut), events);
      sse.finish(events);
      for (const auto& e : events) {
        REQUIRE(decoder->on_event(e, chunks).has_value());
      }
      REQUIRE(decoder->finish(chunks).has_value());
      CHECK(decoder->saw_end());
      REQUIRE(chunks.size() == data.size() - 1);
      for (std::size_t i = 0; i < chunks.size(); ++i) {
        CHECK(chunks[i].body == json::parse(data[i]));
      }
    }
  }
}

TEST_CASE("openai: a mid-stream error event fails the stream with the provider's message") {
  auto req =
      litellm::openai::parse_request(CallKind::Chat, fixture("openai", "chat.stream.request.json"));
  auto decoder = openai_adapter().new_stream(*req);
  std::vector<litellm::LlmChunk> chunks;
  litellm::Result<void> last;
  for (const auto& d :
       litellm::test::sse_data(fixture("openai", "chat-error-midstream.stream.sse"))) {
    last = decoder->on_event({{}, d}, chunks);
    if (!last) {
      break;
    }
  }
  REQUIRE_FALSE(last.has_value());
  CHECK(chunks.size() == 3);
  CHECK(last.error().message.find("The server had an error") != std::string::npos);
}

TEST_CASE("openai: every recorded error maps to its class - status kept - retry-after read") {
  struct Case {
    const char* file;
    int status;
    ErrorCode code;
  };
  const Case cases[] = {
      {"error-400.json", 400, ErrorCode::InvalidRequest},
      {"error-context-length.json", 400, ErrorCode::ContextWindowExceeded},
      {"error-content-filter.json", 400, ErrorCode::ContentPolicy},
      {"error-401.json", 401, ErrorCode::Authentication},
      {"error-403.json", 403, ErrorCode::PermissionDenied},
      {"error-404.json", 404, ErrorCode::NotFound},
      {"error-429.json", 429, ErrorCode::RateLimited},
      {"error-429-quota.json", 429, ErrorCode::RateLimited},
      {"error-500.json", 500, ErrorCode::UpstreamError},
      {"error-503.json", 503, ErrorCode::UpstreamUnavailable},
  };
  for (const auto& c : cases) {
    CAPTURE(c.file);
    const auto body = fixture_json("openai", c.file);
    UpstreamResponse resp{c.status, {}, body.dump()};
    if (c.status == 429) {
      resp.headers.emplace_back("Retry-After", "2");
    }
    const auto e = openai_adapter().map_error(resp);
    CHECK(e.code == c.code);
    CHECK(e.upstream_status == c.status);
    CHECK(e.message == "OpenAIException - " + body["error"]["message"].get<std::string>());
    if (c.status == 429) {
      REQUIRE(e.retry_after.has_value());
      CHECK(e.retry_after->count() == 2000);
    }
  }
}

TEST_CASE("registry: presets resolve with their default base URL - unknown prefixes do not") {
  litellm::providers::Registry registry;
  CHECK(registry.find("groq") != nullptr);
  CHECK(registry.key_variable("groq") == "GROQ_API_KEY");
  CHECK(registry.find("nosuch") == nullptr);
  auto req = litellm::openai::parse_request(
      CallKind::Chat, R"({"model":"g","messages":[{"role":"user","content":"x"}]})");
  litellm::providers::Target t;
  t.model = "llama3";
  CHECK(registry.find("groq")->build(*req, t)->url ==
        "https://api.groq.com/openai/v1/chat/completions");
  auto vllm = registry.find("hosted_vllm")->build(*req, t);
  REQUIRE_FALSE(vllm.has_value());
  CHECK(vllm.error().param == "api_base");
}
