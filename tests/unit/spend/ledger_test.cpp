#include "spend/ledger.hpp"

#include <atomic>
#include <limits>
#include <thread>
#include <vector>

#include <doctest/doctest.h>

using litellm::spend::BudgetLine;
using litellm::spend::Reservation;
using litellm::spend::SpendLedger;

namespace {

BudgetLine key_line(double stored, double max, double mark = 0) {
  return BudgetLine{"key:k", stored, mark, max, true};
}

}  // namespace

TEST_CASE("ledger: a budget with room for one call admits one of many concurrent calls") {
  SpendLedger ledger;
  std::atomic<int> admitted{0};
  std::vector<std::thread> threads;
  std::vector<Reservation> held(100);
  for (int i = 0; i < 100; ++i) {
    threads.emplace_back([&, i] {
      // $0.40 spent of $1.00; each call may cost up to $0.50: room for exactly one.
      if (!ledger.admit({key_line(0.40, 1.0)}, 0.50, held[i])) {
        admitted.fetch_add(1);
      }
    });
  }
  for (auto& t : threads) {
    t.join();
  }
  CHECK(admitted.load() == 1);
  CHECK(ledger.held("key:k") == doctest::Approx(0.50));
}

TEST_CASE("ledger: settling frees the hold and counts the real cost") {
  SpendLedger ledger;
  Reservation a;
  Reservation b;
  REQUIRE_FALSE(ledger.admit({key_line(0, 1.0)}, 0.3, a));
  REQUIRE_FALSE(ledger.admit({key_line(0, 1.0)}, 0.3, b));  // 0.6 of 1.0 held: fits
  Reservation c;
  const auto refused = ledger.admit({key_line(0, 1.0)}, 0.5, c);  // 0.6 + 0.5 > 1.0
  REQUIRE(refused.has_value());
  CHECK(refused->line == 0);
  ledger.settle(a, 0.25);
  ledger.settle(b, 0.25);
  CHECK(ledger.held("key:k") == 0);
  CHECK(ledger.since("key:k", 0) == doctest::Approx(0.5));
  // Nothing in flight: admitted while spend is under the budget, as LiteLLM does ...
  REQUIRE_FALSE(ledger.admit({key_line(0, 1.0)}, 5.0, c));
  ledger.settle(c, 0.6);
  // ... and refused once it is spent (keys refuse at spend >= max).
  Reservation d;
  const auto spent = ledger.admit({key_line(0, 1.0)}, 0.01, d);
  REQUIRE(spent.has_value());
  CHECK(spent->spent == doctest::Approx(1.1));
}

TEST_CASE("ledger: every line must have room - the first short one is named") {
  SpendLedger ledger;
  Reservation r;
  const double none = std::numeric_limits<double>::infinity();
  const BudgetLine proxy{"global", 10.0, 0, 10.0, false};  // proxy: refuses only past its max
  CHECK_FALSE(ledger.admit({key_line(0, none), proxy}, 0.1, r));
  ledger.settle(r, 0.1);
  Reservation again;
  const auto refused = ledger.admit({key_line(0, none), proxy}, 0.1, again);
  REQUIRE(refused.has_value());
  CHECK(refused->line == 1);
  CHECK(ledger.held("key:k") == 0);  // a refused call holds nothing anywhere
}

TEST_CASE("ledger: amounts taken by the writer come back when the write fails") {
  SpendLedger ledger;
  ledger.add("key:k", 1.5);
  auto taken = ledger.take();
  REQUIRE(taken.size() == 1);
  CHECK(ledger.take().empty());  // being written: not offered twice
  ledger.restore(taken);
  taken = ledger.take();
  REQUIRE(taken.size() == 1);
  CHECK(taken[0].second == doctest::Approx(1.5));
  ledger.committed(taken);
  CHECK(ledger.flushed("key:k") == doctest::Approx(1.5));
  // A row read after the write (spend 1.5, mark 1.5) plus a later call is right.
  ledger.add("key:k", 0.5);
  CHECK(1.5 + ledger.since("key:k", ledger.flushed("key:k")) == doctest::Approx(2.0));
}
