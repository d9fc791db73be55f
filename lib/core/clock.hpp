#pragma once

#include <chrono>
#include <cstdint>

namespace litellm::core {

// Time, injected: windows, budget resets and TTLs read it here so tests can move it
// (tests/support/manual_clock.hpp). Implementations are thread-safe.
class Clock {
 public:
  virtual ~Clock() = default;
  virtual std::chrono::steady_clock::time_point steady_now() const = 0;
  virtual std::chrono::system_clock::time_point wall_now() const = 0;
  // Wall time in whole seconds since the epoch: what the database stores.
  std::int64_t unix_seconds() const {
    return std::chrono::duration_cast<std::chrono::seconds>(wall_now().time_since_epoch()).count();
  }
};

class SystemClock final : public Clock {
 public:
  std::chrono::steady_clock::time_point steady_now() const override {
    return std::chrono::steady_clock::now();
  }
  std::chrono::system_clock::time_point wall_now() const override {
    return std::chrono::system_clock::now();
  }
  // The process's clock, for code that is not handed one.
  static const SystemClock& instance() {
    static const SystemClock kClock;
    return kClock;
  }
};

}  // namespace litellm::core
