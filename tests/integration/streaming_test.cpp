#include <atomic>
#include <thread>

#include <doctest/doctest.h>
#include <httplib.h>

#include "integration/harness.hpp"

using namespace litellm::test;  // NOLINT(google-build-using-namespace): test file
using nlohmann::json;

TEST_CASE("streaming: the recorded stream reaches the client event for event") {
  for (const char* name : {"chat.stream.sse", "chat-tools.stream.sse", "chat-n3.stream.sse"}) {
    CAPTURE(name);
    MockUpstream up;
    up.reply_sse("/v1/chat/completions", fixture("openai", name));
    DaemonProcess d(gateway_config(up));
    RawStream s(d.port(), "/v1/chat/completions", chat_body("gpt-4o", true), auth());
    s.read_to_end();
    CHECK(s.status() == 200);
    CHECK(s.header("content-type") == "text/event-stream");
    CHECK(s.header("x-litellm-call-id").size() == 36);
    const auto got = events_of(s.body());
    const auto want = sse_data(fixture("openai", name));
    REQUIRE(got.size() == want.size());
    for (std::size_t i = 0; i + 1 < got.size(); ++i) {
      CHECK(json::parse(got[i]) == json::parse(want[i]));
    }
    CHECK(got.back() == "[DONE]");
    CHECK(json::parse(up.requests()[0].body)["stream"] == true);
  }
}

TEST_CASE("streaming: chunks are forwarded as they arrive - not buffered") {
  // The upstream sends one event; then holds the rest until the test has seen that event
  // through the gateway. A buffering gateway would deadlock here and the test would time out.
  std::atomic<bool> seen{false};
  const auto events = sse_data(fixture("openai", "chat.stream.sse"));
  MockUpstream up;
  up.on_post("/v1/chat/completions", [&](const httplib::Request&, httplib::Response& res) {
    res.set_chunked_content_provider(
        "text/event-stream", [&, i = std::size_t{0}](std::size_t, httplib::DataSink& sink) mutable {
          if (i == 1) {
            wait_until([&] { return seen.load(); }, std::chrono::seconds(10));
          }
          if (i == events.size()) {
            sink.done();
            return true;
          }
          const std::string e = "data: " + events[i++] + "\n\n";
          return sink.write(e.data(), e.size());
        });
  });
  DaemonProcess d(gateway_config(up));
  RawStream s(d.port(), "/v1/chat/completions", chat_body("gpt-4o", true), auth());
  REQUIRE(s.read_until("\"role\":\"assistant\"", std::chrono::seconds(5)));
  CHECK(s.raw().find("[DONE]") == std::string::npos);
  seen = true;
  s.read_to_end();
  CHECK(events_of(s.body()).size() == events.size());
}

TEST_CASE("streaming: a client that hangs up cancels the upstream request at once") {
  const std::string slow = token_stream(400, false);
  MockUpstream up;
  up.reply_sse("/v1/chat/completions", slow, 25);
  DaemonProcess d(gateway_config(up));
  {
    RawStream s(d.port(), "/v1/chat/completions", chat_body("gpt-4o", true), auth());
    REQUIRE(s.read_until("\"content\":\"x\""));
  }  // hang up after the first chunk, 10 s before the upstream would finish
  CHECK(wait_until([&] { return up.stream_aborted(); }, std::chrono::seconds(3)));
  HttpClient c(d.port());
  CHECK(c.get("/health/liveliness").status == 200);
  LITELLM_CHECK_CLEAN_EXIT(d);
}

TEST_CASE("streaming: an upstream error mid-stream ends the stream with an error event") {
  MockUpstream up;
  up.reply_sse("/v1/chat/completions", fixture("openai", "chat-error-midstream.stream.sse"));
  DaemonProcess d(gateway_config(up));
  RawStream s(d.port(), "/v1/chat/completions", chat_body("gpt-4o", true), auth());
  s.read_to_end();
  CHECK(s.status() == 200);
  const auto got = events_of(s.body());
  REQUIRE(got.size() == 4);
  const auto err = json::parse(got.back());
  CHECK(err["error"]["message"] ==
        "litellm.InternalServerError: OpenAIException - The server had an error while processing "
        "your request. Sorry about that!");
  CHECK(err["error"]["code"] == "500");
  CHECK(s.body().find("[DONE]") == std::string::npos);
}

