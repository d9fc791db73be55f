#include "server/error_response.hpp"

#include <doctest/doctest.h>

using litellm::Error;
using litellm::ErrorCode;

TEST_CASE("error mapping: every ErrorCode has LiteLLM's status") {
  struct Row {
    ErrorCode code;
    int upstream_status;
    int status;
  };
  // Statuses from shared/reference/errors.md; 502 for an upstream that never answered.
  const Row rows[] = {
      {ErrorCode::InvalidRequest, 0, 400},
      {ErrorCode::UnsupportedParam, 0, 400},
      {ErrorCode::ContextWindowExceeded, 0, 400},
      {ErrorCode::ContentPolicy, 0, 400},
      {ErrorCode::Authentication, 0, 401},
      {ErrorCode::PermissionDenied, 0, 403},
      {ErrorCode::NotFound, 0, 404},
      {ErrorCode::PayloadTooLarge, 0, 413},
      {ErrorCode::RateLimited, 0, 429},
      {ErrorCode::BudgetExceeded, 0, 400},
      {ErrorCode::Timeout, 0, 408},
      {ErrorCode::UpstreamUnavailable, 0, 502},
      {ErrorCode::UpstreamUnavailable, 503, 503},
      {ErrorCode::UpstreamError, 500, 500},
      {ErrorCode::Unsupported, 0, 400},
      {ErrorCode::Storage, 0, 503},
      {ErrorCode::Config, 0, 500},
      {ErrorCode::Internal, 0, 500},
  };
  for (const auto& r : rows) {
    CAPTURE(litellm::to_string(r.code));
    Error e = Error::make(r.code, "m");
    e.upstream_status = r.upstream_status;
    CHECK(litellm::server::status_for(e).status == r.status);
    const auto j = litellm::server::error_json(e);
    CHECK(j["error"]["code"] == (r.code == ErrorCode::ContextWindowExceeded
                                     ? std::string("context_length_exceeded")
                                     : std::to_string(r.status)));
    CHECK(j["error"]["message"] == "m");
    CHECK(j["error"].contains("type"));
    CHECK(j["error"]["param"].is_null());
  }
}

TEST_CASE("error mapping: provider errors read as LiteLLM's - rate limits as throttling_error") {
  Error e{ErrorCode::RateLimited,         "OpenAIException - slow down", {}, "openai", 429,
          std::chrono::milliseconds(1500)};
  const auto j = litellm::server::error_json(e);
  CHECK(j["error"]["message"] == "litellm.RateLimitError: OpenAIException - slow down");
  CHECK(j["error"]["type"] == "throttling_error");
  const auto r = litellm::server::error_response(e, "call-1");
  CHECK(r.status == 429);
  bool saw_retry = false;
  bool saw_id = false;
  for (const auto& [k, v] : r.headers) {
    saw_retry |= k == "retry-after" && v == "2";
    saw_id |= k == "x-litellm-call-id" && v == "call-1";
  }
  CHECK(saw_retry);
  CHECK(saw_id);

  Error bad{ErrorCode::ContextWindowExceeded, "OpenAIException - too long", {}, "openai", 400, {}};
  const auto jb = litellm::server::error_json(bad);
  CHECK(jb["error"]["message"] ==
        "litellm.ContextWindowExceededError: litellm.BadRequestError: OpenAIException - too long");
  CHECK(jb["error"]["type"] == "invalid_request_error");
  CHECK(jb["error"]["code"] == "context_length_exceeded");
}

TEST_CASE("error mapping: the param travels") {
  const auto j = litellm::server::error_json(Error::invalid("bad", "messages"));
  CHECK(j["error"]["param"] == "messages");
  CHECK(j["error"]["type"] == "invalid_request_error");
}
