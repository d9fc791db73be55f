#include "support/http_client.hpp"

#include <algorithm>
#include <cctype>

#include <httplib.h>

namespace litellm::test {

namespace {

HttpResult convert(const httplib::Result& r) {
  HttpResult out;
  if (!r) {
    out.status = -1;
    out.body = httplib::to_string(r.error());
    return out;
  }
  out.status = r->status;
  out.body = r->body;
  for (const auto& [k, v] : r->headers) {
    std::string lower = k;
    std::transform(lower.begin(), lower.end(), lower.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    out.headers.emplace(lower, v);
  }
  return out;
}

httplib::Headers to_headers(const std::vector<std::pair<std::string, std::string>>& headers) {
  httplib::Headers h;
  for (const auto& [k, v] : headers) {
    h.emplace(k, v);
  }
  return h;
}

}  // namespace

std::string HttpResult::header(const std::string& lower_name) const {
  const auto it = headers.find(lower_name);
  return it == headers.end() ? std::string() : it->second;
}

HttpResult HttpClient::post(const std::string& path, const std::string& body,
                            const std::vector<std::pair<std::string, std::string>>& headers) const {
  httplib::Client c("127.0.0.1", port_);
  c.set_tcp_nodelay(true);
  c.set_read_timeout(30, 0);
  return convert(c.Post(path.c_str(), to_headers(headers), body, "application/json"));
}

HttpResult HttpClient::get(const std::string& path,
                           const std::vector<std::pair<std::string, std::string>>& headers) const {
  httplib::Client c("127.0.0.1", port_);
  c.set_tcp_nodelay(true);
  c.set_read_timeout(30, 0);
  return convert(c.Get(path.c_str(), to_headers(headers)));
}

}  // namespace litellm::test
