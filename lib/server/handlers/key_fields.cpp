#include "server/handlers/key_fields.hpp"

#include <ctime>
#include <type_traits>

#include "auth/virtual_keys.hpp"
#include "spend/budget_period.hpp"

namespace litellm::server {

namespace {

using nlohmann::json;

template <typename T>
json or_null(const std::optional<T>& v) {
  return v ? json(*v) : json(nullptr);
}

template <typename T>
struct IsOptional : std::false_type {};
template <typename T>
struct IsOptional<std::optional<T>> : std::true_type {};

// Reads an optional field of a type, or says which field is wrong.
template <typename T>
Result<std::optional<T>> field(const json& body, const char* name) {
  const auto it = body.find(name);
  if (it == body.end() || it->is_null()) {
    return std::optional<T>();
  }
  try {
    return std::optional<T>(it->get<T>());
  } catch (const json::exception&) {
    return Error::invalid(std::string(name) + " has the wrong type", name);
  }
}

// Sets `into` from an optional field of the right type; a field of the wrong type is named.
template <typename T>
Result<void> read_into(const json& body, const char* name, T& into) {
  using Value = typename std::conditional_t<IsOptional<T>::value, T, std::optional<T>>::value_type;
  auto v = field<Value>(body, name);
  if (!v) {
    return v.error();
  }
  if (*v) {
    into = std::move(**v);
  }
  return {};
}

Result<spend::Duration> duration_field(const std::string& text, const char* name) {
  const auto d = spend::parse_duration(text);
  if (!d) {
    return Error::invalid(std::string(name) + " must look like 30s, 30m, 30h, 30d, 2w or 1mo",
                          name);
  }
  return *d;
}

// The fields keys and parties share: metadata, a budget and its period, limits that cannot be
// negative.
Result<void> apply_budget_fields(
    const json& body, json& metadata, const std::optional<double>& max_budget,
    std::optional<std::string>& budget_duration, std::optional<std::int64_t>& budget_reset_at,
    std::initializer_list<std::pair<const char*, std::optional<std::int64_t>>> limits,
    std::int64_t now) {
  if (body.contains("metadata") && !body["metadata"].is_null()) {
    if (!body["metadata"].is_object()) {
      return Error::invalid("metadata must be an object", "metadata");
    }
    metadata = body["metadata"];
  }
  if (max_budget && *max_budget < 0) {
    return Error::invalid("max_budget cannot be negative", "max_budget");
  }
  for (const auto& [name, v] : limits) {
    if (v && *v < 0) {
      return Error::invalid(std::string(name) + " cannot be negative", name);
    }
  }
  auto period_text = field<std::string>(body, "budget_duration");
  if (!period_text) {
    return period_text.error();
  }
  if (*period_text) {
    auto period = duration_field(**period_text, "budget_duration");
    if (!period) {
      return period.error();
    }
    budget_duration = **period_text;
    budget_reset_at = spend::next_budget_reset(*period, now);
  }
  return {};
}

}  // namespace

std::string iso_time(std::int64_t unix_seconds) {
  const std::time_t secs = unix_seconds;
  std::tm tm{};
  gmtime_r(&secs, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

json key_json(const store::KeyRecord& k) {
  return {
      {"key_name", k.key_name},
      {"key_alias", or_null(k.key_alias)},
      {"spend", k.spend},
      {"max_budget", or_null(k.max_budget)},
      {"expires", k.expires ? json(iso_time(*k.expires)) : json(nullptr)},
      {"models", k.models},
      {"aliases", json::object()},
      {"config", json::object()},
      {"user_id", or_null(k.user_id)},
      {"team_id", or_null(k.team_id)},
      {"max_parallel_requests", or_null(k.max_parallel_requests)},
      {"metadata", k.metadata},
      {"tpm_limit", or_null(k.tpm_limit)},
      {"rpm_limit", or_null(k.rpm_limit)},
      {"budget_duration", or_null(k.budget_duration)},
      {"blocked", k.blocked ? json(true) : json(nullptr)},
      {"created_at", iso_time(k.created_at)},
      {"updated_at", iso_time(k.updated_at)},
      {"budget_reset_at", k.budget_reset_at ? json(iso_time(*k.budget_reset_at)) : json(nullptr)}};
}

Result<void> apply_key_fields(const json& body, store::KeyRecord& k, std::int64_t now) {
  for (const auto& r :
       {read_into(body, "key_alias", k.key_alias), read_into(body, "models", k.models),
        read_into(body, "max_budget", k.max_budget), read_into(body, "spend", k.spend),
        read_into(body, "user_id", k.user_id), read_into(body, "team_id", k.team_id),
        read_into(body, "rpm_limit", k.rpm_limit), read_into(body, "tpm_limit", k.tpm_limit),
        read_into(body, "max_parallel_requests", k.max_parallel_requests),
        read_into(body, "blocked", k.blocked)}) {
    if (!r) {
      return r.error();
    }
  }
  // Per-model limits live in the key's metadata, where LiteLLM keeps them too.
  for (const char* name : {"model_rpm_limit", "model_tpm_limit"}) {
    const auto it = body.find(name);
    if (it == body.end() || it->is_null()) {
      continue;
    }
    bool ok = it->is_object();
    for (const auto& [model, limit] : it->items()) {
      ok = ok && limit.is_number_integer() && limit.get<std::int64_t>() >= 0;
    }
    if (!ok) {
      return Error::invalid(
          std::string(name) + " must map model names to whole numbers, e.g. {\"gpt-4o\": 10}",
          name);
    }
  }
  if (auto ok =
          apply_budget_fields(body, k.metadata, k.max_budget, k.budget_duration, k.budget_reset_at,
                              {{"rpm_limit", k.rpm_limit},
                               {"tpm_limit", k.tpm_limit},
                               {"max_parallel_requests", k.max_parallel_requests}},
                              now);
      !ok) {
    return ok;
  }
  for (const char* name : {"model_rpm_limit", "model_tpm_limit"}) {
    if (const auto it = body.find(name); it != body.end() && !it->is_null()) {
      k.metadata[name] = *it;
    }
  }
  auto duration = field<std::string>(body, "duration");
  if (!duration) {
    return duration.error();
  }
  if (*duration) {
    auto d = duration_field(**duration, "duration");
    if (!d) {
      return d.error();
    }
    k.expires = spend::add_duration(*d, now);
  }
  k.updated_at = now;
  return {};
}

namespace {

// The field that holds a party's alias in LiteLLM's API.
const char* alias_field(store::PartyKind kind) {
  switch (kind) {
    case store::PartyKind::User:
      return "user_email";
    case store::PartyKind::Team:
      return "team_alias";
    case store::PartyKind::Customer:
      break;
  }
  return "alias";
}

}  // namespace

const char* party_id_field(store::PartyKind kind) {
  return kind == store::PartyKind::Team ? "team_id" : "user_id";
}

json party_json(const store::PartyRecord& p) {
  json out = {
      {party_id_field(p.kind), p.id},
      {alias_field(p.kind), or_null(p.alias)},
      {"models", p.models},
      {"spend", p.spend},
      {"max_budget", or_null(p.max_budget)},
      {"budget_duration", or_null(p.budget_duration)},
      {"budget_reset_at", p.budget_reset_at ? json(iso_time(*p.budget_reset_at)) : json(nullptr)},
      {"rpm_limit", or_null(p.rpm_limit)},
      {"tpm_limit", or_null(p.tpm_limit)},
      {"max_parallel_requests", or_null(p.max_parallel_requests)},
      {"blocked", p.blocked},
      {"metadata", p.metadata},
      {"created_at", iso_time(p.created_at)},
      {"updated_at", iso_time(p.updated_at)}};
  if (p.kind == store::PartyKind::Team) {
    out["members_with_roles"] = p.members;
  }
  return out;
}

Result<void> apply_party_fields(const json& body, store::PartyRecord& p, std::int64_t now) {
  for (const auto& r :
       {read_into(body, alias_field(p.kind), p.alias), read_into(body, "models", p.models),
        read_into(body, "max_budget", p.max_budget), read_into(body, "rpm_limit", p.rpm_limit),
        read_into(body, "tpm_limit", p.tpm_limit),
        read_into(body, "max_parallel_requests", p.max_parallel_requests),
        read_into(body, "blocked", p.blocked)}) {
    if (!r) {
      return r.error();
    }
  }
  if (auto ok =
          apply_budget_fields(body, p.metadata, p.max_budget, p.budget_duration, p.budget_reset_at,
                              {{"rpm_limit", p.rpm_limit}, {"tpm_limit", p.tpm_limit}}, now);
      !ok) {
    return ok;
  }
  if (p.kind == store::PartyKind::Team && body.contains("members_with_roles")) {
    const auto& m = body["members_with_roles"];
    if (!m.is_array()) {
      return Error::invalid("members_with_roles must be a list of {user_id, role}",
                            "members_with_roles");
    }
    p.members = json::array();
    for (const auto& member : m) {
      if (!member.is_object() || !member.contains("user_id") || !member["user_id"].is_string()) {
        return Error::invalid("each member needs a user_id", "members_with_roles");
      }
      p.members.push_back({{"user_id", member["user_id"]}, {"role", member.value("role", "user")}});
    }
  }
  p.updated_at = now;
  return {};
}

std::string token_of(const std::string& key) {
  return key.rfind("sk-", 0) == 0 ? auth::hash_key(key) : key;
}

}  // namespace litellm::server
