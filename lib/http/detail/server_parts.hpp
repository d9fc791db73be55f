#pragma once

// The server front's parts, shared by its files (server_front.cpp: accepting and serving
// connections; responder.cpp: answering through a Responder; request_parser.cpp: requests read
// into Request; response_writer.cpp: replies written). Private to lib/http.
#include <sys/socket.h>

#include <array>
#include <atomic>
#include <list>
#include <mutex>
#include <thread>
#include <vector>

#include "http/event_loops.hpp"
#include "http/server_front.hpp"

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

// For when the handler cannot answer (it threw, or dropped the request): the front has no error
// table of its own, so this is the one fixed body, in the OpenAI error shape.
Reply last_resort_500(const std::string& message);

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

// The client went away: the Responder's disconnect hook runs, once.
void fire_disconnect(const std::shared_ptr<Responder::State>& state);

struct ClientConnection {
  explicit ClientConnection(Tcp::socket socket) : stream(std::move(socket)) {}
  beast::tcp_stream stream;
  std::atomic<bool> idle{true};
  std::size_t loop = 0;
  std::shared_ptr<ResponseStream> active_stream;  // touched on the strand only
};

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
  std::list<std::weak_ptr<ClientConnection>> conns;  // guarded by conns_mu
  std::uint64_t accepted = 0;                        // guarded by conns_mu

  Impl(ServerOptions o, Handler h, EventLoops& l, core::Logger& log)
      : options(std::move(o)),
        handler(std::move(h)),
        logger(log),
        loops(l),
        ioc(l.loop(0)),
        acceptor(ioc) {}

  net::awaitable<void> accept_loop();
  void start_connection(Tcp::socket socket, std::size_t loop);
  net::awaitable<void> serve(std::shared_ptr<ClientConnection> conn);
  net::awaitable<Reply> call_handler(Request& req, std::shared_ptr<Responder::State> state,
                                     Strand strand);
  // `head_only`: the answer to a HEAD request, which has the GET's head and no body.
  net::awaitable<bool> write_reply(ClientConnection& conn, Reply& reply, bool keep_alive,
                                   bool head_only) const;
  void watch_disconnect(const std::shared_ptr<ClientConnection>& conn,
                        const std::shared_ptr<Responder::State>& state);
  void close_idle();
  void close_all();
};

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
void parse_buffered(RequestParser& parser, beast::flat_buffer& buffer, beast::error_code& ec);

// The head of a whole answer, made by hand: Beast's field list costs an allocation per header
// and its serializer a pass over them, on every request.
std::string whole_response_head(const Response& r, bool keep_alive);

}  // namespace litellm::http
