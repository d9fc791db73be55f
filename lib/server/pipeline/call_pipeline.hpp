#pragma once

#include <span>

#include "litellm/types.hpp"

namespace litellm::server {

class CallStage;
class InboundApi;
struct RequestContext;

// The stages of every LLM call, in order (call_pipeline.cpp).
std::span<const CallStage* const> llm_stages();

// Decodes the request in `api`'s wire and runs it through the stages.
void start_llm_call(RequestContext& rc, const InboundApi& api, CallKind kind);

}  // namespace litellm::server
