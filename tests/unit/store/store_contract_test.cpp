// The same behaviour from every backend: SQLite in a temp dir, and a fresh database on the
// tests' PostgreSQL server.
#include <doctest/doctest.h>

#include "store/postgres/pg_store.hpp"
#include "store/sqlite/sqlite_store.hpp"
#include "support/daemon_process.hpp"
#include "support/postgres_db.hpp"

using litellm::ErrorCode;
using litellm::store::KeyRecord;

namespace {

KeyRecord key(const std::string& token, std::int64_t created) {
  KeyRecord k;
  k.token = token;
  k.key_name = "sk-..." + token.substr(0, 2);
  k.models = {"gpt-4o"};
  k.max_budget = 10.5;
  k.created_at = k.updated_at = created;
  return k;
}

struct Sqlite {
  litellm::test::TempDir dir;
  std::unique_ptr<litellm::store::SqliteStore> store;
  Sqlite() {
    auto s = litellm::store::SqliteStore::open(dir.path() + "/litellm.db");
    REQUIRE_MESSAGE(s.has_value(), (s ? "" : s.error().message));
    store = std::move(*s);
  }
  litellm::store::Database& db() { return *store; }
};

struct Postgres {
  std::unique_ptr<litellm::store::PgStore> store;
  Postgres() {
    auto s = litellm::store::PgStore::open(litellm::test::fresh_postgres_database());
    REQUIRE_MESSAGE(s.has_value(), (s ? "" : s.error().message));
    store = std::move(*s);
  }
  litellm::store::Database& db() { return *store; }
};

}  // namespace

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

