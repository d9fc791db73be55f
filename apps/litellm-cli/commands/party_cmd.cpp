#include "commands/party_cmd.hpp"

#include <unistd.h>

#include <cstdio>
#include <iostream>

#include "client/daemon_client.hpp"
#include "core/text.hpp"
#include "ui/table.hpp"

namespace litellm::cli {

namespace {

using nlohmann::json;

json fields(const PartyCommands& p) {
  json body = json::object();
  if (!p.alias.empty()) {
    body[p.team ? "team_alias" : "user_email"] = p.alias;
  }
  if (!p.models.empty()) {
    body["models"] = p.models;
  }
  if (p.max_budget) {
    body["max_budget"] = *p.max_budget;
  }
  if (!p.budget_duration.empty()) {
    body["budget_duration"] = p.budget_duration;
  }
  if (p.rpm) {
    body["rpm_limit"] = *p.rpm;
  }
  if (p.tpm) {
    body["tpm_limit"] = *p.tpm;
  }
  return body;
}

// One party's fields as a two-column table.
void print_fields(const json& party) {
  Table table({"FIELD", "VALUE"});
  for (const auto& [name, value] : party.items()) {
    table.add({name, json_cell(value)});
  }
  table.print(std::cout, use_color(STDOUT_FILENO));
}

int show(const PartyCommands& p, const Result<json>& r, const char* done) {
  if (!r) {
    return report_error(r.error());
  }
  if (p.connect.json) {
    std::cout << r->dump(2) << "\n";
    return 0;
  }
  if (r->contains("key")) {  // a new user's key: shown once
    std::cout << (*r)["key"].get<std::string>() << "\n";
    std::cerr << "This key is shown once: store it now.\n";
  }
  std::cout << done << " " << (*r).value(p.team ? "team_id" : "user_id", "") << "\n";
  return 0;
}

int list(const PartyCommands& p, const client::DaemonClient& daemon) {
  auto r = daemon.get(p.team ? "/team/list?page_size=100" : "/user/list?page_size=100");
  if (!r) {
    return report_error(r.error());
  }
  if (p.connect.json) {
    std::cout << r->dump(2) << "\n";
    return 0;
  }
  const json& items = p.team ? *r : (*r)["users"];
  Table table({p.team ? "TEAM" : "USER", p.team ? "ALIAS" : "EMAIL", "MODELS", "SPEND", "BUDGET",
               "RESETS", "RPM", "TPM", p.team ? "MEMBERS" : "BLOCKED"});
  for (const auto& t : items) {
    table.add(
        {json_cell(t[p.team ? "team_id" : "user_id"]),
         json_cell(t[p.team ? "team_alias" : "user_email"]), json_cell(t["models"]),
         json_cell(t["spend"]), json_cell(t["max_budget"]), json_cell(t["budget_reset_at"]),
         json_cell(t["rpm_limit"]), json_cell(t["tpm_limit"]),
         p.team ? json_cell(t["members_with_roles"]) : (t.value("blocked", false) ? "yes" : "-")});
  }
  if (table.empty()) {
    std::cout << (p.team ? "No teams yet. Create one with: litellm team create --alias NAME\n"
                         : "No users yet. Create one with: litellm user create --email ADDRESS\n");
    return 0;
  }
  table.print(std::cout, use_color(STDOUT_FILENO));
  return 0;
}

}  // namespace

void add_party_commands(CLI::App& app, PartyCommands& p, bool team) {
  p.team = team;
  const std::string what = team ? "team" : "user";
  p.group = app.add_subcommand(what, team ? "Teams: budgets and limits their keys share"
                                          : "Users: budgets and limits across their keys");
  p.group->require_subcommand(1);
  add_connect_flags(*p.group, p.connect);
  const auto limit_flags = [&](CLI::App& sub) {
    sub.add_option(team ? "--alias" : "--email", p.alias, team ? "Team name" : "Email address");
    sub.add_option("--models", p.models, "Model groups it may use (default: all)")->delimiter(',');
    sub.add_option("--max-budget", p.max_budget, "Spend cap in USD");
    sub.add_option("--budget-duration", p.budget_duration, "Budget reset period: 30d, 1mo, ...");
    sub.add_option("--rpm", p.rpm, "Requests per minute");
    sub.add_option("--tpm", p.tpm, "Tokens per minute");
  };
  p.create = p.group->add_subcommand("create", "Create a " + what);
  p.create->add_option("--id", p.id, "Its id (default: generated)");
  limit_flags(*p.create);
  p.list = p.group->add_subcommand("list", "List " + what + "s with spend and limits");
  p.info = p.group->add_subcommand("info", "Show one " + what + " and its keys");
  p.info->add_option("id", p.ids, "The " + what + " id")->required();
  p.update = p.group->add_subcommand("update", "Change a " + what + "'s budget, limits or models");
  p.update->add_option("id", p.ids, "The " + what + " id")->required();
  limit_flags(*p.update);
  p.remove = p.group->add_subcommand("delete", "Delete " + what + "s");
  p.remove->add_option("ids", p.ids, "Ids")->required();
  std::vector<CLI::App*> subs = {p.create, p.list, p.info, p.update, p.remove};
  if (team) {
    p.add_member = p.group->add_subcommand("add-member", "Add a user to a team");
    p.add_member->add_option("ids", p.ids, "TEAM USER")->required()->expected(2);
    p.add_member->add_option("--role", p.role, "admin or user (default: user)");
    p.remove_member = p.group->add_subcommand("remove-member", "Take a user off a team");
    p.remove_member->add_option("ids", p.ids, "TEAM USER")->required()->expected(2);
    subs.push_back(p.add_member);
    subs.push_back(p.remove_member);
  }
  for (auto* sub : subs) {
    sub->fallthrough();
  }
}

int party_command(const PartyCommands& p) {
  const client::DaemonClient daemon(resolve_endpoint(p.connect));
  const std::string base = p.team ? "/team/" : "/user/";
  const char* id_field = p.team ? "team_id" : "user_id";
  if (*p.list) {
    return list(p, daemon);
  }
  if (*p.create) {
    json body = fields(p);
    if (!p.id.empty()) {
      body[id_field] = p.id;
    }
    return show(p, daemon.post(base + "new", body), "created");
  }
  if (*p.info) {
    auto r = daemon.get(base + "info?" + id_field + "=" + core::percent_encode(p.ids.at(0)));
    if (!r) {
      return report_error(r.error());
    }
    if (p.connect.json) {
      std::cout << r->dump(2) << "\n";
      return 0;
    }
    print_fields((*r)[p.team ? "team_info" : "user_info"]);
    std::cout << "\n" << (*r)["keys"].size() << " key" << ((*r)["keys"].size() == 1 ? "" : "s");
    for (const auto& k : (*r)["keys"]) {
      std::cout << (&k == &(*r)["keys"][0] ? ": " : ", ") << json_cell(k["key_name"]);
    }
    std::cout << "\n";
    return 0;
  }
  if (*p.update) {
    json body = fields(p);
    body[id_field] = p.ids.at(0);
    return show(p, daemon.post(base + "update", body), "updated");
  }
  if (p.add_member != nullptr && *p.add_member) {
    return show(
        p,
        daemon.post("/team/member_add", {{"team_id", p.ids.at(0)},
                                         {"member", {{"user_id", p.ids.at(1)}, {"role", p.role}}}}),
        "updated");
  }
  if (p.remove_member != nullptr && *p.remove_member) {
    return show(
        p, daemon.post("/team/member_delete", {{"team_id", p.ids.at(0)}, {"user_id", p.ids.at(1)}}),
        "updated");
  }
  auto r = daemon.post(base + "delete", {{p.team ? "team_ids" : "user_ids", p.ids}});
  if (!r) {
    return report_error(r.error());
  }
  if (p.connect.json) {
    std::cout << r->dump(2) << "\n";
    return 0;
  }
  std::cout << "deleted " << p.ids.size() << " " << (p.team ? "team" : "user")
            << (p.ids.size() == 1 ? "" : "s") << "\n";
  return 0;
}

}  // namespace litellm::cli
