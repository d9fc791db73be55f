#include <doctest/doctest.h>

#include "support/byte_cuts.hpp"
#include "support/fixtures.hpp"
#include "unit/providers/adapter_harness.hpp"

using namespace litellm;        // NOLINT(google-build-using-namespace): test file
using namespace litellm::test;  // NOLINT(google-build-using-namespace): test file
using nlohmann::json;

namespace {

providers::Target ollama_target(const std::string& model = "llama3.2") {
  providers::Target t;
  t.provider = "ollama";
  t.model = model;
  return t;
}

json built_body(CallKind kind, const json& openai_body, const providers::Target& t,
                std::string* url = nullptr) {
  auto up = adapter("ollama_chat").build(openai_request(kind, openai_body), t);
  REQUIRE_MESSAGE(up.has_value(), (up ? "" : up.error().message));
  if (url != nullptr) {
    *url = up->url;
  }
  return json::parse(up->body);
}

const json kWeatherTool = {
    {"type", "function"},
    {"function",
     {{"name", "get_weather"},
      {"description", "Get the weather in a given city"},
      {"parameters",
       {{"type", "object"},
        {"properties",
         {{"city", {{"type", "string"}, {"description", "The city to get the weather for"}}}}},
        {"required", {"city"}}}}}}};

core::UpstreamResponse ok(const std::string& body) {
  return core::UpstreamResponse{200, {}, body};
}

}  // namespace

TEST_CASE("ollama: an OpenAI chat request becomes the recorded /api/chat request") {
  std::string url;
  const json body = built_body(
      CallKind::Chat,
      {{"model", "local"},
       {"messages",
        {{{"role", "system"}, {"content", "You are a concise assistant."}},
         {{"role", "user"}, {"content", {{{"type", "text"}, {"text", "why is the sky blue?"}}}}}}},
       {"temperature", 0.7},
       {"top_p", 0.9},
       {"max_tokens", 256},
       {"stop", "\n\n"},
       {"metadata", {{"team", "x"}}}},
      ollama_target(), &url);
  CHECK(url == "http://localhost:11434/api/chat");
  CHECK(body == fixture_json("ollama", "chat.request.json"));
}

TEST_CASE(
    "ollama: tools - tool calls in history - images and JSON schemas map to Ollama's fields") {
  CHECK(
      built_body(CallKind::Chat,
                 {{"model", "m"},
                  {"messages", {{{"role", "user"}, {"content", "what is the weather in tokyo?"}}}},
                  {"tools", {kWeatherTool}}},
                 ollama_target()) == fixture_json("ollama", "chat-tools.request.json"));
  CHECK(built_body(
            CallKind::Chat,
            {{"model", "m"},
             {"messages",
              {{{"role", "user"}, {"content", "what is the weather in Toronto?"}},
               {{"role", "assistant"},
                {"content", nullptr},
                {"tool_calls",
                 {{{"id", "call_1"},
                   {"type", "function"},
                   {"function",
                    {{"name", "get_weather"}, {"arguments", "{\"city\":\"Toronto\"}"}}}}}}},
               {{"role", "tool"}, {"tool_call_id", "call_1"}, {"content", "11 degrees celsius"}}}},
             {"tools", {kWeatherTool}}},
            ollama_target()) == fixture_json("ollama", "chat-tool-result.request.json"));
  const std::string png =
      "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+"
      "M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==";
  CHECK(built_body(CallKind::Chat,
                   {{"model", "m"},
                    {"messages",
                     {{{"role", "user"},
                       {"content",
                        {{{"type", "text"}, {"text", "what is in this image?"}},
                         {{"type", "image_url"},
                          {"image_url", {{"url", "data:image/png;base64," + png}}}}}}}}}},
                   ollama_target("llava")) == fixture_json("ollama", "chat-image.request.json"));
  const auto schema = fixture_json("ollama", "chat-json-format.request.json")["format"];
  CHECK(built_body(
            CallKind::Chat,
            {{"model", "m"},
             {"messages",
              {{{"role", "user"},
                {"content",
                 "Ollama is 22 years old and busy saving the world. Return a JSON object "
                 "with the age and availability."}}}},
             {"response_format",
              {{"type", "json_schema"}, {"json_schema", {{"name", "x"}, {"schema", schema}}}}},
             {"temperature", 0}},
            ollama_target("llama3.1")) == fixture_json("ollama", "chat-json-format.request.json"));
}

