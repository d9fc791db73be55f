// PgStore's spend rows: appended in batches by the spend writer, read by /spend/*.
#include "store/party_sql.hpp"
#include "store/postgres/pg_store.hpp"
#include "store/spend_sql.hpp"

namespace litellm::store {

namespace {

using nlohmann::json;

constexpr const char* kSpendColumns =
    "request_id, call_type, api_key, user_id, team_id, end_user, model, model_id, model_group, "
    "provider, api_base, prompt_tokens, completion_tokens, cached_tokens, spend, start_ms, end_ms, "
    "first_token_ms, status, error_class, cache_hit, request_tags, metadata";

// Parameters $1..$8; statements that use it add theirs from $9.
constexpr const char* kSpendWhere =
    " WHERE ($1::text IS NULL OR api_key = $1) AND ($2::text IS NULL OR user_id = $2) AND "
    "($3::text IS NULL OR team_id = $3) AND ($4::text IS NULL OR end_user = $4) AND ($5::text IS "
    "NULL OR model_group = $5 OR model = $5) AND ($6::text IS NULL OR request_id = $6) AND "
    "($7::bigint IS NULL OR start_ms >= $7) AND ($8::bigint IS NULL OR start_ms < $8)";

PgParams filter_params(const SpendFilter& f) {
  PgParams p;
  p.text(f.api_key)
      .text(f.user)
      .text(f.team_id)
      .text(f.end_user)
      .text(f.model)
      .text(f.request_id)
      .integer(f.start_ms)
      .integer(f.end_ms);
  return p;
}

PgParams row_params(const SpendRow& r) {
  PgParams p;
  p.text(r.request_id)
      .text(r.call_type)
      .text(r.api_key)
      .text(r.user)
      .text(r.team_id)
      .text(r.end_user)
      .text(r.model)
      .text(r.model_id)
      .text(r.model_group)
      .text(r.provider)
      .text(r.api_base)
      .integer(r.prompt_tokens)
      .integer(r.completion_tokens)
      .integer(r.cached_tokens)
      .real(r.spend)
      .integer(r.start_ms)
      .integer(r.end_ms)
      .integer(r.first_token_ms)
      .text(r.status)
      .text(r.error_class)
      .integer(std::int64_t{r.cache_hit ? 1 : 0})
      .text(r.request_tags.dump())
      .text(r.metadata.dump());
  return p;
}

SpendRow read_spend_row(const PgResult& r, int i) {
  SpendRow s;
  s.request_id = r.text(i, 0).value_or("");
  s.call_type = r.text(i, 1).value_or("");
  s.api_key = r.text(i, 2).value_or("");
  s.user = r.text(i, 3).value_or("");
  s.team_id = r.text(i, 4).value_or("");
  s.end_user = r.text(i, 5).value_or("");
  s.model = r.text(i, 6).value_or("");
  s.model_id = r.text(i, 7).value_or("");
  s.model_group = r.text(i, 8).value_or("");
  s.provider = r.text(i, 9).value_or("");
  s.api_base = r.text(i, 10).value_or("");
  s.prompt_tokens = r.integer(i, 11).value_or(0);
  s.completion_tokens = r.integer(i, 12).value_or(0);
  s.cached_tokens = r.integer(i, 13).value_or(0);
  s.spend = r.real(i, 14).value_or(0);
  s.start_ms = r.integer(i, 15).value_or(0);
  s.end_ms = r.integer(i, 16).value_or(0);
  s.first_token_ms = r.integer(i, 17);
  s.status = r.text(i, 18).value_or("");
  s.error_class = r.text(i, 19).value_or("");
  s.cache_hit = r.integer(i, 20).value_or(0) != 0;
  const auto tags = json::parse(r.text(i, 21).value_or("[]"), nullptr, false);
  s.request_tags = tags.is_array() ? tags : json::array();
  const auto md = json::parse(r.text(i, 22).value_or("{}"), nullptr, false);
  s.metadata = md.is_object() ? md : json::object();
  return s;
}

}  // namespace

Result<void> PgStore::write_spend(const std::vector<SpendRow>& rows,
                                  const std::vector<SpendAmount>& amounts) {
  auto s = session();
  if (!s) {
    return s.error();
  }
  if (auto ok = s->run("starting a spend batch", "BEGIN"); !ok) {
    return ok;
  }
  const std::string insert = std::string("INSERT INTO spend_logs (") + kSpendColumns +
                             ") VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, "
                             "$14, $15, $16, $17, $18, $19, $20, $21, $22, $23) ON CONFLICT "
                             "(request_id) DO NOTHING";
  auto body = [&]() -> Result<void> {
    for (const auto& r : rows) {
      if (auto ok = s->run("writing a spend row", insert.c_str(), row_params(r)); !ok) {
        return ok;
      }
    }
    for (const auto& a : amounts) {
      auto ok = a.holder == SpendHolder::Key
                    ? s->run("adding spend to a key",
                             "UPDATE verification_tokens SET spend = spend + $1 WHERE token = $2",
                             PgParams().real(a.usd).text(a.id))
                    : s->run("adding spend", party_sql::kAddSpend,
                             PgParams()
                                 .real(a.usd)
                                 .text(std::string(party_sql::holder_kind(a.holder)))
                                 .text(a.id));
      if (!ok) {
        return ok;
      }
    }
    return s->run("committing a spend batch", "COMMIT");
  }();
  if (!body) {
    (void)s->run("rolling back", "ROLLBACK");
  }
  return body;
}

Result<std::vector<SpendRow>> PgStore::spend_logs(const SpendFilter& filter, std::int64_t limit,
                                                  std::int64_t offset) {
  auto s = session();
  if (!s) {
    return s.error();
  }
  auto r = s->exec("reading spend rows",
                   (std::string("SELECT ") + kSpendColumns + " FROM spend_logs" + kSpendWhere +
                    " ORDER BY start_ms, request_id LIMIT $9 OFFSET $10")
                       .c_str(),
                   filter_params(filter).integer(limit).integer(offset));
  if (!r) {
    return r.error();
  }
  std::vector<SpendRow> out;
  out.reserve(static_cast<std::size_t>(r->rows()));
  for (int i = 0; i < r->rows(); ++i) {
    out.push_back(read_spend_row(*r, i));
  }
  return out;
}

Result<double> PgStore::total_spend(const SpendFilter& filter) {
  auto s = session();
  if (!s) {
    return s.error();
  }
  auto r =
      s->exec("summing spend",
              (std::string("SELECT COALESCE(SUM(spend), 0) FROM spend_logs") + kSpendWhere).c_str(),
              filter_params(filter));
  if (!r) {
    return r.error();
  }
  return r->real(0, 0).value_or(0);
}

Result<std::vector<SpendGroup>> PgStore::spend_report(const SpendFilter& filter, SpendGrouping by) {
  auto s = session();
  if (!s) {
    return s.error();
  }
  const std::string group = spend_group_column(by);
  auto r = s->exec(
      "reading a spend report",
      ("SELECT to_char(to_timestamp(start_ms / 1000) AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS day, " +
       group +
       " AS grp, SUM(spend), SUM(prompt_tokens), SUM(completion_tokens), COUNT(*) FROM "
       "spend_logs" +
       kSpendWhere + " GROUP BY day, grp ORDER BY day, SUM(spend) DESC, grp")
          .c_str(),
      filter_params(filter));
  if (!r) {
    return r.error();
  }
  std::vector<SpendGroup> out;
  out.reserve(static_cast<std::size_t>(r->rows()));
  for (int i = 0; i < r->rows(); ++i) {
    out.push_back(SpendGroup{r->text(i, 0).value_or(""), r->text(i, 1).value_or(""),
                             r->real(i, 2).value_or(0), r->integer(i, 3).value_or(0),
                             r->integer(i, 4).value_or(0), r->integer(i, 5).value_or(0)});
  }
  return out;
}

}  // namespace litellm::store
