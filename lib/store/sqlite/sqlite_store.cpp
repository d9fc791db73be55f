#include "store/sqlite/sqlite_store.hpp"

#include <ctime>

#include <sqlite3.h>

namespace litellm::store {

namespace {

using nlohmann::json;

struct Migration {
  int version;
  const char* name;
  const char* sql;
};

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
};

// A prepared statement that finalizes itself.
class Stmt {
 public:
  Stmt(sqlite3* db, const char* sql) { sqlite3_prepare_v2(db, sql, -1, &s_, nullptr); }
  ~Stmt() { sqlite3_finalize(s_); }
  Stmt(const Stmt&) = delete;
  Stmt& operator=(const Stmt&) = delete;
  bool ok() const { return s_ != nullptr; }
  sqlite3_stmt* get() { return s_; }
  void text(int i, const std::string& v) {
    sqlite3_bind_text(s_, i, v.c_str(), -1, SQLITE_TRANSIENT);
  }
  void text(int i, const std::optional<std::string>& v) {
    v ? text(i, *v) : void(sqlite3_bind_null(s_, i));
  }
  void integer(int i, const std::optional<std::int64_t>& v) {
    v ? void(sqlite3_bind_int64(s_, i, *v)) : void(sqlite3_bind_null(s_, i));
  }
  void real(int i, const std::optional<double>& v) {
    v ? void(sqlite3_bind_double(s_, i, *v)) : void(sqlite3_bind_null(s_, i));
  }
  std::optional<std::string> col_text(int i) {
    if (sqlite3_column_type(s_, i) == SQLITE_NULL) {
      return std::nullopt;
    }
    return std::string(reinterpret_cast<const char*>(sqlite3_column_text(s_, i)));
  }
  std::optional<std::int64_t> col_int(int i) {
    if (sqlite3_column_type(s_, i) == SQLITE_NULL) {
      return std::nullopt;
    }
    return sqlite3_column_int64(s_, i);
  }
  std::optional<double> col_real(int i) {
    if (sqlite3_column_type(s_, i) == SQLITE_NULL) {
      return std::nullopt;
    }
    return sqlite3_column_double(s_, i);
  }

 private:
  sqlite3_stmt* s_ = nullptr;
};

constexpr const char* kColumns =
    "token, key_name, key_alias, models, max_budget, spend, budget_duration, expires, user_id, "
    "team_id, rpm_limit, tpm_limit, max_parallel_requests, metadata, blocked, created_at, "
    "updated_at";

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
  return k;
}

}  // namespace

Result<std::unique_ptr<SqliteStore>> SqliteStore::open(const std::string& path) {
  sqlite3* db = nullptr;
  const int rc =
      sqlite3_open_v2(path.c_str(), &db,
                      SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_FULLMUTEX, nullptr);
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
  if (auto m = store->migrate(); !m) {
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

Result<void> SqliteStore::migrate() {
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
    // Each migration and its bookkeeping commit together, or not at all.
    if (sqlite3_exec(db_, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr) != SQLITE_OK) {
      return failure("starting migration " + std::to_string(m.version));
    }
    Stmt record(db_, "INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)");
    sqlite3_bind_int(record.get(), 1, m.version);
    record.text(2, std::string(m.name));
    sqlite3_bind_int64(record.get(), 3, static_cast<sqlite3_int64>(std::time(nullptr)));
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

Result<void> SqliteStore::insert_key(const KeyRecord& k) {
  std::lock_guard lock(mu_);
  Stmt s(db_, (std::string("INSERT INTO verification_tokens (") + kColumns +
               ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
                  .c_str());
  if (!s.ok()) {
    return failure("preparing a key insert");
  }
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
  const int rc = sqlite3_step(s.get());
  if (rc == SQLITE_CONSTRAINT) {
    return Error::invalid("a key with this alias (or value) already exists", "key_alias");
  }
  if (rc != SQLITE_DONE) {
    return failure("inserting a key");
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

Result<void> SqliteStore::add_spend(const std::vector<std::pair<std::string, double>>& amounts) {
  std::lock_guard lock(mu_);
  if (sqlite3_exec(db_, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr) != SQLITE_OK) {
    return failure("starting a spend update");
  }
  for (const auto& [token, usd] : amounts) {
    Stmt s(db_, "UPDATE verification_tokens SET spend = spend + ? WHERE token = ?");
    sqlite3_bind_double(s.get(), 1, usd);
    s.text(2, token);
    if (sqlite3_step(s.get()) != SQLITE_DONE) {
      Error e = failure("adding spend");
      sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
      return e;
    }
  }
  if (sqlite3_exec(db_, "COMMIT", nullptr, nullptr, nullptr) != SQLITE_OK) {
    return failure("committing spend");
  }
  return {};
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
