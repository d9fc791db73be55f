#pragma once

#include <chrono>
#include <string>
#include <utility>
#include <vector>

namespace litellm::core {

// Values that lib/http and lib/providers share so that neither knows the other.

using Headers = std::vector<std::pair<std::string, std::string>>;

enum class Framing {
  None,
  Sse,
  Ndjson,
  AwsEventStream
};

struct UpstreamRequest {
  std::string method = "POST";
  std::string url;
  Headers headers;
  std::string body;
  Framing framing = Framing::None;
  std::chrono::milliseconds timeout{600'000};
  std::chrono::milliseconds connect_timeout{10'000};
};

struct UpstreamResponse {
  int status = 0;
  Headers headers;
  std::string body;

  // Case-insensitive lookup; empty when absent.
  std::string header(std::string_view name) const;
};

// One framed event off an upstream stream: SSE `event:` + `data:`, or one NDJSON line.
struct StreamEvent {
  std::string event;
  std::string data;
};

bool iequals(std::string_view a, std::string_view b);
// A CR or LF: in a header name or value it would end the line, or the head, early.
bool has_line_break(std::string_view s);

}  // namespace litellm::core
