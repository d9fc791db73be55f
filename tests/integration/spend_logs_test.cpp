#include <ctime>
#include <filesystem>
#include <fstream>

#include <doctest/doctest.h>
#include <sqlite3.h>

#include "integration/harness.hpp"

using namespace litellm::test;  // NOLINT(google-build-using-namespace): test file
using nlohmann::json;

namespace {

const std::vector<std::string> kPath = {"PATH=/usr/sbin:/usr/bin:/sbin:/bin"};

json made_key(const HttpClient& c, const json& body) {
  const auto r = c.post("/key/generate", body.dump(), auth());
  INFO(r.body);
  REQUIRE(r.status == 200);
  return json::parse(r.body);
}

std::string today() {
  const std::time_t now = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&now, &tm);
  char buf[16];
  std::strftime(buf, sizeof buf, "%Y-%m-%d", &tm);
  return buf;
}

// A PostgreSQL server of the test's own (tests/support/postgres.sh), for tests that stop it.
class OwnPostgres {
 public:
  OwnPostgres() {
    // The server runs as the `postgres` user when the tests run as root: it must reach its dir.
    std::filesystem::permissions(dir_.path(), std::filesystem::perms::others_exec,
                                 std::filesystem::perm_options::add);
    const auto started = run_binary("/bin/bash", {script_, "start", pg_dir_}, kPath);
    INFO(started.output);
    REQUIRE(started.exit_code == 0);
    std::ifstream url_file(pg_dir_ + "/url");
    std::getline(url_file, url_);
  }
  ~OwnPostgres() { run_binary("/bin/bash", {script_, "stop", pg_dir_}, kPath); }
  OwnPostgres(const OwnPostgres&) = delete;
  OwnPostgres& operator=(const OwnPostgres&) = delete;
  const std::string& url() const { return url_; }
  void pause() {
    REQUIRE(run_binary("/bin/bash", {script_, "pause", pg_dir_}, kPath).exit_code == 0);
  }
  void resume() {
    REQUIRE(run_binary("/bin/bash", {script_, "resume", pg_dir_}, kPath).exit_code == 0);
  }

 private:
  TempDir dir_;
  std::string script_ = std::string(LITELLM_SOURCE_DIR) + "/tests/support/postgres.sh";
  std::string pg_dir_ = dir_.path() + "/pg";
  std::string url_;
};

}  // namespace

TEST_CASE_TEMPLATE("spend logs: one row per call - filters - day summary - report by key", Db,
                   SqliteDb, PostgresDb) {
  MockUpstream up;
  up.reply_json("/v1/chat/completions", 200, fixture("openai", "chat.response.json"));
  up.reply_json("/v1/embeddings", 500, fixture("openai", "error-500.json"));
  DaemonProcess d(gateway_config(up, kPrices, Db::settings()));
  HttpClient c(d.port());
  const auto alice = made_key(c, {{"user_id", "alice"}, {"team_id", "red"}, {"key_alias", "a"}});
  const std::string key = alice["key"];
  json chat = json::parse(chat_body("gpt-4o"));
  chat["user"] = "customer-7";
  chat["metadata"] = {{"tags", {"prod"}}};
  const auto ok = c.post("/v1/chat/completions", chat.dump(), bearer(key));
  REQUIRE(ok.status == 200);
  const std::string call_id = ok.header("x-litellm-call-id");
  CHECK(c.post("/v1/chat/completions", chat_body("gpt-4o"), auth()).status == 200);
  const auto failed =
      c.post("/v1/embeddings", json{{"model", "text-embedding-3-small"}, {"input", "x"}}.dump(),
             bearer(key));
  CHECK(failed.status == 500);

  const auto all = c.get("/spend/logs", auth());
  REQUIRE(all.status == 200);
  CHECK(json::parse(all.body).size() == 3);
  const auto mine = json::parse(c.get("/spend/logs?api_key=" + key, auth()).body);
  REQUIRE(mine.size() == 2);
  const auto& row = mine[0];
  CHECK(row["request_id"] == call_id);
  CHECK(row["call_type"] == "acompletion");
  CHECK(row["api_key"] == alice["token"]);
  CHECK(row["spend"].get<double>() == doctest::Approx(0.51));
  CHECK(row["prompt_tokens"] == 14);
  CHECK(row["completion_tokens"] == 37);
  CHECK(row["total_tokens"] == 51);
  CHECK(row["model"] == "gpt-4o-2024-08-06");
  CHECK(row["model_group"] == "gpt-4o");
  CHECK(row["custom_llm_provider"] == "openai");
  CHECK(row["user"] == "alice");
  CHECK(row["team_id"] == "red");
  CHECK(row["end_user"] == "customer-7");
  CHECK(row["request_tags"] == json::array({"prod"}));
  CHECK(row["metadata"]["user_api_key_alias"] == "a");
  CHECK(row["status"] == "success");
  CHECK(row["startTime"].get<std::string>().find(today()) == 0);
  CHECK(mine[1]["status"] == "failure");
  CHECK(mine[1]["spend"] == 0.0);
  CHECK(mine[1]["call_type"] == "aembedding");
  CHECK(json::parse(c.get("/spend/logs?request_id=" + call_id, auth()).body).size() == 1);
  CHECK(json::parse(c.get("/spend/logs?user_id=bob", auth()).body).empty());
  const auto summary =
      json::parse(c.get("/spend/logs?start_date=" + today() + "&end_date=" + today(), auth()).body);
  REQUIRE(summary.size() == 1);
  CHECK(summary[0]["spend"].get<double>() == doctest::Approx(1.02));
  CHECK(summary[0]["users"]["alice"].get<double>() == doctest::Approx(0.51));
  CHECK(summary[0]["models"]["gpt-4o"].get<double>() == doctest::Approx(1.02));

  const auto report =
      c.get("/global/spend/report?group_by=api_key&start_date=" + today() + "&end_date=" + today(),
            auth());
  REQUIRE(report.status == 200);
  const auto days = json::parse(report.body);
  REQUIRE(days.size() == 1);
  CHECK(days[0]["api_keys"].size() == 2);
  CHECK(days[0]["api_keys"][0]["total_spend"].get<double>() == doctest::Approx(0.51));
  CHECK(c.get("/global/spend/report", auth()).status == 400);
  CHECK(c.get("/spend/logs?start_date=yesterday", auth()).status == 400);
  CHECK(c.get("/spend/logs", bearer(key)).status == 403);
  CHECK(c.get("/global/spend", bearer(key)).status == 403);
  CHECK(json::parse(c.get("/global/spend", auth()).body)["spend"].get<double>() ==
        doctest::Approx(1.02));
  LITELLM_CHECK_CLEAN_EXIT(d);
}

