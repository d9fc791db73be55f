// Gemini responses, SSE chunks and errors -> OpenAI.
#include <cstdlib>

#include "providers/gemini/gemini_adapter.hpp"
#include "providers/translate/errors.hpp"
#include "providers/translate/messages.hpp"
#include "providers/translate/openai_shapes.hpp"

namespace litellm::providers::gemini {

namespace {

using nlohmann::json;
namespace tr = translate;

std::int64_t count(const json& obj, const char* key) {
  const auto it = obj.find(key);
  return it != obj.end() && it->is_number_integer() ? it->get<std::int64_t>() : 0;
}

json openai_usage(const json& meta) {
  const auto thoughts = count(meta, "thoughtsTokenCount");
  json u = tr::usage_object(count(meta, "promptTokenCount"),
                            count(meta, "candidatesTokenCount") + thoughts,
                            meta.contains("cachedContentTokenCount")
                                ? std::optional(count(meta, "cachedContentTokenCount"))
                                : std::nullopt);
  if (thoughts > 0) {
    u["completion_tokens_details"] = {{"reasoning_tokens", thoughts}};
  }
  return u;
}

std::string finish_of(const std::string& reason, bool tool_calls) {
  if (reason == "MAX_TOKENS") {
    return "length";
  }
  if (reason == "SAFETY" || reason == "RECITATION" || reason == "BLOCKLIST" ||
      reason == "PROHIBITED_CONTENT" || reason == "SPII" || reason == "IMAGE_SAFETY") {
    return "content_filter";
  }
  return tool_calls ? "tool_calls" : "stop";
}

// What one candidate's parts say: answer text, thought text, function calls.
struct Parts {
  std::string text;
  std::string thoughts;
  json calls = json::array();
};

Parts parts_of(const json& candidate) {
  Parts p;
  const auto content = candidate.value("content", json::object());
  for (const auto& part : content.value("parts", json::array())) {
    if (part.contains("functionCall")) {
      const auto& fc = part["functionCall"];
      json call = {{"id", tr::new_tool_call_id()},
                   {"type", "function"},
                   {"function",
                    {{"name", fc.value("name", "")},
                     {"arguments", tr::arguments_string(fc.value("args", json::object()))}}}};
      if (part.contains("thoughtSignature")) {
        call["thought_signature"] = part["thoughtSignature"];  // echoed back next turn
      }
      p.calls.push_back(std::move(call));
    } else if (part.contains("text") && part["text"].is_string()) {
      (part.value("thought", false) ? p.thoughts : p.text) += part["text"].get<std::string>();
    }
  }
  return p;
}

tr::ChunkHead head_of(const json& body) {
  const std::string rid = body.value("responseId", "");
  return {rid.empty() ? tr::new_chat_id() : "chatcmpl-" + rid, tr::unix_now(),
          body.value("modelVersion", "")};
}

Error error_of(const json& err, int status) {
  Error e;
  e.provider = "gemini";
  e.upstream_status = status != 0 ? status : err.value("code", 0);
  e.message = "GeminiException - " + err.value("message", "Gemini answered with an error");
  e.code = tr::code_for_status(e.upstream_status == 0 ? 500 : e.upstream_status);
  const std::string message = err.value("message", "");
  for (const auto& d : err.value("details", json::array())) {
    if (d.value("reason", "") == "API_KEY_INVALID") {
      e.code = ErrorCode::Authentication;
    }
    if (d.contains("retryDelay") && d["retryDelay"].is_string()) {
      e.retry_after = std::chrono::milliseconds(
          static_cast<long>(std::atof(d["retryDelay"].get<std::string>().c_str()) * 1000));
    }
  }
  if (message.find("exceeds the maximum number of tokens") != std::string::npos) {
    e.code = ErrorCode::ContextWindowExceeded;
  }
  return e;
}

class GeminiStreamDecoder final : public StreamDecoder {
 public:
  explicit GeminiStreamDecoder(const LlmRequest& req) : include_usage_(req.include_usage) {}

  Result<void> on_event(const core::StreamEvent& event, std::vector<LlmChunk>& out) override {
    const json body = json::parse(event.data, nullptr, false);
    if (body.is_discarded() || !body.is_object()) {
      return Error{ErrorCode::UpstreamError,
                   "GeminiException - Gemini sent a stream event that is not JSON",
                   {},
                   "gemini",
                   0,
                   {}};
    }
    if (body.contains("error")) {
      return error_of(body["error"], 0);
    }
    if (!started_) {
      head_ = head_of(body);
      started_ = true;
    }
    if (body.contains("usageMetadata")) {
      usage_ = body["usageMetadata"];
    }
    const auto candidates = body.value("candidates", json::array());
    if (candidates.empty()) {
      if (body.contains("promptFeedback") && body["promptFeedback"].contains("blockReason")) {
        out.push_back({tr::chat_chunk(head_, role_delta(), "content_filter")});
        ended_ = true;
      }
      return {};
    }
    const auto& c = candidates[0];
    const auto p = parts_of(c);
    json delta = role_delta();
    if (!p.thoughts.empty()) {
      delta["reasoning_content"] = p.thoughts;
    }
    if (!p.text.empty()) {
      delta["content"] = p.text;
    }
    if (!p.calls.empty()) {
      json calls = p.calls;
      for (auto& call : calls) {
        call["index"] = tool_index_++;
      }
      delta["tool_calls"] = std::move(calls);
    }
    if (const auto reason = c.value("finishReason", ""); !reason.empty()) {
      out.push_back({tr::chat_chunk(head_, std::move(delta), finish_of(reason, tool_index_ > 0))});
      ended_ = true;
    } else if (!delta.empty()) {
      out.push_back({tr::chat_chunk(head_, std::move(delta))});
    }
    return {};
  }

