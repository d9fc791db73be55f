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

}  // namespace litellm::server
