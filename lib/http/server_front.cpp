#include "http/server_front.hpp"

#include <sys/socket.h>

#include <array>
#include <atomic>
#include <list>
#include <mutex>
#include <thread>
#include <vector>

#include "http/event_loops.hpp"

#include <boost/asio/bind_executor.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

namespace litellm::http {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using Tcp = net::ip::tcp;
// A connection's executor: its io_context's, which one thread runs, so no strand is needed.
using Strand = net::any_io_executor;

std::string_view Request::header(std::string_view name) const {
  for (const auto& [k, v] : headers) {
    if (core::iequals(k, name)) {
      return v;
    }
  }
  return {};
}

namespace {
// For when the handler cannot answer (it threw, or dropped the request): the front has no error
// table of its own, so this is the one fixed body, in the OpenAI error shape.
Reply last_resort_500(const std::string& message) {
  Reply r;
  r.response.status = 500;
  r.response.body = R"({"error":{"message":")" + message +
                    R"(","type":"internal_server_error","param":null,"code":"500"}})";
  return r;
}
}  // namespace

// Shared between the connection coroutine and whoever holds a Responder.
struct Responder::State {
  std::mutex mu;
  // Hands the reply to the connection's coroutine; empty once used. `may_resume_here`: the
  // caller's stack may be left to the coroutine (see call_handler).
  std::function<void(Reply, bool may_resume_here)> deliver;
  std::function<void()> disconnect_hook;
  bool disconnected = false;

  State() = default;
  State(const State&) = delete;
  State& operator=(const State&) = delete;
  ~State() {
    if (deliver) {
      deliver(last_resort_500("Internal Server Error: request was dropped"), false);
    }
  }
};

Responder Responder::to_function(std::function<void(Reply)> deliver) {
  auto state = std::make_shared<State>();
  state->deliver = [deliver = std::move(deliver)](Reply r, bool /*may_resume_here*/) {
    deliver(std::move(r));
  };
  return Responder(std::move(state));
}

void Responder::reply(Reply reply) const {
  std::function<void(Reply, bool)> deliver;
  {
    std::lock_guard lock(state_->mu);
    deliver = std::move(state_->deliver);
    state_->deliver = nullptr;
  }
  if (deliver) {
    deliver(std::move(reply), true);
  }
}

void Responder::on_disconnect(std::function<void()> hook) const {
  {
    std::lock_guard lock(state_->mu);
    if (!state_->disconnected) {
      state_->disconnect_hook = std::move(hook);
      return;
    }
  }
  if (hook) {
    hook();  // already gone: run it now, outside the lock
  }
}

namespace {

void fire_disconnect(const std::shared_ptr<Responder::State>& state) {
  std::function<void()> hook;
  {
    std::lock_guard lock(state->mu);
    if (state->disconnected) {
      return;
    }
    state->disconnected = true;
    hook = std::move(state->disconnect_hook);
  }
  if (hook) {
    hook();
  }
}

struct Connection {
  explicit Connection(Tcp::socket socket) : stream(std::move(socket)) {}
  beast::tcp_stream stream;
  std::atomic<bool> idle{true};
  std::size_t loop = 0;
  std::shared_ptr<ResponseStream> active_stream;  // touched on the strand only
};

}  // namespace

struct ServerFront::Impl {
  ServerOptions options;
  Handler handler;
  core::Logger& logger;
  // A connection lives on one loop from accept to close, so its handlers never hop threads (each
  // hop costs a wake-up, measured at ~20 us here).
  EventLoops& loops;
  std::size_t next_loop = 0;
  net::io_context& ioc;  // loop 0: acceptor, timers
  Tcp::acceptor acceptor;
  std::atomic<bool> draining{false};
  std::atomic<int> in_flight{0};
  std::mutex conns_mu;
  std::list<std::weak_ptr<Connection>> conns;  // guarded by conns_mu
  std::uint64_t accepted = 0;                  // guarded by conns_mu

