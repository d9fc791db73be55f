#include "commands/ollama_cmd.hpp"

#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cmath>
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

std::string bar(double fraction, int width) {
  const int filled = static_cast<int>(std::lround(fraction * width));
  std::string out;
  for (int i = 0; i < width; ++i) {
    out += i < filled ? "\u2588" : " ";
  }
  return out;
}

std::string eta_text(double seconds) {
  if (seconds < 0 || seconds > 360000) {
    return "--";
  }
  const auto s = static_cast<long long>(seconds);
  return s >= 60 ? std::to_string(s / 60) + "m" + std::to_string(s % 60) + "s"
                 : std::to_string(s) + "s";
}

client::OllamaClient make_client(const OllamaFlags& flags) {
  const auto env = config::EnvResolver::from_process();
  return client::OllamaClient(
      client::ollama_base_url(flags.url, env.get("OLLAMA_HOST").value_or("")));
}

}  // namespace

int ollama_pull(const OllamaFlags& flags, const std::string& model) {
  const auto ollama = make_client(flags);
  const bool tty = isatty(STDOUT_FILENO) != 0;
  std::string last_status;
  double last_bytes = 0;
  auto last_time = std::chrono::steady_clock::now();
  double speed = 0;  // bytes per second, smoothed
  auto r = ollama.pull(model, [&](const nlohmann::json& p) {
    const std::string status = p.value("status", "");
    const double total = p.value("total", 0.0);
    const double done = p.value("completed", 0.0);
    if (status != last_status) {
      if (tty && !last_status.empty()) {
        std::cout << "\n";
      }
      if (!tty) {  // a log, not an animation: each step once, with its size
        std::cout << status << (total > 0 ? "  " + human_size(total) : "") << "\n";
      }
      last_status = status;
      last_bytes = done;
      last_time = std::chrono::steady_clock::now();
      speed = 0;
    }
    if (!tty) {
      return;
    }
    if (total <= 0) {
      std::cout << "\r" << status << "\033[K" << std::flush;
      return;
    }
    const auto now = std::chrono::steady_clock::now();
    const double dt = std::chrono::duration<double>(now - last_time).count();
    if (dt > 0.05) {
      const double instant = (done - last_bytes) / dt;
      speed = speed == 0 ? instant : 0.7 * speed + 0.3 * instant;
      last_bytes = done;
      last_time = now;
    }
    const double fraction = std::min(1.0, done / total);
    char pct[8];
    std::snprintf(pct, sizeof pct, "%3.0f%%", fraction * 100);
    std::cout << "\r" << status << " " << pct << " \u2595" << bar(fraction, 24) << "\u258F "
              << human_size(done) << "/" << human_size(total);
    if (speed > 0) {
      std::cout << "  " << human_size(speed) << "/s  ETA " << eta_text((total - done) / speed);
    }
    std::cout << "\033[K" << std::flush;
  });
  if (tty && !last_status.empty()) {
    std::cout << "\n";
  }
  if (!r) {
    std::cerr << "litellm: " << r.error().message;
    if (r.error().message.find("file does not exist") != std::string::npos) {
      std::cerr << " (no model '" << model
                << "' in the Ollama library; see litellm ollama list-available)";
    }
    std::cerr << "\n";
    return r.error().code == ErrorCode::UpstreamUnavailable ? 3 : 1;
  }
  return 0;
}

int ollama_list(const OllamaFlags& flags) {
  const auto ollama = make_client(flags);
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
