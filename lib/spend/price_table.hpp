#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace litellm::spend {

// What the gateway knows about one model: per-token prices in USD, its limits, a few
// capability flags. Missing facts are empty, not zero, so "free" and "unknown" stay apart.
struct ModelPrice {
  std::string provider;
  std::string mode;  // chat, embedding, completion, ...
  std::optional<std::int64_t> max_input_tokens;
  std::optional<std::int64_t> max_output_tokens;
  std::optional<double> input_cost_per_token;
  std::optional<double> output_cost_per_token;
  std::optional<double> cache_read_input_token_cost;
  std::optional<double> cache_creation_input_token_cost;
  std::string supports;  // comma list: function_calling,vision,...

  bool has(std::string_view capability) const;
};

// Prices of public models, from the table generated out of LiteLLM's model price map
// (lib/spend/data/model_prices.tsv). Immutable after construction; share freely.
class PriceTable {
 public:
  // The table compiled into the binary. Parsed once, on first use.
  static const PriceTable& builtin();
  // Parses the TSV format of lib/spend/data/model_prices.tsv (for tests and future overrides).
  static PriceTable parse(std::string_view tsv);

  // The entry for a deployment's model, tried as LiteLLM does: the name as written
  // ("ollama/llama3", "azure/gpt-4o"), then without its provider prefix ("gpt-4o").
  const ModelPrice* find(std::string_view model) const;
  std::size_t size() const { return models_.size(); }

 private:
  std::map<std::string, ModelPrice, std::less<>> models_;
};

}  // namespace litellm::spend
