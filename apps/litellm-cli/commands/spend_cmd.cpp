#include "commands/spend_cmd.hpp"

#include <unistd.h>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <iostream>
#include <map>

#include "client/daemon_client.hpp"
#include "ui/table.hpp"

namespace litellm::cli {

namespace {

namespace chr = std::chrono;
using nlohmann::json;

std::string date_text(chr::sys_days d) {
  const chr::year_month_day ymd{d};
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02u", static_cast<int>(ymd.year()),
                static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()));
  return buf;
}

// "YYYY-MM-DD" as given, or "Nd": N-1 days before today (so 7d is the last seven days).
std::optional<std::string> resolve_date(const std::string& text, chr::sys_days today) {
  if (text.empty()) {
    return date_text(today);
  }
  int n = 0;
  char unit = 0;
  char extra = 0;
  if (std::sscanf(text.c_str(), "%d%c%c", &n, &unit, &extra) == 2 && unit == 'd' && n > 0) {
    return date_text(today - chr::days{n - 1});
  }
  int y = 0;
  unsigned m = 0;
  unsigned d = 0;
  if (std::sscanf(text.c_str(), "%4d-%2u-%2u%c", &y, &m, &d, &extra) == 3 &&
      chr::year_month_day{chr::year{y}, chr::month{m}, chr::day{d}}.ok()) {
    return text;
  }
  return std::nullopt;
}

std::string usd(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "$%.4f", v);
  return buf;
}

std::string bar(double v, double most, int width) {
  const int cells = most > 0 ? static_cast<int>(std::lround(v / most * width)) : 0;
  std::string out;
  for (int i = 0; i < cells; ++i) {
    out += "█";
  }
  return out.empty() && v > 0 ? "▏" : out;
}

int by_day(const SpendCommand& s, const client::DaemonClient& daemon, const std::string& from,
           const std::string& to) {
  auto r = daemon.get("/spend/logs?start_date=" + from + "&end_date=" + to);
  if (!r) {
    return report_error(r.error());
  }
  if (s.connect.json) {
    std::cout << r->dump(2) << "\n";
    return 0;
  }
  double most = 0;
  double total = 0;
  for (const auto& day : *r) {
    most = std::max(most, day.value("spend", 0.0));
    total += day.value("spend", 0.0);
  }
  Table table({"DAY", "SPEND", ""});
  for (const auto& day : *r) {
    const double v = day.value("spend", 0.0);
    table.add({day.value("startTime", ""), usd(v), bar(v, most, 30)});
  }
  table.print(std::cout, use_color(STDOUT_FILENO));
  std::cout << "\ntotal " << usd(total) << " from " << from << " to " << to << "\n";
  return 0;
}

}  // namespace

void add_spend_command(CLI::App& app, SpendCommand& s) {
  s.spend = app.add_subcommand("spend", "What was spent, grouped by key, team, model or day");
  add_connect_flags(*s.spend, s.connect);
  s.spend->add_option("--by", s.by, "Group by: key, team, model, user, customer or day")
      ->check(CLI::IsMember({"key", "team", "model", "user", "customer", "day"}));
  s.spend->add_option("--since", s.since, "First day: YYYY-MM-DD, or 7d for the last 7 days");
  s.spend->add_option("--until", s.until, "Last day, YYYY-MM-DD (default: today)");
}

int spend_command(const SpendCommand& s) {
  const auto today = chr::floor<chr::days>(chr::system_clock::now());
  const auto from = resolve_date(s.since, today);
  const auto to = resolve_date(s.until, today);
  if (!from || !to) {
    std::cerr << "litellm: --since and --until take YYYY-MM-DD (or Nd for --since)\n";
    return 2;
  }
  const client::DaemonClient daemon(resolve_endpoint(s.connect));
  if (s.by == "day") {
    return by_day(s, daemon, *from, *to);
  }
  const std::string group = s.by == "key" ? "api_key" : s.by;
  auto r = daemon.get("/global/spend/report?group_by=" + group + "&start_date=" + *from +
                      "&end_date=" + *to);
  if (!r) {
    return report_error(r.error());
  }
  if (s.connect.json) {
    std::cout << r->dump(2) << "\n";
    return 0;
  }
  // Summed over the days: one line per group, dearest first.
  struct Sum {
    double spend = 0;
    std::int64_t in = 0;
    std::int64_t out = 0;
    std::int64_t requests = 0;
  };
  std::map<std::string, Sum> sums;
  double total = 0;
  for (const auto& day : *r) {
    for (const auto& [list, groups] : day.items()) {
      if (!groups.is_array()) {
        continue;
      }
      for (const auto& g : groups) {
        std::string name = "-";
        for (const auto& [k, v] : g.items()) {
          if (k != "total_spend" && k.rfind("total_", 0) != 0 && k != "requests" && v.is_string()) {
            name = v.get<std::string>();
          }
        }
        if (name.empty()) {
          name = s.by == "key" ? "(master key)" : "-";
        }
        auto& sum = sums[name];
        sum.spend += g.value("total_spend", 0.0);
        sum.in += g.value("total_input_tokens", std::int64_t{0});
        sum.out += g.value("total_output_tokens", std::int64_t{0});
        sum.requests += g.value("requests", std::int64_t{0});
        total += g.value("total_spend", 0.0);
      }
    }
  }
  std::vector<std::pair<std::string, Sum>> rows(sums.begin(), sums.end());
  std::sort(rows.begin(), rows.end(),
            [](const auto& a, const auto& b) { return a.second.spend > b.second.spend; });
  Table table(
      {s.by == "key" ? "KEY HASH" : "GROUP", "SPEND", "REQUESTS", "TOKENS IN", "TOKENS OUT"});
  for (const auto& [name, sum] : rows) {
    table.add({s.by == "key" && name.size() > 16 ? name.substr(0, 12) + "…" : name, usd(sum.spend),
               std::to_string(sum.requests), std::to_string(sum.in), std::to_string(sum.out)});
  }
  if (table.empty()) {
    std::cout << "No spend from " << *from << " to " << *to << ".\n";
    return 0;
  }
  table.print(std::cout, use_color(STDOUT_FILENO));
  std::cout << "\ntotal " << usd(total) << " from " << *from << " to " << *to << "\n";
  return 0;
}

}  // namespace litellm::cli
