#include <doctest/doctest.h>

#include "support/byte_cuts.hpp"
#include "support/fixtures.hpp"
#include "unit/providers/adapter_harness.hpp"

using namespace litellm;        // NOLINT(google-build-using-namespace): test file
using namespace litellm::test;  // NOLINT(google-build-using-namespace): test file
using nlohmann::json;

namespace {

providers::Target claude(const std::string& model) {
  providers::Target t;
  t.provider = "anthropic";
  t.model = model;
  t.api_key = core::Secret("sk-ant-test");
  return t;
}

core::UpstreamRequest build(const json& openai_body, const providers::Target& t) {
  auto up = adapter("anthropic").build(openai_request(CallKind::Chat, openai_body), t);
  REQUIRE_MESSAGE(up.has_value(), (up ? "" : up.error().message));
  return *up;
}

std::string header(const core::UpstreamRequest& r, const std::string& name) {
  for (const auto& [k, v] : r.headers) {
    if (k == name) {
      return v;
    }
  }
  return {};
}

// The recorded SDK requests echo the response's tool_use blocks, `caller` included: a field
// only the API writes. Compare without it.
json without_caller(json j) {
  if (j.is_object()) {
    j.erase("caller");
    for (auto& [k, v] : j.items()) {
      v = without_caller(v);
    }
  } else if (j.is_array()) {
    for (auto& v : j) {
      v = without_caller(v);
    }
  }
  return j;
}

// The OpenAI tool that the recorded Anthropic requests declare.
json weather_tool(const json& anthropic_tool) {
  json fn = {{"name", anthropic_tool["name"]}, {"parameters", anthropic_tool["input_schema"]}};
  if (anthropic_tool.contains("description")) {
    fn["description"] = anthropic_tool["description"];
  }
  return {{"type", "function"}, {"function", fn}};
}

json tool_turns(const json& fixture_messages) {
  // user text, assistant tool_use, user tool_result -> the OpenAI conversation that made them
  const auto& use = fixture_messages[1]["content"][0];
  const auto& result = fixture_messages[2]["content"][0];
  return json::array(
      {{{"role", "user"}, {"content", fixture_messages[0]["content"]}},
       {{"role", "assistant"},
        {"content", nullptr},
        {"tool_calls",
         {{{"id", use["id"]},
           {"type", "function"},
           {"function", {{"name", use["name"]}, {"arguments", use["input"].dump()}}}}}}},
       {{"role", "tool"},
        {"tool_call_id", result["tool_use_id"]},
        {"content", result["content"]}}});
}

core::UpstreamResponse ok(const std::string& body) {
  return core::UpstreamResponse{200, {}, body};
}

}  // namespace

TEST_CASE("anthropic: system - images - stop and user map to the recorded Messages request") {
  const std::string png =
      "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+"
      "M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==";
  const auto up =
      build({{"model", "claude"},
             {"max_tokens", 1024},
             {"messages",
              {{{"role", "system"}, {"content", "You are a concise assistant."}},
               {{"role", "user"},
                {"content",
                 {{{"type", "image_url"}, {"image_url", {{"url", "data:image/png;base64," + png}}}},
                  {{"type", "text"}, {"text", "What colour is this pixel?"}}}}},
               {{"role", "assistant"}, {"content", "It is a single grey pixel."}},
               {{"role", "user"}, {"content", "Say hello in French."}}}},
             {"temperature", 0.7},
             {"top_p", 0.9},
             {"stop", "\n\nHuman:"},
             {"user", "user-1234"}},
            claude("claude-sonnet-4-5"));
  CHECK(up.url == "https://api.anthropic.com/v1/messages");
  CHECK(header(up, "x-api-key") == "sk-ant-test");
  CHECK(header(up, "anthropic-version") == "2023-06-01");
  CHECK(header(up, "Authorization").empty());
  CHECK(json::parse(up.body) == fixture_json("anthropic", "chat.request.json"));
}

