#include "providers/translate/errors.hpp"

#include <cstdlib>
#include <string>

namespace litellm::providers::translate {

ErrorCode code_for_status(int status) {
  switch (status) {
    case 400:
    case 422:
      return ErrorCode::InvalidRequest;
    case 401:
      return ErrorCode::Authentication;
    case 403:
      return ErrorCode::PermissionDenied;
    case 404:
      return ErrorCode::NotFound;
    case 408:
      return ErrorCode::Timeout;
    case 413:
      return ErrorCode::PayloadTooLarge;
    case 429:
      return ErrorCode::RateLimited;
    case 502:
    case 503:
    case 504:
    case 529:  // Anthropic's "overloaded"
      return ErrorCode::UpstreamUnavailable;
    default:
      return status >= 500 ? ErrorCode::UpstreamError : ErrorCode::InvalidRequest;
  }
}

std::optional<std::chrono::milliseconds> retry_after_of(const core::UpstreamResponse& resp) {
  if (const std::string ms = resp.header("retry-after-ms"); !ms.empty()) {
    return std::chrono::milliseconds(std::atol(ms.c_str()));
  }
  if (const std::string s = resp.header("retry-after"); !s.empty()) {
    return std::chrono::milliseconds(static_cast<long>(std::atof(s.c_str()) * 1000));
  }
  return std::nullopt;
}

}  // namespace litellm::providers::translate