TEST_CASE_TEMPLATE("keys: update - block - unblock - regenerate take effect on the next call", Db,
                   SqliteDb, PostgresDb) {
  MockUpstream up;
  up.reply_json("/v1/chat/completions", 200, fixture("openai", "chat.response.json"));
  DaemonProcess d(gateway_config(up, kPrices, Db::settings()));
  HttpClient c(d.port());
  const auto made = made_key(c, {{"models", {"gpt-4o"}}});
  const std::string key = made["key"];
  const auto echo = json{{"model", "echo"}, {"messages", {{{"role", "user"}, {"content", "hi"}}}}};
  CHECK(c.post("/v1/chat/completions", chat_body("gpt-4o"), bearer(key)).status == 200);
  CHECK(c.post("/v1/chat/completions", echo.dump(), bearer(key)).status == 401);  // cached now

  const auto updated =
      c.post("/key/update",
             json{{"key", key}, {"models", {"gpt-4o", "echo"}}, {"max_budget", 9}}.dump(), auth());
  REQUIRE(updated.status == 200);
  CHECK(json::parse(updated.body)["max_budget"] == 9.0);
  CHECK(c.post("/v1/chat/completions", echo.dump(), bearer(key)).status == 200);
  CHECK(c.post("/key/update", json{{"key", key}, {"rpm_limit", "many"}}.dump(), auth()).status ==
        400);
  CHECK(c.post("/key/update", json{{"key", "sk-unknown-key-1"}}.dump(), auth()).status == 404);
  CHECK(c.post("/key/update", json{{"key", key}}.dump(), bearer(key)).status == 403);

  REQUIRE(c.post("/key/block", json{{"key", key}}.dump(), auth()).status == 200);
  CHECK(c.post("/v1/chat/completions", echo.dump(), bearer(key)).status == 401);
  REQUIRE(c.post("/key/unblock", json{{"key", key}}.dump(), auth()).status == 200);
  CHECK(c.post("/v1/chat/completions", echo.dump(), bearer(key)).status == 200);

  const auto regen = c.post("/key/" + key + "/regenerate", "{}", auth());
  REQUIRE(regen.status == 200);
  const std::string fresh = json::parse(regen.body)["key"];
  CHECK(fresh != key);
  CHECK(c.post("/v1/chat/completions", echo.dump(), bearer(key)).status == 401);
  CHECK(c.post("/v1/chat/completions", echo.dump(), bearer(fresh)).status == 200);
  const auto info = json::parse(c.get("/key/info", bearer(fresh)).body)["info"];
  CHECK(info["spend"].get<double>() == doctest::Approx(0.51));  // the spend moved with it
  CHECK(info["max_budget"] == 9.0);
}

