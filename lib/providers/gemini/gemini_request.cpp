// OpenAI chat and embedding requests -> Gemini generateContent / embedContent.
#include <map>

#include "providers/gemini/gemini_adapter.hpp"
#include "providers/translate/messages.hpp"
#include "providers/translate/request_params.hpp"

namespace litellm::providers::gemini {

namespace {

using nlohmann::json;
namespace tr = translate;

std::string mime_of_url(const std::string& url) {
  const auto dot = url.find_last_of('.');
  const std::string ext = dot == std::string::npos ? "" : url.substr(dot + 1);
  if (ext == "png") {
    return "image/png";
  }
  if (ext == "gif") {
    return "image/gif";
  }
  if (ext == "webp") {
    return "image/webp";
  }
  if (ext == "pdf") {
    return "application/pdf";
  }
  return "image/jpeg";
}

Result<json> parts_of(const json& content) {
  json parts = json::array();
  if (content.is_string()) {
    parts.push_back({{"text", content}});
    return parts;
  }
  if (!content.is_array()) {
    return parts;
  }
  for (const auto& part : content) {
    const std::string type = part.value("type", "");
    if (type == "text") {
      parts.push_back({{"text", part.value("text", "")}});
    } else if (type == "image_url") {
      auto img = tr::image_of(part);
      if (!img) {
        return img.error();
      }
      if (img->inline_data()) {
        parts.push_back({{"inlineData", {{"mimeType", img->media_type}, {"data", img->base64}}}});
      } else {
        parts.push_back(
            {{"fileData", {{"mimeType", mime_of_url(img->url)}, {"fileUri", img->url}}}});
      }
    }
  }
  return parts;
}

// Gemini's responseSchema is an OpenAPI subset: it refuses JSON Schema's bookkeeping keys.
json gemini_schema(json schema) {
  if (schema.is_object()) {
    for (const char* key : {"additionalProperties", "$schema", "strict"}) {
      schema.erase(key);
    }
    for (auto& [k, v] : schema.items()) {
      if (k != "properties") {
        v = gemini_schema(v);
      } else if (v.is_object()) {
        for (auto& [name, prop] : v.items()) {
          prop = gemini_schema(prop);
        }
      }
    }
  } else if (schema.is_array()) {
    for (auto& v : schema) {
      v = gemini_schema(v);
    }
  }
  return schema;
}

struct Contents {
  json system;  // systemInstruction or null
  json contents = json::array();
};

void push(json& contents, const std::string& role, json parts) {
  if (!contents.empty() && contents.back()["role"] == role) {
    for (auto& p : parts) {
      contents.back()["parts"].push_back(std::move(p));
    }
    return;
  }
  contents.push_back({{"role", role}, {"parts", std::move(parts)}});
}

Result<Contents> contents_of(const json& messages) {
  Contents out;
  json system_parts = json::array();
  std::map<std::string, std::string> tool_names;
  for (const auto& m : messages) {
    const std::string role = m.value("role", "user");
    const json content = m.value("content", json());
    if (role == "system" || role == "developer") {
      auto parts = parts_of(content);
      if (!parts) {
        return parts.error();
      }
      for (auto& p : *parts) {
        system_parts.push_back(std::move(p));
      }
    } else if (role == "tool") {
      json response = json::parse(tr::text_of(content), nullptr, false);
      if (response.is_discarded() || !response.is_object()) {
        response = {{"content", tr::text_of(content)}};
      }
      const auto id = m.value("tool_call_id", "");
      const auto it = tool_names.find(id);
      push(out.contents, "user",
           json::array({{{"functionResponse",
                          {{"name", it != tool_names.end() ? it->second : m.value("name", "")},
                           {"response", std::move(response)}}}}}));
    } else {
      json parts = json::array();
      if (!content.is_null()) {
        auto p = parts_of(content);
        if (!p) {
          return p.error();
        }
        parts = std::move(*p);
      }
      for (const auto& call : m.value("tool_calls", json::array())) {
        const auto fn = call.value("function", json::object());
        tool_names[call.value("id", "")] = fn.value("name", "");
        json part = {{"functionCall",
                      {{"name", fn.value("name", "")},
                       {"args", tr::arguments_object(fn.value("arguments", json()))}}}};
        if (call.contains("thought_signature")) {
          part["thoughtSignature"] = call["thought_signature"];
        }
        parts.push_back(std::move(part));
      }
      push(out.contents, role == "assistant" ? "model" : "user", std::move(parts));
    }
  }
  if (!system_parts.empty()) {
    out.system = {{"parts", std::move(system_parts)}};
  }
  return out;
}

json tool_config_of(const json& choice) {
  if (choice.is_string()) {
    const auto& s = choice.get_ref<const std::string&>();
    return {{"functionCallingConfig",
             {{"mode", s == "required" ? "ANY"
                       : s == "none"   ? "NONE"
                                       : "AUTO"}}}};
  }
  if (choice.is_object()) {
    return {
        {"functionCallingConfig",
         {{"mode", "ANY"},
          {"allowedFunctionNames", {choice.value("function", json::object()).value("name", "")}}}}};
  }
  return nullptr;
}

Result<json> embed_body(const json& body, const Target& target) {
  const json input = body.value("input", json());
  const std::string model = "models/" + target.model;
  const auto one = [&](const json& text) {
    json r = {{"model", model}, {"content", {{"parts", {{{"text", text}}}}}}};
    if (body.contains("dimensions")) {
      r["outputDimensionality"] = body["dimensions"];
    }
    for (const char* key : {"taskType", "title", "task_type"}) {
      if (body.contains(key)) {
        r[std::string(key) == "task_type" ? "taskType" : key] = body[key];
      }
    }
    return r;
  };
  if (input.is_string()) {
    return one(input);
  }
  if (!input.is_array()) {
    return Error::invalid("input must be a string or a list of strings", "input");
  }
  json requests = json::array();
  for (const auto& text : input) {
    if (!text.is_string()) {
      return Error::invalid("gemini embeds text only: input must hold strings", "input");
    }
    requests.push_back(one(text));
  }
  return json{{"requests", std::move(requests)}};
}

}  // namespace

Result<core::UpstreamRequest> GeminiAdapter::build(const LlmRequest& req,
                                                   const Target& target) const {
  json body = tr::effective_body(req, target);
  std::string url;
  json out;
  const std::string model_url = tr::base_url(target, kDefaultApiBase) + "/models/" + target.model;
  if (req.kind == CallKind::Embedding) {
    auto e = embed_body(body, target);
    if (!e) {
      return e.error();
    }
    out = std::move(*e);
    url = model_url + (out.contains("requests") ? ":batchEmbedContents" : ":embedContent");
  } else if (req.kind == CallKind::Completion) {
    return Error{ErrorCode::Unsupported,
                 "gemini serves chat completions and embeddings, not text completions",
                 {},
                 "gemini",
                 0,
                 {}};
  } else {
    if (auto ok = tr::check_supported(
            body,
            {"temperature", "top_p", "stop", "max_tokens", "max_completion_tokens", "n",
             "presence_penalty", "frequency_penalty", "seed", "tools", "tool_choice",
             "response_format", "logprobs", "top_logprobs", "reasoning_effort", "user", "functions",
             "function_call", "parallel_tool_calls"},
            "gemini", target.model, target.drop_params);
        !ok) {
      return ok.error();
    }
    auto contents = contents_of(body.value("messages", json::array()));
    if (!contents) {
      return contents.error();
    }
    if (!contents->system.is_null()) {
      out["systemInstruction"] = std::move(contents->system);
    }
    out["contents"] = std::move(contents->contents);
    json config = body.value("generationConfig", json::object());
    tr::copy_renamed(body, config,
                     {{"temperature", "temperature"},
                      {"top_p", "topP"},
                      {"top_k", "topK"},
                      {"n", "candidateCount"},
                      {"presence_penalty", "presencePenalty"},
                      {"frequency_penalty", "frequencyPenalty"},
                      {"seed", "seed"},
                      {"logprobs", "responseLogprobs"},
                      {"top_logprobs", "logprobs"}});
    if (auto max = tr::max_tokens_of(body); !max.is_null()) {
      config["maxOutputTokens"] = std::move(max);
    }
    if (auto stop = tr::stop_list(body); !stop.is_null()) {
      config["stopSequences"] = std::move(stop);
    }
    if (const auto rf = body.value("response_format", json()); rf.is_object()) {
      const std::string type = rf.value("type", "");
      if (type == "json_object" || type == "json_schema") {
        config["responseMimeType"] = "application/json";
      }
      if (type == "json_schema") {
        const auto schema = rf.value("json_schema", json::object()).value("schema", json());
        if (!schema.is_null()) {
          config["responseSchema"] = gemini_schema(schema);
        }
      }
    }
    if (const auto effort = body.value("reasoning_effort", json()); effort.is_string()) {
      const std::string e = effort.get<std::string>();
      const int budget = e == "none" ? 0 : e == "low" ? 1024 : e == "medium" ? 2048 : 4096;
      config["thinkingConfig"] = {{"thinkingBudget", budget}, {"includeThoughts", budget > 0}};
    }
    if (body.contains("thinking") && body["thinking"].is_object()) {
      const auto budget = body["thinking"].value("budget_tokens", 1024);
      config["thinkingConfig"] = {{"thinkingBudget", budget}, {"includeThoughts", true}};
    }
    if (!config.empty()) {
      out["generationConfig"] = std::move(config);
    }
    const json tools = tr::tools_of(body);
    if (tools.is_array() && !tools.empty()) {
      json decls = json::array();
      for (const auto& t : tools) {
        const auto fn = t.value("function", json::object());
        json d = {{"name", fn.value("name", "")}};
        if (fn.contains("description")) {
          d["description"] = fn["description"];
        }
        if (fn.contains("parameters")) {
          d["parameters"] = gemini_schema(fn["parameters"]);
        }
        decls.push_back(std::move(d));
      }
      out["tools"] = json::array({{{"functionDeclarations", std::move(decls)}}});
      if (auto cfg = tool_config_of(body.value("tool_choice", body.value("function_call", json())));
          !cfg.is_null()) {
        out["toolConfig"] = std::move(cfg);
      }
    }
    for (const char* key : {"safetySettings", "safety_settings", "cachedContent"}) {
      if (body.contains(key)) {
        out[std::string(key) == "safety_settings" ? "safetySettings" : key] = body[key];
      }
    }
    url = model_url + (req.stream ? ":streamGenerateContent?alt=sse" : ":generateContent");
  }
  tr::apply_extra_body(out, req, target);
  auto up = tr::json_request(
      std::move(url), out, target,
      req.stream && req.kind == CallKind::Chat ? core::Framing::Sse : core::Framing::None);
  if (!target.api_key.empty()) {
    up.headers.emplace_back("x-goog-api-key", target.api_key.reveal());
  }
  return up;
}

}  // namespace litellm::providers::gemini
