#pragma once

#include <string>

namespace litellm::store {

// One step of a backend's schema: append only, a released migration is never edited.
struct Migration {
  int version;
  const char* name;
  const char* sql;
};

// What a backend's `progress` hears before it runs `m`, the same from both.
inline std::string migration_step(const Migration& m) {
  return "migrating the database to version " + std::to_string(m.version) + " (" + m.name + ")";
}

}  // namespace litellm::store
