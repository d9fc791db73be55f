#include "support/raw_stream.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <stdexcept>

namespace litellm::test {

RawStream::RawStream(int port, const std::string& path, const std::string& body,
                     const std::vector<std::pair<std::string, std::string>>& headers) {
  fd_ = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    throw std::runtime_error("connect failed");
  }
  std::string req =
      "POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n" +
      "Content-Type: application/json\r\nContent-Length: " + std::to_string(body.size()) + "\r\n";
  for (const auto& [k, v] : headers) {
    req += k + ": " + v + "\r\n";
  }
  req += "\r\n" + body;
  std::size_t sent = 0;
  while (sent < req.size()) {
    const auto n = send(fd_, req.data() + sent, req.size() - sent, MSG_NOSIGNAL);
    if (n <= 0) {
      throw std::runtime_error("send failed");
    }
    sent += static_cast<std::size_t>(n);
  }
}

RawStream::~RawStream() {
  close();
}

void RawStream::close() {
  if (fd_ >= 0) {
    ::close(fd_);
    fd_ = -1;
  }
}

bool RawStream::read_until(const std::string& needle, std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  // Search only what arrived since the last look: a long stream would otherwise be rescanned
  // from the start on every read.
  std::size_t from = 0;
  const auto found = [&] {
    const bool hit = raw_.find(needle, from) != std::string::npos;
    from = raw_.size() >= needle.size() ? raw_.size() - needle.size() + 1 : 0;
    return hit;
  };
  while (!found()) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
                          deadline - std::chrono::steady_clock::now())
                          .count();
    if (left <= 0 || fd_ < 0) {
      return false;
    }
    pollfd p{fd_, POLLIN, 0};
    if (poll(&p, 1, static_cast<int>(left)) <= 0) {
      continue;
    }
    char buf[8192];
    const auto n = recv(fd_, buf, sizeof buf, 0);
    if (n <= 0) {
      return found();
    }
    raw_.append(buf, static_cast<std::size_t>(n));
  }
  return true;
}

void RawStream::read_to_end(std::chrono::milliseconds timeout) {
  read_until(std::string("\0never\0", 7), timeout);
}

int RawStream::status() const {
  if (raw_.size() < 12) {
    return 0;
  }
  return std::atoi(raw_.c_str() + 9);
}

std::string RawStream::header(const std::string& lower_name) const {
  const auto end = raw_.find("\r\n\r\n");
  std::size_t pos = raw_.find("\r\n");
  while (pos != std::string::npos && pos < end) {
    const auto next = raw_.find("\r\n", pos + 2);
    std::string line = raw_.substr(pos + 2, next - pos - 2);
    const auto colon = line.find(':');
    if (colon != std::string::npos) {
      std::string name = line.substr(0, colon);
      std::transform(name.begin(), name.end(), name.begin(),
                     [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
      if (name == lower_name) {
        auto v = line.substr(colon + 1);
        return v.substr(v.find_first_not_of(' '));
      }
    }
    pos = next;
  }
  return {};
}

std::string RawStream::body() const {
  const auto start = raw_.find("\r\n\r\n");
  if (start == std::string::npos) {
    return {};
  }
  std::string rest = raw_.substr(start + 4);
  if (header("transfer-encoding") != "chunked") {
    return rest;
  }
  std::string out;
  std::size_t pos = 0;
  while (pos < rest.size()) {
    const auto eol = rest.find("\r\n", pos);
    if (eol == std::string::npos) {
      break;
    }
    const auto size = std::strtoul(rest.substr(pos, eol - pos).c_str(), nullptr, 16);
    if (size == 0) {
      break;
    }
    out += rest.substr(eol + 2, size);
    pos = eol + 2 + size + 2;
  }
  return out;
}

}  // namespace litellm::test
