#include <doctest/doctest.h>

#include "support/byte_cuts.hpp"
#include "support/fixtures.hpp"
#include "unit/providers/adapter_harness.hpp"

using namespace litellm;        // NOLINT(google-build-using-namespace): test file
using namespace litellm::test;  // NOLINT(google-build-using-namespace): test file
using nlohmann::json;

namespace {

providers::Target cohere_target(const std::string& model = "command-a-03-2025") {
  providers::Target t;
  t.provider = "cohere";
  t.model = model;
  t.api_key = core::Secret("co-key");
  return t;
}

json built(CallKind kind, const json& body, std::string* url = nullptr) {
  auto up = adapter("cohere").build(
      openai_request(kind, body),
      cohere_target(kind == CallKind::Embedding ? "embed-v4.0" : "command-a-03-2025"));
  REQUIRE_MESSAGE(up.has_value(), (up ? "" : up.error().message));
  if (url != nullptr) {
    *url = up->url;
  }
  bool bearer = false;
  for (const auto& [k, v] : up->headers) {
    bearer = bearer || (k == "Authorization" && v == "Bearer co-key");
  }
  CHECK(bearer);
  return json::parse(up->body);
}

}  // namespace

TEST_CASE("cohere: OpenAI requests become the recorded v2 chat and embed requests") {
  std::string url;
  CHECK(built(CallKind::Chat,
              {{"model", "c"},
               {"messages",
                {{{"role", "system"}, {"content", "You are a concise assistant."}},
                 {{"role", "user"}, {"content", "Hello world!"}}}},
               {"temperature", 0.3},
               {"top_p", 0.9},
               {"top_k", 0},
               {"max_tokens", 256},
               {"stop", "\n\n"},
               {"seed", 42}},
              &url) == fixture_json("cohere", "chat.request.json"));
  CHECK(url == "https://api.cohere.com/v2/chat");
  const auto tools_fx = fixture_json("cohere", "chat-tools.request.json");
  CHECK(built(CallKind::Chat,
              {{"model", "c"}, {"messages", tools_fx["messages"]}, {"tools", tools_fx["tools"]}}) ==
        tools_fx);
  const auto result_fx = fixture_json("cohere", "chat-tool-result.request.json");
  const auto& call = result_fx["messages"][1]["tool_calls"][0];
  CHECK(built(CallKind::Chat,
              {{"model", "c"},
               {"messages",
                {result_fx["messages"][0],
                 {{"role", "assistant"},
                  {"content", result_fx["messages"][1]["tool_plan"]},
                  {"tool_calls", {call}}},
                 {{"role", "tool"},
                  {"tool_call_id", call["id"]},
                  {"content", result_fx["messages"][2]["content"][0]["document"]["data"]}}}},
               {"tools", result_fx["tools"]}}) == result_fx);
  CHECK(built(CallKind::Embedding,
              {{"model", "e"}, {"input", {"hello", "goodbye"}}, {"dimensions", 256}},
              &url) == fixture_json("cohere", "embed.request.json"));
  CHECK(url == "https://api.cohere.com/v2/embed");
}

TEST_CASE("cohere: answers - tool calls - embeddings become OpenAI responses") {
  const auto& a = adapter("cohere");
  const auto req = openai_request(
      CallKind::Chat, {{"model", "c"}, {"messages", {{{"role", "user"}, {"content", "hi"}}}}});
  auto chat =
      a.parse(core::UpstreamResponse{200, {}, fixture("cohere", "chat.response.json")}, req);
  REQUIRE(chat.has_value());
  check_spec("CreateChatCompletionResponse", chat->body);
  CHECK(chat->body["choices"][0]["message"]["content"] == "Hello! How can I help you today?");
  CHECK(chat->body["usage"] ==
        json{{"prompt_tokens", 497}, {"completion_tokens", 11}, {"total_tokens", 508}});
  auto tools =
      a.parse(core::UpstreamResponse{200, {}, fixture("cohere", "chat-tools.response.json")}, req);
  REQUIRE(tools.has_value());
  check_spec("CreateChatCompletionResponse", tools->body);
  CHECK(tools->body["choices"][0]["finish_reason"] == "tool_calls");
  CHECK(tools->body["choices"][0]["message"]["tool_calls"][0]["id"] == "get_weather_1byjy32y4hvq");
  CHECK(tools->body["choices"][0]["message"]["content"] ==
        "I will search for the weather in Toronto.");
  auto after = a.parse(
      core::UpstreamResponse{200, {}, fixture("cohere", "chat-tool-result.response.json")}, req);
  REQUIRE(after.has_value());
  check_spec("CreateChatCompletionResponse", after->body);

  const auto ereq =
      openai_request(CallKind::Embedding, {{"model", "e"}, {"input", {"hello", "goodbye"}}});
  auto emb =
      a.parse(core::UpstreamResponse{200, {}, fixture("cohere", "embed.response.json")}, ereq);
  REQUIRE(emb.has_value());
  check_spec("CreateEmbeddingResponse", emb->body);
  CHECK(emb->body["data"][1]["embedding"] ==
        fixture_json("cohere", "embed.response.json")["embeddings"]["float"][1]);
}