TEST_CASE(
    "anthropic: tools - tool results - JSON schema and thinking map to the recorded requests") {
  const auto tools_fx = fixture_json("anthropic", "chat-tools.request.json");
  CHECK(json::parse(build({{"model", "c"},
                           {"max_tokens", 1024},
                           {"messages", tools_fx["messages"]},
                           {"tools", {weather_tool(tools_fx["tools"][0])}}},
                          claude("claude-haiku-4-5"))
                        .body) == tools_fx);

  for (const char* name : {"chat-tool-result.request.json", "chat.stream.request.json"}) {
    CAPTURE(name);
    const auto fx = fixture_json("anthropic", name);
    json req = {{"model", "c"},
                {"max_tokens", 1024},
                {"messages", tool_turns(fx["messages"])},
                {"tools", {weather_tool(fx["tools"][0])}}};
    if (fx.contains("stream")) {
      req["stream"] = true;
    }
    const auto up = build(req, claude("claude-haiku-4-5"));
    CHECK(json::parse(up.body) == without_caller(fx));
    CHECK(up.framing == (fx.contains("stream") ? core::Framing::Sse : core::Framing::None));
  }

  const auto schema_fx = fixture_json("anthropic", "chat-json-schema.request.json");
  const auto schema_up = build({{"model", "c"},
                                {"max_tokens", 1024},
                                {"messages", schema_fx["messages"]},
                                {"response_format",
                                 {{"type", "json_schema"},
                                  {"json_schema",
                                   {{"name", "OrderDetails"},
                                    {"schema", schema_fx["output_config"]["format"]["schema"]}}}}}},
                               claude("claude-sonnet-4-5"));
  CHECK(json::parse(schema_up.body) == schema_fx);
  CHECK(header(schema_up, "anthropic-beta") == "structured-outputs-2025-12-15");

  const auto thinking_fx = fixture_json("anthropic", "chat-thinking.request.json");
  CHECK(json::parse(build({{"model", "c"},
                           {"max_tokens", 16000},
                           {"thinking", thinking_fx["thinking"]},
                           {"messages", thinking_fx["messages"]}},
                          claude("claude-sonnet-4-5"))
                        .body) == thinking_fx);
}

TEST_CASE("anthropic: max_tokens is always sent and same-role turns are merged") {
  auto t = claude("claude-3-5-haiku-latest");
  auto body = json::parse(build({{"model", "c"},
                                 {"messages",
                                  {{{"role", "user"}, {"content", "a"}},
                                   {{"role", "user"}, {"content", "b"}},
                                   {{"role", "developer"}, {"content", "rules"}}}}},
                                t)
                              .body);
  CHECK(body["max_tokens"] == 4096);
  CHECK(body["system"] == "rules");
  REQUIRE(body["messages"].size() == 1);
  CHECK(body["messages"][0]["content"] ==
        json::array({{{"type", "text"}, {"text", "a"}}, {{"type", "text"}, {"text", "b"}}}));
  t.max_output_tokens = 8192;
  t.api_base = "https://proxy.example/anthropic/v1";
  const auto up = build({{"model", "c"}, {"messages", {{{"role", "user"}, {"content", "a"}}}}}, t);
  CHECK(json::parse(up.body)["max_tokens"] == 8192);
  CHECK(up.url == "https://proxy.example/anthropic/v1/messages");

  auto refused = adapter("anthropic")
                     .build(openai_request(CallKind::Chat,
                                           {{"model", "c"},
                                            {"messages", {{{"role", "user"}, {"content", "a"}}}},
                                            {"logit_bias", {{"1", 1}}}}),
                            claude("claude-sonnet-4-5"));
  REQUIRE_FALSE(refused.has_value());
  CHECK(refused.error().message.find(
            "anthropic does not support parameters: ['logit_bias'], for model=claude-sonnet-4-5") ==
        0);
  auto tool_choice = json::parse(
      build({{"model", "c"},
             {"messages", {{{"role", "user"}, {"content", "a"}}}},
             {"tools", {weather_tool({{"name", "f"}, {"input_schema", {{"type", "object"}}}})}},
             {"tool_choice", "required"},
             {"parallel_tool_calls", false}},
            t)
          .body);
  CHECK(tool_choice["tool_choice"] == json{{"type", "any"}, {"disable_parallel_tool_use", true}});
}

