#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace litellm::http {

// Where a plain http:// URL points.
struct PlainHttpUrl {
  std::string host;         // a name or an address (IPv6 without its brackets)
  std::string port;         // "80" when the URL names none
  std::string target;       // path and query, at least "/"
  std::string host_header;  // the Host header: host[:port], the port only when not 80
};

// Parses `http://host[:port][/path][?query][#fragment]`. Anything else (https, user info in the
// authority, a bad port, spaces or control characters) is nullopt: libcurl serves those.
std::optional<PlainHttpUrl> parse_plain_http_url(std::string_view url);

}  // namespace litellm::http
