#pragma once

#include <optional>
#include <string_view>

#include "litellm/types.hpp"

#include "spend/price_table.hpp"

namespace litellm::spend {

// Per-deployment price overrides (litellm_params / model_info), each winning over the table.
struct PriceOverrides {
  std::optional<double> input_cost_per_token;
  std::optional<double> output_cost_per_token;
  std::optional<double> cache_read_input_token_cost;
  std::optional<double> cache_creation_input_token_cost;
};

// The price a deployment charges: the table's entry for `base_model` when set
// (model_info.base_model, as Azure deployments name their model), else for `model`, with the
// overrides on top. Unknown models get no prices (cost_of then answers nullopt) unless the
// overrides give them.
ModelPrice resolve_price(const PriceTable& table, std::string_view model,
                         std::string_view base_model, const PriceOverrides& overrides);

// USD for one response: uncached prompt tokens at the input price, cached ones at the
// cache-read price (input price when there is none), cache writes at the cache-creation price,
// completion tokens at the output price. nullopt when the model's prices are unknown.
std::optional<double> cost_of(const ModelPrice& price, const Usage& usage);

// "0.000215": a cost as LiteLLM prints it in x-litellm-response-cost (no exponent, no padding).
std::string format_cost(double usd);

}  // namespace litellm::spend
