// The LLM routes: each is one inbound API and one call kind into the call pipeline.
#include "server/apis/inbound_api.hpp"
#include "server/handlers/handlers.hpp"
#include "server/pipeline/call_pipeline.hpp"
#include "server/request_context.hpp"

namespace litellm::server {

void handle_chat(RequestContext& rc) {
  start_llm_call(rc, openai_api(), CallKind::Chat);
}

void handle_completion(RequestContext& rc) {
  start_llm_call(rc, openai_api(), CallKind::Completion);
}

void handle_embedding(RequestContext& rc) {
  start_llm_call(rc, openai_api(), CallKind::Embedding);
}

void handle_messages(RequestContext& rc) {
  start_llm_call(rc, anthropic_api(), CallKind::Chat);
}

}  // namespace litellm::server