TEST_CASE("anthropic: recorded messages become OpenAI responses that match the spec") {
  const auto& a = adapter("anthropic");
  const auto req = openai_request(
      CallKind::Chat, {{"model", "m"}, {"messages", {{{"role", "user"}, {"content", "hi"}}}}});
  const struct {
    const char* file;
    const char* finish;
  } cases[] = {{"chat.response.json", "stop"},
               {"chat-tools.response.json", "tool_calls"},
               {"chat-stop-sequence.response.json", "stop"},
               {"chat-max-tokens.response.json", "length"},
               {"chat-thinking.response.json", "stop"},
               {"chat-json-schema.response.json", "stop"},
               {"chat-tool-result.response.json", "stop"}};
  for (const auto& c : cases) {
    CAPTURE(c.file);
    const auto fx = fixture_json("anthropic", c.file);
    auto r = a.parse(ok(fx.dump()), req);
    REQUIRE(r.has_value());
    check_spec("CreateChatCompletionResponse", r->body);
    const auto& choice = r->body["choices"][0];
    CHECK(choice["finish_reason"] == c.finish);
    CHECK(r->body["id"] == fx["id"]);
    const auto& u = fx["usage"];
    CHECK(r->body["usage"]["prompt_tokens"] == u["input_tokens"].get<int>() +
                                                   u.value("cache_read_input_tokens", 0) +
                                                   u.value("cache_creation_input_tokens", 0));
    CHECK(r->body["usage"]["completion_tokens"] == u["output_tokens"]);
    std::string text;
    for (const auto& b : fx["content"]) {
      if (b["type"] == "text") {
        text += b["text"].get<std::string>();
      }
    }
    if (!text.empty()) {
      CHECK(choice["message"]["content"] == text);
    }
  }
  auto tools = a.parse(ok(fixture("anthropic", "chat-tools.response.json")), req);
  const auto& call = tools->body["choices"][0]["message"]["tool_calls"][0];
  CHECK(call["id"] == "toolu_01GHndag5wQmbzNihYmV2UBj");
  CHECK(json::parse(call["function"]["arguments"].get<std::string>()) ==
        json{{"location", "San Francisco, CA"}, {"units", "c"}});
  auto thinking = a.parse(ok(fixture("anthropic", "chat-thinking.response.json")), req);
  CHECK(thinking->body["choices"][0]["message"]["reasoning_content"].get<std::string>().rfind(
            "Let me recall", 0) == 0);
  CHECK(thinking->body["choices"][0]["message"]["thinking_blocks"][0].contains("signature"));
}

TEST_CASE("anthropic: JSON mode without a schema rides on a forced tool and comes back as text") {
  const json body = {{"model", "m"},
                     {"messages", {{{"role", "user"}, {"content", "hi"}}}},
                     {"response_format", {{"type", "json_object"}}}};
  const auto sent = json::parse(build(body, claude("claude-sonnet-4-5")).body);
  CHECK(sent["tool_choice"] == json{{"type", "tool"}, {"name", "json_tool_call"}});
  const json answer = {{"id", "msg_1"},
                       {"type", "message"},
                       {"role", "assistant"},
                       {"model", "claude"},
                       {"content",
                        {{{"type", "tool_use"},
                          {"id", "toolu_1"},
                          {"name", "json_tool_call"},
                          {"input", {{"answer", 42}}}}}},
                       {"stop_reason", "tool_use"},
                       {"usage", {{"input_tokens", 5}, {"output_tokens", 3}}}};
  auto r = adapter("anthropic").parse(ok(answer.dump()), openai_request(CallKind::Chat, body));
  REQUIRE(r.has_value());
  CHECK(json::parse(r->body["choices"][0]["message"]["content"].get<std::string>()) ==
        json{{"answer", 42}});
  CHECK_FALSE(r->body["choices"][0]["message"].contains("tool_calls"));
  CHECK(r->body["choices"][0]["finish_reason"] == "stop");
}

