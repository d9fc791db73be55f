#pragma once

#include <atomic>
#include <chrono>
#include <memory>
#include <span>
#include <string>

#include "litellm/types.hpp"

#include "core/http_message.hpp"
#include "server/apis/inbound_api.hpp"
#include "server/pipeline/call_stage.hpp"
#include "server/request_context.hpp"

namespace litellm::server {

class CallAccount;

// One LLM call, from its decoded request to its end: what every stage reads and adds to. Held
// by shared_ptr by whatever work of the call is pending (a database read, the rate limits'
// round trip, the upstream call, a stream); one stage runs at a time, so it needs no lock.
// Dropped unanswered (client gone, shutdown): the stages that started end as Aborted.
class CallContext : public std::enable_shared_from_this<CallContext> {
 public:
  CallContext(RequestContext rc, const InboundApi& api, LlmRequest request,
              std::chrono::steady_clock::time_point started,
              std::span<const CallStage* const> stages);
  ~CallContext();
  CallContext(const CallContext&) = delete;
  CallContext& operator=(const CallContext&) = delete;

  RequestContext rc;  // gateway, request, responder, call id, snapshot, caller
  const std::chrono::steady_clock::time_point started;
  const InboundApi& api;    // the wire the client spoke
  LlmRequest request;       // handed on to the router by the last stage
  const std::string model;  // as the client asked for it (request.model before routing)
  const router::ModelGroup* group = nullptr;  // set by resolve_model
  std::shared_ptr<CallAccount> account;       // set by budget: holds, limits, the spend row

  // Runs the stages from the next one on, until one stops. Called once to start, then by a
  // stage that stopped for asynchronous work, when it is done.
  void resume();
  // Answers with `e` in the client's API (plus `extra` headers) and ends the call: Refused.
  void refuse(const Error& e, const core::Headers& extra = {});
  // Ends the stages that started, in reverse order; only the first call counts.
  void end(const CallEnd& how);
  // Streams: every started stage's on_chunks, in order.
  void on_chunks(std::vector<LlmChunk>& chunks);

 private:
  std::span<const CallStage* const> stages_;
  std::size_t next_ = 0;  // the next stage to run; those before it started
  std::atomic<bool> ended_{false};
};

}  // namespace litellm::server
