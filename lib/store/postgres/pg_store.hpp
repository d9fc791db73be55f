#pragma once

#include <atomic>
#include <chrono>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "store/postgres/pg_connection.hpp"
#include "store/store.hpp"

namespace litellm::store {

// PostgreSQL through libpq, for replicas that share one database: the same tables as SQLite
// (versioned migrations run at open, one replica at a time under an advisory lock), a few
// pooled connections. All methods thread-safe; each blocks on the network.
class PgStore final : public Database {
 public:
  // Connects to `url` (postgresql://...) and migrates. `progress` hears each migration applied.
  // Errors: Storage naming the database (password hidden).
  static Result<std::unique_ptr<PgStore>> open(
      const std::string& url, const std::function<void(const std::string&)>& progress = {});
  // For a server that is not up yet (containers start in any order): the store answers Storage
  // errors until a call finds the server, then migrates and serves. Tries at most once a second.
  static std::unique_ptr<PgStore> open_when_reachable(
      const std::string& url, std::function<void(const std::string&)> progress = {});

  Result<void> insert_key(const KeyRecord& key) override;
  Result<std::optional<KeyRecord>> find_key(const std::string& token) override;
  Result<std::optional<KeyRecord>> find_key_by_alias(const std::string& alias) override;
  Result<std::int64_t> delete_keys(const std::vector<std::string>& tokens) override;
  Result<KeyPage> list_keys(std::int64_t page, std::int64_t size,
                            const std::optional<std::string>& user_id,
                            const std::optional<std::string>& team_id) override;
  Result<void> update_key(const KeyRecord& key) override;
  Result<void> rename_key(const std::string& token, const std::string& new_token,
                          const std::string& new_key_name) override;
  Result<std::vector<DueReset>> due_budget_resets(std::int64_t now) override;
  Result<void> reset_budgets(const std::vector<BudgetReset>& resets) override;

  // pg_spend.cpp
  Result<void> write_spend(const std::vector<SpendRow>& rows,
                           const std::vector<SpendAmount>& amounts) override;
  Result<std::vector<SpendRow>> spend_logs(const SpendFilter& filter, std::int64_t limit,
                                           std::int64_t offset) override;
  Result<double> total_spend(const SpendFilter& filter) override;
  Result<std::vector<SpendGroup>> spend_report(const SpendFilter& filter,
                                               SpendGrouping by) override;

  // pg_parties.cpp
  Result<void> insert_party(const PartyRecord& p) override;
  Result<std::optional<PartyRecord>> find_party(PartyKind kind, const std::string& id) override;
  Result<void> update_party(const PartyRecord& p) override;
  Result<std::int64_t> delete_parties(PartyKind kind, const std::vector<std::string>& ids) override;
  Result<PartyPage> list_parties(PartyKind kind, std::int64_t page, std::int64_t size) override;

  std::string describe() const override { return pool_.describe(); }
  Result<int> schema_version();

 private:
  explicit PgStore(const std::string& url) : pool_(url, 4) {}
  Result<void> migrate(const std::function<void(const std::string&)>& progress);
  // A pooled connection to a migrated database (migrating first when not done yet).
  Result<PgSession> session();
  Result<std::optional<KeyRecord>> find_one(const char* where, const std::string& value);

  PgPool pool_;
  std::atomic<bool> migrated_{false};
  std::mutex migrate_mu_;
  std::function<void(const std::string&)> progress_;  // guarded by migrate_mu_
  std::chrono::steady_clock::time_point last_try_;    // guarded by migrate_mu_
  std::optional<Error> last_error_;                   // guarded by migrate_mu_
};

}  // namespace litellm::store
