#include "providers/cohere/cohere_adapter.hpp"

#include "providers/translate/errors.hpp"
#include "providers/translate/messages.hpp"
#include "providers/translate/openai_shapes.hpp"
#include "providers/translate/request_params.hpp"

namespace litellm::providers::cohere {

namespace {

using nlohmann::json;
namespace tr = translate;

Error cohere_error(ErrorCode code, const std::string& message, int status = 0) {
  return Error{code, "CohereException - " + message, {}, "cohere", status, {}};
}

json messages_of(const json& in) {
  json out = json::array();
  for (const auto& m : in) {
    const std::string role = m.value("role", "user");
    const json content = m.value("content", json());
    if (role == "tool") {
      out.push_back({{"role", "tool"},
                     {"tool_call_id", m.value("tool_call_id", "")},
                     {"content", json::array({{{"type", "document"},
                                               {"document", {{"data", tr::text_of(content)}}}}})}});
    } else if (role == "assistant" && m.contains("tool_calls") && m["tool_calls"].is_array() &&
               !m["tool_calls"].empty()) {
      json msg = {{"role", "assistant"}};
      if (const auto plan = tr::text_of(content); !plan.empty()) {
        msg["tool_plan"] = plan;  // Cohere's name for the text before the calls
      }
      json calls = json::array();
      for (const auto& c : m["tool_calls"]) {
        const auto fn = c.value("function", json::object());
        calls.push_back(
            {{"id", c.value("id", "")},
             {"type", "function"},
             {"function",
              {{"name", fn.value("name", "")},
               {"arguments", tr::arguments_string(fn.value("arguments", json("{}")))}}}});
      }
      msg["tool_calls"] = std::move(calls);
      out.push_back(std::move(msg));
    } else {
      out.push_back({{"role", role == "developer" ? "system" : role}, {"content", content}});
    }
  }
  return out;
}

std::string finish_of(const std::string& reason) {
  if (reason == "MAX_TOKENS") {
    return "length";
  }
  if (reason == "TOOL_CALL") {
    return "tool_calls";
  }
  return "stop";
}

json usage_of(const json& usage) {
  const auto tokens = usage.value("tokens", usage.value("billed_units", json::object()));
  const auto get = [&](const char* k) -> std::int64_t {
    return tokens.contains(k) && tokens[k].is_number() ? tokens[k].get<std::int64_t>() : 0;
  };
  std::optional<std::int64_t> cached;
  if (usage.contains("cached_tokens") && usage["cached_tokens"].is_number_integer() &&
      usage["cached_tokens"].get<std::int64_t>() > 0) {
    cached = usage["cached_tokens"].get<std::int64_t>();
  }
  return tr::usage_object(get("input_tokens"), get("output_tokens"), cached);
}

class CohereStreamDecoder final : public StreamDecoder {
 public:
  explicit CohereStreamDecoder(const LlmRequest& req)
      : include_usage_(req.include_usage), model_(req.model) {}

