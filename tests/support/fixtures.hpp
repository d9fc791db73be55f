#pragma once

#include <string>

#include <nlohmann/json.hpp>

namespace litellm::test {

// Reads shared/providers/<provider>/<name> in place; a missing fixture fails the test by throwing
// with its path.
std::string fixture(const std::string& provider, const std::string& name);
nlohmann::json fixture_json(const std::string& provider, const std::string& name);
// The `data:` payloads of an SSE fixture, in order, including "[DONE]".
std::vector<std::string> sse_data(const std::string& bytes);

}  // namespace litellm::test
