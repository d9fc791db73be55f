#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "litellm/error.hpp"

#include "store/spend_store.hpp"

namespace litellm::store {

// One virtual key as stored: never the key itself, only its SHA-256 (`token`).
struct KeyRecord {
  std::string token;     // sha256 hex of the key
  std::string key_name;  // "sk-...abcd": enough to recognise it, not to use it
  std::optional<std::string> key_alias;
  std::vector<std::string> models;  // allow-list; empty = all
  std::optional<double> max_budget;
  double spend = 0;
  std::optional<std::string> budget_duration;
  std::optional<std::int64_t> expires;  // unix seconds
  std::optional<std::string> user_id;
  std::optional<std::string> team_id;
  std::optional<std::int64_t> rpm_limit;
  std::optional<std::int64_t> tpm_limit;
  std::optional<std::int64_t> max_parallel_requests;
  nlohmann::json metadata = nlohmann::json::object();
  bool blocked = false;
  std::int64_t created_at = 0;  // unix seconds
  std::int64_t updated_at = 0;
  // When budget_duration next sets spend back to 0 (unix seconds).
  std::optional<std::int64_t> budget_reset_at;
};

// A key or party whose budget period has ended.
struct DueReset {
  SpendHolder holder = SpendHolder::Key;
  std::string id;
  std::string budget_duration;
};

// Spend back to 0 and the next period's end.
struct BudgetReset {
  SpendHolder holder = SpendHolder::Key;
  std::string id;
  std::int64_t next_reset_at = 0;
};

struct KeyPage {
  std::vector<KeyRecord> keys;
  std::int64_t total = 0;
};

// Virtual keys. Implementations block (they talk to a database): call them off the io threads.
// Errors: Storage naming the database when it cannot be reached or written; InvalidRequest
// for a duplicate alias.
class KeyStore {
 public:
  virtual ~KeyStore() = default;
  virtual Result<void> insert_key(const KeyRecord& key) = 0;
  virtual Result<std::optional<KeyRecord>> find_key(const std::string& token) = 0;
  virtual Result<std::optional<KeyRecord>> find_key_by_alias(const std::string& alias) = 0;
  // Deletes the keys with these hashes; answers how many existed.
  virtual Result<std::int64_t> delete_keys(const std::vector<std::string>& tokens) = 0;
  // Newest first; `page` counts from 1.
  virtual Result<KeyPage> list_keys(std::int64_t page, std::int64_t size,
                                    const std::optional<std::string>& user_id,
                                    const std::optional<std::string>& team_id) = 0;
  // Replaces the stored key with the same token (fields as given). NotFound when there is none;
  // InvalidRequest for an alias another key has.
  virtual Result<void> update_key(const KeyRecord& key) = 0;
  // Moves a key to a new hash (regenerate), keeping everything else. NotFound when missing.
  virtual Result<void> rename_key(const std::string& token, const std::string& new_token,
                                  const std::string& new_key_name) = 0;
  // Keys and parties with a budget_duration whose budget_reset_at is at or before `now`.
  virtual Result<std::vector<DueReset>> due_budget_resets(std::int64_t now) = 0;
  // Sets each one's spend to 0 and its next reset time, in one transaction.
  virtual Result<void> reset_budgets(const std::vector<BudgetReset>& resets) = 0;
  // A short label for messages: "sqlite:/path/litellm.db".
  virtual std::string describe() const = 0;
};

}  // namespace litellm::store

namespace litellm::store {

enum class PartyKind {
  User,
  Team,
  Customer  // an end user: the `user` field of a request
};
const char* party_kind_name(PartyKind kind);  // "user", "team", "customer"
inline SpendHolder holder_of(PartyKind kind) {
  return kind == PartyKind::User   ? SpendHolder::User
         : kind == PartyKind::Team ? SpendHolder::Team
                                   : SpendHolder::Customer;
}

// A user, a team or a customer: who a key belongs to or a request is for, with a budget and
// limits of its own that stack with the key's.
struct PartyRecord {
  PartyKind kind = PartyKind::User;
  std::string id;
  std::optional<std::string> alias;  // team_alias, user_email, customer alias
  std::vector<std::string> models;   // allow-list; empty = all
  std::optional<double> max_budget;
  double spend = 0;
  std::optional<std::string> budget_duration;
  std::optional<std::int64_t> budget_reset_at;
  std::optional<std::int64_t> rpm_limit;
  std::optional<std::int64_t> tpm_limit;
  std::optional<std::int64_t> max_parallel_requests;
  bool blocked = false;
  nlohmann::json members = nlohmann::json::array();  // teams: [{"user_id", "role"}]
  nlohmann::json metadata = nlohmann::json::object();
  std::int64_t created_at = 0;
  std::int64_t updated_at = 0;
};

struct PartyPage {
  std::vector<PartyRecord> parties;
  std::int64_t total = 0;
};

// Users, teams and customers. Blocking, as KeyStore. Errors: Storage; InvalidRequest when an
// id is taken; NotFound when updating one that does not exist.
class PartyStore {
 public:
  virtual ~PartyStore() = default;
  virtual Result<void> insert_party(const PartyRecord& p) = 0;
  virtual Result<std::optional<PartyRecord>> find_party(PartyKind kind, const std::string& id) = 0;
  // Every field but spend, which the spend writer owns.
  virtual Result<void> update_party(const PartyRecord& p) = 0;
  virtual Result<std::int64_t> delete_parties(PartyKind kind,
                                              const std::vector<std::string>& ids) = 0;
  // Oldest first; `page` counts from 1.
  virtual Result<PartyPage> list_parties(PartyKind kind, std::int64_t page, std::int64_t size) = 0;
};

// What the gateway keeps: keys and spend in one database, so a spend batch and the keys'
// running totals commit together.
class Database : public KeyStore, public SpendStore, public PartyStore {};

}  // namespace litellm::store
