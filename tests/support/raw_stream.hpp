#pragma once

#include <chrono>
#include <string>
#include <vector>

namespace litellm::test {

// A raw HTTP/1.1 exchange over one TCP connection, for streams: the test sees bytes as they
// arrive and can hang up whenever it likes.
class RawStream {
 public:
  RawStream(int port, const std::string& path, const std::string& body,
            const std::vector<std::pair<std::string, std::string>>& headers);
  ~RawStream();
  RawStream(const RawStream&) = delete;
  RawStream& operator=(const RawStream&) = delete;

  // Reads until `needle` has been received (true) or the peer closed / timeout passed (false).
  bool read_until(const std::string& needle,
                  std::chrono::milliseconds timeout = std::chrono::seconds(10));
  // Reads until the peer closes the connection.
  void read_to_end(std::chrono::milliseconds timeout = std::chrono::seconds(20));
  void close();

  const std::string& raw() const { return raw_; }
  int status() const;
  std::string header(const std::string& lower_name) const;
  // The body with chunked transfer-encoding undone.
  std::string body() const;

 private:
  int fd_ = -1;
  std::string raw_;
};

}  // namespace litellm::test
