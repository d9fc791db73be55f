#include "providers/translate/request_params.hpp"

#include <algorithm>
#include <array>
#include <vector>

namespace litellm::providers::translate {

namespace {

using nlohmann::json;

// Body fields the proxy consumes; sending them on would confuse or be refused by the upstream.
constexpr std::array<std::string_view, 31> kProxyOnlyFields = {
    "metadata",
    "tags",
    "cache",
    "fallbacks",
    "context_window_fallbacks",
    "content_policy_fallbacks",
    "num_retries",
    "timeout",
    "stream_timeout",
    "mock_response",
    "mock_testing_fallbacks",
    "mock_testing_context_fallbacks",
    "mock_testing_content_policy_fallbacks",
    "mock_testing_rate_limit_error",
    "disable_fallbacks",
    "guardrails",
    "api_key",
    "api_base",
    "base_url",
    "drop_params",
    "additional_drop_params",
    "extra_body",
    "extra_headers",
    "model_info",
    "litellm_metadata",
    "api_version",
    "aws_access_key_id",
    "aws_secret_access_key",
    "aws_session_token",
    "aws_region_name",
    "azure_ad_token"};

// OpenAI's chat/completions parameters a provider may or may not take.
constexpr std::array<std::string_view, 26> kOpenAIParams = {"temperature",
                                                            "top_p",
                                                            "n",
                                                            "stop",
                                                            "max_tokens",
                                                            "max_completion_tokens",
                                                            "presence_penalty",
                                                            "frequency_penalty",
                                                            "logit_bias",
                                                            "logprobs",
                                                            "top_logprobs",
                                                            "user",
                                                            "seed",
                                                            "tools",
                                                            "tool_choice",
                                                            "parallel_tool_calls",
                                                            "functions",
                                                            "function_call",
                                                            "response_format",
                                                            "modalities",
                                                            "audio",
                                                            "prediction",
                                                            "service_tier",
                                                            "store",
                                                            "reasoning_effort",
                                                            "web_search_options"};

}  // namespace

namespace {

// The names additional_drop_params lists, in the deployment's defaults and in the request.
std::vector<std::string_view> dropped_names(const LlmRequest& req, const Target& target) {
  std::vector<std::string_view> drop;
  for (const json* src : {&target.default_params, &req.body}) {
    if (const auto it = src->find("additional_drop_params"); it != src->end() && it->is_array()) {
      for (const auto& name : *it) {
        if (name.is_string()) {
          drop.push_back(name.get_ref<const std::string&>());
        }
      }
    }
  }
  return drop;
}

bool kept(std::string_view key, const std::vector<std::string_view>& drop) {
  return std::find(kProxyOnlyFields.begin(), kProxyOnlyFields.end(), key) ==
             kProxyOnlyFields.end() &&
         std::find(drop.begin(), drop.end(), key) == drop.end();
}

bool has_extra_body(const LlmRequest& req, const Target& target) {
  return target.default_params.contains("extra_body") || req.body.contains("extra_body");
}

// Quotes, backslashes and control characters need escaping; bytes past ASCII may not be UTF-8
// (a model name comes from the config, not the JSON parser), which the serializer replaces as
// dump() does. Everything else is copied as it is.
bool needs_serializer(std::string_view s) {
  return std::any_of(s.begin(), s.end(), [](char c) {
    const auto u = static_cast<unsigned char>(c);
    return c == '"' || c == '\\' || u < 0x20 || u >= 0x80;
  });
}

// An object's members appended to one string through one serializer: json::dump() makes an
// output adapter, a 512-byte indent buffer and a result string for each value it writes.
// (nlohmann keeps its serializer in `detail`; dump() itself is this same call.)
class MemberWriter {
 public:
  explicit MemberWriter(std::string& out)
      : out_(out),
        serializer_(nlohmann::detail::output_adapter<char, std::string>(out), ' ',
                    json::error_handler_t::replace) {}

  void member(std::string_view key, const json& value) {
    name(key);
    serializer_.dump(value, false, false, 0);
  }
  void text_member(std::string_view key, std::string_view text) {
    name(key);
    quoted(text);
  }

 private:
  void name(std::string_view key) {
    if (out_.size() > 1) {
      out_.push_back(',');  // after "{" and a member
    }
    quoted(key);
    out_.push_back(':');
  }
  void quoted(std::string_view s) {
    if (needs_serializer(s)) {
      serializer_.dump(json(s), false, false, 0);
    } else {
      out_.append("\"").append(s).append("\"");
    }
  }

