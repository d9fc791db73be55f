#include "http/detail/server_parts.hpp"

namespace litellm::http {

void parse_buffered(RequestParser& parser, beast::flat_buffer& buffer, beast::error_code& ec) {
  while (!parser.is_done() && buffer.size() > 0) {
    const auto n = parser.put(buffer.data(), ec);
    buffer.consume(n);
    if (ec == bhttp::error::need_more) {
      ec = {};
      return;
    }
    if (ec || n == 0) {
      return;
    }
  }
}

}  // namespace litellm::http
