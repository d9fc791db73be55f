#include "core/ids.hpp"

#include <array>
#include <chrono>
#include <cstdint>
#include <random>

namespace litellm::core {

namespace {

std::mt19937_64& generator() {
  // One generator per thread: ids are made on every request, a shared one would need a lock.
  thread_local std::mt19937_64 gen{std::random_device{}()};
  return gen;
}

std::string canonical(const std::array<std::uint64_t, 2>& r) {
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

}  // namespace

std::string new_uuid() {
  auto& gen = generator();
  std::array<std::uint64_t, 2> r{gen(), gen()};
  r[0] = (r[0] & 0xffffffffffff0fffULL) | 0x0000000000004000ULL;
  r[1] = (r[1] & 0x3fffffffffffffffULL) | 0x8000000000000000ULL;
  return canonical(r);
}

std::string new_time_ordered_uuid(std::uint64_t unix_ms) {
  if (unix_ms == 0) {
    unix_ms = static_cast<std::uint64_t>(std::chrono::duration_cast<std::chrono::milliseconds>(
                                             std::chrono::system_clock::now().time_since_epoch())
                                             .count());
  }
  auto& gen = generator();
  std::array<std::uint64_t, 2> r{gen(), gen()};
  // 48 bits of milliseconds, version 7, 12 random bits; variant 10, 62 random bits.
  r[0] = ((unix_ms & 0xffffffffffffULL) << 16) | 0x7000ULL | (r[0] & 0x0fffULL);
  r[1] = (r[1] & 0x3fffffffffffffffULL) | 0x8000000000000000ULL;
  return canonical(r);
}

}  // namespace litellm::core
