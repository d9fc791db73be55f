#include <doctest/doctest.h>

#include "support/byte_cuts.hpp"
#include "support/fixtures.hpp"
#include "unit/providers/adapter_harness.hpp"

using namespace litellm;        // NOLINT(google-build-using-namespace): test file
using namespace litellm::test;  // NOLINT(google-build-using-namespace): test file
using nlohmann::json;

namespace {

providers::Target gemini_target(const std::string& model = "gemini-2.0-flash") {
  providers::Target t;
  t.provider = "gemini";
  t.model = model;
  t.api_key = core::Secret("AIza-test");
  return t;
}

core::UpstreamRequest build(CallKind kind, const json& openai_body,
                            const providers::Target& t = gemini_target()) {
  auto up = adapter("gemini").build(openai_request(kind, openai_body), t);
  REQUIRE_MESSAGE(up.has_value(), (up ? "" : up.error().message));
  return *up;
}

const json kWeather = {
    {"type", "function"},
    {"function",
     {{"name", "get_current_weather"},
      {"description", "Get the current weather in a given location"},
      {"parameters",
       {{"type", "object"},
        {"properties",
         {{"location",
           {{"type", "string"}, {"description", "The city and state, e.g. San Francisco, CA"}}},
          {"unit", {{"type", "string"}, {"enum", {"celsius", "fahrenheit"}}}}}},
        {"required", {"location"}}}}}}};

const json kBoston = {{"role", "user"}, {"content", "What is the weather like in Boston?"}};

core::UpstreamResponse ok(const std::string& body) {
  return core::UpstreamResponse{200, {}, body};
}

}  // namespace

TEST_CASE("gemini: OpenAI chat requests become the recorded generateContent requests") {
  const auto up = build(
      CallKind::Chat,
      {{"model", "g"},
       {"messages",
        {{{"role", "system"}, {"content", "You are a concise assistant."}},
         {{"role", "user"}, {"content", "Hello"}},
         {{"role", "assistant"}, {"content", "Great to meet you. What would you like to know?"}},
         {{"role", "user"},
          {"content", "I have two dogs in my house. How many paws are in my house?"}}}},
       {"temperature", 0.7},
       {"top_p", 0.9},
       {"top_k", 40},
       {"max_tokens", 256},
       {"stop", {"END"}},
       {"n", 1},
       {"safetySettings",
        {{{"category", "HARM_CATEGORY_HARASSMENT"}, {"threshold", "BLOCK_ONLY_HIGH"}}}}});
  CHECK(up.url ==
        "https://generativelanguage.googleapis.com/v1beta/models/gemini-2.0-flash:generateContent");
  bool keyed = false;
  for (const auto& [k, v] : up.headers) {
    keyed = keyed || (k == "x-goog-api-key" && v == "AIza-test");
  }
  CHECK(keyed);
  CHECK(json::parse(up.body) == fixture_json("gemini", "generate.request.json"));

  CHECK(json::parse(build(CallKind::Chat, {{"model", "g"},
                                           {"messages", {kBoston}},
                                           {"tools", {kWeather}},
                                           {"tool_choice", "auto"}})
                        .body) == fixture_json("gemini", "generate-tools.request.json"));
  CHECK(json::parse(
            build(CallKind::Chat, {{"model", "g"},
                                   {"messages",
                                    {kBoston,
                                     {{"role", "assistant"},
                                      {"content", nullptr},
                                      {"tool_calls",
                                       {{{"id", "call_9"},
                                         {"type", "function"},
                                         {"function",
                                          {{"name", "get_current_weather"},
                                           {"arguments", "{\"location\":\"Boston, MA\"}"}}}}}}},
                                     {{"role", "tool"},
                                      {"tool_call_id", "call_9"},
                                      {"content",
                                       "{\"temperature\":14,\"unit\":\"celsius\",\"description\":"
                                       "\"Partly cloudy\"}"}}}},
                                   {"tools", {kWeather}}})
                .body) == fixture_json("gemini", "generate-tool-result.request.json"));
  const auto json_fx = fixture_json("gemini", "generate-json.request.json");
  CHECK(
      json::parse(build(CallKind::Chat,
                        {{"model", "g"},
                         {"messages",
                          {{{"role", "user"}, {"content", "List a few popular cookie recipes."}}}},
                         {"response_format",
                          {{"type", "json_schema"},
                           {"json_schema",
                            {{"name", "recipes"},
                             {"schema", json_fx["generationConfig"]["responseSchema"]}}}}}})
                      .body) == json_fx);
  const std::string png =
      "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+"
      "M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==";
  CHECK(json::parse(
            build(CallKind::Chat, {{"model", "g"},
                                   {"messages",
                                    {{{"role", "user"},
                                      {"content",
                                       {{{"type", "image_url"},
                                         {"image_url", {{"url", "data:image/png;base64," + png}}}},
                                        {{"type", "text"}, {"text", "Caption this image."}}}}}}}})
                .body) == fixture_json("gemini", "generate-image.request.json"));
  const auto thinking =
      build(CallKind::Chat,
            {{"model", "g"},
             {"messages",
              {{{"role", "user"},
                {"content", "I have two dogs in my house. How many paws are in my house?"}}}},
             {"thinking", {{"type", "enabled"}, {"budget_tokens", 1024}}},
             {"stream", true}});
  CHECK(json::parse(thinking.body) == fixture_json("gemini", "generate-thinking.request.json"));
  CHECK(thinking.url ==
        "https://generativelanguage.googleapis.com/v1beta/models/"
        "gemini-2.0-flash:streamGenerateContent?alt=sse");
}