  Impl(ServerOptions o, Handler h, EventLoops& l, core::Logger& log)
      : options(std::move(o)),
        handler(std::move(h)),
        logger(log),
        loops(l),
        ioc(l.loop(0)),
        acceptor(ioc) {}

  net::awaitable<void> accept_loop();
  void start_connection(Tcp::socket socket, std::size_t loop);
  net::awaitable<void> serve(std::shared_ptr<Connection> conn);
  net::awaitable<Reply> call_handler(Request& req, std::shared_ptr<Responder::State> state,
                                     Strand strand);
  // `head_only`: the answer to a HEAD request, which has the GET's head and no body.
  net::awaitable<bool> write_reply(Connection& conn, Reply& reply, bool keep_alive,
                                   bool head_only) const;
  void watch_disconnect(const std::shared_ptr<Connection>& conn,
                        const std::shared_ptr<Responder::State>& state);
  void close_idle();
  void close_all();
};

ServerFront::ServerFront(ServerOptions options, Handler handler, EventLoops& loops,
                         core::Logger& logger)
    : impl_(std::make_unique<Impl>(std::move(options), std::move(handler), loops, logger)) {}

ServerFront::~ServerFront() = default;

Result<std::uint16_t> ServerFront::listen() {
  beast::error_code ec;
  const auto address = net::ip::make_address(impl_->options.host, ec);
  if (ec) {
    return Error::make(ErrorCode::Config, "invalid --host '" + impl_->options.host + "'");
  }
  Tcp::endpoint ep{address, impl_->options.port};
  auto& acc = impl_->acceptor;
  acc.open(ep.protocol(), ec);
  if (!ec) {
    acc.set_option(net::socket_base::reuse_address(true), ec);
  }
  if (!ec) {
    acc.bind(ep, ec);
  }
  if (!ec) {
    acc.listen(net::socket_base::max_listen_connections, ec);
  }
  if (ec) {
    return Error::make(ErrorCode::Config, "cannot listen on " + impl_->options.host + ":" +
                                              std::to_string(impl_->options.port) + ": " +
                                              ec.message());
  }
  return acc.local_endpoint().port();
}

void ServerFront::run() {
  net::co_spawn(impl_->ioc, impl_->accept_loop(), net::detached);
  impl_->loops.run();
}

void ServerFront::stop(std::chrono::milliseconds grace) {
  net::post(impl_->ioc, [impl = impl_.get(), grace] {
    if (impl->draining.exchange(true)) {
      return;
    }
    beast::error_code ec;
    impl->acceptor.close(ec);
    impl->close_idle();
    const auto deadline = std::chrono::steady_clock::now() + grace;
    auto timer = std::make_shared<net::steady_timer>(impl->ioc);
    auto check = std::make_shared<std::function<void()>>();
    *check = [impl, deadline, timer, check] {
      if (impl->in_flight.load() == 0 || std::chrono::steady_clock::now() >= deadline) {
        impl->close_all();
        // Each loop runs its queue in order: the cancels and closes posted above run before the
        // stop posted here, so no connection is cut short by it.
        for (std::size_t i = 0; i < impl->loops.size(); ++i) {
          auto& loop = impl->loops.loop(i);
          net::post(loop, [&loop] { loop.stop(); });
        }
        *check = nullptr;  // break the self-reference
        return;
      }
      impl->close_idle();
      timer->expires_after(std::chrono::milliseconds(10));
      timer->async_wait([check](beast::error_code) {
        if (*check) {
          (*check)();
        }
      });
    };
    (*check)();
  });
}

void ServerFront::Impl::close_idle() {
  std::lock_guard lock(conns_mu);
  for (auto it = conns.begin(); it != conns.end();) {
    auto c = it->lock();
    if (!c) {
      it = conns.erase(it);
      continue;
    }
    if (c->idle.load()) {
      net::post(c->stream.get_executor(), [c] { c->stream.socket().close(); });
    }
    ++it;
  }
}

