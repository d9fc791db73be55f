#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace litellm::core {

// The text's lines, each keeping its '\n' (the last may lack one).
std::vector<std::string_view> split_lines(std::string_view text);

// RFC 3986 percent-encoding: unreserved characters (A-Z a-z 0-9 - _ . ~) stay, every other byte
// becomes %XX with upper-case hex (as AWS SigV4 requires); '/' stays when `keep_slash`.
std::string percent_encode(std::string_view s, bool keep_slash = false);
// Decodes %XX (malformed escapes are kept as they are); '+' is a space when `plus_is_space`
// (HTML form / query strings).
std::string percent_decode(std::string_view s, bool plus_is_space = false);

}  // namespace litellm::core