TEST_CASE_TEMPLATE("store: spend rows filter by key team model and dates - report groups by day",
                   Backend, Sqlite, Postgres) {
  Backend backend;
  auto& db = backend.db();
  REQUIRE(db.insert_key(key("k1", 1)).has_value());
  constexpr std::int64_t kJan8 = 1767830400000;  // 2026-01-08T00:00:00Z
  constexpr std::int64_t kDay = 86400000;
  const std::vector<litellm::store::SpendRow> rows = {
      spend_row("a", "k1", "red", "gpt-4o", kJan8 + 1000, 1.0),
      spend_row("b", "k1", "blue", "claude", kJan8 + 2000, 2.0),
      spend_row("c", "k2", "red", "gpt-4o", kJan8 + kDay + 5, 4.0)};
  REQUIRE(db.write_spend(rows, {{litellm::store::SpendHolder::Key, "k1", 3.0}}).has_value());
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

TEST_CASE_TEMPLATE(
    "store: spend rows filter by user, team, end user and request id - empty means none", Backend,
    Sqlite, Postgres) {
  Backend backend;
  auto& db = backend.db();
  constexpr std::int64_t kJan8 = 1767830400000;
  auto owned = spend_row("a", "k1", "red", "gpt-4o", kJan8 + 1, 1.0);
  owned.user = "u1";
  owned.end_user = "customer-7";
  auto teamless = spend_row("b", "k2", "", "gpt-4o", kJan8 + 2, 2.0);  // the master key's rows
  auto other = spend_row("c", "k3", "blue", "gpt-4o", kJan8 + 3, 4.0);
  other.user = "u2";
  REQUIRE(db.write_spend({owned, teamless, other}, {}).has_value());
  const auto ids = [&](const litellm::store::SpendFilter& f) {
    std::string out;
    const auto rows = db.spend_logs(f, 100, 0);
    REQUIRE(rows.has_value());
    for (const auto& r : *rows) {
      out += r.request_id;
    }
    return out;
  };
  litellm::store::SpendFilter f;
  f.user = "u1";
  CHECK(ids(f) == "a");
  CHECK(*db.total_spend(f) == 1.0);
  f.user = "";
  CHECK(ids(f) == "b");
  f = {};
  f.team_id = "blue";
  CHECK(ids(f) == "c");
  f.team_id = "";
  CHECK(ids(f) == "b");
  f.team_id = "red";
  f.user = "u2";  // both must hold
  CHECK(ids(f).empty());
  f = {};
  f.end_user = "customer-7";
  CHECK(ids(f) == "a");
  f = {};
  f.request_id = "c";
  CHECK(ids(f) == "c");
  f.start_ms = kJan8 + 4;  // with a range that excludes it
  CHECK(ids(f).empty());
  f = {};
  f.user = "u1";
  const auto users = db.spend_report(f, litellm::store::SpendGrouping::User);
  REQUIRE(users->size() == 1);
  CHECK((*users)[0].group == "u1");
}

TEST_CASE_TEMPLATE("store: update - rename - budget resets - duplicate alias", Backend, Sqlite,
                   Postgres) {
  Backend backend;
  auto& db = backend.db();
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
  CHECK((*due)[0].id == "k1");
  CHECK((*due)[0].holder == litellm::store::SpendHolder::Key);
  CHECK((*due)[0].budget_duration == "1d");
  REQUIRE(db.reset_budgets({{litellm::store::SpendHolder::Key, "k1", 87400}}).has_value());
  got = **db.find_key("k1");
  CHECK(got.spend == 0);
  CHECK(got.budget_reset_at == 87400);

  REQUIRE(db.rename_key("k1", "k1-new", "sk-...new").has_value());
  CHECK_FALSE(db.find_key("k1")->has_value());
  CHECK((*db.find_key("k1-new"))->max_budget == 99);
  CHECK(db.rename_key("k1", "x", "y").error().code == ErrorCode::NotFound);
  auto dup = key("k3", 3);
  dup.key_alias = "same";
  REQUIRE(db.insert_key(dup).has_value());
  dup.token = "k4";
  CHECK(db.insert_key(dup).error().code == ErrorCode::InvalidRequest);
  CHECK(db.list_keys(1, 10, std::nullopt, std::nullopt)->total == 3);
  CHECK(*db.delete_keys({"k2", "k3", "missing"}) == 2);
  CHECK(db.list_keys(1, 10, std::nullopt, std::nullopt)->total == 1);
}

TEST_CASE("postgres store: migrates once - reports progress - hides the password in errors") {
  const std::string url = litellm::test::fresh_postgres_database();
  std::vector<std::string> steps;
  {
    auto s = litellm::store::PgStore::open(url, [&](const std::string& m) { steps.push_back(m); });
    REQUIRE(s.has_value());
    CHECK(*(*s)->schema_version() == 4);
  }
  CHECK(steps.size() == 4);
  CHECK(steps[2].find("version 3 (users, teams and customers)") != std::string::npos);
  steps.clear();
  auto again =
      litellm::store::PgStore::open(url, [&](const std::string& m) { steps.push_back(m); });
  REQUIRE(again.has_value());
  CHECK(steps.empty());  // already current
  auto refused = litellm::store::PgStore::open("postgresql://litellm:s3cret-pw@127.0.0.1:1/none");
  REQUIRE_FALSE(refused.has_value());
  CHECK(refused.error().code == ErrorCode::Storage);
  CHECK(refused.error().message.find("s3cret-pw") == std::string::npos);
  CHECK(refused.error().message.find("postgresql://litellm:****@127.0.0.1:1/none") !=
        std::string::npos);
}

TEST_CASE_TEMPLATE("store: users teams and customers - spend and budget periods", Backend, Sqlite,
                   Postgres) {
  Backend backend;
  auto& db = backend.db();
  using litellm::store::PartyKind;
  using litellm::store::SpendHolder;
  litellm::store::PartyRecord team;
  team.kind = PartyKind::Team;
  team.id = "red";
  team.alias = "Red";
  team.models = {"gpt-4o"};
  team.max_budget = 5;
  team.budget_duration = "1d";
  team.budget_reset_at = 500;
  team.max_parallel_requests = 3;
  team.members = {{{"user_id", "ann"}, {"role", "admin"}}};
  team.created_at = team.updated_at = 1;
  REQUIRE(db.insert_party(team).has_value());
  CHECK(db.insert_party(team).error().code == ErrorCode::InvalidRequest);
  auto user = team;
  user.kind = PartyKind::User;  // same id, another kind: no clash
  REQUIRE(db.insert_party(user).has_value());

  REQUIRE(db.write_spend({}, {{SpendHolder::Team, "red", 1.25}, {SpendHolder::User, "red", 0.5}})
              .has_value());
  auto got = **db.find_party(PartyKind::Team, "red");
  CHECK(got.spend == 1.25);
  CHECK(got.alias == "Red");
  CHECK(got.members[0]["role"] == "admin");
  CHECK(got.models == std::vector<std::string>{"gpt-4o"});
  CHECK(got.max_parallel_requests == 3);
  got.blocked = true;
  got.max_parallel_requests = std::nullopt;
  got.spend = 0;  // update leaves spend alone
  REQUIRE(db.update_party(got).has_value());
  got = **db.find_party(PartyKind::Team, "red");
  CHECK(got.blocked);
  CHECK(got.spend == 1.25);
  CHECK_FALSE(got.max_parallel_requests.has_value());

  const auto due = db.due_budget_resets(500);
  REQUIRE(due->size() == 2);
  REQUIRE(db.reset_budgets({{SpendHolder::Team, "red", 9000}}).has_value());
  got = **db.find_party(PartyKind::Team, "red");
  CHECK(got.spend == 0);
  CHECK(got.budget_reset_at == 9000);
  CHECK((**db.find_party(PartyKind::User, "red")).spend == 0.5);  // only the team was reset

  CHECK(db.list_parties(PartyKind::Team, 1, 10)->total == 1);
  CHECK(*db.delete_parties(PartyKind::Team, {"red", "nope"}) == 1);
  CHECK_FALSE(db.find_party(PartyKind::Team, "red")->has_value());
  CHECK(db.find_party(PartyKind::User, "red")->has_value());
  litellm::store::PartyRecord ghost;
  ghost.kind = PartyKind::Customer;
  ghost.id = "ghost";
  CHECK(db.update_party(ghost).error().code == ErrorCode::NotFound);
}
