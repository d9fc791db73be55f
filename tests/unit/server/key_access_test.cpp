#include <ctime>

#include <doctest/doctest.h>

#include "server/gateway_state.hpp"

using litellm::ErrorCode;
using litellm::server::check_key_access;

TEST_CASE("key access: blocked - expired and model allow-lists are refused with LiteLLM's words") {
  litellm::store::KeyRecord k;
  CHECK(check_key_access(k, "anything").has_value());  // no limits: every model
  k.models = {"gpt-4o", "echo"};
  CHECK(check_key_access(k, "echo").has_value());
  const auto denied = check_key_access(k, "claude");
  REQUIRE_FALSE(denied.has_value());
  CHECK(denied.error().code == ErrorCode::Authentication);
  CHECK(denied.error().message.find("models=['gpt-4o', 'echo']. Tried to access claude") !=
        std::string::npos);
  k.models = {"*"};
  CHECK(check_key_access(k, "claude").has_value());
  k.expires = static_cast<std::int64_t>(std::time(nullptr)) - 1;
  CHECK(check_key_access(k, "claude").error().message.find("Expired Key") != std::string::npos);
  k.expires = static_cast<std::int64_t>(std::time(nullptr)) + 3600;
  CHECK(check_key_access(k, "claude").has_value());
  k.blocked = true;
  CHECK(check_key_access(k, "claude").error().message.find("Key is blocked") != std::string::npos);
}
