#pragma once

#include <sys/types.h>

#include <string>

#include "support/daemon_process.hpp"

namespace litellm::test {

// A real redis-server (Debian's package) of the test's own on a free port of 127.0.0.1, without
// persistence; stopped with the object. `stop()` and `start()` again on the same port stage an
// outage. `password` non-empty: the server requires it.
class RedisServer {
 public:
  explicit RedisServer(std::string password = "");
  ~RedisServer();
  RedisServer(const RedisServer&) = delete;
  RedisServer& operator=(const RedisServer&) = delete;

  int port() const { return port_; }
  std::string url() const;  // redis://[:password@]127.0.0.1:PORT
  void stop();
  void start();  // waits until it answers PING

 private:
  TempDir dir_;
  std::string password_;
  int port_ = 0;
  pid_t pid_ = -1;
};

}  // namespace litellm::test
