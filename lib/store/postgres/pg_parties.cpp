// PgStore's users, teams and customers (party_sql.hpp holds the SQL both backends run).
#include "store/party_sql.hpp"
#include "store/postgres/pg_store.hpp"

namespace litellm::store {

namespace {

PgParams params_of(const std::vector<party_sql::SqlValue>& values) {
  PgParams p;
  for (const auto& v : values) {
    std::visit(
        [&](const auto& x) {
          using T = typename std::decay_t<decltype(x)>::value_type;
          if constexpr (std::is_same_v<T, std::string>) {
            p.text(x);
          } else if constexpr (std::is_same_v<T, double>) {
            p.real(x);
          } else {
            p.integer(x);
          }
        },
        v);
  }
  return p;
}

struct ResultRow {
  const PgResult& r;
  int row;
  std::optional<std::string> text(int i) const { return r.text(row, i); }
  std::optional<std::int64_t> integer(int i) const { return r.integer(row, i); }
  std::optional<double> real(int i) const { return r.real(row, i); }
};

std::string kind_text(PartyKind k) {
  return party_kind_name(k);
}

}  // namespace

Result<void> PgStore::insert_party(const PartyRecord& p) {
  auto s = session();
  if (!s) {
    return s.error();
  }
  auto ok = s->run("inserting a " + kind_text(p.kind), party_sql::kInsert.c_str(),
                   params_of(party_sql::insert_values(p)));
  if (!ok && ok.error().code == ErrorCode::InvalidRequest) {
    return Error::invalid(kind_text(p.kind) + " " + p.id + " already exists",
                          kind_text(p.kind) + "_id");
  }
  return ok;
}

Result<std::optional<PartyRecord>> PgStore::find_party(PartyKind kind, const std::string& id) {
  auto s = session();
  if (!s) {
    return s.error();
  }
  auto r = s->exec("looking up a " + kind_text(kind), party_sql::kFind.c_str(),
                   PgParams().text(kind_text(kind)).text(id));
  if (!r) {
    return r.error();
  }
  if (r->rows() == 0) {
    return std::optional<PartyRecord>();
  }
  return std::optional<PartyRecord>(party_sql::read_party(ResultRow{*r, 0}));
}

Result<void> PgStore::update_party(const PartyRecord& p) {
  auto s = session();
  if (!s) {
    return s.error();
  }
  auto r = s->exec("updating a " + kind_text(p.kind), party_sql::kUpdate,
                   params_of(party_sql::update_values(p)));
  if (!r) {
    return r.error();
  }
  if (r->affected() == 0) {
    return Error{ErrorCode::NotFound,
                 kind_text(p.kind) + " " + p.id + " not found",
                 kind_text(p.kind) + "_id",
                 {},
                 0,
                 {}};
  }
  return {};
}

Result<std::int64_t> PgStore::delete_parties(PartyKind kind, const std::vector<std::string>& ids) {
  auto s = session();
  if (!s) {
    return s.error();
  }
  std::int64_t deleted = 0;
  for (const auto& id : ids) {
    auto r = s->exec("deleting a " + kind_text(kind), party_sql::kDelete,
                     PgParams().text(kind_text(kind)).text(id));
    if (!r) {
      return r.error();
    }
    deleted += r->affected();
  }
  return deleted;
}

Result<PartyPage> PgStore::list_parties(PartyKind kind, std::int64_t page, std::int64_t size) {
  auto s = session();
  if (!s) {
    return s.error();
  }
  PartyPage out;
  auto count = s->exec("counting", party_sql::kCount, PgParams().text(kind_text(kind)));
  if (!count) {
    return count.error();
  }
  out.total = count->integer(0, 0).value_or(0);
  auto r = s->exec("listing", party_sql::kList.c_str(),
                   PgParams().text(kind_text(kind)).integer(size).integer((page - 1) * size));
  if (!r) {
    return r.error();
  }
  for (int i = 0; i < r->rows(); ++i) {
    out.parties.push_back(party_sql::read_party(ResultRow{*r, i}));
  }
  return out;
}

}  // namespace litellm::store
