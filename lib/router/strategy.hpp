#pragma once

#include <span>
#include <string_view>

#include "core/random.hpp"
#include "router/model_table.hpp"

namespace litellm::router {

// How a deployment is chosen among a group's eligible ones (router_settings.routing_strategy).
// Immutable and shared by all calls; chance comes in through `random`, so a test fixes it.
class Strategy {
 public:
  virtual ~Strategy() = default;
  virtual std::string_view name() const = 0;
  // One of `eligible` (never empty).
  virtual const Deployment* pick(const ModelGroup& group,
                                 std::span<const Deployment* const> eligible,
                                 core::Random& random) const = 0;
};

// LiteLLM's default, "simple-shuffle": random, weighted by `weight`, else `rpm`, else `tpm`
// (strategies/simple_shuffle.cpp).
const Strategy& simple_shuffle();

}  // namespace litellm::router
