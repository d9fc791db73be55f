#include "litellm/error.hpp"

namespace litellm {

std::string_view to_string(ErrorCode code) {
  switch (code) {
    case ErrorCode::InvalidRequest:
      return "InvalidRequest";
    case ErrorCode::UnsupportedParam:
      return "UnsupportedParam";
    case ErrorCode::ContextWindowExceeded:
      return "ContextWindowExceeded";
    case ErrorCode::ContentPolicy:
      return "ContentPolicy";
    case ErrorCode::Authentication:
      return "Authentication";
    case ErrorCode::PermissionDenied:
      return "PermissionDenied";
    case ErrorCode::NotFound:
      return "NotFound";
    case ErrorCode::PayloadTooLarge:
      return "PayloadTooLarge";
    case ErrorCode::RateLimited:
      return "RateLimited";
    case ErrorCode::BudgetExceeded:
      return "BudgetExceeded";
    case ErrorCode::Timeout:
      return "Timeout";
    case ErrorCode::UpstreamUnavailable:
      return "UpstreamUnavailable";
    case ErrorCode::UpstreamError:
      return "UpstreamError";
    case ErrorCode::Unsupported:
      return "Unsupported";
    case ErrorCode::Storage:
      return "Storage";
    case ErrorCode::Config:
      return "Config";
    case ErrorCode::Cancelled:
      return "Cancelled";
    case ErrorCode::Internal:
      return "Internal";
  }
  return "Internal";
}

}  // namespace litellm
