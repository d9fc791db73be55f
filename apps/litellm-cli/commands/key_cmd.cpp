#include "commands/key_cmd.hpp"

#include <unistd.h>

#include <cstdio>
#include <iostream>

#include "core/text.hpp"
#include "ui/table.hpp"

namespace litellm::cli {

namespace {

// The fields create and update share, from the flags given.
nlohmann::json key_fields(const KeyCommands& k) {
  nlohmann::json body = nlohmann::json::object();
  const auto put = [&](const char* name, const std::string& v) {
    if (!v.empty()) {
      body[name] = v;
    }
  };
  put("key_alias", k.alias);
  put("budget_duration", k.budget_duration);
  put("duration", k.duration);
  put("user_id", k.user_id);
  put("team_id", k.team_id);
  if (!k.models.empty()) {
    body["models"] = k.models;
  }
  if (k.max_budget) {
    body["max_budget"] = *k.max_budget;
  }
  if (k.rpm) {
    body["rpm_limit"] = *k.rpm;
  }
  if (k.tpm) {
    body["tpm_limit"] = *k.tpm;
  }
  if (k.max_parallel) {
    body["max_parallel_requests"] = *k.max_parallel;
  }
  return body;
}

int create(const KeyCommands& k, const client::DaemonClient& daemon) {
  auto r = daemon.post("/key/generate", key_fields(k));
  if (!r) {
    return report_error(r.error());
  }
  if (k.connect.json) {
    std::cout << r->dump(2) << "\n";
    return 0;
  }
  std::cout << (*r)["key"].get<std::string>() << "\n";
  std::cerr << "This key is shown once: store it now. It is saved only as a hash ("
            << (*r)["key_name"].get<std::string>() << ").\n";
  return 0;
}

int list(const KeyCommands& k, const client::DaemonClient& daemon) {
  std::string path = "/key/list?return_full_object=true&page=" + std::to_string(k.page) +
                     "&size=" + std::to_string(k.size);
  if (!k.user_id.empty()) {
    path += "&user_id=" + core::percent_encode(k.user_id);
  }
  if (!k.team_id.empty()) {
    path += "&team_id=" + core::percent_encode(k.team_id);
  }
  auto r = daemon.get(path);
  if (!r) {
    return report_error(r.error());
  }
  if (k.connect.json) {
    std::cout << r->dump(2) << "\n";
    return 0;
  }
  Table table({"KEY", "ALIAS", "USER", "TEAM", "MODELS", "SPEND", "BUDGET", "EXPIRES", "BLOCKED"});
  for (const auto& key : (*r)["keys"]) {
    table.add({json_cell(key["key_name"]), json_cell(key["key_alias"]), json_cell(key["user_id"]),
               json_cell(key["team_id"]),
               (key["models"].empty() ? std::string("all") : json_cell(key["models"])),
               json_cell(key["spend"]), json_cell(key["max_budget"]), json_cell(key["expires"]),
               key.value("blocked", nlohmann::json()) == true ? "yes" : "-"});
  }
  if (table.empty()) {
    std::cout << "No virtual keys yet. Create one with: litellm key create --alias NAME\n";
    return 0;
  }
  table.print(std::cout, use_color(STDOUT_FILENO));
  std::cout << "\npage " << (*r)["current_page"] << " of " << (*r)["total_pages"] << " ("
            << (*r)["total_count"] << " keys)\n";
  return 0;
}

int info(const KeyCommands& k, const client::DaemonClient& daemon) {
  auto r = daemon.get("/key/info" +
                      (k.keys.empty() ? std::string() : "?key=" + core::percent_encode(k.keys[0])));
  if (!r) {
    return report_error(r.error());
  }
  if (k.connect.json) {
    std::cout << r->dump(2) << "\n";
    return 0;
  }
  Table table({"FIELD", "VALUE"});
  for (const auto& [field, value] : (*r)["info"].items()) {
    table.add({field, json_cell(value)});
  }
  table.print(std::cout, use_color(STDOUT_FILENO));
  return 0;
}

int remove(const KeyCommands& k, const client::DaemonClient& daemon) {
  auto r = daemon.post("/key/delete", {{"keys", k.keys}});
  if (!r) {
    return report_error(r.error());
  }
  if (k.connect.json) {
    std::cout << r->dump(2) << "\n";
    return 0;
  }
  std::cout << "deleted " << (*r)["deleted_keys"].size() << " key"
            << ((*r)["deleted_keys"].size() == 1 ? "" : "s") << "\n";
  return 0;
}

// update, block, unblock: the changed key as a table (or JSON).
int change(const KeyCommands& k, const client::DaemonClient& daemon, const char* path,
           nlohmann::json body, const char* done) {
  body["key"] = k.keys.at(0);
  auto r = daemon.post(path, body);
  if (!r) {
    return report_error(r.error());
  }
  if (k.connect.json) {
    std::cout << r->dump(2) << "\n";
    return 0;
  }
  std::cout << done << " " << json_cell((*r)["key_name"]) << "\n";
  return 0;
}

int regenerate(const KeyCommands& k, const client::DaemonClient& daemon) {
  auto r = daemon.post("/key/regenerate", {{"key", k.keys.at(0)}});
  if (!r) {
    return report_error(r.error());
  }
  if (k.connect.json) {
    std::cout << r->dump(2) << "\n";
    return 0;
  }
  std::cout << (*r)["key"].get<std::string>() << "\n";
  std::cerr << "The old key stopped working. This one is shown once: store it now.\n";
  return 0;
}

void add_limit_flags(CLI::App& sub, KeyCommands& k) {
  sub.add_option("--alias", k.alias, "A unique name for the key");
  sub.add_option("--models", k.models, "Model groups it may use (default: all)")->delimiter(',');
  sub.add_option("--max-budget", k.max_budget, "Spend cap in USD");
  sub.add_option("--budget-duration", k.budget_duration, "Budget reset period: 30d, 1mo, ...");
  sub.add_option("--duration", k.duration, "Expires after: 30s, 30m, 30h, 30d, 1mo");
  sub.add_option("--user-id", k.user_id, "Owner");
  sub.add_option("--team-id", k.team_id, "Team");
  sub.add_option("--rpm", k.rpm, "Requests per minute");
  sub.add_option("--tpm", k.tpm, "Tokens per minute");
  sub.add_option("--max-parallel", k.max_parallel, "Calls in flight at once");
}

}  // namespace

void add_key_commands(CLI::App& app, KeyCommands& k) {
  k.key = app.add_subcommand("key", "Virtual keys: create, list, inspect, change, delete");
  k.key->require_subcommand(1);
  add_connect_flags(*k.key, k.connect);
  k.create = k.key->add_subcommand("create", "Create a virtual key (printed once)");
  add_limit_flags(*k.create, k);
  k.list = k.key->add_subcommand("list", "List virtual keys (never the keys themselves)");
  k.list->add_option("--user-id", k.user_id, "Only this owner's keys");
  k.list->add_option("--team-id", k.team_id, "Only this team's keys");
  k.list->add_option("--page", k.page, "Page, from 1");
  k.list->add_option("--size", k.size, "Keys per page, 1-100");
  k.info = k.key->add_subcommand("info", "Show one key (default: the key you connect with)");
  k.info->add_option("key", k.keys, "The key or its hash");
  k.remove = k.key->add_subcommand("delete", "Delete keys; they stop working at once");
  k.remove->add_option("keys", k.keys, "Keys or their hashes")->required();
  k.update = k.key->add_subcommand("update", "Change a key's limits, models or owner");
  k.update->add_option("key", k.keys, "The key or its hash")->required();
  add_limit_flags(*k.update, k);
  k.regenerate = k.key->add_subcommand("regenerate", "Replace a key, keeping its settings");
  k.regenerate->add_option("key", k.keys, "The key or its hash")->required();
  k.block = k.key->add_subcommand("block", "Refuse a key until it is unblocked");
  k.block->add_option("key", k.keys, "The key or its hash")->required();
  k.unblock = k.key->add_subcommand("unblock", "Let a blocked key work again");
  k.unblock->add_option("key", k.keys, "The key or its hash")->required();
  for (auto* sub :
       {k.create, k.list, k.info, k.remove, k.update, k.regenerate, k.block, k.unblock}) {
    sub->fallthrough();  // `litellm key list --json` as well as `litellm key --json list`
  }
}

int key_command(const KeyCommands& k) {
  const client::DaemonClient daemon(resolve_endpoint(k.connect));
  if (*k.create) {
    return create(k, daemon);
  }
  if (*k.list) {
    return list(k, daemon);
  }
  if (*k.info) {
    return info(k, daemon);
  }
  if (*k.update) {
    return change(k, daemon, "/key/update", key_fields(k), "updated");
  }
  if (*k.regenerate) {
    return regenerate(k, daemon);
  }
  if (*k.block) {
    return change(k, daemon, "/key/block", nlohmann::json::object(), "blocked");
  }
  if (*k.unblock) {
    return change(k, daemon, "/key/unblock", nlohmann::json::object(), "unblocked");
  }
  return remove(k, daemon);
}

}  // namespace litellm::cli
