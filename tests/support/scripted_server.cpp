#include "support/scripted_server.hpp"

#include <sys/socket.h>
#include <unistd.h>

#include "support/loopback.hpp"

namespace litellm::test {

namespace {

// Reads up to the end of the head and the Content-Length bytes after it.
bool read_request(int fd) {
  std::string in;
  char buf[4096];
  std::size_t need = std::string::npos;
  while (need == std::string::npos || in.size() < need) {
    const auto got = ::recv(fd, buf, sizeof buf, 0);
    if (got <= 0) {
      return false;
    }
    in.append(buf, static_cast<std::size_t>(got));
    if (const auto end = in.find("\r\n\r\n");
        need == std::string::npos && end != std::string::npos) {
      const auto cl = in.find("Content-Length: ");
      const std::size_t len = cl == std::string::npos ? 0 : std::stoul(in.substr(cl + 16));
      need = end + 4 + len;
    }
  }
  return true;
}

}  // namespace

ScriptedServer::ScriptedServer(Serve serve, int backlog) : serve_(std::move(serve)) {
  fd_ = listen_on_loopback(port_, backlog);
  thread_ = std::thread([this] { run(); });
}

ScriptedServer::~ScriptedServer() {
  stop_ = true;
  ::shutdown(fd_, SHUT_RDWR);
  thread_.join();
  ::close(fd_);
}

void ScriptedServer::reply(int fd, const std::string& bytes) {
  (void)::send(fd, bytes.data(), bytes.size(), MSG_NOSIGNAL);
}

void ScriptedServer::run() {
  while (!stop_) {
    const int c = ::accept(fd_, nullptr, nullptr);
    if (c < 0) {
      return;
    }
    const int n = ++connections_;
    if (read_request(c)) {
      ++requests_;
      serve_(c, n);
    }
    ::close(c);
  }
}

}  // namespace litellm::test