void ServerFront::Impl::close_all() {
  std::lock_guard lock(conns_mu);
  for (auto& w : conns) {
    if (auto c = w.lock()) {
      net::post(c->stream.get_executor(), [c] {
        if (c->active_stream) {
          c->active_stream->cancel();
        }
        c->stream.socket().close();
      });
    }
  }
}

net::awaitable<void> ServerFront::Impl::accept_loop() {
  for (;;) {
    beast::error_code ec;
    const std::size_t loop = next_loop++ % loops.size();
    Tcp::socket socket = co_await acceptor.async_accept(
        loops.loop(loop).get_executor(), net::redirect_error(net::use_awaitable, ec));
    if (ec) {
      if (!acceptor.is_open() || draining.load()) {
        co_return;
      }
      // EMFILE and friends: log, breathe, keep accepting.
      logger.warn("accept failed: " + ec.message());
      net::steady_timer t(ioc, std::chrono::milliseconds(50));
      co_await t.async_wait(net::redirect_error(net::use_awaitable, ec));
      continue;
    }
    start_connection(std::move(socket), loop);
    // A burst of connections waits in the backlog: take them all now rather than one per turn
    // of the loop, which is busy with everyone else's traffic.
    acceptor.non_blocking(true, ec);
    for (;;) {
      const std::size_t next = next_loop++ % loops.size();
      Tcp::socket more(loops.loop(next));
      acceptor.accept(more, ec);
      if (ec) {
        break;
      }
      start_connection(std::move(more), next);
    }
  }
}

void ServerFront::Impl::start_connection(Tcp::socket socket, std::size_t loop) {
  beast::error_code ec;
  socket.set_option(Tcp::no_delay(true), ec);
  // Synchronous writes (write_reply) must return would_block, not wait.
  socket.non_blocking(true, ec);
  auto conn = std::make_shared<Connection>(std::move(socket));
  conn->loop = loop;
  {
    std::lock_guard lock(conns_mu);
    conns.push_back(conn);
    // Forget closed connections now and then, so a long-lived daemon's list stays as long as
    // its open connections.
    if (++accepted % 1024 == 0) {
      conns.remove_if([](const std::weak_ptr<Connection>& w) { return w.expired(); });
    }
  }
  net::co_spawn(conn->stream.get_executor(), serve(conn), net::detached);
}

void ServerFront::Impl::watch_disconnect(const std::shared_ptr<Connection>& conn,
                                         const std::shared_ptr<Responder::State>& state) {
  // Readable while we are still answering means either a pipelined request (leave it) or EOF /
  // reset (the client is gone: cancel its upstream work now rather than at the next write).
  std::weak_ptr<Responder::State> weak = state;
  conn->stream.socket().async_wait(Tcp::socket::wait_read, [conn, weak](beast::error_code ec) {
    if (ec) {
      return;
    }
    auto s = weak.lock();
    if (!s) {
      return;
    }
    char c = 0;
    const auto n = ::recv(conn->stream.socket().native_handle(), &c, 1, MSG_PEEK | MSG_DONTWAIT);
    if (n == 0 || (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK)) {
      fire_disconnect(s);
    }
  });
}

net::awaitable<Reply> ServerFront::Impl::call_handler(Request& req,
                                                      std::shared_ptr<Responder::State> state,
                                                      Strand strand) {
  co_return co_await net::async_initiate<decltype(net::use_awaitable), void(Reply)>(
      [&](auto completion) {
        using C = decltype(completion);
        struct Held {
          C completion;
          bool initiating = true;  // handler() below has not returned yet
        };
        auto held = std::make_shared<Held>(Held{std::move(completion)});
        {
          std::lock_guard lock(state->mu);
          // A reply made on this connection's loop after the handler returned (an upstream's
          // answer) resumes the coroutine here: a post would cost a turn of the loop, and an
          // epoll_wait, per request. From another thread, from inside the handler (the
          // coroutine is still suspending) or from ~State (a destructor's stack), it is posted.
          state->deliver = [held, strand](Reply r, bool may_resume_here) {
            const auto* loop = strand.target<net::io_context::executor_type>();
            if (may_resume_here && !held->initiating && loop != nullptr &&
                loop->running_in_this_thread()) {
              held->completion(std::move(r));
              return;
            }
            net::post(strand,
                      [held, r = std::move(r)]() mutable { held->completion(std::move(r)); });
          };
        }
        // The Responder takes the only strong reference: if the handler drops it unanswered
        // (a cancelled call), ~State answers 500 and this coroutine resumes. A reference kept
        // in this frame would wait forever.
        Responder responder(std::move(state));
        try {
          handler(req, responder);
        } catch (const std::exception& e) {
          logger.error(std::string("handler threw: ") + e.what());
          responder.reply(last_resort_500("Internal Server Error"));
        }
        held->initiating = false;
      },
      net::use_awaitable);
}

