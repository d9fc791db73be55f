#include "core/ip_network.hpp"

#include <arpa/inet.h>

#include <charconv>
#include <cstring>
#include <string>

namespace litellm::core {

namespace {

// Any address as 16 bytes: IPv4 becomes ::ffff:a.b.c.d. Also says whether it was IPv4.
std::optional<std::array<std::uint8_t, 16>> to_bytes(std::string_view text, bool& v4) {
  const std::string s(text);
  std::array<std::uint8_t, 16> out{};
  in_addr a4{};
  if (inet_pton(AF_INET, s.c_str(), &a4) == 1) {
    out[10] = 0xff;
    out[11] = 0xff;
    std::memcpy(out.data() + 12, &a4, 4);
    v4 = true;
    return out;
  }
  in6_addr a6{};
  if (inet_pton(AF_INET6, s.c_str(), &a6) == 1) {
    std::memcpy(out.data(), &a6, 16);
    v4 = false;
    return out;
  }
  return std::nullopt;
}

}  // namespace

std::optional<IpNetwork> IpNetwork::parse(std::string_view text) {
  const auto slash = text.find('/');
  bool v4 = false;
  const auto bytes = to_bytes(text.substr(0, slash), v4);
  if (!bytes) {
    return std::nullopt;
  }
  IpNetwork n;
  n.bytes_ = *bytes;
  if (slash != std::string_view::npos) {
    const auto bits = text.substr(slash + 1);
    int prefix = -1;
    const auto [end, ec] = std::from_chars(bits.data(), bits.data() + bits.size(), prefix);
    if (ec != std::errc() || end != bits.data() + bits.size() || prefix < 0 ||
        prefix > (v4 ? 32 : 128)) {
      return std::nullopt;
    }
    n.prefix_bits_ = v4 ? prefix + 96 : prefix;
  }
  return n;
}

bool IpNetwork::contains(std::string_view address) const {
  bool v4 = false;
  const auto bytes = to_bytes(address, v4);
  if (!bytes) {
    return false;
  }
  int bits = prefix_bits_;
  for (std::size_t i = 0; i < 16 && bits > 0; ++i, bits -= 8) {
    const std::uint8_t mask = bits >= 8 ? 0xff : static_cast<std::uint8_t>(0xff << (8 - bits));
    if (((*bytes)[i] & mask) != (bytes_[i] & mask)) {
      return false;
    }
  }
  return true;
}

}  // namespace litellm::core
