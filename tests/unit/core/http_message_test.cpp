#include "core/http_message.hpp"

#include <string_view>

#include <doctest/doctest.h>

using litellm::core::has_line_break;
using litellm::core::iequals;

TEST_CASE("header names compare without regard to ASCII case, and nothing else") {
  CHECK(iequals("Content-Length", "content-length"));
  CHECK(iequals("X-LITELLM-API-KEY", "x-litellm-api-key"));
  CHECK(iequals("", ""));
  CHECK_FALSE(iequals("Content-Length", "Content-Lengt"));
  CHECK_FALSE(iequals("x-api-key", "x-api-kez"));
  // '[' and '{' (like '@' and '`') differ by the bit that folds letters: they are not letters.
  CHECK_FALSE(iequals("a[b", "a{b"));
  CHECK_FALSE(iequals("@", "`"));
}

TEST_CASE("a CR or LF anywhere is a line break in a header") {
  CHECK_FALSE(has_line_break(""));
  CHECK_FALSE(has_line_break("application/json; charset=utf-8"));
  CHECK(has_line_break("\r"));
  CHECK(has_line_break("value\r\nInjected: yes"));
  CHECK(has_line_break("ends with\n"));
  CHECK(has_line_break(std::string_view("nul\0then\n", 10)));
  CHECK_FALSE(has_line_break(std::string_view("nul\0only", 8)));
}
