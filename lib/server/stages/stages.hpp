#pragma once

// The LLM call's stages, one file each (call_pipeline.cpp puts them in order).
namespace litellm::server {

class CallStage;

// The model group the request names: a 400 listing the groups when there is none.
const CallStage& resolve_model_stage();
// A virtual key's own checks: blocked, expired, its allow-list of models.
const CallStage& access_stage();
// The request's `user` as a customer (read once, then cached), then the key's team and the
// customer may each refuse the call (blocked, the team's allow-list).
const CallStage& customer_stage();
// Budgets: key, user, team, customer and proxy; holds room for the call (CallAccount).
const CallStage& budget_stage();
// Rate limits (rpm, tpm, max_parallel_requests), in Redis when replicas share them.
const CallStage& rate_limits_stage();
// The upstream call through the router: answered whole, or streamed back.
const CallStage& router_stage();

}  // namespace litellm::server
