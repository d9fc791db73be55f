#pragma once

#include <memory>
#include <string>

#include "http/plain_http_url.hpp"
#include "http/upstream.hpp"

namespace boost::asio {
class io_context;
}  // namespace boost::asio

namespace litellm::http {

// HTTP/1.1 over plain TCP, for upstreams reached without TLS and without a proxy (a local vLLM,
// Ollama or LM Studio, a sidecar, the mocks): keep-alive connections per host:port kept on this
// loop, requests written in one gather write and answers parsed by Beast, all on the loop's thread.
// It exists because libcurl's fixed cost per request (option copies, URL parsing, a liveness poll
// before each reuse and a readiness poll after each read) was about a quarter of the upstream leg
// (bench/RESULTS.md). A keep-alive connection the upstream closed while idle is found when it is
// next used and the request is sent again once on a new connection, as libcurl does.
// One per io loop, owned by UpstreamPool. start() may be called from any thread; everything else
// runs on the loop. Destroyed after shutdown(), with the loop stopped.
class Http1Client {
 public:
  explicit Http1Client(boost::asio::io_context& ioc);
  ~Http1Client();
  Http1Client(const Http1Client&) = delete;
  Http1Client& operator=(const Http1Client&) = delete;

  // A whole answer to `done` (when `sink` is null) or a streamed one to `sink`, with the
  // contracts of UpstreamPool::send and open_stream. No callback runs before start() returns.
  std::shared_ptr<Transfer> start(PlainHttpUrl url, core::UpstreamRequest request,
                                  Upstream::Done done, std::shared_ptr<StreamSink> sink);
  // Closes every connection; transfers in flight end without their callbacks. Loop stopped.
  void shutdown();

  struct Impl;  // public only so the transfer type in the .cpp can name it

 private:
  std::unique_ptr<Impl> impl_;
};

}  // namespace litellm::http
