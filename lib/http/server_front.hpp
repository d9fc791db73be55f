#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "litellm/error.hpp"

#include "core/http_message.hpp"
#include "core/logger.hpp"

namespace litellm::http {

class EventLoops;

// One downstream request, fully read. `error` is set instead of a usable body when the front
// refused it (body over the limit): the handler answers and the front closes the connection.
struct Request {
  std::string method;
  std::string target;  // path + query as sent
  std::string path;
  std::string query;
  core::Headers headers;
  std::string body;
  std::string remote_ip;
  std::size_t loop = 0;  // the EventLoops index serving this connection
  std::optional<Error> error;

  std::string_view header(std::string_view name) const;
};

struct Response {
  int status = 200;
  core::Headers headers;
  std::string content_type = "application/json";
  std::string body;
};

struct StreamPiece {
  std::string data;
  bool done = false;
};

// The body of a streamed response, pulled by the front one piece at a time so a slow client
// slows its producer instead of growing a buffer. Implementations are thread-safe.
class ResponseStream {
 public:
  virtual ~ResponseStream() = default;
  // Asks for the next bytes; `deliver` is called exactly once, from any thread.
  virtual void next(std::function<void(StreamPiece)> deliver) = 0;
  // The client went away or the server is stopping: release the producer now.
  virtual void cancel() = 0;
};

// `stream` set: `response.status`/`headers`/`content_type` are the head and the body follows
// from the stream, chunked.
struct Reply {
  Response response;
  std::shared_ptr<ResponseStream> stream;
};

// The handle a handler answers through. Copyable, callable from any thread, answers once: later
// replies are ignored. Dropping every copy unanswered sends a 500, so a lost request cannot hang.
class Responder {
 public:
  struct State;
  explicit Responder(std::shared_ptr<State> state) : state_(std::move(state)) {}
  // A responder whose reply goes to `deliver` on the replying thread, not to a connection: for
  // callers inside the process and for tests. It never sees a disconnect.
  static Responder to_function(std::function<void(Reply)> deliver);

  void reply(Reply reply) const;
  // Called (once, on the connection's thread) if the client disconnects before the answer ends.
  void on_disconnect(std::function<void()> hook) const;

 private:
  std::shared_ptr<State> state_;
};

using Handler = std::function<void(Request&, const Responder&)>;

struct ServerOptions {
  std::string host = "127.0.0.1";
  std::uint16_t port = 4000;
  std::size_t body_limit_bytes = std::size_t{32} * 1024 * 1024;
  std::chrono::seconds idle_timeout{120};
  std::chrono::seconds write_timeout{300};
};

// The downstream HTTP/1.1 server: Boost.Beast on a few io threads, one coroutine per
// connection, keep-alive, chunked streaming. Knows nothing about LLMs. Thread-safe: stop() may
// be called from any thread; run() from one.
class ServerFront {
 public:
  ServerFront(ServerOptions options, Handler handler, EventLoops& loops, core::Logger& logger);
  ~ServerFront();
  ServerFront(const ServerFront&) = delete;
  ServerFront& operator=(const ServerFront&) = delete;

  // Binds and listens; returns the port (useful with port 0). ErrorCode::Config on failure.
  Result<std::uint16_t> listen();
  // Runs the event loops (this thread and the others) until stop() has drained. Returns then.
  void run();
  // Stops accepting, closes idle connections, lets requests in flight finish for up to `grace`,
  // then cancels what is left.
  void stop(std::chrono::milliseconds grace);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace litellm::http