TEST_CASE("ollama: embeddings and completions use /api/embed and /api/generate") {
  std::string url;
  CHECK(built_body(CallKind::Embedding,
                   {{"model", "e"}, {"input", {"Why is the sky blue?", "Why is the grass green?"}}},
                   ollama_target("all-minilm"),
                   &url) == fixture_json("ollama", "embed.request.json"));
  CHECK(url == "http://localhost:11434/api/embed");
  auto t = ollama_target();
  t.api_base = "http://gpu:11434/";
  CHECK(built_body(CallKind::Completion, {{"model", "c"}, {"prompt", "Why is the sky blue?"}}, t,
                   &url) == fixture_json("ollama", "generate.request.json"));
  CHECK(url == "http://gpu:11434/api/generate");
}

TEST_CASE("ollama: unsupported OpenAI parameters are refused by name unless drop_params") {
  const json body = {{"model", "m"},
                     {"messages", {{{"role", "user"}, {"content", "hi"}}}},
                     {"logit_bias", {{"1", 2}}},
                     {"n", 2}};
  auto t = ollama_target();
  auto refused = adapter("ollama").build(openai_request(CallKind::Chat, body), t);
  REQUIRE_FALSE(refused.has_value());
  CHECK(refused.error().code == ErrorCode::UnsupportedParam);
  CHECK(refused.error().message.find("ollama does not support parameters: ['n', 'logit_bias']") ==
        0);
  t.drop_params = true;
  auto dropped = adapter("ollama").build(openai_request(CallKind::Chat, body), t);
  REQUIRE(dropped.has_value());
  CHECK_FALSE(json::parse(dropped->body).contains("logit_bias"));
  CHECK_FALSE(json::parse(dropped->body)["options"].contains("n"));
  const json remote_image = {
      {"model", "m"},
      {"messages",
       {{{"role", "user"},
         {"content",
          {{{"type", "image_url"}, {"image_url", {{"url", "https://x.test/a.png"}}}}}}}}}};
  auto image = adapter("ollama").build(openai_request(CallKind::Chat, remote_image), t);
  REQUIRE_FALSE(image.has_value());
  CHECK(image.error().message.find("base64 data: URLs") != std::string::npos);
}

