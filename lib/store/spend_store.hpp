#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "litellm/error.hpp"

namespace litellm::store {

// One request as accounted: LiteLLM's LiteLLM_SpendLogs row, in our column names.
struct SpendRow {
  std::string request_id;  // x-litellm-call-id
  std::string call_type;   // "acompletion", "aembedding", ...
  std::string api_key;     // the key's hash; empty for the master key
  std::string user;
  std::string team_id;
  std::string end_user;  // the request's `user` field
  std::string model;     // the deployment's model, as sent upstream
  std::string model_id;  // the deployment's id
  std::string model_group;
  std::string provider;
  std::string api_base;
  std::int64_t prompt_tokens = 0;
  std::int64_t completion_tokens = 0;
  std::int64_t cached_tokens = 0;
  double spend = 0;
  std::int64_t start_ms = 0;  // unix milliseconds
  std::int64_t end_ms = 0;
  std::optional<std::int64_t> first_token_ms;  // streams: when the first chunk left
  std::string status;                          // "success" | "failure"
  std::string error_class;                     // ErrorCode name for failures
  bool cache_hit = false;
  nlohmann::json request_tags = nlohmann::json::array();
  nlohmann::json metadata = nlohmann::json::object();
};

// What keeps a running spend (and may have a budget period): a key (by hash) or a party.
enum class SpendHolder {
  Key,
  User,
  Team,
  Customer
};

// USD to add to a holder's running spend.
struct SpendAmount {
  SpendHolder holder = SpendHolder::Key;
  std::string id;
  double usd = 0;
};

// Which rows: every set field must match; times are unix milliseconds, end exclusive.
struct SpendFilter {
  std::optional<std::string> api_key;
  std::optional<std::string> user;
  std::optional<std::string> team_id;
  std::optional<std::string> end_user;
  std::optional<std::string> model;  // model group or deployment model
  std::optional<std::string> request_id;
  std::optional<std::int64_t> start_ms;
  std::optional<std::int64_t> end_ms;
};

// Spend of one group on one UTC day.
struct SpendGroup {
  std::string day;  // YYYY-MM-DD
  std::string group;
  double spend = 0;
  std::int64_t prompt_tokens = 0;
  std::int64_t completion_tokens = 0;
  std::int64_t requests = 0;
};

enum class SpendGrouping {
  Key,
  Team,
  Model,
  User,
  EndUser,
  Day
};

// Spend rows and running totals. Implementations block: call them off the io threads.
// Errors: Storage naming the database.
class SpendStore {
 public:
  virtual ~SpendStore() = default;
  // In one transaction: appends the rows and adds each amount to its holder's running spend.
  // Either all of it is written or none.
  virtual Result<void> write_spend(const std::vector<SpendRow>& rows,
                                   const std::vector<SpendAmount>& amounts) = 0;
  // Oldest first; `limit` rows from `offset`.
  virtual Result<std::vector<SpendRow>> spend_logs(const SpendFilter& filter, std::int64_t limit,
                                                   std::int64_t offset) = 0;
  virtual Result<double> total_spend(const SpendFilter& filter) = 0;
  // Per UTC day and group, days ascending, groups by spend descending.
  virtual Result<std::vector<SpendGroup>> spend_report(const SpendFilter& filter,
                                                       SpendGrouping by) = 0;
};

}  // namespace litellm::store
