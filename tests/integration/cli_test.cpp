#include <algorithm>
#include <filesystem>

#include <doctest/doctest.h>
#include <httplib.h>

#include "integration/harness.hpp"

using namespace litellm::test;  // NOLINT(google-build-using-namespace): test file

namespace {
std::vector<std::string> connect(const DaemonProcess& d) {
  return {"--base-url", "http://127.0.0.1:" + std::to_string(d.port()), "--api-key", kMasterKey};
}
std::vector<std::string> with(std::vector<std::string> a, const std::vector<std::string>& b) {
  a.insert(a.end(), b.begin(), b.end());
  return a;
}
}  // namespace

TEST_CASE("cli: config init writes a starter config that validates - and never clobbers one") {
  TempDir dir;
  const std::string path = dir.path() + "/config.yaml";
  const auto r = run_binary(LITELLM_CLI_PATH, {"config", "init", path});
  CHECK(r.exit_code == 0);
  CHECK(std::filesystem::exists(path));
  CHECK(run_binary(LITELLM_CLI_PATH, {"config", "validate", path}).exit_code == 0);
  const auto again = run_binary(LITELLM_CLI_PATH, {"config", "init", path});
  CHECK(again.exit_code == 1);
  CHECK(again.output.find("already exists") != std::string::npos);
  CHECK(run_binary(LITELLM_CLI_PATH, {"config", "init", path, "--force"}).exit_code == 0);
}

TEST_CASE("cli: config show resolves os.environ and redacts every secret") {
  TempDir dir;
  const auto path =
      dir.write("c.yaml",
                "model_list:\n  - model_name: g\n    litellm_params:\n"
                "      model: openai/gpt-4o\n      api_key: os.environ/TEST_PROVIDER_KEY\n"
                "general_settings:\n  master_key: sk-master-secret-7777\n"
                "router_settings:\n  redis_url: redis://:redis-pass-5151@10.0.0.9:6380/2\n");
  const std::vector<std::string> env = {"TEST_PROVIDER_KEY=sk-provider-secret-4242"};
  const auto table = run_binary(LITELLM_CLI_PATH, {"config", "show", path}, env);
  CHECK(table.exit_code == 0);
  CHECK(table.output.find("MODEL NAME") != std::string::npos);
  CHECK(table.output.find("sk-...4242") != std::string::npos);
  CHECK(table.output.find("sk-provider-secret-4242") == std::string::npos);
  CHECK(table.output.find("sk-master-secret-7777") == std::string::npos);
  CHECK(table.output.find("Redis at redis://10.0.0.9:6380/2") != std::string::npos);
  CHECK(table.output.find("redis-pass-5151") == std::string::npos);
  const auto json = run_binary(LITELLM_CLI_PATH, {"config", "show", path, "--json"}, env);
  REQUIRE(json.exit_code == 0);
  const auto j = nlohmann::json::parse(json.output);
  CHECK(j["model_list"][0]["api_key"] == "sk-...4242");
  CHECK(j["master_key"] == "sk-...7777");
  CHECK(j["redis"] == "redis://10.0.0.9:6380/2");
  CHECK(json.output.find("redis-pass-5151") == std::string::npos);
}

TEST_CASE("cli: models and health talk to a running daemon - table or JSON") {
  MockUpstream up;
  up.reply_json("/v1/chat/completions", 200, fixture("openai", "chat.response.json"));
  DaemonProcess d(gateway_config(up));
  const auto table = run_binary(LITELLM_CLI_PATH, with({"models"}, connect(d)));
  CHECK(table.exit_code == 0);
  CHECK(table.output.find("MODEL") == 0);
  CHECK(table.output.find("\ngpt-4o ") != std::string::npos);
  const auto json = run_binary(LITELLM_CLI_PATH, with({"models", "--json"}, connect(d)));
  REQUIRE(json.exit_code == 0);
  CHECK(nlohmann::json::parse(json.output)["data"].size() == 3);
  // The same through the environment instead of flags.
  const auto env = run_binary(LITELLM_CLI_PATH, {"models", "--json"},
                              {"LITELLM_BASE_URL=http://127.0.0.1:" + std::to_string(d.port()),
                               std::string("LITELLM_API_KEY=") + kMasterKey});
  CHECK(env.exit_code == 0);
  const auto health = run_binary(LITELLM_CLI_PATH, with({"health"}, connect(d)));
  CHECK(health.exit_code == 0);
  CHECK(health.output.find("3 healthy, 0 unhealthy") != std::string::npos);
}

