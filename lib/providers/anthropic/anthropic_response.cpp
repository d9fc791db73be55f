// Anthropic Messages responses, streams and errors -> OpenAI.
#include <map>

#include "providers/anthropic/anthropic_adapter.hpp"
#include "providers/translate/errors.hpp"
#include "providers/translate/messages.hpp"
#include "providers/translate/openai_shapes.hpp"

namespace litellm::providers::anthropic {

namespace {

using nlohmann::json;
namespace tr = translate;

std::int64_t count(const json& usage, const char* key) {
  const auto it = usage.find(key);
  return it != usage.end() && it->is_number_integer() ? it->get<std::int64_t>() : 0;
}

// Anthropic counts cache reads and writes beside input_tokens; OpenAI's prompt_tokens holds
// them all, with the reads as cached_tokens.
json openai_usage(const json& u) {
  const auto read = count(u, "cache_read_input_tokens");
  const auto written = count(u, "cache_creation_input_tokens");
  json out =
      tr::usage_object(count(u, "input_tokens") + read + written, count(u, "output_tokens"), read);
  if (written > 0) {
    out["cache_creation_input_tokens"] = written;
  }
  return out;
}

bool json_mode(const LlmRequest& req) {
  const auto it = req.body.find("response_format");
  return it != req.body.end() && it->is_object() && it->value("type", "") == "json_object";
}

ErrorCode code_of_type(std::string_view type, int status) {
  if (type == "overloaded_error") {
    return ErrorCode::UpstreamUnavailable;
  }
  if (type == "rate_limit_error") {
    return ErrorCode::RateLimited;
  }
  if (type == "authentication_error") {
    return ErrorCode::Authentication;
  }
  if (type == "permission_error" || type == "billing_error") {
    return ErrorCode::PermissionDenied;
  }
  if (type == "not_found_error") {
    return ErrorCode::NotFound;
  }
  if (type == "request_too_large") {
    return ErrorCode::PayloadTooLarge;
  }
  if (type == "api_error") {
    return ErrorCode::UpstreamError;
  }
  return tr::code_for_status(status == 0 ? 400 : status);
}

Error error_of(const json& err, int status) {
  const std::string type = err.value("type", "");
  const std::string message = err.value("message", "Anthropic answered with an error");
  Error e;
  e.provider = "anthropic";
  e.upstream_status = status;
  e.message = "AnthropicException - " + message;
  e.code = code_of_type(type, status);
  if (message.find("prompt is too long") != std::string::npos ||
      message.find("context window") != std::string::npos) {
    e.code = ErrorCode::ContextWindowExceeded;
  }
  return e;
}

class AnthropicStreamDecoder final : public StreamDecoder {
 public:
  explicit AnthropicStreamDecoder(const LlmRequest& req)
      : include_usage_(req.include_usage), json_mode_(json_mode(req)) {}

  Result<void> on_event(const core::StreamEvent& event, std::vector<LlmChunk>& out) override {
    json ev = json::parse(event.data, nullptr, false);
    if (ev.is_discarded() || !ev.is_object()) {
      return Error{ErrorCode::UpstreamError,
                   "AnthropicException - Anthropic sent a stream event that is not JSON",
                   {},
                   "anthropic",
                   0,
                   {}};
    }
    const std::string type = ev.value("type", event.event);
    if (type == "message_start") {
      const auto msg = ev.value("message", json::object());
      head_ = {msg.value("id", tr::new_chat_id()), tr::unix_now(), msg.value("model", "")};
      usage_ = msg.value("usage", json::object());
      out.push_back({tr::chat_chunk(head_, {{"role", "assistant"}, {"content", ""}})});
    } else if (type == "content_block_start") {
      const auto block = ev.value("content_block", json::object());
      if (block.value("type", "") == "tool_use") {
        const auto name = block.value("name", "");
        if (json_mode_ && name == kJsonTool) {
          json_block_ = ev.value("index", -1);
          return {};
        }
        blocks_[ev.value("index", -1)] = tool_index_;
        out.push_back({tr::chat_chunk(
            head_,
            {{"tool_calls", json::array({{{"index", tool_index_},
                                          {"id", block.value("id", "")},
                                          {"type", "function"},
                                          {"function", {{"name", name}, {"arguments", ""}}}}})}})});
        ++tool_index_;
      }
    } else if (type == "content_block_delta") {
      const auto delta = ev.value("delta", json::object());
      const std::string kind = delta.value("type", "");
      const int index = ev.value("index", -1);
      if (kind == "text_delta") {
        out.push_back({tr::chat_chunk(head_, {{"content", delta.value("text", "")}})});
      } else if (kind == "thinking_delta") {
        out.push_back(
            {tr::chat_chunk(head_, {{"reasoning_content", delta.value("thinking", "")}})});
      } else if (kind == "input_json_delta") {
        const std::string part = delta.value("partial_json", "");
        if (part.empty()) {
          return {};
        }
        if (json_mode_ && index == json_block_) {
          out.push_back({tr::chat_chunk(head_, {{"content", part}})});
        } else if (const auto it = blocks_.find(index); it != blocks_.end()) {
          out.push_back({tr::chat_chunk(
              head_, {{"tool_calls", json::array({{{"index", it->second},
                                                   {"function", {{"arguments", part}}}}})}})});
        }
      }
    } else if (type == "message_delta") {
      const auto delta = ev.value("delta", json::object());
      const auto usage = ev.value("usage", json::object());
      for (const auto& [k, v] : usage.items()) {
        usage_[k] = v;
      }
      std::string reason(finish_reason_of(delta.value("stop_reason", "end_turn")));
      if (json_mode_ && json_block_ >= 0 && reason == "tool_calls") {
        reason = "stop";
      }
      out.push_back({tr::chat_chunk(head_, json::object(), reason)});
    } else if (type == "message_stop") {
      done_ = true;
      if (include_usage_) {
        out.push_back({tr::usage_chunk(head_, openai_usage(usage_))});
      }
    } else if (type == "error") {
      return error_of(ev.value("error", json::object()), 0);
    }
    return {};  // ping, content_block_stop, and events added after this was written
  }
  Result<void> finish(std::vector<LlmChunk>&) override {
    if (!done_) {
      return Error{ErrorCode::UpstreamError,
                   "AnthropicException - the stream ended before message_stop",
                   {},
                   "anthropic",
                   0,
                   {}};
    }
    return {};
  }
  bool saw_end() const override { return done_; }