namespace {

// The head of a whole answer, made by hand: Beast's field list costs an allocation per header
// and its serializer a pass over them, on every request.
std::string whole_response_head(const Response& r, bool keep_alive) {
  const auto reason = bhttp::obsolete_reason(static_cast<bhttp::status>(r.status));
  const std::string length = std::to_string(r.body.size());
  std::size_t size = 80 + reason.size() + r.content_type.size() + length.size();
  for (const auto& [k, v] : r.headers) {
    size += k.size() + v.size() + 4;
  }
  std::string head;
  head.reserve(size);
  head.append("HTTP/1.1 ").append(std::to_string(r.status)).append(" ");
  head.append(reason.data(), reason.size()).append("\r\n");
  head.append("Content-Type: ").append(r.content_type).append("\r\n");
  for (const auto& [k, v] : r.headers) {
    // The framing is ours to write; a header that would end the head early is dropped.
    if (core::has_line_break(k) || core::has_line_break(v) || beast::iequals(k, "Content-Length") ||
        beast::iequals(k, "Transfer-Encoding") || beast::iequals(k, "Connection")) {
      continue;
    }
    head.append(k).append(": ").append(v).append("\r\n");
  }
  head.append("Content-Length: ").append(length).append("\r\n");
  if (!keep_alive) {
    head.append("Connection: close\r\n");
  }
  head.append("\r\n");
  return head;
}

}  // namespace

net::awaitable<bool> ServerFront::Impl::write_reply(Connection& conn, Reply& reply, bool keep_alive,
                                                    bool head_only) const {
  beast::error_code ec;
  auto& stream = conn.stream;
  if (!reply.stream) {
    const std::string head = whole_response_head(reply.response, keep_alive);
    const std::array<net::const_buffer, 2> buffers{
        net::buffer(head),
        net::buffer(reply.response.body.data(), head_only ? 0 : reply.response.body.size())};
    const std::size_t size = net::buffer_size(buffers);
    // Written at once when the socket takes it all (the usual case): an asynchronous write's
    // completion would take a turn of the loop. What does not fit goes out asynchronously.
    const std::size_t written = stream.socket().write_some(buffers, ec);
    if (ec == net::error::would_block || ec == net::error::try_again) {
      ec = {};
    }
    if (!ec && written < size) {
      beast::buffers_suffix<std::array<net::const_buffer, 2>> rest(buffers);
      rest.consume(written);
      stream.expires_after(options.write_timeout);
      co_await net::async_write(stream, rest, net::redirect_error(net::use_awaitable, ec));
    }
    co_return !ec;
  }
  bhttp::response<bhttp::empty_body> head{static_cast<bhttp::status>(reply.response.status), 11};
  head.set(bhttp::field::content_type, reply.response.content_type);
  head.set(bhttp::field::cache_control, "no-cache");
  for (const auto& [k, v] : reply.response.headers) {
    head.insert(k, v);
  }
  head.keep_alive(keep_alive);
  head.chunked(true);
  bhttp::response_serializer<bhttp::empty_body> sr{head};
  stream.expires_after(options.write_timeout);
  co_await bhttp::async_write_header(stream, sr, net::redirect_error(net::use_awaitable, ec));
  auto source = reply.stream;
  conn.active_stream = source;
  const auto strand = stream.get_executor();
  while (!ec) {
    stream.expires_never();
    StreamPiece piece =
        co_await net::async_initiate<decltype(net::use_awaitable), void(StreamPiece)>(
            [&](auto completion) {
              auto held = std::make_shared<decltype(completion)>(std::move(completion));
              source->next([held, strand](StreamPiece p) {
                net::post(strand, [held, p = std::move(p)]() mutable { (*held)(std::move(p)); });
              });
            },
            net::use_awaitable);
    stream.expires_after(options.write_timeout);
    if (!piece.data.empty()) {
      co_await net::async_write(stream, bhttp::make_chunk(net::buffer(piece.data)),
                                net::redirect_error(net::use_awaitable, ec));
    }
    if (piece.done) {
      if (!ec) {
        co_await net::async_write(stream, bhttp::make_chunk_last(),
                                  net::redirect_error(net::use_awaitable, ec));
      }
      break;
    }
  }
  conn.active_stream.reset();
  if (ec) {
    source->cancel();
  }
  co_return !ec;
}

