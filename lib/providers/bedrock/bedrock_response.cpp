// Bedrock Converse answers, ConverseStream events and errors -> OpenAI.
#include "providers/bedrock/bedrock_adapter.hpp"
#include "providers/translate/errors.hpp"
#include "providers/translate/messages.hpp"
#include "providers/translate/openai_shapes.hpp"

namespace litellm::providers::bedrock {

namespace {

using nlohmann::json;
namespace tr = translate;

std::string finish_of(const std::string& reason) {
  if (reason == "max_tokens") {
    return "length";
  }
  if (reason == "tool_use") {
    return "tool_calls";
  }
  if (reason == "guardrail_intervened" || reason == "content_filtered") {
    return "content_filter";
  }
  return "stop";
}

json usage_of(const json& u) {
  const auto get = [&](const char* k) -> std::int64_t {
    return u.contains(k) && u[k].is_number_integer() ? u[k].get<std::int64_t>() : 0;
  };
  const auto read = get("cacheReadInputTokens");
  const auto written = get("cacheWriteInputTokens");
  json out =
      tr::usage_object(get("inputTokens") + read + written, get("outputTokens"),
                       u.contains("cacheReadInputTokens") ? std::optional(read) : std::nullopt);
  if (written > 0) {
    out["cache_creation_input_tokens"] = written;
  }
  return out;
}

// The error class of an AWS error type name (the x-amzn-ErrorType prefix, or an exception
// frame's :exception-type), before the status refines it.
ErrorCode code_of_type(std::string_view type, int status) {
  const auto is = [&](std::string_view t) {
    return type.size() >= t.size() &&
           std::equal(t.begin(), t.end(), type.begin(), [](char a, char b) {
             return std::tolower(static_cast<unsigned char>(a)) ==
                    std::tolower(static_cast<unsigned char>(b));
           });
  };
  if (is("ThrottlingException") || is("ServiceQuotaExceededException") ||
      is("ModelNotReadyException")) {
    return ErrorCode::RateLimited;
  }
  if (is("UnrecognizedClientException") || is("InvalidSignatureException") ||
      is("ExpiredTokenException")) {
    return ErrorCode::Authentication;
  }
  if (is("AccessDeniedException")) {
    return ErrorCode::PermissionDenied;
  }
  if (is("ResourceNotFoundException")) {
    return ErrorCode::NotFound;
  }
  if (is("ModelTimeoutException")) {
    return ErrorCode::Timeout;
  }
  if (is("ServiceUnavailableException")) {
    return ErrorCode::UpstreamUnavailable;
  }
  if (is("ValidationException")) {
    return ErrorCode::InvalidRequest;
  }
  if (is("InternalServerException") || is("ModelErrorException") ||
      is("ModelStreamErrorException")) {
    return ErrorCode::UpstreamError;
  }
  return tr::code_for_status(status == 0 ? 500 : status);
}

Error error_of(std::string_view type, const std::string& message, int status) {
  Error e{code_of_type(type, status), "BedrockException - " + message, {}, "bedrock", status, {}};
  if (message.find("too long") != std::string::npos ||
      message.find("context window") != std::string::npos) {
    e.code = ErrorCode::ContextWindowExceeded;
  }
  return e;
}

std::string message_of(const json& body, const std::string& fallback) {
  for (const char* key : {"message", "Message"}) {
    if (body.is_object() && body.contains(key) && body[key].is_string()) {
      return body[key].get<std::string>();
    }
  }
  return fallback;
}

class BedrockStreamDecoder final : public StreamDecoder {
 public:
  explicit BedrockStreamDecoder(const LlmRequest& req)
      : include_usage_(req.include_usage), head_{tr::new_chat_id(), tr::unix_now(), req.model} {}