TEST_CASE("cohere: recorded streams decode the same cut at every byte") {
  const auto& a = adapter("cohere");
  const auto req =
      openai_request(CallKind::Chat, {{"model", "c"},
                                      {"messages", {{{"role", "user"}, {"content", "hi"}}}},
                                      {"stream", true},
                                      {"stream_options", {{"include_usage", true}}}});
  const std::string bytes = fixture("cohere", "chat.stream.sse");
  const auto whole = decode(a, req, frame(core::Framing::Sse, bytes));
  REQUIRE_FALSE(whole.error.has_value());
  CHECK(whole.saw_end);
  CHECK(streamed_text(whole) == "Hello! How can I help you today?");
  CHECK(finish_reason(whole) == "stop");
  CHECK(whole.chunks.back()["usage"]["prompt_tokens"] == 497);
  for (const auto& c : whole.chunks) {
    check_spec("CreateChatCompletionStreamResponse", c);
  }
  for (const std::size_t cut : litellm::test::byte_cuts(1, bytes.size() - 1)) {
    const auto d = decode(a, req, frame(core::Framing::Sse, bytes, cut));
    REQUIRE_MESSAGE(d.chunks.size() == whole.chunks.size(), "cut at " << cut);
  }
  const auto tools =
      decode(a, req, frame(core::Framing::Sse, fixture("cohere", "chat-tools.stream.sse")));
  REQUIRE_FALSE(tools.error.has_value());
  CHECK(finish_reason(tools) == "tool_calls");
  std::string args;
  for (const auto& c : tools.chunks) {
    for (const auto& choice : c["choices"]) {
      for (const auto& call : choice["delta"].value("tool_calls", json::array())) {
        args += call["function"].value("arguments", "");
      }
    }
  }
  CHECK(json::parse(args) == json{{"location", "Toronto"}});
  CHECK(streamed_text(tools) == "I will search for the weather in Toronto.");
  const auto broken = decode(
      a, req,
      {{"message-end",
        R"({"type":"message-end","delta":{"finish_reason":"ERROR","error":"internal failure"}})"}});
  REQUIRE(broken.error.has_value());
  CHECK(broken.error->message == "CohereException - internal failure");
}

TEST_CASE("cohere: errors map to their class with Cohere's message") {
  const auto& a = adapter("cohere");
  const struct {
    const char* file;
    int status;
    ErrorCode code;
  } cases[] = {{"error-400.json", 400, ErrorCode::InvalidRequest},
               {"error-context-length.json", 400, ErrorCode::ContextWindowExceeded},
               {"error-401.json", 401, ErrorCode::Authentication},
               {"error-404.json", 404, ErrorCode::NotFound},
               {"error-429.json", 429, ErrorCode::RateLimited},
               {"error-500.json", 500, ErrorCode::UpstreamError},
               {"error-503.json", 503, ErrorCode::UpstreamUnavailable}};
  for (const auto& c : cases) {
    CAPTURE(c.file);
    const auto fx = fixture_json("cohere", c.file);
    const auto e = a.map_error(core::UpstreamResponse{c.status, {}, fx.dump()});
    CHECK(e.code == c.code);
    CHECK(e.message == "CohereException - " + fx["message"].get<std::string>());
  }
  CHECK(a.map_error(core::UpstreamResponse{498, {}, R"({"message":"invalid token"})"}).code ==
        ErrorCode::Authentication);
}
