#pragma once

#include <chrono>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <variant>

#include "auth/limit_counters.hpp"
#include "core/http_message.hpp"
#include "server/gateway_state.hpp"
#include "spend/ledger.hpp"
#include "store/spend_store.hpp"

namespace litellm::server {

// One LLM call's accounting, from admission to its end: the budget it holds (reserve an
// estimate, settle the real cost), its rate-limit slot and tokens, and its spend row. Ends
// exactly once: succeed(), fail(), or — when neither came (the client went away) — the
// destructor, which charges what a stream had already used. Shared by the handler's callbacks
// and the stream session; all methods thread-safe.
class CallAccount {
 public:
  struct Refused {
    Error error;
    core::Headers headers;  // retry-after and x-ratelimit-* for rate limits
  };
  struct Request {
    const LlmRequest* llm = nullptr;
    const router::ModelGroup* group = nullptr;
    std::string call_id;
    std::size_t body_bytes = 0;
  };
  using Opened = std::variant<std::shared_ptr<CallAccount>, Refused>;

  // Checks the budgets (key, user, team, customer, proxy) and holds room for the call, or says
  // why not (BudgetExceeded, 400). Rate limits come next: limit_specs(), then admit_limits().
  static Opened open(Gateway::Impl& gw, const std::shared_ptr<const Snapshot>& snap,
                     const Caller& caller, const Request& request);
  // The tokens to hold against tpm limits: the call's estimate.
  std::int64_t limit_tokens() const { return limit_tokens_; }
  // What the rate limits answered: the ticket is kept, or the call is refused (RateLimited,
  // 429 with retry-after) and gives back the budget it held.
  std::optional<Refused> admit_limits(auth::Admission got);
  // The rate limits a call of `caller` on `group` counts against (none: nothing to count).
  static std::vector<auth::LimitSpec> limit_specs(const Caller& caller,
                                                  const router::ModelGroup& group);
  ~CallAccount();
  CallAccount(const CallAccount&) = delete;
  CallAccount& operator=(const CallAccount&) = delete;

  // x-ratelimit-<descriptor>-{limit,remaining}-<type> for the response.
  void add_limit_headers(core::Headers& h) const;
  // Streams: the upstream answered.
  void on_stream_start(const router::Deployment& d);
  // Streams: a chunk left; `usage` when the chunk carried it, `text_bytes` of content.
  void on_stream_chunk(const std::optional<Usage>& usage, std::size_t text_bytes);
  // The call answered: its cost (nullopt when the model has no prices).
  std::optional<double> succeed(const router::Deployment& d, const Usage& given);
  void fail(const router::Deployment* d, const Error& e);
  // Streams: the upstream ended (well or not); usage as the chunks carried it.
  void end_stream(const Result<void>& result);
  // The key's spend after this call, for x-litellm-key-spend (meaningful after succeed()).
  std::optional<double> key_spend_after() const;

  CallAccount(Gateway::Impl& gw, std::shared_ptr<const Snapshot> snap, const Caller& caller,
              const Request& request);  // use open()

 private:
  void finish(const router::Deployment* d, const Usage& usage, std::optional<double> cost,
              const Error* error);

  Gateway::Impl& gw_;
  std::shared_ptr<const Snapshot> snap_;
  std::shared_ptr<const store::KeyRecord> key_;
  double key_spend_before_ = 0;
  spend::Reservation reservation_;
  bool reserved_ = false;
  std::optional<auth::LimitTicket> ticket_;
  store::SpendRow row_;
  std::chrono::steady_clock::time_point started_;
  mutable std::mutex mu_;
  bool ended_ = false;                 // guarded by mu_
  std::optional<Usage> stream_usage_;  // guarded by mu_
  std::size_t stream_text_bytes_ = 0;  // guarded by mu_
  std::optional<double> cost_;         // guarded by mu_
  std::int64_t prompt_estimate_ = 0;
  std::int64_t limit_tokens_ = 0;
  const router::Deployment* deployment_ = nullptr;  // guarded by mu_
};

}  // namespace litellm::server