  Result<void> on_event(const core::StreamEvent& event, std::vector<LlmChunk>& out) override {
    if (event.data == "[DONE]") {
      done_ = true;
      return {};
    }
    const json ev = json::parse(event.data, nullptr, false);
    if (ev.is_discarded() || !ev.is_object()) {
      return cohere_error(ErrorCode::UpstreamError, "Cohere sent a stream event that is not JSON");
    }
    const std::string type = ev.value("type", event.event);
    const auto delta = ev.value("delta", json::object());
    const auto message = delta.value("message", json::object());
    if (type == "message-start") {
      head_ = {ev.value("id", tr::new_chat_id()), tr::unix_now(), model_};
      out.push_back({tr::chat_chunk(head_, {{"role", "assistant"}, {"content", ""}})});
    } else if (type == "content-delta") {
      const auto text = message.value("content", json::object()).value("text", "");
      out.push_back({tr::chat_chunk(head_, {{"content", text}})});
    } else if (type == "tool-plan-delta") {
      out.push_back({tr::chat_chunk(head_, {{"content", message.value("tool_plan", "")}})});
    } else if (type == "tool-call-start") {
      const auto call = message.value("tool_calls", json::object());
      const auto fn = call.value("function", json::object());
      index_ = ev.value("index", index_ + 1);
      out.push_back({tr::chat_chunk(
          head_, {{"tool_calls", json::array({{{"index", index_},
                                               {"id", call.value("id", "")},
                                               {"type", "function"},
                                               {"function",
                                                {{"name", fn.value("name", "")},
                                                 {"arguments", fn.value("arguments", "")}}}}})}})});
    } else if (type == "tool-call-delta") {
      const auto args = message.value("tool_calls", json::object())
                            .value("function", json::object())
                            .value("arguments", "");
      out.push_back({tr::chat_chunk(
          head_, {{"tool_calls", json::array({{{"index", ev.value("index", index_)},
                                               {"function", {{"arguments", args}}}}})}})});
    } else if (type == "message-end") {
      if (const auto err = delta.value("error", json()); err.is_string() && !err.empty()) {
        return cohere_error(ErrorCode::UpstreamError, err.get<std::string>());
      }
      const auto reason = delta.value("finish_reason", "COMPLETE");
      if (reason == "ERROR" || reason == "TIMEOUT") {
        return cohere_error(reason == "TIMEOUT" ? ErrorCode::Timeout : ErrorCode::UpstreamError,
                            "the answer ended with " + reason);
      }
      out.push_back({tr::chat_chunk(head_, json::object(), finish_of(reason))});
      if (include_usage_) {
        out.push_back({tr::usage_chunk(head_, usage_of(delta.value("usage", json::object())))});
      }
      ended_ = true;
    }
    return {};  // content-start/-end, tool-call-end, citations, debug
  }
  Result<void> finish(std::vector<LlmChunk>&) override {
    if (!ended_) {
      return cohere_error(ErrorCode::UpstreamError, "the stream ended before message-end");
    }
    return {};
  }
  bool saw_end() const override { return ended_ || done_; }

