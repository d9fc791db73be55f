#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

namespace litellm {

// The canonical request and response values are OpenAI's wire format: the fields the gateway
// acts on are lifted out, the original JSON travels along untouched so nothing a client sent is
// lost on the way to an OpenAI-compatible upstream.

enum class CallKind {
  Chat,
  Completion,
  Embedding
};

// NOLINTNEXTLINE(bugprone-exception-escape): only allocation failure, in the json's moves
struct LlmRequest {
  CallKind kind = CallKind::Chat;
  std::string model;
  bool stream = false;
  bool include_usage = false;  // stream_options.include_usage
  nlohmann::json body;         // the request as sent, an object
};

struct Usage {
  std::int64_t prompt_tokens = 0;
  std::int64_t completion_tokens = 0;
  std::int64_t total_tokens = 0;
  std::int64_t cached_tokens = 0;          // prompt_tokens_details.cached_tokens (cache reads)
  std::int64_t cache_creation_tokens = 0;  // prompt tokens written to the provider's cache
};

// A chat.completion, text_completion or embedding list, as OpenAI shapes it.
struct LlmResponse {
  nlohmann::json body;
  // The upstream's own bytes when `body` is exactly them parsed (an OpenAI-shaped upstream):
  // the proxy sends them on as they came instead of serialising `body` again. Empty otherwise;
  // whoever changes `body` clears it.
  std::string raw{};
  // False when the adapter read only `usage` of a passed-through answer, into `usage` below, and
  // left `body` empty: a full parse of `raw` is left to whoever needs it (openai::complete_body).
  bool body_complete = true;
  // While `body` is not complete: the answer's usage (nullopt when it reported none). Read it
  // with openai::usage_of(response), which knows which of the two to look at.
  std::optional<Usage> usage{};
};

// One chat.completion.chunk (or text_completion chunk) of a stream.
struct LlmChunk {
  nlohmann::json body;
};

}  // namespace litellm
