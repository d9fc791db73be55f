#include "commands/ollama_cmd.hpp"

#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <iostream>

#include "client/ollama_client.hpp"
#include "config/env_resolver.hpp"
#include "ui/table.hpp"

namespace litellm::cli {

extern const char* const kOllamaCatalogue;

namespace {

std::string human_size(double bytes) {
  const char* units[] = {"B", "KB", "MB", "GB", "TB"};
  int u = 0;
  while (bytes >= 1000 && u < 4) {
    bytes /= 1000;  // Ollama reports decimal units
    ++u;
  }
  char buf[32];
  std::snprintf(buf, sizeof buf, u == 0 ? "%.0f %s" : "%.1f %s", bytes, units[u]);
  return buf;
}

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

std::string joined(const nlohmann::json& list) {
  std::string out;
  for (const auto& v : list) {
    out += out.empty() ? "" : ", ";
    out += v.get<std::string>();
  }
  return out;
}

}  // namespace

int ollama_list(const OllamaFlags& flags) {
  const auto env = config::EnvResolver::from_process();
  client::OllamaClient ollama(
      client::ollama_base_url(flags.url, env.get("OLLAMA_HOST").value_or("")));
  auto tags = ollama.tags();
  if (!tags) {
    std::cerr << "litellm: " << tags.error().message << "\n";
    return tags.error().code == ErrorCode::UpstreamUnavailable ? 3 : 1;
  }
  if (flags.json) {
    std::cout << tags->dump(2) << "\n";
    return 0;
  }
  const auto& models = (*tags)["models"];
  if (!models.is_array() || models.empty()) {
    std::cout << "No models installed on " << ollama.base_url()
              << ". Pull one with: ollama pull llama3.2\n";
    return 0;
  }
  Table table({"NAME", "PARAMETERS", "QUANTIZATION", "SIZE", "MODIFIED"});
  for (const auto& m : models) {
    const auto& d = m.contains("details") ? m["details"] : nlohmann::json::object();
    table.add({m.value("name", ""), d.value("parameter_size", ""),
               d.value("quantization_level", ""), human_size(m.value("size", 0.0)),
               m.value("modified_at", "").substr(0, 10)});
  }
  table.print(std::cout, use_color(STDOUT_FILENO));
  return 0;
}

int ollama_list_available(const OllamaFlags& flags) {
  const auto catalogue = nlohmann::json::parse(kOllamaCatalogue);
  const std::string category = lower(flags.category);
  const std::string search = lower(flags.search);
  nlohmann::json hits = nlohmann::json::array();
  for (const auto& m : catalogue["models"]) {
    const auto& cats = m["categories"];
    if (!category.empty() && std::find(cats.begin(), cats.end(), category) == cats.end()) {
      continue;
    }
    if (!search.empty() && lower(m.value("name", "")).find(search) == std::string::npos &&
        lower(m.value("description", "")).find(search) == std::string::npos) {
      continue;
    }
    hits.push_back(m);
  }
  if (flags.json) {
    std::cout << hits.dump(2) << "\n";
    return 0;
  }
  if (hits.empty()) {
    std::cout << "No model in the catalogue matches. Categories: chat, code, embedding, vision, "
                 "reasoning, tools\n";
    return 0;
  }
  Table table({"NAME", "SIZES", "CATEGORIES", "DESCRIPTION"});
  for (const auto& m : hits) {
    table.add({m.value("name", ""), joined(m["sizes"]), joined(m["categories"]),
               m.value("description", "")});
  }
  table.print(std::cout, use_color(STDOUT_FILENO));
  std::cout << "\nInstall one with: ollama pull NAME[:SIZE]\n";
  return 0;
}

}  // namespace litellm::cli
