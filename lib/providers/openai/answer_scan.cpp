#include "providers/openai/answer_scan.hpp"

#include <simdjson.h>

namespace litellm::providers::openai {

namespace {

// An integer member, or 0: what openai::usage_of(json) takes from a nlohmann object.
std::int64_t integer_of(simdjson::dom::object o, std::string_view key) {
  simdjson::dom::element v;
  if (o.at_key(key).get(v) != simdjson::SUCCESS) {
    return 0;
  }
  std::int64_t i = 0;
  if (v.type() == simdjson::dom::element_type::INT64 && v.get(i) == simdjson::SUCCESS) {
    return i;
  }
  std::uint64_t u = 0;
  if (v.type() == simdjson::dom::element_type::UINT64 && v.get(u) == simdjson::SUCCESS) {
    return static_cast<std::int64_t>(u);
  }
  return 0;
}

Usage usage_of(simdjson::dom::object u) {
  Usage out;
  out.prompt_tokens = integer_of(u, "prompt_tokens");
  out.completion_tokens = integer_of(u, "completion_tokens");
  out.total_tokens = integer_of(u, "total_tokens");
  if (out.total_tokens == 0) {
    out.total_tokens = out.prompt_tokens + out.completion_tokens;
  }
  out.cache_creation_tokens = integer_of(u, "cache_creation_input_tokens");
  simdjson::dom::object details;
  if (u.at_key("prompt_tokens_details").get(details) == simdjson::SUCCESS) {
    out.cached_tokens = integer_of(details, "cached_tokens");
  }
  return out;
}

}  // namespace

// A parser allocates its buffers for the largest document it has seen: one per thread is reused
// for the usual answer of a few KB (six allocations a call saved), a rare large one gets its own
// so a thread does not keep megabytes for good.
constexpr std::size_t kReusedParserMax = std::size_t{64} * 1024;

std::optional<ScannedAnswer> scan_answer(std::string_view bytes, std::string_view must_have) {
  thread_local simdjson::dom::parser reused;
  std::optional<simdjson::dom::parser> own;
  simdjson::dom::parser& parser = bytes.size() <= kReusedParserMax ? reused : own.emplace();
  simdjson::dom::element doc;
  // parse() copies the bytes into its own padded buffer (simdjson reads past the end).
  if (parser.parse(bytes.data(), bytes.size()).get(doc) != simdjson::SUCCESS) {
    return std::nullopt;
  }
  simdjson::dom::object top;
  if (doc.get(top) != simdjson::SUCCESS) {
    return std::nullopt;
  }
  simdjson::dom::element found;
  if (top.at_key(must_have).get(found) != simdjson::SUCCESS) {
    return std::nullopt;
  }
  ScannedAnswer out;
  simdjson::dom::object usage;
  if (top.at_key("usage").get(usage) == simdjson::SUCCESS) {
    out.usage = usage_of(usage);
  }
  return out;
}

}  // namespace litellm::providers::openai