TEST_CASE("cli: an unhealthy deployment makes health exit 1") {
  const std::string cfg =
      "model_list:\n  - model_name: dead\n    litellm_params:\n      model: openai/x\n"
      "      api_base: http://127.0.0.1:1/v1\n  - model_name: echo\n    litellm_params:\n"
      "      model: mock/echo\n";
  DaemonProcess d(cfg);
  const auto r = run_binary(
      LITELLM_CLI_PATH, {"health", "--base-url", "http://127.0.0.1:" + std::to_string(d.port())});
  CHECK(r.exit_code == 1);
  CHECK(r.output.find("1 healthy, 1 unhealthy") != std::string::npos);
  CHECK(r.output.find("openai/x") != std::string::npos);
}

TEST_CASE("cli: no daemon or a wrong key are clear errors with distinct exit codes") {
  MockUpstream up;
  DaemonProcess d(gateway_config(up));
  const auto wrong = run_binary(
      LITELLM_CLI_PATH, {"models", "--base-url", "http://127.0.0.1:" + std::to_string(d.port()),
                         "--api-key", "sk-wrong"});
  CHECK(wrong.exit_code == 1);
  CHECK(wrong.output.find("Authentication Error") != std::string::npos);
  LITELLM_CHECK_CLEAN_EXIT(d);
  const auto none = run_binary(LITELLM_CLI_PATH, {"models", "--base-url", "http://127.0.0.1:1"});
  CHECK(none.exit_code == 3);
  CHECK(none.output.find("no litellm daemon answers at http://127.0.0.1:1") != std::string::npos);
  CHECK(none.output.find("litellm serve") != std::string::npos);
}

TEST_CASE("cli: chat answers one prompt - with piped stdin appended and a system prompt") {
  MockUpstream up;
  up.reply_json("/v1/chat/completions", 200, fixture("openai", "chat.response.json"));
  DaemonProcess d(gateway_config(up));
  const auto echo =
      run_binary(LITELLM_CLI_PATH, with({"chat", "-m", "echo", "hello there"}, connect(d)));
  CHECK(echo.exit_code == 0);
  CHECK(echo.output == "hello there\n");
  const auto piped =
      run_binary(LITELLM_CLI_PATH, with({"chat", "-m", "echo", "review this"}, connect(d)), {},
                 "diff --git a/x b/x\n");
  CHECK(piped.output == "review this\n\ndiff --git a/x b/x\n\n");
  const auto sys = run_binary(
      LITELLM_CLI_PATH,
      with({"chat", "-m", "gpt-4o", "--system", "be brief", "--json", "hi"}, connect(d)));
  REQUIRE(sys.exit_code == 0);
  CHECK(nlohmann::json::parse(sys.output) == fixture_json("openai", "chat.response.json"));
  const auto sent = nlohmann::json::parse(up.requests().back().body);
  CHECK(sent["messages"][0] == nlohmann::json{{"role", "system"}, {"content", "be brief"}});
  CHECK(sent["messages"][1] == nlohmann::json{{"role", "user"}, {"content", "hi"}});
  const auto unknown = run_binary(LITELLM_CLI_PATH, with({"chat", "-m", "nope", "x"}, connect(d)));
  CHECK(unknown.exit_code == 1);
  CHECK(unknown.output.find("Invalid model name") != std::string::npos);
}

TEST_CASE("cli: chat streams tokens on a terminal") {
  MockUpstream up;
  up.reply_sse("/v1/chat/completions", fixture("openai", "chat.stream.sse"));
  DaemonProcess d(gateway_config(up));
  std::string cmd = std::string(LITELLM_CLI_PATH) + " chat -m gpt-4o hi";
  for (const auto& a : connect(d)) {
    cmd += " " + a;
  }
  // script(1) gives the command a pseudo-terminal, as a person's shell would.
  const auto r = run_binary("/usr/bin/script", {"-qec", cmd, "/dev/null"});
  CHECK(r.exit_code == 0);
  std::string expected;
  for (const auto& data : sse_data(fixture("openai", "chat.stream.sse"))) {
    if (data != "[DONE]") {
      const auto chunk = nlohmann::json::parse(data);
      if (!chunk["choices"].empty() && chunk["choices"][0]["delta"].contains("content")) {
        expected += chunk["choices"][0]["delta"]["content"].get<std::string>();
      }
    }
  }
  CHECK(r.output.find(expected) != std::string::npos);
  CHECK(nlohmann::json::parse(up.requests().back().body)["stream"] == true);
}

