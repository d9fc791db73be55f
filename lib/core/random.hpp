#pragma once

#include <string>

namespace litellm::core {

// Chance, injected: routing draws through it so tests can fix the draws (a fixed sequence).
// Implementations are thread-safe.
class Random {
 public:
  virtual ~Random() = default;
  // A number in [0, 1).
  virtual double uniform() = 0;
};

// The process's: one generator per thread (calls on every request; a shared one would need a
// lock), seeded from std::random_device.
class SystemRandom final : public Random {
 public:
  double uniform() override;
  static SystemRandom& instance();
};

// `n` characters from [a-zA-Z0-9], from the process's generator (OpenAI-style ids).
std::string random_alnum(std::size_t n);

}  // namespace litellm::core
