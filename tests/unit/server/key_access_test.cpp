#include <doctest/doctest.h>

#include "server/gateway_state.hpp"

using litellm::ErrorCode;

TEST_CASE("key access: blocked - expired and model allow-lists are refused with LiteLLM's words") {
  constexpr std::int64_t kNow = 1'760'000'000;  // what the gateway's clock reads
  const auto check_key_access = [](const litellm::store::KeyRecord& key, const std::string& model) {
    return litellm::server::check_key_access(key, model, kNow);
  };
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
  k.expires = kNow - 1;
  CHECK(check_key_access(k, "claude").error().message.find("Expired Key") != std::string::npos);
  k.expires = kNow + 3600;
  CHECK(check_key_access(k, "claude").has_value());
  k.blocked = true;
  CHECK(check_key_access(k, "claude").error().message.find("Key is blocked") != std::string::npos);
}
