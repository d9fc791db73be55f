#pragma once

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace litellm::http {

// A few threads for work that blocks (database calls): the io threads hand it over and never
// wait. Bounded: when `max_queued` tasks are waiting, post() refuses instead of letting a slow
// database turn into unbounded memory. Destruction runs what is queued, then joins.
class BlockingPool {
 public:
  BlockingPool(std::size_t threads, std::size_t max_queued);
  ~BlockingPool();
  BlockingPool(const BlockingPool&) = delete;
  BlockingPool& operator=(const BlockingPool&) = delete;

  // False when the queue is full (the caller answers 503).
  bool post(std::function<void()> task);

 private:
  void run();

  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<std::function<void()>> queue_;  // guarded by mu_
  bool stopping_ = false;                    // guarded by mu_
  std::size_t max_queued_;
  std::vector<std::thread> threads_;
};

}  // namespace litellm::http
