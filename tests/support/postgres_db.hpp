#pragma once

#include <string>

namespace litellm::test {

// The URL of a new, empty database on the tests' PostgreSQL server (tests/support/postgres.sh,
// started by the ctest fixture "postgres: start"): each test gets its own. Fails the test,
// naming what to run, when no server is up.
std::string fresh_postgres_database();

}  // namespace litellm::test
