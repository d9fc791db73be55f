#include "openai/anthropic_inbound.hpp"

#include <doctest/doctest.h>

#include "http/framing/sse_parser.hpp"

using namespace litellm;  // NOLINT(google-build-using-namespace): test file
using nlohmann::json;

TEST_CASE("messages request: system - images - tool use and tool results become OpenAI messages") {
  const json in = {
      {"model", "any"},
      {"max_tokens", 100},
      {"system",
       {{{"type", "text"}, {"text", "rules"}, {"cache_control", {{"type", "ephemeral"}}}}}},
      {"stop_sequences", {"END"}},
      {"metadata", {{"user_id", "u1"}}},
      {"tools", {{{"name", "f"}, {"input_schema", {{"type", "object"}}}}}},
      {"tool_choice", {{"type", "any"}, {"disable_parallel_tool_use", true}}},
      {"messages",
       {{{"role", "user"},
         {"content",
          {{{"type", "image"},
            {"source", {{"type", "base64"}, {"media_type", "image/png"}, {"data", "AAAA"}}}},
           {{"type", "text"}, {"text", "what?"}}}}},
        {{"role", "assistant"},
         {"content",
          {{{"type", "text"}, {"text", "calling"}},
           {{"type", "tool_use"}, {"id", "toolu_1"}, {"name", "f"}, {"input", {{"a", 1}}}}}}},
        {{"role", "user"},
         {"content",
          {{{"type", "tool_result"},
            {"tool_use_id", "toolu_1"},
            {"content", {{{"type", "text"}, {"text", "42"}}}}}}}}}}};
  auto req = openai::parse_messages_request(in.dump());
  REQUIRE(req.has_value());
  const auto& b = req->body;
  CHECK(req->model == "any");
  CHECK_FALSE(req->stream);
  CHECK(
      b["messages"][0] ==
      json{{"role", "system"},
           {"content",
            {{{"type", "text"}, {"text", "rules"}, {"cache_control", {{"type", "ephemeral"}}}}}}});
  CHECK(b["messages"][1]["content"][0]["image_url"]["url"] == "data:image/png;base64,AAAA");
  CHECK(b["messages"][2]["content"] == "calling");
  CHECK(b["messages"][2]["tool_calls"][0]["function"] ==
        json{{"name", "f"}, {"arguments", "{\"a\":1}"}});
  CHECK(b["messages"][3] == json{{"role", "tool"}, {"tool_call_id", "toolu_1"}, {"content", "42"}});
  CHECK(b["stop"] == json::array({"END"}));
  CHECK(b["user"] == "u1");
  CHECK(b["tool_choice"] == "required");
  CHECK(b["parallel_tool_calls"] == false);
  CHECK(b["tools"][0]["function"]["parameters"] == json{{"type", "object"}});
}

TEST_CASE("messages request: missing fields are named") {
  CHECK(openai::parse_messages_request("{").error().message.find("not a JSON object") !=
        std::string::npos);
  CHECK(openai::parse_messages_request(R"({"model":"m","messages":[]})").error().param ==
        "max_tokens");
  CHECK(openai::parse_messages_request(R"({"model":"m","max_tokens":1})").error().param ==
        "messages");
  CHECK(openai::parse_messages_request(
            R"({"model":"m","max_tokens":1,"messages":[{"role":"system","content":"x"}]})")
            .error()
            .message.find("role must be user or assistant") != std::string::npos);
  auto streamed = openai::parse_messages_request(
      R"({"model":"m","max_tokens":1,"stream":true,"messages":[{"role":"user","content":"x"}]})");
  REQUIRE(streamed.has_value());
  CHECK(streamed->include_usage);
  CHECK(streamed->body["stream_options"]["include_usage"] == true);
}

TEST_CASE("a chat completion becomes an Anthropic message") {
  const json completion = {
      {"id", "chatcmpl-1"},
      {"choices",
       {{{"index", 0},
         {"finish_reason", "tool_calls"},
         {"message",
          {{"role", "assistant"},
           {"content", "let me look"},
           {"tool_calls",
            {{{"id", "call_1"},
              {"type", "function"},
              {"function", {{"name", "f"}, {"arguments", "{\"x\":2}"}}}}}}}}}}},
      {"usage",
       {{"prompt_tokens", 10},
        {"completion_tokens", 4},
        {"prompt_tokens_details", {{"cached_tokens", 3}}}}}};
  const auto m = openai::to_anthropic_message(completion, "asked-for");
  CHECK(m["id"] == "msg_chatcmpl-1");
  CHECK(m["model"] == "asked-for");
  CHECK(m["stop_reason"] == "tool_use");
  CHECK(m["content"] ==
        json::array(
            {{{"type", "text"}, {"text", "let me look"}},
             {{"type", "tool_use"}, {"id", "call_1"}, {"name", "f"}, {"input", {{"x", 2}}}}}));
  CHECK(m["usage"] == json{{"input_tokens", 7},
                           {"cache_creation_input_tokens", 0},
                           {"cache_read_input_tokens", 3},
                           {"output_tokens", 4}});
}

TEST_CASE("chunks become Anthropic's event sequence with blocks opened and closed in order") {
  openai::AnthropicStreamEncoder enc("m");
  const auto chunk = [](json delta, json finish = nullptr) {
    return json{{"id", "c1"},
                {"choices", {{{"index", 0}, {"delta", delta}, {"finish_reason", finish}}}}};
  };
  std::string out = enc.encode(chunk({{"role", "assistant"}, {"content", ""}}));
  out += enc.encode(chunk({{"content", "Hel"}}));
  out += enc.encode(chunk({{"content", "lo"}}));
  out += enc.encode(chunk({{"tool_calls",
                            {{{"index", 0},
                              {"id", "call_1"},
                              {"type", "function"},
                              {"function", {{"name", "f"}, {"arguments", ""}}}}}}}));
  out += enc.encode(
      chunk({{"tool_calls", {{{"index", 0}, {"function", {{"arguments", "{\"a\":"}}}}}}}));
  out += enc.encode(chunk({{"tool_calls", {{{"index", 0}, {"function", {{"arguments", "1}"}}}}}}}));
  out += enc.encode(chunk(json::object(), "tool_calls"));
  out += enc.encode({{"id", "c1"},
                     {"choices", json::array()},
                     {"usage", {{"prompt_tokens", 5}, {"completion_tokens", 2}}}});
  out += enc.finish();
  http::SseParser parser;
  std::vector<core::StreamEvent> events;
  parser.feed(out, events);
  std::vector<std::string> names;
  for (const auto& e : events) {
    CHECK(json::parse(e.data)["type"] == e.event);
    names.push_back(e.event);
  }
  CHECK(names == std::vector<std::string>{"message_start", "ping", "content_block_start",
                                          "content_block_delta", "content_block_delta",
                                          "content_block_stop", "content_block_start",
                                          "content_block_delta", "content_block_delta",
                                          "content_block_stop", "message_delta", "message_stop"});
  const auto delta = json::parse(events[10].data);
  CHECK(delta["delta"]["stop_reason"] == "tool_use");
  CHECK(delta["usage"]["output_tokens"] == 2);
  CHECK(json::parse(events[6].data)["content_block"]["name"] == "f");
  CHECK(json::parse(events[6].data)["index"] == 1);
  CHECK(enc.finish().empty());  // once
  openai::AnthropicStreamEncoder failing("m");
  const auto err = failing.fail(ErrorCode::UpstreamUnavailable, "Overloaded");
  CHECK(err.rfind("event: error\ndata: ", 0) == 0);
  CHECK(err.find("\"overloaded_error\"") != std::string::npos);
}
