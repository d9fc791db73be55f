#include "spend/cost.hpp"

#include <algorithm>
#include <charconv>
#include <string>

namespace litellm::spend {

ModelPrice resolve_price(const PriceTable& table, std::string_view model,
                         std::string_view base_model, const PriceOverrides& overrides) {
  const ModelPrice* known = base_model.empty() ? nullptr : table.find(base_model);
  if (known == nullptr) {
    known = table.find(model);
  }
  ModelPrice p = known != nullptr ? *known : ModelPrice{};
  const auto apply = [](std::optional<double>& into, const std::optional<double>& v) {
    if (v) {
      into = v;
    }
  };
  apply(p.input_cost_per_token, overrides.input_cost_per_token);
  apply(p.output_cost_per_token, overrides.output_cost_per_token);
  apply(p.cache_read_input_token_cost, overrides.cache_read_input_token_cost);
  apply(p.cache_creation_input_token_cost, overrides.cache_creation_input_token_cost);
  return p;
}

std::optional<double> cost_of(const ModelPrice& price, const Usage& usage) {
  if (!price.input_cost_per_token && !price.output_cost_per_token) {
    return std::nullopt;
  }
  const double in = price.input_cost_per_token.value_or(0);
  const double out = price.output_cost_per_token.value_or(0);
  const double cached = price.cache_read_input_token_cost.value_or(in);
  const double creation = price.cache_creation_input_token_cost.value_or(in);
  // Providers that report cache reads/writes count them inside prompt_tokens (OpenAI) or beside
  // it (Anthropic, lifted into prompt_tokens by the adapter): never price a token twice.
  const auto cached_tokens = std::min(usage.cached_tokens, usage.prompt_tokens);
  const auto creation_tokens =
      std::min(usage.cache_creation_tokens, usage.prompt_tokens - cached_tokens);
  const auto plain = usage.prompt_tokens - cached_tokens - creation_tokens;
  return static_cast<double>(plain) * in + static_cast<double>(cached_tokens) * cached +
         static_cast<double>(creation_tokens) * creation +
         static_cast<double>(usage.completion_tokens) * out;
}

std::string format_cost(double usd) {
  // to_chars prints as printf's "%.12f" does, without printf's per-call format parsing.
  char buf[64];
  auto* const end = std::to_chars(buf, buf + sizeof buf, usd, std::chars_format::fixed, 12).ptr;
  std::string s(buf, end);
  while (s.size() > 1 && s.back() == '0') {
    s.pop_back();
  }
  if (s.back() == '.') {
    s.push_back('0');
  }
  return s;
}

}  // namespace litellm::spend
