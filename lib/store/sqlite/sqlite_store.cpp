#include "store/sqlite/sqlite_store.hpp"

#include <sqlite3.h>

#include "core/clock.hpp"
#include "store/migration.hpp"
#include "store/party_sql.hpp"
#include "store/sqlite/sqlite_stmt.hpp"

namespace litellm::store {

namespace {

using nlohmann::json;

// Append only: a released migration is never edited, a change is a new version.
constexpr Migration kMigrations[] = {
    {1, "virtual keys", R"sql(
CREATE TABLE verification_tokens (
  token TEXT PRIMARY KEY,
  key_name TEXT NOT NULL,
  key_alias TEXT UNIQUE,
  models TEXT NOT NULL DEFAULT '[]',
  max_budget REAL,
  spend REAL NOT NULL DEFAULT 0,
  budget_duration TEXT,
  expires INTEGER,
  user_id TEXT,
  team_id TEXT,
  rpm_limit INTEGER,
  tpm_limit INTEGER,
  max_parallel_requests INTEGER,
  metadata TEXT NOT NULL DEFAULT '{}',
  blocked INTEGER NOT NULL DEFAULT 0,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE INDEX verification_tokens_user ON verification_tokens (user_id);
CREATE INDEX verification_tokens_team ON verification_tokens (team_id);
CREATE INDEX verification_tokens_created ON verification_tokens (created_at);
)sql"},
    {2, "spend logs and budget periods", R"sql(
ALTER TABLE verification_tokens ADD COLUMN budget_reset_at INTEGER;
CREATE INDEX verification_tokens_reset ON verification_tokens (budget_reset_at);
CREATE TABLE spend_logs (
  request_id TEXT PRIMARY KEY,
  call_type TEXT NOT NULL,
  api_key TEXT NOT NULL,
  user_id TEXT NOT NULL,
  team_id TEXT NOT NULL,
  end_user TEXT NOT NULL,
  model TEXT NOT NULL,
  model_id TEXT NOT NULL,
  model_group TEXT NOT NULL,
  provider TEXT NOT NULL,
  api_base TEXT NOT NULL,
  prompt_tokens INTEGER NOT NULL,
  completion_tokens INTEGER NOT NULL,
  cached_tokens INTEGER NOT NULL,
  spend REAL NOT NULL,
  start_ms INTEGER NOT NULL,
  end_ms INTEGER NOT NULL,
  first_token_ms INTEGER,
  status TEXT NOT NULL,
  error_class TEXT NOT NULL,
  cache_hit INTEGER NOT NULL,
  request_tags TEXT NOT NULL,
  metadata TEXT NOT NULL
);
CREATE INDEX spend_logs_start ON spend_logs (start_ms);
CREATE INDEX spend_logs_key ON spend_logs (api_key, start_ms);
CREATE INDEX spend_logs_user ON spend_logs (user_id, start_ms);
CREATE INDEX spend_logs_team ON spend_logs (team_id, start_ms);
)sql"},
    {party_sql::kMigrationVersion, party_sql::kMigrationName, party_sql::kMigration},
    {party_sql::kMigration4Version, party_sql::kMigration4Name, party_sql::kMigration4},
    // Every row written costs an entry in each index; most rows (the master key's, a key with no
    // owner) have no user or team and were indexed under ''. Queries by user or team say
    // `!= ''` so these partial indexes serve them.
    {5, "spend indexes skip rows with no user or team", R"sql(
DROP INDEX spend_logs_user;
DROP INDEX spend_logs_team;
CREATE INDEX spend_logs_user ON spend_logs (user_id, start_ms) WHERE user_id != '';
CREATE INDEX spend_logs_team ON spend_logs (team_id, start_ms) WHERE team_id != '';
)sql"},
};

constexpr const char* kColumns =
    "token, key_name, key_alias, models, max_budget, spend, budget_duration, expires, user_id, "
    "team_id, rpm_limit, tpm_limit, max_parallel_requests, metadata, blocked, created_at, "
    "updated_at, budget_reset_at";

KeyRecord read_row(Stmt& s) {
  KeyRecord k;
  k.token = s.col_text(0).value_or("");
  k.key_name = s.col_text(1).value_or("");
  k.key_alias = s.col_text(2);
  const auto models = json::parse(s.col_text(3).value_or("[]"), nullptr, false);
  if (models.is_array()) {
    for (const auto& m : models) {
      if (m.is_string()) {
        k.models.push_back(m.get<std::string>());
      }
    }
  }
  k.max_budget = s.col_real(4);
  k.spend = s.col_real(5).value_or(0);
  k.budget_duration = s.col_text(6);
  k.expires = s.col_int(7);
  k.user_id = s.col_text(8);
  k.team_id = s.col_text(9);
  k.rpm_limit = s.col_int(10);
  k.tpm_limit = s.col_int(11);
  k.max_parallel_requests = s.col_int(12);
  const auto md = json::parse(s.col_text(13).value_or("{}"), nullptr, false);
  k.metadata = md.is_object() ? md : json::object();
  k.blocked = s.col_int(14).value_or(0) != 0;
  k.created_at = s.col_int(15).value_or(0);
  k.updated_at = s.col_int(16).value_or(0);
  k.budget_reset_at = s.col_int(17);
  return k;
}

}  // namespace

Result<std::unique_ptr<SqliteStore>> SqliteStore::open(
    const std::string& path, const std::function<void(const std::string&)>& progress) {
  sqlite3* db = nullptr;
  // NOMUTEX: every use of the connection is under mu_ already, so SQLite's own mutex, taken on
  // each of its calls (two dozen per spend row written), only cost time.
  const int rc = sqlite3_open_v2(
      path.c_str(), &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, nullptr);
  if (rc != SQLITE_OK) {
    std::string why = db != nullptr ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
    sqlite3_close(db);
    return Error::make(ErrorCode::Storage, "cannot open the database sqlite:" + path + ": " + why);
  }
  std::unique_ptr<SqliteStore> store(new SqliteStore(db, path));
  sqlite3_busy_timeout(db, 5000);
  for (const char* pragma :
       {"PRAGMA journal_mode=WAL", "PRAGMA synchronous=NORMAL", "PRAGMA foreign_keys=ON"}) {
    if (sqlite3_exec(db, pragma, nullptr, nullptr, nullptr) != SQLITE_OK) {
      return store->failure(pragma);
    }
  }
  if (auto m = store->migrate(progress); !m) {
    return m.error();
  }
  return store;
}

SqliteStore::~SqliteStore() {
  sqlite3_close(db_);
}

Error SqliteStore::failure(const std::string& what) const {
  return Error::make(ErrorCode::Storage,
                     "database " + describe() + ": " + what + ": " + sqlite3_errmsg(db_));
}

Result<void> SqliteStore::migrate(const std::function<void(const std::string&)>& progress) {
  std::lock_guard lock(mu_);
  if (sqlite3_exec(db_,
                   "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, "
                   "name TEXT NOT NULL, applied_at INTEGER NOT NULL)",
                   nullptr, nullptr, nullptr) != SQLITE_OK) {
    return failure("creating schema_migrations");
  }
  int current = 0;
  {
    Stmt s(db_, "SELECT COALESCE(MAX(version), 0) FROM schema_migrations");
    if (!s.ok() || sqlite3_step(s.get()) != SQLITE_ROW) {
      return failure("reading the schema version");
    }
    current = sqlite3_column_int(s.get(), 0);
  }
  for (const auto& m : kMigrations) {
    if (m.version <= current) {
      continue;
    }
    if (progress) {
      progress(migration_step(m));
    }
    // Each migration and its bookkeeping commit together, or not at all.
    if (sqlite3_exec(db_, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr) != SQLITE_OK) {
      return failure("starting migration " + std::to_string(m.version));
    }
    Stmt record(db_, "INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)");
    sqlite3_bind_int(record.get(), 1, m.version);
    record.text(2, std::string(m.name));
    sqlite3_bind_int64(record.get(), 3,
                       static_cast<sqlite3_int64>(core::SystemClock::instance().unix_seconds()));
    if (sqlite3_exec(db_, m.sql, nullptr, nullptr, nullptr) != SQLITE_OK ||
        sqlite3_step(record.get()) != SQLITE_DONE) {
      Error e = failure("migration " + std::to_string(m.version) + " (" + m.name + ")");
      sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
      return e;
    }
    if (sqlite3_exec(db_, "COMMIT", nullptr, nullptr, nullptr) != SQLITE_OK) {
      return failure("committing migration " + std::to_string(m.version));
    }
  }
  return {};
}

Result<int> SqliteStore::schema_version() {
  std::lock_guard lock(mu_);
  Stmt s(db_, "SELECT COALESCE(MAX(version), 0) FROM schema_migrations");
  if (!s.ok() || sqlite3_step(s.get()) != SQLITE_ROW) {
    return failure("reading the schema version");
  }
  return sqlite3_column_int(s.get(), 0);
}

namespace {

// Binds every column of kColumns, in order, from 1.
void bind_key(Stmt& s, const KeyRecord& k) {
  s.text(1, k.token);
  s.text(2, k.key_name);
  s.text(3, k.key_alias);
  s.text(4, json(k.models).dump());
  s.real(5, k.max_budget);
  s.real(6, k.spend);
  s.text(7, k.budget_duration);
  s.integer(8, k.expires);
  s.text(9, k.user_id);
  s.text(10, k.team_id);
  s.integer(11, k.rpm_limit);
  s.integer(12, k.tpm_limit);
  s.integer(13, k.max_parallel_requests);
  s.text(14, k.metadata.dump());
  s.integer(15, std::int64_t{k.blocked ? 1 : 0});
  s.integer(16, k.created_at);
  s.integer(17, k.updated_at);
  s.integer(18, k.budget_reset_at);
}

}  // namespace

Result<void> SqliteStore::insert_key(const KeyRecord& k) {
  std::lock_guard lock(mu_);
  Stmt s(db_, (std::string("INSERT INTO verification_tokens (") + kColumns +
               ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
                  .c_str());
  if (!s.ok()) {
    return failure("preparing a key insert");
  }
  bind_key(s, k);
  const int rc = sqlite3_step(s.get());
  if (rc == SQLITE_CONSTRAINT) {
    return Error::invalid("a key with this alias (or value) already exists", "key_alias");
  }
  if (rc != SQLITE_DONE) {
    return failure("inserting a key");
  }
  return {};
}

Result<void> SqliteStore::update_key(const KeyRecord& k) {
  std::lock_guard lock(mu_);
  // spend is left alone: the spend writer owns it (amounts in flight would be lost).
  Stmt s(db_,
         "UPDATE verification_tokens SET key_alias = ?3, models = ?4, max_budget = ?5, "
         "budget_duration = ?7, expires = ?8, user_id = ?9, team_id = ?10, rpm_limit = ?11, "
         "tpm_limit = ?12, max_parallel_requests = ?13, metadata = ?14, blocked = ?15, "
         "updated_at = ?17, budget_reset_at = ?18 WHERE token = ?1 AND key_name = ?2");
  if (!s.ok()) {
    return failure("preparing a key update");
  }
  bind_key(s, k);
  const int rc = sqlite3_step(s.get());
  if (rc == SQLITE_CONSTRAINT) {
    return Error::invalid("another key already has this alias", "key_alias");
  }
  if (rc != SQLITE_DONE) {
    return failure("updating a key");
  }
  if (sqlite3_changes(db_) == 0) {
    return Error{ErrorCode::NotFound, "Key not found in database", "key", {}, 0, {}};
  }
  return {};
}

Result<void> SqliteStore::rename_key(const std::string& token, const std::string& new_token,
                                     const std::string& new_key_name) {
  std::lock_guard lock(mu_);
  Stmt s(db_, "UPDATE verification_tokens SET token = ?, key_name = ? WHERE token = ?");
  s.text(1, new_token);
  s.text(2, new_key_name);
  s.text(3, token);
  if (!s.ok() || sqlite3_step(s.get()) != SQLITE_DONE) {
    return failure("regenerating a key");
  }
  if (sqlite3_changes(db_) == 0) {
    return Error{ErrorCode::NotFound, "Key not found in database", "key", {}, 0, {}};
  }
  return {};
}

Result<std::vector<DueReset>> SqliteStore::due_budget_resets(std::int64_t now) {
  std::lock_guard lock(mu_);
  std::vector<DueReset> out;
  {
    Stmt s(db_,
           "SELECT token, budget_duration FROM verification_tokens WHERE budget_duration IS NOT "
           "NULL AND budget_reset_at IS NOT NULL AND budget_reset_at <= ?");
    s.integer(1, now);
    int rc = 0;
    while ((rc = sqlite3_step(s.get())) == SQLITE_ROW) {
      out.push_back(
          DueReset{SpendHolder::Key, s.col_text(0).value_or(""), s.col_text(1).value_or("")});
    }
    if (rc != SQLITE_DONE) {
      return failure("finding budgets to reset");
    }
  }
  Stmt s(db_, party_sql::sqlite_sql(party_sql::kDue).c_str());
  s.integer(1, now);
  int rc = 0;
  while ((rc = sqlite3_step(s.get())) == SQLITE_ROW) {
    if (const auto holder = party_sql::holder_of(s.col_text(0).value_or(""))) {
      out.push_back(DueReset{*holder, s.col_text(1).value_or(""), s.col_text(2).value_or("")});
    }
  }
  if (rc != SQLITE_DONE) {
    return failure("finding budgets to reset");
  }
  return out;
}

Result<void> SqliteStore::reset_budgets(const std::vector<BudgetReset>& resets) {
  std::lock_guard lock(mu_);
  Transaction tx(db_);
  if (!tx.ok()) {
    return failure("starting a budget reset");
  }
  for (const auto& r : resets) {
    if (r.holder == SpendHolder::Key) {
      Stmt s(db_, "UPDATE verification_tokens SET spend = 0, budget_reset_at = ? WHERE token = ?");
      s.integer(1, r.next_reset_at);
      s.text(2, r.id);
      if (sqlite3_step(s.get()) != SQLITE_DONE) {
        return failure("resetting a budget");
      }
      continue;
    }
    Stmt s(db_, party_sql::sqlite_sql(party_sql::kReset).c_str());
    s.integer(1, r.next_reset_at);
    s.text(2, std::string(party_sql::holder_kind(r.holder)));
    s.text(3, r.id);
    if (sqlite3_step(s.get()) != SQLITE_DONE) {
      return failure("resetting a budget");
    }
  }
  if (!tx.commit()) {
    return failure("committing budget resets");
  }
  return {};
}

Result<std::optional<KeyRecord>> SqliteStore::find_one(const char* where,
                                                       const std::string& value) {
  std::lock_guard lock(mu_);
  Stmt s(db_,
         (std::string("SELECT ") + kColumns + " FROM verification_tokens WHERE " + where).c_str());
  if (!s.ok()) {
    return failure("preparing a key lookup");
  }
  s.text(1, value);
  const int rc = sqlite3_step(s.get());
  if (rc == SQLITE_DONE) {
    return std::optional<KeyRecord>();
  }
  if (rc != SQLITE_ROW) {
    return failure("looking up a key");
  }
  return std::optional<KeyRecord>(read_row(s));
}

Result<std::optional<KeyRecord>> SqliteStore::find_key(const std::string& token) {
  return find_one("token = ?", token);
}

Result<std::optional<KeyRecord>> SqliteStore::find_key_by_alias(const std::string& alias) {
  return find_one("key_alias = ?", alias);
}

Result<std::int64_t> SqliteStore::delete_keys(const std::vector<std::string>& tokens) {
  std::lock_guard lock(mu_);
  if (sqlite3_exec(db_, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr) != SQLITE_OK) {
    return failure("starting a delete");
  }
  std::int64_t deleted = 0;
  for (const auto& t : tokens) {
    Stmt s(db_, "DELETE FROM verification_tokens WHERE token = ?");
    s.text(1, t);
    if (sqlite3_step(s.get()) != SQLITE_DONE) {
      Error e = failure("deleting a key");
      sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
      return e;
    }
    deleted += sqlite3_changes(db_);
  }
  if (sqlite3_exec(db_, "COMMIT", nullptr, nullptr, nullptr) != SQLITE_OK) {
    return failure("committing a delete");
  }
  return deleted;
}

Result<KeyPage> SqliteStore::list_keys(std::int64_t page, std::int64_t size,
                                       const std::optional<std::string>& user_id,
                                       const std::optional<std::string>& team_id) {
  std::lock_guard lock(mu_);
  const std::string where = " WHERE (?1 IS NULL OR user_id = ?1) AND (?2 IS NULL OR team_id = ?2)";
  KeyPage out;
  {
    Stmt s(db_, ("SELECT COUNT(*) FROM verification_tokens" + where).c_str());
    s.text(1, user_id);
    s.text(2, team_id);
    if (!s.ok() || sqlite3_step(s.get()) != SQLITE_ROW) {
      return failure("counting keys");
    }
    out.total = sqlite3_column_int64(s.get(), 0);
  }
  Stmt s(db_, (std::string("SELECT ") + kColumns + " FROM verification_tokens" + where +
               " ORDER BY created_at DESC, token LIMIT ?3 OFFSET ?4")
                  .c_str());
  if (!s.ok()) {
    return failure("preparing a key listing");
  }
  s.text(1, user_id);
  s.text(2, team_id);
  sqlite3_bind_int64(s.get(), 3, size);
  sqlite3_bind_int64(s.get(), 4, (page - 1) * size);
  int rc = 0;
  while ((rc = sqlite3_step(s.get())) == SQLITE_ROW) {
    out.keys.push_back(read_row(s));
  }
  if (rc != SQLITE_DONE) {
    return failure("listing keys");
  }
  return out;
}

}  // namespace litellm::store
