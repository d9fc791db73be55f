#pragma once

#include <string>
#include <string_view>
#include <utility>

namespace litellm::core {

// A credential (provider key, master key). No implicit conversion to text; `redacted()` is what
// logs and `config show` print. Immutable value; copy freely.
class Secret {
 public:
  Secret() = default;
  explicit Secret(std::string value) : value_(std::move(value)) {}

  bool empty() const { return value_.empty(); }
  // Only where a header is built or a key is compared.
  const std::string& reveal() const { return value_; }
  // `sk-...abcd`: enough to tell keys apart, never enough to use one.
  std::string redacted() const {
    if (value_.empty()) {
      return "";
    }
    if (value_.size() <= 8) {
      return "****";
    }
    return value_.substr(0, 3) + "..." + value_.substr(value_.size() - 4);
  }

 private:
  std::string value_;
};

// Compares in time that depends only on the lengths, so a key cannot be guessed byte by byte.
bool constant_time_equal(std::string_view a, std::string_view b);

}  // namespace litellm::core
