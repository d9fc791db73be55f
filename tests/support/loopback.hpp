#pragma once

#include <chrono>
#include <string>

namespace litellm::test {

// A TCP socket listening on 127.0.0.1 at a free port; returns the descriptor, sets `port`.
int listen_on_loopback(int& port, int backlog = 16);
// A port free right now (bound, then released: for servers that must be told their port).
int free_loopback_port();
// A socket connected to 127.0.0.1:`port`, or -1.
int connect_loopback(int port);
// Everything `fd` receives until the peer closes it or `timeout` passes.
std::string read_until_closed(int fd, std::chrono::milliseconds timeout);

}  // namespace litellm::test
