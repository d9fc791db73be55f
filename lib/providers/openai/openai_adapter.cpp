#include "providers/openai/openai_adapter.hpp"

#include <array>
#include <cstdlib>

#include "openai/codec.hpp"

namespace litellm::providers::openai {

namespace {

using nlohmann::json;

// Body fields the proxy consumes; sending them on would confuse or be refused by the upstream.
constexpr std::array<std::string_view, 22> kProxyOnlyFields = {
    "metadata",
    "tags",
    "cache",
    "fallbacks",
    "context_window_fallbacks",
    "content_policy_fallbacks",
    "num_retries",
    "timeout",
    "stream_timeout",
    "mock_response",
    "mock_testing_fallbacks",
    "mock_testing_context_fallbacks",
    "mock_testing_content_policy_fallbacks",
    "mock_testing_rate_limit_error",
    "disable_fallbacks",
    "guardrails",
    "api_key",
    "api_base",
    "base_url",
    "drop_params",
    "model_info",
    "litellm_metadata"};

class OpenAIStreamDecoder final : public StreamDecoder {
 public:
  Result<void> on_event(const core::StreamEvent& event, std::vector<LlmChunk>& out) override {
    if (event.data == "[DONE]") {
      done_ = true;
      return {};
    }
    json chunk = json::parse(event.data, nullptr, false);
    if (chunk.is_discarded() || !chunk.is_object()) {
      return Error::make(ErrorCode::UpstreamError,
                         "OpenAIException - upstream sent a stream event that is not JSON");
    }
    if (const auto err = chunk.find("error"); err != chunk.end() && !err->is_null()) {
      std::string message = "upstream stream failed";
      if (err->is_object() && err->contains("message") && (*err)["message"].is_string()) {
        message = (*err)["message"].get<std::string>();
      }
      return Error{ErrorCode::UpstreamError, "OpenAIException - " + message, {}, "openai", 0, {}};
    }
    out.push_back(LlmChunk{std::move(chunk)});
    return {};
  }
  Result<void> finish(std::vector<LlmChunk>&) override { return {}; }
  bool saw_end() const override { return done_; }

 private:
  bool done_ = false;
};

std::string provider_message(const core::UpstreamResponse& resp, std::string& type,
                             std::string& code) {
  json body = json::parse(resp.body, nullptr, false);
  if (!body.is_discarded() && body.is_object()) {
    const json* err = &body;
    if (body.contains("error") && body["error"].is_object()) {
      err = &body["error"];
    }
    if (err->contains("type") && (*err)["type"].is_string()) {
      type = (*err)["type"].get<std::string>();
    }
    if (err->contains("code") && (*err)["code"].is_string()) {
      code = (*err)["code"].get<std::string>();
    }
    if (err->contains("message") && (*err)["message"].is_string()) {
      return (*err)["message"].get<std::string>();
    }
    if (body.contains("error") && body["error"].is_string()) {
      return body["error"].get<std::string>();
    }
    if (body.contains("detail") && body["detail"].is_string()) {
      return body["detail"].get<std::string>();
    }
  }
  if (resp.body.empty()) {
    return "upstream answered HTTP " + std::to_string(resp.status) + " with no body";
  }
  return resp.body.substr(0, 500);
}

}  // namespace

Capabilities OpenAIAdapter::capabilities() const {
  Capabilities c;
  c.chat = c.stream = c.tools = c.vision = c.json_mode = c.embeddings = c.completions = true;
  return c;
}

Result<core::UpstreamRequest> OpenAIAdapter::build(const LlmRequest& req,
                                                   const Target& target) const {
  std::string base =
      target.api_base.empty() ? std::string(preset_.default_api_base) : target.api_base;
  if (base.empty()) {
    return Error::invalid(
        std::string(preset_.prefix) + " needs api_base in litellm_params (the server's /v1 URL)",
        "api_base");
  }
  while (!base.empty() && base.back() == '/') {
    base.pop_back();
  }
  core::UpstreamRequest out;
  out.url = base + std::string(litellm::openai::endpoint_path(req.kind));
  json body = target.default_params;
  for (const auto& [k, v] : req.body.items()) {
    body[k] = v;
  }
  for (const auto f : kProxyOnlyFields) {
    body.erase(std::string(f));
  }
  body["model"] = target.model;
  out.body = body.dump(-1, ' ', false, json::error_handler_t::replace);
  out.headers.emplace_back("Content-Type", "application/json");
  if (!target.api_key.empty()) {
    out.headers.emplace_back("Authorization", "Bearer " + target.api_key.reveal());
  }
  for (const auto& [k, v] : target.extra_headers.items()) {
    if (v.is_string()) {
      out.headers.emplace_back(k, v.get<std::string>());
    }
  }
  if (req.stream) {
    out.framing = core::Framing::Sse;
    out.headers.emplace_back("Accept", "text/event-stream");
  }
  out.timeout = target.timeout;
  return out;
}

Result<LlmResponse> OpenAIAdapter::parse(const core::UpstreamResponse& resp,
                                         const LlmRequest& req) const {
  json body = json::parse(resp.body, nullptr, false);
  const char* must_have = req.kind == CallKind::Embedding ? "data" : "choices";
  if (body.is_discarded() || !body.is_object() || !body.contains(must_have)) {
    return Error{ErrorCode::UpstreamError,
                 "OpenAIException - upstream returned a body that is not an OpenAI response",
                 {},
                 std::string(preset_.prefix),
                 resp.status,
                 {}};
  }
  return LlmResponse{std::move(body)};
}

std::unique_ptr<StreamDecoder> OpenAIAdapter::new_stream(const LlmRequest&) const {
  return std::make_unique<OpenAIStreamDecoder>();
}

Error OpenAIAdapter::map_error(const core::UpstreamResponse& resp) const {
  std::string type;
  std::string code;
  std::string message = provider_message(resp, type, code);
  Error e;
  e.provider = std::string(preset_.prefix);
  e.upstream_status = resp.status;
  e.message = "OpenAIException - " + message;
  switch (resp.status) {
    case 400:
    case 422:
      e.code = ErrorCode::InvalidRequest;
      if (code == "context_length_exceeded") {
        e.code = ErrorCode::ContextWindowExceeded;
      } else if (code == "content_filter" || code == "content_policy_violation" ||
                 code == "invalid_prompt") {
        e.code = ErrorCode::ContentPolicy;
      }
      break;
    case 401:
      e.code = ErrorCode::Authentication;
      break;
    case 403:
      e.code = ErrorCode::PermissionDenied;
      break;
    case 404:
      e.code = ErrorCode::NotFound;
      break;
    case 408:
      e.code = ErrorCode::Timeout;
      break;
    case 413:
      e.code = ErrorCode::PayloadTooLarge;
      break;
    case 429:
      e.code = ErrorCode::RateLimited;
      break;
    case 502:
    case 503:
    case 504:
      e.code = ErrorCode::UpstreamUnavailable;
      break;
    default:
      e.code = resp.status >= 500 ? ErrorCode::UpstreamError : ErrorCode::InvalidRequest;
  }
  if (const std::string ms = resp.header("retry-after-ms"); !ms.empty()) {
    e.retry_after = std::chrono::milliseconds(std::atol(ms.c_str()));
  } else if (const std::string s = resp.header("retry-after"); !s.empty()) {
    e.retry_after = std::chrono::milliseconds(static_cast<long>(std::atof(s.c_str()) * 1000));
  }
  return e;
}

}  // namespace litellm::providers::openai