TEST_CASE("gemini: embeddings use embedContent for one input and batchEmbedContents for a list") {
  auto t = gemini_target("text-embedding-004");
  t.api_base = "http://127.0.0.1:9/v1beta/";
  const auto one = build(CallKind::Embedding,
                         {{"model", "e"},
                          {"input", "What is the meaning of life?"},
                          {"dimensions", 8},
                          {"task_type", "RETRIEVAL_QUERY"}},
                         t);
  CHECK(one.url == "http://127.0.0.1:9/v1beta/models/text-embedding-004:embedContent");
  CHECK(json::parse(one.body) == fixture_json("gemini", "embed-content.request.json"));
  const auto batch =
      build(CallKind::Embedding,
            {{"model", "e"},
             {"input", {"What is the meaning of life?", "How much wood would a woodchuck chuck?"}},
             {"dimensions", 8}},
            t);
  CHECK(batch.url == "http://127.0.0.1:9/v1beta/models/text-embedding-004:batchEmbedContents");
  CHECK(json::parse(batch.body) == fixture_json("gemini", "batch-embed-contents.request.json"));

  const auto req = openai_request(CallKind::Embedding, {{"model", "e"}, {"input", {"a", "b"}}});
  auto r =
      adapter("gemini").parse(ok(fixture("gemini", "batch-embed-contents.response.json")), req);
  REQUIRE(r.has_value());
  check_spec("CreateEmbeddingResponse", r->body);
  CHECK(r->body["data"][1]["embedding"] ==
        fixture_json("gemini", "batch-embed-contents.response.json")["embeddings"][1]["values"]);
  auto single = adapter("gemini").parse(ok(fixture("gemini", "embed-content.response.json")), req);
  REQUIRE(single.has_value());
  CHECK(single->body["data"].size() == 1);
}

TEST_CASE(
    "gemini: recorded answers - tool calls - limits and safety blocks become OpenAI responses") {
  const auto& a = adapter("gemini");
  const auto req = openai_request(CallKind::Chat, {{"model", "g"}, {"messages", {kBoston}}});
  const struct {
    const char* file;
    const char* finish;
  } cases[] = {{"generate.response.json", "stop"},
               {"generate-tools.response.json", "tool_calls"},
               {"generate-tool-result.response.json", "stop"},
               {"generate-max-tokens.response.json", "length"},
               {"generate-safety-blocked-prompt.response.json", "content_filter"},
               {"generate-safety-blocked-candidate.response.json", "content_filter"}};
  for (const auto& c : cases) {
    CAPTURE(c.file);
    const auto fx = fixture_json("gemini", c.file);
    auto r = a.parse(ok(fx.dump()), req);
    REQUIRE_MESSAGE(r.has_value(), (r ? "" : r.error().message));
    check_spec("CreateChatCompletionResponse", r->body);
    CHECK(r->body["choices"][0]["finish_reason"] == c.finish);
    CHECK(r->body["usage"]["prompt_tokens"] == fx["usageMetadata"]["promptTokenCount"]);
  }
  auto r = a.parse(ok(fixture("gemini", "generate.response.json")), req);
  CHECK(r->body["choices"][0]["message"]["content"] ==
        "Two dogs have 8 paws in total (4 paws each).\n");
  CHECK(r->body["model"] == fixture_json("gemini", "generate.response.json")["modelVersion"]);
  auto tools = a.parse(ok(fixture("gemini", "generate-tools.response.json")), req);
  const auto& call = tools->body["choices"][0]["message"]["tool_calls"][0];
  CHECK(call["function"]["name"] == "get_current_weather");
  CHECK(json::parse(call["function"]["arguments"].get<std::string>()) ==
        json{{"location", "Boston, MA"}});
  CHECK(call["id"].get<std::string>().rfind("call_", 0) == 0);
}

