#pragma once

#include <atomic>
#include <chrono>

#include "core/clock.hpp"

namespace litellm::test {

// A clock that moves only when the test says so. Both times advance together.
class ManualClock final : public core::Clock {
 public:
  explicit ManualClock(std::int64_t unix_seconds = 1767225600)  // 2026-01-01T00:00:00Z
      : offset_(std::chrono::seconds(unix_seconds)) {}
  std::chrono::steady_clock::time_point steady_now() const override {
    return std::chrono::steady_clock::time_point(
        std::chrono::duration_cast<std::chrono::steady_clock::duration>(offset_.load()));
  }
  std::chrono::system_clock::time_point wall_now() const override {
    return std::chrono::system_clock::time_point(
        std::chrono::duration_cast<std::chrono::system_clock::duration>(offset_.load()));
  }
  void advance(std::chrono::milliseconds by) { offset_ = offset_.load() + by; }
  void set_unix_seconds(std::int64_t s) { offset_ = std::chrono::seconds(s); }

 private:
  std::atomic<std::chrono::milliseconds> offset_;
};

}  // namespace litellm::test
