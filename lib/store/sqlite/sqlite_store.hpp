#pragma once

#include <functional>
#include <memory>
#include <mutex>
#include <string>

#include "store/store.hpp"

struct sqlite3;

namespace litellm::store {

// The default backend: one SQLite file (WAL, so readers never wait on the writer), its schema
// brought up to date by versioned migrations when opened. One connection behind a mutex:
// SQLite serialises writers anyway, and the calls come from a small blocking pool.
class SqliteStore final : public Database {
 public:
  // Opens (creating) `path` and migrates it; `progress` hears each migration before it runs
  // (one may rebuild an index over every spend row). Errors: Storage naming the file.
  static Result<std::unique_ptr<SqliteStore>> open(
      const std::string& path, const std::function<void(const std::string&)>& progress = {});
  ~SqliteStore() override;
  SqliteStore(const SqliteStore&) = delete;
  SqliteStore& operator=(const SqliteStore&) = delete;

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

  // sqlite_spend.cpp
  Result<void> write_spend(const std::vector<SpendRow>& rows,
                           const std::vector<SpendAmount>& amounts) override;
  Result<std::vector<SpendRow>> spend_logs(const SpendFilter& filter, std::int64_t limit,
                                           std::int64_t offset) override;
  Result<double> total_spend(const SpendFilter& filter) override;
  Result<std::vector<SpendGroup>> spend_report(const SpendFilter& filter,
                                               SpendGrouping by) override;
  // sqlite_parties.cpp
  Result<void> insert_party(const PartyRecord& p) override;
  Result<std::optional<PartyRecord>> find_party(PartyKind kind, const std::string& id) override;
  Result<void> update_party(const PartyRecord& p) override;
  Result<std::int64_t> delete_parties(PartyKind kind, const std::vector<std::string>& ids) override;
  Result<PartyPage> list_parties(PartyKind kind, std::int64_t page, std::int64_t size) override;

  std::string describe() const override { return "sqlite:" + path_; }

  // The schema version the file is at (the highest migration applied).
  Result<int> schema_version();

 private:
  SqliteStore(sqlite3* db, std::string path) : db_(db), path_(std::move(path)) {}
  Result<void> migrate(const std::function<void(const std::string&)>& progress);
  Result<std::optional<KeyRecord>> find_one(const char* where, const std::string& value);
  Error failure(const std::string& what) const;

  sqlite3* db_;  // opened NOMUTEX: used only with mu_ held
  std::string path_;
  std::mutex mu_;
};

}  // namespace litellm::store
