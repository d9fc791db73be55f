#include <algorithm>

#include "router/strategy.hpp"

namespace litellm::router {

namespace {

double weight_of(const Deployment& d) {
  const auto& c = d.config;
  double w = 1;
  if (c.weight) {
    w = *c.weight;
  } else if (c.rpm) {
    w = *c.rpm;
  } else if (c.tpm) {
    w = *c.tpm;
  }
  return std::max(w, 0.0);
}

class SimpleShuffle final : public Strategy {
 public:
  std::string_view name() const override { return "simple-shuffle"; }
  const Deployment* pick(const ModelGroup& /*group*/, std::span<const Deployment* const> eligible,
                         core::Random& random) const override {
    if (eligible.size() == 1) {
      return eligible.front();
    }
    double total = 0;
    for (const auto* d : eligible) {
      total += weight_of(*d);
    }
    // Every weight zero: all alike.
    if (total <= 0) {
      const auto i =
          static_cast<std::size_t>(random.uniform() * static_cast<double>(eligible.size()));
      return eligible[std::min(i, eligible.size() - 1)];
    }
    double at = random.uniform() * total;
    for (const auto* d : eligible) {
      const double w = weight_of(*d);
      if (w > 0 && at < w) {
        return d;
      }
      at -= w;
    }
    // Rounding left `at` past the last: the last deployment with any weight.
    for (auto it = eligible.rbegin(); it != eligible.rend(); ++it) {
      if (weight_of(**it) > 0) {
        return *it;
      }
    }
    return eligible.back();
  }
};

}  // namespace

const Strategy& simple_shuffle() {
  static const SimpleShuffle kStrategy;
  return kStrategy;
}

}  // namespace litellm::router
