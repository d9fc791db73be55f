#include "http/event_loops.hpp"

#include <thread>
#include <vector>

#include "core/thread_name.hpp"

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>

namespace litellm::http {

namespace net = boost::asio;

struct EventLoops::Impl {
  std::vector<std::unique_ptr<net::io_context>> loops;
  std::vector<net::executor_work_guard<net::io_context::executor_type>> keep_running;
};

EventLoops::EventLoops(int threads) : impl_(std::make_unique<Impl>()) {
  for (int i = 0; i < std::max(1, threads); ++i) {
    // Concurrency hint 1: each loop is run by exactly one thread, so Asio skips its locking.
    impl_->loops.push_back(std::make_unique<net::io_context>(1));
    impl_->keep_running.push_back(net::make_work_guard(*impl_->loops.back()));
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
