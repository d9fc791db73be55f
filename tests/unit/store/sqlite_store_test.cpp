#include "store/sqlite/sqlite_store.hpp"

#include <string>
#include <vector>

#include <doctest/doctest.h>
#include <sqlite3.h>

#include "store/sqlite/spend_where.hpp"
#include "support/daemon_process.hpp"

using litellm::ErrorCode;
using litellm::store::KeyRecord;
using litellm::store::SqliteStore;

namespace {

KeyRecord key(const std::string& token, std::int64_t created, const char* user = nullptr) {
  KeyRecord k;
  k.token = token;
  k.key_name = "sk-..." + token.substr(0, 4);
  k.models = {"gpt-4o", "claude"};
  k.max_budget = 10.5;
  k.rpm_limit = 60;
  k.metadata = {{"team", "blue"}};
  if (user != nullptr) {
    k.user_id = user;
  }
  k.created_at = k.updated_at = created;
  return k;
}

}  // namespace

TEST_CASE("sqlite store: migrates a new file - keys round-trip - survive reopening") {
  litellm::test::TempDir dir;
  const std::string path = dir.path() + "/litellm.db";
  {
    auto s = SqliteStore::open(path);
    REQUIRE_MESSAGE(s.has_value(), (s ? "" : s.error().message));
    CHECK(*(*s)->schema_version() == 5);
    REQUIRE((*s)->insert_key(key("aaaa1111", 100, "u1")).has_value());
    auto with_alias = key("bbbb2222", 200, "u2");
    with_alias.key_alias = "ci-bot";
    with_alias.blocked = true;
    with_alias.expires = 12345;
    REQUIRE((*s)->insert_key(with_alias).has_value());
    auto dup = key("cccc3333", 300);
    dup.key_alias = "ci-bot";
    const auto refused = (*s)->insert_key(dup);
    REQUIRE_FALSE(refused.has_value());
    CHECK(refused.error().code == ErrorCode::InvalidRequest);
  }
  auto s = SqliteStore::open(path);  // a second open finds the schema current
  REQUIRE(s.has_value());
  CHECK(*(*s)->schema_version() == 5);
  auto got = (*s)->find_key("aaaa1111");
  REQUIRE(got.has_value());
  REQUIRE(got->has_value());
  const auto& k = **got;
  CHECK(k.models == std::vector<std::string>{"gpt-4o", "claude"});
  CHECK(k.max_budget == 10.5);
  CHECK(k.rpm_limit == 60);
  CHECK_FALSE(k.tpm_limit.has_value());
  CHECK(k.metadata["team"] == "blue");
  CHECK(k.user_id == "u1");
  CHECK_FALSE(k.blocked);
  auto by_alias = (*s)->find_key_by_alias("ci-bot");
  REQUIRE(by_alias->has_value());
  CHECK((*by_alias)->token == "bbbb2222");
  CHECK((*by_alias)->blocked);
  CHECK((*by_alias)->expires == 12345);
  CHECK_FALSE((*s)->find_key("nope")->has_value());

  auto page = (*s)->list_keys(1, 10, std::nullopt, std::nullopt);
  REQUIRE(page.has_value());
  CHECK(page->total == 2);
  CHECK(page->keys.front().token == "bbbb2222");  // newest first
  auto mine = (*s)->list_keys(1, 10, std::string("u1"), std::nullopt);
  CHECK(mine->total == 1);
  CHECK(mine->keys.at(0).token == "aaaa1111");
  auto second = (*s)->list_keys(2, 1, std::nullopt, std::nullopt);
  REQUIRE(second->keys.size() == 1);
  CHECK(second->keys[0].token == "aaaa1111");

  CHECK(*(*s)->delete_keys({"aaaa1111", "missing"}) == 1);
  CHECK_FALSE((*s)->find_key("aaaa1111")->has_value());
}

TEST_CASE("sqlite store: a database that cannot be opened is a Storage error naming it") {
  litellm::test::TempDir dir;
  auto s = SqliteStore::open(dir.path() + "/sub/litellm.db");  // no such directory
  REQUIRE_FALSE(s.has_value());
  CHECK(s.error().code == ErrorCode::Storage);
  CHECK(s.error().message.find(dir.path() + "/sub/litellm.db") != std::string::npos);
}

