#include "spend/spend_writer.hpp"

#include <atomic>
#include <sstream>

#include <doctest/doctest.h>

#include "store/sqlite/sqlite_store.hpp"
#include "support/daemon_process.hpp"
#include "support/manual_clock.hpp"

using namespace litellm;  // NOLINT(google-build-using-namespace): test file

namespace {

// The real SQLite store, with a switch that makes every write fail as a database that went
// away would: the writer must keep what it could not write.
class SwitchableDatabase final : public store::Database {
 public:
  explicit SwitchableDatabase(store::SqliteStore& real) : real_(real) {}
  std::atomic<bool> down{false};

  Result<void> write_spend(const std::vector<store::SpendRow>& rows,
                           const std::vector<store::SpendAmount>& amounts) override {
    if (down) {
      return Error::make(ErrorCode::Storage, "database sqlite:test: unreachable");
    }
    return real_.write_spend(rows, amounts);
  }
  Result<std::vector<store::SpendRow>> spend_logs(const store::SpendFilter& f, std::int64_t limit,
                                                  std::int64_t offset) override {
    return real_.spend_logs(f, limit, offset);
  }
  Result<double> total_spend(const store::SpendFilter& f) override { return real_.total_spend(f); }
  Result<std::vector<store::SpendGroup>> spend_report(const store::SpendFilter& f,
                                                      store::SpendGrouping by) override {
    return real_.spend_report(f, by);
  }
  Result<void> insert_key(const store::KeyRecord& k) override { return real_.insert_key(k); }
  Result<std::optional<store::KeyRecord>> find_key(const std::string& t) override {
    return real_.find_key(t);
  }
  Result<std::optional<store::KeyRecord>> find_key_by_alias(const std::string& a) override {
    return real_.find_key_by_alias(a);
  }
  Result<std::int64_t> delete_keys(const std::vector<std::string>& t) override {
    return real_.delete_keys(t);
  }
  Result<store::KeyPage> list_keys(std::int64_t p, std::int64_t s,
                                   const std::optional<std::string>& u,
                                   const std::optional<std::string>& t) override {
    return real_.list_keys(p, s, u, t);
  }
  Result<void> update_key(const store::KeyRecord& k) override { return real_.update_key(k); }
  Result<void> rename_key(const std::string& t, const std::string& n,
                          const std::string& name) override {
    return real_.rename_key(t, n, name);
  }
  Result<std::vector<store::DueReset>> due_budget_resets(std::int64_t now) override {
    return real_.due_budget_resets(now);
  }
  Result<void> reset_budgets(const std::vector<store::BudgetReset>& n) override {
    return real_.reset_budgets(n);
  }
  Result<void> insert_party(const store::PartyRecord& p) override { return real_.insert_party(p); }
  Result<std::optional<store::PartyRecord>> find_party(store::PartyKind k,
                                                       const std::string& id) override {
    return real_.find_party(k, id);
  }
  Result<void> update_party(const store::PartyRecord& p) override { return real_.update_party(p); }
  Result<std::int64_t> delete_parties(store::PartyKind k,
                                      const std::vector<std::string>& ids) override {
    return real_.delete_parties(k, ids);
  }
  Result<store::PartyPage> list_parties(store::PartyKind k, std::int64_t p,
                                        std::int64_t s) override {
    return real_.list_parties(k, p, s);
  }
  std::string describe() const override { return real_.describe(); }

 private:
  store::SqliteStore& real_;
};

class QuietLogger final : public core::Logger {
 public:
  void log(core::LogLevel, std::string_view message) override {
    std::lock_guard lock(mu_);
    lines_ << message << '\n';
  }
  bool enabled(core::LogLevel) const override { return true; }
  std::string text() {
    std::lock_guard lock(mu_);
    return lines_.str();
  }

 private:
  std::mutex mu_;
  std::ostringstream lines_;
};

store::SpendRow row(const std::string& id, const std::string& key, double usd) {
  store::SpendRow r;
  r.request_id = id;
  r.call_type = "acompletion";
  r.api_key = key;
  r.model_group = "gpt-4o";
  r.spend = usd;
  r.start_ms = r.end_ms = 1767225600000;
  r.status = "success";
  return r;
}

struct Fixture {
  test::TempDir dir;
  std::unique_ptr<store::SqliteStore> sqlite;
  std::unique_ptr<SwitchableDatabase> db;
  spend::SpendLedger ledger;
  test::ManualClock clock;
  QuietLogger logger;
  std::vector<std::string> reset_tokens;
  std::mutex reset_mu;