  Result<void> on_event(const core::StreamEvent& event, std::vector<LlmChunk>& out) override {
    const json p = json::parse(event.data, nullptr, false);
    if (event.event.find(':') != std::string::npos) {  // "exception:<type>" / "error:<type>"
      const auto type = event.event.substr(event.event.find(':') + 1);
      return error_of(type, message_of(p, type), 0);
    }
    if (p.is_discarded() || !p.is_object()) {
      return Error{ErrorCode::UpstreamError,
                   "BedrockException - an event-stream frame held no JSON",
                   {},
                   "bedrock",
                   0,
                   {}};
    }
    const auto& type = event.event;
    if (type == "messageStart") {
      out.push_back({tr::chat_chunk(head_, {{"role", "assistant"}, {"content", ""}})});
    } else if (type == "contentBlockStart") {
      const auto use = p.value("start", json::object()).value("toolUse", json());
      if (use.is_object()) {
        tool_index_ += 1;
        out.push_back({tr::chat_chunk(
            head_, {{"tool_calls",
                     json::array({{{"index", tool_index_},
                                   {"id", use.value("toolUseId", "")},
                                   {"type", "function"},
                                   {"function",
                                    {{"name", use.value("name", "")}, {"arguments", ""}}}}})}})});
      }
    } else if (type == "contentBlockDelta") {
      const auto delta = p.value("delta", json::object());
      if (delta.contains("text")) {
        out.push_back({tr::chat_chunk(head_, {{"content", delta.value("text", "")}})});
      } else if (delta.contains("toolUse")) {
        out.push_back({tr::chat_chunk(
            head_, {{"tool_calls",
                     json::array({{{"index", tool_index_},
                                   {"function",
                                    {{"arguments", delta["toolUse"].value("input", "")}}}}})}})});
      } else if (delta.contains("reasoningContent") && delta["reasoningContent"].contains("text")) {
        out.push_back({tr::chat_chunk(
            head_, {{"reasoning_content", delta["reasoningContent"].value("text", "")}})});
      }
    } else if (type == "messageStop") {
      out.push_back(
          {tr::chat_chunk(head_, json::object(), finish_of(p.value("stopReason", "end_turn")))});
      stopped_ = true;
    } else if (type == "metadata") {
      if (include_usage_) {
        out.push_back({tr::usage_chunk(head_, usage_of(p.value("usage", json::object())))});
      }
      ended_ = true;
    }
    return {};
  }
  Result<void> finish(std::vector<LlmChunk>& out) override {
    if (!stopped_) {
      return Error{ErrorCode::UpstreamError,
                   "BedrockException - the stream ended before messageStop",
                   {},
                   "bedrock",
                   0,
                   {}};
    }
    if (!ended_ && include_usage_) {
      out.push_back({tr::usage_chunk(head_, usage_of(json::object()))});
    }
    return {};
  }
  bool saw_end() const override { return stopped_; }

 private:
  bool include_usage_;
  bool stopped_ = false;
  bool ended_ = false;
  int tool_index_ = -1;
  tr::ChunkHead head_;
};

}  // namespace

Capabilities BedrockAdapter::capabilities() const {
  Capabilities c;
  c.chat = c.stream = c.tools = c.vision = c.embeddings = true;
  return c;
}

Result<LlmResponse> BedrockAdapter::parse(const core::UpstreamResponse& resp,
                                          const LlmRequest& req) const {
  const json body = json::parse(resp.body, nullptr, false);
  if (req.kind == CallKind::Embedding && body.is_object()) {
    if (body.contains("embedding")) {  // Titan
      return LlmResponse{tr::embedding_list(req.model, json::array({body["embedding"]}),
                                            body.value("inputTextTokenCount", 0))};
    }
    if (body.contains("embeddings") && body["embeddings"].is_array()) {  // Cohere on Bedrock
      return LlmResponse{tr::embedding_list(req.model, body["embeddings"], 0)};
    }
  }
  if (body.is_discarded() || !body.is_object() || !body.contains("output")) {
    return Error{ErrorCode::UpstreamError,
                 "BedrockException - the answer is not a Converse response",
                 {},
                 "bedrock",
                 resp.status,
                 {}};
  }
  const auto content =
      body["output"].value("message", json::object()).value("content", json::array());
  std::string text;
  std::string reasoning;
  json calls = json::array();
  for (const auto& block : content) {
    if (block.contains("text")) {
      text += block.value("text", "");
    } else if (block.contains("toolUse")) {
      const auto& use = block["toolUse"];
      calls.push_back(
          {{"id", use.value("toolUseId", "")},
           {"type", "function"},
           {"function",
            {{"name", use.value("name", "")},
             {"arguments", tr::arguments_string(use.value("input", json::object()))}}}});
    } else if (block.contains("reasoningContent")) {
      reasoning +=
          block["reasoningContent"].value("reasoningText", json::object()).value("text", "");
    }
  }
  json message = {{"role", "assistant"}, {"content", text}};
  if (!calls.empty()) {
    message["tool_calls"] = std::move(calls);
  }
  if (!reasoning.empty()) {
    message["reasoning_content"] = reasoning;
  }
  const tr::ChunkHead head{tr::new_chat_id(), tr::unix_now(), req.model};
  return LlmResponse{tr::chat_completion(head, std::move(message),
                                         finish_of(body.value("stopReason", "end_turn")),
                                         usage_of(body.value("usage", json::object())))};
}

std::unique_ptr<StreamDecoder> BedrockAdapter::new_stream(const LlmRequest& req) const {
  return std::make_unique<BedrockStreamDecoder>(req);
}

Error BedrockAdapter::map_error(const core::UpstreamResponse& resp) const {
  const json body = json::parse(resp.body, nullptr, false);
  std::string type = resp.header("x-amzn-ErrorType");
  if (type.empty() && body.is_object() && body.contains("__type") && body["__type"].is_string()) {
    type = body["__type"].get<std::string>();
    type = type.substr(type.find('#') == std::string::npos ? 0 : type.find('#') + 1);
  }
  Error e = error_of(
      type,
      message_of(body, resp.body.empty() ? "Bedrock answered HTTP " + std::to_string(resp.status)
                                         : resp.body.substr(0, 500)),
      resp.status);
  e.retry_after = tr::retry_after_of(resp);
  return e;
}

}  // namespace litellm::providers::bedrock
