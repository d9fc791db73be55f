#include "commands/providers_cmd.hpp"

#include <unistd.h>

#include <iostream>

#include <nlohmann/json.hpp>

#include "providers/registry.hpp"
#include "ui/table.hpp"

namespace litellm::cli {

namespace {

struct Column {
  const char* name;
  bool providers::Capabilities::*field;
};

constexpr Column kColumns[] = {{"chat", &providers::Capabilities::chat},
                               {"stream", &providers::Capabilities::stream},
                               {"tools", &providers::Capabilities::tools},
                               {"vision", &providers::Capabilities::vision},
                               {"embeddings", &providers::Capabilities::embeddings},
                               {"json mode", &providers::Capabilities::json_mode}};

}  // namespace

int providers_command(const std::string& format) {
  const providers::Registry registry;
  if (format == "json") {
    nlohmann::json out = nlohmann::json::array();
    for (const auto prefix : registry.prefixes()) {
      const auto* a = registry.find(prefix);
      nlohmann::json row = {{"provider", prefix}};
      for (const auto& c : kColumns) {
        row[c.name] = a != nullptr ? a->capabilities().*c.field : true;
      }
      row["key_variable"] = std::string(registry.key_variable(prefix));
      out.push_back(std::move(row));
    }
    std::cout << out.dump(2) << "\n";
    return 0;
  }
  if (format == "markdown") {
    std::cout << "| provider |";
    for (const auto& c : kColumns) {
      std::cout << " " << c.name << " |";
    }
    std::cout << "\n| --- |";
    for (std::size_t i = 0; i < std::size(kColumns); ++i) {
      std::cout << " :-: |";
    }
    std::cout << "\n";
    for (const auto prefix : registry.prefixes()) {
      const auto* a = registry.find(prefix);
      if (a == nullptr) {
        continue;  // mock: a test double, not a provider
      }
      std::cout << "| `" << prefix << "/` |";
      for (const auto& c : kColumns) {
        std::cout << " " << (a->capabilities().*c.field ? "✓" : "—") << " |";
      }
      std::cout << "\n";
    }
    return 0;
  }
  std::vector<std::string> header = {"PROVIDER"};
  for (const auto& c : kColumns) {
    std::string h = c.name;
    for (auto& ch : h) {
      ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
    }
    header.push_back(h);
  }
  header.emplace_back("KEY VARIABLE");
  Table table(header);
  for (const auto prefix : registry.prefixes()) {
    const auto* a = registry.find(prefix);
    std::vector<std::string> row = {std::string(prefix)};
    for (const auto& c : kColumns) {
      row.emplace_back(a == nullptr || a->capabilities().*c.field ? "yes" : "-");
    }
    const auto var = registry.key_variable(prefix);
    row.emplace_back(var.empty() ? "-" : std::string(var));
    table.add(std::move(row));
  }
  table.print(std::cout, use_color(STDOUT_FILENO));
  return 0;
}

}  // namespace litellm::cli
