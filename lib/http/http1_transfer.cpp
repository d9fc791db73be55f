// One request on the built-in client: a connection (reused, or opened through the connect
// pacer), the request written, the answer read whole or streamed, and its end, once.
#include "http/detail/http1_parts.hpp"

namespace litellm::http {

bool is_stale_connection(const error_code& ec) {
  return ec == bhttp::error::end_of_stream || ec == net::error::eof ||
         ec == net::error::connection_reset || ec == net::error::broken_pipe;
}

std::string describe(const error_code& ec) {
  if (ec == bhttp::error::end_of_stream || ec == net::error::eof ||
      ec == bhttp::error::partial_message) {
    return "the upstream closed the connection before the response was complete";
  }
  return ec.message();
}

void Http1Transfer::begin() {
  if (over()) {
    return;
  }
  started_ = Clock::now();
  client_.active.insert_or_assign(this, weak_from_this());
  build_head();
  go();
}

void Http1Transfer::go() {
  conn_ = client_.checkout(key_);
  if (conn_) {
    reused_ = true;
    set_deadline(sink_ ? silence_deadline() : started_ + req_.timeout);
    write_request();
  } else if (client_.pacer.may_open(key_)) {
    connect();
  } else {
    // The wait counts against the connect timeout, as the connect itself would.
    set_deadline(started_ + std::min(req_.connect_timeout, req_.timeout));
    client_.waiting[key_].push_back(shared_from_this());
  }
}

void Http1Transfer::resume_waiting() {
  if (over()) {
    client_.wake_one(key_);  // ended since it was woken: the turn passes on
    return;
  }
  go();
}

void Http1Transfer::opened(bool answered) {
  if (opening_ == 0) {
    return;
  }
  const auto ticket = std::exchange(opening_, 0);
  if (answered) {
    client_.pacer.confirm(ticket);
  } else {
    client_.pacer.release(ticket);
  }
}

void Http1Transfer::build_head() {
  std::size_t size = 64 + req_.method.size() + url_.target.size() + url_.host_header.size();
  for (const auto& [k, v] : req_.headers) {
    size += k.size() + v.size() + 4;
  }
  head_.reserve(size);
  head_.append(req_.method).append(" ").append(url_.target).append(" HTTP/1.1\r\n");
  bool has_host = false;
  bool has_length = false;
  bool has_accept = false;
  for (const auto& [k, v] : req_.headers) {
    if (core::has_line_break(k) || core::has_line_break(v) || core::iequals(k, "Expect") ||
        core::iequals(k, "Transfer-Encoding")) {
      continue;  // a header that would end the head early, or frame a body we do not send
    }
    has_host = has_host || core::iequals(k, "Host");
    has_length = has_length || core::iequals(k, "Content-Length");
    has_accept = has_accept || core::iequals(k, "Accept");
    head_.append(k).append(": ").append(v).append("\r\n");
  }
  if (!has_host) {
    head_.append("Host: ").append(url_.host_header).append("\r\n");
  }
  if (!has_accept) {
    head_.append("Accept: */*\r\n");
  }
  if (!has_length && (!req_.body.empty() || req_.method != "GET")) {
    head_.append("Content-Length: ").append(std::to_string(req_.body.size())).append("\r\n");
  }
  head_.append("\r\n");
}

void Http1Transfer::connect() {
  reused_ = false;
  if (opening_ == 0) {
    opening_ = client_.pacer.open(key_);
  }
  conn_ = std::make_unique<Http1Connection>(client_.ioc);
  set_deadline(started_ + std::min(req_.connect_timeout, req_.timeout));
  error_code ec;
  const auto address = net::ip::make_address(url_.host, ec);
  if (!ec) {
    const auto port = static_cast<unsigned short>(std::stoul(url_.port));
    connect_to(
        Tcp::resolver::results_type::create(Tcp::endpoint(address, port), url_.host, url_.port));
    return;
  }
  // Asio resolves on a thread of its own and answers on this loop: no blocking DNS here.
  client_.resolver.async_resolve(
      url_.host, url_.port,
      [self = shared_from_this()](const error_code& error,
                                  const Tcp::resolver::results_type& results) {
        if (self->over()) {
          return;
        }
        if (error) {
          self->opened(false);
          self->fail(Error::make(ErrorCode::UpstreamUnavailable,
                                 "Connection error: Could not resolve host: " + self->url_.host));
          return;
        }
        self->connect_to(results);
      });
}

void Http1Transfer::connect_to(const Tcp::resolver::results_type& endpoints) {
  net::async_connect(conn_->socket, endpoints,
                     [self = shared_from_this()](const error_code& ec, const Tcp::endpoint&) {
                       if (self->over()) {
                         return;
                       }
                       if (ec) {
                         self->opened(false);
                         self->fail_connect(ec);
                         return;
                       }
                       // Connected on our side; opening until the upstream acknowledges.
                       self->client_.pacer.watch(self->opening_,
                                                 self->conn_->socket.native_handle());
                       error_code ignored;
                       self->conn_->socket.set_option(Tcp::no_delay(true), ignored);
                       self->conn_->socket.non_blocking(true, ignored);  // for write_request
                       self->set_deadline(self->sink_ ? self->silence_deadline()
                                                      : self->started_ + self->req_.timeout);
                       self->write_request();
                     });
}

void Http1Transfer::write_request() {
  const std::array<net::const_buffer, 2> buffers{net::buffer(head_), net::buffer(req_.body)};
  // Most requests fit in the socket's send buffer: written here, the answer is awaited with no
  // turn of the loop in between (an asynchronous write completes through the loop's queue).
  error_code ec;
  const std::size_t written = conn_->socket.write_some(buffers, ec);
  if (ec == net::error::would_block || ec == net::error::try_again) {
    ec = {};
  }
  if (!ec && written == head_.size() + req_.body.size()) {
    await_answer();
    return;
  }
  if (ec) {
    on_write_error(ec);
    return;
  }
  beast::buffers_suffix<std::array<net::const_buffer, 2>> rest(buffers);
  rest.consume(written);
  net::async_write(conn_->socket, rest,
                   [self = shared_from_this()](const error_code& error, std::size_t) {
                     if (self->over()) {
                       return;
                     }
                     if (error) {
                       self->on_write_error(error);
                       return;
                     }
                     self->await_answer();
                   });
}

void Http1Transfer::on_write_error(const error_code& ec) {
  if (!retry_if_stale(ec, false)) {
    fail(ec, "send");
  }
}

void Http1Transfer::await_answer() {
  if (sink_) {
    read_head();
  } else {
    read_whole();
  }
}

void Http1Transfer::read_whole() {
  response_.body.clear();
  parser_.emplace(response_.headers, response_.body);
  bhttp::async_read(conn_->socket, conn_->buffer, *parser_,
                    [self = shared_from_this()](const error_code& ec, std::size_t) {
                      if (self->over() || self->read_failed(ec, self->parser_->got_some())) {
                        return;
                      }
                      if (self->parser_->status() / 100 == 1) {
                        self->read_whole();  // 100 Continue and the like: the answer follows
                        return;
                      }
                      self->response_.status = self->parser_->status();
                      self->complete();
                    });
}

void Http1Transfer::read_head() {
  streamed_.clear();
  parser_.emplace(response_.headers, streamed_);
  bhttp::async_read_header(conn_->socket, conn_->buffer, *parser_,
                           [self = shared_from_this()](const error_code& ec, std::size_t) {
                             if (self->over() || self->read_failed(ec, self->parser_->got_some())) {
                               return;
                             }
                             if (self->parser_->status() / 100 == 1) {
                               self->read_head();
                               return;
                             }
                             self->response_.status = self->parser_->status();
                             self->opened(true);
                             self->set_deadline(self->silence_deadline());
                             if (is_2xx(self->response_.status)) {
                               self->sink_->on_head(self->response_.status,
                                                    self->response_.headers);
                               if (self->over()) {
                                 return;
                               }
                             }
                             self->read_body();
                           });
}

void Http1Transfer::read_body() {
  if (parser_->is_done()) {
    complete();
    return;
  }
  streamed_.clear();
  bhttp::async_read_some(conn_->socket, conn_->buffer, *parser_,
                         [self = shared_from_this()](const error_code& ec, std::size_t) {
                           if (self->over()) {
                             return;
                           }
                           if (ec) {
                             self->fail(ec, "receive");
                             return;
                           }
                           self->set_deadline(self->silence_deadline());
                           self->deliver(self->streamed_);
                         });
}

void Http1Transfer::deliver(std::string_view bytes) {
  if (!bytes.empty()) {
    if (!is_2xx(response_.status)) {
      response_.body.append(bytes);  // an error answer is not streamed: it comes whole at the end
    } else if (!sink_->on_body(bytes)) {
      if (over()) {
        return;
      }
      // Silence while the client is slow is not the upstream's: no deadline until resumed.
      paused_ = true;
      pending_ = bytes;
      deadline_ = Clock::time_point::max();
      return;
    }
    if (over()) {
      return;
    }
  }
  pending_ = {};
  set_deadline(silence_deadline());
  read_body();
}

void Http1Transfer::complete() {
  const bool keep = parser_->keep_alive();
  if (keep && conn_->buffer.size() == 0) {
    client_.checkin(key_, std::move(conn_));
  } else {
    close();
  }
  end_with(std::move(response_));
}

void Http1Transfer::end_with(Result<core::UpstreamResponse> outcome) {
  finished_ = true;
  opened(outcome.has_value());
  client_.active.erase(this);
  auto done = std::move(done_);
  auto sink = std::move(sink_);
  if (sink) {
    sink->on_end(std::move(outcome));
  } else {
    done(std::move(outcome));
  }
}

bool Http1Transfer::read_failed(const error_code& ec, bool got_bytes) {
  if (!ec) {
    return false;
  }
  if (!retry_if_stale(ec, got_bytes)) {
    fail(ec, "receive");
  }
  return true;
}

bool Http1Transfer::retry_if_stale(const error_code& ec, bool got_bytes) {
  if (!reused_ || retried_ || got_bytes || !is_stale_connection(ec)) {
    return false;
  }
  retried_ = true;
  close();
  connect();
  return true;
}

void Http1Transfer::fail(const error_code& ec, std::string_view during) {
  fail(Error::make(ErrorCode::UpstreamUnavailable,
                   "Connection error: " + std::string(during) + " failed: " + describe(ec)));
}

void Http1Transfer::fail_connect(const error_code& ec) {
  // libcurl's wording, which users of either client see in the same place.
  fail(Error::make(ErrorCode::UpstreamUnavailable, "Connection error: Failed to connect to " +
                                                       url_.host + " port " + url_.port + ": " +
                                                       ec.message()));
}

void Http1Transfer::fail(Error e) {
  close();
  end_with(std::move(e));
}

void Http1Transfer::time_out() {
  if (over()) {
    return;
  }
  const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - started_);
  fail(Error::make(ErrorCode::Timeout, "Request timed out. No answer from the upstream after " +
                                           std::to_string(ms.count()) + " ms"));
}

void Http1Transfer::end_quietly() {
  finished_ = true;
  opened(false);
  close();
  client_.active.erase(this);
  done_ = nullptr;
  sink_.reset();
}

// The connection itself stays until the transfer goes: an operation that completed before the
// close may still be queued, and it writes into the connection's buffer before its handler runs
// and finds over().
void Http1Transfer::close() {
  if (conn_) {
    error_code ignored;
    conn_->socket.close(ignored);
  }
}

}  // namespace litellm::http
