#pragma once

#include <cstddef>
#include <memory>

namespace boost::asio {
class io_context;
}  // namespace boost::asio

namespace litellm::http {

// The io threads, one io_context each. The HTTP front puts each connection on one loop and the
// upstream pool runs that connection's upstream transfers on the same loop, so a request is
// served start to finish by one thread with no hand-offs. Thread-safe: stop() from any thread.
class EventLoops {
 public:
  explicit EventLoops(int threads);
  ~EventLoops();
  EventLoops(const EventLoops&) = delete;
  EventLoops& operator=(const EventLoops&) = delete;

  std::size_t size() const;
  boost::asio::io_context& loop(std::size_t index);
  // Runs every loop (loop 0 on the calling thread) until stop(); joins the others.
  void run();
  void stop();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace litellm::http
