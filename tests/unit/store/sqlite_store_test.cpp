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
    CHECK(*(*s)->schema_version() == 4);
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
  CHECK(*(*s)->schema_version() == 4);
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
