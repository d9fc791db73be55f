#include "http/plain_http_url.hpp"

#include <algorithm>
#include <charconv>

#include "core/http_message.hpp"

namespace litellm::http {

namespace {

// host and port of an authority (`host`, `host:port`, `[v6]`, `[v6]:port`); false if malformed.
bool split_authority(std::string_view authority, std::string_view& host, std::string_view& port) {
  host = authority;
  port = {};
  if (authority.front() == '[') {
    const auto close = authority.find(']');
    if (close == std::string_view::npos) {
      return false;
    }
    host = authority.substr(1, close - 1);
    const auto after = authority.substr(close + 1);
    if (!after.empty() && after.front() != ':') {
      return false;
    }
    port = after.empty() ? after : after.substr(1);
  } else if (const auto colon = authority.rfind(':'); colon != std::string_view::npos) {
    host = authority.substr(0, colon);
    port = authority.substr(colon + 1);
  }
  return !host.empty();
}

std::optional<unsigned> port_number(std::string_view port) {
  if (port.empty()) {
    return 80;
  }
  unsigned number = 0;
  const auto [p, err] = std::from_chars(port.data(), port.data() + port.size(), number);
  if (err != std::errc() || p != port.data() + port.size() || number == 0 || number > 65535) {
    return std::nullopt;
  }
  return number;
}

bool has_space_or_control(std::string_view s) {
  return std::any_of(s.begin(), s.end(),
                     [](char c) { return static_cast<unsigned char>(c) <= ' ' || c == 0x7f; });
}

}  // namespace

std::optional<PlainHttpUrl> parse_plain_http_url(std::string_view url) {
  constexpr std::string_view kScheme = "http://";
  if (url.size() <= kScheme.size() || !core::iequals(url.substr(0, kScheme.size()), kScheme) ||
      has_space_or_control(url)) {
    return std::nullopt;
  }
  url.remove_prefix(kScheme.size());
  const auto end = url.find_first_of("/?#");
  const std::string_view authority = url.substr(0, end);
  std::string_view rest = end == std::string_view::npos ? std::string_view() : url.substr(end);
  std::string_view host;
  std::string_view port;
  if (authority.empty() || authority.find('@') != std::string_view::npos ||
      !split_authority(authority, host, port)) {
    return std::nullopt;  // user info in the URL is libcurl's to turn into a header
  }
  const auto number = port_number(port);
  if (!number) {
    return std::nullopt;
  }
  if (const auto hash = rest.find('#'); hash != std::string_view::npos) {
    rest = rest.substr(0, hash);
  }
  PlainHttpUrl u;
  u.host = std::string(host);
  u.port = std::to_string(*number);
  u.target = rest.empty() || rest.front() != '/' ? "/" + std::string(rest) : std::string(rest);
  // The Host header names the port only when it is not the default, as libcurl's does.
  const auto written =
      port.empty() ? authority : authority.substr(0, authority.size() - port.size() - 1);
  u.host_header = *number == 80 ? std::string(written) : std::string(authority);
  return u;
}

}  // namespace litellm::http
