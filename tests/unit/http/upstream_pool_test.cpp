// UpstreamPool against a real HTTP server on loopback, with the io loops running as in the
// daemon: transfers started from a loop's own thread and from other threads, and what a finished
// transfer still holds.
#include "http/upstream_pool.hpp"

#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <fstream>
#include <future>
#include <sstream>
#include <thread>
#include <utility>  // before Asio: Boost 1.74 misses it under GCC 12 in C++20

#include <doctest/doctest.h>

#include "http/event_loops.hpp"
#include "http/http1_client.hpp"
#include "support/loopback.hpp"
#include "support/mock_upstream.hpp"
#include "support/scripted_server.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>

namespace {

using namespace litellm;
using litellm::test::ScriptedServer;

// Each case runs twice: through the built-in HTTP/1.1 client that plain http:// URLs take, and
// through libcurl, which serves them when a proxy is set (and serves https:// always).
http::UpstreamPoolOptions each_client() {
  http::UpstreamPoolOptions o;
  SUBCASE("built-in client") {
    o.direct_http = true;
  }
  SUBCASE("libcurl") {
    o.direct_http = false;
  }
  return o;
}

struct Loops {
  explicit Loops(int n, const http::UpstreamPoolOptions& options = each_client())
      : loops(n), pool(loops, options) {
    thread = std::thread([this] { loops.run(); });
  }
  ~Loops() {
    loops.stop();
    thread.join();
  }
  // Runs `fn` on loop `i` and waits for it.
  void on_loop(std::size_t i, std::function<void()> fn) {
    std::promise<void> ran;
    boost::asio::post(loops.loop(i), [&] {
      fn();
      ran.set_value();
    });
    ran.get_future().wait();
  }
  http::EventLoops loops;
  http::UpstreamPool pool;
  std::thread thread;
};

const std::string kOkAnswer =
    "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 11\r\n\r\n{\"ok\":true}";

core::UpstreamRequest post_to(const test::MockUpstream& up, const std::string& body) {
  core::UpstreamRequest r;
  r.url = up.base_url() + "/chat/completions";
  r.headers.emplace_back("Content-Type", "application/json");
  r.body = body;
  return r;
}

}  // namespace

TEST_CASE("upstream pool: answers come back whole from a loop's own thread and from others") {
  test::MockUpstream up;
  up.reply_json("/v1/chat/completions", 200, R"({"ok":true})", {{"x-upstream", "yes"}});
  Loops l(2);
  // From loop 1's thread: the request goes out before send() returns.
  std::promise<Result<core::UpstreamResponse>> on_loop;
  l.on_loop(1, [&] {
    l.pool.send(1, post_to(up, "{}"),
                [&](Result<core::UpstreamResponse> r) { on_loop.set_value(std::move(r)); });
  });
  auto r = on_loop.get_future().get();
  REQUIRE(r);
  CHECK(r->status == 200);
  CHECK(r->body == R"({"ok":true})");
  CHECK(r->header("x-upstream") == "yes");
  // From a thread that is no loop's: handed to loop 0.
  std::promise<Result<core::UpstreamResponse>> off_loop;
  l.pool.send(0, post_to(up, R"({"n":2})"),
              [&](Result<core::UpstreamResponse> res) { off_loop.set_value(std::move(res)); });
  auto r2 = off_loop.get_future().get();
  REQUIRE(r2);
  CHECK(r2->status == 200);
  REQUIRE(up.request_count() == 2);
  CHECK(up.requests()[1].body == R"({"n":2})");
}

// Each loop runs a chain of calls, the next sent from the previous one's completion (inside the
// pool, so it is handed to the next turn of the loop), over one kept-alive connection.
TEST_CASE("upstream pool: chains of calls on two loops reuse their connections") {
  test::MockUpstream up;
  up.reply_json("/v1/chat/completions", 200, R"({"ok":true})");
  Loops l(2);
  constexpr int kPerLoop = 100;
  struct Chain {
    std::atomic<int> ok{0};
    std::promise<void> done;
  };
  Chain chains[2];
  std::function<void(std::size_t, int)> next = [&](std::size_t loop, int left) {
    l.pool.send(loop, post_to(up, "{}"), [&, loop, left](Result<core::UpstreamResponse> r) {
      if (r && r->status == 200) {
        chains[loop].ok.fetch_add(1);
      }
      if (left > 1) {
        next(loop, left - 1);
      } else {
        chains[loop].done.set_value();
      }
    });
  };
  l.on_loop(0, [&] { next(0, kPerLoop); });
  l.on_loop(1, [&] { next(1, kPerLoop); });
  for (auto& c : chains) {
    REQUIRE(c.done.get_future().wait_for(std::chrono::seconds(30)) == std::future_status::ready);
    CHECK(c.ok.load() == kPerLoop);
  }
  CHECK(up.request_count() == 2 * kPerLoop);
}