namespace {

// Parses a request straight into our Request: method, target, headers and body, with no Beast
// field list in between (an allocation per header, then copied out).
class RequestParser final : public bhttp::basic_parser<true> {
 public:
  RequestParser(Request& req, std::uint64_t body_limit_bytes) : req_(req) {
    body_limit(body_limit_bytes);
    header_limit(64 * 1024);
    req_.headers.reserve(16);
  }
  bool expects_continue() const { return expects_continue_; }

 private:
  void on_request_impl(bhttp::verb, beast::string_view method, beast::string_view target, int,
                       beast::error_code&) override {
    req_.method.assign(method.data(), method.size());
    req_.target.assign(target.data(), target.size());
  }
  void on_response_impl(int, beast::string_view, int, beast::error_code&) override {}
  void on_field_impl(bhttp::field name, beast::string_view name_string, beast::string_view value,
                     beast::error_code&) override {
    if (name == bhttp::field::expect && beast::iequals(value, "100-continue")) {
      expects_continue_ = true;
    }
    req_.headers.emplace_back(std::string(name_string.data(), name_string.size()),
                              std::string(value.data(), value.size()));
  }
  void on_header_impl(beast::error_code&) override {}
  void on_body_init_impl(const boost::optional<std::uint64_t>& length,
                         beast::error_code&) override {
    if (length) {
      req_.body.reserve(static_cast<std::size_t>(*length));  // under the body limit by now
    }
  }
  std::size_t on_body_impl(beast::string_view bytes, beast::error_code&) override {
    req_.body.append(bytes.data(), bytes.size());
    return bytes.size();
  }
  void on_chunk_header_impl(std::uint64_t, beast::string_view, beast::error_code&) override {}
  std::size_t on_chunk_body_impl(std::uint64_t, beast::string_view bytes,
                                 beast::error_code& ec) override {
    return on_body_impl(bytes, ec);
  }
  void on_finish_impl(beast::error_code&) override {}

  Request& req_;
  bool expects_continue_ = false;
};

// Feeds the parser what is already in `buffer`. Leaves `ec` set only for a real error (such as
// body_limit); the message may still be incomplete.
void parse_buffered(RequestParser& parser, beast::flat_buffer& buffer, beast::error_code& ec) {
  while (!parser.is_done() && buffer.size() > 0) {
    const auto n = parser.put(buffer.data(), ec);
    buffer.consume(n);
    if (ec == bhttp::error::need_more) {
      ec = {};
      return;
    }
    if (ec || n == 0) {
      return;
    }
  }
}

}  // namespace

