#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "core/http_message.hpp"

namespace litellm::http {

// One decoded application/vnd.amazon.eventstream frame.
struct EventStreamFrame {
  std::map<std::string, std::string> headers;  // string-valued headers (type 7); others skipped
  std::string payload;
};

// Decodes AWS event-stream frames from bytes that arrive in any pieces: prelude (total and
// headers length), prelude CRC32, headers, payload, message CRC32. A frame whose lengths or
// CRCs do not check out poisons the stream: feed() answers false from then on and error()
// says why — no byte of a corrupt frame is ever handed on.
class AwsEventStreamParser {
 public:
  bool feed(std::string_view bytes, std::vector<EventStreamFrame>& out);
  // The events for a StreamDecoder: event = `:event-type`, or "exception:<:exception-type>"
  // for exception frames; data = the payload.
  bool feed(std::string_view bytes, std::vector<core::StreamEvent>& out);
  // True when the body ended on a frame boundary.
  bool finish() const { return error_.empty() && buffer_.empty(); }
  const std::string& error() const { return error_; }

 private:
  std::string buffer_;
  std::string error_;
};

}  // namespace litellm::http
