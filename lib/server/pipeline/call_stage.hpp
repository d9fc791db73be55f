#pragma once

#include <string_view>
#include <vector>

#include "litellm/error.hpp"
#include "litellm/types.hpp"

#include "router/model_table.hpp"

namespace litellm::server {

class CallContext;

enum class StageStatus {
  Continue,  // go on to the next stage now
  Stop,      // the stage answered (refused), or calls CallContext::resume() when its work is done
};

// How a call ended, as each stage's on_end sees it.
struct CallEnd {
  enum class How {
    Answered,  // the upstream answered (a whole answer, or a stream that ended well)
    Failed,    // the upstream call failed (retries done), or a stream broke
    Refused,   // a stage refused the call before it went upstream
    Aborted,   // dropped unanswered: the client went away, or the proxy is stopping
  };
  How how = How::Aborted;
  const Error* error = nullptr;                    // Failed, Refused
  const router::Deployment* deployment = nullptr;  // where it went, when it did
};

// One step of every LLM call (call_pipeline.cpp lists them in order). Immutable and shared by
// all calls: what a call holds lives in its CallContext.
class CallStage {
 public:
  virtual ~CallStage() = default;
  virtual std::string_view name() const = 0;
  virtual StageStatus on_request(CallContext& call) const = 0;
  // Streams: each batch of chunks on its way to the client, which a stage may edit.
  virtual void on_chunks(CallContext& /*call*/, std::vector<LlmChunk>& /*chunks*/) const {}
  // Exactly once for every stage whose on_request ran, in reverse order.
  virtual void on_end(CallContext& /*call*/, const CallEnd& /*end*/) const {}
};

}  // namespace litellm::server