net::awaitable<void> ServerFront::Impl::serve(std::shared_ptr<Connection> conn) {
  beast::flat_buffer buffer;
  beast::error_code ec;
  std::string remote_ip;
  {
    auto ep = conn->stream.socket().remote_endpoint(ec);
    if (!ec) {
      remote_ip = ep.address().to_string();
    }
  }
  const auto strand = conn->stream.get_executor();
  for (;;) {
    if (draining.load()) {
      break;
    }
    Request req;
    RequestParser parser(req, options.body_limit_bytes);
    conn->idle.store(true);
    conn->stream.expires_after(options.idle_timeout);
    co_await bhttp::async_read_header(conn->stream, buffer, parser,
                                      net::redirect_error(net::use_awaitable, ec));
    conn->idle.store(false);
    // A Content-Length over the limit fails the header read itself; the headers are in.
    bool refused = ec == bhttp::error::body_limit;
    if (ec && !refused) {
      break;  // EOF, idle timeout, reset, or garbage instead of HTTP
    }
    if (!refused) {
      // The body mostly came in with the headers: parsed from the buffer here it costs no
      // asynchronous read, whose completion would take a turn of the loop.
      parse_buffered(parser, buffer, ec);
      if (!ec && !parser.is_done() && parser.expects_continue()) {
        // curl asks this for bodies over 1 MB (older curl: 1 KB) and waits a second for the answer
        // before it sends the body anyway.
        static constexpr std::string_view kContinue = "HTTP/1.1 100 Continue\r\n\r\n";
        conn->stream.expires_after(options.write_timeout);
        co_await net::async_write(conn->stream, net::buffer(kContinue.data(), kContinue.size()),
                                  net::redirect_error(net::use_awaitable, ec));
      }
      if (!ec && !parser.is_done()) {
        co_await bhttp::async_read(conn->stream, buffer, parser,
                                   net::redirect_error(net::use_awaitable, ec));
      }
      if (ec == bhttp::error::body_limit) {
        refused = true;
      } else if (ec) {
        break;
      }
    }
    if (refused) {
      req.error = Error::make(ErrorCode::PayloadTooLarge,
                              "Request body is larger than the limit of " +
                                  std::to_string(options.body_limit_bytes) +
                                  " bytes (general_settings.max_request_size_mb).");
    }
    const auto q = req.target.find('?');
    req.path = req.target.substr(0, q);
    req.query = q == std::string::npos ? std::string() : req.target.substr(q + 1);
    if (refused) {
      req.body.clear();  // a chunked body stopped at the limit
    }
    req.remote_ip = remote_ip;
    req.loop = conn->loop;
    const bool keep_alive = !refused && parser.keep_alive();  // (only asked of a whole head)

    in_flight.fetch_add(1);
    auto state = std::make_shared<Responder::State>();
    std::weak_ptr<Responder::State> weak_state = state;
    if (!refused) {
      watch_disconnect(conn, state);
    }
    const bool head_only = req.method == "HEAD";  // read before the handler may take req apart
    Reply reply = co_await call_handler(req, std::move(state), strand);
    const bool ok = co_await write_reply(*conn, reply, keep_alive && !draining.load(), head_only);
    in_flight.fetch_sub(1);
    if (!ok) {
      if (auto s = weak_state.lock()) {
        fire_disconnect(s);
      }
      break;
    }
    if (!keep_alive) {
      break;
    }
    // The disconnect watch would otherwise fire on the next request's bytes and cost a peek.
    conn->stream.socket().cancel(ec);
  }
  if (conn->stream.socket().is_open()) {
    conn->stream.socket().shutdown(Tcp::socket::shutdown_send, ec);
    // Drain briefly so a client still sending a refused body reads our answer instead of a reset
    // (closing with unread bytes makes the kernel answer RST, which can destroy our response).
    conn->stream.expires_after(std::chrono::seconds(2));
    char sink[16384];
    std::size_t drained = 0;
    constexpr std::size_t kMaxDrainBytes = std::size_t{256} * 1024 * 1024;
    while (drained < kMaxDrainBytes) {
      const std::size_t n = co_await conn->stream.async_read_some(
          net::buffer(sink), net::redirect_error(net::use_awaitable, ec));
      if (ec) {
        break;
      }
      drained += n;
    }
    conn->stream.socket().close(ec);
  }
}

}  // namespace litellm::http
