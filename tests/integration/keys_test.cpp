#include <filesystem>
#include <fstream>
#include <sstream>

#include <doctest/doctest.h>

#include "integration/harness.hpp"

using namespace litellm::test;  // NOLINT(google-build-using-namespace): test file
using nlohmann::json;

namespace {

json generate(const HttpClient& c, const json& body) {
  const auto r = c.post("/key/generate", body.dump(), auth());
  INFO(r.body);
  REQUIRE(r.status == 200);
  return json::parse(r.body);
}

std::string echo_chat() {
  return json{{"model", "echo"}, {"messages", {{{"role", "user"}, {"content", "hi there"}}}}}
      .dump();
}

std::string read_all(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

}  // namespace

TEST_CASE_TEMPLATE(
    "keys: a generated key calls models - is stored hashed - reads its own info only", Db, SqliteDb,
    PostgresDb) {
  MockUpstream up;
  const std::string settings = Db::settings();
  DaemonProcess d(gateway_config(up, "", settings));
  HttpClient c(d.port());
  const auto made = generate(c, {{"key_alias", "ci"},
                                 {"models", {"echo"}},
                                 {"max_budget", 5},
                                 {"metadata", {{"owner", "ci"}}}});
  const std::string key = made["key"];
  CHECK(key.rfind("sk-", 0) == 0);
  CHECK(key.size() == 25);
  CHECK(made["key_name"] == "sk-..." + key.substr(key.size() - 4));
  CHECK(made["token"].get<std::string>().size() == 64);
  CHECK(made["models"] == json::array({"echo"}));

  const auto chat = c.post("/v1/chat/completions", echo_chat(), bearer(key));
  CHECK(chat.status == 200);
  const auto denied = c.post("/v1/chat/completions", chat_body("gpt-4o"), bearer(key));
  CHECK(denied.status == 401);
  CHECK(json::parse(denied.body)["error"]["message"].get<std::string>().find(
            "key not allowed to access model") != std::string::npos);
  CHECK(up.request_count() == 0);

  const auto own = c.get("/key/info", bearer(key));
  REQUIRE(own.status == 200);
  const auto info = json::parse(own.body)["info"];
  CHECK(info["key_alias"] == "ci");
  CHECK(info["max_budget"] == 5.0);
  CHECK(info["budget_left"] == 5.0);
  CHECK(info["metadata"]["owner"] == "ci");
  CHECK_FALSE(info.contains("token"));
  const auto other = generate(c, json::object());
  CHECK(c.get("/key/info?key=" + other["key"].get<std::string>(), bearer(key)).status == 403);
  CHECK(c.get("/key/info?key=" + other["token"].get<std::string>(), auth()).status == 200);
  CHECK(c.get("/key/info?key=sk-never-issued", auth()).status == 404);

  // A virtual key is not an admin.
  CHECK(c.post("/key/generate", "{}", bearer(key)).status == 403);
  CHECK(c.get("/key/list", bearer(key)).status == 403);
  CHECK(c.post("/v1/chat/completions", echo_chat(), bearer("sk-not-a-real-key-000000")).status ==
        401);

  // The database holds hashes, never a key.
  std::string db;
  if (settings.empty()) {
    db = read_all(d.home() + "/litellm.db") + read_all(d.home() + "/litellm.db-wal");
  } else {
    const std::string url = settings.substr(settings.find("postgresql://"));
    db = run_binary("/usr/bin/psql", {url.substr(0, url.size() - 1), "-At", "-c",
                                      "SELECT * FROM verification_tokens"})
             .output;
  }
  CHECK_FALSE(db.empty());
  CHECK(db.find(key) == std::string::npos);
  CHECK(db.find(made["token"].get<std::string>()) != std::string::npos);
  LITELLM_CHECK_CLEAN_EXIT(d);
}

TEST_CASE_TEMPLATE("keys: list pages - delete stops a key at once - bad input is named", Db,
                   SqliteDb, PostgresDb) {
  MockUpstream up;
  DaemonProcess d(gateway_config(up, "", Db::settings()));
  HttpClient c(d.port());
  std::vector<std::string> keys;
  for (int i = 0; i < 3; ++i) {
    keys.push_back(generate(c, {{"user_id", i == 0 ? "alice" : "bob"}})["key"]);
  }
  CHECK(c.post("/v1/chat/completions", echo_chat(), bearer(keys[0])).status == 200);  // cached now
  const auto page = json::parse(c.get("/key/list?size=2&page=1", auth()).body);
  CHECK(page["total_count"] == 3);
  CHECK(page["total_pages"] == 2);
  CHECK(page["keys"].size() == 2);
  const auto alice =
      json::parse(c.get("/key/list?user_id=alice&return_full_object=true", auth()).body);
  REQUIRE(alice["keys"].size() == 1);
  CHECK(alice["keys"][0]["user_id"] == "alice");
  CHECK(c.get("/key/list?size=1000", auth()).status == 400);

  const auto del = c.post("/key/delete", json{{"keys", {keys[0]}}}.dump(), auth());
  REQUIRE(del.status == 200);
  CHECK(json::parse(del.body)["deleted_keys"] == json::array({keys[0]}));
  CHECK(c.post("/v1/chat/completions", echo_chat(), bearer(keys[0])).status == 401);
  CHECK(c.post("/key/delete", json{{"keys", {keys[0]}}}.dump(), auth()).status == 404);
  CHECK(c.post("/key/delete", "{}", auth()).status == 400);

  const auto bad = c.post("/key/generate", json{{"max_budget", -1}}.dump(), auth());
  CHECK(bad.status == 400);
  CHECK(json::parse(bad.body)["error"]["param"] == "max_budget");
  CHECK(c.post("/key/generate", json{{"duration", "soon"}}.dump(), auth()).status == 400);
  CHECK(c.post("/key/generate", json{{"key", "not-sk"}}.dump(), auth()).status == 400);
  CHECK(c.post("/key/generate", json{{"models", "echo"}}.dump(), auth()).status == 400);
  CHECK(c.post("/key/generate", "{nope", auth()).status == 400);
  generate(c, {{"key_alias", "dup"}});
  CHECK(c.post("/key/generate", json{{"key_alias", "dup"}}.dump(), auth()).status == 400);
  const auto custom = generate(c, {{"key", "sk-my-own-key-123"}, {"blocked", true}});
  CHECK(custom["key"] == "sk-my-own-key-123");
  const auto blocked = c.post("/v1/chat/completions", echo_chat(), bearer("sk-my-own-key-123"));
  CHECK(blocked.status == 401);
  CHECK(json::parse(blocked.body)["error"]["message"].get<std::string>().find("blocked") !=
        std::string::npos);
}

TEST_CASE_TEMPLATE("keys: survive a restart of the daemon", Db, SqliteDb, PostgresDb) {
  MockUpstream up;
  TempDir home;
  const std::string settings = Db::settings();  // one database for both runs
  std::string key;
  {
    DaemonProcess d(gateway_config(up, "", settings), {}, {"LITELLM_HOME=" + home.path()});
    HttpClient c(d.port());
    key = generate(c, {{"key_alias", "lasting"}})["key"];
    LITELLM_CHECK_CLEAN_EXIT(d);
  }
  DaemonProcess again(gateway_config(up, "", settings), {}, {"LITELLM_HOME=" + home.path()});
  HttpClient c(again.port());
  CHECK(c.post("/v1/chat/completions", echo_chat(), bearer(key)).status == 200);
  CHECK(json::parse(c.get("/key/info", bearer(key)).body)["info"]["key_alias"] == "lasting");
}

TEST_CASE("keys: with no usable database the master key still works and keys say why") {
  MockUpstream up;
  TempDir home;
  std::filesystem::create_directories(home.path() + "/litellm.db");  // a directory: not a database
  DaemonProcess d(gateway_config(up), {}, {"LITELLM_HOME=" + home.path()});
  HttpClient c(d.port());
  CHECK(c.post("/v1/chat/completions", echo_chat(), auth()).status == 200);
  const auto r = c.post("/key/generate", "{}", auth());
  CHECK(r.status == 503);
  CHECK(json::parse(r.body)["error"]["message"].get<std::string>().find(
            "virtual keys are unavailable") == 0);
  CHECK(d.stderr_text().find("virtual keys and spend logs are unavailable") != std::string::npos);
}

TEST_CASE("cli: key create - list - info - delete against a running daemon") {
  MockUpstream up;
  DaemonProcess d(gateway_config(up));
  const std::vector<std::string> connect = {
      "--base-url", "http://127.0.0.1:" + std::to_string(d.port()), "--api-key", kMasterKey};
  const auto with = [&](std::vector<std::string> args) {
    args.insert(args.end(), connect.begin(), connect.end());
    return args;
  };
  const auto made =
      run_binary(LITELLM_CLI_PATH, with({"key", "create", "--alias", "cli-key", "--models",
                                         "echo,gpt-4o", "--max-budget", "2.5"}));
  INFO(made.output);
  REQUIRE(made.exit_code == 0);
  const std::string key = made.output.substr(0, made.output.find('\n'));
  CHECK(key.rfind("sk-", 0) == 0);
  CHECK(made.output.find("shown once") != std::string::npos);
  HttpClient c(d.port());
  CHECK(c.post("/v1/chat/completions", echo_chat(), bearer(key)).status == 200);

  const auto table = run_binary(LITELLM_CLI_PATH, with({"key", "list"}));
  CHECK(table.exit_code == 0);
  CHECK(table.output.find("cli-key") != std::string::npos);
  CHECK(table.output.find("echo,gpt-4o") != std::string::npos);
  CHECK(table.output.find(key) == std::string::npos);  // never the key itself
  const auto listed = run_binary(LITELLM_CLI_PATH, with({"key", "list", "--json"}));
  CHECK(json::parse(listed.output)["total_count"] == 1);
  const auto info = run_binary(LITELLM_CLI_PATH, with({"key", "info", key, "--json"}));
  CHECK(json::parse(info.output)["info"]["max_budget"] == 2.5);
  const auto del = run_binary(LITELLM_CLI_PATH, with({"key", "delete", key}));
  CHECK(del.exit_code == 0);
  CHECK(del.output.find("deleted 1 key") != std::string::npos);
  CHECK(c.post("/v1/chat/completions", echo_chat(), bearer(key)).status == 401);
  const auto refused = run_binary(LITELLM_CLI_PATH, {"key", "list", "--base-url", connect[1],
                                                     "--api-key", "sk-wrong-key-0000000000"});
  CHECK(refused.exit_code == 1);
}

TEST_CASE_TEMPLATE(
    "keys: spend adds up per key - shows in headers and /key/info - a spent budget refuses", Db,
    SqliteDb, PostgresDb) {
  MockUpstream up;
  up.reply_json("/v1/chat/completions", 200, fixture("openai", "chat.response.json"));
  // 14 prompt and 37 completion tokens in the fixture: 0.14 + 0.37 = $0.51 a call.
  DaemonProcess d(gateway_config(
      up, "      input_cost_per_token: 0.01\n      output_cost_per_token: 0.01\n", Db::settings()));
  HttpClient c(d.port());
  const std::string key = generate(c, {{"max_budget", 1.0}})["key"];
  const auto first = c.post("/v1/chat/completions", chat_body("gpt-4o"), bearer(key));
  REQUIRE(first.status == 200);
  CHECK(std::stod(first.header("x-litellm-key-spend")) == doctest::Approx(0.51));
  CHECK(std::stod(first.header("x-litellm-key-max-budget")) == doctest::Approx(1.0));
  const auto second = c.post("/v1/chat/completions", chat_body("gpt-4o"), bearer(key));
  REQUIRE(second.status == 200);
  CHECK(std::stod(second.header("x-litellm-key-spend")) == doctest::Approx(1.02));
  const auto over = c.post("/v1/chat/completions", chat_body("gpt-4o"), bearer(key));
  CHECK(over.status == 400);
  const auto err = json::parse(over.body)["error"];
  CHECK(err["type"] == "budget_exceeded");
  CHECK(err["message"].get<std::string>().find(
            "Budget has been exceeded! Current cost: 1.02, Max budget: 1") == 0);
  CHECK(up.request_count() == 2);
  // /key/info counts it whether or not the writer has reached the database yet ...
  const auto info = json::parse(c.get("/key/info", bearer(key)).body)["info"];
  CHECK(info["spend"].get<double>() == doctest::Approx(1.02));
  CHECK(info["budget_left"].get<double>() == doctest::Approx(-0.02));
  // ... and the database has it after a restart.
  LITELLM_CHECK_CLEAN_EXIT(d);
}

TEST_CASE_TEMPLATE("keys: spend is written to the database and survives a restart", Db, SqliteDb,
                   PostgresDb) {
  MockUpstream up;
  up.reply_json("/v1/chat/completions", 200, fixture("openai", "chat.response.json"));
  const std::string params =
      "      input_cost_per_token: 0.01\n      output_cost_per_token: 0.01\n";
  TempDir home;
  const std::string settings = Db::settings();  // one database for both runs
  std::string key;
  {
    DaemonProcess d(gateway_config(up, params, settings), {}, {"LITELLM_HOME=" + home.path()});
    HttpClient c(d.port());
    key = generate(c, json::object())["key"];
    for (int i = 0; i < 3; ++i) {
      REQUIRE(c.post("/v1/chat/completions", chat_body("gpt-4o"), bearer(key)).status == 200);
    }
    LITELLM_CHECK_CLEAN_EXIT(d);  // SIGTERM: whatever is still in memory is written first
  }
  DaemonProcess again(gateway_config(up, params, settings), {}, {"LITELLM_HOME=" + home.path()});
  HttpClient c(again.port());
  const auto info = json::parse(c.get("/key/info", bearer(key)).body)["info"];
  CHECK(info["spend"].get<double>() == doctest::Approx(1.53));
}
