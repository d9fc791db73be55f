#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <string_view>

#include "litellm/error.hpp"

#include "core/http_message.hpp"

namespace litellm::http {

// Receives one streamed upstream response. Called on the transfer's loop, in this order:
// on_head once (when the status line and headers are in), on_body zero or more times, on_end
// once. A non-2xx response is not streamed: its whole body arrives in on_end's response.
class StreamSink {
 public:
  virtual ~StreamSink() = default;
  virtual void on_head(int status, const core::Headers& headers) = 0;
  // Returns false to pause the transfer (the same bytes come again after resume()).
  virtual bool on_body(std::string_view bytes) = 0;
  // `status` of a completed transfer, or the transport error (Timeout, UpstreamUnavailable,
  // Cancelled). `error_response` holds a non-2xx answer's body.
  virtual void on_end(Result<core::UpstreamResponse> error_response) = 0;
};

// A transfer in flight. Thread-safe handle.
class Transfer {
 public:
  virtual ~Transfer() = default;
  // Stops the transfer and drops the connection; the completion is not called afterwards.
  virtual void cancel() = 0;
  // Continues a transfer paused by on_body returning false.
  virtual void resume() = 0;
};

inline bool is_2xx(long status) {
  return status >= 200 && status < 300;
}

// Where the router sends its requests: the upstream pool in production (upstream_pool.hpp), a
// fake in unit tests. `loop` names the caller's event loop; callbacks run there.
class Upstream {
 public:
  using Done = std::function<void(Result<core::UpstreamResponse>)>;
  virtual ~Upstream() = default;
  // Sends a request and collects the whole response; any HTTP status is a value, not an error.
  virtual std::shared_ptr<Transfer> send(std::size_t loop, core::UpstreamRequest request,
                                         Done done) = 0;
  virtual std::shared_ptr<Transfer> open_stream(std::size_t loop, core::UpstreamRequest request,
                                                std::shared_ptr<StreamSink> sink) = 0;
  // Runs `fn` on `loop` after `delay` (retry back-off).
  virtual void run_after(std::size_t loop, std::chrono::milliseconds delay,
                         std::function<void()> fn) = 0;
};

}  // namespace litellm::http