TEST_CASE("upstream pool: a dead upstream is a transport error, not a status") {
  int port = 0;
  {
    test::MockUpstream gone;  // a port that was just free
    port = gone.port();
  }
  Loops l(1);
  core::UpstreamRequest req;
  req.url = "http://127.0.0.1:" + std::to_string(port) + "/v1/chat/completions";
  req.body = "{}";
  std::promise<Result<core::UpstreamResponse>> done;
  l.on_loop(0, [&] {
    l.pool.send(0, req, [&](Result<core::UpstreamResponse> r) { done.set_value(std::move(r)); });
  });
  auto r = done.get_future().get();
  REQUIRE_FALSE(r);
  CHECK(r.error().code == ErrorCode::UpstreamUnavailable);
}

// A call keeps its current transfer and the transfer's completion keeps the call, as the router
// does: once the completion has run, the transfer must let go of it, or every call whose answer
// arrived inside send() stayed in memory with its bodies.
TEST_CASE("upstream pool: a finished transfer lets go of its completion") {
  test::MockUpstream up;
  up.reply_json("/v1/chat/completions", 200, R"({"ok":true})");
  Loops l(1);
  struct Call {
    std::shared_ptr<http::Transfer> current;
  };
  std::weak_ptr<Call> watch;
  std::promise<void> answered;
  l.on_loop(0, [&] {
    auto call = std::make_shared<Call>();
    watch = call;
    call->current =
        l.pool.send(0, post_to(up, "{}"), [call, &answered](auto) { answered.set_value(); });
  });
  answered.get_future().wait();
  l.on_loop(0, [] {});  // the completion has returned by the time this runs
  CHECK(watch.expired());
}

namespace {

Result<core::UpstreamResponse> send_and_wait(Loops& l, core::UpstreamRequest req) {
  std::promise<Result<core::UpstreamResponse>> done;
  l.on_loop(0, [&] {
    l.pool.send(0, std::move(req),
                [&](Result<core::UpstreamResponse> r) { done.set_value(std::move(r)); });
  });
  auto f = done.get_future();
  REQUIRE(f.wait_for(std::chrono::seconds(10)) == std::future_status::ready);
  return f.get();
}

core::UpstreamRequest post_to(const ScriptedServer& s) {
  core::UpstreamRequest r;
  r.url = s.url();
  r.body = "{}";
  return r;
}

// Collects a streamed answer; pauses on the first body bytes when asked to.
struct Collector : http::StreamSink {
  void on_head(int s, const core::Headers&) override { status = s; }
  bool on_body(std::string_view bytes) override {
    if (pause_once && !paused) {
      paused = true;
      return false;
    }
    body.append(bytes);
    return true;
  }
  void on_end(Result<core::UpstreamResponse> r) override { ended.set_value(std::move(r)); }
  int status = 0;
  std::string body;
  bool pause_once = false;
  bool paused = false;
  std::promise<Result<core::UpstreamResponse>> ended;
};

}  // namespace

TEST_CASE("upstream pool: a keep-alive connection the upstream closed is replaced, not an error") {
  // Answers without `Connection: close` and closes anyway, as servers do to idle connections.
  ScriptedServer server([](int fd, int) { ScriptedServer::reply(fd, kOkAnswer); });
  Loops l(1);
  for (int i = 0; i < 3; ++i) {
    CAPTURE(i);
    auto r = send_and_wait(l, post_to(server));
    REQUIRE(r);
    CHECK(r->status == 200);
    CHECK(r->body == R"({"ok":true})");
  }
  CHECK(server.requests() == 3);
  CHECK(server.connections() == 3);
}

TEST_CASE("upstream pool: a host name is resolved off the loop, each of its addresses tried") {
  // localhost may come back as ::1 first; the server listens on 127.0.0.1 only.
  ScriptedServer server([](int fd, int) { ScriptedServer::reply(fd, kOkAnswer); });
  Loops l(1);
  auto req = post_to(server);
  req.url.replace(req.url.find("127.0.0.1"), 9, "localhost");
  const auto r = send_and_wait(l, req);
  REQUIRE(r);
  CHECK(r->status == 200);
  CHECK(server.requests() == 1);
}

TEST_CASE("upstream pool: an upstream that never answers times out") {
  std::promise<void> release;
  auto released = release.get_future().share();
  ScriptedServer server([released](int, int) { released.wait_for(std::chrono::seconds(10)); });
  Loops l(1);
  auto req = post_to(server);
  req.timeout = std::chrono::milliseconds(300);
  const auto r = send_and_wait(l, req);
  release.set_value();
  REQUIRE_FALSE(r);
  CHECK(r.error().code == ErrorCode::Timeout);
}

