#include "store/postgres/pg_store.hpp"

#include <nlohmann/json.hpp>

#include "core/clock.hpp"
#include "store/migration.hpp"
#include "store/party_sql.hpp"

namespace litellm::store {

namespace {

using nlohmann::json;

// Append only, as SQLite's: the same tables in PostgreSQL's types.
constexpr Migration kMigrations[] = {
    {1, "virtual keys", R"sql(
CREATE TABLE verification_tokens (
  token TEXT PRIMARY KEY,
  key_name TEXT NOT NULL,
  key_alias TEXT UNIQUE,
  models TEXT NOT NULL DEFAULT '[]',
  max_budget DOUBLE PRECISION,
  spend DOUBLE PRECISION NOT NULL DEFAULT 0,
  budget_duration TEXT,
  expires BIGINT,
  user_id TEXT,
  team_id TEXT,
  rpm_limit BIGINT,
  tpm_limit BIGINT,
  max_parallel_requests BIGINT,
  metadata TEXT NOT NULL DEFAULT '{}',
  blocked BIGINT NOT NULL DEFAULT 0,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);
CREATE INDEX verification_tokens_user ON verification_tokens (user_id);
CREATE INDEX verification_tokens_team ON verification_tokens (team_id);
CREATE INDEX verification_tokens_created ON verification_tokens (created_at);
)sql"},
    {2, "spend logs and budget periods", R"sql(
ALTER TABLE verification_tokens ADD COLUMN budget_reset_at BIGINT;
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
  prompt_tokens BIGINT NOT NULL,
  completion_tokens BIGINT NOT NULL,
  cached_tokens BIGINT NOT NULL,
  spend DOUBLE PRECISION NOT NULL,
  start_ms BIGINT NOT NULL,
  end_ms BIGINT NOT NULL,
  first_token_ms BIGINT,
  status TEXT NOT NULL,
  error_class TEXT NOT NULL,
  cache_hit BIGINT NOT NULL,
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
};

// Any number that keeps litellmd replicas' migrations from running side by side.
constexpr const char* kMigrationLock = "SELECT pg_advisory_xact_lock(7318349)";

constexpr const char* kColumns =
    "token, key_name, key_alias, models, max_budget, spend, budget_duration, expires, user_id, "
    "team_id, rpm_limit, tpm_limit, max_parallel_requests, metadata, blocked, created_at, "
    "updated_at, budget_reset_at";

KeyRecord read_row(const PgResult& r, int i) {
  KeyRecord k;
  k.token = r.text(i, 0).value_or("");
  k.key_name = r.text(i, 1).value_or("");
  k.key_alias = r.text(i, 2);
  const auto models = json::parse(r.text(i, 3).value_or("[]"), nullptr, false);
  if (models.is_array()) {
    for (const auto& m : models) {
      if (m.is_string()) {
        k.models.push_back(m.get<std::string>());
      }
    }
  }
  k.max_budget = r.real(i, 4);
  k.spend = r.real(i, 5).value_or(0);
  k.budget_duration = r.text(i, 6);
  k.expires = r.integer(i, 7);
  k.user_id = r.text(i, 8);
  k.team_id = r.text(i, 9);
  k.rpm_limit = r.integer(i, 10);
  k.tpm_limit = r.integer(i, 11);
  k.max_parallel_requests = r.integer(i, 12);
  const auto md = json::parse(r.text(i, 13).value_or("{}"), nullptr, false);
  k.metadata = md.is_object() ? md : json::object();
  k.blocked = r.integer(i, 14).value_or(0) != 0;
  k.created_at = r.integer(i, 15).value_or(0);
  k.updated_at = r.integer(i, 16).value_or(0);
  k.budget_reset_at = r.integer(i, 17);
  return k;
}

// $1..$18 in kColumns' order.
PgParams key_params(const KeyRecord& k) {
  PgParams p;
  p.text(k.token)
      .text(k.key_name)
      .text(k.key_alias)
      .text(json(k.models).dump())
      .real(k.max_budget)
      .real(k.spend)
      .text(k.budget_duration)
      .integer(k.expires)
      .text(k.user_id)
      .text(k.team_id)
      .integer(k.rpm_limit)
      .integer(k.tpm_limit)
      .integer(k.max_parallel_requests)
      .text(k.metadata.dump())
      .integer(std::int64_t{k.blocked ? 1 : 0})
      .integer(k.created_at)
      .integer(k.updated_at)
      .integer(k.budget_reset_at);
  return p;
}

Error not_found() {
  return Error{ErrorCode::NotFound, "Key not found in database", "key", {}, 0, {}};
}

}  // namespace

Result<std::unique_ptr<PgStore>> PgStore::open(
    const std::string& url, const std::function<void(const std::string&)>& progress) {
  std::unique_ptr<PgStore> store(new PgStore(url));
  if (auto m = store->migrate(progress); !m) {
    return m.error();
  }
  store->migrated_ = true;
  return store;
}

std::unique_ptr<PgStore> PgStore::open_when_reachable(
    const std::string& url, std::function<void(const std::string&)> progress) {
  std::unique_ptr<PgStore> store(new PgStore(url));
  store->progress_ = std::move(progress);
  return store;
}

Result<PgSession> PgStore::session() {
  if (!migrated_.load(std::memory_order_acquire)) {
    std::lock_guard lock(migrate_mu_);
    if (!migrated_.load(std::memory_order_relaxed)) {
      const auto now = std::chrono::steady_clock::now();
      if (last_error_ && now - last_try_ < std::chrono::seconds(1)) {
        return *last_error_;
      }
      last_try_ = now;
      if (auto m = migrate(progress_); !m) {
        last_error_ = m.error();
        return m.error();
      }
      last_error_.reset();
      migrated_.store(true, std::memory_order_release);
    }
  }
  return pool_.acquire();
}

Result<void> PgStore::migrate(const std::function<void(const std::string&)>& progress) {
  auto s = pool_.acquire();
  if (!s) {
    return s.error();
  }
  if (auto ok = s->run("creating schema_migrations",
                       "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY "
                       "KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)");
      !ok) {
    return ok;
  }
  for (const auto& m : kMigrations) {
    // Each migration, its bookkeeping and the check that it is still due commit together.
    if (auto ok = s->run("starting a migration", "BEGIN"); !ok) {
      return ok;
    }
    auto step = [&]() -> Result<bool> {
      if (auto ok = s->run("locking migrations", kMigrationLock); !ok) {
        return ok.error();
      }
      auto done = s->exec("reading the schema version",
                          "SELECT 1 FROM schema_migrations WHERE version = $1",
                          PgParams().integer(std::int64_t{m.version}));
      if (!done) {
        return done.error();
      }
      if (done->rows() > 0) {
        return false;
      }
      if (progress) {
        progress(migration_step(m));
      }
      if (auto ok = s->run("migration " + std::to_string(m.version), m.sql); !ok) {
        return ok.error();
      }
      if (auto ok = s->run(
              "recording migration " + std::to_string(m.version),
              "INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)",
              PgParams()
                  .integer(std::int64_t{m.version})
                  .text(std::string(m.name))
                  .integer(core::SystemClock::instance().unix_seconds()));
          !ok) {
        return ok.error();
      }
      return true;
    }();
    if (!step) {
      (void)s->run("rolling back", "ROLLBACK");
      return step.error();
    }
    if (auto ok = s->run("committing a migration", "COMMIT"); !ok) {
      return ok;
    }
  }
  return {};
}

Result<int> PgStore::schema_version() {
  auto s = session();
  if (!s) {
    return s.error();
  }
  auto r = s->exec("reading the schema version",
                   "SELECT COALESCE(MAX(version), 0) FROM schema_migrations");
  if (!r) {
    return r.error();
  }
  return static_cast<int>(r->integer(0, 0).value_or(0));
}

Result<void> PgStore::insert_key(const KeyRecord& k) {
  auto s = session();
  if (!s) {
    return s.error();
  }
  return s->run("inserting a key",
                (std::string("INSERT INTO verification_tokens (") + kColumns +
                 ") VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, "
                 "$16, $17, $18)")
                    .c_str(),
                key_params(k));
}

Result<std::optional<KeyRecord>> PgStore::find_one(const char* where, const std::string& value) {
  auto s = session();
  if (!s) {
    return s.error();
  }
  auto r = s->exec(
      "looking up a key",
      (std::string("SELECT ") + kColumns + " FROM verification_tokens WHERE " + where).c_str(),
      PgParams().text(value));
  if (!r) {
    return r.error();
  }
  if (r->rows() == 0) {
    return std::optional<KeyRecord>();
  }
  return std::optional<KeyRecord>(read_row(*r, 0));
}

Result<std::optional<KeyRecord>> PgStore::find_key(const std::string& token) {
  return find_one("token = $1", token);
}

Result<std::optional<KeyRecord>> PgStore::find_key_by_alias(const std::string& alias) {
  return find_one("key_alias = $1", alias);
}

Result<std::int64_t> PgStore::delete_keys(const std::vector<std::string>& tokens) {
  auto s = session();
  if (!s) {
    return s.error();
  }
  json list = tokens;
  auto r = s->exec("deleting keys",
                   "DELETE FROM verification_tokens WHERE token IN (SELECT "
                   "jsonb_array_elements_text($1::jsonb))",
                   PgParams().text(list.dump()));
  if (!r) {
    return r.error();
  }
  return r->affected();
}

Result<KeyPage> PgStore::list_keys(std::int64_t page, std::int64_t size,
                                   const std::optional<std::string>& user_id,
                                   const std::optional<std::string>& team_id) {
  auto s = session();
  if (!s) {
    return s.error();
  }
  const std::string where =
      " WHERE ($1::text IS NULL OR user_id = $1) AND ($2::text IS NULL OR team_id = $2)";
  KeyPage out;
  auto count =
      s->exec("counting keys", ("SELECT COUNT(*) FROM verification_tokens" + where).c_str(),
              PgParams().text(user_id).text(team_id));
  if (!count) {
    return count.error();
  }
  out.total = count->integer(0, 0).value_or(0);
  auto r = s->exec("listing keys",
                   (std::string("SELECT ") + kColumns + " FROM verification_tokens" + where +
                    " ORDER BY created_at DESC, token LIMIT $3 OFFSET $4")
                       .c_str(),
                   PgParams().text(user_id).text(team_id).integer(size).integer((page - 1) * size));
  if (!r) {
    return r.error();
  }
  for (int i = 0; i < r->rows(); ++i) {
    out.keys.push_back(read_row(*r, i));
  }
  return out;
}

Result<void> PgStore::update_key(const KeyRecord& k) {
  auto s = session();
  if (!s) {
    return s.error();
  }
  // spend is left alone: the spend writer owns it.
  auto r =
      s->exec("updating a key",
              "UPDATE verification_tokens SET key_alias = $2, models = $3, max_budget = $4, "
              "budget_duration = $5, expires = $6, user_id = $7, team_id = $8, rpm_limit = $9, "
              "tpm_limit = $10, max_parallel_requests = $11, metadata = $12, blocked = $13, "
              "updated_at = $14, budget_reset_at = $15 WHERE token = $1",
              PgParams()
                  .text(k.token)
                  .text(k.key_alias)
                  .text(json(k.models).dump())
                  .real(k.max_budget)
                  .text(k.budget_duration)
                  .integer(k.expires)
                  .text(k.user_id)
                  .text(k.team_id)
                  .integer(k.rpm_limit)
                  .integer(k.tpm_limit)
                  .integer(k.max_parallel_requests)
                  .text(k.metadata.dump())
                  .integer(std::int64_t{k.blocked ? 1 : 0})
                  .integer(k.updated_at)
                  .integer(k.budget_reset_at));
  if (!r) {
    return r.error();
  }
  if (r->affected() == 0) {
    return not_found();
  }
  return {};
}

Result<void> PgStore::rename_key(const std::string& token, const std::string& new_token,
                                 const std::string& new_key_name) {
  auto s = session();
  if (!s) {
    return s.error();
  }
  auto r = s->exec("regenerating a key",
                   "UPDATE verification_tokens SET token = $2, key_name = $3 WHERE token = $1",
                   PgParams().text(token).text(new_token).text(new_key_name));
  if (!r) {
    return r.error();
  }
  if (r->affected() == 0) {
    return not_found();
  }
  return {};
}

Result<std::vector<DueReset>> PgStore::due_budget_resets(std::int64_t now) {
  auto s = session();
  if (!s) {
    return s.error();
  }
  auto keys = s->exec("finding budgets to reset",
                      "SELECT token, budget_duration FROM verification_tokens WHERE "
                      "budget_duration IS NOT NULL AND budget_reset_at IS NOT NULL AND "
                      "budget_reset_at <= $1",
                      PgParams().integer(now));
  if (!keys) {
    return keys.error();
  }
  std::vector<DueReset> out;
  out.reserve(static_cast<std::size_t>(keys->rows()));
  for (int i = 0; i < keys->rows(); ++i) {
    out.push_back(
        DueReset{SpendHolder::Key, keys->text(i, 0).value_or(""), keys->text(i, 1).value_or("")});
  }
  auto parties = s->exec("finding budgets to reset", party_sql::kDue, PgParams().integer(now));
  if (!parties) {
    return parties.error();
  }
  for (int i = 0; i < parties->rows(); ++i) {
    if (const auto holder = party_sql::holder_of(parties->text(i, 0).value_or(""))) {
      out.push_back(
          DueReset{*holder, parties->text(i, 1).value_or(""), parties->text(i, 2).value_or("")});
    }
  }
  return out;
}

Result<void> PgStore::reset_budgets(const std::vector<BudgetReset>& resets) {
  auto s = session();
  if (!s) {
    return s.error();
  }
  if (auto ok = s->run("starting a budget reset", "BEGIN"); !ok) {
    return ok;
  }
  for (const auto& r : resets) {
    auto ok = r.holder == SpendHolder::Key
                  ? s->run("resetting a budget",
                           "UPDATE verification_tokens SET spend = 0, budget_reset_at = $2 WHERE "
                           "token = $1",
                           PgParams().text(r.id).integer(r.next_reset_at))
                  : s->run("resetting a budget", party_sql::kReset,
                           PgParams()
                               .integer(r.next_reset_at)
                               .text(std::string(party_sql::holder_kind(r.holder)))
                               .text(r.id));
    if (!ok) {
      (void)s->run("rolling back", "ROLLBACK");
      return ok;
    }
  }
  return s->run("committing budget resets", "COMMIT");
}

}  // namespace litellm::store