TEST_CASE("ollama: recorded answers become OpenAI responses that match the spec") {
  const auto& a = adapter("ollama");
  const auto chat_req = openai_request(
      CallKind::Chat, {{"model", "m"}, {"messages", {{{"role", "user"}, {"content", "hi"}}}}});
  auto chat = a.parse(ok(fixture("ollama", "chat.response.json")), chat_req);
  REQUIRE(chat.has_value());
  const auto& r = chat->body;
  check_spec("CreateChatCompletionResponse", r);
  CHECK(r["choices"][0]["message"]["content"] == "Hello! How are you today?");
  CHECK(r["choices"][0]["finish_reason"] == "stop");
  CHECK(r["usage"] ==
        json{{"prompt_tokens", 26}, {"completion_tokens", 298}, {"total_tokens", 324}});
  CHECK(r["created"] == 1702390423);  // 2023-12-12T14:13:43Z
  CHECK(r["id"].get<std::string>().rfind("chatcmpl-", 0) == 0);

  for (const char* name : {"chat-tools.response.json", "chat-tools-newer-server.response.json"}) {
    CAPTURE(name);
    auto tools = a.parse(ok(fixture("ollama", name)), chat_req);
    REQUIRE(tools.has_value());
    check_spec("CreateChatCompletionResponse", tools->body);
    const auto& choice = tools->body["choices"][0];
    CHECK(choice["finish_reason"] == "tool_calls");
    const auto& call = choice["message"]["tool_calls"][0];
    CHECK(call["type"] == "function");
    CHECK(call["function"]["name"] == "get_weather");
    CHECK(json::parse(call["function"]["arguments"].get<std::string>()) == json{{"city", "Tokyo"}});
    CHECK(call["id"].get<std::string>().rfind("call_", 0) == 0);
  }
  auto newer = a.parse(ok(fixture("ollama", "chat-tools-newer-server.response.json")), chat_req);
  CHECK(newer->body["choices"][0]["message"]["tool_calls"][0]["id"] == "call_k3x9q2ab");
  auto length = a.parse(ok(fixture("ollama", "chat-length.response.json")), chat_req);
  CHECK(length->body["choices"][0]["finish_reason"] == "length");

  const auto gen_req = openai_request(CallKind::Completion, {{"model", "m"}, {"prompt", "hi"}});
  auto gen = a.parse(ok(fixture("ollama", "generate.response.json")), gen_req);
  REQUIRE(gen.has_value());
  check_spec("CreateCompletionResponse", gen->body);
  CHECK(gen->body["choices"][0]["text"] == "The sky is blue because it is the color of the sky.");

  const auto emb_req = openai_request(CallKind::Embedding, {{"model", "m"}, {"input", "hi"}});
  auto emb = a.parse(ok(fixture("ollama", "embed.response.json")), emb_req);
  REQUIRE(emb.has_value());
  check_spec("CreateEmbeddingResponse", emb->body);
  CHECK(emb->body["data"].size() == 2);
  CHECK(emb->body["data"][1]["embedding"] ==
        fixture_json("ollama", "embed.response.json")["embeddings"][1]);
  CHECK(emb->body["usage"]["prompt_tokens"] == 16);
  CHECK_FALSE(a.parse(ok("{\"model\":\"x\"}"), chat_req).has_value());
  CHECK_FALSE(a.parse(ok("not json"), chat_req).has_value());
}

TEST_CASE("ollama: recorded NDJSON streams decode the same cut at every byte") {
  const auto& a = adapter("ollama");
  auto req = openai_request(CallKind::Chat, {{"model", "m"},
                                             {"messages", {{{"role", "user"}, {"content", "hi"}}}},
                                             {"stream", true},
                                             {"stream_options", {{"include_usage", true}}}});
  const std::string bytes = fixture("ollama", "chat.stream.ndjson");
  const auto whole = decode(a, req, frame(core::Framing::Ndjson, bytes));
  REQUIRE_FALSE(whole.error.has_value());
  CHECK(whole.saw_end);
  CHECK(streamed_text(whole) == "The sky is blue because of Rayleigh scattering.");
  CHECK(finish_reason(whole) == "stop");
  CHECK(whole.chunks.front()["choices"][0]["delta"]["role"] == "assistant");
  CHECK(whole.chunks.back()["choices"].empty());
  CHECK(whole.chunks.back()["usage"] ==
        json{{"prompt_tokens", 26}, {"completion_tokens", 282}, {"total_tokens", 308}});
  for (const auto& c : whole.chunks) {
    check_spec("CreateChatCompletionStreamResponse", c);
    CHECK(c["id"] == whole.chunks.front()["id"]);
  }
  for (const std::size_t cut : litellm::test::byte_cuts(1, bytes.size() - 1)) {
    const auto d = decode(a, req, frame(core::Framing::Ndjson, bytes, cut));
    REQUIRE_MESSAGE(d.chunks.size() == whole.chunks.size(), "cut at " << cut);
    CHECK(streamed_text(d) == streamed_text(whole));
  }
  req.include_usage = false;
  CHECK(decode(a, req, frame(core::Framing::Ndjson, bytes))
            .chunks.back()["choices"][0]["finish_reason"] == "stop");
}

