#include "spend/ledger.hpp"

namespace litellm::spend {

std::optional<Refusal> SpendLedger::admit(const std::vector<BudgetLine>& lines, double estimate,
                                          Reservation& out) {
  std::lock_guard lock(mu_);
  for (std::size_t i = 0; i < lines.size(); ++i) {
    const auto& line = lines[i];
    const auto it = totals_.find(line.entity);
    const double spent = line.stored + (it == totals_.end() ? 0.0 : it->second.added - line.mark);
    const bool spent_out =
        line.at_limit_refuses ? spent >= line.max_budget : spent > line.max_budget;
    if (spent_out) {
      return Refusal{i, spent};
    }
    if (it != totals_.end() && it->second.in_flight > 0 &&
        spent + it->second.held + estimate > line.max_budget) {
      return Refusal{i, spent};
    }
  }
  out.entities.clear();
  out.estimate = estimate;
  for (const auto& line : lines) {
    auto& t = totals_[line.entity];
    t.held += estimate;
    t.in_flight += 1;
    out.entities.push_back(line.entity);
  }
  return std::nullopt;
}

void SpendLedger::settle(const Reservation& r, double actual) {
  std::lock_guard lock(mu_);
  for (const auto& e : r.entities) {
    auto& t = totals_[e];
    t.held -= r.estimate;
    t.in_flight -= 1;
    if (t.in_flight == 0) {
      t.held = 0;  // no rounding drift left behind
    }
    t.added += actual;
  }
}

void SpendLedger::add(const std::string& entity, double usd) {
  std::lock_guard lock(mu_);
  totals_[entity].added += usd;
}

double SpendLedger::flushed(const std::string& entity) const {
  std::lock_guard lock(mu_);
  const auto it = totals_.find(entity);
  return it == totals_.end() ? 0.0 : it->second.flushed;
}

double SpendLedger::since(const std::string& entity, double mark) const {
  std::lock_guard lock(mu_);
  const auto it = totals_.find(entity);
  return it == totals_.end() ? 0.0 : it->second.added - mark;
}

double SpendLedger::held(const std::string& entity) const {
  std::lock_guard lock(mu_);
  const auto it = totals_.find(entity);
  return it == totals_.end() ? 0.0 : it->second.held;
}

std::vector<std::pair<std::string, double>> SpendLedger::take() {
  std::lock_guard lock(mu_);
  std::vector<std::pair<std::string, double>> out;
  for (auto& [entity, t] : totals_) {
    const double unwritten = t.added - t.flushed - t.writing;
    if (unwritten > 0) {
      t.writing += unwritten;
      out.emplace_back(entity, unwritten);
    }
  }
  return out;
}

void SpendLedger::committed(const std::vector<std::pair<std::string, double>>& amounts) {
  std::lock_guard lock(mu_);
  for (const auto& [entity, usd] : amounts) {
    auto& t = totals_[entity];
    t.writing -= usd;
    t.flushed += usd;
  }
}

void SpendLedger::restore(const std::vector<std::pair<std::string, double>>& amounts) {
  std::lock_guard lock(mu_);
  for (const auto& [entity, usd] : amounts) {
    totals_[entity].writing -= usd;  // unwritten again: the next take() offers it
  }
}

}  // namespace litellm::spend
