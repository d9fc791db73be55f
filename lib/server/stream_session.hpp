#pragma once

#include <functional>
#include <memory>
#include <mutex>
#include <string>

#include "http/server_front.hpp"
#include "router/executor.hpp"

namespace litellm::server {

// How a stream's chunks are written on the wire: OpenAI's `data:` events by default, or
// another API's events (the inbound Anthropic /v1/messages). Called under the session's lock.
class StreamEncoding {
 public:
  virtual ~StreamEncoding() = default;
  virtual void chunks(const std::vector<LlmChunk>& chunks, std::string& out) = 0;
  virtual void end(const Result<void>& result, std::string& out) = 0;
};

// OpenAI's: one `data: {chunk}` per chunk, then `data: [DONE]`, or a last `data: {"error"}`.
std::unique_ptr<StreamEncoding> openai_encoding();

// What the handler sees of a stream as it passes: where it went, each batch of chunks (which it
// may edit: drop or trim chunks the client did not ask for) and how it ended. Each may be empty.
struct StreamTap {
  std::function<void(const router::Deployment&)> start;
  std::function<void(std::vector<LlmChunk>&)> chunks;
  std::function<void(const Result<void>&)> end;
};

// One streamed answer between the router (producer, on the upstream thread) and the downstream
// connection (consumer, pulling with next()). Holds at most about kHighWater bytes: beyond that
// the upstream transfer pauses until the client has read. Sends the response head only once the
// upstream has answered 2xx, so errors before the first byte are ordinary JSON errors.
// All methods thread-safe.
class StreamSession final : public router::ChunkSink,
                            public http::ResponseStream,
                            public std::enable_shared_from_this<StreamSession> {
 public:
  static constexpr std::size_t kHighWater = std::size_t{64} * 1024;
  // Builds the head's headers once the deployment is known.
  using HeadFn = std::function<core::Headers(const router::Deployment&, int retries)>;

  StreamSession(http::Responder responder, HeadFn head,
                std::unique_ptr<StreamEncoding> encoding = openai_encoding(), StreamTap tap = {})
      : responder_(std::move(responder)),
        head_(std::move(head)),
        tap_(std::move(tap)),
        encoding_(std::move(encoding)) {}

  void set_handle(std::shared_ptr<router::CallHandle> handle);

  // router::ChunkSink
  void on_start(const router::Deployment& deployment, int retries) override;
  bool ready() override;
  void on_chunks(std::vector<LlmChunk>& chunks) override;
  void on_end(Result<void> result) override;

  // http::ResponseStream
  void next(std::function<void(http::StreamPiece)> deliver) override;
  void cancel() override;

 private:
  void deliver_locked(std::unique_lock<std::mutex>& lock);

  http::Responder responder_;
  HeadFn head_;
  StreamTap tap_;                             // called outside mu_
  std::unique_ptr<StreamEncoding> encoding_;  // guarded by mu_
  std::mutex mu_;
  std::string buffer_;                             // guarded by mu_
  bool done_ = false;                              // guarded by mu_
  bool paused_ = false;                            // guarded by mu_
  std::function<void(http::StreamPiece)> waiter_;  // guarded by mu_
  std::shared_ptr<router::CallHandle> handle_;     // guarded by mu_
};

}  // namespace litellm::server