 private:
  bool include_usage_;
  bool json_mode_;
  bool done_ = false;
  int tool_index_ = 0;
  int json_block_ = -1;
  std::map<int, int> blocks_;  // content block index -> OpenAI tool call index
  json usage_ = json::object();
  tr::ChunkHead head_;
};

}  // namespace

std::string_view finish_reason_of(std::string_view stop_reason) {
  if (stop_reason == "max_tokens" || stop_reason == "model_context_window_exceeded") {
    return "length";
  }
  if (stop_reason == "tool_use") {
    return "tool_calls";
  }
  if (stop_reason == "refusal") {
    return "content_filter";
  }
  return "stop";
}

Capabilities AnthropicAdapter::capabilities() const {
  Capabilities c;
  c.chat = c.stream = c.tools = c.vision = c.json_mode = true;
  return c;
}

Result<LlmResponse> AnthropicAdapter::parse(const core::UpstreamResponse& resp,
                                            const LlmRequest& req) const {
  const json body = json::parse(resp.body, nullptr, false);
  if (body.is_discarded() || !body.is_object() || !body.contains("content") ||
      !body["content"].is_array()) {
    return Error{ErrorCode::UpstreamError,
                 "AnthropicException - Anthropic answered with a body that is not a message",
                 {},
                 "anthropic",
                 resp.status,
                 {}};
  }
  std::string text;
  std::string thinking;
  json thinking_blocks = json::array();  // signed: sent back as they are in later turns
  json calls = json::array();
  const bool json_out = json_mode(req);
  bool json_answer = false;
  for (const auto& block : body["content"]) {
    const std::string type = block.value("type", "");
    if (type == "text") {
      text += block.value("text", "");
    } else if (type == "thinking") {
      thinking += block.value("thinking", "");
      thinking_blocks.push_back(block);
    } else if (type == "redacted_thinking") {
      thinking_blocks.push_back(block);
    } else if (type == "tool_use") {
      if (json_out && block.value("name", "") == kJsonTool) {
        text = block.value("input", json::object()).dump();
        json_answer = true;
        continue;
      }
      calls.push_back(
          {{"id", block.value("id", "")},
           {"type", "function"},
           {"function",
            {{"name", block.value("name", "")},
             {"arguments", tr::arguments_string(block.value("input", json::object()))}}}});
    }
  }
  json message = {{"role", "assistant"}, {"content", text}};
  if (!calls.empty()) {
    message["tool_calls"] = std::move(calls);
  }
  if (!thinking.empty()) {
    message["reasoning_content"] = thinking;
  }
  if (!thinking_blocks.empty()) {
    message["thinking_blocks"] = std::move(thinking_blocks);
  }
  std::string reason(finish_reason_of(body.value("stop_reason", "end_turn")));
  if (json_answer && reason == "tool_calls") {
    reason = "stop";
  }
  const tr::ChunkHead head{body.value("id", tr::new_chat_id()), tr::unix_now(),
                           body.value("model", "")};
  return LlmResponse{tr::chat_completion(head, std::move(message), reason,
                                         openai_usage(body.value("usage", json::object())))};
}

std::unique_ptr<StreamDecoder> AnthropicAdapter::new_stream(const LlmRequest& req) const {
  return std::make_unique<AnthropicStreamDecoder>(req);
}

Error AnthropicAdapter::map_error(const core::UpstreamResponse& resp) const {
  const json body = json::parse(resp.body, nullptr, false);
  Error e;
  if (!body.is_discarded() && body.is_object() && body.contains("error") &&
      body["error"].is_object()) {
    e = error_of(body["error"], resp.status);
  } else {
    e = error_of(
        {{"message", resp.body.empty() ? "Anthropic answered HTTP " + std::to_string(resp.status)
                                       : resp.body.substr(0, 500)}},
        resp.status);
  }
  e.retry_after = tr::retry_after_of(resp);
  return e;
}

}  // namespace litellm::providers::anthropic
