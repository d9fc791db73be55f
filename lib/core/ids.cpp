#include "core/ids.hpp"

#include <array>
#include <cstdint>
#include <random>

namespace litellm::core {

std::string new_uuid() {
  // One generator per thread: ids are made on every request, a shared one would need a lock.
  thread_local std::mt19937_64 gen{std::random_device{}()};
  std::array<std::uint64_t, 2> r{gen(), gen()};
  r[0] = (r[0] & 0xffffffffffff0fffULL) | 0x0000000000004000ULL;
  r[1] = (r[1] & 0x3fffffffffffffffULL) | 0x8000000000000000ULL;
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(36);
  for (int i = 0; i < 32; ++i) {
    if (i == 8 || i == 12 || i == 16 || i == 20) {
      out.push_back('-');
    }
    const std::uint64_t word = r[static_cast<std::size_t>(i / 16)];
    const int shift = 60 - 4 * (i % 16);
    out.push_back(kHex[(word >> shift) & 0xf]);
  }
  return out;
}

}  // namespace litellm::core
