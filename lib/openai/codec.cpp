#include "openai/codec.hpp"

#include <algorithm>
#include <array>

namespace litellm::openai {

namespace {

using nlohmann::json;

constexpr std::array<std::string_view, 6> kRoles = {"system",    "developer", "user",
                                                    "assistant", "tool",      "function"};

Error bad(std::string message, std::string param) {
  return Error::invalid(std::move(message), std::move(param));
}

Result<void> check_number(const json& body, const char* field) {
  if (body.contains(field) && !body[field].is_null() && !body[field].is_number()) {
    return bad(std::string("'") + field + "' must be a number", field);
  }
  return {};
}

Result<void> check_integer(const json& body, const char* field) {
  if (body.contains(field) && !body[field].is_null() && !body[field].is_number_integer()) {
    return bad(std::string("'") + field + "' must be an integer", field);
  }
  return {};
}

Result<void> check_messages(const json& body) {
  if (!body.contains("messages")) {
    return bad("Missing required parameter: 'messages'.", "messages");
  }
  const json& messages = body["messages"];
  if (!messages.is_array()) {
    return bad("'messages' must be an array of message objects", "messages");
  }
  if (messages.empty()) {
    return bad("'messages' must contain at least one message", "messages");
  }
  for (std::size_t i = 0; i < messages.size(); ++i) {
    const json& m = messages[i];
    const std::string param = "messages[" + std::to_string(i) + "]";
    if (!m.is_object()) {
      return bad(param + " must be an object with 'role' and 'content'", param);
    }
    const auto role = m.find("role");
    if (role == m.end() || !role->is_string()) {
      return bad("Missing required parameter: '" + param + ".role'.", param + ".role");
    }
    const auto& r = role->get_ref<const std::string&>();
    if (std::find(kRoles.begin(), kRoles.end(), r) == kRoles.end()) {
      return bad("Invalid value for '" + param + ".role': '" + r +
                     "'. Supported values are: 'system', 'developer', 'user', 'assistant', "
                     "'tool' and 'function'.",
                 param + ".role");
    }
    const auto content = m.find("content");
    if (content != m.end() && !content->is_null() && !content->is_string() &&
        !content->is_array()) {
      return bad("'" + param + ".content' must be a string or an array of content parts",
                 param + ".content");
    }
  }
  return {};
}

Result<void> check_kind(CallKind kind, const json& body) {
  switch (kind) {
    case CallKind::Chat:
      return check_messages(body);
    case CallKind::Completion:
      if (!body.contains("prompt")) {
        return bad("Missing required parameter: 'prompt'.", "prompt");
      }
      if (!body["prompt"].is_string() && !body["prompt"].is_array()) {
        return bad("'prompt' must be a string or an array", "prompt");
      }
      return {};
    case CallKind::Embedding:
      if (!body.contains("input")) {
        return bad("Missing required parameter: 'input'.", "input");
      }
      if (!body["input"].is_string() && !body["input"].is_array()) {
        return bad("'input' must be a string or an array", "input");
      }
      return {};
  }
  return {};
}

}  // namespace

Result<LlmRequest> parse_request(CallKind kind, std::string_view body,
                                 std::string_view model_override) {
  json parsed = json::parse(body, nullptr, false);
  if (parsed.is_discarded()) {
    return bad(
        "Invalid JSON in request body. Send a JSON object with Content-Type: "
        "application/json.",
        "");
  }
  if (!parsed.is_object()) {
    return bad("Request body must be a JSON object.", "");
  }
  LlmRequest req;
  req.kind = kind;
  if (!model_override.empty()) {
    parsed["model"] = std::string(model_override);
  }
  const auto model = parsed.find("model");
  if (model == parsed.end() || model->is_null()) {
    return bad("Missing required parameter: 'model'.", "model");
  }
  if (!model->is_string() || model->get_ref<const std::string&>().empty()) {
    return bad("'model' must be a non-empty string", "model");
  }
  req.model = model->get<std::string>();
  if (auto r = check_kind(kind, parsed); !r) {
    return r.error();
  }
  if (const auto s = parsed.find("stream"); s != parsed.end() && !s->is_null()) {
    if (!s->is_boolean()) {
      return bad("'stream' must be a boolean", "stream");
    }
    req.stream = s->get<bool>();
  }
  if (const auto so = parsed.find("stream_options"); so != parsed.end() && !so->is_null()) {
    if (!so->is_object()) {
      return bad("'stream_options' must be an object", "stream_options");
    }
    const auto iu = so->find("include_usage");
    req.include_usage = iu != so->end() && iu->is_boolean() && iu->get<bool>();
  }
  for (const char* f : {"temperature", "top_p", "presence_penalty", "frequency_penalty"}) {
    if (auto r = check_number(parsed, f); !r) {
      return r.error();
    }
  }
  for (const char* f : {"max_tokens", "max_completion_tokens", "n", "seed"}) {
    if (auto r = check_integer(parsed, f); !r) {
      return r.error();
    }
  }
  req.body = std::move(parsed);
  return req;
}

std::string_view endpoint_path(CallKind kind) {
  switch (kind) {
    case CallKind::Chat:
      return "/chat/completions";
    case CallKind::Completion:
      return "/completions";
    case CallKind::Embedding:
      return "/embeddings";
  }
  return "/chat/completions";
}

std::string sse_event(const nlohmann::json& chunk) {
  std::string out = "data: ";
  out += chunk.dump(-1, ' ', false, json::error_handler_t::replace);
  out += "\n\n";
  return out;
}

const nlohmann::json& complete_body(LlmResponse& response) {
  if (!response.body_complete) {
    // The adapter checked these bytes are an object before keeping only a part of them.
    response.body = nlohmann::json::parse(response.raw, nullptr, false);
    response.body_complete = true;
  }
  return response.body;
}

Usage usage_of(const nlohmann::json& body) {
  Usage u;
  const auto it = body.find("usage");
  if (it == body.end() || !it->is_object()) {
    return u;
  }
  const auto get = [&](const char* k) -> std::int64_t {
    const auto v = it->find(k);
    return v != it->end() && v->is_number_integer() ? v->get<std::int64_t>() : 0;
  };
  u.prompt_tokens = get("prompt_tokens");
  u.completion_tokens = get("completion_tokens");
  u.total_tokens = get("total_tokens");
  if (u.total_tokens == 0) {
    u.total_tokens = u.prompt_tokens + u.completion_tokens;
  }
  u.cache_creation_tokens = get("cache_creation_input_tokens");
  if (const auto d = it->find("prompt_tokens_details"); d != it->end() && d->is_object()) {
    const auto c = d->find("cached_tokens");
    u.cached_tokens = c != d->end() && c->is_number_integer() ? c->get<std::int64_t>() : 0;
  }
  return u;
}

Usage usage_of(const LlmResponse& response) {
  return response.body_complete ? usage_of(response.body) : response.usage.value_or(Usage{});
}

}  // namespace litellm::openai
