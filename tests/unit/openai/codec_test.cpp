#include "openai/codec.hpp"

#include <doctest/doctest.h>

#include "support/fixtures.hpp"

using litellm::CallKind;
using litellm::ErrorCode;
using litellm::openai::parse_request;

TEST_CASE("codec: the recorded chat request parses with its fields lifted out") {
  const auto body = litellm::test::fixture("openai", "chat.stream.request.json");
  auto r = parse_request(CallKind::Chat, body);
  REQUIRE(r.has_value());
  CHECK(r->model == "gpt-4o-2024-08-06");
  CHECK(r->stream);
  CHECK(r->include_usage);
  CHECK(r->body["messages"].size() == 1);
}

TEST_CASE("codec: bad requests name the offending parameter") {
  struct Case {
    CallKind kind;
    const char* body;
    const char* param;
  };
  const Case cases[] = {
      {CallKind::Chat, "{not json", ""},
      {CallKind::Chat, "[1,2]", ""},
      {CallKind::Chat, R"({"messages":[{"role":"user","content":"x"}]})", "model"},
      {CallKind::Chat, R"({"model":5,"messages":[]})", "model"},
      {CallKind::Chat, R"({"model":"m"})", "messages"},
      {CallKind::Chat, R"({"model":"m","messages":"hi"})", "messages"},
      {CallKind::Chat, R"({"model":"m","messages":[]})", "messages"},
      {CallKind::Chat, R"({"model":"m","messages":[{"content":"x"}]})", "messages[0].role"},
      {CallKind::Chat, R"({"model":"m","messages":[{"role":"robot","content":"x"}]})",
       "messages[0].role"},
      {CallKind::Chat, R"({"model":"m","messages":[{"role":"user","content":5}]})",
       "messages[0].content"},
      {CallKind::Chat, R"({"model":"m","messages":[{"role":"user","content":"x"}],"stream":"yes"})",
       "stream"},
      {CallKind::Chat,
       R"({"model":"m","messages":[{"role":"user","content":"x"}],"temperature":"hot"})",
       "temperature"},
      {CallKind::Chat,
       R"({"model":"m","messages":[{"role":"user","content":"x"}],"max_tokens":1.5})",
       "max_tokens"},
      {CallKind::Completion, R"({"model":"m"})", "prompt"},
      {CallKind::Embedding, R"({"model":"m","input":5})", "input"},
  };
  for (const auto& c : cases) {
    CAPTURE(c.body);
    auto r = parse_request(c.kind, c.body);
    REQUIRE_FALSE(r.has_value());
    CHECK(r.error().code == ErrorCode::InvalidRequest);
    CHECK(r.error().param == c.param);
  }
}

TEST_CASE("codec: the model from the URL path replaces the body's") {
  auto r =
      parse_request(CallKind::Chat, R"({"messages":[{"role":"user","content":"x"}]})", "from-path");
  REQUIRE(r.has_value());
  CHECK(r->model == "from-path");
  CHECK(r->body["model"] == "from-path");
}

TEST_CASE("codec: SSE events and usage") {
  CHECK(litellm::openai::sse_event({{"a", 1}}) == "data: {\"a\":1}\n\n");
  const auto resp = litellm::test::fixture_json("openai", "chat.response.json");
  const auto u = litellm::openai::usage_of(resp);
  CHECK(u.prompt_tokens == 14);
  CHECK(u.completion_tokens == 37);
  CHECK(u.total_tokens == 51);
  CHECK(litellm::openai::usage_of(nlohmann::json::object()).total_tokens == 0);
}
