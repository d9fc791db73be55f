// /spend/logs, /global/spend, /global/spend/report: what was spent, from the spend rows.
#include <chrono>
#include <cstdio>
#include <map>

#include "server/error_response.hpp"
#include "server/gateway_state.hpp"
#include "server/handlers/handlers.hpp"
#include "server/handlers/key_fields.hpp"
#include "server/request_context.hpp"

namespace litellm::server {

namespace {

using nlohmann::json;
namespace chr = std::chrono;

constexpr std::int64_t kMaxRows = 10000;
constexpr std::int64_t kDayMs = std::int64_t{86400} * 1000;

// "YYYY-MM-DD" as unix milliseconds at 00:00 UTC; nullopt when malformed.
std::optional<std::int64_t> day_start_ms(const std::string& text) {
  int y = 0;
  unsigned m = 0;
  unsigned d = 0;
  char tail = 0;
  if (std::sscanf(text.c_str(), "%4d-%2u-%2u%c", &y, &m, &d, &tail) != 3) {
    return std::nullopt;
  }
  const chr::year_month_day ymd{chr::year{y}, chr::month{m}, chr::day{d}};
  if (!ymd.ok()) {
    return std::nullopt;
  }
  return chr::duration_cast<chr::milliseconds>(chr::sys_days{ymd}.time_since_epoch()).count();
}

std::string iso_ms(std::int64_t ms) {
  char frac[8];
  std::snprintf(frac, sizeof frac, ".%03lldZ", static_cast<long long>(ms % 1000));
  std::string t = iso_time(ms / 1000);
  t.pop_back();  // the 'Z'
  return t + frac;
}

json row_json(const store::SpendRow& r) {
  return {{"request_id", r.request_id},
          {"call_type", r.call_type},
          {"api_key", r.api_key},
          {"spend", r.spend},
          {"total_tokens", r.prompt_tokens + r.completion_tokens},
          {"prompt_tokens", r.prompt_tokens},
          {"completion_tokens", r.completion_tokens},
          {"cached_tokens", r.cached_tokens},
          {"startTime", iso_ms(r.start_ms)},
          {"endTime", iso_ms(r.end_ms)},
          {"completionStartTime", r.first_token_ms ? json(iso_ms(*r.first_token_ms)) : json()},
          {"request_duration_ms", r.end_ms - r.start_ms},
          {"model", r.model},
          {"model_id", r.model_id},
          {"model_group", r.model_group},
          {"custom_llm_provider", r.provider},
          {"api_base", r.api_base},
          {"user", r.user},
          {"metadata", r.metadata},
          {"cache_hit", r.cache_hit ? "True" : "False"},
          {"request_tags", r.request_tags},
          {"team_id", r.team_id.empty() ? json() : json(r.team_id)},
          {"end_user", r.end_user},
          {"status", r.status},
          {"error_class", r.error_class.empty() ? json() : json(r.error_class)},
          {"messages", json::object()},
          {"response", json::object()}};
}

struct Query {
  store::SpendFilter filter;
  std::optional<std::string> start_date;
  std::optional<std::string> end_date;
};

// The filters every spend route shares; errors name the parameter.
Result<Query> read_query(const http::Request& req) {
  Query q;
  const auto opt = [&](std::string_view name) {
    auto v = query_param(req, name);
    return v.empty() ? std::nullopt : std::optional<std::string>(std::move(v));
  };
  if (auto k = opt("api_key")) {
    q.filter.api_key = token_of(*k);
  }
  q.filter.user = opt("user_id");
  if (!q.filter.user) {
    q.filter.user = opt("internal_user_id");
  }
  q.filter.team_id = opt("team_id");
  q.filter.end_user = opt("customer_id");
  if (!q.filter.end_user) {
    q.filter.end_user = opt("end_user");
  }
  q.filter.model = opt("model");
  q.filter.request_id = opt("request_id");
  q.start_date = opt("start_date");
  q.end_date = opt("end_date");
  if (q.start_date) {
    q.filter.start_ms = day_start_ms(*q.start_date);
    if (!q.filter.start_ms) {
      return Error::invalid("start_date must be YYYY-MM-DD", "start_date");
    }
  }
  if (q.end_date) {
    const auto end = day_start_ms(*q.end_date);
    if (!end) {
      return Error::invalid("end_date must be YYYY-MM-DD", "end_date");
    }
    q.filter.end_ms = *end + kDayMs;  // the whole end day
  }
  constexpr std::int64_t kMaxRangeMs = 3660 * kDayMs;
  if (q.filter.start_ms && q.filter.end_ms &&
      (*q.filter.end_ms <= *q.filter.start_ms ||
       *q.filter.end_ms - *q.filter.start_ms > kMaxRangeMs)) {
    return Error::invalid("end_date must be on or after start_date, at most ten years later",
                          "end_date");
  }
  return q;
}

http::Response spend_logs(Gateway::Impl& gw, const Query& q, bool summarize, std::int64_t page,
                          std::int64_t page_size, const std::string& call_id) {
  if (summarize && q.start_date && q.end_date) {
    // LiteLLM's per-day summary: spend per day with its users, models and keys.
    std::map<std::string, json> days;
    for (auto by :
         {store::SpendGrouping::User, store::SpendGrouping::Model, store::SpendGrouping::Key}) {
      auto groups = gw.db->spend_report(q.filter, by);
      if (!groups) {
        return error_response(groups.error(), call_id);
      }
      for (const auto& g : *groups) {
        auto& day = days[g.day];
        if (day.is_null()) {
          day = {{"startTime", g.day},
                 {"spend", 0.0},
                 {"users", json::object()},
                 {"models", json::object()}};
        }
        if (by == store::SpendGrouping::User) {
          day["spend"] = day["spend"].get<double>() + g.spend;
          if (!g.group.empty()) {
            day["users"][g.group] = g.spend;
          }
        } else if (by == store::SpendGrouping::Model) {
          day["models"][g.group] = g.spend;
        } else if (!g.group.empty()) {
          day[g.group] = g.spend;
        }
      }
    }
    json out = json::array();
    for (std::int64_t t = *q.filter.start_ms; t < *q.filter.end_ms; t += kDayMs) {
      const std::string day = iso_time(t / 1000).substr(0, 10);
      const auto it = days.find(day);
      out.push_back(it != days.end() ? it->second
                                     : json{{"startTime", day},
                                            {"spend", 0.0},
                                            {"users", json::object()},
                                            {"models", json::object()}});
    }
    return json_response(200, out, call_id);
  }
  auto rows = gw.db->spend_logs(q.filter, page_size, (page - 1) * page_size);
  if (!rows) {
    return error_response(rows.error(), call_id);
  }
  json out = json::array();
  for (const auto& r : *rows) {
    out.push_back(row_json(r));
  }
  return json_response(200, out, call_id);
}

struct GroupNames {
  store::SpendGrouping by;
  const char* list;
  const char* name;
};

std::optional<GroupNames> grouping(const std::string& group_by) {
  if (group_by.empty() || group_by == "team") {
    return GroupNames{store::SpendGrouping::Team, "teams", "team_name"};
  }
  if (group_by == "customer") {
    return GroupNames{store::SpendGrouping::EndUser, "customers", "customer"};
  }
  if (group_by == "api_key") {
    return GroupNames{store::SpendGrouping::Key, "api_keys", "api_key"};
  }
  if (group_by == "model") {
    return GroupNames{store::SpendGrouping::Model, "models", "model"};
  }
  if (group_by == "user") {
    return GroupNames{store::SpendGrouping::User, "users", "user"};
  }
  return std::nullopt;
}

http::Response spend_report(Gateway::Impl& gw, const Query& q, const GroupNames& names,
                            const std::string& call_id) {
  auto groups = gw.db->spend_report(q.filter, names.by);
  if (!groups) {
    return error_response(groups.error(), call_id);
  }
  json out = json::array();
  for (const auto& g : *groups) {
    if (out.empty() || out.back()["group_by_day"] != g.day + "T00:00:00+00:00") {
      out.push_back({{"group_by_day", g.day + "T00:00:00+00:00"}, {names.list, json::array()}});
    }
    out.back()[names.list].push_back({{names.name, g.group.empty() ? json() : json(g.group)},
                                      {"total_spend", g.spend},
                                      {"total_input_tokens", g.prompt_tokens},
                                      {"total_output_tokens", g.completion_tokens},
                                      {"requests", g.requests}});
  }
  return json_response(200, out, call_id);
}

}  // namespace

void handle_global_spend(RequestContext& rc) {
  Gateway::Impl& gw = rc.gw;
  const auto& budget = rc.snap->config.max_budget;
  const double spent = gw.global_spend_base + gw.ledger.since(spend::kGlobalEntity, 0);
  rc.reply(
      json_response(200, {{"spend", spent}, {"max_budget", budget.value_or(0.0)}}, rc.call_id));
}

void handle_global_spend_report(RequestContext& rc) {
  auto q = read_query(rc.req);
  if (!q) {
    rc.fail(q.error());
    return;
  }
  if (!q->start_date || !q->end_date) {
    rc.fail(Error::invalid("Please provide start_date and end_date", "start_date"));
    return;
  }
  const auto names = grouping(query_param(rc.req, "group_by"));
  if (!names) {
    rc.fail(Error::invalid("group_by must be team, customer, api_key, model or user", "group_by"));
    return;
  }
  rc.gw.run_on_db(rc.responder, rc.call_id,
                  [&gw = rc.gw, q = std::move(*q), names = *names, call_id = rc.call_id] {
                    gw.writer->flush();  // what has been answered is in the report
                    return spend_report(gw, q, names, call_id);
                  });
}

void handle_spend_logs(RequestContext& rc) {
  auto q = read_query(rc.req);
  if (!q) {
    rc.fail(q.error());
    return;
  }
  const auto page = query_number(rc.req, "page", 1);
  const auto page_size = query_number(rc.req, "page_size", kMaxRows);
  if (page < 1 || page_size < 1 || page_size > kMaxRows) {
    rc.fail(Error::invalid("page must be 1 or more and page_size from 1 to 10000", "page_size"));
    return;
  }
  const bool summarize = query_param(rc.req, "summarize") != "false";
  rc.gw.run_on_db(
      rc.responder, rc.call_id,
      [&gw = rc.gw, q = std::move(*q), summarize, page, page_size, call_id = rc.call_id] {
        gw.writer->flush();
        return spend_logs(gw, q, summarize, page, page_size, call_id);
      });
}

}  // namespace litellm::server
