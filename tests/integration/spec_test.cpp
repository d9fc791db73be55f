#include <doctest/doctest.h>

#include "integration/harness.hpp"
#include "support/openapi_validator.hpp"

using namespace litellm::test;  // NOLINT(google-build-using-namespace): test file
using nlohmann::json;

namespace {
void valid(const std::string& schema, const json& value) {
  const auto errors = OpenApiValidator::instance().validate(schema, value);
  CAPTURE(schema);
  CAPTURE(value.dump());
  std::string joined;
  for (const auto& e : errors) {
    joined += e + "\n";
  }
  CHECK(joined == "");
}
}  // namespace

TEST_CASE("spec: the validator rejects what the spec forbids") {
  json broken = fixture_json("openai", "chat.response.json");
  const auto& v = OpenApiValidator::instance();
  CHECK(v.validate("CreateChatCompletionResponse", broken).empty());
  broken["choices"][0]["finish_reason"] = "tired";
  broken["choices"][0].erase("index");
  broken["created"] = "yesterday";
  CHECK(v.validate("CreateChatCompletionResponse", broken).size() == 3);
  CHECK_FALSE(v.validate("ErrorResponse", json{{"error", {{"message", "x"}}}}).empty());
}

TEST_CASE("spec: what the gateway itself produces validates against OpenAI's OpenAPI spec") {
  MockUpstream up;
  up.reply_json("/v1/chat/completions", 429, fixture("openai", "error-429.json"));
  DaemonProcess d(gateway_config(up, "      num_retries: 0\n"));
  HttpClient c(d.port());
  const auto chat =
      c.post("/v1/chat/completions",
             R"({"model":"echo","messages":[{"role":"user","content":"hello"}]})", auth());
  REQUIRE(chat.status == 200);
  valid("CreateChatCompletionResponse", json::parse(chat.body));

  RawStream s(
      d.port(), "/v1/chat/completions",
      R"({"model":"echo","stream":true,"stream_options":{"include_usage":true},"messages":[{"role":"user","content":"a b"}]})",
      auth());
  s.read_to_end();
  const auto events = events_of(s.body());
  REQUIRE(events.size() > 2);
  for (std::size_t i = 0; i + 1 < events.size(); ++i) {
    valid("CreateChatCompletionStreamResponse", json::parse(events[i]));
  }

  const auto comp = c.post("/v1/completions", R"({"model":"echo","prompt":"say hi"})", auth());
  REQUIRE(comp.status == 200);
  valid("CreateCompletionResponse", json::parse(comp.body));

  const auto emb = c.post("/v1/embeddings", R"({"model":"echo","input":["a","b"]})", auth());
  REQUIRE(emb.status == 200);
  valid("CreateEmbeddingResponse", json::parse(emb.body));

  const auto models = c.get("/v1/models", auth());
  valid("ListModelsResponse", json::parse(models.body));
  valid("Model", json::parse(c.get("/v1/models/echo", auth()).body));

  for (const auto& r :
       {c.post("/v1/chat/completions", "{", auth()),
        c.post("/v1/chat/completions", chat_body("echo")),
        c.post("/v1/chat/completions", chat_body("nope"), auth()), c.get("/v1/models/nope", auth()),
        c.post("/v1/chat/completions", chat_body("gpt-4o"), auth())}) {
    CHECK(r.status >= 400);
    valid("ErrorResponse", json::parse(r.body));
  }
}
