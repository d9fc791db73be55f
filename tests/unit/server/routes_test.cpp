#include <string>
#include <string_view>

#include <doctest/doctest.h>

#include "server/route_table.hpp"

using litellm::server::match_route;

namespace {

// The name of the row a request lands on; "" for none.
std::string_view route(std::string_view method, std::string_view path) {
  const auto m = match_route(method, path);
  return m.row == nullptr ? std::string_view() : m.row->name;
}

bool not_allowed(std::string_view method, std::string_view path) {
  const auto m = match_route(method, path);
  return m.row == nullptr && m.wrong_method;
}

bool not_found(std::string_view method, std::string_view path) {
  const auto m = match_route(method, path);
  return m.row == nullptr && !m.wrong_method;
}

}  // namespace

TEST_CASE("routes: LiteLLM's spellings of each endpoint") {
  CHECK(route("POST", "/v1/chat/completions") == "chat");
  CHECK(route("POST", "/chat/completions") == "chat");
  CHECK(route("POST", "/v1/completions") == "completion");
  CHECK(route("POST", "/embeddings") == "embedding");
  CHECK(route("GET", "/v1/models") == "list models");
  CHECK(route("GET", "/health/liveliness") == "liveliness");
  CHECK(route("GET", "/health/liveness") == "liveliness");
  CHECK(route("GET", "/health/readiness") == "readiness");
  CHECK(route("GET", "/health") == "health");
  CHECK(route("POST", "/v1/messages") == "messages");
  CHECK(route("POST", "/anthropic/v1/messages") == "messages");
  CHECK(not_allowed("GET", "/v1/messages"));
  CHECK(route("GET", "/model/info") == "model info");
  CHECK(route("GET", "/v1/model/info") == "model info");
  CHECK(route("GET", "/model_group/info") == "model group info");
  const auto eng = match_route("POST", "/engines/gpt-4o/chat/completions");
  REQUIRE(eng.row != nullptr);
  CHECK(eng.row->name == "chat");
  CHECK(eng.arg == "gpt-4o");
  const auto az = match_route("POST", "/openai/deployments/my/dep/embeddings");
  REQUIRE(az.row != nullptr);
  CHECK(az.row->name == "embedding");
  CHECK(az.arg == "my/dep");
  const auto m = match_route("GET", "/v1/models/openai/gpt-4o");
  REQUIRE(m.row != nullptr);
  CHECK(m.row->name == "get model");
  CHECK(m.arg == "openai/gpt-4o");
}

TEST_CASE("routes: wrong method and unknown paths") {
  CHECK(not_allowed("GET", "/v1/chat/completions"));
  CHECK(not_allowed("POST", "/v1/models"));
  CHECK(not_found("POST", "/nope"));
  CHECK(not_found("POST", "/engines//chat/completions"));
}

TEST_CASE("routes: admin paths, parties and the key in a path") {
  const auto user = match_route("POST", "/user/new");
  REQUIRE(user.row != nullptr);
  CHECK(user.row->name == "party new");
  CHECK(user.arg == "user");
  CHECK(match_route("GET", "/customer/info").arg == "customer");
  CHECK(route("POST", "/team/member_add") == "team member add");
  CHECK(not_found("POST", "/user/member_add"));  // teams only
  CHECK(not_found("POST", "/model/new"));        // not a party
  CHECK(route("POST", "/key/regenerate") == "key regenerate");
  const auto regen = match_route("POST", "/key/sk-abc/regenerate");
  REQUIRE(regen.row != nullptr);
  CHECK(regen.row->name == "key regenerate");
  CHECK(regen.arg == "sk-abc");
  CHECK(route("GET", "/key/info/") == "key info");  // a trailing slash is ignored
  CHECK(route("HEAD", "/health/readiness") == "readiness");
}
