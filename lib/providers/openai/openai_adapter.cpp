#include "providers/openai/openai_adapter.hpp"

#include <array>
#include <cstdlib>

#include "openai/codec.hpp"
#include "providers/openai/answer_scan.hpp"
#include "providers/translate/errors.hpp"
#include "providers/translate/request_params.hpp"

namespace litellm::providers::openai {

namespace {

using nlohmann::json;

class OpenAIStreamDecoder final : public StreamDecoder {
 public:
  OpenAIStreamDecoder(std::string exception, std::string provider)
      : exception_(std::move(exception)), provider_(std::move(provider)) {}

  Result<void> on_event(const core::StreamEvent& event, std::vector<LlmChunk>& out) override {
    if (event.data == "[DONE]") {
      done_ = true;
      return {};
    }
    json chunk = json::parse(event.data, nullptr, false);
    if (chunk.is_discarded() || !chunk.is_object()) {
      return Error{ErrorCode::UpstreamError,
                   exception_ + "upstream sent a stream event that is not JSON",
                   {},
                   provider_,
                   0,
                   {}};
    }
    if (const auto err = chunk.find("error"); err != chunk.end() && !err->is_null()) {
      std::string message = "upstream stream failed";
      if (err->is_object() && err->contains("message") && (*err)["message"].is_string()) {
        message = (*err)["message"].get<std::string>();
      }
      return Error{ErrorCode::UpstreamError, exception_ + message, {}, provider_, 0, {}};
    }
    // A chunk with no id, no choices and no usage carries nothing for the client (Azure opens
    // every stream with one holding only prompt_filter_results).
    if (chunk.value("id", "").empty() && chunk.value("choices", json::array()).empty() &&
        !chunk.contains("usage")) {
      return {};
    }
    out.push_back(LlmChunk{std::move(chunk)});
    return {};
  }
  Result<void> finish(std::vector<LlmChunk>&) override { return {}; }
  bool saw_end() const override { return done_; }

 private:
  std::string exception_;
  std::string provider_;
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
  return preset_.capabilities();
}

Result<core::UpstreamRequest> OpenAIAdapter::build(const LlmRequest& req,
                                                   const Target& target) const {
  const auto caps = preset_.capabilities();
  if ((req.kind == CallKind::Embedding && !caps.embeddings) ||
      (req.kind == CallKind::Completion && !caps.completions)) {
    return Error{ErrorCode::Unsupported,
                 std::string(preset_.prefix) + " has no " +
                     (req.kind == CallKind::Embedding ? "embeddings" : "text completions") +
                     " endpoint; point this model group at a provider that does",
                 {},
                 std::string(preset_.prefix),
                 0,
                 {}};
  }
  const std::string base = translate::base_url(target, preset_.default_api_base);
  if (base.empty()) {
    return Error::invalid(
        std::string(preset_.prefix) + " needs api_base in litellm_params (the server's /v1 URL)",
        "api_base");
  }
  std::string url = base + std::string(litellm::openai::endpoint_path(req.kind));
  const auto framing = req.stream ? core::Framing::Sse : core::Framing::None;
  core::UpstreamRequest out;
  if (auto written = translate::effective_body_json(req, target)) {
    out = translate::json_request(std::move(url), std::move(*written), target, framing);
  } else {
    json body = translate::effective_body(req, target);
    body["model"] = target.model;
    translate::apply_extra_body(body, req, target);
    out = translate::json_request(std::move(url), body, target, framing);
  }
  if (!target.api_key.empty()) {
    out.headers.emplace_back("Authorization", "Bearer " + target.api_key.reveal());
  }
  return out;
}

Result<LlmResponse> OpenAIAdapter::parse(const core::UpstreamResponse& resp,
                                         const LlmRequest& req) const {
  const char* must_have = req.kind == CallKind::Embedding ? "data" : "choices";
  // The answer goes to the client as it came: all the proxy reads of it is `usage`.
  auto scanned = scan_answer(resp.body, must_have);
  if (!scanned) {
    return Error{ErrorCode::UpstreamError,
                 exception_ + "upstream returned a body that is not an OpenAI response",
                 {},
                 std::string(preset_.prefix),
                 resp.status,
                 {}};
  }
  return LlmResponse{json(), resp.body, false, scanned->usage};
}

std::unique_ptr<StreamDecoder> OpenAIAdapter::new_stream(const LlmRequest&) const {
  return std::make_unique<OpenAIStreamDecoder>(exception_, std::string(preset_.prefix));
}

Error OpenAIAdapter::map_error(const core::UpstreamResponse& resp) const {
  std::string type;
  std::string code;
  std::string message = provider_message(resp, type, code);
  Error e;
  e.provider = std::string(preset_.prefix);
  e.upstream_status = resp.status;
  e.message = exception_ + message;
  e.code = translate::code_for_status(resp.status);
  if (e.code == ErrorCode::InvalidRequest) {
    if (code == "context_length_exceeded") {
      e.code = ErrorCode::ContextWindowExceeded;
    } else if (code == "content_filter" || code == "content_policy_violation" ||
               code == "invalid_prompt") {
      e.code = ErrorCode::ContentPolicy;
    }
  }
  e.retry_after = translate::retry_after_of(resp);
  return e;
}

}  // namespace litellm::providers::openai
