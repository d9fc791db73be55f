#include "providers/ollama/ollama_adapter.hpp"

#include "providers/translate/errors.hpp"
#include "providers/translate/messages.hpp"
#include "providers/translate/openai_shapes.hpp"
#include "providers/translate/request_params.hpp"

namespace litellm::providers::ollama {

namespace {

using nlohmann::json;
namespace tr = translate;

constexpr std::string_view kProvider = "ollama";

Error upstream_error(const std::string& message) {
  return Error{ErrorCode::UpstreamError, "OllamaException - " + message, {}, "ollama", 0, {}};
}

// OpenAI sampling fields live under Ollama's `options`.
json options_of(json& body) {
  json options =
      body.contains("options") && body["options"].is_object() ? body["options"] : json::object();
  for (const char* key :
       {"temperature", "top_p", "seed", "presence_penalty", "frequency_penalty", "top_k", "num_ctx",
        "repeat_penalty", "min_p", "mirostat", "num_gpu", "num_thread"}) {
    if (const auto it = body.find(key); it != body.end() && !it->is_null()) {
      options[key] = *it;
    }
  }
  if (auto max = tr::max_tokens_of(body); !max.is_null()) {
    options["num_predict"] = std::move(max);
  }
  if (auto stop = tr::stop_list(body); !stop.is_null()) {
    options["stop"] = std::move(stop);
  }
  return options;
}

Result<json> format_of(const json& body) {
  const auto it = body.find("response_format");
  if (it == body.end() || !it->is_object()) {
    return json();
  }
  const std::string type = it->value("type", "");
  if (type == "json_object") {
    return json("json");
  }
  if (type == "json_schema") {
    const auto schema = it->value("json_schema", json::object());
    if (schema.contains("schema")) {
      return schema["schema"];
    }
    return Error::invalid("response_format.json_schema.schema is required", "response_format");
  }
  return json();  // "text": Ollama's default
}

// OpenAI messages -> Ollama's: content as text, images as bare base64, tool calls with object
// arguments, tool results named by their function.
Result<json> messages_of(const json& messages) {
  json out = json::array();
  std::map<std::string, std::string> tool_names;  // tool_call_id -> function name
  for (const auto& m : messages) {
    const std::string role = m.value("role", "user");
    json msg = {{"role", role == "developer" ? "system" : role},
                {"content", tr::text_of(m.value("content", json()))}};
    if (const auto c = m.find("content"); c != m.end() && c->is_array()) {
      json images = json::array();
      for (const auto& part : *c) {
        if (part.is_object() && part.value("type", "") == "image_url") {
          auto img = tr::image_of(part);
          if (!img) {
            return img.error();
          }
          if (!img->inline_data()) {
            return Error{ErrorCode::UnsupportedParam,
                         "ollama takes images inline only: send them as base64 data: URLs "
                         "(data:image/png;base64,...), not " +
                             img->url.substr(0, 64),
                         "messages",
                         std::string(kProvider),
                         0,
                         {}};
          }
          images.push_back(img->base64);
        }
      }
      if (!images.empty()) {
        msg["images"] = std::move(images);
      }
    }
    if (const auto calls = m.find("tool_calls"); calls != m.end() && calls->is_array()) {
      json out_calls = json::array();
      for (const auto& call : *calls) {
        const auto fn = call.value("function", json::object());
        const std::string name = fn.value("name", "");
        tool_names[call.value("id", "")] = name;
        out_calls.push_back(
            {{"function",
              {{"name", name},
               {"arguments", tr::arguments_object(fn.value("arguments", json()))}}}});
      }
      msg["tool_calls"] = std::move(out_calls);
    }
    if (role == "tool") {
      const auto id = m.value("tool_call_id", "");
      if (const auto it = tool_names.find(id); it != tool_names.end()) {
        msg["tool_name"] = it->second;
      } else if (m.contains("name") && m["name"].is_string()) {
        msg["tool_name"] = m["name"];
      }
    }
    out.push_back(std::move(msg));
  }
  return out;
}

std::string finish_reason(const json& chunk, bool tool_calls) {
  if (tool_calls) {
    return "tool_calls";
  }
  return chunk.value("done_reason", "stop") == "length" ? "length" : "stop";
}

std::int64_t count(const json& chunk, const char* key) {
  const auto it = chunk.find(key);
  return it != chunk.end() && it->is_number_integer() ? it->get<std::int64_t>() : 0;
}

json openai_tool_calls(const json& calls) {
  json out = json::array();
  int index = 0;
  for (const auto& call : calls) {
    const auto fn = call.value("function", json::object());
    std::string id = call.value("id", "");
    out.push_back({{"index", index++},
                   {"id", id.empty() ? tr::new_tool_call_id() : id},
                   {"type", "function"},
                   {"function",
                    {{"name", fn.value("name", "")},
                     {"arguments", tr::arguments_string(fn.value("arguments", json::object()))}}}});
  }
  return out;
}

tr::ChunkHead head_of(const json& body) {
  return {tr::new_chat_id(),
          tr::parse_rfc3339(body.value("created_at", "")).value_or(tr::unix_now()),
          body.value("model", "")};
}

class OllamaStreamDecoder final : public StreamDecoder {
 public:
  explicit OllamaStreamDecoder(const LlmRequest& req)
      : completion_(req.kind == CallKind::Completion), include_usage_(req.include_usage) {}