TEST_CASE("upstream pool: an answer cut short is a transport error") {
  ScriptedServer server([](int fd, int) {
    ScriptedServer::reply(fd, "HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n{\"partial\":");
  });
  Loops l(1);
  const auto r = send_and_wait(l, post_to(server));
  REQUIRE_FALSE(r);
  CHECK(r.error().code == ErrorCode::UpstreamUnavailable);
}

TEST_CASE("upstream pool: a stream comes through chunked, paused and resumed, byte for byte") {
  ScriptedServer server([](int fd, int) {
    ScriptedServer::reply(fd,
                          "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\n"
                          "Transfer-Encoding: chunked\r\nx-up: 1\r\n\r\n"
                          "f\r\ndata: {\"a\":1}\n\n\r\n"
                          "f\r\ndata: {\"b\":2}\n\n\r\n"
                          "e\r\ndata: [DONE]\n\n\r\n0\r\n\r\n");
  });
  Loops l(1);
  auto sink = std::make_shared<Collector>();
  sink->pause_once = true;
  std::shared_ptr<http::Transfer> t;
  l.on_loop(0, [&] { t = l.pool.open_stream(0, post_to(server), sink); });
  // The sink paused on its first bytes; nothing more comes until resume().
  auto ended = sink->ended.get_future();
  CHECK(ended.wait_for(std::chrono::milliseconds(200)) == std::future_status::timeout);
  l.on_loop(0, [] {});
  CHECK(sink->paused);
  CHECK(sink->body.empty());
  t->resume();
  REQUIRE(ended.wait_for(std::chrono::seconds(10)) == std::future_status::ready);
  const auto r = ended.get();
  REQUIRE(r);
  CHECK(r->status == 200);
  CHECK(r->header("x-up") == "1");
  CHECK(sink->status == 200);
  CHECK(sink->body == "data: {\"a\":1}\n\ndata: {\"b\":2}\n\ndata: [DONE]\n\n");
}

TEST_CASE("upstream pool: a stream's error answer comes whole at the end, not as a stream") {
  ScriptedServer server([](int fd, int) {
    ScriptedServer::reply(fd,
                          "HTTP/1.1 429 Too Many Requests\r\nContent-Length: 21\r\n"
                          "retry-after: 3\r\n\r\n{\"error\":\"slow down\"}");
  });
  Loops l(1);
  auto sink = std::make_shared<Collector>();
  l.on_loop(0, [&] { l.pool.open_stream(0, post_to(server), sink); });
  auto ended = sink->ended.get_future();
  REQUIRE(ended.wait_for(std::chrono::seconds(10)) == std::future_status::ready);
  const auto r = ended.get();
  REQUIRE(r);
  CHECK(r->status == 429);
  CHECK(r->body == R"({"error":"slow down"})");
  CHECK(r->header("retry-after") == "3");
  CHECK(sink->status == 0);  // on_head is for answers that stream
  CHECK(sink->body.empty());
}

TEST_CASE("upstream pool: a stream that goes silent times out") {
  std::promise<void> release;
  auto released = release.get_future().share();
  ScriptedServer server([released](int fd, int) {
    ScriptedServer::reply(fd,
                          "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
                          "f\r\ndata: {\"a\":1}\n\n\r\n");
    released.wait_for(std::chrono::seconds(10));
  });
  Loops l(1);
  auto sink = std::make_shared<Collector>();
  auto req = post_to(server);
  req.timeout = std::chrono::milliseconds(1000);
  l.on_loop(0, [&] { l.pool.open_stream(0, req, sink); });
  auto ended = sink->ended.get_future();
  REQUIRE(ended.wait_for(std::chrono::seconds(10)) == std::future_status::ready);
  const auto r = ended.get();
  release.set_value();
  REQUIRE_FALSE(r);
  CHECK(r.error().code == ErrorCode::Timeout);
  CHECK(sink->body == "data: {\"a\":1}\n\n");
}

namespace {

// Sockets of this process's network namespace in SYN_SENT towards 127.0.0.1:`port`
// (/proc/net/tcp: remote address 0100007F:PORT in hex, state 02).
int syn_sent_to(int port) {
  std::ifstream tcp("/proc/net/tcp");
  char remote[32];
  std::snprintf(remote, sizeof remote, "0100007F:%04X", static_cast<unsigned>(port));
  std::string line;
  int n = 0;
  std::getline(tcp, line);  // the column names
  while (std::getline(tcp, line)) {
    std::istringstream fields(line);
    std::string slot, local, rem, state;
    fields >> slot >> local >> rem >> state;
    n += rem == remote && state == "02" ? 1 : 0;
  }
  return n;
}

}  // namespace

