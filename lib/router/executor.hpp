#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "litellm/error.hpp"
#include "litellm/types.hpp"

#include "router/model_table.hpp"

namespace litellm::http {
class UpstreamPool;
}  // namespace litellm::http

namespace litellm::router {

struct CallOptions {
  std::string call_id;
  std::size_t loop = 0;  // the event loop the request is served on; its upstream runs there too
  int num_retries = 2;
  std::chrono::milliseconds min_retry_delay{0};  // router_settings.retry_after
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

// The dispatch loop: pick a deployment of the group, build the provider request, send it,
// retry on connection errors, timeouts, 429 and 5xx with back-off, parse. Thread-safe.
class Executor {
 public:
  using Done = std::function<void(CallOutcome)>;
  explicit Executor(http::UpstreamPool& pool) : pool_(pool) {}

  std::shared_ptr<CallHandle> call(std::shared_ptr<const ModelTable> table, const ModelGroup& group,
                                   LlmRequest request, CallOptions options, Done done);
  std::shared_ptr<CallHandle> stream(std::shared_ptr<const ModelTable> table,
                                     const ModelGroup& group, LlmRequest request,
                                     CallOptions options, std::shared_ptr<ChunkSink> sink,
                                     Done failed);

 private:
  http::UpstreamPool& pool_;
};

// True for errors worth another attempt: the upstream may answer differently next time.
bool is_retryable(ErrorCode code);
// Wait before retry number `attempt` (1-based): the upstream's retry-after when it gave one
// (capped at 60 s), else 0.5 s doubling up to 8 s; never less than `floor`.
std::chrono::milliseconds retry_delay(const Error& error, int attempt,
                                      std::chrono::milliseconds floor);

}  // namespace litellm::router
