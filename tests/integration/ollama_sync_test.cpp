#include <filesystem>
#include <fstream>
#include <sstream>

#include <doctest/doctest.h>
#include <httplib.h>

#include "integration/harness.hpp"

using namespace litellm::test;  // NOLINT(google-build-using-namespace): test file
namespace fs = std::filesystem;

namespace {

std::string read(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

std::vector<std::string> backups(const std::string& dir) {
  std::vector<std::string> out;
  for (const auto& e : fs::directory_iterator(dir)) {
    if (e.path().extension() == ".bak") {
      out.push_back(e.path().string());
    }
  }
  return out;
}

// A config written by hand: comments, odd spacing, a gone Ollama model with an alias to it.
const char* kHandWritten =
    "# local models    (managed by `litellm ollama sync`)\n"
    "model_list:\n"
    "- model_name: gpt-4o   # the paid one\n"
    "  litellm_params: {model: openai/gpt-4o, api_key: os.environ/OPENAI_API_KEY}\n"
    "- model_name: llama3.2\n"
    "  litellm_params:\n"
    "    model: ollama/llama3.2\n"
    "    api_base: OLLAMA_URL\n"
    "# gemma was uninstalled\n"
    "- model_name: gemma\n"
    "  litellm_params:\n"
    "    model: ollama/gemma:2b\n"
    "    api_base: OLLAMA_URL\n"
    "\n"
    "router_settings:\n"
    "  model_group_alias: {small: gemma, best: gpt-4o}\n";

struct OllamaServer {
  MockUpstream mock;
  OllamaServer() {
    mock.on_get("/api/tags", [](const httplib::Request&, httplib::Response& res) {
      res.set_content(fixture("ollama", "tags.response.json"), "application/json");
    });
  }
  std::string url() const { return "http://127.0.0.1:" + std::to_string(mock.port()); }
};

std::string hand_written(const std::string& url) {
  std::string text = kHandWritten;
  for (auto p = text.find("OLLAMA_URL"); p != std::string::npos; p = text.find("OLLAMA_URL")) {
    text.replace(p, 10, url);
  }
  return text;
}

}  // namespace

TEST_CASE("ollama sync --dry-run prints the diff and changes nothing on disk") {
  OllamaServer ollama;
  TempDir dir;
  const std::string path = dir.path() + "/config.yaml";
  const std::string before = hand_written(ollama.url());
  std::ofstream(path) << before;
  const auto r =
      run_binary(LITELLM_CLI_PATH,
                 {"ollama", "sync", "--config", path, "--dry-run", "--ollama-url", ollama.url()},
                 {"LITELLM_HOME=" + dir.path() + "/home"});
  CHECK(r.exit_code == 0);
  CHECK(r.output.find("--- " + path + "\n+++ " + path + " (synced)\n") == 0);
  CHECK(r.output.find("\n-# gemma was uninstalled\n-- model_name: gemma\n") != std::string::npos);
  CHECK(r.output.find("\n+- model_name: deepseek-r1\n") != std::string::npos);
  CHECK(r.output.find("\n-  model_group_alias: {small: gemma, best: gpt-4o}\n"
                      "+  model_group_alias: {best: gpt-4o}\n") != std::string::npos);
  CHECK(r.output.find("wrote") == std::string::npos);
  CHECK(read(path) == before);
  CHECK(backups(dir.path()).empty());
}

TEST_CASE("ollama sync writes a backup then the synced file and keeps the rest as written") {
  OllamaServer ollama;
  TempDir dir;
  const std::string path = dir.path() + "/config.yaml";
  const std::string before = hand_written(ollama.url());
  std::ofstream(path) << before;
  fs::permissions(path, fs::perms::owner_read | fs::perms::owner_write);
  const std::vector<std::string> env = {"LITELLM_HOME=" + dir.path() + "/home",
                                        "OLLAMA_HOST=" + ollama.url()};
  const auto r = run_binary(LITELLM_CLI_PATH, {"ollama", "sync", "--config", path}, env);
  INFO(r.output);
  CHECK(r.exit_code == 0);
  CHECK(r.output.find("4 added, 1 removed, 1 alias removed") != std::string::npos);
  CHECK(r.output.find("no daemon is running") != std::string::npos);
  const auto saved = backups(dir.path());
  REQUIRE(saved.size() == 1);
  CHECK(read(saved[0]) == before);
  CHECK(fs::status(path).permissions() == (fs::perms::owner_read | fs::perms::owner_write));
  const std::string after = read(path);
  // Untouched parts, byte for byte.
  CHECK(after.find("# local models    (managed by `litellm ollama sync`)\nmodel_list:\n"
                   "- model_name: gpt-4o   # the paid one\n"
                   "  litellm_params: {model: openai/gpt-4o, api_key: os.environ/OPENAI_API_KEY}\n"
                   "- model_name: llama3.2\n") == 0);
  CHECK(after.find("gemma") == std::string::npos);
  CHECK(after.find("- model_name: all-minilm\n  litellm_params:\n    model: ollama/all-minilm\n"
                   "    api_base: " +
                   ollama.url() + "\n  model_info:\n    mode: embedding\n") != std::string::npos);
  CHECK(after.find("\n\nrouter_settings:\n  model_group_alias: {best: gpt-4o}\n") !=
        std::string::npos);
  // The result is a config litellm accepts, and a second sync has nothing to do.
  const auto valid =
      run_binary(LITELLM_CLI_PATH, {"config", "validate", path}, {"OPENAI_API_KEY=x"});
  CHECK(valid.exit_code == 0);
  const auto again = run_binary(LITELLM_CLI_PATH, {"ollama", "sync", "--config", path}, env);
  CHECK(again.exit_code == 0);
  CHECK(again.output.find("nothing to change") != std::string::npos);
  CHECK(backups(dir.path()).size() == 1);
}

TEST_CASE("ollama sync says what is wrong when Ollama or the config is missing") {
  TempDir dir;
  const std::vector<std::string> env = {"LITELLM_HOME=" + dir.path() + "/home"};
  const auto no_file =
      run_binary(LITELLM_CLI_PATH, {"ollama", "sync", "--config", dir.path() + "/nope.yaml"}, env);
  CHECK(no_file.exit_code == 2);
  CHECK(no_file.output.find("litellm config init") != std::string::npos);
  const std::string path = dir.path() + "/config.yaml";
  std::ofstream(path) << "model_list: []\n";
  const auto no_ollama = run_binary(
      LITELLM_CLI_PATH, {"ollama", "sync", "--config", path, "--ollama-url", "127.0.0.1:1"}, env);
  CHECK(no_ollama.exit_code == 3);
  CHECK(no_ollama.output.find("ollama serve") != std::string::npos);
  CHECK(read(path) == "model_list: []\n");
}

TEST_CASE("ollama sync reloads the daemon serving the file and the new models answer") {
  OllamaServer ollama;
  ollama.mock.reply_json("/api/chat", 200, fixture("ollama", "chat.response.json"));
  DaemonProcess d(hand_written(ollama.url()) + "general_settings:\n  master_key: " + kMasterKey +
                  "\nenvironment_variables:\n  OPENAI_API_KEY: sk-not-used\n");
  HttpClient c(d.port());
  const std::vector<std::string> env = {"LITELLM_HOME=" + d.home(), "NO_COLOR=1"};
  const auto r = run_binary(LITELLM_CLI_PATH, {"ollama", "sync", "--ollama-url", ollama.url()},
                            env);  // file from the state
  INFO(r.output);
  CHECK(r.exit_code == 0);
  CHECK(r.output.find("wrote " + d.config_path()) != std::string::npos);
  CHECK(r.output.find("config generation 2") != std::string::npos);
  const auto models = nlohmann::json::parse(c.get("/v1/models", auth()).body);
  std::vector<std::string> ids;
  for (const auto& m : models["data"]) {
    ids.push_back(m["id"]);
  }
  CHECK(ids == std::vector<std::string>{"all-minilm", "best", "deepseek-r1", "gpt-4o", "llama3.2",
                                        "llava", "mistral"});
  const auto chat = c.post("/v1/chat/completions", chat_body("deepseek-r1"), auth());
  REQUIRE(chat.status == 200);
  CHECK(nlohmann::json::parse(chat.body)["choices"][0]["message"]["content"] ==
        "Hello! How are you today?");
  REQUIRE(ollama.mock.request_count() >= 2);
  const auto sent = nlohmann::json::parse(ollama.mock.requests().back().body);
  CHECK(sent["model"] == "deepseek-r1");
  CHECK(sent["stream"] == false);
  LITELLM_CHECK_CLEAN_EXIT(d);
}
