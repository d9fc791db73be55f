// OpenAI chat request -> Anthropic Messages request.
#include "providers/anthropic/anthropic_adapter.hpp"
#include "providers/translate/messages.hpp"
#include "providers/translate/request_params.hpp"

namespace litellm::providers::anthropic {

namespace {

using nlohmann::json;
namespace tr = translate;

Result<json> content_blocks(const json& content) {
  json blocks = json::array();
  if (content.is_string()) {
    if (!content.get_ref<const std::string&>().empty()) {
      blocks.push_back({{"type", "text"}, {"text", content}});
    }
    return blocks;
  }
  if (!content.is_array()) {
    return blocks;
  }
  for (const auto& part : content) {
    const std::string type = part.value("type", "");
    json block;
    if (type == "text") {
      block = {{"type", "text"}, {"text", part.value("text", "")}};
    } else if (type == "image_url") {
      auto img = tr::image_of(part);
      if (!img) {
        return img.error();
      }
      block = {{"type", "image"},
               {"source", img->inline_data() ? json{{"type", "base64"},
                                                    {"media_type", img->media_type},
                                                    {"data", img->base64}}
                                             : json{{"type", "url"}, {"url", img->url}}}};
    } else {
      continue;  // audio, files: not something Messages takes
    }
    if (part.contains("cache_control")) {
      block["cache_control"] = part["cache_control"];
    }
    blocks.push_back(std::move(block));
  }
  return blocks;
}

// Adds `content` (string or blocks) to the last message when it has `role`, else a new one.
void append(json& messages, const std::string& role, json content) {
  if (!messages.empty() && messages.back()["role"] == role) {
    json& last = messages.back()["content"];
    if (last.is_string()) {
      last = json::array({{{"type", "text"}, {"text", last}}});
    }
    if (content.is_string()) {
      content = json::array({{{"type", "text"}, {"text", content}}});
    }
    for (auto& b : content) {
      last.push_back(std::move(b));
    }
    return;
  }
  messages.push_back({{"role", role}, {"content", std::move(content)}});
}

struct Converted {
  json system;  // string, array of text blocks, or null
  json messages = json::array();
};

Result<Converted> convert_messages(const json& in) {
  Converted out;
  json system_blocks = json::array();
  for (const auto& m : in) {
    const std::string role = m.value("role", "user");
    const json content = m.value("content", json());
    if (role == "system" || role == "developer") {
      auto blocks = content_blocks(content);
      if (!blocks) {
        return blocks.error();
      }
      for (auto& b : *blocks) {
        system_blocks.push_back(std::move(b));
      }
      continue;
    }
    if (role == "tool") {
      json result = {{"type", "tool_result"},
                     {"tool_use_id", m.value("tool_call_id", "")},
                     {"content", tr::text_of(content)}};
      append(out.messages, "user", json::array({std::move(result)}));
      continue;
    }
    if (role == "assistant") {
      const auto calls = m.value("tool_calls", json());
      const auto thinking = m.value("thinking_blocks", json());
      if (thinking.is_array() && !thinking.empty()) {
        // Signed thinking goes back first and unchanged, or Anthropic refuses the tool turn.
        append(out.messages, "assistant", thinking);
      }
      if (!calls.is_array() || calls.empty()) {
        if (content.is_string()) {
          append(out.messages, "assistant", content);
        } else {
          auto blocks = content_blocks(content);
          if (!blocks) {
            return blocks.error();
          }
          append(out.messages, "assistant", std::move(*blocks));
        }
        continue;
      }
      auto blocks = content_blocks(content);
      if (!blocks) {
        return blocks.error();
      }
      for (const auto& call : calls) {
        const auto fn = call.value("function", json::object());
        blocks->push_back({{"type", "tool_use"},
                           {"id", call.value("id", "")},
                           {"name", fn.value("name", "")},
                           {"input", tr::arguments_object(fn.value("arguments", json()))}});
      }
      append(out.messages, "assistant", std::move(*blocks));
      continue;
    }
    if (content.is_string()) {
      append(out.messages, "user", content);
    } else {
      auto blocks = content_blocks(content);
      if (!blocks) {
        return blocks.error();
      }
      append(out.messages, "user", std::move(*blocks));
    }
  }
  if (system_blocks.size() == 1 && !system_blocks[0].contains("cache_control")) {
    out.system = system_blocks[0]["text"];
  } else if (!system_blocks.empty()) {
    out.system = std::move(system_blocks);
  }
  return out;
}

json tools_of(const json& tools) {
  json out = json::array();
  for (const auto& t : tools) {
    const auto fn = t.value("function", json::object());
    json tool = {{"name", fn.value("name", "")}};
    if (fn.contains("description")) {
      tool["description"] = fn["description"];
    }
    tool["input_schema"] =
        fn.value("parameters", json{{"type", "object"}, {"properties", json::object()}});
    if (t.contains("cache_control")) {
      tool["cache_control"] = t["cache_control"];
    }
    out.push_back(std::move(tool));
  }
  return out;
}

json tool_choice_of(const json& choice, const json& parallel) {
  json out;
  if (choice.is_string()) {
    const auto& s = choice.get_ref<const std::string&>();
    out = {{"type", s == "required" ? "any" : s}};
  } else if (choice.is_object()) {
    out = {{"type", "tool"}, {"name", choice.value("function", json::object()).value("name", "")}};
  }
  if (parallel.is_boolean() && !parallel.get<bool>()) {
    if (out.is_null()) {
      out = {{"type", "auto"}};
    }
    out["disable_parallel_tool_use"] = true;
  }
  return out;
}

// `base` without trailing slashes, as translate::base_url gives it.
std::string messages_url(const std::string& base) {
  const auto ends = [&](std::string_view s) {
    return base.size() >= s.size() && base.compare(base.size() - s.size(), s.size(), s) == 0;
  };
  if (ends("/v1/messages")) {
    return base;
  }
  return base + (ends("/v1") ? "/messages" : "/v1/messages");
}

}  // namespace

Result<core::UpstreamRequest> AnthropicAdapter::build(const LlmRequest& req,
                                                      const Target& target) const {
  if (req.kind != CallKind::Chat) {
    return Error{ErrorCode::Unsupported,
                 std::string("anthropic serves chat completions only, not ") +
                     (req.kind == CallKind::Embedding ? "embeddings" : "text completions"),
                 {},
                 "anthropic",
                 0,
                 {}};
  }
  json body = tr::effective_body(req, target);
  if (auto ok = tr::check_supported(
          body,
          {"temperature", "top_p", "stop", "max_tokens", "max_completion_tokens", "tools",
           "tool_choice", "parallel_tool_calls", "response_format", "user", "reasoning_effort",
           "functions", "function_call"},
          "anthropic", target.model, target.drop_params);
      !ok) {
    return ok.error();
  }
  auto converted = convert_messages(body.value("messages", json::array()));
  if (!converted) {
    return converted.error();
  }
  json out = {{"model", target.model}};
  json max_tokens = tr::max_tokens_of(body);
  if (max_tokens.is_null()) {
    max_tokens = target.max_output_tokens.value_or(kDefaultMaxTokens);
  }
  out["max_tokens"] = max_tokens;
  if (!converted->system.is_null()) {
    out["system"] = std::move(converted->system);
  }
  out["messages"] = std::move(converted->messages);
  for (const char* key : {"temperature", "top_p", "top_k"}) {
    if (body.contains(key) && !body[key].is_null()) {
      out[key] = body[key];
    }
  }
  if (auto stop = tr::stop_list(body); !stop.is_null()) {
    out["stop_sequences"] = std::move(stop);
  }
  if (const auto user = body.value("user", json()); user.is_string()) {
    out["metadata"] = {{"user_id", user}};
  }
  const json tools = tr::tools_of(body);
  if (tools.is_array() && !tools.empty()) {
    out["tools"] = tools_of(tools);
    if (auto choice = tool_choice_of(body.value("tool_choice", body.value("function_call", json())),
                                     body.value("parallel_tool_calls", json()));
        !choice.is_null()) {
      out["tool_choice"] = std::move(choice);
    }
  }
  bool structured = false;
  if (const auto rf = body.value("response_format", json()); rf.is_object()) {
    const std::string type = rf.value("type", "");
    if (type == "json_schema") {
      const auto schema = rf.value("json_schema", json::object()).value("schema", json());
      if (schema.is_null()) {
        return Error::invalid("response_format.json_schema.schema is required", "response_format");
      }
      out["output_config"] = {{"format", {{"schema", schema}, {"type", "json_schema"}}}};
      structured = true;
    } else if (type == "json_object") {
      json tool = {{"name", kJsonTool},
                   {"description", "Respond with a JSON object."},
                   {"input_schema", {{"type", "object"}, {"additionalProperties", true}}}};
      if (!out.contains("tools")) {
        out["tools"] = json::array();
      }
      out["tools"].push_back(std::move(tool));
      out["tool_choice"] = {{"type", "tool"}, {"name", kJsonTool}};
    }
  }
  if (const auto effort = body.value("reasoning_effort", json()); effort.is_string()) {
    const std::string e = effort.get<std::string>();
    if (e != "none") {
      const int budget = e == "low" ? 1024 : e == "medium" ? 2048 : 4096;
      out["thinking"] = {{"type", "enabled"}, {"budget_tokens", budget}};
      if (out["max_tokens"].get<long long>() <= budget) {
        out["max_tokens"] = budget + kDefaultMaxTokens;
      }
    }
  }
  if (body.contains("thinking")) {
    out["thinking"] = body["thinking"];
  }
  if (req.stream) {
    out["stream"] = true;
  }
  tr::apply_extra_body(out, req, target);

  auto up = tr::json_request(messages_url(tr::base_url(target, kDefaultApiBase)), out, target,
                             req.stream ? core::Framing::Sse : core::Framing::None);
  up.headers.emplace_back("anthropic-version", std::string(kApiVersion));
  if (!target.api_key.empty()) {
    up.headers.emplace_back("x-api-key", target.api_key.reveal());
  }
  if (structured) {
    up.headers.emplace_back("anthropic-beta", "structured-outputs-2025-12-15");
  }
  return up;
}

}  // namespace litellm::providers::anthropic
