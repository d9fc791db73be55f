#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "litellm/error.hpp"

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
  // Adds each amount (USD) to its key's spend, all in one transaction.
  virtual Result<void> add_spend(const std::vector<std::pair<std::string, double>>& amounts) = 0;
  // A short label for messages: "sqlite:/path/litellm.db".
  virtual std::string describe() const = 0;
};

}  // namespace litellm::store
