#include "http/framing/sse_parser.hpp"

#include <doctest/doctest.h>

#include "support/byte_cuts.hpp"
#include "support/fixtures.hpp"

using litellm::core::StreamEvent;
using litellm::http::NdjsonParser;
using litellm::http::SseParser;

namespace {
std::vector<StreamEvent> parse_whole(const std::string& bytes) {
  SseParser p;
  std::vector<StreamEvent> out;
  p.feed(bytes, out);
  p.finish(out);
  return out;
}
}  // namespace

TEST_CASE("sse: OpenAI's recorded stream yields one event per data line - ending in [DONE]") {
  const auto bytes = litellm::test::fixture("openai", "chat.stream.sse");
  const auto events = parse_whole(bytes);
  REQUIRE(events.size() > 3);
  CHECK(events.back().data == "[DONE]");
  for (std::size_t i = 0; i + 1 < events.size(); ++i) {
    CHECK(events[i].data.rfind("{\"id\":\"chatcmpl-", 0) == 0);
  }
}

TEST_CASE("sse: cutting a recorded stream at every byte boundary changes nothing") {
  for (const char* name : {"chat.stream.sse", "chat-tools.stream.sse", "chat-n3.stream.sse"}) {
    const auto bytes = litellm::test::fixture("openai", name);
    const auto whole = parse_whole(bytes);
    for (const std::size_t cut : litellm::test::byte_cuts(0, bytes.size())) {
      SseParser p;
      std::vector<StreamEvent> out;
      p.feed(std::string_view(bytes).substr(0, cut), out);
      p.feed(std::string_view(bytes).substr(cut), out);
      p.finish(out);
      REQUIRE(out.size() == whole.size());
      CHECK(out.back().data == whole.back().data);
    }
  }
}

TEST_CASE("sse: CRLF - CR - event names - multi-line data and comments") {
  const auto events = parse_whole(
      ": comment\r\nevent: message_start\r\ndata: a\r\ndata: b\r\n\r\ndata: c\r\rdata: d");
  REQUIRE(events.size() == 3);
  CHECK(events[0].event == "message_start");
  CHECK(events[0].data == "a\nb");
  CHECK(events[1].event.empty());
  CHECK(events[1].data == "c");
  CHECK(events[2].data == "d");  // no blank line at EOF: flushed by finish()
}

TEST_CASE("sse: a CRLF split across two reads is one line end") {
  SseParser p;
  std::vector<StreamEvent> out;
  p.feed("data: x\r", out);
  p.feed("\n\r", out);
  p.feed("\n", out);
  REQUIRE(out.size() == 1);
  CHECK(out[0].data == "x");
}

TEST_CASE("ndjson: lines become events - cut anywhere") {
  const std::string bytes = "{\"a\":1}\n{\"b\":2}\r\n\n{\"c\":3}";
  for (const std::size_t cut : litellm::test::byte_cuts(0, bytes.size())) {
    NdjsonParser p;
    std::vector<StreamEvent> out;
    p.feed(std::string_view(bytes).substr(0, cut), out);
    p.feed(std::string_view(bytes).substr(cut), out);
    p.finish(out);
    REQUIRE(out.size() == 3);
    CHECK(out[1].data == "{\"b\":2}");
    CHECK(out[2].data == "{\"c\":3}");
  }
}
