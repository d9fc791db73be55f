#pragma once

#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "litellm/error.hpp"
#include "litellm/types.hpp"

namespace litellm::openai {

// Parses and validates a downstream OpenAI request body. Errors: InvalidRequest with `param`
// naming the field (malformed JSON, missing model/messages/prompt/input, wrong types).
// `model_override` (from /engines/{model}/... paths) replaces the body's model when non-empty.
Result<LlmRequest> parse_request(CallKind kind, std::string_view body,
                                 std::string_view model_override = {});

// The OpenAI path of a call kind: "/chat/completions", "/completions", "/embeddings".
std::string_view endpoint_path(CallKind kind);

// One SSE event carrying `chunk`: "data: <json>\n\n".
std::string sse_event(const nlohmann::json& chunk);
inline constexpr std::string_view kSseDone = "data: [DONE]\n\n";

// Token counts from an OpenAI `usage` object; zeros when absent.
Usage usage_of(const nlohmann::json& body);
// A response's: from `usage` while its body is not complete, from the body once it is.
Usage usage_of(const LlmResponse& response);
// The whole answer: `response.body`, parsed from `raw` first when the adapter kept only a part.
const nlohmann::json& complete_body(LlmResponse& response);

}  // namespace litellm::openai
