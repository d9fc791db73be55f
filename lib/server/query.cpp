#include <cstdlib>

#include "core/text.hpp"
#include "server/gateway_state.hpp"

namespace litellm::server {

std::string query_param(const http::Request& req, std::string_view name) {
  std::string_view q = req.query;
  while (!q.empty()) {
    const auto amp = q.find('&');
    const auto pair = q.substr(0, amp);
    const auto eq = pair.find('=');
    if (core::percent_decode(pair.substr(0, eq), true) == name) {
      return eq == std::string_view::npos ? std::string{}
                                          : core::percent_decode(pair.substr(eq + 1), true);
    }
    if (amp == std::string_view::npos) {
      break;
    }
    q.remove_prefix(amp + 1);
  }
  return {};
}

std::int64_t query_number(const http::Request& req, std::string_view name, std::int64_t fallback) {
  const auto v = query_param(req, name);
  if (v.empty()) {
    return fallback;
  }
  char* end = nullptr;
  const long long n = std::strtoll(v.c_str(), &end, 10);
  return end != nullptr && *end == '\0' ? static_cast<std::int64_t>(n) : -1;
}

}  // namespace litellm::server
