#include "http/detail/server_parts.hpp"

namespace litellm::http {

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
  auto conn = std::make_shared<ClientConnection>(std::move(socket));
  conn->loop = loop;
  {
    std::lock_guard lock(conns_mu);
    conns.push_back(conn);
    // Forget closed connections now and then, so a long-lived daemon's list stays as long as
    // its open connections.
    if (++accepted % 1024 == 0) {
      conns.remove_if([](const std::weak_ptr<ClientConnection>& w) { return w.expired(); });
    }
  }
  net::co_spawn(conn->stream.get_executor(), serve(conn), net::detached);
}

void ServerFront::Impl::watch_disconnect(const std::shared_ptr<ClientConnection>& conn,
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

net::awaitable<void> ServerFront::Impl::serve(std::shared_ptr<ClientConnection> conn) {
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
