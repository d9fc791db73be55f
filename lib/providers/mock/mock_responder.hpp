#pragma once

#include <optional>
#include <string>
#include <vector>

#include "litellm/error.hpp"
#include "litellm/types.hpp"

namespace litellm::providers::mock {

// Answers deterministically without a network: the `mock/` provider and LiteLLM's
// `mock_response`. `mock/echo` repeats the last user message; a mock_response naming a LiteLLM
// exception (`litellm.RateLimitError`, ...) fails with that error. Pure functions.
struct MockSpec {
  std::string model;                         // provider model name, e.g. "echo"
  std::optional<std::string> mock_response;  // fixed text, or an exception name
  std::string id;                            // response id, e.g. "chatcmpl-<call id>"
  long long created = 0;                     // unix seconds
};

Result<LlmResponse> respond(const LlmRequest& req, const MockSpec& spec);
// The same answer as a stream of chunks (content split at word boundaries).
Result<std::vector<LlmChunk>> respond_stream(const LlmRequest& req, const MockSpec& spec);

}  // namespace litellm::providers::mock
