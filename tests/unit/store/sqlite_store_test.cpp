#include "store/sqlite/sqlite_store.hpp"

#include <doctest/doctest.h>

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
    CHECK(*(*s)->schema_version() == 2);
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
  CHECK(*(*s)->schema_version() == 2);
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

litellm::store::SpendRow spend_row(const std::string& id, const std::string& key,
                                   const std::string& team, const std::string& model,
                                   std::int64_t start_ms, double usd) {
  litellm::store::SpendRow r;
  r.request_id = id;
  r.call_type = "acompletion";
  r.api_key = key;
  r.team_id = team;
  r.model_group = model;
  r.model = model + "-2024";
  r.prompt_tokens = 10;
  r.completion_tokens = 5;
  r.spend = usd;
  r.start_ms = start_ms;
  r.end_ms = start_ms + 800;
  r.first_token_ms = start_ms + 100;
  r.status = "success";
  r.request_tags = {"prod"};
  r.metadata = {{"user_api_key_alias", "ci"}};
  return r;
}

}  // namespace

TEST_CASE("sqlite store: spend rows filter by key team model and dates - report groups by day") {
  litellm::test::TempDir dir;
  auto s = SqliteStore::open(dir.path() + "/litellm.db");
  REQUIRE(s.has_value());
  auto& db = **s;
  REQUIRE(db.insert_key(key("k1", 1)).has_value());
  constexpr std::int64_t kJan8 = 1767830400000;  // 2026-01-08T00:00:00Z
  constexpr std::int64_t kDay = 86400000;
  const std::vector<litellm::store::SpendRow> rows = {
      spend_row("a", "k1", "red", "gpt-4o", kJan8 + 1000, 1.0),
      spend_row("b", "k1", "blue", "claude", kJan8 + 2000, 2.0),
      spend_row("c", "k2", "red", "gpt-4o", kJan8 + kDay + 5, 4.0)};
  REQUIRE(db.write_spend(rows, {{"k1", 3.0}}).has_value());
  REQUIRE(db.write_spend({rows[0]}, {}).has_value());  // a retried batch adds no duplicate
  CHECK((*db.find_key("k1"))->spend == 3.0);

  const auto all = db.spend_logs({}, 100, 0);
  REQUIRE(all->size() == 3);
  CHECK((*all)[0].request_id == "a");
  CHECK((*all)[0].first_token_ms == kJan8 + 1100);
  CHECK((*all)[0].request_tags == nlohmann::json::array({"prod"}));
  CHECK((*all)[0].metadata["user_api_key_alias"] == "ci");
  litellm::store::SpendFilter by_key;
  by_key.api_key = "k1";
  CHECK(db.spend_logs(by_key, 100, 0)->size() == 2);
  CHECK(*db.total_spend(by_key) == 3.0);
  litellm::store::SpendFilter by_model;
  by_model.model = "gpt-4o";
  CHECK(*db.total_spend(by_model) == 5.0);
  litellm::store::SpendFilter second_day;
  second_day.start_ms = kJan8 + kDay;
  second_day.end_ms = kJan8 + 2 * kDay;
  CHECK(db.spend_logs(second_day, 100, 0)->size() == 1);
  CHECK(db.spend_logs({}, 1, 1)->front().request_id == "b");  // paging

  const auto teams = db.spend_report({}, litellm::store::SpendGrouping::Team);
  REQUIRE(teams->size() == 3);
  CHECK((*teams)[0].day == "2026-01-08");
  CHECK((*teams)[0].group == "blue");  // the dearest first within a day
  CHECK((*teams)[0].spend == 2.0);
  CHECK((*teams)[2].day == "2026-01-09");
  CHECK((*teams)[2].requests == 1);
  CHECK((*teams)[2].prompt_tokens == 10);
}

TEST_CASE("sqlite store: update - rename - budget resets") {
  litellm::test::TempDir dir;
  auto s = SqliteStore::open(dir.path() + "/litellm.db");
  REQUIRE(s.has_value());
  auto& db = **s;
  auto k = key("k1", 1);
  k.spend = 4.0;
  k.budget_duration = "1d";
  k.budget_reset_at = 1000;
  REQUIRE(db.insert_key(k).has_value());
  REQUIRE(db.insert_key(key("k2", 2)).has_value());
  k.max_budget = 99;
  k.spend = 0;  // update leaves spend to the spend writer
  k.blocked = true;
  REQUIRE(db.update_key(k).has_value());
  auto got = **db.find_key("k1");
  CHECK(got.max_budget == 99);
  CHECK(got.blocked);
  CHECK(got.spend == 4.0);
  auto missing = key("nope", 3);
  CHECK(db.update_key(missing).error().code == ErrorCode::NotFound);

  CHECK(db.due_budget_resets(999)->empty());
  const auto due = db.due_budget_resets(1000);
  REQUIRE(due->size() == 1);
  CHECK((*due)[0].token == "k1");
  CHECK((*due)[0].budget_duration == "1d");
  REQUIRE(db.reset_budgets({{"k1", 87400}}).has_value());
  got = **db.find_key("k1");
  CHECK(got.spend == 0);
  CHECK(got.budget_reset_at == 87400);

  REQUIRE(db.rename_key("k1", "k1-new", "sk-...new").has_value());
  CHECK_FALSE(db.find_key("k1")->has_value());
  CHECK((*db.find_key("k1-new"))->max_budget == 99);
  CHECK(db.rename_key("k1", "x", "y").error().code == ErrorCode::NotFound);
}
