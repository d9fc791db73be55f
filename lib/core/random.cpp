#include "core/random.hpp"

#include <random>

namespace litellm::core {

namespace {

std::mt19937_64& generator() {
  thread_local std::mt19937_64 gen{std::random_device{}()};
  return gen;
}

}  // namespace

double SystemRandom::uniform() {
  return std::uniform_real_distribution<double>(0.0, 1.0)(generator());
}

SystemRandom& SystemRandom::instance() {
  static SystemRandom random;
  return random;
}

std::string random_alnum(std::size_t n) {
  static constexpr char kAlphabet[] =
      "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
  std::uniform_int_distribution<std::size_t> pick(0, sizeof kAlphabet - 2);
  std::string s;
  s.reserve(n);
  for (std::size_t i = 0; i < n; ++i) {
    s.push_back(kAlphabet[pick(generator())]);
  }
  return s;
}

}  // namespace litellm::core