TEST_CASE("ollama: streamed tool calls - thinking and a mid-stream error") {
  const auto& a = adapter("ollama");
  const auto req = openai_request(
      CallKind::Chat,
      {{"model", "m"}, {"messages", {{{"role", "user"}, {"content", "hi"}}}}, {"stream", true}});
  const auto tools =
      decode(a, req, frame(core::Framing::Ndjson, fixture("ollama", "chat-tools.stream.ndjson")));
  REQUIRE_FALSE(tools.error.has_value());
  CHECK(finish_reason(tools) == "tool_calls");
  const auto& call = tools.chunks[0]["choices"][0]["delta"]["tool_calls"][0];
  CHECK(call["index"] == 0);
  CHECK(call["function"]["name"] == "get_weather");
  CHECK(call["function"]["arguments"] == "{\"city\":\"Tokyo\"}");
  for (const auto& c : tools.chunks) {
    check_spec("CreateChatCompletionStreamResponse", c);
  }

  const auto thinking = decode(
      a, req, frame(core::Framing::Ndjson, fixture("ollama", "chat-thinking.stream.ndjson")));
  CHECK(streamed_text(thinking, "reasoning_content") == "Okay, the user asks");
  CHECK(streamed_text(thinking) == "Rayleigh scattering.");

  const auto broken =
      decode(a, req,
             frame(core::Framing::Ndjson, fixture("ollama", "chat-error-midstream.stream.ndjson")));
  REQUIRE(broken.error.has_value());
  CHECK(broken.error->message ==
        "OllamaException - an error was encountered while running the model");
  CHECK(streamed_text(broken) == " Yes.");
  const auto cut_short = decode(
      a, req, frame(core::Framing::Ndjson, fixture("ollama", "chat.stream.ndjson").substr(0, 200)));
  CHECK(cut_short.error.has_value());
  CHECK_FALSE(cut_short.saw_end);
}

TEST_CASE("ollama: recorded errors map to their class with Ollama's message") {
  const auto& a = adapter("ollama");
  const struct {
    const char* file;
    int status;
    ErrorCode code;
  } cases[] = {{"error-400-model-required.json", 400, ErrorCode::InvalidRequest},
               {"error-404-model-not-found.json", 404, ErrorCode::NotFound},
               {"error-404-model-not-found-pull-hint.json", 404, ErrorCode::NotFound},
               {"error-500.json", 500, ErrorCode::UpstreamError},
               {"error-503-queue-full.json", 503, ErrorCode::UpstreamUnavailable}};
  for (const auto& c : cases) {
    CAPTURE(c.file);
    const auto body = fixture("ollama", c.file);
    const auto e = a.map_error(core::UpstreamResponse{c.status, {}, body});
    CHECK(e.code == c.code);
    CHECK(e.upstream_status == c.status);
    CHECK(e.message == "OllamaException - " + json::parse(body)["error"].get<std::string>());
  }
}

TEST_CASE(
    "deployment params: additional_drop_params - extra_body and extra_headers reach the provider") {
  auto t = ollama_target();
  t.default_params = {{"additional_drop_params", {"seed"}},
                      {"extra_body", {{"keep_alive", "10m"}}},
                      {"num_ctx", 8192}};
  t.extra_headers = {{"X-Team", "blue"}};
  auto up = adapter("ollama").build(
      openai_request(CallKind::Chat, {{"model", "m"},
                                      {"messages", {{{"role", "user"}, {"content", "hi"}}}},
                                      {"seed", 7},
                                      {"extra_body", {{"think", false}}}}),
      t);
  REQUIRE(up.has_value());
  const auto body = json::parse(up->body);
  CHECK_FALSE(body.value("options", json::object()).contains("seed"));
  CHECK(body["options"]["num_ctx"] == 8192);
  CHECK(body["keep_alive"] == "10m");
  CHECK(body["think"] == false);
  CHECK_FALSE(body.contains("extra_body"));
  CHECK_FALSE(body.contains("additional_drop_params"));
  bool team = false;
  for (const auto& [k, v] : up->headers) {
    team = team || (k == "X-Team" && v == "blue");
  }
  CHECK(team);
}
