#include "core/http_message.hpp"

namespace litellm::core {

namespace {
// Header names are ASCII tokens: no locale, and no call per character (std::tolower is one).
constexpr char ascii_lower(char c) {
  return c >= 'A' && c <= 'Z' ? static_cast<char>(c | 0x20) : c;
}
}  // namespace

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) {
    return false;
  }
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (ascii_lower(a[i]) != ascii_lower(b[i])) {
      return false;
    }
  }
  return true;
}

bool has_line_break(std::string_view s) {
  // Not find_first_of("\r\n"): libstdc++ makes that a memchr call per character.
  for (const char c : s) {
    if (c == '\r' || c == '\n') {
      return true;
    }
  }
  return false;
}

std::string UpstreamResponse::header(std::string_view name) const {
  for (const auto& [k, v] : headers) {
    if (iequals(k, name)) {
      return v;
    }
  }
  return {};
}

}  // namespace litellm::core