  // Gemini's stream has no end marker: the body ends after the chunk with finishReason.
  Result<void> finish(std::vector<LlmChunk>& out) override {
    if (!ended_) {
      return Error{ErrorCode::UpstreamError,
                   "GeminiException - the stream ended before a finishReason",
                   {},
                   "gemini",
                   0,
                   {}};
    }
    if (include_usage_) {
      out.push_back({tr::usage_chunk(head_, openai_usage(usage_))});
    }
    return {};
  }
  bool saw_end() const override { return ended_; }

 private:
  json role_delta() {
    if (role_sent_) {
      return json::object();
    }
    role_sent_ = true;
    return {{"role", "assistant"}};
  }

  bool include_usage_;
  bool started_ = false;
  bool role_sent_ = false;
  bool ended_ = false;
  int tool_index_ = 0;
  json usage_ = json::object();
  tr::ChunkHead head_;
};

}  // namespace

Capabilities GeminiAdapter::capabilities() const {
  Capabilities c;
  c.chat = c.stream = c.tools = c.vision = c.json_mode = c.embeddings = true;
  return c;
}

Result<LlmResponse> GeminiAdapter::parse(const core::UpstreamResponse& resp,
                                         const LlmRequest& req) const {
  const json body = json::parse(resp.body, nullptr, false);
  if (body.is_discarded() || !body.is_object()) {
    return Error{ErrorCode::UpstreamError,
                 "GeminiException - Gemini answered with a body that is not JSON",
                 {},
                 "gemini",
                 resp.status,
                 {}};
  }
  if (req.kind == CallKind::Embedding) {
    json vectors = json::array();
    if (body.contains("embedding")) {
      vectors.push_back(body["embedding"].value("values", json::array()));
    } else {
      for (const auto& e : body.value("embeddings", json::array())) {
        vectors.push_back(e.value("values", json::array()));
      }
    }
    if (vectors.empty()) {
      return Error{ErrorCode::UpstreamError,
                   "GeminiException - the answer holds no embeddings",
                   {},
                   "gemini",
                   resp.status,
                   {}};
    }
    return LlmResponse{tr::embedding_list(req.model, vectors, 0)};
  }
  const auto head = head_of(body);
  const auto usage = openai_usage(body.value("usageMetadata", json::object()));
  const auto candidates = body.value("candidates", json::array());
  if (candidates.empty()) {
    if (body.contains("promptFeedback")) {
      // The prompt itself was blocked: an answer with nothing in it, flagged as filtered.
      return LlmResponse{tr::chat_completion(head, {{"role", "assistant"}, {"content", nullptr}},
                                             "content_filter", usage)};
    }
    return Error{ErrorCode::UpstreamError,
                 "GeminiException - the answer holds no candidates",
                 {},
                 "gemini",
                 resp.status,
                 {}};
  }
  json choices = json::array();
  for (std::size_t i = 0; i < candidates.size(); ++i) {
    const auto p = parts_of(candidates[i]);
    json message = {{"role", "assistant"}, {"content", p.text}};
    if (!p.calls.empty()) {
      message["tool_calls"] = p.calls;
    }
    if (!p.thoughts.empty()) {
      message["reasoning_content"] = p.thoughts;
    }
    auto one = tr::chat_completion(
        head, std::move(message),
        finish_of(candidates[i].value("finishReason", "STOP"), !p.calls.empty()), usage);
    one["choices"][0]["index"] = i;
    choices.push_back(std::move(one["choices"][0]));
  }
  auto out = tr::chat_completion(head, {{"role", "assistant"}, {"content", ""}}, "stop", usage);
  out["choices"] = std::move(choices);
  return LlmResponse{std::move(out)};
}

std::unique_ptr<StreamDecoder> GeminiAdapter::new_stream(const LlmRequest& req) const {
  return std::make_unique<GeminiStreamDecoder>(req);
}

Error GeminiAdapter::map_error(const core::UpstreamResponse& resp) const {
  const json body = json::parse(resp.body, nullptr, false);
  Error e = !body.is_discarded() && body.is_object() && body.contains("error") &&
                    body["error"].is_object()
                ? error_of(body["error"], resp.status)
                : error_of({{"message", resp.body.empty()
                                            ? "Gemini answered HTTP " + std::to_string(resp.status)
                                            : resp.body.substr(0, 500)}},
                           resp.status);
  if (!e.retry_after) {
    e.retry_after = tr::retry_after_of(resp);
  }
  return e;
}

}  // namespace litellm::providers::gemini
