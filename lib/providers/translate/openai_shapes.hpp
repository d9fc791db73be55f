#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

namespace litellm::providers::translate {

// Building OpenAI responses out of another provider's answer: the pieces every adapter needs.

std::string new_chat_id();       // "chatcmpl-<uuid>"
std::string new_tool_call_id();  // "call_<24 alphanumerics>"
long long unix_now();
// Seconds since the epoch of an RFC 3339 time ("2023-08-04T08:52:19.385406455-07:00");
// nullopt when it does not parse.
std::optional<long long> parse_rfc3339(std::string_view text);

// An OpenAI usage object; prompt_tokens_details only when the provider reported cache reads.
nlohmann::json usage_object(std::int64_t prompt, std::int64_t completion,
                            std::optional<std::int64_t> cached = std::nullopt);

// The envelope of one streamed answer: every chunk carries the same id, created and model.
struct ChunkHead {
  std::string id;
  long long created = 0;
  std::string model;
};

nlohmann::json chat_completion(const ChunkHead& head, nlohmann::json message,
                               std::string_view finish_reason, nlohmann::json usage);
nlohmann::json chat_chunk(const ChunkHead& head, nlohmann::json delta,
                          std::optional<std::string_view> finish_reason = std::nullopt);
// The extra last chunk of stream_options.include_usage: no choices, only usage.
nlohmann::json usage_chunk(const ChunkHead& head, nlohmann::json usage);

nlohmann::json text_completion(const ChunkHead& head, std::string text,
                               std::string_view finish_reason, nlohmann::json usage);
nlohmann::json embedding_list(const std::string& model, const nlohmann::json& vectors,
                              std::int64_t prompt_tokens);

}  // namespace litellm::providers::translate
