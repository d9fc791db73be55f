#include <doctest/doctest.h>

#include "integration/harness.hpp"

using namespace litellm::test;  // NOLINT(google-build-using-namespace): test file
using nlohmann::json;

namespace {

json ok_json(const HttpResult& r) {
  INFO(r.body);
  REQUIRE(r.status == 200);
  return json::parse(r.body);
}

std::string error_message(const HttpResult& r) {
  return json::parse(r.body)["error"]["message"].get<std::string>();
}

}  // namespace

TEST_CASE_TEMPLATE("teams: a team's budget models and limits bind every key of the team", Db,
                   SqliteDb, PostgresDb) {
  MockUpstream up;
  up.reply_json("/v1/chat/completions", 200, fixture("openai", "chat.response.json"));
  DaemonProcess d(gateway_config(up, kPrices, Db::settings()));
  HttpClient c(d.port());
  const auto team =
      ok_json(c.post("/team/new",
                     json{{"team_id", "red"},
                          {"team_alias", "Red team"},
                          {"max_budget", 0.5},
                          {"models", {"gpt-4o"}},
                          {"members_with_roles", {{{"user_id", "ann"}, {"role", "admin"}}}}}
                         .dump(),
                     auth()));
  CHECK(team["team_alias"] == "Red team");
  const auto k1 = ok_json(c.post("/key/generate", json{{"team_id", "red"}}.dump(), auth()));
  const auto k2 = ok_json(c.post("/key/generate", json{{"team_id", "red"}}.dump(), auth()));
  const std::string key1 = k1["key"];
  const std::string key2 = k2["key"];
  const auto echo = json{{"model", "echo"}, {"messages", {{{"role", "user"}, {"content", "hi"}}}}};
  const auto denied = c.post("/v1/chat/completions", echo.dump(), bearer(key1));
  CHECK(denied.status == 401);
  CHECK(error_message(denied).find("Team=red not allowed to access model") != std::string::npos);
  REQUIRE(c.post("/v1/chat/completions", chat_body("gpt-4o"), bearer(key1)).status == 200);
  // $0.51 of the team's $0.50 is spent: the team's other key is refused too.
  const auto over = c.post("/v1/chat/completions", chat_body("gpt-4o"), bearer(key2));
  CHECK(over.status == 400);
  CHECK(json::parse(over.body)["error"]["type"] == "budget_exceeded");
  CHECK(error_message(over).find("Budget has been exceeded! Team=red Current cost: 0.51") == 0);
  const auto info = ok_json(c.get("/team/info?team_id=red", auth()));
  CHECK(info["team_info"]["spend"].get<double>() == doctest::Approx(0.51));
  CHECK(info["keys"].size() == 2);

  // More budget, a rate limit, and the members.
  ok_json(c.post("/team/update",
                 json{{"team_id", "red"}, {"max_budget", 100}, {"rpm_limit", 1}}.dump(), auth()));
  const auto first = c.post("/v1/chat/completions", chat_body("gpt-4o"), bearer(key2));
  CHECK(first.status == 200);
  CHECK(first.header("x-ratelimit-team-remaining-requests") == "0");
  const auto limited = c.post("/v1/chat/completions", chat_body("gpt-4o"), bearer(key1));
  CHECK(limited.status == 429);
  CHECK(error_message(limited).find("Rate limit exceeded for team: red.") == 0);
  const auto added =
      ok_json(c.post("/team/member_add",
                     json{{"team_id", "red"}, {"member", {{"user_id", "bo"}}}}.dump(), auth()));
  CHECK(added["members_with_roles"].size() == 2);
  CHECK(c.post("/team/member_add", json{{"team_id", "red"}, {"member", {{"user_id", "bo"}}}}.dump(),
               auth())
            .status == 400);
  ok_json(
      c.post("/team/member_delete", json{{"team_id", "red"}, {"user_id", "ann"}}.dump(), auth()));
  CHECK(ok_json(c.get("/team/list", auth())).size() == 1);

  ok_json(c.post("/team/block", json{{"team_id", "red"}}.dump(), auth()));
  const auto blocked = c.post("/v1/chat/completions", chat_body("gpt-4o"), bearer(key2));
  CHECK(blocked.status == 401);
  CHECK(error_message(blocked).find("Team=red is blocked") != std::string::npos);
  CHECK(c.post("/team/new", json{{"team_id", "red"}}.dump(), auth()).status == 400);  // taken
  CHECK(c.post("/team/new", "{}", bearer(key1)).status == 403);
  ok_json(c.post("/team/delete", json{{"team_ids", {"red"}}}.dump(), auth()));
  CHECK(c.get("/team/info?team_id=red", auth()).status == 404);
}

