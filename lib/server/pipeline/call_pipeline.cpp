// The whole LLM path. Every call to /v1/chat/completions, /v1/completions, /v1/embeddings and
// /v1/messages runs these stages in this order; each may refuse the call, stop for
// asynchronous work (a database read, the rate limits' round trip) and resume, and ends once
// the call does (pipeline/call_stage.hpp). The response cache, metrics and logging callbacks
// slot in before the router.
#include "server/pipeline/call_pipeline.hpp"

#include <array>
#include <chrono>
#include <memory>

#include "server/pipeline/call_context.hpp"
#include "server/stages/stages.hpp"

namespace litellm::server {

std::span<const CallStage* const> llm_stages() {
  static const std::array<const CallStage*, 6> kStages = {
      &resolve_model_stage(),  // the model group named
      &access_stage(),         // the virtual key may use it
      &customer_stage(),       // the request's customer; team and customer may use it
      &budget_stage(),         // every budget has room: the call holds its estimate
      &rate_limits_stage(),    // rpm, tpm and parallel slots, shared across replicas
      &router_stage(),         // upstream: a deployment, retries, the answer or the stream
  };
  return kStages;
}

void start_llm_call(RequestContext& rc, const InboundApi& api, CallKind kind) {
  const auto started = std::chrono::steady_clock::now();
  auto decoded = api.decode(kind, rc.req.body, rc.arg);
  if (!decoded) {
    rc.reply(api.error(decoded.error(), rc.call_id));
    return;
  }
  std::make_shared<CallContext>(rc, api, std::move(*decoded), started, llm_stages())->resume();
}

}  // namespace litellm::server
