#pragma once

#include "store/spend_store.hpp"

namespace litellm::store {

// The spend_logs column a report groups by, the same in both backends.
inline const char* spend_group_column(SpendGrouping by) {
  switch (by) {
    case SpendGrouping::Key:
      return "api_key";
    case SpendGrouping::Team:
      return "team_id";
    case SpendGrouping::Model:
      return "model_group";
    case SpendGrouping::User:
      return "user_id";
    case SpendGrouping::EndUser:
      return "end_user";
    case SpendGrouping::Day:
      break;
  }
  return "''";
}

}  // namespace litellm::store
