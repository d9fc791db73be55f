#include "store/party_sql.hpp"

#include <nlohmann/json.hpp>

namespace litellm::store {

const char* party_kind_name(PartyKind kind) {
  switch (kind) {
    case PartyKind::User:
      return "user";
    case PartyKind::Team:
      return "team";
    case PartyKind::Customer:
      return "customer";
  }
  return "user";
}

namespace party_sql {

using nlohmann::json;

std::vector<SqlValue> insert_values(const PartyRecord& p) {
  return {std::optional<std::string>(party_kind_name(p.kind)),
          std::optional<std::string>(p.id),
          p.alias,
          std::optional<std::string>(json(p.models).dump()),
          p.max_budget,
          std::optional<double>(p.spend),
          p.budget_duration,
          p.budget_reset_at,
          p.rpm_limit,
          p.tpm_limit,
          std::optional<std::int64_t>(p.blocked ? 1 : 0),
          std::optional<std::string>(p.members.dump()),
          std::optional<std::string>(p.metadata.dump()),
          std::optional<std::int64_t>(p.created_at),
          std::optional<std::int64_t>(p.updated_at),
          p.max_parallel_requests};
}

std::vector<SqlValue> update_values(const PartyRecord& p) {
  return {std::optional<std::string>(party_kind_name(p.kind)),
          std::optional<std::string>(p.id),
          p.alias,
          std::optional<std::string>(json(p.models).dump()),
          p.max_budget,
          p.budget_duration,
          p.budget_reset_at,
          p.rpm_limit,
          p.tpm_limit,
          std::optional<std::int64_t>(p.blocked ? 1 : 0),
          std::optional<std::string>(p.members.dump()),
          std::optional<std::string>(p.metadata.dump()),
          std::optional<std::int64_t>(p.updated_at),
          p.max_parallel_requests};
}

PartyRecord read_party_fields(
    const std::optional<std::string>& kind, const std::optional<std::string>& id,
    const std::optional<std::string>& alias, const std::optional<std::string>& models,
    std::optional<double> max_budget, std::optional<double> spend,
    const std::optional<std::string>& budget_duration, std::optional<std::int64_t> budget_reset_at,
    std::optional<std::int64_t> rpm, std::optional<std::int64_t> tpm,
    std::optional<std::int64_t> blocked, const std::optional<std::string>& members,
    const std::optional<std::string>& metadata, std::optional<std::int64_t> created_at,
    std::optional<std::int64_t> updated_at) {
  PartyRecord p;
  p.kind = party_kind_of(kind.value_or("user")).value_or(PartyKind::User);
  p.id = id.value_or("");
  p.alias = alias;
  const auto m = json::parse(models.value_or("[]"), nullptr, false);
  if (m.is_array()) {
    for (const auto& e : m) {
      if (e.is_string()) {
        p.models.push_back(e.get<std::string>());
      }
    }
  }
  p.max_budget = max_budget;
  p.spend = spend.value_or(0);
  p.budget_duration = budget_duration;
  p.budget_reset_at = budget_reset_at;
  p.rpm_limit = rpm;
  p.tpm_limit = tpm;
  p.blocked = blocked.value_or(0) != 0;
  const auto mem = json::parse(members.value_or("[]"), nullptr, false);
  p.members = mem.is_array() ? mem : json::array();
  const auto md = json::parse(metadata.value_or("{}"), nullptr, false);
  p.metadata = md.is_object() ? md : json::object();
  p.created_at = created_at.value_or(0);
  p.updated_at = updated_at.value_or(0);
  return p;
}

}  // namespace party_sql

}  // namespace litellm::store
