#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "store/spend_store.hpp"
#include "store/store.hpp"

// SQL both backends run for users, teams and customers. Parameters are PostgreSQL's $N;
// sqlite_sql() turns them into SQLite's equivalent ?N.
namespace litellm::store::party_sql {

constexpr int kMigrationVersion = 3;
constexpr const char* kMigrationName = "users, teams and customers";
// Portable: SQLite takes PostgreSQL's type names.
constexpr const char* kMigration = R"sql(
CREATE TABLE parties (
  kind TEXT NOT NULL,
  id TEXT NOT NULL,
  alias TEXT,
  models TEXT NOT NULL DEFAULT '[]',
  max_budget DOUBLE PRECISION,
  spend DOUBLE PRECISION NOT NULL DEFAULT 0,
  budget_duration TEXT,
  budget_reset_at BIGINT,
  rpm_limit BIGINT,
  tpm_limit BIGINT,
  blocked BIGINT NOT NULL DEFAULT 0,
  members TEXT NOT NULL DEFAULT '[]',
  metadata TEXT NOT NULL DEFAULT '{}',
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  PRIMARY KEY (kind, id)
);
CREATE INDEX parties_reset ON parties (budget_reset_at);
)sql";

// Users, teams and customers may cap their calls in flight, as keys do (LiteLLM's
// max_parallel_requests on its team, user and end-user tables).
constexpr int kMigration4Version = 4;
constexpr const char* kMigration4Name = "max_parallel_requests for users, teams and customers";
constexpr const char* kMigration4 = "ALTER TABLE parties ADD COLUMN max_parallel_requests BIGINT";

constexpr const char* kColumns =
    "kind, id, alias, models, max_budget, spend, budget_duration, budget_reset_at, rpm_limit, "
    "tpm_limit, blocked, members, metadata, created_at, updated_at, max_parallel_requests";
// The statements that name every column build on kColumns, so a new column is added once.
inline const std::string kInsert =
    std::string("INSERT INTO parties (") + kColumns +
    ") VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)";
inline const std::string kFind =
    std::string("SELECT ") + kColumns + " FROM parties WHERE kind = $1 AND id = $2";
// Every column but spend (the spend writer's) and created_at.
constexpr const char* kUpdate =
    "UPDATE parties SET alias = $3, models = $4, max_budget = $5, budget_duration = $6, "
    "budget_reset_at = $7, rpm_limit = $8, tpm_limit = $9, blocked = $10, members = $11, "
    "metadata = $12, updated_at = $13, max_parallel_requests = $14 WHERE kind = $1 AND id = $2";
constexpr const char* kDelete = "DELETE FROM parties WHERE kind = $1 AND id = $2";
constexpr const char* kCount = "SELECT COUNT(*) FROM parties WHERE kind = $1";
inline const std::string kList = std::string("SELECT ") + kColumns +
                                 " FROM parties WHERE kind = $1 ORDER BY created_at, id LIMIT $2 "
                                 "OFFSET $3";
constexpr const char* kAddSpend =
    "UPDATE parties SET spend = spend + $1 WHERE kind = $2 AND id = $3";
constexpr const char* kDue =
    "SELECT kind, id, budget_duration FROM parties WHERE budget_duration IS NOT NULL AND "
    "budget_reset_at IS NOT NULL AND budget_reset_at <= $1";
constexpr const char* kReset =
    "UPDATE parties SET spend = 0, budget_reset_at = $1 WHERE kind = $2 AND id = $3";

// One bound value; a null optional is SQL NULL.
using SqlValue =
    std::variant<std::optional<std::string>, std::optional<std::int64_t>, std::optional<double>>;

std::vector<SqlValue> insert_values(const PartyRecord& p);  // kInsert's $1..$16
std::vector<SqlValue> update_values(const PartyRecord& p);  // kUpdate's $1..$14

// A row of kColumns from either backend: `Row` answers text(i), integer(i), real(i) as optionals.
template <typename Row>
PartyRecord read_party(const Row& r);

// SQLite spells $N as ?N.
inline std::string sqlite_sql(const char* sql) {
  std::string s(sql);
  for (char& c : s) {
    if (c == '$') {
      c = '?';
    }
  }
  return s;
}

inline const char* holder_kind(SpendHolder h) {
  switch (h) {
    case SpendHolder::User:
      return "user";
    case SpendHolder::Team:
      return "team";
    case SpendHolder::Customer:
      return "customer";
    case SpendHolder::Key:
      break;
  }
  return "key";
}

inline std::optional<SpendHolder> holder_of(const std::string& kind) {
  if (kind == "user") {
    return SpendHolder::User;
  }
  if (kind == "team") {
    return SpendHolder::Team;
  }
  if (kind == "customer") {
    return SpendHolder::Customer;
  }
  return std::nullopt;
}

inline std::optional<PartyKind> party_kind_of(const std::string& kind) {
  if (kind == "user") {
    return PartyKind::User;
  }
  if (kind == "team") {
    return PartyKind::Team;
  }
  if (kind == "customer") {
    return PartyKind::Customer;
  }
  return std::nullopt;
}

PartyRecord read_party_fields(
    const std::optional<std::string>& kind, const std::optional<std::string>& id,
    const std::optional<std::string>& alias, const std::optional<std::string>& models,
    std::optional<double> max_budget, std::optional<double> spend,
    const std::optional<std::string>& budget_duration, std::optional<std::int64_t> budget_reset_at,
    std::optional<std::int64_t> rpm, std::optional<std::int64_t> tpm,
    std::optional<std::int64_t> blocked, const std::optional<std::string>& members,
    const std::optional<std::string>& metadata, std::optional<std::int64_t> created_at,
    std::optional<std::int64_t> updated_at);

template <typename Row>
PartyRecord read_party(const Row& r) {
  PartyRecord p =
      read_party_fields(r.text(0), r.text(1), r.text(2), r.text(3), r.real(4), r.real(5), r.text(6),
                        r.integer(7), r.integer(8), r.integer(9), r.integer(10), r.text(11),
                        r.text(12), r.integer(13), r.integer(14));
  p.max_parallel_requests = r.integer(15);
  return p;
}

}  // namespace litellm::store::party_sql