 private:
  bool include_usage_;
  bool ended_ = false;
  bool done_ = false;
  int index_ = -1;
  std::string model_;
  tr::ChunkHead head_;
};

}  // namespace

Capabilities CohereAdapter::capabilities() const {
  Capabilities c;
  c.chat = c.stream = c.tools = c.vision = c.json_mode = c.embeddings = true;
  return c;
}

Result<core::UpstreamRequest> CohereAdapter::build(const LlmRequest& req,
                                                   const Target& target) const {
  std::string base = tr::base_url(target, kDefaultApiBase);
  if (base.size() >= 3 && base.compare(base.size() - 3, 3, "/v2") == 0) {
    base.resize(base.size() - 3);
  }
  json body = tr::effective_body(req, target);
  json out = {{"model", target.model}};
  std::string url;
  if (req.kind == CallKind::Embedding) {
    const auto input = body.value("input", json());
    out["texts"] = input.is_string() ? json::array({input}) : input;
    out["input_type"] = body.value("input_type", "search_document");
    out["embedding_types"] = json::array({"float"});
    if (body.contains("dimensions")) {
      out["output_dimension"] = body["dimensions"];
    }
    if (body.contains("truncate")) {
      out["truncate"] = body["truncate"];
    }
    url = base + "/v2/embed";
  } else if (req.kind == CallKind::Completion) {
    return cohere_error(ErrorCode::Unsupported,
                        "cohere serves chat completions and embeddings, not text completions");
  } else {
    if (auto ok = tr::check_supported(
            body,
            {"temperature", "top_p", "stop", "max_tokens", "max_completion_tokens", "seed",
             "frequency_penalty", "presence_penalty", "response_format", "tools", "tool_choice",
             "user"},
            "cohere", target.model, target.drop_params);
        !ok) {
      return ok.error();
    }
    out["messages"] = messages_of(body.value("messages", json::array()));
    tr::copy_renamed(body, out,
                     {{"temperature", "temperature"},
                      {"top_p", "p"},
                      {"top_k", "k"},
                      {"seed", "seed"},
                      {"frequency_penalty", "frequency_penalty"},
                      {"presence_penalty", "presence_penalty"}});
    if (auto max = tr::max_tokens_of(body); !max.is_null()) {
      out["max_tokens"] = std::move(max);
    }
    if (auto stop = tr::stop_list(body); !stop.is_null()) {
      out["stop_sequences"] = std::move(stop);
    }
    if (const auto rf = body.value("response_format", json()); rf.is_object()) {
      const std::string type = rf.value("type", "");
      if (type == "json_object") {
        out["response_format"] = {{"type", "json_object"}};
      } else if (type == "json_schema") {
        out["response_format"] = {
            {"type", "json_object"},
            {"json_schema",
             rf.value("json_schema", json::object()).value("schema", json::object())}};
      }
    }
    if (const auto tools = body.value("tools", json()); tools.is_array() && !tools.empty()) {
      out["tools"] = tools;
      if (const auto choice = body.value("tool_choice", json()); choice.is_string()) {
        if (choice == "required") {
          out["tool_choice"] = "REQUIRED";
        } else if (choice == "none") {
          out["tool_choice"] = "NONE";
        }
      } else if (choice.is_object()) {
        out["tool_choice"] = "REQUIRED";  // Cohere cannot name one tool: it may call any
      }
    }
    if (req.stream) {
      out["stream"] = true;
    }
    url = base + "/v2/chat";
  }
  tr::apply_extra_body(out, req, target);
  auto up = tr::json_request(
      std::move(url), out, target,
      req.stream && req.kind == CallKind::Chat ? core::Framing::Sse : core::Framing::None);
  if (!target.api_key.empty()) {
    up.headers.emplace_back("Authorization", "Bearer " + target.api_key.reveal());
  }
  return up;
}

Result<LlmResponse> CohereAdapter::parse(const core::UpstreamResponse& resp,
                                         const LlmRequest& req) const {
  const json body = json::parse(resp.body, nullptr, false);
  if (body.is_discarded() || !body.is_object()) {
    return cohere_error(ErrorCode::UpstreamError, "Cohere answered with a body that is not JSON",
                        resp.status);
  }
  if (req.kind == CallKind::Embedding) {
    const auto vectors = body.value("embeddings", json::object()).value("float", json());
    if (!vectors.is_array()) {
      return cohere_error(ErrorCode::UpstreamError, "the answer holds no float embeddings",
                          resp.status);
    }
    const auto billed = body.value("meta", json::object()).value("billed_units", json::object());
    return LlmResponse{tr::embedding_list(req.model, vectors, billed.value("input_tokens", 0))};
  }
  if (!body.contains("message") || !body["message"].is_object()) {
    return cohere_error(ErrorCode::UpstreamError, "the answer holds no message", resp.status);
  }
  const auto& m = body["message"];
  std::string text;
  for (const auto& part : m.value("content", json::array())) {
    if (part.value("type", "") == "text") {
      text += part.value("text", "");
    }
  }
  if (text.empty()) {
    text = m.value("tool_plan", "");
  }
  json message = {{"role", "assistant"}, {"content", text}};
  if (const auto calls = m.value("tool_calls", json()); calls.is_array() && !calls.empty()) {
    message["tool_calls"] = calls;
  }
  const tr::ChunkHead head{body.value("id", tr::new_chat_id()), tr::unix_now(), req.model};
  return LlmResponse{tr::chat_completion(head, std::move(message),
                                         finish_of(body.value("finish_reason", "COMPLETE")),
                                         usage_of(body.value("usage", json::object())))};
}

std::unique_ptr<StreamDecoder> CohereAdapter::new_stream(const LlmRequest& req) const {
  return std::make_unique<CohereStreamDecoder>(req);
}

Error CohereAdapter::map_error(const core::UpstreamResponse& resp) const {
  const json body = json::parse(resp.body, nullptr, false);
  std::string message = resp.body.empty() ? "Cohere answered HTTP " + std::to_string(resp.status)
                                          : resp.body.substr(0, 500);
  if (!body.is_discarded() && body.is_object() && body.contains("message") &&
      body["message"].is_string()) {
    message = body["message"].get<std::string>();
  }
  ErrorCode code =
      resp.status == 498 ? ErrorCode::Authentication : tr::code_for_status(resp.status);
  if (message.find("too many tokens") != std::string::npos) {
    code = ErrorCode::ContextWindowExceeded;
  }
  Error e = cohere_error(code, message, resp.status);
  e.retry_after = tr::retry_after_of(resp);
  return e;
}

}  // namespace litellm::providers::cohere
