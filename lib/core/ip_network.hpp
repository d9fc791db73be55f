#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string_view>

namespace litellm::core {

// An address or a CIDR network, IPv4 or IPv6 ("10.0.0.7", "10.0.0.0/8", "::1", "fd00::/8").
// IPv4-mapped IPv6 addresses ("::ffff:10.0.0.7") match their IPv4 networks. Immutable.
class IpNetwork {
 public:
  // nullopt when `text` is not an address or CIDR network.
  static std::optional<IpNetwork> parse(std::string_view text);
  bool contains(std::string_view address) const;

 private:
  std::array<std::uint8_t, 16> bytes_{};  // IPv4 as IPv4-mapped IPv6
  int prefix_bits_ = 128;
};

}  // namespace litellm::core
