#include "openai/anthropic_inbound.hpp"

namespace litellm::openai {

namespace {

using nlohmann::json;

std::string event(const char* name, const json& data) {
  return std::string("event: ") + name +
         "\ndata: " + data.dump(-1, ' ', false, json::error_handler_t::replace) + "\n\n";
}

std::string text_of_blocks(const json& content) {
  if (content.is_string()) {
    return content.get<std::string>();
  }
  std::string out;
  for (const auto& b : content) {
    if (b.is_object() && b.value("type", "") == "text") {
      out += b.value("text", "");
    }
  }
  return out;
}

// Anthropic content blocks of a user turn -> OpenAI content parts, plus tool results, which
// OpenAI carries as messages of their own.
Result<void> user_turn(const json& content, json& messages) {
  if (content.is_string()) {
    messages.push_back({{"role", "user"}, {"content", content}});
    return {};
  }
  if (!content.is_array()) {
    return Error::invalid("messages: content must be a string or a list of blocks", "messages");
  }
  json parts = json::array();
  for (const auto& b : content) {
    const std::string type = b.value("type", "");
    if (type == "text") {
      json part = {{"type", "text"}, {"text", b.value("text", "")}};
      if (b.contains("cache_control")) {
        part["cache_control"] = b["cache_control"];
      }
      parts.push_back(std::move(part));
    } else if (type == "image") {
      const auto src = b.value("source", json::object());
      const std::string url =
          src.value("type", "") == "url"
              ? src.value("url", "")
              : "data:" + src.value("media_type", "image/png") + ";base64," + src.value("data", "");
      parts.push_back({{"type", "image_url"}, {"image_url", {{"url", url}}}});
    } else if (type == "tool_result") {
      messages.push_back({{"role", "tool"},
                          {"tool_call_id", b.value("tool_use_id", "")},
                          {"content", text_of_blocks(b.value("content", json("")))}});
    }
  }
  if (!parts.empty()) {
    messages.push_back({{"role", "user"}, {"content", std::move(parts)}});
  }
  return {};
}

void assistant_turn(const json& content, json& messages) {
  if (content.is_string()) {
    messages.push_back({{"role", "assistant"}, {"content", content}});
    return;
  }
  std::string text;
  json calls = json::array();
  json thinking = json::array();
  for (const auto& b : content) {
    const std::string type = b.value("type", "");
    if (type == "text") {
      text += b.value("text", "");
    } else if (type == "tool_use") {
      calls.push_back({{"id", b.value("id", "")},
                       {"type", "function"},
                       {"function",
                        {{"name", b.value("name", "")},
                         {"arguments", b.value("input", json::object()).dump()}}}});
    } else if (type == "thinking" || type == "redacted_thinking") {
      thinking.push_back(b);
    }
  }
  json m = {{"role", "assistant"},
            {"content", calls.empty() || !text.empty() ? json(text) : json()}};
  if (!calls.empty()) {
    m["tool_calls"] = std::move(calls);
  }
  if (!thinking.empty()) {
    m["thinking_blocks"] = std::move(thinking);
  }
  messages.push_back(std::move(m));
}

std::string stop_reason_of(std::string_view finish) {
  if (finish == "length") {
    return "max_tokens";
  }
  if (finish == "tool_calls" || finish == "function_call") {
    return "tool_use";
  }
  if (finish == "content_filter") {
    return "refusal";
  }
  return "end_turn";
}

json anthropic_usage(const json& u) {
  const auto get = [&](const char* k) -> long long {
    return u.is_object() && u.contains(k) && u[k].is_number_integer() ? u[k].get<long long>() : 0;
  };
  long long cached = 0;
  if (u.is_object() && u.contains("prompt_tokens_details") &&
      u["prompt_tokens_details"].is_object()) {
    const auto& d = u["prompt_tokens_details"];
    cached = d.contains("cached_tokens") && d["cached_tokens"].is_number_integer()
                 ? d["cached_tokens"].get<long long>()
                 : 0;
  }
  const long long created = get("cache_creation_input_tokens");
  return {{"input_tokens", std::max(0LL, get("prompt_tokens") - cached - created)},
          {"cache_creation_input_tokens", created},
          {"cache_read_input_tokens", cached},
          {"output_tokens", get("completion_tokens")}};
}

std::string error_type(ErrorCode code) {
  switch (code) {
    case ErrorCode::Authentication:
      return "authentication_error";
    case ErrorCode::PermissionDenied:
    case ErrorCode::BudgetExceeded:
      return "permission_error";
    case ErrorCode::NotFound:
      return "not_found_error";
    case ErrorCode::PayloadTooLarge:
      return "request_too_large";
    case ErrorCode::RateLimited:
      return "rate_limit_error";
    case ErrorCode::UpstreamUnavailable:
      return "overloaded_error";
    case ErrorCode::Timeout:
    case ErrorCode::UpstreamError:
    case ErrorCode::Storage:
    case ErrorCode::Config:
    case ErrorCode::Cancelled:
    case ErrorCode::Internal:
      return "api_error";
    default:
      return "invalid_request_error";
  }
}

}  // namespace

Result<LlmRequest> parse_messages_request(std::string_view text) {
  const json in = json::parse(text, nullptr, false);
  if (in.is_discarded() || !in.is_object()) {
    return Error::invalid("the request body is not a JSON object");
  }
  if (!in.contains("model") || !in["model"].is_string()) {
    return Error::invalid("model: field required", "model");
  }
  if (!in.contains("messages") || !in["messages"].is_array()) {
    return Error::invalid("messages: field required (a list)", "messages");
  }
  if (!in.contains("max_tokens") || !in["max_tokens"].is_number_integer()) {
    return Error::invalid("max_tokens: field required (an integer)", "max_tokens");
  }
  json messages = json::array();
  if (const auto sys = in.value("system", json()); !sys.is_null()) {
    messages.push_back({{"role", "system"}, {"content", sys}});
    if (sys.is_array()) {  // text blocks, cache_control kept
      json parts = json::array();
      for (const auto& b : sys) {
        json part = {{"type", "text"}, {"text", b.value("text", "")}};
        if (b.contains("cache_control")) {
          part["cache_control"] = b["cache_control"];
        }
        parts.push_back(std::move(part));
      }
      messages.back()["content"] = std::move(parts);
    }
  }
  for (const auto& m : in["messages"]) {
    if (!m.is_object()) {
      return Error::invalid("messages: each message must be an object", "messages");
    }
    const std::string role = m.value("role", "");
    const json content = m.value("content", json(""));
    if (role == "user") {
      if (auto r = user_turn(content, messages); !r) {
        return r.error();
      }
    } else if (role == "assistant") {
      assistant_turn(content, messages);
    } else {
      return Error::invalid("messages: role must be user or assistant, not '" + role + "'",
                            "messages");
    }
  }
  json body = {
      {"model", in["model"]}, {"messages", std::move(messages)}, {"max_tokens", in["max_tokens"]}};
  for (const char* key : {"temperature", "top_p", "top_k", "thinking"}) {
    if (in.contains(key)) {
      body[key] = in[key];
    }
  }
  if (in.contains("stop_sequences") && in["stop_sequences"].is_array() &&
      !in["stop_sequences"].empty()) {
    body["stop"] = in["stop_sequences"];
  }
  if (const auto md = in.value("metadata", json::object()); md.contains("user_id")) {
    body["user"] = md["user_id"];
  }
  if (const auto tools = in.value("tools", json()); tools.is_array() && !tools.empty()) {
    json out = json::array();
    for (const auto& t : tools) {
      json fn = {{"name", t.value("name", "")},
                 {"parameters", t.value("input_schema", json{{"type", "object"}})}};
      if (t.contains("description")) {
        fn["description"] = t["description"];
      }
      out.push_back({{"type", "function"}, {"function", std::move(fn)}});
    }
    body["tools"] = std::move(out);
  }
  if (const auto choice = in.value("tool_choice", json()); choice.is_object()) {
    const std::string type = choice.value("type", "auto");
    if (type == "any") {
      body["tool_choice"] = "required";
    } else if (type == "tool") {
      body["tool_choice"] = {{"type", "function"},
                             {"function", {{"name", choice.value("name", "")}}}};
    } else {
      body["tool_choice"] = type;  // auto, none
    }
    if (choice.value("disable_parallel_tool_use", false)) {
      body["parallel_tool_calls"] = false;
    }
  }
  LlmRequest req;
  req.kind = CallKind::Chat;
  req.model = in["model"].get<std::string>();
  req.stream = in.value("stream", false);
  if (req.stream) {
    body["stream"] = true;
    body["stream_options"] = {{"include_usage", true}};
    req.include_usage = true;
  }
  req.body = std::move(body);
  return req;
}

json to_anthropic_message(const json& completion, const std::string& model) {
  json content = json::array();
  std::string finish = "stop";
  json usage = json::object();
  if (completion.contains("choices") && completion["choices"].is_array() &&
      !completion["choices"].empty()) {
    const auto& choice = completion["choices"][0];
    finish = choice.value("finish_reason", json("stop")).is_string()
                 ? choice["finish_reason"].get<std::string>()
                 : "stop";
    const auto msg = choice.value("message", json::object());
    for (const auto& b : msg.value("thinking_blocks", json::array())) {
      content.push_back(b);
    }
    if (msg.contains("reasoning_content") && msg["reasoning_content"].is_string() &&
        !msg.contains("thinking_blocks")) {
      content.push_back(
          {{"type", "thinking"}, {"thinking", msg["reasoning_content"]}, {"signature", ""}});
    }
    if (msg.contains("content") && msg["content"].is_string() &&
        !msg["content"].get_ref<const std::string&>().empty()) {
      content.push_back({{"type", "text"}, {"text", msg["content"]}});
    }
    for (const auto& call : msg.value("tool_calls", json::array())) {
      const auto fn = call.value("function", json::object());
      json input = json::parse(fn.value("arguments", "{}"), nullptr, false);
      content.push_back({{"type", "tool_use"},
                         {"id", call.value("id", "")},
                         {"name", fn.value("name", "")},
                         {"input", input.is_object() ? input : json::object()}});
    }
  }
  std::string id = completion.value("id", "");
  if (id.rfind("msg_", 0) != 0) {
    id = "msg_" + id;
  }
  return {{"id", id},
          {"type", "message"},
          {"role", "assistant"},
          {"model", model},
          {"content", std::move(content)},
          {"stop_reason", stop_reason_of(finish)},
          {"stop_sequence", nullptr},
          {"usage", anthropic_usage(completion.value("usage", json::object()))}};
}

json anthropic_error(ErrorCode code, const std::string& message) {
  return {{"type", "error"}, {"error", {{"type", error_type(code)}, {"message", message}}}};
}

std::string AnthropicStreamEncoder::start_if_needed(const json& chunk) {
  if (started_) {
    return {};
  }
  started_ = true;
  std::string id = chunk.value("id", "");
  if (id.rfind("msg_", 0) != 0) {
    id = "msg_" + id;
  }
  return event("message_start", {{"type", "message_start"},
                                 {"message",
                                  {{"id", id},
                                   {"type", "message"},
                                   {"role", "assistant"},
                                   {"model", model_},
                                   {"content", json::array()},
                                   {"stop_reason", nullptr},
                                   {"stop_sequence", nullptr},
                                   {"usage", {{"input_tokens", 0}, {"output_tokens", 0}}}}}}) +
         event("ping", {{"type", "ping"}});
}

std::string AnthropicStreamEncoder::open_block(const std::string& type, json block) {
  std::string out = close_block();
  ++block_index_;
  block_type_ = type;
  out += event("content_block_start", {{"type", "content_block_start"},
                                       {"index", block_index_},
                                       {"content_block", std::move(block)}});
  return out;
}

std::string AnthropicStreamEncoder::close_block() {
  if (block_type_.empty()) {
    return {};
  }
  block_type_.clear();
  return event("content_block_stop", {{"type", "content_block_stop"}, {"index", block_index_}});
}

std::string AnthropicStreamEncoder::encode(const json& chunk) {
  std::string out = start_if_needed(chunk);
  if (chunk.contains("usage") && chunk["usage"].is_object()) {
    usage_ = chunk["usage"];
  }
  for (const auto& choice : chunk.value("choices", json::array())) {
    const auto delta = choice.value("delta", json::object());
    if (const auto r = delta.find("reasoning_content");
        r != delta.end() && r->is_string() && !r->get_ref<const std::string&>().empty()) {
      if (block_type_ != "thinking") {
        out += open_block("thinking", {{"type", "thinking"}, {"thinking", ""}, {"signature", ""}});
      }
      out +=
          event("content_block_delta", {{"type", "content_block_delta"},
                                        {"index", block_index_},
                                        {"delta", {{"type", "thinking_delta"}, {"thinking", *r}}}});
    }
    if (const auto c = delta.find("content");
        c != delta.end() && c->is_string() && !c->get_ref<const std::string&>().empty()) {
      if (block_type_ != "text") {
        out += open_block("text", {{"type", "text"}, {"text", ""}});
      }
      out += event("content_block_delta", {{"type", "content_block_delta"},
                                           {"index", block_index_},
                                           {"delta", {{"type", "text_delta"}, {"text", *c}}}});
    }
    for (const auto& call : delta.value("tool_calls", json::array())) {
      const int index = call.value("index", 0);
      const auto fn = call.value("function", json::object());
      if (block_type_ != "tool_use" || index != tool_call_) {
        tool_call_ = index;
        out += open_block("tool_use", {{"type", "tool_use"},
                                       {"id", call.value("id", "")},
                                       {"name", fn.value("name", "")},
                                       {"input", json::object()}});
      }
      if (const auto args = fn.value("arguments", ""); !args.empty()) {
        out += event("content_block_delta",
                     {{"type", "content_block_delta"},
                      {"index", block_index_},
                      {"delta", {{"type", "input_json_delta"}, {"partial_json", args}}}});
      }
    }
    if (const auto f = choice.find("finish_reason"); f != choice.end() && f->is_string()) {
      stop_reason_ = stop_reason_of(f->get<std::string>());
    }
  }
  return out;
}

std::string AnthropicStreamEncoder::finish() {
  if (finished_) {
    return {};
  }
  finished_ = true;
  std::string out = start_if_needed(json::object()) + close_block();
  out +=
      event("message_delta", {{"type", "message_delta"},
                              {"delta",
                               {{"stop_reason", stop_reason_.empty() ? "end_turn" : stop_reason_},
                                {"stop_sequence", nullptr}}},
                              {"usage", anthropic_usage(usage_)}});
  out += event("message_stop", {{"type", "message_stop"}});
  return out;
}

std::string AnthropicStreamEncoder::fail(ErrorCode code, const std::string& message) {
  finished_ = true;
  return event("error", anthropic_error(code, message));
}

}  // namespace litellm::openai
