#include <unistd.h>

#include <climits>
#include <filesystem>
#include <iostream>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "litellm/version.hpp"

#include "commands/chat_cmd.hpp"
#include "commands/config_cmd.hpp"
#include "commands/control_cmd.hpp"
#include "commands/daemon_cmd.hpp"
#include "commands/key_cmd.hpp"
#include "commands/ollama_cmd.hpp"
#include "commands/party_cmd.hpp"
#include "commands/providers_cmd.hpp"
#include "commands/serve_cmd.hpp"
#include "commands/spend_cmd.hpp"

namespace {

int run(int argc, char** argv) {
  CLI::App app{"litellm - run and manage the litellm-cpp LLM gateway"};
  app.require_subcommand(0, 1);
  litellm::cli::ServeFlags serve_flags;
  // LiteLLM's own spelling starts the proxy straight from the top level:
  //   litellm --config config.yaml --port 4000     litellm --model ollama/llama3
  litellm::cli::add_serve_flags(app, serve_flags);
  app.set_version_flag("--version,-v", std::string("litellm ") + litellm::kVersion +
                                           " (LiteLLM proxy API " + litellm::kCompatLiteLLMVersion +
                                           ")");

  auto* serve = app.add_subcommand("serve", "Run the gateway in the foreground");
  litellm::cli::ServeFlags sub_flags;
  litellm::cli::add_serve_flags(*serve, sub_flags);

  auto* start = app.add_subcommand("start", "Start the gateway in the background");
  litellm::cli::ServeFlags start_flags;
  litellm::cli::add_serve_flags(*start, start_flags);
  auto* logs = app.add_subcommand("logs", "Show the background daemon's log");
  bool logs_follow = false;
  int logs_lines = 50;
  logs->add_flag("--follow,-f", logs_follow, "Keep printing new lines");
  logs->add_option("--lines,-n", logs_lines, "How many lines from the end (0: all)");

  auto* version = app.add_subcommand("version", "Print the version");
  auto* providers =
      app.add_subcommand("providers", "Providers this build serves and their capabilities");
  std::string providers_format = "table";
  providers->add_flag_callback(
      "--json", [&] { providers_format = "json"; }, "Print JSON");
  providers->add_flag_callback(
      "--markdown", [&] { providers_format = "markdown"; },
      "Print a Markdown table (the README's)");

  auto* config = app.add_subcommand("config", "Config file tools");
  config->require_subcommand(1);
  auto* validate = config->add_subcommand("validate", "Check a config.yaml without starting");
  std::string validate_path = "config.yaml";
  validate->add_option("file", validate_path, "The config file")->check(CLI::ExistingFile);

  auto* show = config->add_subcommand("show", "Print the resolved config, secrets redacted");
  std::string show_path = "config.yaml";
  bool show_json = false;
  show->add_option("file", show_path, "The config file")->check(CLI::ExistingFile);
  show->add_flag("--json", show_json, "Print JSON");
  auto* init = config->add_subcommand("init", "Write a commented starter config");
  std::string init_path = "config.yaml";
  bool init_force = false;
  init->add_option("file", init_path, "Where to write it");
  init->add_flag("--force", init_force, "Overwrite an existing file");

  litellm::cli::ConnectFlags models_flags;
  auto* models = app.add_subcommand("models", "List the model groups the daemon serves");
  litellm::cli::add_connect_flags(*models, models_flags);
  litellm::cli::ConnectFlags health_flags;
  auto* health = app.add_subcommand("health", "Check every deployment (a real call each)");
  litellm::cli::add_connect_flags(*health, health_flags);

  litellm::cli::KeyCommands key_commands;
  litellm::cli::add_key_commands(app, key_commands);
  litellm::cli::PartyCommands team_commands;
  litellm::cli::add_party_commands(app, team_commands, true);
  litellm::cli::PartyCommands user_commands;
  litellm::cli::add_party_commands(app, user_commands, false);
  litellm::cli::SpendCommand spend_command;
  litellm::cli::add_spend_command(app, spend_command);

  litellm::cli::ConnectFlags status_flags;
  auto* status = app.add_subcommand("status", "Is a daemon running? Address, uptime, models");
  litellm::cli::add_connect_flags(*status, status_flags);
  auto* stop = app.add_subcommand("stop", "Stop the running daemon gracefully");
  auto* reload =
      app.add_subcommand("reload", "Make the running daemon re-read its config (no downtime)");

  litellm::cli::ChatFlags chat_flags;
  auto* chat = app.add_subcommand("chat", "Ask a model (one answer; streamed on a terminal)");
  litellm::cli::add_connect_flags(*chat, chat_flags.connect);
  chat->add_option("--model,-m", chat_flags.model, "Model group (default: the first one served)");
  chat->add_option("prompt", chat_flags.prompt, "The prompt; piped stdin is appended to it");
  chat->add_option("--system", chat_flags.system, "A system prompt");
  chat->add_flag("--no-stream", chat_flags.no_stream, "Wait for the whole answer");

  auto* ollama = app.add_subcommand("ollama", "Ollama models: installed and available");
  ollama->require_subcommand(1);
  litellm::cli::OllamaFlags ollama_flags;
  auto* ollama_list = ollama->add_subcommand("list", "Models installed on the Ollama server");
  ollama_list->add_option("--ollama-url", ollama_flags.url,
                          "Ollama server (default: $OLLAMA_HOST, then http://localhost:11434)");
  ollama_list->add_flag("--json", ollama_flags.json, "Print JSON");
  auto* ollama_pull = ollama->add_subcommand("pull", "Pull a model through the Ollama server");
  std::string pull_model;
  ollama_pull->add_option("name", pull_model, "Model name, e.g. llama3.2 or qwen2.5:7b")
      ->required();
  ollama_pull->add_option("--ollama-url", ollama_flags.url,
                          "Ollama server (default: $OLLAMA_HOST, then http://localhost:11434)");
  auto* ollama_available =
      ollama->add_subcommand("list-available", "Popular models to pull, from the catalogue");
  ollama_available->add_option("--category", ollama_flags.category,
                               "chat, code, embedding, vision, reasoning or tools");
  ollama_available->add_option("--search", ollama_flags.search, "Text in the name or description");
  ollama_available->add_flag("--json", ollama_flags.json, "Print JSON");
  auto* ollama_sync =
      ollama->add_subcommand("sync", "Add and remove config deployments to match installed models");
  std::string sync_config;
  bool sync_dry_run = false;
  ollama_sync->add_option("--config,-c", sync_config,
                          "Config file (default: the running daemon's, then ./config.yaml)");
  ollama_sync->add_flag("--dry-run", sync_dry_run, "Print the diff; change nothing");
  ollama_sync->add_option("--ollama-url", ollama_flags.url,
                          "Ollama server (default: $OLLAMA_HOST, then http://localhost:11434)");

  CLI11_PARSE(app, argc, argv);

  if (*ollama_list) {
    return litellm::cli::ollama_list(ollama_flags);
  }
  if (*ollama_pull) {
    return litellm::cli::ollama_pull(ollama_flags, pull_model);
  }
  if (*ollama_available) {
    return litellm::cli::ollama_list_available(ollama_flags);
  }
  if (*ollama_sync) {
    return litellm::cli::ollama_sync(ollama_flags, sync_config, sync_dry_run);
  }

  if (*chat) {
    return litellm::cli::chat_command(chat_flags);
  }

  if (*start) {
    start_flags.detach = true;
    return litellm::cli::exec_daemon(start_flags);
  }
  if (*logs) {
    return litellm::cli::logs_command(logs_follow, logs_lines);
  }
  if (*status) {
    return litellm::cli::status_command(status_flags);
  }
  if (*stop) {
    return litellm::cli::stop_command();
  }
  if (*reload) {
    return litellm::cli::reload_command();
  }

  if (*models) {
    return litellm::cli::models_command(models_flags);
  }
  if (*health) {
    return litellm::cli::health_command(health_flags);
  }
  if (*show) {
    return litellm::cli::config_show(show_path, show_json);
  }
  if (*init) {
    return litellm::cli::config_init(init_path, init_force);
  }

  if (*team_commands.group) {
    return litellm::cli::party_command(team_commands);
  }
  if (*user_commands.group) {
    return litellm::cli::party_command(user_commands);
  }
  if (*spend_command.spend) {
    return litellm::cli::spend_command(spend_command);
  }
  if (*key_commands.key) {
    return litellm::cli::key_command(key_commands);
  }
  if (*providers) {
    return litellm::cli::providers_command(providers_format);
  }
  if (*version) {
    std::cout << "litellm " << litellm::kVersion << " (LiteLLM proxy API "
              << litellm::kCompatLiteLLMVersion << ")\n";
    return 0;
  }
  if (*validate) {
    return litellm::cli::config_validate(validate_path);
  }
  if (*serve) {
    return litellm::cli::exec_daemon(sub_flags);
  }
  if (!serve_flags.config.empty() || !serve_flags.model.empty()) {
    return litellm::cli::exec_daemon(serve_flags);
  }
  std::cout << app.help();
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  // A command's failures are reported by the command; this catches what escaped one (out of
  // memory, a broken terminal) so the user reads a line instead of an abort and a core file.
  try {
    return run(argc, argv);
  } catch (const std::exception& e) {
    std::cerr << "litellm: fatal: " << e.what() << "\n";
    return 1;
  }
}
