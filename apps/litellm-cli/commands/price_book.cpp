#include "commands/price_book.hpp"

#include <cmath>
#include <cstdio>

#include "openai/codec.hpp"
#include "spend/cost.hpp"

namespace litellm::cli {

namespace {

std::optional<double> number(const nlohmann::json& obj, const char* key) {
  const auto it = obj.find(key);
  return it != obj.end() && it->is_number() ? std::optional(it->get<double>()) : std::nullopt;
}

}  // namespace

std::optional<double> PriceBook::cost(const std::string& deployment_id,
                                      const nlohmann::json& usage) {
  if (!loaded_) {
    loaded_ = true;
    if (auto info = daemon_.get("/model/info"); info && (*info)["data"].is_array()) {
      for (const auto& item : (*info)["data"]) {
        const auto& mi = item.value("model_info", nlohmann::json::object());
        spend::ModelPrice p;
        p.input_cost_per_token = number(mi, "input_cost_per_token");
        p.output_cost_per_token = number(mi, "output_cost_per_token");
        p.cache_read_input_token_cost = number(mi, "cache_read_input_token_cost");
        p.cache_creation_input_token_cost = number(mi, "cache_creation_input_token_cost");
        by_id_.emplace(mi.value("id", ""), std::move(p));
      }
    }
  }
  const auto it = by_id_.find(deployment_id);
  if (it == by_id_.end()) {
    return std::nullopt;
  }
  return spend::cost_of(it->second, openai::usage_of(nlohmann::json{{"usage", usage}}));
}

std::string format_usd(double usd) {
  char buf[64];
  if (usd == 0) {
    return "$0";
  }
  if (usd >= 0.01) {
    std::snprintf(buf, sizeof buf, "$%.2f", usd);
  } else {
    // Two significant digits of a small cost: $0.0021, $0.000004.
    const int decimals = std::min(12, 1 - static_cast<int>(std::floor(std::log10(usd))));
    std::snprintf(buf, sizeof buf, "$%.*f", decimals, usd);
  }
  std::string s(buf);
  if (s.find('.') != std::string::npos && usd < 0.01) {
    while (s.back() == '0') {
      s.pop_back();
    }
  }
  return s;
}

}  // namespace litellm::cli