TEST_CASE_TEMPLATE("users and customers: budgets stack with the key's", Db, SqliteDb, PostgresDb) {
  MockUpstream up;
  up.reply_json("/v1/chat/completions", 200, fixture("openai", "chat.response.json"));
  DaemonProcess d(gateway_config(up, kPrices, Db::settings()));
  HttpClient c(d.port());
  // /user/new hands out a key, as LiteLLM's does.
  const auto user = ok_json(c.post(
      "/user/new",
      json{{"user_id", "ann"}, {"user_email", "ann@example.com"}, {"max_budget", 0.5}}.dump(),
      auth()));
  const std::string key = user["key"];
  CHECK(user["user_email"] == "ann@example.com");
  REQUIRE(c.post("/v1/chat/completions", chat_body("gpt-4o"), bearer(key)).status == 200);
  const auto over = c.post("/v1/chat/completions", chat_body("gpt-4o"), bearer(key));
  CHECK(over.status == 400);
  CHECK(error_message(over) == "ExceededBudget: User=ann over budget. Spend=0.51, Budget=0.5");
  const auto info = ok_json(c.get("/user/info?user_id=ann", auth()));
  CHECK(info["user_info"]["spend"].get<double>() == doctest::Approx(0.51));
  CHECK(info["keys"].size() == 1);
  CHECK(ok_json(c.get("/user/list", auth()))["total"] == 1);
  ok_json(c.post("/user/update", json{{"user_id", "ann"}, {"max_budget", 10}}.dump(), auth()));
  CHECK(c.post("/v1/chat/completions", chat_body("gpt-4o"), bearer(key)).status == 200);

  // Customers: the request's `user` field, with a budget of their own.
  ok_json(c.post("/customer/new", json{{"user_id", "acme"}, {"max_budget", 0.5}}.dump(), auth()));
  CHECK(c.post("/customer/new", json{{"max_budget", 1}}.dump(), auth()).status == 400);
  json body = json::parse(chat_body("gpt-4o"));
  body["user"] = "acme";
  CHECK(c.post("/v1/chat/completions", body.dump(), auth()).status == 200);
  const auto spent = c.post("/v1/chat/completions", body.dump(), auth());
  CHECK(spent.status == 400);
  CHECK(error_message(spent) ==
        "ExceededBudget: End User=acme over budget. Spend=0.51, Budget=0.5");
  body["user"] = "someone-else";  // not a customer: no budget of its own
  CHECK(c.post("/v1/chat/completions", body.dump(), auth()).status == 200);
  const auto acme = ok_json(c.get("/customer/info?end_user_id=acme", auth()));
  CHECK(acme["spend"].get<double>() == doctest::Approx(0.51));
  ok_json(c.post("/customer/update", json{{"user_id", "acme"}, {"max_budget", 5}}.dump(), auth()));
  body["user"] = "acme";
  CHECK(c.post("/v1/chat/completions", body.dump(), auth()).status == 200);
  ok_json(c.post("/customer/block", json{{"user_ids", {"acme"}}}.dump(), auth()));
  CHECK(c.post("/v1/chat/completions", body.dump(), auth()).status == 403);
  ok_json(c.post("/customer/delete", json{{"user_ids", {"acme"}}}.dump(), auth()));
  CHECK(c.post("/v1/chat/completions", body.dump(), auth()).status == 200);
  CHECK(c.get("/customer/info?end_user_id=acme", auth()).status == 404);
  ok_json(c.post("/user/delete", json{{"user_ids", {"ann"}}}.dump(), auth()));
  CHECK(c.get("/user/info?user_id=ann", auth()).status == 404);
}

TEST_CASE("cli: team and user commands against a running daemon") {
  MockUpstream up;
  DaemonProcess d(gateway_config(up));
  const std::vector<std::string> connect = {
      "--base-url", "http://127.0.0.1:" + std::to_string(d.port()), "--api-key", kMasterKey};
  const auto cli = [&](std::vector<std::string> args) {
    args.insert(args.end(), connect.begin(), connect.end());
    return run_binary(LITELLM_CLI_PATH, args);
  };
  const auto made = cli({"team", "create", "--id", "red", "--alias", "Red team", "--max-budget",
                         "25", "--budget-duration", "30d", "--rpm", "100"});
  INFO(made.output);
  REQUIRE(made.exit_code == 0);
  CHECK(made.output.find("created red") != std::string::npos);
  const auto user = cli({"user", "create", "--id", "ann", "--email", "ann@example.com"});
  REQUIRE(user.exit_code == 0);
  CHECK(user.output.rfind("sk-", 0) == 0);  // the new user's key, first
  CHECK(cli({"team", "add-member", "red", "ann", "--role", "admin"}).exit_code == 0);
  const auto teams = cli({"team", "list"});
  INFO(teams.output);
  CHECK(teams.output.find("Red team") != std::string::npos);
  CHECK(teams.output.find("ann") != std::string::npos);
  CHECK(teams.output.find("25") != std::string::npos);
  CHECK(cli({"team", "update", "red", "--max-budget", "50"}).exit_code == 0);
  const auto info = cli({"team", "info", "red", "--json"});
  CHECK(json::parse(info.output)["team_info"]["max_budget"] == 50.0);
  const auto users = cli({"user", "list"});
  CHECK(users.output.find("ann@example.com") != std::string::npos);
  const auto ann = cli({"user", "info", "ann"});
  CHECK(ann.output.find("1 key: sk-...") != std::string::npos);
  CHECK(cli({"team", "remove-member", "red", "ann"}).exit_code == 0);
  CHECK(cli({"team", "remove-member", "red", "ann"}).exit_code == 1);  // not a member any more
  CHECK(cli({"team", "delete", "red"}).output.find("deleted 1 team") != std::string::npos);
  CHECK(cli({"user", "delete", "ann"}).exit_code == 0);
  CHECK(cli({"team", "info", "red"}).exit_code == 1);
}
