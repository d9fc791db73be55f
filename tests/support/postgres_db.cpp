#include "support/postgres_db.hpp"

#include <unistd.h>

#include <atomic>
#include <fstream>

#include <doctest/doctest.h>

#include "support/daemon_process.hpp"

namespace litellm::test {

std::string fresh_postgres_database() {
  static std::atomic<int> counter{0};
  std::ifstream in(std::string(LITELLM_TEST_PG_DIR) + "/url");
  std::string url;
  std::getline(in, url);
  REQUIRE_MESSAGE(!url.empty(), "no test PostgreSQL server: run `tests/support/postgres.sh start "
                                    << LITELLM_TEST_PG_DIR << "` (ctest does it for you)");
  const std::string name =
      "litellm_t" + std::to_string(getpid()) + "_" + std::to_string(counter.fetch_add(1));
  const auto made = run_binary("/usr/bin/psql", {url, "-q", "-c", "CREATE DATABASE " + name});
  REQUIRE_MESSAGE(made.exit_code == 0, made.output);
  return url.substr(0, url.rfind('/') + 1) + name;
}

}  // namespace litellm::test