TEST_CASE("keys: budget_duration sets the next reset on a calendar boundary") {
  MockUpstream up;
  DaemonProcess d(gateway_config(up));
  HttpClient c(d.port());
  const auto made = made_key(c, {{"budget_duration", "1d"}, {"max_budget", 1}});
  const std::string reset = made["budget_reset_at"];
  CHECK(reset.size() == 20);
  CHECK(reset.substr(10) == "T00:00:00Z");  // next midnight UTC
  CHECK(c.post("/key/generate", json{{"budget_duration", "monthly"}}.dump(), auth()).status == 400);
}

TEST_CASE("cli: key update - block - regenerate - spend tables against a running daemon") {
  MockUpstream up;
  up.reply_json("/v1/chat/completions", 200, fixture("openai", "chat.response.json"));
  DaemonProcess d(gateway_config(up, kPrices));
  const std::vector<std::string> connect = {
      "--base-url", "http://127.0.0.1:" + std::to_string(d.port()), "--api-key", kMasterKey};
  const auto cli = [&](std::vector<std::string> args) {
    args.insert(args.end(), connect.begin(), connect.end());
    return run_binary(LITELLM_CLI_PATH, args);
  };
  HttpClient c(d.port());
  const std::string key = made_key(c, {{"key_alias", "team-bot"}, {"team_id", "red"}})["key"];
  REQUIRE(c.post("/v1/chat/completions", chat_body("gpt-4o"), bearer(key)).status == 200);

  const auto updated = cli({"key", "update", key, "--rpm", "7", "--max-parallel", "3"});
  INFO(updated.output);
  REQUIRE(updated.exit_code == 0);
  const auto info = json::parse(c.get("/key/info", bearer(key)).body)["info"];
  CHECK(info["rpm_limit"] == 7);
  CHECK(info["max_parallel_requests"] == 3);
  CHECK(cli({"key", "block", key}).exit_code == 0);
  CHECK(c.post("/v1/chat/completions", chat_body("gpt-4o"), bearer(key)).status == 401);
  CHECK(cli({"key", "unblock", key}).exit_code == 0);
  const auto regen = cli({"key", "regenerate", key});
  REQUIRE(regen.exit_code == 0);
  const std::string fresh = regen.output.substr(0, regen.output.find('\n'));
  CHECK(fresh.rfind("sk-", 0) == 0);
  CHECK(c.post("/v1/chat/completions", chat_body("gpt-4o"), bearer(fresh)).status == 200);
  CHECK(cli({"key", "block", "sk-no-such-key-000"}).exit_code == 1);

  const auto by_team = cli({"spend", "--by", "team"});
  INFO(by_team.output);
  REQUIRE(by_team.exit_code == 0);
  CHECK(by_team.output.find("red") != std::string::npos);
  CHECK(by_team.output.find("$1.0200") != std::string::npos);  // two calls at $0.51
  const auto by_day = cli({"spend", "--by", "day", "--since", "3d"});
  REQUIRE(by_day.exit_code == 0);
  CHECK(by_day.output.find(today()) != std::string::npos);
  CHECK(by_day.output.find("█") != std::string::npos);
  CHECK(by_day.output.find("total $1.0200") != std::string::npos);
  const auto as_json = cli({"spend", "--by", "model", "--json"});
  CHECK(json::parse(as_json.output)[0]["models"][0]["model"] == "gpt-4o");
  CHECK(cli({"spend", "--since", "last tuesday"}).exit_code == 2);
}

