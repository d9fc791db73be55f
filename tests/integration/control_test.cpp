#include <signal.h>

#include <fstream>

#include <doctest/doctest.h>

#include "integration/harness.hpp"

using namespace litellm::test;  // NOLINT(google-build-using-namespace): test file
using nlohmann::json;

namespace {

const char* kEchoConfig =
    "model_list:\n  - model_name: echo\n    litellm_params: {model: mock/echo}\n";

std::vector<std::string> model_ids(const HttpClient& c) {
  std::vector<std::string> ids;
  const json models = json::parse(c.get("/v1/models").body);
  for (const auto& m : models["data"]) {
    ids.push_back(m["id"]);
  }
  return ids;
}

json readiness(const HttpClient& c) {
  return json::parse(c.get("/health/readiness").body)["litellm_cpp"];
}

void rewrite(const std::string& path, const std::string& text) {
  std::ofstream(path, std::ios::trunc) << text;
}

}  // namespace

TEST_CASE("reload: SIGHUP swaps in the new config while a stream in flight finishes") {
  MockUpstream up;
  up.reply_sse("/v1/chat/completions", token_stream(20, true), 50);
  DaemonProcess d(gateway_config(up));
  HttpClient c(d.port());
  RawStream s(d.port(), "/v1/chat/completions", chat_body("gpt-4o", true), auth());
  REQUIRE(s.read_until("\"content\":\"x\""));
  rewrite(d.config_path(), std::string(kEchoConfig) + "  - model_name: added\n" +
                               "    litellm_params: {model: mock/added}\n");
  kill(d.pid(), SIGHUP);
  CHECK(wait_until([&] { return readiness(c)["config_generation"] == 2; }));
  CHECK(model_ids(c) == std::vector<std::string>{"added", "echo"});
  // The new config has no master key: the proxy is open now.
  CHECK(c.post("/v1/chat/completions", chat_body("added")).status == 200);
  s.read_to_end();
  const auto events = events_of(s.body());
  CHECK(events.size() == 21);
  CHECK(events.back() == "[DONE]");
  LITELLM_CHECK_CLEAN_EXIT(d);
}

TEST_CASE("reload: a broken config is refused and the old one keeps serving") {
  DaemonProcess d(kEchoConfig);
  HttpClient c(d.port());
  SUBCASE("invalid YAML") {
    rewrite(d.config_path(), "model_list:\n  - model_name: [\n");
  }
  SUBCASE("unknown provider") {
    rewrite(d.config_path(),
            "model_list:\n  - model_name: x\n    litellm_params:\n      model: nosuch/x\n");
  }
  kill(d.pid(), SIGHUP);
  CHECK(wait_until([&] { return readiness(c)["last_reload_error"].is_string(); }));
  const std::string why = readiness(c)["last_reload_error"];
  CHECK(why.find(d.config_path() + ":") == 0);
  CHECK(readiness(c)["config_generation"] == 1);
  CHECK(model_ids(c) == std::vector<std::string>{"echo"});
  CHECK(c.post("/v1/chat/completions", chat_body("echo")).status == 200);
}

TEST_CASE("cli: status - reload and stop drive a running daemon through its state file") {
  DaemonProcess d(kEchoConfig);
  const std::vector<std::string> env = {"LITELLM_HOME=" + d.home()};
  const auto status = run_binary(LITELLM_CLI_PATH, {"status", "--json"}, env);
  REQUIRE(status.exit_code == 0);
  const auto st = json::parse(status.output);
  CHECK(st["running"] == true);
  CHECK(st["pid"] == d.pid());
  CHECK(st["url"] == "http://127.0.0.1:" + std::to_string(d.port()));
  CHECK(st["model_groups"] == 1);
  const auto table = run_binary(LITELLM_CLI_PATH, {"status"}, env);
  CHECK(table.output.find("STATUS") == 0);
  CHECK(table.output.find("running") != std::string::npos);

  rewrite(d.config_path(), std::string(kEchoConfig) + "  - model_name: more\n" +
                               "    litellm_params: {model: mock/more}\n");
  const auto reloaded = run_binary(LITELLM_CLI_PATH, {"reload"}, env);
  CHECK(reloaded.exit_code == 0);
  CHECK(reloaded.output.find("config generation 2") != std::string::npos);
  rewrite(d.config_path(), "model_list: {\n");
  const auto refused = run_binary(LITELLM_CLI_PATH, {"reload"}, env);
  CHECK(refused.exit_code == 1);
  CHECK(refused.output.find("reload refused") != std::string::npos);
  CHECK(HttpClient(d.port()).post("/v1/chat/completions", chat_body("more")).status == 200);

  const auto stopped = run_binary(LITELLM_CLI_PATH, {"stop"}, env);
  CHECK(stopped.exit_code == 0);
  CHECK(d.stop() == 0);  // already gone: reaps the exit status litellm stop caused
  const auto after = run_binary(LITELLM_CLI_PATH, {"status"}, env);
  CHECK(after.exit_code == 3);
  CHECK(after.output.find("litellm serve") != std::string::npos);
}

TEST_CASE("cli: start runs the daemon in the background - logs shows it - stop ends it") {
  TempDir dir;
  const auto config = dir.write("config.yaml", kEchoConfig);
  const std::vector<std::string> env = {"LITELLM_HOME=" + dir.path() + "/home"};
  const auto started =
      run_binary(LITELLM_CLI_PATH, {"start", "--config", config, "--port", "0"}, env);
  REQUIRE(started.exit_code == 0);
  CHECK(started.output.find("started litellmd (pid ") == 0);
  const auto again =
      run_binary(LITELLM_CLI_PATH, {"start", "--config", config, "--port", "0"}, env);
  CHECK(again.exit_code == 1);
  CHECK(again.output.find("already running") != std::string::npos);
  const auto status = run_binary(LITELLM_CLI_PATH, {"status", "--json"}, env);
  REQUIRE(status.exit_code == 0);
  const auto url = json::parse(status.output)["url"].get<std::string>();
  const int port = std::stoi(url.substr(url.rfind(':') + 1));
  CHECK(HttpClient(port).post("/v1/chat/completions", chat_body("echo")).status == 200);
  // Other commands find it through the state file too.
  const auto models = run_binary(LITELLM_CLI_PATH, {"models", "--json"}, env);
  CHECK(models.exit_code == 0);
  CHECK(json::parse(models.output)["data"][0]["id"] == "echo");
  const auto logs = run_binary(LITELLM_CLI_PATH, {"logs"}, env);
  CHECK(logs.exit_code == 0);
  CHECK(logs.output.find("litellmd: listening on " + url) != std::string::npos);
  CHECK(run_binary(LITELLM_CLI_PATH, {"stop"}, env).exit_code == 0);
  CHECK(run_binary(LITELLM_CLI_PATH, {"status"}, env).exit_code == 3);
  const auto log_after = run_binary(LITELLM_CLI_PATH, {"logs", "-n", "1"}, env);
  CHECK(log_after.output.find("stopped") != std::string::npos);
}

TEST_CASE("cli: start reports a daemon that dies during start-up") {
  TempDir dir;
  const std::vector<std::string> env = {"LITELLM_HOME=" + dir.path() + "/home"};
  const auto r =
      run_binary(LITELLM_CLI_PATH, {"start", "--config", dir.path() + "/missing.yaml"}, env);
  CHECK(r.exit_code == 1);
  CHECK(r.output.find("Config file not found") != std::string::npos);
}
