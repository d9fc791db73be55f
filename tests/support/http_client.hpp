#pragma once

#include <map>
#include <string>
#include <vector>

namespace litellm::test {

struct HttpResult {
  int status = 0;
  std::multimap<std::string, std::string> headers;  // lower-case names
  std::string body;
  std::string header(const std::string& lower_name) const;
};

// A blocking HTTP/1.1 client of the daemon on 127.0.0.1 (cpp-httplib underneath).
class HttpClient {
 public:
  explicit HttpClient(int port) : port_(port) {}
  HttpResult post(const std::string& path, const std::string& body,
                  const std::vector<std::pair<std::string, std::string>>& headers = {}) const;
  HttpResult get(const std::string& path,
                 const std::vector<std::pair<std::string, std::string>>& headers = {}) const;

 private:
  int port_;
};

}  // namespace litellm::test
