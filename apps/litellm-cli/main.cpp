#include <unistd.h>

#include <climits>
#include <filesystem>
#include <iostream>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "litellm/version.hpp"

#include "commands/config_cmd.hpp"
#include "commands/serve_cmd.hpp"

int main(int argc, char** argv) {
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

  auto* version = app.add_subcommand("version", "Print the version");

  auto* config = app.add_subcommand("config", "Config file tools");
  config->require_subcommand(1);
  auto* validate = config->add_subcommand("validate", "Check a config.yaml without starting");
  std::string validate_path = "config.yaml";
  validate->add_option("file", validate_path, "The config file")->check(CLI::ExistingFile);

  CLI11_PARSE(app, argc, argv);

  if (*version) {
    std::cout << "litellm " << litellm::kVersion << " (LiteLLM proxy API "
              << litellm::kCompatLiteLLMVersion << ")\n";
    return 0;
  }
  if (*validate) {
    return litellm::cli::config_validate(validate_path);
  }
  if (*serve) {
    return litellm::cli::exec_daemon(argv[0], sub_flags);
  }
  if (!serve_flags.config.empty() || !serve_flags.model.empty()) {
    return litellm::cli::exec_daemon(argv[0], serve_flags);
  }
  std::cout << app.help();
  return 0;
}