// An upstream whose listen backlog is full drops SYNs, and each dropped one costs its
// connection a retransmit a second or more later: a burst of connects is held to a few at a
// time per host:port, and those waiting still fail by their deadline.
TEST_CASE("upstream pool: the built-in client holds a burst to a few connects at a time") {
  int port = 0;
  const int listener = test::listen_on_loopback(port, 0);  // never accepts: the queue stays full
  http::UpstreamPoolOptions o;
  o.direct_http = true;
  Loops l(1, o);
  constexpr int kBurst = 100;
  std::atomic<int> ended{0};
  std::atomic<int> timed_out{0};
  std::promise<void> all;
  l.on_loop(0, [&] {
    for (int i = 0; i < kBurst; ++i) {
      core::UpstreamRequest req;
      req.url = "http://127.0.0.1:" + std::to_string(port) + "/v1/x";
      req.body = "{}";
      req.connect_timeout = std::chrono::milliseconds(1500);
      req.timeout = std::chrono::milliseconds(1500);  // the one the queue of one takes in waits
      l.pool.send(0, req, [&](Result<core::UpstreamResponse> r) {
        timed_out += !r && r.error().code == ErrorCode::Timeout ? 1 : 0;
        if (++ended == kBurst) {
          all.set_value();
        }
      });
    }
  });
  // Sampled until the last call ended, not once after a guessed pause: the bound must hold at
  // every moment, and some connect must have been seen opening.
  auto done = all.get_future();
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  int most_opening = 0;
  bool came = false;
  while (!came && std::chrono::steady_clock::now() < deadline) {
    most_opening = std::max(most_opening, syn_sent_to(port));
    came = done.wait_for(std::chrono::milliseconds(2)) == std::future_status::ready;
  }
  CHECK(most_opening > 0);
  CHECK(most_opening <= 32);  // the pacer's bound per host:port
  // Those queued behind the bound get their error by the connect timeout, not never.
  CAPTURE(ended.load());
  CAPTURE(timed_out.load());
  REQUIRE(came);
  CHECK(timed_out.load() == kBurst);
  ::close(listener);
}

// One connection at a time, each answered and closed: a burst queues behind the bound and
// behind the server, and every call still comes back.
TEST_CASE("upstream pool: a burst of calls to a slow-accepting upstream all come back") {
  ScriptedServer server([](int fd, int) {
    ScriptedServer::reply(fd,
                          "HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 2\r\n\r\n{}");
  });
  Loops l(2);
  constexpr int kBurst = 200;
  std::atomic<int> ok{0};
  std::atomic<int> ended{0};
  std::promise<void> all;
  std::vector<std::shared_ptr<http::Transfer>> handles(kBurst);
  for (std::size_t loop = 0; loop < 2; ++loop) {
    l.on_loop(loop, [&, loop] {
      for (std::size_t i = loop; i < kBurst; i += 2) {
        handles[i] = l.pool.send(loop, post_to(server), [&](Result<core::UpstreamResponse> r) {
          ok += r && r->status == 200 ? 1 : 0;
          if (++ended == kBurst) {
            all.set_value();
          }
        });
      }
    });
  }
  const bool came =
      all.get_future().wait_for(std::chrono::seconds(60)) == std::future_status::ready;
  CAPTURE(ended.load());
  REQUIRE(came);
  CHECK(ok.load() == kBurst);
  CHECK(server.requests() == kBurst);
}

TEST_CASE("plain http urls: what the built-in client takes and what it leaves to libcurl") {
  const auto u = http::parse_plain_http_url("http://127.0.0.1:8000/v1/chat/completions?x=1#frag");
  REQUIRE(u);
  CHECK(u->host == "127.0.0.1");
  CHECK(u->port == "8000");
  CHECK(u->target == "/v1/chat/completions?x=1");
  CHECK(u->host_header == "127.0.0.1:8000");
  const auto named = http::parse_plain_http_url("HTTP://ollama");
  REQUIRE(named);
  CHECK(named->host == "ollama");
  CHECK(named->port == "80");
  CHECK(named->target == "/");
  CHECK(named->host_header == "ollama");
  const auto v6 = http::parse_plain_http_url("http://[::1]:11434/api/chat");
  REQUIRE(v6);
  CHECK(v6->host == "::1");
  CHECK(v6->port == "11434");
  CHECK(v6->host_header == "[::1]:11434");
  CHECK(http::parse_plain_http_url("http://vllm:80/v1")->host_header == "vllm");
  CHECK(http::parse_plain_http_url("http://h?q=1")->target == "/?q=1");
  for (const char* other : {"https://api.openai.com/v1", "http://user:pw@host/v1", "http://host:0/",
                            "http://host:99999/", "http://host:8x/", "http:///v1", "http://[::1/",
                            "http://host/a b", "ftp://host/"}) {
    CAPTURE(other);
    CHECK_FALSE(http::parse_plain_http_url(other));
  }
}
