#include "http/framing/aws_eventstream.hpp"

#include <zlib.h>

#include <cstdint>

namespace litellm::http {

namespace {

// A frame is at least the 12-byte prelude and the 4-byte message CRC; AWS caps frames at 16 MB.
constexpr std::size_t kMinFrame = 16;
constexpr std::size_t kMaxFrame = std::size_t{16} * 1024 * 1024;

std::uint32_t be32(const char* p) {
  const auto* u = reinterpret_cast<const unsigned char*>(p);
  return (std::uint32_t{u[0]} << 24U) | (std::uint32_t{u[1]} << 16U) | (std::uint32_t{u[2]} << 8U) |
         std::uint32_t{u[3]};
}

std::uint32_t crc(const char* p, std::size_t n) {
  return static_cast<std::uint32_t>(
      crc32(0L, reinterpret_cast<const Bytef*>(p), static_cast<uInt>(n)));
}

// Header value lengths by type (bool true/false carry none; strings and bytes say theirs).
bool skip_value(unsigned char type, std::string_view h, std::size_t& i, std::string* text) {
  static constexpr std::size_t kFixed[] = {0, 0, 1, 2, 4, 8, 0, 0, 8, 16};
  if (type > 9) {
    return false;
  }
  if (type == 6 || type == 7) {  // bytes, string: u16 length then the value
    if (i + 2 > h.size()) {
      return false;
    }
    const std::size_t len = (std::size_t{static_cast<unsigned char>(h[i])} << 8U) |
                            static_cast<unsigned char>(h[i + 1]);
    i += 2;
    if (i + len > h.size()) {
      return false;
    }
    if (text != nullptr) {
      *text = std::string(h.substr(i, len));
    }
    i += len;
    return true;
  }
  if (i + kFixed[type] > h.size()) {
    return false;
  }
  i += kFixed[type];
  return true;
}

}  // namespace

bool AwsEventStreamParser::feed(std::string_view bytes, std::vector<EventStreamFrame>& out) {
  if (!error_.empty()) {
    return false;
  }
  buffer_.append(bytes);
  std::size_t pos = 0;
  while (buffer_.size() - pos >= 12) {
    const char* frame = buffer_.data() + pos;
    const std::uint32_t total = be32(frame);
    const std::uint32_t headers_len = be32(frame + 4);
    if (total < kMinFrame || total > kMaxFrame || headers_len > total - kMinFrame) {
      error_ = "malformed event-stream frame: total length " + std::to_string(total) +
               ", headers length " + std::to_string(headers_len);
      break;
    }
    if (crc(frame, 8) != be32(frame + 8)) {
      error_ = "event-stream prelude CRC mismatch";
      break;
    }
    if (buffer_.size() - pos < total) {
      break;  // the rest of this frame has not arrived yet
    }
    if (crc(frame, total - 4) != be32(frame + total - 4)) {
      error_ = "event-stream message CRC mismatch";
      break;
    }
    EventStreamFrame f;
    const std::string_view h(frame + 12, headers_len);
    std::size_t i = 0;
    while (i < h.size()) {
      const std::size_t name_len = static_cast<unsigned char>(h[i]);
      if (i + 1 + name_len + 1 > h.size()) {
        error_ = "malformed event-stream header";
        break;
      }
      std::string name(h.substr(i + 1, name_len));
      i += 1 + name_len;
      const auto type = static_cast<unsigned char>(h[i++]);
      std::string value;
      if (!skip_value(type, h, i, type == 7 ? &value : nullptr)) {
        error_ = "malformed event-stream header value";
        break;
      }
      if (type == 7) {
        f.headers.emplace(std::move(name), std::move(value));
      }
    }
    if (!error_.empty()) {
      break;
    }
    f.payload.assign(frame + 12 + headers_len, total - kMinFrame - headers_len);
    out.push_back(std::move(f));
    pos += total;
  }
  buffer_.erase(0, pos);
  if (!error_.empty()) {
    buffer_.clear();
    return false;
  }
  return true;
}

bool AwsEventStreamParser::feed(std::string_view bytes, std::vector<core::StreamEvent>& out) {
  std::vector<EventStreamFrame> frames;
  const bool ok = feed(bytes, frames);
  for (auto& f : frames) {
    core::StreamEvent e;
    if (const auto t = f.headers.find(":message-type");
        t != f.headers.end() && t->second != "event") {
      const auto x = f.headers.find(":exception-type");
      e.event = t->second + ":" + (x != f.headers.end() ? x->second : std::string("unknown"));
    } else if (const auto ev = f.headers.find(":event-type"); ev != f.headers.end()) {
      e.event = ev->second;
    }
    e.data = std::move(f.payload);
    out.push_back(std::move(e));
  }
  return ok;
}

}  // namespace litellm::http