  Result<void> on_event(const core::StreamEvent& event, std::vector<LlmChunk>& out) override {
    json line = json::parse(event.data, nullptr, false);
    if (line.is_discarded() || !line.is_object()) {
      return upstream_error("Ollama sent a stream line that is not JSON");
    }
    if (const auto err = line.find("error"); err != line.end()) {
      return upstream_error(err->is_string() ? err->get<std::string>() : err->dump());
    }
    if (!started_) {
      head_ = head_of(line);
      started_ = true;
    }
    const bool done = line.value("done", false);
    if (completion_) {
      emit_text(line, done, out);
    } else {
      emit_chat(line, done, out);
    }
    if (done) {
      done_ = true;
      if (include_usage_) {
        out.push_back({tr::usage_chunk(
            head_, tr::usage_object(count(line, "prompt_eval_count"), count(line, "eval_count")))});
      }
    }
    return {};
  }
  Result<void> finish(std::vector<LlmChunk>&) override {
    if (!done_) {
      return upstream_error("the stream ended before Ollama's final (done) line");
    }
    return {};
  }
  bool saw_end() const override { return done_; }

 private:
  void emit_chat(const json& line, bool done, std::vector<LlmChunk>& out) {
    const auto msg = line.value("message", json::object());
    json delta = json::object();
    if (!role_sent_) {
      delta["role"] = "assistant";
      role_sent_ = true;
    }
    if (const auto t = msg.find("thinking");
        t != msg.end() && t->is_string() && !t->get_ref<const std::string&>().empty()) {
      delta["reasoning_content"] = *t;
    }
    if (const auto c = msg.find("content");
        c != msg.end() && c->is_string() && !c->get_ref<const std::string&>().empty()) {
      delta["content"] = *c;
    }
    if (const auto calls = msg.find("tool_calls"); calls != msg.end() && calls->is_array()) {
      auto converted = openai_tool_calls(*calls);
      for (auto& call : converted) {
        call["index"] = tool_index_++;
      }
      delta["tool_calls"] = std::move(converted);
    }
    if (done) {
      out.push_back(
          {tr::chat_chunk(head_, std::move(delta), finish_reason(line, tool_index_ > 0))});
    } else if (!delta.empty()) {
      out.push_back({tr::chat_chunk(head_, std::move(delta))});
    }
  }

  void emit_text(const json& line, bool done, std::vector<LlmChunk>& out) {
    json chunk = {
        {"id", head_.id},
        {"object", "text_completion"},
        {"created", head_.created},
        {"model", head_.model},
        {"choices", json::array({{{"index", 0},
                                  {"text", line.value("response", "")},
                                  {"logprobs", nullptr},
                                  {"finish_reason",
                                   done ? json(finish_reason(line, false)) : json(nullptr)}}})}};
    out.push_back({std::move(chunk)});
  }