  std::string& out_;
  nlohmann::detail::serializer<json> serializer_;
};

}  // namespace

json effective_body(const LlmRequest& req, const Target& target) {
  const auto drop = dropped_names(req, target);
  // One pass over each object: the request's fields override the deployment's defaults, and
  // what the proxy consumes or the caller drops is never copied (this runs on every attempt).
  json body = json::object();
  for (const json* src : {&target.default_params, &req.body}) {
    for (const auto& [k, v] : src->items()) {
      if (kept(k, drop)) {
        body[k] = v;
      }
    }
  }
  return body;
}

std::optional<std::string> effective_body_json(const LlmRequest& req, const Target& target) {
  if (has_extra_body(req, target) || !req.body.is_object()) {
    return std::nullopt;
  }
  const auto drop = dropped_names(req, target);
  std::string out = "{";
  out.reserve(req.body.size() * 64 + 256);
  {
    MemberWriter writer(out);
    writer.text_member("model", target.model);
    for (const auto& [k, v] : target.default_params.items()) {
      if (k != "model" && kept(k, drop) && !req.body.contains(k)) {
        writer.member(k, v);
      }
    }
    for (const auto& [k, v] : req.body.items()) {
      if (k != "model" && kept(k, drop)) {
        writer.member(k, v);
      }
    }
  }
  out.push_back('}');
  return out;
}

void apply_extra_body(json& provider_body, const LlmRequest& req, const Target& target) {
  for (const json* src : {&target.default_params, &req.body}) {
    if (const auto it = src->find("extra_body"); it != src->end() && it->is_object()) {
      for (const auto& [k, v] : it->items()) {
        provider_body[k] = v;
      }
    }
  }
}

Result<void> check_supported(json& body, std::initializer_list<std::string_view> supported,
                             std::string_view provider, const std::string& model,
                             bool drop_params) {
  std::vector<std::string> unsupported;
  for (const auto p : kOpenAIParams) {
    const auto it = body.find(std::string(p));
    if (it == body.end() || it->is_null()) {
      continue;
    }
    if (std::find(supported.begin(), supported.end(), p) == supported.end()) {
      unsupported.emplace_back(p);
    }
  }
  if (unsupported.empty()) {
    return {};
  }
  if (drop_params) {
    for (const auto& p : unsupported) {
      body.erase(p);
    }
    return {};
  }
  std::string list;
  for (const auto& p : unsupported) {
    list += (list.empty() ? "'" : ", '") + p + "'";
  }
  Error e{ErrorCode::UnsupportedParam,
          std::string(provider) + " does not support parameters: [" + list +
              "], for model=" + model +
              ". To drop these, set `litellm.drop_params=True` or for proxy:\n\n"
              "`litellm_settings:\n drop_params: true`\n",
          unsupported.front(),
          std::string(provider),
          0,
          {}};
  return e;
}

void add_extra_headers(core::Headers& headers, const Target& target) {
  for (const auto& [k, v] : target.extra_headers.items()) {
    if (v.is_string()) {
      headers.emplace_back(k, v.get<std::string>());
    }
  }
}

}  // namespace litellm::providers::translate

namespace litellm::providers::translate {

void copy_renamed(const nlohmann::json& body, nlohmann::json& out,
                  std::initializer_list<std::pair<const char*, const char*>> renames) {
  for (const auto& [from, to] : renames) {
    if (const auto it = body.find(from); it != body.end() && !it->is_null()) {
      out[to] = *it;
    }
  }
}

nlohmann::json max_tokens_of(const nlohmann::json& body) {
  for (const char* key : {"max_completion_tokens", "max_tokens"}) {
    if (const auto it = body.find(key); it != body.end() && it->is_number_integer()) {
      return *it;
    }
  }
  return nullptr;
}

nlohmann::json stop_list(const nlohmann::json& body) {
  const auto it = body.find("stop");
  if (it == body.end() || it->is_null()) {
    return nullptr;
  }
  return it->is_string() ? nlohmann::json::array({*it}) : *it;
}

nlohmann::json tools_of(const nlohmann::json& body) {
  if (const auto it = body.find("tools"); it != body.end() && it->is_array()) {
    return *it;
  }
  if (const auto it = body.find("functions"); it != body.end() && it->is_array()) {
    nlohmann::json tools = nlohmann::json::array();
    for (const auto& f : *it) {
      tools.push_back({{"type", "function"}, {"function", f}});
    }
    return tools;
  }
  return nullptr;
}

std::string base_url(const Target& target, std::string_view fallback) {
  std::string base = target.api_base.empty() ? std::string(fallback) : target.api_base;
  while (!base.empty() && base.back() == '/') {
    base.pop_back();
  }
  return base;
}

}  // namespace litellm::providers::translate

namespace litellm::providers::translate {

core::UpstreamRequest json_request(std::string url, const nlohmann::json& body,
                                   const Target& target, core::Framing stream_framing) {
  return json_request(std::move(url),
                      body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace), target,
                      stream_framing);
}

core::UpstreamRequest json_request(std::string url, std::string body, const Target& target,
                                   core::Framing stream_framing) {
  core::UpstreamRequest up;
  up.url = std::move(url);
  up.body = std::move(body);
  up.headers.emplace_back("Content-Type", "application/json");
  add_extra_headers(up.headers, target);
  up.framing = stream_framing;
  switch (stream_framing) {
    case core::Framing::Sse:
      up.headers.emplace_back("Accept", "text/event-stream");
      break;
    case core::Framing::Ndjson:
      up.headers.emplace_back("Accept", "application/x-ndjson");
      break;
    case core::Framing::AwsEventStream:
      up.headers.emplace_back("Accept", "application/vnd.amazon.eventstream");
      break;
    case core::Framing::None:
      break;
  }
  up.timeout = target.timeout;
  return up;
}

}  // namespace litellm::providers::translate
