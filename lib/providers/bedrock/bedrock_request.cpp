// OpenAI chat -> Bedrock Converse, signed.
#include <algorithm>

#include "core/text.hpp"
#include "providers/bedrock/bedrock_adapter.hpp"
#include "providers/bedrock/sigv4.hpp"
#include "providers/translate/messages.hpp"
#include "providers/translate/request_params.hpp"

namespace litellm::providers::bedrock {

namespace {

using nlohmann::json;
namespace tr = translate;

Error bedrock_error(ErrorCode code, std::string message, std::string param = {}) {
  return Error{code, "BedrockException - " + std::move(message), std::move(param), "bedrock", 0,
               {}};
}

Result<json> blocks_of(const json& content) {
  json blocks = json::array();
  if (content.is_string()) {
    if (!content.get_ref<const std::string&>().empty()) {
      blocks.push_back({{"text", content}});
    }
    return blocks;
  }
  for (const auto& part : content.is_array() ? content : json::array()) {
    const std::string type = part.value("type", "");
    if (type == "text") {
      blocks.push_back({{"text", part.value("text", "")}});
    } else if (type == "image_url") {
      auto img = tr::image_of(part);
      if (!img) {
        return img.error();
      }
      if (!img->inline_data()) {
        return bedrock_error(ErrorCode::UnsupportedParam,
                             "bedrock takes images inline only: send them as base64 data: URLs",
                             "messages");
      }
      const auto slash = img->media_type.find('/');
      std::string format = slash == std::string::npos ? "png" : img->media_type.substr(slash + 1);
      if (format == "jpg") {
        format = "jpeg";
      }
      blocks.push_back({{"image", {{"format", format}, {"source", {{"bytes", img->base64}}}}}});
    }
  }
  return blocks;
}

void push(json& messages, const std::string& role, json blocks) {
  if (!messages.empty() && messages.back()["role"] == role) {
    for (auto& b : blocks) {
      messages.back()["content"].push_back(std::move(b));
    }
    return;
  }
  messages.push_back({{"role", role}, {"content", std::move(blocks)}});
}

struct Converted {
  json system = json::array();
  json messages = json::array();
};

Result<Converted> convert(const json& in) {
  Converted out;
  for (const auto& m : in) {
    const std::string role = m.value("role", "user");
    const json content = m.value("content", json());
    if (role == "system" || role == "developer") {
      const auto text = tr::text_of(content);
      if (!text.empty()) {
        out.system.push_back({{"text", text}});
      }
      continue;
    }
    if (role == "tool") {
      const auto text = tr::text_of(content);
      const json parsed = json::parse(text, nullptr, false);
      json item = !parsed.is_discarded() && parsed.is_object() ? json{{"json", parsed}}
                                                               : json{{"text", text}};
      push(out.messages, "user",
           json::array({{{"toolResult",
                          {{"toolUseId", m.value("tool_call_id", "")},
                           {"content", json::array({std::move(item)})},
                           {"status", "success"}}}}}));
      continue;
    }
    auto blocks = blocks_of(content);
    if (!blocks) {
      return blocks.error();
    }
    for (const auto& call : m.value("tool_calls", json::array())) {
      const auto fn = call.value("function", json::object());
      blocks->push_back({{"toolUse",
                          {{"toolUseId", call.value("id", "")},
                           {"name", fn.value("name", "")},
                           {"input", tr::arguments_object(fn.value("arguments", json()))}}}});
    }
    push(out.messages, role == "assistant" ? "assistant" : "user", std::move(*blocks));
  }
  return out;
}

std::string param(const Target& t, std::string_view key) {
  const auto it = t.default_params.find(std::string(key));
  return it != t.default_params.end() && it->is_string() ? it->get<std::string>() : std::string();
}

// Path segments are sent percent-encoded: model ids hold ':' and ARNs hold '/'.
std::string encode_model(std::string_view id) {
  return core::percent_encode(id);
}

// URL, headers and signature for `body` sent to /model/<id>/<action>.
Result<core::UpstreamRequest> signed_request(const Target& target, const std::string& region,
                                             std::string model, const std::string& action,
                                             const json& body, core::Framing stream_framing) {
  if (model.rfind("converse/", 0) == 0) {
    model = model.substr(9);  // LiteLLM's bedrock/converse/<id> spelling
  }
  const std::string base =
      tr::base_url(target, "https://bedrock-runtime." + region + ".amazonaws.com");
  auto up = tr::json_request(base + "/model/" + encode_model(model) + "/" + action, body, target,
                             stream_framing);
  if (!target.api_key.empty()) {
    up.headers.emplace_back("Authorization", "Bearer " + target.api_key.reveal());  // API key
  } else {
    AwsCredentials creds{param(target, kAccessKeyParam),
                         core::Secret(param(target, kSecretKeyParam)),
                         param(target, kSessionTokenParam)};
    if (region.empty()) {
      return bedrock_error(ErrorCode::InvalidRequest,
                           "no AWS region to sign for: set aws_region_name or AWS_REGION",
                           "aws_region_name");
    }
    if (creds.access_key_id.empty() || creds.secret_access_key.empty()) {
      return bedrock_error(ErrorCode::Authentication,
                           "no AWS credentials: set aws_access_key_id and aws_secret_access_key "
                           "in litellm_params, or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY");
    }
    SigningRequest s{
        "POST", up.url, up.headers, up.body, region, "bedrock", std::chrono::system_clock::now(),
        false};
    for (auto& h : sign_v4(s, creds).add) {
      up.headers.push_back(std::move(h));
    }
  }
  return up;
}

// Titan takes one text per call; Cohere on Bedrock takes a list.
Result<core::UpstreamRequest> embedding_request(const LlmRequest& req, const Target& target,
                                                const std::string& region) {
  const json body = tr::effective_body(req, target);
  const json input = body.value("input", json());
  json texts = input.is_string() ? json::array({input}) : input;
  if (!texts.is_array() || texts.empty() ||
      !std::all_of(texts.begin(), texts.end(), [](const json& t) { return t.is_string(); })) {
    return bedrock_error(ErrorCode::InvalidRequest, "input must be a string or a list of strings",
                         "input");
  }
  json out;
  if (target.model.find("cohere.embed") != std::string::npos) {
    out = {{"texts", texts}, {"input_type", body.value("input_type", "search_document")}};
  } else if (target.model.find("titan-embed") != std::string::npos) {
    if (texts.size() != 1) {
      return bedrock_error(ErrorCode::UnsupportedParam,
                           "Titan embeds one text per request: send one input, or use a "
                           "cohere.embed-* model for lists",
                           "input");
    }
    out = {{"inputText", texts[0]}};
    if (body.contains("dimensions")) {
      out["dimensions"] = body["dimensions"];
    }
  } else {
    return bedrock_error(ErrorCode::Unsupported,
                         "bedrock embeddings are served for amazon.titan-embed-* and "
                         "cohere.embed-* models, not " +
                             target.model);
  }
  return signed_request(target, region, target.model, "invoke", out, core::Framing::None);
}

}  // namespace

Result<core::UpstreamRequest> BedrockAdapter::build(const LlmRequest& req,
                                                    const Target& target) const {
  if (req.kind == CallKind::Completion) {
    return bedrock_error(ErrorCode::Unsupported,
                         "bedrock serves chat (Converse) and embeddings, not text completions");
  }
  const std::string region = param(target, kRegionParam);
  if (region.empty() && target.api_base.empty()) {
    return bedrock_error(ErrorCode::InvalidRequest,
                         "no AWS region: set aws_region_name in litellm_params or AWS_REGION",
                         "aws_region_name");
  }
  if (req.kind == CallKind::Embedding) {
    return embedding_request(req, target, region);
  }
  json body = tr::effective_body(req, target);
  if (auto ok = tr::check_supported(
          body,
          {"temperature", "top_p", "stop", "max_tokens", "max_completion_tokens", "tools",
           "tool_choice", "user", "reasoning_effort"},
          "bedrock", target.model, target.drop_params);
      !ok) {
    return ok.error();
  }
  auto converted = convert(body.value("messages", json::array()));
  if (!converted) {
    return converted.error();
  }
  json out = {{"messages", std::move(converted->messages)}};
  if (!converted->system.empty()) {
    out["system"] = std::move(converted->system);
  }
  json inference = json::object();
  if (auto max = tr::max_tokens_of(body); !max.is_null()) {
    inference["maxTokens"] = std::move(max);
  }
  if (body.contains("temperature") && !body["temperature"].is_null()) {
    inference["temperature"] = body["temperature"];
  }
  if (body.contains("top_p") && !body["top_p"].is_null()) {
    inference["topP"] = body["top_p"];
  }
  if (auto stop = tr::stop_list(body); !stop.is_null()) {
    inference["stopSequences"] = std::move(stop);
  }
  if (!inference.empty()) {
    out["inferenceConfig"] = std::move(inference);
  }
  json extra = json::object();
  if (body.contains("top_k")) {
    extra["top_k"] = body["top_k"];
  }
  if (body.contains("thinking")) {
    extra["thinking"] = body["thinking"];
  }
  if (!extra.empty()) {
    out["additionalModelRequestFields"] = std::move(extra);
  }
  const json choice = body.value("tool_choice", json());
  if (const auto tools = body.value("tools", json());
      tools.is_array() && !tools.empty() && choice != "none") {
    json specs = json::array();
    for (const auto& t : tools) {
      const auto fn = t.value("function", json::object());
      json spec = {{"name", fn.value("name", "")},
                   {"inputSchema", {{"json", fn.value("parameters", json{{"type", "object"}})}}}};
      if (fn.contains("description")) {
        spec["description"] = fn["description"];
      }
      specs.push_back({{"toolSpec", std::move(spec)}});
    }
    json cfg = {{"tools", std::move(specs)}};
    if (choice == "auto") {
      cfg["toolChoice"] = {{"auto", json::object()}};
    } else if (choice == "required") {
      cfg["toolChoice"] = {{"any", json::object()}};
    } else if (choice.is_object()) {
      cfg["toolChoice"] = {
          {"tool", {{"name", choice.value("function", json::object()).value("name", "")}}}};
    }
    out["toolConfig"] = std::move(cfg);
  }
  tr::apply_extra_body(out, req, target);

  return signed_request(target, region, target.model, req.stream ? "converse-stream" : "converse",
                        out, req.stream ? core::Framing::AwsEventStream : core::Framing::None);
}

}  // namespace litellm::providers::bedrock
