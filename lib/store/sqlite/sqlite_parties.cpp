// SqliteStore's users, teams and customers (party_sql.hpp holds the SQL both backends run).
#include <sqlite3.h>

#include "store/party_sql.hpp"
#include "store/sqlite/sqlite_stmt.hpp"
#include "store/sqlite/sqlite_store.hpp"

namespace litellm::store {

namespace {

using party_sql::sqlite_sql;

void bind_values(Stmt& s, const std::vector<party_sql::SqlValue>& values) {
  int i = 1;
  for (const auto& v : values) {
    std::visit([&](const auto& x) { bind_one(s, i, x); }, v);
    ++i;
  }
}

struct StmtRow {
  Stmt& s;
  std::optional<std::string> text(int i) const { return s.col_text(i); }
  std::optional<std::int64_t> integer(int i) const { return s.col_int(i); }
  std::optional<double> real(int i) const { return s.col_real(i); }
};

Error not_found(PartyKind kind, const std::string& id) {
  return Error{ErrorCode::NotFound,
               std::string(party_kind_name(kind)) + " " + id + " not found",
               std::string(party_kind_name(kind)) + "_id",
               {},
               0,
               {}};
}

}  // namespace

Result<void> SqliteStore::insert_party(const PartyRecord& p) {
  std::lock_guard lock(mu_);
  Stmt s(db_, sqlite_sql(party_sql::kInsert.c_str()).c_str());
  bind_values(s, party_sql::insert_values(p));
  const int rc = sqlite3_step(s.get());
  if (rc == SQLITE_CONSTRAINT) {
    return Error::invalid(std::string(party_kind_name(p.kind)) + " " + p.id + " already exists",
                          std::string(party_kind_name(p.kind)) + "_id");
  }
  if (rc != SQLITE_DONE) {
    return failure("inserting a " + std::string(party_kind_name(p.kind)));
  }
  return {};
}

Result<std::optional<PartyRecord>> SqliteStore::find_party(PartyKind kind, const std::string& id) {
  std::lock_guard lock(mu_);
  Stmt s(db_, sqlite_sql(party_sql::kFind.c_str()).c_str());
  s.text(1, std::string(party_kind_name(kind)));
  s.text(2, id);
  const int rc = sqlite3_step(s.get());
  if (rc == SQLITE_DONE) {
    return std::optional<PartyRecord>();
  }
  if (rc != SQLITE_ROW) {
    return failure("looking up a " + std::string(party_kind_name(kind)));
  }
  return std::optional<PartyRecord>(party_sql::read_party(StmtRow{s}));
}

Result<void> SqliteStore::update_party(const PartyRecord& p) {
  std::lock_guard lock(mu_);
  Stmt s(db_, sqlite_sql(party_sql::kUpdate).c_str());
  bind_values(s, party_sql::update_values(p));
  if (sqlite3_step(s.get()) != SQLITE_DONE) {
    return failure("updating a " + std::string(party_kind_name(p.kind)));
  }
  if (sqlite3_changes(db_) == 0) {
    return not_found(p.kind, p.id);
  }
  return {};
}

Result<std::int64_t> SqliteStore::delete_parties(PartyKind kind,
                                                 const std::vector<std::string>& ids) {
  std::lock_guard lock(mu_);
  Transaction tx(db_);
  if (!tx.ok()) {
    return failure("starting a delete");
  }
  std::int64_t deleted = 0;
  for (const auto& id : ids) {
    Stmt s(db_, sqlite_sql(party_sql::kDelete).c_str());
    s.text(1, std::string(party_kind_name(kind)));
    s.text(2, id);
    if (sqlite3_step(s.get()) != SQLITE_DONE) {
      return failure("deleting a " + std::string(party_kind_name(kind)));
    }
    deleted += sqlite3_changes(db_);
  }
  if (!tx.commit()) {
    return failure("committing a delete");
  }
  return deleted;
}

Result<PartyPage> SqliteStore::list_parties(PartyKind kind, std::int64_t page, std::int64_t size) {
  std::lock_guard lock(mu_);
  PartyPage out;
  {
    Stmt s(db_, sqlite_sql(party_sql::kCount).c_str());
    s.text(1, std::string(party_kind_name(kind)));
    if (sqlite3_step(s.get()) != SQLITE_ROW) {
      return failure("counting");
    }
    out.total = sqlite3_column_int64(s.get(), 0);
  }
  Stmt s(db_, sqlite_sql(party_sql::kList.c_str()).c_str());
  s.text(1, std::string(party_kind_name(kind)));
  s.integer(2, size);
  s.integer(3, (page - 1) * size);
  int rc = 0;
  while ((rc = sqlite3_step(s.get())) == SQLITE_ROW) {
    out.parties.push_back(party_sql::read_party(StmtRow{s}));
  }
  if (rc != SQLITE_DONE) {
    return failure("listing");
  }
  return out;
}

}  // namespace litellm::store
