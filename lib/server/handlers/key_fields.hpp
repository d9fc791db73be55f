#pragma once

#include <cstdint>
#include <string>

#include <nlohmann/json.hpp>

#include "litellm/error.hpp"

#include "store/store.hpp"

namespace litellm::server {

// "2026-01-09T10:00:00Z"
std::string iso_time(std::int64_t unix_seconds);

// A key as /key/info, /key/list and /key/generate show it: LiteLLM's fields, never the hash.
nlohmann::json key_json(const store::KeyRecord& k);

// Sets the fields `body` names (the /key/generate and /key/update fields) on `k`, leaving the
// others. `duration` sets the expiry from `now`; a new `budget_duration` starts a period at
// `now`. Errors: InvalidRequest naming the field with the wrong type or value.
Result<void> apply_key_fields(const nlohmann::json& body, store::KeyRecord& k, std::int64_t now);

// The same for users, teams and customers: LiteLLM's field names for each kind
// (user_email, team_alias + members_with_roles, alias).
nlohmann::json party_json(const store::PartyRecord& p);
Result<void> apply_party_fields(const nlohmann::json& body, store::PartyRecord& p,
                                std::int64_t now);
// "user_id" or "team_id": where the API puts a party's id.
const char* party_id_field(store::PartyKind kind);

// A key named by a client: the key itself ("sk-...") or its hash.
std::string token_of(const std::string& key);

}  // namespace litellm::server
