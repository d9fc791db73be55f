#include "server/error_response.hpp"

#include <cmath>

namespace litellm::server {

ErrorStatus status_for(const Error& error) {
  switch (error.code) {
    case ErrorCode::InvalidRequest:
      return {400, "invalid_request_error", "BadRequestError"};
    case ErrorCode::UnsupportedParam:
      return {400, "invalid_request_error", "UnsupportedParamsError"};
    case ErrorCode::ContextWindowExceeded:
      return {400, "invalid_request_error", "ContextWindowExceededError"};
    case ErrorCode::ContentPolicy:
      return {400, "invalid_request_error", "ContentPolicyViolationError"};
    case ErrorCode::Authentication:
      return {401, "auth_error", "AuthenticationError"};
    case ErrorCode::PermissionDenied:
      return {403, "auth_error", "PermissionDeniedError"};
    case ErrorCode::NotFound:
      return {404, "not_found_error", "NotFoundError"};
    case ErrorCode::PayloadTooLarge:
      return {413, "invalid_request_error", "BadRequestError"};
    case ErrorCode::RateLimited:
      return {429, "throttling_error", "RateLimitError"};
    case ErrorCode::BudgetExceeded:
      return {400, "budget_exceeded", "BudgetExceededError"};
    case ErrorCode::Timeout:
      return {408, "timeout", "Timeout"};
    case ErrorCode::UpstreamUnavailable:
      // No HTTP answer at all (refused, reset, DNS, TLS) is a bad gateway; an upstream that
      // answered 502/503/504 is passed on as unavailable.
      if (error.upstream_status == 0) {
        return {502, "api_connection_error", "APIConnectionError"};
      }
      return {503, "service_unavailable", "ServiceUnavailableError"};
    case ErrorCode::UpstreamError:
      return {500, "internal_server_error", "InternalServerError"};
    case ErrorCode::Unsupported:
      return {400, "invalid_request_error", "BadRequestError"};
    case ErrorCode::Storage:
      return {503, "no_db_connection", "ServiceUnavailableError"};
    case ErrorCode::Config:
      return {500, "internal_server_error", "APIError"};
    case ErrorCode::Cancelled:
      return {499, "cancelled", "APIError"};
    case ErrorCode::Internal:
      return {500, "internal_server_error", "APIError"};
  }
  return {500, "internal_server_error", "APIError"};
}

nlohmann::json error_json(const Error& error) {
  const ErrorStatus s = status_for(error);
  nlohmann::json e;
  // Errors that came from a provider read as LiteLLM's do: "litellm.<Class>: <Provider> - msg".
  // `type` is always a string: OpenAI's spec requires one, where LiteLLM often sends null.
  std::string prefix = std::string("litellm.") + s.litellm_class + ": ";
  if (error.code == ErrorCode::ContextWindowExceeded) {
    prefix += "litellm.BadRequestError: ";  // LiteLLM's own double prefix for this class
  }
  e["message"] = error.provider.empty() ? error.message : prefix + error.message;
  e["type"] = s.type;
  e["param"] = error.param.empty() ? nlohmann::json(nullptr) : nlohmann::json(error.param);
  // OpenAI's code for an over-long prompt, which clients test for to trim and retry.
  e["code"] = error.code == ErrorCode::ContextWindowExceeded
                  ? std::string("context_length_exceeded")
                  : std::to_string(s.status);
  return nlohmann::json{{"error", std::move(e)}};
}

http::Response error_response(const Error& error, const std::string& call_id) {
  http::Response r;
  r.status = status_for(error).status;
  r.body = error_json(error).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  if (!call_id.empty()) {
    r.headers.emplace_back("x-litellm-call-id", call_id);
  }
  if (error.retry_after) {
    const auto secs =
        static_cast<long long>(std::ceil(static_cast<double>(error.retry_after->count()) / 1000.0));
    r.headers.emplace_back("retry-after", std::to_string(std::max(1LL, secs)));
  }
  return r;
}

}  // namespace litellm::server
