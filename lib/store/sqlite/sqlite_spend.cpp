// SqliteStore's spend rows: appended in batches by the spend writer, read by /spend/*.
#include <sched.h>

#include <sqlite3.h>

#include "store/party_sql.hpp"
#include "store/spend_sql.hpp"
#include "store/sqlite/spend_where.hpp"
#include "store/sqlite/sqlite_stmt.hpp"
#include "store/sqlite/sqlite_store.hpp"

namespace litellm::store {

namespace {

constexpr std::size_t kRowsBetweenYields = 32;

using nlohmann::json;

constexpr const char* kSpendColumns =
    "request_id, call_type, api_key, user_id, team_id, end_user, model, model_id, model_group, "
    "provider, api_base, prompt_tokens, completion_tokens, cached_tokens, spend, start_ms, end_ms, "
    "first_token_ms, status, error_class, cache_hit, request_tags, metadata";

void bind_filter(Stmt& s, const SpendFilter& f) {
  s.text(1, f.api_key);
  s.text(2, f.user);
  s.text(3, f.team_id);
  s.text(4, f.end_user);
  s.text(5, f.model);
  s.text(6, f.request_id);
  s.integer(7, f.start_ms);
  s.integer(8, f.end_ms);
}

// The row's strings are bound without a copy; `tags` and `metadata` hold its JSON columns and,
// like the row, must outlive the step.
void bind_row(Stmt& s, const SpendRow& r, std::string& tags, std::string& metadata) {
  s.text_kept(1, r.request_id);
  s.text_kept(2, r.call_type);
  s.text_kept(3, r.api_key);
  s.text_kept(4, r.user);
  s.text_kept(5, r.team_id);
  s.text_kept(6, r.end_user);
  s.text_kept(7, r.model);
  s.text_kept(8, r.model_id);
  s.text_kept(9, r.model_group);
  s.text_kept(10, r.provider);
  s.text_kept(11, r.api_base);
  s.integer(12, r.prompt_tokens);
  s.integer(13, r.completion_tokens);
  s.integer(14, r.cached_tokens);
  s.real(15, r.spend);
  s.integer(16, r.start_ms);
  s.integer(17, r.end_ms);
  s.integer(18, r.first_token_ms);
  s.text_kept(19, r.status);
  s.text_kept(20, r.error_class);
  s.integer(21, std::int64_t{r.cache_hit ? 1 : 0});
  tags = r.request_tags.dump();
  metadata = r.metadata.dump();
  s.text_kept(22, tags);
  s.text_kept(23, metadata);
}

SpendRow read_spend_row(Stmt& s) {
  SpendRow r;
  r.request_id = s.col_text(0).value_or("");
  r.call_type = s.col_text(1).value_or("");
  r.api_key = s.col_text(2).value_or("");
  r.user = s.col_text(3).value_or("");
  r.team_id = s.col_text(4).value_or("");
  r.end_user = s.col_text(5).value_or("");
  r.model = s.col_text(6).value_or("");
  r.model_id = s.col_text(7).value_or("");
  r.model_group = s.col_text(8).value_or("");
  r.provider = s.col_text(9).value_or("");
  r.api_base = s.col_text(10).value_or("");
  r.prompt_tokens = s.col_int(11).value_or(0);
  r.completion_tokens = s.col_int(12).value_or(0);
  r.cached_tokens = s.col_int(13).value_or(0);
  r.spend = s.col_real(14).value_or(0);
  r.start_ms = s.col_int(15).value_or(0);
  r.end_ms = s.col_int(16).value_or(0);
  r.first_token_ms = s.col_int(17);
  r.status = s.col_text(18).value_or("");
  r.error_class = s.col_text(19).value_or("");
  r.cache_hit = s.col_int(20).value_or(0) != 0;
  const auto tags = json::parse(s.col_text(21).value_or("[]"), nullptr, false);
  r.request_tags = tags.is_array() ? tags : json::array();
  const auto md = json::parse(s.col_text(22).value_or("{}"), nullptr, false);
  r.metadata = md.is_object() ? md : json::object();
  return r;
}

}  // namespace

// SQLite plans a statement for any values, so `(?1 IS NULL OR api_key = ?1)` could never use the
// index on api_key (every query scanned spend_logs by start time); `api_key = ?1` does. A user or
// team filter also says `!= ''`, which the partial indexes on those columns ask of a query they
// serve. bind_filter binds all eight numbers; those a statement lacks are refused by SQLite
// (SQLITE_RANGE) and stay unbound, which is what they should be.
std::string sqlite_spend_where(const SpendFilter& f) {
  std::string where;
  const auto term = [&where](const char* t) {
    where += where.empty() ? " WHERE " : " AND ";
    where += t;
  };
  if (f.api_key) {
    term("api_key = ?1");
  }
  if (f.user) {
    term(f.user->empty() ? "user_id = ?2" : "user_id = ?2 AND user_id != ''");
  }
  if (f.team_id) {
    term(f.team_id->empty() ? "team_id = ?3" : "team_id = ?3 AND team_id != ''");
  }
  if (f.end_user) {
    term("end_user = ?4");
  }
  if (f.model) {
    term("(model_group = ?5 OR model = ?5)");
  }
  if (f.request_id) {
    term("request_id = ?6");
  }
  if (f.start_ms) {
    term("start_ms >= ?7");
  }
  if (f.end_ms) {
    term("start_ms < ?8");
  }
  return where;
}

Result<void> SqliteStore::write_spend(const std::vector<SpendRow>& rows,
                                      const std::vector<SpendAmount>& amounts) {
  std::lock_guard lock(mu_);
  Transaction tx(db_);
  if (!tx.ok()) {
    return failure("starting a spend batch");
  }
  {
    // OR IGNORE: a batch retried after a commit whose answer was lost must not fail on its
    // own rows.
    Stmt insert(db_,
                (std::string("INSERT OR IGNORE INTO spend_logs (") + kSpendColumns +
                 ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
                    .c_str());
    if (!insert.ok()) {
      return failure("preparing a spend row insert");
    }
    std::size_t n = 0;
    std::string tags;
    std::string metadata;
    for (const auto& r : rows) {
      // A batch is milliseconds of CPU with no system call. On a small or virtual machine a
      // request thread woken meanwhile on this CPU can wait for the next scheduler tick (seen
      // here: 3-4 ms, the whole of the proxy's p99 at one connection); a yield every few rows
      // lets it run within ~0.1 ms. The batch stays one transaction.
      if (++n % kRowsBetweenYields == 0) {
        sched_yield();
      }
      sqlite3_reset(insert.get());
      bind_row(insert, r, tags, metadata);
      if (sqlite3_step(insert.get()) != SQLITE_DONE) {
        return failure("writing a spend row");
      }
    }
  }
  {
    Stmt add_key(db_, "UPDATE verification_tokens SET spend = spend + ? WHERE token = ?");
    Stmt add_party(db_, party_sql::sqlite_sql(party_sql::kAddSpend).c_str());
    for (const auto& a : amounts) {
      Stmt& s = a.holder == SpendHolder::Key ? add_key : add_party;
      sqlite3_reset(s.get());
      s.real(1, a.usd);
      if (a.holder == SpendHolder::Key) {
        s.text(2, a.id);
      } else {
        s.text(2, std::string(party_sql::holder_kind(a.holder)));
        s.text(3, a.id);
      }
      if (sqlite3_step(s.get()) != SQLITE_DONE) {
        return failure("adding spend");
      }
    }
  }
  if (!tx.commit()) {
    return failure("committing a spend batch");
  }
  return {};
}

Result<std::vector<SpendRow>> SqliteStore::spend_logs(const SpendFilter& filter, std::int64_t limit,
                                                      std::int64_t offset) {
  std::lock_guard lock(mu_);
  Stmt s(db_, (std::string("SELECT ") + kSpendColumns + " FROM spend_logs" +
               sqlite_spend_where(filter) + " ORDER BY start_ms, request_id LIMIT ?9 OFFSET ?10")
                  .c_str());
  if (!s.ok()) {
    return failure("preparing a spend query");
  }
  bind_filter(s, filter);
  s.integer(9, limit);
  s.integer(10, offset);
  std::vector<SpendRow> out;
  int rc = 0;
  while ((rc = sqlite3_step(s.get())) == SQLITE_ROW) {
    out.push_back(read_spend_row(s));
  }
  if (rc != SQLITE_DONE) {
    return failure("reading spend rows");
  }
  return out;
}

Result<double> SqliteStore::total_spend(const SpendFilter& filter) {
  std::lock_guard lock(mu_);
  Stmt s(db_, (std::string("SELECT COALESCE(SUM(spend), 0) FROM spend_logs") +
               sqlite_spend_where(filter))
                  .c_str());
  if (!s.ok()) {
    return failure("preparing a spend total");
  }
  bind_filter(s, filter);
  if (sqlite3_step(s.get()) != SQLITE_ROW) {
    return failure("summing spend");
  }
  return sqlite3_column_double(s.get(), 0);
}

Result<std::vector<SpendGroup>> SqliteStore::spend_report(const SpendFilter& filter,
                                                          SpendGrouping by) {
  std::lock_guard lock(mu_);
  const std::string group = spend_group_column(by);
  Stmt s(db_, ("SELECT strftime('%Y-%m-%d', start_ms / 1000, 'unixepoch') AS day, " + group +
               " AS grp, SUM(spend), SUM(prompt_tokens), SUM(completion_tokens), COUNT(*) FROM "
               "spend_logs" +
               sqlite_spend_where(filter) + " GROUP BY day, grp ORDER BY day, SUM(spend) DESC, grp")
                  .c_str());
  if (!s.ok()) {
    return failure("preparing a spend report");
  }
  bind_filter(s, filter);
  std::vector<SpendGroup> out;
  int rc = 0;
  while ((rc = sqlite3_step(s.get())) == SQLITE_ROW) {
    out.push_back(SpendGroup{s.col_text(0).value_or(""), s.col_text(1).value_or(""),
                             s.col_real(2).value_or(0), s.col_int(3).value_or(0),
                             s.col_int(4).value_or(0), s.col_int(5).value_or(0)});
  }
  if (rc != SQLITE_DONE) {
    return failure("reading a spend report");
  }
  return out;
}

}  // namespace litellm::store
