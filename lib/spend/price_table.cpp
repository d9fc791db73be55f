#include "spend/price_table.hpp"

#include <charconv>
#include <vector>

namespace litellm::spend {

extern const char* const kModelPricesTsv;  // generated from data/model_prices.tsv

namespace {

std::vector<std::string_view> split(std::string_view line, char sep) {
  std::vector<std::string_view> out;
  std::size_t start = 0;
  while (true) {
    const auto pos = line.find(sep, start);
    out.push_back(line.substr(start, pos == std::string_view::npos ? pos : pos - start));
    if (pos == std::string_view::npos) {
      return out;
    }
    start = pos + 1;
  }
}

std::optional<double> to_double(std::string_view s) {
  if (s.empty()) {
    return std::nullopt;
  }
  double v = 0;
  const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc{} || end != s.data() + s.size()) {
    return std::nullopt;
  }
  return v;
}

std::optional<std::int64_t> to_int(std::string_view s) {
  const auto d = to_double(s);
  if (!d) {
    return std::nullopt;
  }
  return static_cast<std::int64_t>(*d);
}

}  // namespace

bool ModelPrice::has(std::string_view capability) const {
  for (const auto part : split(supports, ',')) {
    if (part == capability) {
      return true;
    }
  }
  return false;
}

PriceTable PriceTable::parse(std::string_view tsv) {
  PriceTable table;
  for (const auto line : split(tsv, '\n')) {
    if (line.empty() || line.front() == '#') {
      continue;
    }
    const auto f = split(line, '\t');
    if (f.size() < 10 || f[0].empty()) {
      continue;  // a malformed line loses one model, not the table
    }
    ModelPrice p;
    p.provider = std::string(f[1]);
    p.mode = std::string(f[2]);
    p.max_input_tokens = to_int(f[3]);
    p.max_output_tokens = to_int(f[4]);
    p.input_cost_per_token = to_double(f[5]);
    p.output_cost_per_token = to_double(f[6]);
    p.cache_read_input_token_cost = to_double(f[7]);
    p.cache_creation_input_token_cost = to_double(f[8]);
    p.supports = std::string(f[9]);
    table.models_.insert_or_assign(std::string(f[0]), std::move(p));
  }
  return table;
}

const PriceTable& PriceTable::builtin() {
  static const PriceTable kTable = parse(kModelPricesTsv);
  return kTable;
}

const ModelPrice* PriceTable::find(std::string_view model) const {
  if (const auto it = models_.find(model); it != models_.end()) {
    return &it->second;
  }
  if (const auto slash = model.find('/'); slash != std::string_view::npos) {
    if (const auto it = models_.find(model.substr(slash + 1)); it != models_.end()) {
      return &it->second;
    }
  }
  return nullptr;
}

}  // namespace litellm::spend
