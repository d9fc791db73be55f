#include "providers/mock/mock_responder.hpp"

#include <doctest/doctest.h>

#include "openai/codec.hpp"

using litellm::CallKind;
using litellm::providers::mock::MockSpec;

namespace {
litellm::LlmRequest chat(const char* body) {
  return *litellm::openai::parse_request(CallKind::Chat, body);
}
}  // namespace

TEST_CASE("mock: echo repeats the last user message - streamed or not") {
  auto req = chat(
      R"({"model":"e","stream_options":{"include_usage":true},"messages":[{"role":"user","content":"first"},{"role":"assistant","content":"x"},{"role":"user","content":"hello big world"}]})");
  MockSpec spec{"echo", std::nullopt, "chatcmpl-1", 7};
  auto r = litellm::providers::mock::respond(req, spec);
  REQUIRE(r.has_value());
  CHECK(r->body["choices"][0]["message"]["content"] == "hello big world");
  CHECK(r->body["object"] == "chat.completion");
  CHECK(r->body["usage"]["completion_tokens"] == 3);
  auto chunks = litellm::providers::mock::respond_stream(req, spec);
  REQUIRE(chunks.has_value());
  std::string joined;
  for (const auto& c : *chunks) {
    if (!c.body["choices"].empty() && c.body["choices"][0]["delta"].contains("content")) {
      joined += c.body["choices"][0]["delta"]["content"].get<std::string>();
    }
  }
  CHECK(joined == "hello big world");
  CHECK(chunks->back().body["usage"]["total_tokens"] == r->body["usage"]["total_tokens"]);
  CHECK((*chunks)[chunks->size() - 2].body["choices"][0]["finish_reason"] == "stop");
}

TEST_CASE("mock: mock_response text - and exception names fail with that class") {
  auto req = chat(R"({"model":"e","messages":[{"role":"user","content":"x"}]})");
  auto fixed = litellm::providers::mock::respond(req, MockSpec{"m", "canned", "id", 0});
  REQUIRE(fixed.has_value());
  CHECK(fixed->body["choices"][0]["message"]["content"] == "canned");
  auto limited =
      litellm::providers::mock::respond(req, MockSpec{"m", "litellm.RateLimitError", "id", 0});
  REQUIRE_FALSE(limited.has_value());
  CHECK(limited.error().code == litellm::ErrorCode::RateLimited);
  CHECK(limited.error().provider == "mock");
}

TEST_CASE("mock: embeddings are deterministic vectors of the asked dimension") {
  auto req = *litellm::openai::parse_request(CallKind::Embedding,
                                             R"({"model":"e","input":["a","b"],"dimensions":4})");
  auto a = litellm::providers::mock::respond(req, MockSpec{"e", std::nullopt, "id", 0});
  auto b = litellm::providers::mock::respond(req, MockSpec{"e", std::nullopt, "id", 0});
  REQUIRE(a.has_value());
  CHECK(a->body == b->body);
  CHECK(a->body["data"].size() == 2);
  CHECK(a->body["data"][0]["embedding"].size() == 4);
  CHECK(a->body["data"][0]["embedding"] != a->body["data"][1]["embedding"]);
}
