#include <doctest/doctest.h>

#include "config/loader.hpp"
#include "config/paths.hpp"
#include "support/daemon_process.hpp"

using litellm::ErrorCode;
using litellm::config::EnvResolver;
using litellm::config::load_string;

namespace {
bool contains(const std::string& s, const std::string& part) {
  return s.find(part) != std::string::npos;
}
bool any_contains(const std::vector<std::string>& v, const std::string& part) {
  for (const auto& s : v) {
    if (contains(s, part)) {
      return true;
    }
  }
  return false;
}
}  // namespace

TEST_CASE("config: a typical LiteLLM config loads with every field resolved") {
  EnvResolver env(std::map<std::string, std::string>{{"OPENAI_API_KEY", "sk-provider-secret"},
                                                     {"MASTER", "sk-master"}});
  const char* yaml = R"(
model_list:
  - model_name: gpt-4o
    litellm_params:
      model: openai/gpt-4o
      api_key: os.environ/OPENAI_API_KEY
      api_base: http://127.0.0.1:9/v1
      timeout: 12.5
      rpm: 600
      temperature: 0.2
    model_info:
      id: my-id
  - model_name: local
    litellm_params:
      model: gpt-4o-mini
litellm_settings:
  drop_params: true
  num_retries: 4
router_settings:
  timeout: 30
  model_group_alias: {gpt4: gpt-4o, hidden-one: {model: local, hidden: true}}
general_settings:
  master_key: os.environ/MASTER
  max_request_size_mb: 2
)";
  auto cfg = load_string(yaml, "config.yaml", env);
  REQUIRE(cfg.has_value());
  REQUIRE(cfg->model_list.size() == 2);
  const auto& d = cfg->model_list[0];
  CHECK(d.model_name == "gpt-4o");
  CHECK(d.provider == "openai");
  CHECK(d.provider_model == "gpt-4o");
  CHECK(d.api_key.reveal() == "sk-provider-secret");
  CHECK(d.api_base == "http://127.0.0.1:9/v1");
  CHECK(*d.timeout_s == doctest::Approx(12.5));
  CHECK(*d.rpm == 600);
  CHECK(d.default_params["temperature"].get<double>() == doctest::Approx(0.2));
  CHECK(d.id == "my-id");
  CHECK(d.location == "config.yaml:5:14: model_list[0].litellm_params.model");
  CHECK(cfg->model_list[1].provider == "openai");
  CHECK(cfg->model_list[1].provider_model == "gpt-4o-mini");
  CHECK(cfg->model_list[1].id.size() == 16);
  CHECK(cfg->drop_params);
  CHECK(cfg->effective_num_retries() == 4);
  CHECK(cfg->effective_timeout_s() == doctest::Approx(30));
  CHECK(cfg->model_group_alias.at("gpt4") == "gpt-4o");
  CHECK(cfg->model_group_alias.at("hidden-one") == "local");
  CHECK(cfg->master_key.reveal() == "sk-master");
  CHECK(cfg->max_request_size_bytes == 2U * 1024 * 1024);
  CHECK(cfg->warnings.empty());
}

TEST_CASE("config: the same entry gets the same derived id every time") {
  EnvResolver env;
  const char* yaml = "model_list:\n  - model_name: a\n    litellm_params: {model: mock/a}\n";
  auto a = load_string(yaml, "x.yaml", env);
  auto b = load_string(yaml, "x.yaml", env);
  REQUIRE(a.has_value());
  REQUIRE(b.has_value());
  CHECK(a->model_list[0].id == b->model_list[0].id);
}

TEST_CASE("config: a missing os.environ variable is an error naming it and where") {
  EnvResolver env;
  auto cfg = load_string(
      "model_list:\n  - model_name: a\n    litellm_params:\n      model: openai/x\n"
      "      api_key: os.environ/NOPE_KEY\n",
      "c.yaml", env);
  REQUIRE_FALSE(cfg.has_value());
  CHECK(cfg.error().code == ErrorCode::Config);
  CHECK(contains(cfg.error().message, "c.yaml:5:16"));
  CHECK(contains(cfg.error().message, "model_list[0].litellm_params.api_key"));
  CHECK(contains(cfg.error().message, "NOPE_KEY is not set"));
}