  Fixture() {
    auto opened = store::SqliteStore::open(dir.path() + "/litellm.db");
    REQUIRE(opened.has_value());
    sqlite = std::move(*opened);
    db = std::make_unique<SwitchableDatabase>(*sqlite);
    store::KeyRecord k;
    k.token = "hash1";
    k.key_name = "sk-...1";
    REQUIRE(sqlite->insert_key(k).has_value());
  }
  std::unique_ptr<spend::SpendWriter> writer(std::chrono::milliseconds interval) {
    return std::make_unique<spend::SpendWriter>(
        *db, ledger, clock, logger, spend::SpendWriter::Options{interval, 1000},
        [this](const std::vector<std::string>& tokens) {
          std::lock_guard lock(reset_mu);
          reset_tokens.insert(reset_tokens.end(), tokens.begin(), tokens.end());
        });
  }
  double key_spend() { return (*sqlite->find_key("hash1"))->spend; }
};

}  // namespace

TEST_CASE("spend writer: rows and key totals reach the database together") {
  Fixture f;
  auto w = f.writer(std::chrono::hours(1));  // only explicit flushes
  f.ledger.add(spend::key_entity("hash1"), 0.25);
  w->enqueue(row("r1", "hash1", 0.25));
  CHECK(f.sqlite->spend_logs({}, 10, 0)->empty());  // nothing yet: batched
  REQUIRE(w->flush());
  CHECK(f.sqlite->spend_logs({}, 10, 0)->size() == 1);
  CHECK(f.key_spend() == doctest::Approx(0.25));
  CHECK(f.ledger.flushed(spend::key_entity("hash1")) == doctest::Approx(0.25));
}

TEST_CASE("spend writer: nothing is lost while the database is down - all of it lands after") {
  Fixture f;
  auto w = f.writer(std::chrono::hours(1));
  f.db->down = true;
  for (int i = 0; i < 50; ++i) {
    f.ledger.add(spend::key_entity("hash1"), 0.01);
    w->enqueue(row("r" + std::to_string(i), "hash1", 0.01));
    if (i % 10 == 0) {
      CHECK_FALSE(w->flush());
    }
  }
  CHECK(w->queued() == 50);
  CHECK(f.logger.text().find("spend not written yet") != std::string::npos);
  f.db->down = false;
  REQUIRE(w->flush());
  CHECK(w->queued() == 0);
  CHECK(f.sqlite->spend_logs({}, 100, 0)->size() == 50);
  CHECK(f.key_spend() == doctest::Approx(0.50));
  CHECK(*f.sqlite->total_spend({}) == doctest::Approx(0.50));
}

TEST_CASE("spend writer: stopping writes what is queued") {
  Fixture f;
  {
    auto w = f.writer(std::chrono::hours(1));
    f.ledger.add(spend::key_entity("hash1"), 0.75);
    w->enqueue(row("last", "hash1", 0.75));
  }  // destroyed: as at SIGTERM
  CHECK(f.sqlite->spend_logs({}, 10, 0)->size() == 1);
  CHECK(f.key_spend() == doctest::Approx(0.75));
}

TEST_CASE("spend writer: a budget period that ended resets the key's spend on the next tick") {
  Fixture f;
  auto k = *f.sqlite->find_key("hash1");
  k->budget_duration = "30s";
  k->budget_reset_at = f.clock.unix_seconds() + 30;
  REQUIRE(f.sqlite->update_key(*k).has_value());
  f.ledger.add(spend::key_entity("hash1"), 2.0);
  auto w = f.writer(std::chrono::milliseconds(5));
  // Not due yet: the spend is written and kept.
  const auto wait_for = [&](auto pred) {
    for (int i = 0; i < 2000 && !pred(); ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    return pred();
  };
  REQUIRE(wait_for([&] { return f.key_spend() > 1.9; }));
  f.clock.advance(std::chrono::seconds(30));
  REQUIRE(wait_for([&] {
    std::lock_guard lock(f.reset_mu);
    return !f.reset_tokens.empty();
  }));
  const auto after = *f.sqlite->find_key("hash1");
  CHECK(after->spend == 0);
  CHECK(*after->budget_reset_at == f.clock.unix_seconds() + 30);  // the next 30 s boundary
  std::lock_guard lock(f.reset_mu);
  CHECK(f.reset_tokens == std::vector<std::string>{"key:hash1"});
}