TEST_CASE("gemini: recorded CRLF streams decode the same cut at every byte") {
  const auto& a = adapter("gemini");
  auto req = openai_request(CallKind::Chat, {{"model", "g"},
                                             {"messages", {kBoston}},
                                             {"stream", true},
                                             {"stream_options", {{"include_usage", true}}}});
  const std::string bytes = fixture("gemini", "generate.stream.sse");
  REQUIRE(bytes.find("\r\n\r\n") != std::string::npos);
  const auto whole = decode(a, req, frame(core::Framing::Sse, bytes));
  REQUIRE_FALSE(whole.error.has_value());
  CHECK(whole.saw_end);
  std::string want;
  for (const auto& data : sse_data(bytes)) {
    const auto event = json::parse(data);
    for (const auto& part : event["candidates"][0]["content"]["parts"]) {
      want += part["text"].get<std::string>();
    }
  }
  CHECK(streamed_text(whole) == want);
  CHECK(finish_reason(whole) == "stop");
  CHECK(whole.chunks.back()["choices"].empty());
  const auto last = json::parse(sse_data(bytes).back());
  CHECK(whole.chunks.back()["usage"]["completion_tokens"] ==
        last["usageMetadata"]["candidatesTokenCount"]);
  for (const auto& c : whole.chunks) {
    check_spec("CreateChatCompletionStreamResponse", c);
  }
  for (const std::size_t cut : litellm::test::byte_cuts(1, bytes.size() - 1)) {
    const auto d = decode(a, req, frame(core::Framing::Sse, bytes, cut));
    REQUIRE_MESSAGE(d.chunks.size() == whole.chunks.size(), "cut at " << cut);
    CHECK(streamed_text(d) == want);
  }
  const auto tools =
      decode(a, req, frame(core::Framing::Sse, fixture("gemini", "generate-tools.stream.sse")));
  CHECK(finish_reason(tools) == "tool_calls");
  const auto thinking =
      decode(a, req, frame(core::Framing::Sse, fixture("gemini", "generate-thinking.stream.sse")));
  CHECK(streamed_text(thinking, "reasoning_content").rfind("**Counting paws**", 0) == 0);
  CHECK(streamed_text(thinking) == "There are 8 paws in your house.");
  CHECK(thinking.chunks.back()["usage"].contains("completion_tokens_details"));
  const auto cut_short =
      decode(a, req, frame(core::Framing::Sse, bytes.substr(0, bytes.find("\r\n\r\n") + 4)));
  CHECK(cut_short.error.has_value());
  const auto broken = decode(
      a, req, {{"", R"({"error":{"code":503,"message":"overloaded","status":"UNAVAILABLE"}})"}});
  REQUIRE(broken.error.has_value());
  CHECK(broken.error->code == ErrorCode::UpstreamUnavailable);
}

TEST_CASE("gemini: recorded errors map to their class - bad keys - quota retry delay - context") {
  const auto& a = adapter("gemini");
  const struct {
    const char* file;
    ErrorCode code;
  } cases[] = {{"error-400.json", ErrorCode::InvalidRequest},
               {"error-400-api-key-invalid.json", ErrorCode::Authentication},
               {"error-context-length.json", ErrorCode::ContextWindowExceeded},
               {"error-403.json", ErrorCode::PermissionDenied},
               {"error-404.json", ErrorCode::NotFound},
               {"error-429.json", ErrorCode::RateLimited},
               {"error-500.json", ErrorCode::UpstreamError},
               {"error-overloaded.json", ErrorCode::UpstreamUnavailable}};
  for (const auto& c : cases) {
    CAPTURE(c.file);
    const auto fx = fixture_json("gemini", c.file);
    const auto e =
        a.map_error(core::UpstreamResponse{fx["error"]["code"].get<int>(), {}, fx.dump()});
    CHECK(e.code == c.code);
    CHECK(e.message == "GeminiException - " + fx["error"]["message"].get<std::string>());
  }
  const auto quota =
      a.map_error(core::UpstreamResponse{429, {}, fixture("gemini", "error-429.json")});
  CHECK(quota.retry_after == std::chrono::milliseconds(37000));
}