TEST_CASE("streaming: an upstream error before the first byte is a plain JSON error") {
  MockUpstream up;
  up.reply_json("/v1/chat/completions", 429, fixture("openai", "error-429.json"),
                {{"retry-after", "2"}});
  DaemonProcess d(gateway_config(up, "      num_retries: 0\n"));
  RawStream s(d.port(), "/v1/chat/completions", chat_body("gpt-4o", true), auth());
  s.read_to_end();
  CHECK(s.status() == 429);
  CHECK(s.header("content-type") == "application/json");
  CHECK(s.header("retry-after") == "2");
  const auto body = json::parse(s.body());
  CHECK(body["error"]["type"] == "throttling_error");
  CHECK(body["error"]["code"] == "429");
}

TEST_CASE("streaming: the mock provider streams with usage when asked") {
  MockUpstream up;
  DaemonProcess d(gateway_config(up));
  RawStream s(
      d.port(), "/v1/chat/completions",
      R"({"model":"echo","stream":true,"stream_options":{"include_usage":true},"messages":[{"role":"user","content":"a b c"}]})",
      auth());
  s.read_to_end();
  const auto got = events_of(s.body());
  REQUIRE(got.size() == 7);  // role, 3 words, finish, usage, [DONE]
  CHECK(json::parse(got[5])["usage"]["completion_tokens"] == 3);
  CHECK(got.back() == "[DONE]");
}

TEST_CASE("disconnect: a client that hangs up on a slow non-streamed call frees it at once") {
  MockUpstream up;
  // The upstream answers after a while; the gateway must have dropped it by then.
  up.on_post("/v1/chat/completions", [&](const httplib::Request&, httplib::Response& res) {
    res.set_chunked_content_provider("application/json", [&](std::size_t, httplib::DataSink& sink) {
      std::this_thread::sleep_for(std::chrono::milliseconds(300));
      const std::string body = fixture("openai", "chat.response.json");
      if (!sink.is_writable() || !sink.write(body.data(), body.size())) {
        up.mark_aborted();
        return false;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(300));
      const std::string more = " ";
      if (!sink.is_writable() || !sink.write(more.data(), more.size())) {
        up.mark_aborted();
        return false;
      }
      sink.done();
      return true;
    });
  });
  DaemonProcess d(gateway_config(up));
  {
    RawStream s(d.port(), "/v1/chat/completions", chat_body("gpt-4o"), auth());
    REQUIRE(wait_until([&] { return up.request_count() == 1; }));
  }  // hang up while the upstream is still thinking
  CHECK(wait_until([&] { return up.stream_aborted(); }, std::chrono::seconds(5)));
  // Nothing is left in flight: shutdown does not wait out its 20 s grace.
  const int code = d.stop(std::chrono::seconds(5));
  INFO(d.stderr_text());
  CHECK(code == 0);
}

TEST_CASE("streaming: a client that stops reading pauses the upstream instead of filling memory") {
  // 64 MiB of events offered as fast as the gateway takes them.
  const std::string event = token_stream(1, false);
  const std::size_t total_events = (64u << 20) / event.size();
  std::atomic<std::size_t> sent{0};
  MockUpstream up;
  up.on_post("/v1/chat/completions", [&](const httplib::Request&, httplib::Response& res) {
    res.set_chunked_content_provider("text/event-stream",
                                     [&](std::size_t, httplib::DataSink& sink) {
                                       std::string batch;
                                       for (int i = 0; i < 256; ++i) {
                                         batch += event;
                                       }
                                       while (sent.load() < total_events) {
                                         if (!sink.write(batch.data(), batch.size())) {
                                           return false;
                                         }
                                         sent += 256;
                                       }
                                       const std::string done = "data: [DONE]\n\n";
                                       sink.write(done.data(), done.size());
                                       sink.done();
                                       return true;
                                     });
  });
  DaemonProcess d(gateway_config(up));
  RawStream s(d.port(), "/v1/chat/completions", chat_body("gpt-4o", true), auth());
  REQUIRE(s.read_until("\"content\":\"x\""));
  // The client now reads nothing. The upstream must stall well short of the end: only socket
  // buffers and the gateway's bounded queue lie between them.
  std::size_t last = 0;
  wait_until(
      [&] {
        const std::size_t now = sent.load();
        const bool still = now == last;
        last = now;
        std::this_thread::sleep_for(std::chrono::milliseconds(200));
        return still && now > 0;
      },
      std::chrono::seconds(10));
  CHECK(sent.load() * event.size() < (16u << 20));
  // Then it reads everything, and everything arrives. 64 MB through a sanitizer build on a
  // busy 2-core machine can take over a minute: the deadline only guards against a hang.
  s.read_to_end(std::chrono::seconds(240));
  const auto got = events_of(s.body());
  CHECK(got.size() == total_events / 256 * 256 + (total_events % 256 ? 256 : 0) + 1);
  CHECK(got.back() == "[DONE]");
}
