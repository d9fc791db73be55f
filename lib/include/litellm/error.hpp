#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>

namespace litellm {

// What happened, never an HTTP status: lib/server/error_response.cpp owns that mapping.
enum class ErrorCode {
  InvalidRequest,
  UnsupportedParam,
  ContextWindowExceeded,
  ContentPolicy,
  Authentication,
  PermissionDenied,
  NotFound,
  PayloadTooLarge,
  RateLimited,
  BudgetExceeded,
  Timeout,
  UpstreamUnavailable,
  UpstreamError,
  Unsupported,
  Storage,
  Config,
  Cancelled,
  Internal,
};

std::string_view to_string(ErrorCode code);

// A cheap error value. Immutable once built; copy freely.
struct Error {
  ErrorCode code = ErrorCode::Internal;
  std::string message;
  std::string param;
  std::string provider;
  int upstream_status = 0;  // status the provider answered with, 0 when none
  std::optional<std::chrono::milliseconds> retry_after;

  static Error invalid(std::string message, std::string param = {}) {
    return Error{ErrorCode::InvalidRequest, std::move(message), std::move(param), {}, 0, {}};
  }
  static Error make(ErrorCode code, std::string message) {
    return Error{code, std::move(message), {}, {}, 0, {}};
  }
};

// expected-like result with std::expected's member names, so C++23 can alias it.
template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::move(value)) {}  // NOLINT(google-explicit-constructor)
  Result(Error error) : v_(std::in_place_index<1>, std::move(error)) {}  // NOLINT

  bool has_value() const { return v_.index() == 0; }
  explicit operator bool() const { return has_value(); }
  T& value() & { return std::get<0>(v_); }
  const T& value() const& { return std::get<0>(v_); }
  T&& value() && { return std::get<0>(std::move(v_)); }
  const Error& error() const { return std::get<1>(v_); }
  Error& error() { return std::get<1>(v_); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }

 private:
  std::variant<T, Error> v_;
};

template <>
class [[nodiscard]] Result<void> {
 public:
  Result() = default;
  Result(Error error) : error_(std::move(error)) {}  // NOLINT(google-explicit-constructor)

  bool has_value() const { return !error_.has_value(); }
  explicit operator bool() const { return has_value(); }
  const Error& error() const { return *error_; }

 private:
  std::optional<Error> error_;
};

}  // namespace litellm