TEST_CASE("config: environment_variables feed os.environ references") {
  EnvResolver env;
  auto cfg = load_string(
      "environment_variables:\n  MY_KEY: sk-from-file\nmodel_list:\n  - model_name: a\n"
      "    litellm_params: {model: openai/x, api_key: os.environ/MY_KEY}\n",
      "c.yaml", env);
  REQUIRE(cfg.has_value());
  CHECK(cfg->model_list[0].api_key.reveal() == "sk-from-file");
}

TEST_CASE("config: broken files are refused with file - line - column and key path") {
  EnvResolver env;
  SUBCASE("invalid YAML") {
    auto cfg =
        load_string("model_list:\n  - model_name: a\n   litellm_params: [\n", "bad.yaml", env);
    REQUIRE_FALSE(cfg.has_value());
    CHECK(contains(cfg.error().message, "bad.yaml:"));
    CHECK(contains(cfg.error().message, "invalid YAML"));
  }
  SUBCASE("model_list is not a list") {
    auto cfg = load_string("model_list: {a: b}\n", "bad.yaml", env);
    REQUIRE_FALSE(cfg.has_value());
    CHECK(contains(cfg.error().message, "bad.yaml:1:13: model_list: expected a list"));
  }
  SUBCASE("missing model_name") {
    auto cfg = load_string("model_list:\n  - litellm_params: {model: mock/a}\n", "bad.yaml", env);
    REQUIRE_FALSE(cfg.has_value());
    CHECK(contains(cfg.error().message, "bad.yaml:2:5: model_list[0].model_name: missing"));
  }
  SUBCASE("missing litellm_params.model") {
    auto cfg = load_string("model_list:\n  - model_name: a\n    litellm_params: {api_base: x}\n",
                           "bad.yaml", env);
    REQUIRE_FALSE(cfg.has_value());
    CHECK(contains(cfg.error().message, "model_list[0].litellm_params.model: missing"));
  }
  SUBCASE("a number that is not one") {
    auto cfg = load_string(
        "model_list:\n  - model_name: a\n    litellm_params:\n      model: mock/a\n"
        "      timeout: soon\n",
        "bad.yaml", env);
    REQUIRE_FALSE(cfg.has_value());
    CHECK(contains(cfg.error().message,
                   "bad.yaml:5:16: model_list[0].litellm_params.timeout: expected a number, "
                   "found 'soon'"));
  }
  SUBCASE("a boolean that is not one") {
    auto cfg = load_string("litellm_settings:\n  drop_params: maybe\n", "bad.yaml", env);
    REQUIRE_FALSE(cfg.has_value());
    CHECK(contains(cfg.error().message, "litellm_settings.drop_params: expected true or false"));
  }
  SUBCASE("an empty file") {
    auto cfg = load_string("", "empty.yaml", env);
    REQUIRE_FALSE(cfg.has_value());
    CHECK(contains(cfg.error().message, "Config cannot be None or Empty"));
  }
}

TEST_CASE("config: typos are warned about with a suggestion - unimplemented keys are reported") {
  EnvResolver env;
  auto cfg = load_string(
      "modle_list: []\nlitellm_settings:\n  cache: true\n  drop_parms: true\n"
      "router_settings:\n  routing_strategy: least-busy\n",
      "c.yaml", env);
  REQUIRE(cfg.has_value());
  CHECK(any_contains(cfg->warnings,
                     "c.yaml:1:1: modle_list: unknown key (did you mean 'model_list'?)"));
  CHECK(any_contains(cfg->warnings,
                     "litellm_settings.drop_parms: unknown key (did you mean 'drop_params'?)"));
  CHECK(any_contains(cfg->warnings, "litellm_settings.cache: not supported yet"));
  CHECK(any_contains(cfg->warnings, "router_settings.routing_strategy: not supported yet"));
}

