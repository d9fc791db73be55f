#include "providers/openai/answer_scan.hpp"

#include <simdjson.h>

namespace litellm::providers::openai {

namespace {

nlohmann::json to_json(simdjson::dom::element e) {
  switch (e.type()) {
    case simdjson::dom::element_type::OBJECT: {
      auto out = nlohmann::json::object();
      for (const auto field : simdjson::dom::object(e)) {
        out[std::string(field.key)] = to_json(field.value);
      }
      return out;
    }
    case simdjson::dom::element_type::ARRAY: {
      auto out = nlohmann::json::array();
      for (const auto item : simdjson::dom::array(e)) {
        out.push_back(to_json(item));
      }
      return out;
    }
    case simdjson::dom::element_type::INT64:
      return std::int64_t(e);
    case simdjson::dom::element_type::UINT64:
      return std::uint64_t(e);
    case simdjson::dom::element_type::DOUBLE:
      return double(e);
    case simdjson::dom::element_type::STRING:
      return std::string(std::string_view(e));
    case simdjson::dom::element_type::BOOL:
      return bool(e);
    case simdjson::dom::element_type::NULL_VALUE:
      return nullptr;
  }
  return nullptr;
}

}  // namespace

// A parser allocates its buffers for the largest document it has seen: one per thread is reused
// for the usual answer of a few KB (six allocations a call saved), a rare large one gets its own
// so a thread does not keep megabytes for good.
constexpr std::size_t kReusedParserMax = std::size_t{64} * 1024;

std::optional<nlohmann::json> scan_answer(std::string_view bytes, std::string_view must_have) {
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
  simdjson::dom::element usage;
  if (top.at_key("usage").get(usage) != simdjson::SUCCESS) {
    return nlohmann::json();
  }
  return to_json(usage);
}

}  // namespace litellm::providers::openai
