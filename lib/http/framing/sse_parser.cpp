#include "http/framing/sse_parser.hpp"

namespace litellm::http {

void SseParser::feed(std::string_view bytes, std::vector<core::StreamEvent>& out) {
  std::size_t start = 0;
  for (std::size_t i = 0; i < bytes.size(); ++i) {
    const char c = bytes[i];
    if (after_cr_) {
      after_cr_ = false;
      if (c == '\n') {  // the LF of a CRLF cut across two reads
        start = i + 1;
        continue;
      }
    }
    if (c != '\n' && c != '\r') {
      continue;
    }
    if (partial_.empty()) {
      line(bytes.substr(start, i - start), out);
    } else {
      partial_.append(bytes.substr(start, i - start));
      line(partial_, out);
      partial_.clear();
    }
    if (c == '\r') {
      if (i + 1 < bytes.size()) {
        if (bytes[i + 1] == '\n') {
          ++i;
        }
      } else {
        after_cr_ = true;
      }
    }
    start = i + 1;
  }
  partial_.append(bytes.substr(start));
}

void SseParser::line(std::string_view text, std::vector<core::StreamEvent>& out) {
  if (text.empty()) {
    dispatch(out);
    return;
  }
  if (text.front() == ':') {
    return;
  }
  const auto colon = text.find(':');
  std::string_view field = text.substr(0, colon);
  std::string_view value;
  if (colon != std::string_view::npos) {
    value = text.substr(colon + 1);
    if (!value.empty() && value.front() == ' ') {
      value.remove_prefix(1);
    }
  }
  if (field == "data") {
    if (has_data_) {
      data_.push_back('\n');
    }
    data_.append(value);
    has_data_ = true;
  } else if (field == "event") {
    event_.assign(value);
  }
}

void SseParser::dispatch(std::vector<core::StreamEvent>& out) {
  if (has_data_) {
    out.push_back(core::StreamEvent{std::move(event_), std::move(data_)});
  }
  event_.clear();
  data_.clear();
  has_data_ = false;
}

void SseParser::finish(std::vector<core::StreamEvent>& out) {
  if (!partial_.empty()) {
    std::string rest = std::move(partial_);
    partial_.clear();
    line(rest, out);
  }
  dispatch(out);
}

void NdjsonParser::feed(std::string_view bytes, std::vector<core::StreamEvent>& out) {
  std::size_t start = 0;
  for (std::size_t i = 0; i < bytes.size(); ++i) {
    if (bytes[i] != '\n') {
      continue;
    }
    partial_.append(bytes.substr(start, i - start));
    if (!partial_.empty() && partial_.back() == '\r') {
      partial_.pop_back();
    }
    if (!partial_.empty()) {
      out.push_back(core::StreamEvent{{}, std::move(partial_)});
    }
    partial_.clear();
    start = i + 1;
  }
  partial_.append(bytes.substr(start));
}

void NdjsonParser::finish(std::vector<core::StreamEvent>& out) {
  if (!partial_.empty()) {
    out.push_back(core::StreamEvent{{}, std::move(partial_)});
    partial_.clear();
  }
}

}  // namespace litellm::http
