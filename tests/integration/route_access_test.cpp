// The route table walked row by row against the real daemon: who may call each endpoint comes
// from its row, and no row can slip past (a new admin endpoint is checked the day it is added).
#include <string>

#include <doctest/doctest.h>

#include "integration/harness.hpp"
#include "server/route_table.hpp"

using namespace litellm::test;  // NOLINT(google-build-using-namespace): test file
using litellm::server::Access;
using litellm::server::route_table;
using nlohmann::json;

namespace {

// A path the row's pattern takes: no /v1, a team for {party}, a made-up value for the rest.
std::string concrete(std::string_view pattern) {
  std::string p(pattern);
  if (p.rfind("[/v1]", 0) == 0) {
    p.erase(0, 5);
  }
  if (const auto open = p.find('{'); open != std::string::npos) {
    const auto close = p.find('}', open);
    const bool party = p.compare(open, close - open + 1, "{party}") == 0;
    p.replace(open, close - open + 1, party ? "team" : "sk-not-a-real-key");
  }
  return p;
}

}  // namespace

TEST_CASE("routes: every admin row refuses a virtual key and no key, every keyed row no key") {
  MockUpstream up;
  DaemonProcess d(gateway_config(up));
  const HttpClient c(d.port());
  const std::string key = new_key(c, json::object());
  using Headers = std::vector<std::pair<std::string, std::string>>;
  int rows[3] = {0, 0, 0};
  for (const auto& row : route_table()) {
    const std::string path = concrete(row.pattern);
    INFO(std::string(row.method) << " " << path << " (" << row.name << ")");
    const auto send = [&](const Headers& h) {
      return row.method == "GET" ? c.get(path, h) : c.post(path, "{}", h);
    };
    ++rows[static_cast<int>(row.access)];
    switch (row.access) {
      case Access::Admin: {
        const auto as_key = send(bearer(key));
        CHECK(as_key.status == 403);
        CHECK(json::parse(as_key.body)["error"]["message"].get<std::string>().find(path) !=
              std::string::npos);
        CHECK(send({}).status == 401);
        const auto as_admin = send(auth());
        CHECK(as_admin.status != 401);
        CHECK(as_admin.status != 403);
        break;
      }
      case Access::AnyKey: {
        CHECK(send({}).status == 401);
        const auto as_key = send(bearer(key));
        CHECK(as_key.status != 401);
        CHECK(as_key.status != 403);
        break;
      }
      case Access::Public:
        CHECK(send({}).status == 200);
        break;
    }
  }
  // Not an empty walk: the table holds LiteLLM's endpoints.
  CHECK(rows[static_cast<int>(Access::Admin)] >= 20);
  CHECK(rows[static_cast<int>(Access::AnyKey)] >= 10);
  CHECK(rows[static_cast<int>(Access::Public)] >= 2);
  LITELLM_CHECK_CLEAN_EXIT(d);
}
