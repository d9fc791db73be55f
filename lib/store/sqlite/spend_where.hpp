#pragma once

#include <string>

#include "store/spend_store.hpp"

namespace litellm::store {

// The WHERE clause of a spend_logs query in SQLite, with only the filters given as terms, so
// the planner can use the indexes that serve them. Parameters are numbered ?1..?8 (api_key,
// user, team_id, end_user, model, request_id, start_ms, end_ms) whichever terms are present.
std::string sqlite_spend_where(const SpendFilter& f);

}  // namespace litellm::store