TEST_CASE("config: router_settings names the Redis replicas share - bad values say where") {
  EnvResolver env;
  env.set("REDIS_PASSWORD", "pw-from-env");
  auto cfg = load_string(
      "router_settings:\n  redis_host: cache.internal\n  redis_port: 6380\n"
      "  redis_password: os.environ/REDIS_PASSWORD\n",
      "r.yaml", env);
  REQUIRE(cfg.has_value());
  CHECK(cfg->redis_host == "cache.internal");
  CHECK(cfg->redis_port == 6380);
  CHECK(cfg->redis_password.reveal() == "pw-from-env");
  CHECK_FALSE(any_contains(cfg->warnings, "redis"));
  auto url =
      load_string("router_settings:\n  redis_url: redis://:pw@10.0.0.7:6379/1\n", "r.yaml", env);
  REQUIRE(url.has_value());
  CHECK(url->redis_url.reveal() == "redis://:pw@10.0.0.7:6379/1");
  auto port = load_string("router_settings:\n  redis_port: 70000\n", "r.yaml", env);
  REQUIRE_FALSE(port.has_value());
  CHECK(contains(port.error().message, "r.yaml:2:15: router_settings.redis_port"));
  auto tls = load_string("router_settings:\n  redis_url: rediss://h:6380\n", "r.yaml", env);
  REQUIRE_FALSE(tls.has_value());
  CHECK(contains(tls.error().message, "router_settings.redis_url"));
  CHECK(contains(tls.error().message, "rediss:// is not supported"));
}

TEST_CASE("config: include merges model_list entries from other files") {
  litellm::test::TempDir dir;
  dir.write("more.yaml", "model_list:\n  - model_name: b\n    litellm_params: {model: mock/b}\n");
  const auto main = dir.write("config.yaml",
                              "include: [more.yaml]\nmodel_list:\n  - model_name: a\n    "
                              "litellm_params: {model: mock/a}\n");
  EnvResolver env;
  auto cfg = litellm::config::load_file(main, env);
  REQUIRE(cfg.has_value());
  REQUIRE(cfg->model_list.size() == 2);
  CHECK(cfg->model_list[1].model_name == "b");
}

TEST_CASE("config: a missing file says so") {
  EnvResolver env;
  auto cfg = litellm::config::load_file("/nonexistent/config.yaml", env);
  REQUIRE_FALSE(cfg.has_value());
  CHECK(cfg.error().message == "Config file not found: /nonexistent/config.yaml");
}

TEST_CASE("config: LITELLM_MASTER_KEY applies when the file sets none") {
  EnvResolver env(std::map<std::string, std::string>{{"LITELLM_MASTER_KEY", "sk-env"}});
  auto cfg = load_string("model_list: []\n", "c.yaml", env);
  REQUIRE(cfg.has_value());
  CHECK(cfg->master_key.reveal() == "sk-env");
}

TEST_CASE("paths: LITELLM_HOME wins then XDG then HOME - never the working directory") {
  using litellm::config::resolve_paths;
  using Vars = std::map<std::string, std::string>;
  auto p = resolve_paths(EnvResolver(Vars{{"LITELLM_HOME", "/srv/llm"}, {"HOME", "/home/a"}}));
  CHECK(p.data_dir == "/srv/llm");
  CHECK(p.state_dir == "/srv/llm/state");
  p = resolve_paths(EnvResolver(
      Vars{{"XDG_DATA_HOME", "/x/data"}, {"XDG_STATE_HOME", "/x/state"}, {"HOME", "/home/a"}}));
  CHECK(p.data_dir == "/x/data/litellm");
  CHECK(p.state_dir == "/x/state/litellm");
  p = resolve_paths(EnvResolver(Vars{{"XDG_DATA_HOME", "relative"}, {"HOME", "/home/a"}}));
  CHECK(p.data_dir == "/home/a/.local/share/litellm");
  CHECK(p.state_dir == "/home/a/.local/state/litellm");
}