namespace {

// Rows of what one SQL statement returns, columns joined by '|', rows by ';'.
std::string query(sqlite3* db, const std::string& sql) {
  sqlite3_stmt* st = nullptr;
  REQUIRE(sqlite3_prepare_v2(db, sql.c_str(), -1, &st, nullptr) == SQLITE_OK);
  std::string out;
  while (sqlite3_step(st) == SQLITE_ROW) {
    for (int i = 0; i < sqlite3_column_count(st); ++i) {
      const auto* text = sqlite3_column_text(st, i);
      if (i != 0) {
        out += '|';
      }
      if (text != nullptr) {
        out += reinterpret_cast<const char*>(text);
      }
    }
    out += ";";
  }
  sqlite3_finalize(st);
  return out;
}

litellm::store::SpendRow spend_row(const std::string& id, const std::string& user) {
  litellm::store::SpendRow r;
  r.request_id = id;
  r.call_type = "acompletion";
  r.api_key = "k-" + id;
  r.user = user;
  r.model_group = r.model = "gpt-4o";
  r.status = "success";
  r.start_ms = 1767830400000;
  r.end_ms = r.start_ms + 1;
  return r;
}

}  // namespace

TEST_CASE(
    "sqlite store: a version-4 file gets partial user/team indexes - spend filters use indexes") {
  litellm::test::TempDir dir;
  const std::string path = dir.path() + "/litellm.db";
  std::vector<std::string> steps;
  const auto heard = [&](const std::string& step) {
    steps.push_back(step);
  };
  {
    auto s = SqliteStore::open(path, heard);
    REQUIRE(s.has_value());
    REQUIRE((*s)->write_spend({spend_row("a", ""), spend_row("b", "u1")}, {}).has_value());
  }
  CHECK(steps.size() == 5);  // a new file: every migration, each said before it runs
  steps.clear();
  sqlite3* raw = nullptr;
  REQUIRE(sqlite3_open(path.c_str(), &raw) == SQLITE_OK);
  // Back to what version 4 left: indexes over every row, and no version 5 recorded.
  REQUIRE(sqlite3_exec(raw,
                       "DROP INDEX spend_logs_user; DROP INDEX spend_logs_team;"
                       "CREATE INDEX spend_logs_user ON spend_logs (user_id, start_ms);"
                       "CREATE INDEX spend_logs_team ON spend_logs (team_id, start_ms);"
                       "DELETE FROM schema_migrations WHERE version = 5;",
                       nullptr, nullptr, nullptr) == SQLITE_OK);
  {
    auto s = SqliteStore::open(path, heard);
    REQUIRE(s.has_value());
    REQUIRE(steps.size() == 1);
    CHECK(steps[0] ==
          "migrating the database to version 5 (spend indexes skip rows with no user "
          "or team)");
    CHECK(*(*s)->schema_version() == 5);
    litellm::store::SpendFilter f;
    f.user = "u1";
    const auto rows = (*s)->spend_logs(f, 10, 0);
    REQUIRE(rows.has_value());
    REQUIRE(rows->size() == 1);
    CHECK(rows->front().request_id == "b");
    CHECK((*s)->spend_logs({}, 10, 0)->size() == 2);
  }
  for (const std::string column : {"user_id", "team_id"}) {
    CAPTURE(column);
    const std::string index = column == "user_id" ? "spend_logs_user" : "spend_logs_team";
    CHECK(query(raw, "SELECT sql FROM sqlite_master WHERE name = '" + index + "'")
              .find("WHERE " + column + " != ''") != std::string::npos);
  }

  // Each filter is served by its index, not by a scan of the table.
  using Filter = litellm::store::SpendFilter;
  const auto with = [](auto member, auto value) {
    Filter f;
    f.*member = value;
    return f;
  };
  const std::pair<Filter, const char*> served[] = {
      {with(&Filter::api_key, "k-a"), "spend_logs_key"},
      {with(&Filter::user, "u1"), "spend_logs_user"},
      {with(&Filter::team_id, "red"), "spend_logs_team"},
      {with(&Filter::request_id, "a"), "sqlite_autoindex_spend_logs_1"},
      {with(&Filter::start_ms, std::int64_t{1}), "spend_logs_start"},
  };
  for (const auto& [filter, index] : served) {
    CAPTURE(index);
    const auto plan = query(raw, "EXPLAIN QUERY PLAN SELECT * FROM spend_logs" +
                                     litellm::store::sqlite_spend_where(filter));
    CHECK(plan.find(std::string("USING INDEX ") + index) != std::string::npos);
  }
  sqlite3_close(raw);
}
