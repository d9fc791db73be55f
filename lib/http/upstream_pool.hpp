#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "litellm/error.hpp"

#include "core/http_message.hpp"
#include "http/upstream.hpp"

namespace litellm::http {

class EventLoops;

struct UpstreamPoolOptions {
  long max_connections = 4096;    // connection cache size (keep-alive pool, all upstreams)
  long max_host_connections = 0;  // 0 = unlimited
  // Upstream certificate checks (litellm_settings.ssl_verify, SSL_VERIFY): off only on request.
  bool verify_tls = true;
  // CA bundle to trust instead of the system's (SSL_CERT_FILE); empty = the system's.
  std::string ca_file;
  // Plain http:// upstreams go through the built-in HTTP/1.1 client (http1_client.hpp) rather
  // than libcurl. Off when a proxy is configured for http (http_proxy, all_proxy), which only
  // libcurl speaks, or when LITELLM_HTTP_CLIENT=curl asks for libcurl everywhere.
  bool direct_http = true;
};

// Talks to every upstream through libcurl's multi interface, one multi handle per io loop
// driven by curl_multi_socket_action on that loop's readiness events: keep-alive reuse per host,
// TLS, HTTP/2, proxies from the environment (HTTPS_PROXY, NO_PROXY), no thread per request and no
// hand-off between threads. `loop` names the caller's event loop: the transfer runs there and its
// callbacks (done, the sink's) run on that loop's thread and must not block. Methods may be
// called from any thread; called off the loop they cost one wake-up of it.
class UpstreamPool final : public Upstream {
 public:
  UpstreamPool(EventLoops& loops, const UpstreamPoolOptions& options);
  ~UpstreamPool() override;
  UpstreamPool(const UpstreamPool&) = delete;
  UpstreamPool& operator=(const UpstreamPool&) = delete;

  // Sends a request and collects the whole response. Errors: Timeout, UpstreamUnavailable
  // (connect/DNS/TLS/reset). Any HTTP status is a value, not an error. Called on `loop`'s own
  // thread, the request goes out at once and `done` may run before send() returns.
  std::shared_ptr<Transfer> send(std::size_t loop, core::UpstreamRequest request,
                                 Done done) override;
  std::shared_ptr<Transfer> open_stream(std::size_t loop, core::UpstreamRequest request,
                                        std::shared_ptr<StreamSink> sink) override;
  void run_after(std::size_t loop, std::chrono::milliseconds delay,
                 std::function<void()> fn) override;

  struct Impl;  // public only so the transfer type in the .cpp can name it

 private:
  std::unique_ptr<Impl> impl_;
};

}  // namespace litellm::http
