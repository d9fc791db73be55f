#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "litellm/error.hpp"

#include "http/server_front.hpp"

namespace litellm::server {

// The one place that turns an ErrorCode into an HTTP status and LiteLLM's error JSON.
struct ErrorStatus {
  int status;
  const char* type;           // OpenAI/LiteLLM `type` for errors the proxy raises itself
  const char* litellm_class;  // LiteLLM exception class named in upstream-derived messages
};

ErrorStatus status_for(const Error& error);

// {"error":{"message","type","param","code"}}: code is the status as a string, as LiteLLM does.
nlohmann::json error_json(const Error& error);

// A complete error response with retry-after and x-litellm-call-id.
http::Response error_response(const Error& error, const std::string& call_id);

}  // namespace litellm::server