  bool completion_;
  bool include_usage_;
  bool started_ = false;
  bool role_sent_ = false;
  bool done_ = false;
  int tool_index_ = 0;
  tr::ChunkHead head_;
};

}  // namespace

Capabilities OllamaAdapter::capabilities() const {
  Capabilities c;
  c.chat = c.stream = c.tools = c.vision = c.json_mode = c.embeddings = c.completions = true;
  return c;
}

Result<core::UpstreamRequest> OllamaAdapter::build(const LlmRequest& req,
                                                   const Target& target) const {
  const std::string base = tr::base_url(target, kDefaultApiBase);
  json body = tr::effective_body(req, target);
  json out = {{"model", target.model}};
  std::string url;
  if (req.kind == CallKind::Embedding) {
    url = base + "/api/embed";
    out["input"] = body.value("input", json());
    for (const char* key : {"dimensions", "truncate", "keep_alive", "options"}) {
      if (body.contains(key)) {
        out[key] = body[key];
      }
    }
  } else {
    if (auto ok = tr::check_supported(
            body,
            {"temperature", "top_p", "seed", "stop", "max_tokens", "max_completion_tokens",
             "presence_penalty", "frequency_penalty", "tools", "tool_choice", "functions",
             "response_format", "reasoning_effort", "user", "stream"},
            kProvider, target.model, target.drop_params);
        !ok) {
      return ok.error();
    }
    if (req.kind == CallKind::Chat) {
      url = base + "/api/chat";
      auto messages = messages_of(body.value("messages", json::array()));
      if (!messages) {
        return messages.error();
      }
      out["messages"] = std::move(*messages);
      json tools = tr::tools_of(body);
      const bool no_tools = body.value("tool_choice", json()) == "none";
      if (tools.is_array() && !tools.empty() && !no_tools) {
        out["tools"] = std::move(tools);
      }
    } else {
      url = base + "/api/generate";
      const auto& prompt = body.value("prompt", json(""));
      out["prompt"] = prompt.is_array() && !prompt.empty() ? prompt[0] : prompt;
      for (const char* key : {"suffix", "system", "raw"}) {
        if (body.contains(key)) {
          out[key] = body[key];
        }
      }
    }
    out["stream"] = req.stream;
    auto format = format_of(body);
    if (!format) {
      return format.error();
    }
    if (!format->is_null()) {
      out["format"] = std::move(*format);
    }
    if (auto options = options_of(body); !options.empty()) {
      out["options"] = std::move(options);
    }
    if (const auto it = body.find("reasoning_effort"); it != body.end() && it->is_string()) {
      out["think"] = *it == "none" ? json(false) : json(true);
    }
    for (const char* key : {"keep_alive", "think"}) {
      if (body.contains(key)) {
        out[key] = body[key];
      }
    }
  }
  tr::apply_extra_body(out, req, target);
  auto up = tr::json_request(std::move(url), out, target,
                             req.stream ? core::Framing::Ndjson : core::Framing::None);
  if (!target.api_key.empty()) {
    up.headers.emplace_back("Authorization", "Bearer " + target.api_key.reveal());
  }
  return up;
}

Result<LlmResponse> OllamaAdapter::parse(const core::UpstreamResponse& resp,
                                         const LlmRequest& req) const {
  const json body = json::parse(resp.body, nullptr, false);
  if (body.is_discarded() || !body.is_object()) {
    return upstream_error("Ollama answered with a body that is not JSON");
  }
  if (req.kind == CallKind::Embedding) {
    if (!body.contains("embeddings") || !body["embeddings"].is_array()) {
      return upstream_error("Ollama's /api/embed answer has no embeddings");
    }
    return LlmResponse{tr::embedding_list(body.value("model", ""), body["embeddings"],
                                          count(body, "prompt_eval_count"))};
  }
  const auto usage = tr::usage_object(count(body, "prompt_eval_count"), count(body, "eval_count"));
  const auto head = head_of(body);
  if (req.kind == CallKind::Completion) {
    if (!body.contains("response")) {
      return upstream_error("Ollama's /api/generate answer has no response");
    }
    return LlmResponse{
        tr::text_completion(head, body.value("response", ""), finish_reason(body, false), usage)};
  }
  if (!body.contains("message") || !body["message"].is_object()) {
    return upstream_error("Ollama's /api/chat answer has no message");
  }
  const auto& m = body["message"];
  json message = {{"role", "assistant"}, {"content", m.value("content", "")}};
  bool tools = false;
  if (const auto calls = m.find("tool_calls");
      calls != m.end() && calls->is_array() && !calls->empty()) {
    auto converted = openai_tool_calls(*calls);
    for (auto& c : converted) {
      c.erase("index");  // a streaming-only field
    }
    message["tool_calls"] = std::move(converted);
    tools = true;
  }
  if (const auto t = m.find("thinking");
      t != m.end() && t->is_string() && !t->get_ref<const std::string&>().empty()) {
    message["reasoning_content"] = *t;
  }
  return LlmResponse{
      tr::chat_completion(head, std::move(message), finish_reason(body, tools), usage)};
}

std::unique_ptr<StreamDecoder> OllamaAdapter::new_stream(const LlmRequest& req) const {
  return std::make_unique<OllamaStreamDecoder>(req);
}

Error OllamaAdapter::map_error(const core::UpstreamResponse& resp) const {
  const json body = json::parse(resp.body, nullptr, false);
  std::string message;
  if (!body.is_discarded() && body.is_object() && body.contains("error")) {
    message = body["error"].is_string() ? body["error"].get<std::string>() : body["error"].dump();
  } else {
    message = resp.body.empty() ? "Ollama answered HTTP " + std::to_string(resp.status)
                                : resp.body.substr(0, 500);
  }
  Error e;
  e.provider = std::string(kProvider);
  e.upstream_status = resp.status;
  e.message = "OllamaException - " + message;
  e.code = tr::code_for_status(resp.status);
  e.retry_after = tr::retry_after_of(resp);
  return e;
}

}  // namespace litellm::providers::ollama
