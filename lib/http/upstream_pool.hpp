#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <string_view>
#include <vector>

#include "litellm/error.hpp"

#include "core/http_message.hpp"
#include "core/logger.hpp"

namespace litellm::http {

class EventLoops;

// Receives one streamed upstream response. Called on the pool's thread, in this order:
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

struct UpstreamPoolOptions {
  long max_connections = 4096;    // connection cache size (keep-alive pool, all upstreams)
  long max_host_connections = 0;  // 0 = unlimited
};

// Talks to every upstream through one libcurl multi handle on its own thread: keep-alive reuse
// per host, TLS, HTTP/2, proxies from the environment (HTTPS_PROXY, NO_PROXY), no thread per
// request. All methods thread-safe; callbacks run on the pool thread and must not block.
// `loop` names the caller's event loop. Driving curl from the loops themselves
// (curl_multi_socket_action on Asio readiness) was measured slower here and stalled at 1,000
// connections (bench/RESULTS.md); the parameter keeps that door open.
class UpstreamPool {
 public:
  using Done = std::function<void(Result<core::UpstreamResponse>)>;

  UpstreamPool(EventLoops& loops, UpstreamPoolOptions options, core::Logger& logger);
  ~UpstreamPool();
  UpstreamPool(const UpstreamPool&) = delete;
  UpstreamPool& operator=(const UpstreamPool&) = delete;

  // Sends a request and collects the whole response. Errors: Timeout, UpstreamUnavailable
  // (connect/DNS/TLS/reset). Any HTTP status is a value, not an error.
  std::shared_ptr<Transfer> send(std::size_t loop, core::UpstreamRequest request, Done done);
  std::shared_ptr<Transfer> open_stream(std::size_t loop, core::UpstreamRequest request,
                                        std::shared_ptr<StreamSink> sink);
  // Runs `fn` on `loop` after `delay` (retry back-off).
  void run_after(std::size_t loop, std::chrono::milliseconds delay, std::function<void()> fn);

  struct Impl;  // public only so the transfer type in the .cpp can name it

 private:
  std::unique_ptr<Impl> impl_;
};

}  // namespace litellm::http
