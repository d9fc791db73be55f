#include <thread>

#include <doctest/doctest.h>

#include "integration/harness.hpp"

using namespace litellm::test;  // NOLINT(google-build-using-namespace): test file

TEST_CASE("lifecycle: a broken config stops start-up with file - line and key") {
  TempDir dir;
  const auto bad = dir.write("bad.yaml",
                             "model_list:\n  - model_name: a\n    litellm_params:\n"
                             "      model: mock/a\n      rpm: lots\n");
  const auto r = run_binary(LITELLMD_PATH, {"--config", bad, "--port", "0"});
  CHECK(r.exit_code == 2);
  CHECK(r.output.find(bad + ":5:12: model_list[0].litellm_params.rpm: expected a number") !=
        std::string::npos);

  const auto env =
      dir.write("env.yaml",
                "model_list:\n  - model_name: a\n    litellm_params:\n"
                "      model: openai/a\n      api_key: os.environ/LITELLM_TEST_UNSET\n");
  const auto r2 = run_binary(LITELLMD_PATH, {"--config", env, "--port", "0"});
  CHECK(r2.exit_code == 2);
  CHECK(r2.output.find("LITELLM_TEST_UNSET is not set") != std::string::npos);

  const auto prov = dir.write("prov.yaml",
                              "model_list:\n  - model_name: a\n    litellm_params:\n"
                              "      model: nosuch/a\n");
  const auto r3 = run_binary(LITELLMD_PATH, {"--config", prov, "--port", "0"});
  CHECK(r3.exit_code == 2);
  CHECK(r3.output.find(prov + ":4:14: model_list[0].litellm_params.model: unknown provider "
                              "'nosuch'") != std::string::npos);
  CHECK(run_binary(LITELLMD_PATH, {"--config", "/nonexistent.yaml"}).exit_code == 2);
}

TEST_CASE("lifecycle: litellm config validate checks without starting anything") {
  TempDir dir;
  const auto good =
      dir.write("good.yaml",
                "model_list:\n  - model_name: a\n    litellm_params: {model: mock/a}\n"
                "litellm_settings:\n  drop_parms: true\n");
  const auto ok = run_binary(LITELLM_CLI_PATH, {"config", "validate", good});
  CHECK(ok.exit_code == 0);
  CHECK(ok.output.find("OK (1 deployment, 1 warning)") != std::string::npos);
  CHECK(ok.output.find("did you mean 'drop_params'?") != std::string::npos);
  const auto bad = dir.write("bad.yaml", "model_list:\n  - model_name: a\n    litellm_params: 3\n");
  const auto ko = run_binary(LITELLM_CLI_PATH, {"config", "validate", bad});
  CHECK(ko.exit_code == 2);
  CHECK(ko.output.find(bad + ":3:21: model_list[0].litellm_params: expected a mapping") !=
        std::string::npos);
}

TEST_CASE("lifecycle: litellm --model starts a one-model proxy the LiteLLM way") {
  auto d = DaemonProcess::command({LITELLM_CLI_PATH, "--model", "mock/echo", "--port", "0"});
  HttpClient c(d->port());
  const auto r = c.post("/v1/chat/completions",
                        R"({"model":"mock/echo","messages":[{"role":"user","content":"hi"}]})");
  CHECK(r.status == 200);
  CHECK(nlohmann::json::parse(r.body)["choices"][0]["message"]["content"] == "hi");
  LITELLM_CHECK_CLEAN_EXIT(*d);
  const auto v = run_binary(LITELLM_CLI_PATH, {"--version"});
  CHECK(v.exit_code == 0);
  CHECK(v.output.find("litellm 0.1.0") == 0);
}

TEST_CASE("lifecycle: SIGTERM lets a stream in flight finish - then exits 0") {
  const std::string slow = token_stream(20, true);
  MockUpstream up;
  up.reply_sse("/v1/chat/completions", slow, 50);
  DaemonProcess d(gateway_config(up));
  RawStream s(d.port(), "/v1/chat/completions", chat_body("gpt-4o", true), auth());
  REQUIRE(s.read_until("\"content\":\"x\""));
  int exit_code = -5;
  std::thread stopper([&] { exit_code = d.stop(); });
  s.read_to_end();
  stopper.join();
  CHECK(exit_code == 0);
  const auto events = events_of(s.body());
  CHECK(events.size() == 21);
  CHECK(events.back() == "[DONE]");
}

TEST_CASE("lifecycle: secrets stay out of the logs even with --detailed_debug") {
  MockUpstream up;
  up.reply_json("/v1/chat/completions", 401, fixture("openai", "error-401.json"));
  DaemonProcess d(gateway_config(up, "      num_retries: 0\n"), {"--detailed_debug"});
  HttpClient c(d.port());
  CHECK(c.post("/v1/chat/completions", chat_body("gpt-4o"), auth()).status == 401);
  CHECK(c.post("/v1/chat/completions", chat_body("gpt-4o"),
               {{"Authorization", "Bearer sk-guess-0000"}})
            .status == 401);
  LITELLM_CHECK_CLEAN_EXIT(d);
  const auto log = d.stderr_text();
  CHECK(log.find(kUpstreamKey) == std::string::npos);
  CHECK(log.find(kMasterKey) == std::string::npos);
  CHECK(log.find("sk-guess-0000") == std::string::npos);
  CHECK(log.find("DEBUG POST /v1/chat/completions call_id=") != std::string::npos);
}