TEST_CASE("cli: ollama list shows the installed models from the Ollama server") {
  MockUpstream ollama;
  ollama.on_get("/api/tags", [](const httplib::Request&, httplib::Response& res) {
    res.set_content(fixture("ollama", "tags.response.json"), "application/json");
  });
  const std::string url = "http://127.0.0.1:" + std::to_string(ollama.port());
  const auto table = run_binary(LITELLM_CLI_PATH, {"ollama", "list", "--ollama-url", url});
  CHECK(table.exit_code == 0);
  CHECK(table.output.find("NAME") == 0);
  const auto tags = fixture_json("ollama", "tags.response.json");
  for (const auto& m : tags["models"]) {
    CHECK(table.output.find(m["name"].get<std::string>()) != std::string::npos);
  }
  CHECK(table.output.find("4.7 GB") != std::string::npos);  // deepseek-r1: 4683075271 bytes
  // OLLAMA_HOST in Ollama's own host:port form.
  const auto json = run_binary(LITELLM_CLI_PATH, {"ollama", "list", "--json"},
                               {"OLLAMA_HOST=127.0.0.1:" + std::to_string(ollama.port())});
  REQUIRE(json.exit_code == 0);
  CHECK(nlohmann::json::parse(json.output) == tags);
  const auto none = run_binary(LITELLM_CLI_PATH, {"ollama", "list", "--ollama-url", "127.0.0.1:1"});
  CHECK(none.exit_code == 3);
  CHECK(none.output.find("ollama serve") != std::string::npos);
}

TEST_CASE("cli: ollama list-available filters the catalogue by category and text") {
  const auto code =
      run_binary(LITELLM_CLI_PATH, {"ollama", "list-available", "--category", "code", "--json"});
  REQUIRE(code.exit_code == 0);
  const auto hits = nlohmann::json::parse(code.output);
  REQUIRE(hits.size() >= 3);
  for (const auto& m : hits) {
    const auto& cats = m["categories"];
    CHECK(std::find(cats.begin(), cats.end(), "code") != cats.end());
  }
  const auto embed =
      run_binary(LITELLM_CLI_PATH, {"ollama", "list-available", "--search", "EMBED", "--json"});
  const auto found = nlohmann::json::parse(embed.output);
  REQUIRE_FALSE(found.empty());
  for (const auto& m : found) {
    const std::string text = m["name"].get<std::string>() + m["description"].get<std::string>();
    CHECK(text.find("mbed") != std::string::npos);
  }
  const auto table = run_binary(LITELLM_CLI_PATH, {"ollama", "list-available"});
  CHECK(table.output.find("llama3.2") != std::string::npos);
  CHECK(table.output.find("ollama pull") != std::string::npos);
}

TEST_CASE(
    "cli: ollama pull shows each step - live progress on a terminal - clear error for unknown") {
  MockUpstream ollama;
  std::string requested;
  ollama.on_post("/api/pull", [&](const httplib::Request& req, httplib::Response& res) {
    requested = nlohmann::json::parse(req.body).value("model", "");
    res.set_content(fixture("ollama", requested == "nosuch" ? "pull-not-found.stream.ndjson"
                                                            : "pull.stream.ndjson"),
                    "application/x-ndjson");
  });
  const std::string url = "http://127.0.0.1:" + std::to_string(ollama.port());
  const auto plain =
      run_binary(LITELLM_CLI_PATH, {"ollama", "pull", "llama3.2", "--ollama-url", url});
  CHECK(plain.exit_code == 0);
  CHECK(requested == "llama3.2");
  // Each step once, in order, the big layer with its size.
  const auto at = [&](const std::string& s) {
    return plain.output.find(s);
  };
  CHECK(at("pulling manifest\n") < at("pulling dde5aa3fc5ff  2.0 GB\n"));
  CHECK(at("pulling dde5aa3fc5ff  2.0 GB\n") < at("verifying sha256 digest\n"));
  CHECK(at("writing manifest\n") < at("success\n"));
  CHECK(at("success\n") != std::string::npos);
  CHECK(plain.output.find("pulling dde5aa3fc5ff", at("pulling dde5aa3fc5ff") + 1) ==
        std::string::npos);

  const auto tty = run_binary(
      "/usr/bin/script",
      {"-qec", std::string(LITELLM_CLI_PATH) + " ollama pull llama3.2 --ollama-url " + url,
       "/dev/null"});
  CHECK(tty.exit_code == 0);
  CHECK(tty.output.find("100%") != std::string::npos);
  CHECK(tty.output.find("2.0 GB/2.0 GB") != std::string::npos);

  const auto unknown =
      run_binary(LITELLM_CLI_PATH, {"ollama", "pull", "nosuch", "--ollama-url", url});
  CHECK(unknown.exit_code == 1);
  CHECK(unknown.output.find("pull model manifest: file does not exist") != std::string::npos);
  CHECK(unknown.output.find("litellm ollama list-available") != std::string::npos);
}
