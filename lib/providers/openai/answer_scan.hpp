#pragma once

#include <optional>
#include <string_view>

#include <nlohmann/json.hpp>

namespace litellm::providers::openai {

// Checks that `bytes` is one well-formed JSON object with a member named `must_have`, and
// returns its `usage` member (null when it has none); nullopt when the check fails. For answers
// passed through as they came: validating with simdjson and converting only `usage` costs under
// a microsecond for a typical chat answer, where a full nlohmann DOM took about eight.
std::optional<nlohmann::json> scan_answer(std::string_view bytes, std::string_view must_have);

}  // namespace litellm::providers::openai
