#pragma once

#include <atomic>
#include <functional>
#include <string>
#include <thread>

namespace litellm::test {

// A loopback HTTP server scripted per connection, one connection at a time: it accepts, reads
// one request's head and its Content-Length body, does what `serve` says with the socket
// (answer, answer half, say nothing...), closes it, and only then accepts the next. So a burst
// of connects overflows its listen queue (`backlog`), as a slow upstream's does.
class ScriptedServer {
 public:
  using Serve = std::function<void(int fd, int connection)>;
  explicit ScriptedServer(Serve serve, int backlog = 16);
  ~ScriptedServer();
  ScriptedServer(const ScriptedServer&) = delete;
  ScriptedServer& operator=(const ScriptedServer&) = delete;

  std::string url() const { return base_url() + "/x"; }
  std::string base_url() const { return "http://127.0.0.1:" + std::to_string(port_) + "/v1"; }
  int connections() const { return connections_.load(); }
  int requests() const { return requests_.load(); }

  static void reply(int fd, const std::string& bytes);

 private:
  void run();

  Serve serve_;
  int fd_ = -1;
  int port_ = 0;
  std::atomic<bool> stop_{false};
  std::atomic<int> connections_{0};
  std::atomic<int> requests_{0};
  std::thread thread_;
};

}  // namespace litellm::test