TEST_CASE("postgres outage: verified keys keep working - new keys get 503 - no spend is lost") {
  OwnPostgres pg;  // this test stops it
  const std::string& url = pg.url();
  MockUpstream up;
  up.reply_json("/v1/chat/completions", 200, fixture("openai", "chat.response.json"));
  DaemonProcess d(gateway_config(up, kPrices, "  database_url: " + url + "\n"));
  HttpClient c(d.port());
  const std::string known = made_key(c, json::object())["key"];
  const std::string unseen = made_key(c, json::object())["key"];
  REQUIRE(c.post("/v1/chat/completions", chat_body("gpt-4o"), bearer(known)).status == 200);

  pg.pause();
  for (int i = 0; i < 4; ++i) {
    CHECK(c.post("/v1/chat/completions", chat_body("gpt-4o"), bearer(known)).status == 200);
  }
  const auto refused = c.post("/v1/chat/completions", chat_body("gpt-4o"), bearer(unseen));
  CHECK(refused.status == 503);
  CHECK(json::parse(refused.body)["error"]["message"].get<std::string>().find(
            "database postgresql://litellm@127.0.0.1") != std::string::npos);
  CHECK(c.post("/v1/chat/completions", chat_body("gpt-4o"), auth()).status == 200);

  pg.resume();
  // Every call made while the database was away is written once it is back.
  CHECK(wait_until(
      [&] {
        const auto r = c.get("/spend/logs", auth());
        return r.status == 200 && json::parse(r.body).size() == 6;
      },
      std::chrono::seconds(20)));
  const auto info = json::parse(c.get("/key/info?key=" + known, auth()).body)["info"];
  CHECK(info["spend"].get<double>() == doctest::Approx(5 * 0.51));
  CHECK(c.post("/v1/chat/completions", chat_body("gpt-4o"), bearer(unseen)).status == 200);
  LITELLM_CHECK_CLEAN_EXIT(d);
}

TEST_CASE(
    "postgres down at start: the master key works - keys get 503 - then all works unrestarted") {
  OwnPostgres pg;
  pg.pause();
  MockUpstream up;
  up.reply_json("/v1/chat/completions", 200, fixture("openai", "chat.response.json"));
  DaemonProcess d(gateway_config(up, kPrices, "  database_url: " + pg.url() + "\n"));
  HttpClient c(d.port());
  CHECK(c.post("/v1/chat/completions", chat_body("gpt-4o"), auth()).status == 200);
  const auto early = c.post("/key/generate", "{}", auth());
  CHECK(early.status == 503);
  CHECK(json::parse(early.body)["error"]["message"].get<std::string>().find(
            "postgresql://litellm@127.0.0.1") != std::string::npos);
  CHECK(d.stderr_text().find("virtual keys answer 503 until the database answers") !=
        std::string::npos);
  pg.resume();
  std::string key;
  REQUIRE(wait_until(
      [&] {
        const auto r = c.post("/key/generate", "{}", auth());
        if (r.status == 200) {
          key = json::parse(r.body)["key"];
        }
        return r.status == 200;
      },
      std::chrono::seconds(10)));
  CHECK(d.stderr_text().find("migrating the database to version 1") != std::string::npos);
  CHECK(c.post("/v1/chat/completions", chat_body("gpt-4o"), bearer(key)).status == 200);
  // The master-key call made while the database was away is in the logs too.
  CHECK(wait_until(
      [&] {
        const auto r = c.get("/spend/logs", auth());
        return r.status == 200 && json::parse(r.body).size() == 2;
      },
      std::chrono::seconds(10)));
  LITELLM_CHECK_CLEAN_EXIT(d);
}

TEST_CASE(
    "sqlite outage: while another process holds the write lock calls go on and no spend is lost") {
  MockUpstream up;
  up.reply_json("/v1/chat/completions", 200, fixture("openai", "chat.response.json"));
  DaemonProcess d(gateway_config(up, kPrices));
  HttpClient c(d.port());
  const std::string key = made_key(c, json::object())["key"];
  const auto logged = [&](std::size_t n) {
    return wait_until(
        [&] {
          const auto r = c.get("/spend/logs", auth());
          return r.status == 200 && json::parse(r.body).size() == n;
        },
        std::chrono::seconds(20));
  };
  REQUIRE(c.post("/v1/chat/completions", chat_body("gpt-4o"), bearer(key)).status == 200);
  REQUIRE(logged(1));
  // This test becomes the other process: it takes the database's write lock and keeps it.
  sqlite3* other = nullptr;
  REQUIRE(sqlite3_open((d.home() + "/litellm.db").c_str(), &other) == SQLITE_OK);
  REQUIRE(sqlite3_exec(other, "BEGIN EXCLUSIVE", nullptr, nullptr, nullptr) == SQLITE_OK);
  for (int i = 0; i < 3; ++i) {
    CHECK(c.post("/v1/chat/completions", chat_body("gpt-4o"), bearer(key)).status == 200);
  }
  CHECK(
      wait_until([&] { return d.stderr_text().find("spend not written yet") != std::string::npos; },
                 std::chrono::seconds(20)));
  CHECK(sqlite3_exec(other, "COMMIT", nullptr, nullptr, nullptr) == SQLITE_OK);
  sqlite3_close(other);
  CHECK(logged(4));
  const auto info = json::parse(c.get("/key/info?key=" + key, auth()).body)["info"];
  CHECK(info["spend"].get<double>() == doctest::Approx(4 * 0.51));
  LITELLM_CHECK_CLEAN_EXIT(d);
}
