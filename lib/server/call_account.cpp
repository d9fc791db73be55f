#include "server/call_account.hpp"

#include <cstdio>
#include <ctime>
#include <limits>

#include "spend/cost.hpp"
#include "spend/spend_writer.hpp"

namespace litellm::server {

namespace {

using nlohmann::json;

constexpr double kNoBudget = std::numeric_limits<double>::infinity();
// What a call may write when it names no max_tokens: enough to hold room for a long answer
// without making every call look like the model's whole output window.
constexpr std::int64_t kDefaultOutputEstimate = 4096;

std::int64_t wall_ms(const core::Clock& clock) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(clock.wall_now().time_since_epoch())
      .count();
}

const char* call_type(CallKind kind) {
  switch (kind) {
    case CallKind::Chat:
      return "acompletion";
    case CallKind::Completion:
      return "atext_completion";
    case CallKind::Embedding:
      return "aembedding";
  }
  return "acompletion";
}

std::int64_t output_estimate(const LlmRequest& llm, const Snapshot& snap,
                             const router::ModelGroup& group) {
  if (llm.kind == CallKind::Embedding) {
    return 0;
  }
  for (const char* name : {"max_completion_tokens", "max_tokens"}) {
    const auto it = llm.body.find(name);
    if (it != llm.body.end() && it->is_number_integer() && it->get<std::int64_t>() > 0) {
      return it->get<std::int64_t>();
    }
  }
  std::int64_t most = 0;
  for (const auto* d : group.deployments) {
    most = std::max(most, snap.price_of(*d).max_output_tokens.value_or(kDefaultOutputEstimate));
  }
  return std::min(most, kDefaultOutputEstimate);
}

// The dearest deployment of the group: routing has not picked one yet.
double cost_estimate(const Snapshot& snap, const router::ModelGroup& group, const Usage& usage) {
  double most = 0;
  for (const auto* d : group.deployments) {
    most = std::max(most, spend::cost_of(snap.price_of(*d), usage).value_or(0));
  }
  return most;
}

std::string utc_text(std::chrono::system_clock::time_point t) {
  const std::time_t secs = std::chrono::system_clock::to_time_t(t);
  std::tm tm{};
  gmtime_r(&secs, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%d %H:%M:%S UTC", &tm);
  return buf;
}

CallAccount::Refused rate_limited(const auth::LimitDenied& d) {
  const std::string type = auth::limit_type_name(d.type);
  const std::string reset = utc_text(d.reset_at);
  Error e = Error::make(ErrorCode::RateLimited, "Rate limit exceeded for " + d.descriptor + ": " +
                                                    d.value + ". Limit type: " + type +
                                                    ". Current limit: " + std::to_string(d.limit) +
                                                    ", Remaining: " + std::to_string(d.remaining) +
                                                    ". Limit resets at: " + reset);
  e.retry_after = std::max(std::chrono::seconds(1), d.retry_after);
  core::Headers h;
  h.emplace_back("rate_limit_type", type);
  h.emplace_back("reset_at", reset);
  h.emplace_back("x-ratelimit-" + d.descriptor + "-remaining-" + type, std::to_string(d.remaining));
  h.emplace_back("x-ratelimit-" + d.descriptor + "-limit-" + type, std::to_string(d.limit));
  if (d.type != auth::LimitType::MaxParallel) {
    h.emplace_back("x-ratelimit-remaining-" + type, std::to_string(d.remaining));
    h.emplace_back("x-ratelimit-limit-" + type, std::to_string(d.limit));
  }
  return CallAccount::Refused{std::move(e), std::move(h)};
}

// LiteLLM's words for each budget.
std::string budget_message(const spend::BudgetLine& line, double spent) {
  char amounts[96];
  const auto colon = line.entity.find(':');
  const std::string kind = line.entity.substr(0, colon);
  const std::string id = colon == std::string::npos ? "" : line.entity.substr(colon + 1);
  if (kind == "user" || kind == "customer") {
    std::snprintf(amounts, sizeof amounts, "Spend=%.6g, Budget=%.6g", spent, line.max_budget);
    return "ExceededBudget: " + std::string(kind == "user" ? "User=" : "End User=") + id +
           " over budget. " + amounts;
  }
  std::snprintf(amounts, sizeof amounts, "Current cost: %.6g, Max budget: %.6g", spent,
                line.max_budget);
  return std::string("Budget has been exceeded! ") + (kind == "team" ? "Team=" + id + " " : "") +
         amounts;
}

}  // namespace

CallAccount::CallAccount(Gateway::Impl& gw, std::shared_ptr<const Snapshot> snap,
                         const Caller& caller, const Request& request)
    : gw_(gw), snap_(std::move(snap)), key_(caller.key), started_(gw.clock.steady_now()) {
  const auto& llm = *request.llm;
  row_.request_id = request.call_id;
  row_.call_type = call_type(llm.kind);
  row_.model_group = request.group->name;
  row_.start_ms = wall_ms(gw.clock);
  if (key_) {
    row_.api_key = key_->token;
    row_.user = key_->user_id.value_or("");
    row_.team_id = key_->team_id.value_or("");
    if (key_->key_alias) {
      row_.metadata["user_api_key_alias"] = *key_->key_alias;
    }
  }
  if (const auto u = llm.body.find("user"); u != llm.body.end() && u->is_string()) {
    row_.end_user = u->get<std::string>();
  }
  if (const auto md = llm.body.find("metadata"); md != llm.body.end() && md->is_object()) {
    if (const auto tags = md->find("tags"); tags != md->end() && tags->is_array()) {
      row_.request_tags = *tags;
    }
  }
  prompt_estimate_ = static_cast<std::int64_t>(request.body_bytes / 4) + 1;
}

std::vector<auth::LimitSpec> CallAccount::limit_specs(const Caller& caller,
                                                      const router::ModelGroup& group) {
  std::vector<auth::LimitSpec> specs;
  if (caller.key &&
      (caller.key->rpm_limit || caller.key->tpm_limit || caller.key->max_parallel_requests)) {
    const auto& k = *caller.key;
    specs.push_back({"api_key", k.token, k.rpm_limit, k.tpm_limit, k.max_parallel_requests});
  }
  if (caller.key) {
    // model_rpm_limit / model_tpm_limit: this key's limits for the group asked for.
    const auto per_model = [&](const char* name) -> std::optional<std::int64_t> {
      const auto& md = caller.key->metadata;
      const auto limits = md.find(name);
      if (limits == md.end() || !limits->is_object()) {
        return std::nullopt;
      }
      const auto it = limits->find(group.name);
      return it != limits->end() && it->is_number_integer()
                 ? std::optional<std::int64_t>(it->get<std::int64_t>())
                 : std::nullopt;
    };
    const auto rpm = per_model("model_rpm_limit");
    const auto tpm = per_model("model_tpm_limit");
    if (rpm || tpm) {
      specs.push_back(
          {"model_per_key", caller.key->token + ":" + group.name, rpm, tpm, std::nullopt});
    }
  }
  for (const auto& [descriptor, party] :
       {std::pair{"user", &caller.user}, std::pair{"team", &caller.team},
        std::pair{"end_user", &caller.customer}}) {
    if (*party) {
      const auto& r = (*party)->record;
      if (r.rpm_limit || r.tpm_limit || r.max_parallel_requests) {
        specs.push_back({descriptor, r.id, r.rpm_limit, r.tpm_limit, r.max_parallel_requests});
      }
    }
  }
  return specs;
}

CallAccount::Opened CallAccount::open(Gateway::Impl& gw,
                                      const std::shared_ptr<const Snapshot>& snap,
                                      const Caller& caller, const Request& request) {
  auto account = std::make_shared<CallAccount>(gw, snap, caller, request);
  const Usage guess{account->prompt_estimate_, output_estimate(*request.llm, *snap, *request.group),
                    0, 0, 0};
  std::vector<spend::BudgetLine> lines;
  if (caller.key) {
    const auto& k = *caller.key;
    account->key_spend_before_ = gw.spend_of(k, caller.spend_mark);
    lines.push_back({spend::key_entity(k.token), k.spend, caller.spend_mark,
                     k.max_budget.value_or(kNoBudget), true});
  }
  // Users, teams and customers refuse past their budget (spend > max), as LiteLLM's do.
  const auto party_line = [&](const std::optional<auth::PartyEntry>& p) {
    if (p) {
      const auto& r = p->record;
      lines.push_back({spend::entity_of(store::holder_of(r.kind), r.id), r.spend, p->spend_mark,
                       r.max_budget.value_or(kNoBudget), false});
    }
  };
  party_line(caller.user);
  party_line(caller.team);
  party_line(caller.customer);
  const auto& proxy_budget = snap->config.max_budget;
  double proxy_limit = kNoBudget;
  if (proxy_budget.value_or(0) > 0) {
    proxy_limit = *proxy_budget;
  }
  lines.push_back({spend::kGlobalEntity, gw.global_spend_base, 0, proxy_limit, false});
  const double estimate = cost_estimate(*snap, *request.group, guess);
  if (const auto refused = gw.ledger.admit(lines, estimate, account->reservation_)) {
    account->ended_ = true;  // refused before it began: no spend row
    return Refused{Error::make(ErrorCode::BudgetExceeded,
                               budget_message(lines[refused->line], refused->spent)),
                   {}};
  }
  account->reserved_ = true;
  account->limit_tokens_ = guess.prompt_tokens + guess.completion_tokens;
  return account;
}

std::optional<CallAccount::Refused> CallAccount::admit_limits(auth::Admission got) {
  if (const auto* denied = std::get_if<auth::LimitDenied>(&got)) {
    std::lock_guard lock(mu_);
    gw_.ledger.settle(reservation_, 0);
    reserved_ = false;
    ended_ = true;  // refused before it began: no spend row
    return rate_limited(*denied);
  }
  ticket_ = std::get<auth::LimitTicket>(std::move(got));
  return std::nullopt;
}

CallAccount::~CallAccount() {
  std::optional<Usage> seen;
  std::size_t text_bytes = 0;
  {
    std::lock_guard lock(mu_);
    if (ended_) {
      return;
    }
    seen = stream_usage_;
    text_bytes = stream_text_bytes_;
  }
  // The client left before the end: what a stream already produced is still owed upstream.
  Usage usage = seen.value_or(Usage{});
  if (!seen && text_bytes > 0) {
    usage = Usage{prompt_estimate_, static_cast<std::int64_t>(text_bytes / 4) + 1, 0, 0, 0};
  }
  const Error cancelled = Error::make(ErrorCode::Cancelled, "the client closed the connection");
  try {
    finish(nullptr, usage, std::nullopt, &cancelled);
  } catch (const std::exception& e) {
    // A destructor that throws ends the process; one lost spend row is the lesser harm.
    gw_.logger.error(std::string("spend for a cancelled call was not recorded: ") + e.what());
  }
}

void CallAccount::add_limit_headers(core::Headers& h) const {
  if (!ticket_) {
    return;
  }
  for (const auto& r : ticket_->readings) {
    const std::string type = auth::limit_type_name(r.type);
    h.emplace_back("x-ratelimit-" + r.descriptor + "-remaining-" + type,
                   std::to_string(r.remaining));
    h.emplace_back("x-ratelimit-" + r.descriptor + "-limit-" + type, std::to_string(r.limit));
  }
}

void CallAccount::on_stream_start(const router::Deployment& d) {
  std::lock_guard lock(mu_);
  deployment_ = &d;
}

void CallAccount::on_stream_chunk(const std::optional<Usage>& usage, std::size_t text_bytes) {
  std::lock_guard lock(mu_);
  if (!row_.first_token_ms) {
    row_.first_token_ms = wall_ms(gw_.clock);
  }
  if (usage) {
    stream_usage_ = usage;
  }
  stream_text_bytes_ += text_bytes;
}

std::optional<double> CallAccount::succeed(const router::Deployment& d, const Usage& given) {
  Usage usage = given;
  {
    std::lock_guard lock(mu_);
    if (usage.prompt_tokens == 0 && usage.completion_tokens == 0) {
      if (stream_usage_) {
        usage = *stream_usage_;
      } else if (stream_text_bytes_ > 0) {
        // The upstream sent no usage: charge an estimate rather than nothing.
        usage =
            Usage{prompt_estimate_, static_cast<std::int64_t>(stream_text_bytes_ / 4) + 1, 0, 0, 0};
        row_.metadata["usage_estimated"] = true;
      }
    }
  }
  const auto cost = spend::cost_of(snap_->price_of(d), usage);
  finish(&d, usage, cost, nullptr);
  return cost;
}

void CallAccount::end_stream(const Result<void>& result) {
  const router::Deployment* d = nullptr;
  {
    std::lock_guard lock(mu_);
    d = deployment_;
  }
  if (result && d != nullptr) {
    succeed(*d, Usage{});
  } else if (!result) {
    fail(d, result.error());
  }
}

void CallAccount::fail(const router::Deployment* d, const Error& e) {
  finish(d, Usage{}, std::nullopt, &e);
}

std::optional<double> CallAccount::key_spend_after() const {
  std::lock_guard lock(mu_);
  return key_spend_before_ + cost_.value_or(0);
}

void CallAccount::finish(const router::Deployment* d, const Usage& usage,
                         std::optional<double> cost, const Error* error) {
  std::optional<store::SpendRow> taken;  // not a default row: its JSON members allocate
  {
    std::lock_guard lock(mu_);
    if (ended_) {
      return;
    }
    ended_ = true;
    cost_ = cost;
    if (d == nullptr) {
      d = deployment_;
      if (d != nullptr && usage.completion_tokens > 0) {
        cost_ = spend::cost_of(snap_->price_of(*d), usage);  // a stream its client cut
      }
    }
    taken.emplace(std::move(row_));  // ended_: nothing reads row_ again
  }
  store::SpendRow& row = *taken;
  const double charged = cost_.value_or(0);
  if (reserved_) {
    gw_.ledger.settle(reservation_, charged);
  }
  if (ticket_) {
    gw_.release_limits(*ticket_, usage.total_tokens > 0
                                     ? usage.total_tokens
                                     : usage.prompt_tokens + usage.completion_tokens);
  }
  if (d != nullptr) {
    row.model = d->config.provider_model;
    row.model_id = d->config.id;
    row.provider = d->config.provider;
    row.api_base = d->config.api_base;
  }
  row.prompt_tokens = usage.prompt_tokens;
  row.completion_tokens = usage.completion_tokens;
  row.cached_tokens = usage.cached_tokens;
  row.spend = charged;
  row.end_ms = wall_ms(gw_.clock);
  row.status = error == nullptr ? "success" : "failure";
  if (error != nullptr) {
    row.error_class = std::string(to_string(error->code));
  }
  if (gw_.writer && !snap_->config.disable_spend_logs) {
    gw_.writer->enqueue(std::move(row));
  }
}

}  // namespace litellm::server
