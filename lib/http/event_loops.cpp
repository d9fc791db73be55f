#include "http/event_loops.hpp"

#include <thread>
#include <vector>

#include "core/thread_name.hpp"

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>

namespace litellm::http {

namespace net = boost::asio;

namespace {

// Asio re-programs its timerfd (a syscall) whenever a timer is scheduled earlier than every other
// one on the loop. The connection timeouts set for every request are seconds away; with this
// tick always due sooner, none of them is ever the earliest, and the loop pays one timerfd
// update per tick instead of about two per request.
constexpr auto kTick = std::chrono::seconds(1);

void tick(net::steady_timer* timer) {
  timer->expires_after(kTick);
  timer->async_wait([timer](const boost::system::error_code& ec) {
    if (!ec) {
      tick(timer);
    }
  });
}

}  // namespace

struct EventLoops::Impl {
  std::vector<std::unique_ptr<net::io_context>> loops;
  std::vector<net::executor_work_guard<net::io_context::executor_type>> keep_running;
  std::vector<std::unique_ptr<net::steady_timer>> ticks;  // destroyed before the loops
};

EventLoops::EventLoops(int threads) : impl_(std::make_unique<Impl>()) {
  for (int i = 0; i < std::max(1, threads); ++i) {
    // Concurrency hint 1: each loop is run by exactly one thread, so Asio skips its locking.
    impl_->loops.push_back(std::make_unique<net::io_context>(1));
    impl_->keep_running.push_back(net::make_work_guard(*impl_->loops.back()));
    impl_->ticks.push_back(std::make_unique<net::steady_timer>(*impl_->loops.back()));
    tick(impl_->ticks.back().get());
  }
}

EventLoops::~EventLoops() = default;

std::size_t EventLoops::size() const {
  return impl_->loops.size();
}

net::io_context& EventLoops::loop(std::size_t index) {
  return *impl_->loops[index];
}

void EventLoops::run() {
  std::vector<std::thread> threads;
  for (std::size_t i = 1; i < impl_->loops.size(); ++i) {
    threads.emplace_back([this, i] {
      core::name_this_thread("io-" + std::to_string(i));
      impl_->loops[i]->run();
    });
  }
  impl_->loops[0]->run();  // the caller's thread keeps its name (the process's, for pgrep)
  for (auto& t : threads) {
    t.join();
  }
}

void EventLoops::stop() {
  for (auto& l : impl_->loops) {
    l->stop();
  }
}

}  // namespace litellm::http
