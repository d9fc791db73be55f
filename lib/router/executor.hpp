#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "litellm/error.hpp"
#include "litellm/types.hpp"

#include "core/clock.hpp"
#include "core/random.hpp"
#include "router/model_table.hpp"
#include "router/retry_policy.hpp"
#include "router/strategy.hpp"

namespace litellm::http {
class Upstream;
}  // namespace litellm::http

namespace litellm::router {

struct CallOptions {
  std::string call_id;
  std::size_t loop = 0;  // the event loop the request is served on; its upstream runs there too
  RetryPolicy retry;
};

// How a call ended: `response` on success, `error` otherwise; the deployment last tried (if
// any) and how many retries it took either way.
struct CallOutcome {
  std::optional<LlmResponse> response;
  std::optional<Error> error;
  const Deployment* deployment = nullptr;
  int retries = 0;
};

// Receives a streamed answer. Called on the call's io loop (or the caller's thread, for local
// deployments), one call at a time, in order: on_start once, on_chunks any number of times,
// on_end once. A failure before on_start goes to the `failed` callback instead (retries done).
class ChunkSink {
 public:
  virtual ~ChunkSink() = default;
  virtual void on_start(const Deployment& deployment, int retries) = 0;
  // False while the consumer's buffer is full: the upstream transfer pauses until resume().
  virtual bool ready() = 0;
  virtual void on_chunks(std::vector<LlmChunk>& chunks) = 0;
  virtual void on_end(Result<void> result) = 0;
};

// A call in flight. Thread-safe handle.
class CallHandle {
 public:
  virtual ~CallHandle() = default;
  // Stops the call and its upstream transfer at once; no callback follows.
  virtual void cancel() = 0;
  // Continues a stream paused because ChunkSink::ready() said false.
  virtual void resume() = 0;
};

// The dispatch loop: pick a deployment of the group (the strategy), build the provider
// request, send it, retry as the call's policy says (connection errors, timeouts, 429 and 5xx,
// with back-off), parse. Time and chance are injected. Thread-safe.
class Executor {
 public:
  using Done = std::function<void(CallOutcome)>;
  Executor(http::Upstream& upstream, const core::Clock& clock, core::Random& random,
           const Strategy& strategy = simple_shuffle())
      : parts_{upstream, clock, random, strategy} {}

  std::shared_ptr<CallHandle> call(std::shared_ptr<const ModelTable> table, const ModelGroup& group,
                                   LlmRequest request, CallOptions options, Done done);
  std::shared_ptr<CallHandle> stream(std::shared_ptr<const ModelTable> table,
                                     const ModelGroup& group, LlmRequest request,
                                     CallOptions options, std::shared_ptr<ChunkSink> sink,
                                     Done failed);

  // What every call uses; each call keeps a copy (the referents outlive the calls, which the
  // upstream's teardown may still complete after the executor is gone).
  struct Parts {
    http::Upstream& upstream;
    const core::Clock& clock;
    core::Random& random;
    const Strategy& strategy;
  };

 private:
  Parts parts_;
};

}  // namespace litellm::router
