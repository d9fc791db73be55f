#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/http_message.hpp"

namespace litellm::http {

// Incremental Server-Sent Events parser (WHATWG rules: LF, CRLF or CR line ends; `data:` lines
// joined with '\n'; comments and unknown fields ignored). Bytes may be cut anywhere.
// One instance per stream; one thread at a time.
class SseParser {
 public:
  // Appends every event completed by `bytes` to `out`.
  void feed(std::string_view bytes, std::vector<core::StreamEvent>& out);
  // Upstream ended: emits a last event that had data but no blank line after it.
  void finish(std::vector<core::StreamEvent>& out);

 private:
  void line(std::string_view text, std::vector<core::StreamEvent>& out);
  void dispatch(std::vector<core::StreamEvent>& out);

  std::string partial_;
  std::string event_;
  std::string data_;
  bool has_data_ = false;
  bool after_cr_ = false;
};

// The same contract for newline-delimited JSON: one event per non-empty line.
class NdjsonParser {
 public:
  void feed(std::string_view bytes, std::vector<core::StreamEvent>& out);
  void finish(std::vector<core::StreamEvent>& out);

 private:
  std::string partial_;
};

}  // namespace litellm::http
