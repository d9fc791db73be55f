#include <doctest/doctest.h>

#include "config/loader.hpp"
#include "router/executor.hpp"
#include "router/model_table.hpp"
#include "router/retry_policy.hpp"

using litellm::Error;
using litellm::ErrorCode;
using std::chrono::milliseconds;

namespace {
std::shared_ptr<const litellm::router::ModelTable> table_for(
    const char* yaml, litellm::config::EnvResolver env = {}) {
  auto cfg = litellm::config::load_string(yaml, "t.yaml", env);
  REQUIRE(cfg.has_value());
  static const litellm::providers::Registry registry;
  auto t = litellm::router::ModelTable::build(*cfg, registry, env);
  REQUIRE(t.has_value());
  return *t;
}
}  // namespace

TEST_CASE("model table: groups - aliases and deployment ids resolve to the same deployments") {
  auto t = table_for(
      "model_list:\n"
      "  - {model_name: g, litellm_params: {model: openai/a, api_base: 'http://x'}, model_info: "
      "{id: d1}}\n"
      "  - {model_name: g, litellm_params: {model: mock/b}}\n"
      "router_settings: {model_group_alias: {alias: g}}\n");
  const auto* g = t->find("g");
  REQUIRE(g != nullptr);
  CHECK(g->deployments.size() == 2);
  CHECK(t->find("alias") == g);
  const auto* by_id = t->find("d1");
  REQUIRE(by_id != nullptr);
  REQUIRE(by_id->deployments.size() == 1);
  CHECK(by_id->deployments[0]->target.model == "a");
  CHECK(t->find("nope") == nullptr);
  CHECK(t->names() == std::vector<std::string>{"alias", "g"});
  CHECK(g->deployments[1]->local);
}

TEST_CASE("model table: the provider's key variable is the default credential") {
  auto t = table_for(
      "model_list:\n  - {model_name: g, litellm_params: {model: groq/llama}}\n",
      litellm::config::EnvResolver(std::map<std::string, std::string>{{"GROQ_API_KEY", "gsk-1"}}));
  CHECK(t->find("g")->deployments[0]->target.api_key.reveal() == "gsk-1");
}

TEST_CASE("model table: an unknown provider fails the build with where it is written") {
  litellm::config::EnvResolver env;
  auto cfg = litellm::config::load_string(
      "model_list:\n  - model_name: g\n    litellm_params:\n      model: nosuch/x\n", "t.yaml",
      env);
  REQUIRE(cfg.has_value());
  litellm::providers::Registry registry;
  auto t = litellm::router::ModelTable::build(*cfg, registry, env);
  REQUIRE_FALSE(t.has_value());
  CHECK(t.error().message.find("t.yaml:4:14: model_list[0].litellm_params.model: unknown provider "
                               "'nosuch'") == 0);
}

TEST_CASE("retry policy: what is retried and how long to wait") {
  CHECK(litellm::router::is_retryable(ErrorCode::RateLimited));
  CHECK(litellm::router::is_retryable(ErrorCode::Timeout));
  CHECK(litellm::router::is_retryable(ErrorCode::UpstreamUnavailable));
  CHECK(litellm::router::is_retryable(ErrorCode::UpstreamError));
  CHECK_FALSE(litellm::router::is_retryable(ErrorCode::InvalidRequest));
  CHECK_FALSE(litellm::router::is_retryable(ErrorCode::Authentication));
  CHECK_FALSE(litellm::router::is_retryable(ErrorCode::ContextWindowExceeded));

  Error plain = Error::make(ErrorCode::UpstreamError, "x");
  CHECK(litellm::router::retry_delay(plain, 1, milliseconds(0)) == milliseconds(500));
  CHECK(litellm::router::retry_delay(plain, 2, milliseconds(0)) == milliseconds(1000));
  CHECK(litellm::router::retry_delay(plain, 9, milliseconds(0)) == milliseconds(8000));
  CHECK(litellm::router::retry_delay(plain, 1, milliseconds(700)) == milliseconds(700));
  Error hinted = plain;
  hinted.retry_after = milliseconds(2000);
  CHECK(litellm::router::retry_delay(hinted, 1, milliseconds(0)) == milliseconds(2000));
  hinted.retry_after = milliseconds(600'000);
  CHECK(litellm::router::retry_delay(hinted, 1, milliseconds(0)) == milliseconds(60'000));
}