TEST_CASE("anthropic: recorded SSE streams decode the same cut at every byte") {
  const auto& a = adapter("anthropic");
  auto req = openai_request(CallKind::Chat, {{"model", "m"},
                                             {"messages", {{{"role", "user"}, {"content", "hi"}}}},
                                             {"stream", true},
                                             {"stream_options", {{"include_usage", true}}}});
  for (const char* name : {"chat.stream.sse", "chat-tools.stream.sse", "chat-basic.stream.sse",
                           "chat-thinking.stream.sse", "chat-json-schema.stream.sse"}) {
    CAPTURE(name);
    const std::string bytes = fixture("anthropic", name);
    const auto whole = decode(a, req, frame(core::Framing::Sse, bytes));
    REQUIRE_MESSAGE(!whole.error.has_value(), (whole.error ? whole.error->message : ""));
    CHECK(whole.saw_end);
    REQUIRE_FALSE(whole.chunks.empty());
    CHECK(whole.chunks.back()["choices"].empty());  // the usage chunk
    CHECK(whole.chunks.back()["usage"]["completion_tokens"].get<int>() > 0);
    for (const auto& c : whole.chunks) {
      check_spec("CreateChatCompletionStreamResponse", c);
    }
    // The text is what the text_delta events carry, and nothing else.
    std::string want;
    for (const auto& data : sse_data(bytes)) {
      const auto ev = json::parse(data);
      if (ev["type"] == "content_block_delta" && ev["delta"]["type"] == "text_delta") {
        want += ev["delta"]["text"].get<std::string>();
      }
    }
    CHECK(streamed_text(whole) == want);
    for (const std::size_t cut : litellm::test::byte_cuts(1, bytes.size() - 1)) {
      const auto d = decode(a, req, frame(core::Framing::Sse, bytes, cut));
      REQUIRE_MESSAGE(d.chunks.size() == whole.chunks.size(), "cut at " << cut);
      CHECK(streamed_text(d) == want);
    }
  }
  const auto tools =
      decode(a, req, frame(core::Framing::Sse, fixture("anthropic", "chat-tools.stream.sse")));
  CHECK(finish_reason(tools) == "tool_calls");
  std::string args;
  for (const auto& c : tools.chunks) {
    for (const auto& choice : c["choices"]) {
      for (const auto& call : choice["delta"].value("tool_calls", json::array())) {
        CHECK(call["index"] == 0);
        args += call["function"]["arguments"].get<std::string>();
      }
    }
  }
  CHECK(json::parse(args) == json{{"location", "San Francisco, CA"}, {"units", "f"}});
  CHECK(tools.chunks.back()["usage"] == json{{"prompt_tokens", 656},
                                             {"completion_tokens", 74},
                                             {"total_tokens", 730},
                                             {"prompt_tokens_details", {{"cached_tokens", 0}}}});
  const auto thinking =
      decode(a, req, frame(core::Framing::Sse, fixture("anthropic", "chat-thinking.stream.sse")));
  CHECK(streamed_text(thinking, "reasoning_content").rfind("Let me recall Euclid-style", 0) == 0);

  const auto broken = decode(
      a, req, frame(core::Framing::Sse, fixture("anthropic", "chat-error-midstream.stream.sse")));
  REQUIRE(broken.error.has_value());
  CHECK(broken.error->message == "AnthropicException - Overloaded");
  CHECK(broken.error->code == ErrorCode::UpstreamUnavailable);
  CHECK(streamed_text(broken) == "Hello");
}

TEST_CASE("anthropic: recorded errors map to their class - context overflow - retry-after") {
  const auto& a = adapter("anthropic");
  const struct {
    const char* file;
    int status;
    ErrorCode code;
  } cases[] = {{"error-400-invalid-request.json", 400, ErrorCode::InvalidRequest},
               {"error-context-length.json", 400, ErrorCode::ContextWindowExceeded},
               {"error-401.json", 401, ErrorCode::Authentication},
               {"error-403.json", 403, ErrorCode::PermissionDenied},
               {"error-404.json", 404, ErrorCode::NotFound},
               {"error-413.json", 413, ErrorCode::PayloadTooLarge},
               {"error-429.json", 429, ErrorCode::RateLimited},
               {"error-500.json", 500, ErrorCode::UpstreamError},
               {"error-overloaded.json", 529, ErrorCode::UpstreamUnavailable}};
  for (const auto& c : cases) {
    CAPTURE(c.file);
    const auto body = fixture("anthropic", c.file);
    const auto e = a.map_error(core::UpstreamResponse{c.status, {{"retry-after", "7"}}, body});
    CHECK(e.code == c.code);
    CHECK(e.message ==
          "AnthropicException - " + json::parse(body)["error"]["message"].get<std::string>());
    CHECK(e.retry_after == std::chrono::milliseconds(7000));
  }
}
