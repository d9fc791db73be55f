#pragma once

// Drives one ProviderAdapter the way the executor does, from fixtures alone.

#include <string>
#include <vector>

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include "http/framing/sse_parser.hpp"
#include "openai/codec.hpp"
#include "providers/registry.hpp"
#include "support/openapi_validator.hpp"

namespace litellm::test {

inline const providers::ProviderAdapter& adapter(std::string_view prefix) {
  static const providers::Registry registry;
  const auto* a = registry.find(prefix);
  REQUIRE_MESSAGE(a != nullptr, prefix);
  return *a;
}

inline LlmRequest openai_request(CallKind kind, const nlohmann::json& body) {
  auto req = openai::parse_request(kind, body.dump());
  REQUIRE_MESSAGE(req.has_value(), (req ? "" : req.error().message));
  return *req;
}

// The events of a stream's bytes as the executor frames them, fed in pieces cut at `cut`
// (0: in one piece).
inline std::vector<core::StreamEvent> frame(core::Framing framing, const std::string& bytes,
                                            std::size_t cut = 0) {
  std::vector<core::StreamEvent> events;
  http::SseParser sse;
  http::NdjsonParser ndjson;
  const auto feed = [&](std::string_view piece) {
    framing == core::Framing::Ndjson ? ndjson.feed(piece, events) : sse.feed(piece, events);
  };
  if (cut == 0 || cut >= bytes.size()) {
    feed(bytes);
  } else {
    feed(std::string_view(bytes).substr(0, cut));
    feed(std::string_view(bytes).substr(cut));
  }
  framing == core::Framing::Ndjson ? ndjson.finish(events) : sse.finish(events);
  return events;
}

struct Decoded {
  std::vector<nlohmann::json> chunks;
  std::optional<Error> error;
  bool saw_end = false;
};

inline Decoded decode(const providers::ProviderAdapter& a, const LlmRequest& req,
                      const std::vector<core::StreamEvent>& events) {
  Decoded out;
  auto decoder = a.new_stream(req);
  std::vector<LlmChunk> chunks;
  for (const auto& e : events) {
    if (auto r = decoder->on_event(e, chunks); !r) {
      out.error = r.error();
      break;
    }
  }
  if (!out.error) {
    if (auto r = decoder->finish(chunks); !r) {
      out.error = r.error();
    }
  }
  out.saw_end = decoder->saw_end();
  for (auto& c : chunks) {
    out.chunks.push_back(std::move(c.body));
  }
  return out;
}

// The text a stream's chunks add up to, and the last finish_reason seen.
inline std::string streamed_text(const Decoded& d, const char* field = "content") {
  std::string text;
  for (const auto& c : d.chunks) {
    for (const auto& choice : c.value("choices", nlohmann::json::array())) {
      if (choice.contains("delta") && choice["delta"].contains(field)) {
        text += choice["delta"][field].get<std::string>();
      }
      if (choice.contains("text")) {
        text += choice["text"].get<std::string>();
      }
    }
  }
  return text;
}

inline std::string finish_reason(const Decoded& d) {
  std::string reason;
  for (const auto& c : d.chunks) {
    for (const auto& choice : c.value("choices", nlohmann::json::array())) {
      if (choice.contains("finish_reason") && choice["finish_reason"].is_string()) {
        reason = choice["finish_reason"];
      }
    }
  }
  return reason;
}

inline void check_spec(const std::string& schema, const nlohmann::json& value) {
  const auto errors = OpenApiValidator::instance().validate(schema, value);
  std::string all;
  for (const auto& e : errors) {
    all += e + "\n";
  }
  CHECK_MESSAGE(errors.empty(), schema << ": " << all << value.dump());
}

}  // namespace litellm::test
