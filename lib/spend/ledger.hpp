#pragma once

#include <cstddef>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

namespace litellm::spend {

// A budget a request must fit in: a key's, a user's, a team's, an end user's or the proxy's.
struct BudgetLine {
  std::string entity;  // "key:<hash>", "global", ...
  double stored = 0;   // spend as last read from the database
  double mark = 0;     // SpendLedger::flushed(entity) taken together with `stored`
  double max_budget = 0;
  bool at_limit_refuses = true;  // keys refuse at spend >= max; LiteLLM's others at spend > max
};

// Why a request was refused: which line, and that budget's spend at the time.
struct Refusal {
  std::size_t line = 0;
  double spent = 0;
};

// What a request holds between admission and settling.
struct Reservation {
  std::vector<std::string> entities;
  double estimate = 0;
};

// Spend known to this process, per entity, and the budget it holds for calls in flight.
//
// Amounts: requests add what they cost as they finish; the writer takes what is unwritten and
// reports it committed or gives it back when a write fails, so none is lost while the database
// is away. An entity's spend now is `stored + since(entity, mark)` where `mark` = flushed(entity)
// read together with `stored` (the caller keeps flushes out between the two).
//
// Reservations: admit() checks every line and holds an estimated cost against each, all under
// one lock, so concurrent requests cannot all see the same room. While nothing is in flight a
// request is admitted whenever the budget is not yet spent (LiteLLM's rule); while others are
// in flight it must also fit beside what they hold. So a budget with room for one call lets one
// call through, however many arrive at once. Thread-safe.
class SpendLedger {
 public:
  // Admits (holding `estimate` on every line's entity) or names the first line refused.
  std::optional<Refusal> admit(const std::vector<BudgetLine>& lines, double estimate,
                               Reservation& out);
  // Releases the hold and adds what the call really cost to each entity.
  void settle(const Reservation& r, double actual);
  void add(const std::string& entity, double usd);

  double flushed(const std::string& entity) const;
  double since(const std::string& entity, double mark) const;
  double held(const std::string& entity) const;

  // Unwritten amounts, marked as being written.
  std::vector<std::pair<std::string, double>> take();
  void committed(const std::vector<std::pair<std::string, double>>& amounts);
  void restore(const std::vector<std::pair<std::string, double>>& amounts);

 private:
  struct Totals {
    double added = 0;
    double flushed = 0;
    double writing = 0;  // taken by the writer, not yet committed
    double held = 0;     // reserved by calls in flight
    int in_flight = 0;
  };
  mutable std::mutex mu_;
  std::unordered_map<std::string, Totals> totals_;  // guarded by mu_
};

}  // namespace litellm::spend
