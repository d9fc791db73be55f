// UpstreamPool against a real HTTP server on loopback, with the io loops running as in the
// daemon: transfers started from a loop's own thread and from other threads, and what a finished
// transfer still holds.
#include "http/upstream_pool.hpp"

#include <atomic>
#include <future>
#include <thread>
#include <utility>  // before Asio: Boost 1.74 misses it under GCC 12 in C++20

#include <doctest/doctest.h>

#include "http/event_loops.hpp"
#include "support/mock_upstream.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>

namespace {

using namespace litellm;

struct Loops {
  explicit Loops(int n) : loops(n), pool(loops, http::UpstreamPoolOptions{}) {
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
