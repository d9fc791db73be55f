#include "providers/translate/openai_shapes.hpp"

#include <chrono>
#include <cstdlib>
#include <ctime>

#include "core/ids.hpp"
#include "core/random.hpp"

namespace litellm::providers::translate {

using nlohmann::json;

std::string new_chat_id() {
  return "chatcmpl-" + core::new_uuid();
}

std::string new_tool_call_id() {
  return "call_" + core::random_alnum(24);
}

long long unix_now() {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

std::optional<long long> parse_rfc3339(std::string_view t) {
  // YYYY-MM-DDTHH:MM:SS[.fraction](Z|±HH:MM)
  if (t.size() < 20 || t[4] != '-' || t[7] != '-' || (t[10] != 'T' && t[10] != 't') ||
      t[13] != ':' || t[16] != ':') {
    return std::nullopt;
  }
  const auto num = [&](std::size_t pos, std::size_t len) {
    int v = 0;
    for (std::size_t i = pos; i < pos + len; ++i) {
      if (t[i] < '0' || t[i] > '9') {
        return -1;
      }
      v = v * 10 + (t[i] - '0');
    }
    return v;
  };
  std::tm tm{};
  tm.tm_year = num(0, 4) - 1900;
  tm.tm_mon = num(5, 2) - 1;
  tm.tm_mday = num(8, 2);
  tm.tm_hour = num(11, 2);
  tm.tm_min = num(14, 2);
  tm.tm_sec = num(17, 2);
  if (tm.tm_year < 0 || tm.tm_mon < 0 || tm.tm_mday < 0 || tm.tm_hour < 0 || tm.tm_min < 0 ||
      tm.tm_sec < 0) {
    return std::nullopt;
  }
  std::size_t i = 19;
  if (i < t.size() && t[i] == '.') {
    ++i;
    while (i < t.size() && t[i] >= '0' && t[i] <= '9') {
      ++i;
    }
  }
  long long offset = 0;
  if (i < t.size() && (t[i] == 'Z' || t[i] == 'z')) {
    ++i;
  } else if (i + 6 == t.size() && (t[i] == '+' || t[i] == '-') && t[i + 3] == ':') {
    const int h = num(i + 1, 2);
    const int m = num(i + 4, 2);
    if (h < 0 || m < 0) {
      return std::nullopt;
    }
    offset = (t[i] == '+' ? 1 : -1) * (h * 3600LL + m * 60LL);
    i += 6;
  } else {
    return std::nullopt;
  }
  if (i != t.size()) {
    return std::nullopt;
  }
  return static_cast<long long>(timegm(&tm)) - offset;
}

json usage_object(std::int64_t prompt, std::int64_t completion,
                  std::optional<std::int64_t> cached) {
  json u = {{"prompt_tokens", prompt},
            {"completion_tokens", completion},
            {"total_tokens", prompt + completion}};
  if (cached) {
    u["prompt_tokens_details"] = {{"cached_tokens", *cached}};
  }
  return u;
}

json chat_completion(const ChunkHead& head, json message, std::string_view finish_reason,
                     json usage) {
  if (!message.contains("refusal")) {
    message["refusal"] = nullptr;  // required by OpenAI's schema
  }
  if (message.contains("tool_calls") && message.value("content", json()) == "") {
    message["content"] = nullptr;  // as OpenAI answers a call with no text
  }
  return {{"id", head.id},
          {"object", "chat.completion"},
          {"created", head.created},
          {"model", head.model},
          {"choices", json::array({{{"index", 0},
                                    {"message", std::move(message)},
                                    {"logprobs", nullptr},
                                    {"finish_reason", finish_reason}}})},
          {"usage", std::move(usage)}};
}

json chat_chunk(const ChunkHead& head, json delta, std::optional<std::string_view> finish_reason) {
  return {
      {"id", head.id},
      {"object", "chat.completion.chunk"},
      {"created", head.created},
      {"model", head.model},
      {"choices",
       json::array({{{"index", 0},
                     {"delta", std::move(delta)},
                     {"logprobs", nullptr},
                     {"finish_reason", finish_reason ? json(*finish_reason) : json(nullptr)}}})}};
}

json usage_chunk(const ChunkHead& head, json usage) {
  return {{"id", head.id},       {"object", "chat.completion.chunk"}, {"created", head.created},
          {"model", head.model}, {"choices", json::array()},          {"usage", std::move(usage)}};
}

json text_completion(const ChunkHead& head, std::string text, std::string_view finish_reason,
                     json usage) {
  return {{"id", head.id},
          {"object", "text_completion"},
          {"created", head.created},
          {"model", head.model},
          {"choices", json::array({{{"index", 0},
                                    {"text", std::move(text)},
                                    {"logprobs", nullptr},
                                    {"finish_reason", finish_reason}}})},
          {"usage", std::move(usage)}};
}

json embedding_list(const std::string& model, const json& vectors, std::int64_t prompt_tokens) {
  json data = json::array();
  std::size_t i = 0;
  for (const auto& v : vectors) {
    data.push_back({{"object", "embedding"}, {"index", i++}, {"embedding", v}});
  }
  return {{"object", "list"},
          {"data", std::move(data)},
          {"model", model},
          {"usage", {{"prompt_tokens", prompt_tokens}, {"total_tokens", prompt_tokens}}}};
}

}  // namespace litellm::providers::translate
