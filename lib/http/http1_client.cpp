#include "http/http1_client.hpp"

#include <algorithm>
#include <array>
#include <atomic>
#include <charconv>
#include <chrono>
#include <deque>
#include <limits>
#include <unordered_map>
#include <vector>

#include "http/connect_pacer.hpp"

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/buffers_suffix.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/basic_parser.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/read.hpp>

namespace litellm::http {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using Tcp = net::ip::tcp;
using Clock = std::chrono::steady_clock;
using boost::system::error_code;

namespace {

constexpr std::size_t kMaxIdlePerHost = 256;
// Servers drop idle keep-alive connections (uvicorn after 5 s); one idle this long is not tried.
constexpr auto kMaxIdleAge = std::chrono::seconds(60);
constexpr std::uint32_t kHeaderLimit = std::uint32_t{256} * 1024;
constexpr std::size_t kReadChunk = std::size_t{16} * 1024;
// Not boost::none: Boost 1.74's parser compares a Content-Length with the unset limit and fails.
constexpr std::uint64_t kNoBodyLimit = std::numeric_limits<std::uint64_t>::max();

bool is_2xx(int status) {
  return status >= 200 && status < 300;
}

// What a reused connection that the upstream had closed looks like on its next request.
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

// An answer's head goes straight into our Headers and its body onto a string: Beast's own
// response parsers first build their field list, an allocation per header, which was then
// copied out.
class AnswerParser final : public bhttp::basic_parser<false> {
 public:
  // `headers` receives the head; body bytes are appended to `body` as they are parsed.
  AnswerParser(core::Headers& headers, std::string& body) : headers_(headers), body_(body) {
    headers_.clear();
    body_limit(kNoBodyLimit);
    header_limit(kHeaderLimit);
  }
  int status() const { return status_; }

 private:
  void on_request_impl(bhttp::verb, beast::string_view, beast::string_view, int,
                       error_code&) override {}
  void on_response_impl(int code, beast::string_view, int, error_code&) override { status_ = code; }
  void on_field_impl(bhttp::field, beast::string_view name, beast::string_view value,
                     error_code&) override {
    headers_.emplace_back(std::string(name.data(), name.size()),
                          std::string(value.data(), value.size()));
  }
  void on_header_impl(error_code&) override {}
  void on_body_init_impl(const boost::optional<std::uint64_t>& length, error_code&) override {
    if (length && *length <= kReadChunk * 64) {
      body_.reserve(body_.size() + static_cast<std::size_t>(*length));
    }
  }
  std::size_t on_body_impl(beast::string_view bytes, error_code&) override {
    body_.append(bytes.data(), bytes.size());
    return bytes.size();
  }
  void on_chunk_header_impl(std::uint64_t, beast::string_view, error_code&) override {}
  std::size_t on_chunk_body_impl(std::uint64_t, beast::string_view bytes, error_code& ec) override {
    return on_body_impl(bytes, ec);
  }
  void on_finish_impl(error_code&) override {}

  core::Headers& headers_;
  std::string& body_;
  int status_ = 0;
};

struct Connection {
  // Beast reads as much as the buffer has room for, 512 bytes at first: an answer of a few KB
  // took several reads, each a turn of the loop.
  explicit Connection(net::io_context& ioc) : socket(ioc) { buffer.reserve(kReadChunk); }
  Tcp::socket socket;
  beast::flat_buffer buffer;
  Clock::time_point idle_since{};
};

}  // namespace

namespace {

// host and port of an authority (`host`, `host:port`, `[v6]`, `[v6]:port`); false if malformed.
bool split_authority(std::string_view authority, std::string_view& host, std::string_view& port) {
  host = authority;
  port = {};
  if (authority.front() == '[') {
    const auto close = authority.find(']');
    if (close == std::string_view::npos) {
      return false;
    }
    host = authority.substr(1, close - 1);
    const auto after = authority.substr(close + 1);
    if (!after.empty() && after.front() != ':') {
      return false;
    }
    port = after.empty() ? after : after.substr(1);
  } else if (const auto colon = authority.rfind(':'); colon != std::string_view::npos) {
    host = authority.substr(0, colon);
    port = authority.substr(colon + 1);
  }
  return !host.empty();
}

std::optional<unsigned> port_number(std::string_view port) {
  if (port.empty()) {
    return 80;
  }
  unsigned number = 0;
  const auto [p, err] = std::from_chars(port.data(), port.data() + port.size(), number);
  if (err != std::errc() || p != port.data() + port.size() || number == 0 || number > 65535) {
    return std::nullopt;
  }
  return number;
}

bool has_space_or_control(std::string_view s) {
  return std::any_of(s.begin(), s.end(),
                     [](char c) { return static_cast<unsigned char>(c) <= ' ' || c == 0x7f; });
}

}  // namespace

std::optional<PlainHttpUrl> parse_plain_http_url(std::string_view url) {
  constexpr std::string_view kScheme = "http://";
  if (url.size() <= kScheme.size() || !core::iequals(url.substr(0, kScheme.size()), kScheme) ||
      has_space_or_control(url)) {
    return std::nullopt;
  }
  url.remove_prefix(kScheme.size());
  const auto end = url.find_first_of("/?#");
  const std::string_view authority = url.substr(0, end);
  std::string_view rest = end == std::string_view::npos ? std::string_view() : url.substr(end);
  std::string_view host;
  std::string_view port;
  if (authority.empty() || authority.find('@') != std::string_view::npos ||
      !split_authority(authority, host, port)) {
    return std::nullopt;  // user info in the URL is libcurl's to turn into a header
  }
  const auto number = port_number(port);
  if (!number) {
    return std::nullopt;
  }
  if (const auto hash = rest.find('#'); hash != std::string_view::npos) {
    rest = rest.substr(0, hash);
  }
  PlainHttpUrl u;
  u.host = std::string(host);
  u.port = std::to_string(*number);
  u.target = rest.empty() || rest.front() != '/' ? "/" + std::string(rest) : std::string(rest);
  // The Host header names the port only when it is not the default, as libcurl's does.
  const auto written =
      port.empty() ? authority : authority.substr(0, authority.size() - port.size() - 1);
  u.host_header = *number == 80 ? std::string(written) : std::string(authority);
  return u;
}

class Http1Transfer;

struct Http1Client::Impl {
  explicit Impl(net::io_context& io)
      : ioc(io),
        resolver(io),
        pacer(io, [this](const std::string& key) { wake_one(key); }),
        timer(io) {}

  std::unique_ptr<Connection> checkout(const std::string& key);
  void checkin(const std::string& key, std::unique_ptr<Connection> c);
  // The first transfer still waiting for `key` tries again, on the next turn of the loop.
  void wake_one(const std::string& key);
  // Makes sure the timer fires by `at`; a later deadline costs nothing (no re-arm).
  void watch(Clock::time_point at);
  void arm(Clock::time_point at);
  void on_timer();

  net::io_context& ioc;
  Tcp::resolver resolver;
  std::unordered_map<std::string, std::vector<std::unique_ptr<Connection>>> idle;
  // New connections per host:port: a burst waits for the ones opening to be taken by the
  // upstream (connect_pacer.hpp), or for a connection put back.
  ConnectPacer pacer;
  // Transfers waiting for a connect slot or a connection put back, oldest first. Held as an
  // operation in flight holds its transfer: one its owner let go of still ends with its callback.
  std::unordered_map<std::string, std::deque<std::shared_ptr<Http1Transfer>>> waiting;
  // Transfers under way, for the deadline sweep. A transfer dropped by its owner without a
  // cancel is found expired here and forgotten.
  std::unordered_map<Http1Transfer*, std::weak_ptr<Http1Transfer>> active;
  // One timer for every transfer on the loop, armed for the earliest deadline it knows of:
  // deadlines are mostly later than the armed one, so a request usually re-arms nothing (a
  // timerfd_settime per request is dear on this VM).
  net::steady_timer timer;
  std::optional<Clock::time_point> timer_at;
  std::uint64_t timer_generation = 0;
  bool stopped = false;
};

class Http1Transfer final : public Transfer, public std::enable_shared_from_this<Http1Transfer> {
 public:
  Http1Transfer(Http1Client::Impl& client, PlainHttpUrl url, core::UpstreamRequest request,
                Upstream::Done done, std::shared_ptr<StreamSink> sink)
      : client_(client),
        url_(std::move(url)),
        req_(std::move(request)),
        done_(std::move(done)),
        sink_(std::move(sink)),
        key_(url_.host + ":" + url_.port) {}

  void cancel() override {
    if (cancelled_.exchange(true)) {
      return;
    }
    net::post(client_.ioc, [self = shared_from_this()] {
      if (!self->client_.stopped) {
        self->end_quietly();
      }
    });
  }

  void resume() override {
    net::post(client_.ioc, [self = shared_from_this()] {
      if (self->paused_ && !self->over()) {
        self->paused_ = false;
        self->deliver(self->pending_);
      }
    });
  }

  void begin();
  // A transfer that waited for a connect slot tries again.
  void resume_waiting();
  void time_out();
  // Shutdown: the loop is stopped; no callback runs again.
  void abandon() {
    finished_ = true;
    close();
  }
  Clock::time_point deadline() const { return deadline_; }

 private:
  bool over() const { return finished_ || cancelled_.load() || client_.stopped; }
  void build_head();
  // A connection put back, else a connect if fewer than the bound are under way, else a wait.
  void go();
  void connect();
  // The new connection this transfer opened stops counting as opening: `answered` when an
  // answer came back on it.
  void opened(bool answered);
  void connect_to(const Tcp::resolver::results_type& endpoints);
  void write_request();
  void on_write_error(const error_code& ec);
  void await_answer();
  void read_whole();
  void read_head();
  void read_body();
  void deliver(std::string_view bytes);
  void complete();
  // The one way a transfer ends with its callback: the answer or the error, once.
  void end_with(Result<core::UpstreamResponse> outcome);
  // True when reading the answer (or its head) failed: the transfer has ended or gone out again.
  bool read_failed(const error_code& ec, bool got_bytes);
  // A reused connection the upstream had closed: once, the request goes out on a new one.
  bool retry_if_stale(const error_code& ec, bool got_bytes);
  void fail(Error e);
  void fail(const error_code& ec, std::string_view during);  // "send", "receive"
  void fail_connect(const error_code& ec);
  void end_quietly();
  void close();
  void set_deadline(Clock::time_point at) {
    deadline_ = at;
    client_.watch(at);
  }
  Clock::time_point silence_deadline() const { return Clock::now() + req_.timeout; }

  Http1Client::Impl& client_;
  PlainHttpUrl url_;
  core::UpstreamRequest req_;
  Upstream::Done done_;
  std::shared_ptr<StreamSink> sink_;
  std::string key_;
  std::string head_;
  std::unique_ptr<Connection> conn_;
  bool reused_ = false;
  bool retried_ = false;
  ConnectPacer::Ticket opening_ = 0;  // a new connection still opening (client_.pacer), or 0
  Clock::time_point started_{};
  Clock::time_point deadline_ = Clock::time_point::max();
  std::optional<AnswerParser> parser_;
  std::string streamed_;      // a stream's bytes parsed by the last read, for the sink
  std::string_view pending_;  // bytes the sink paused on, in streamed_
  core::UpstreamResponse response_;
  bool paused_ = false;
  bool finished_ = false;
  std::atomic<bool> cancelled_{false};
};

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
  conn_ = std::make_unique<Connection>(client_.ioc);
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

std::unique_ptr<Connection> Http1Client::Impl::checkout(const std::string& key) {
  const auto it = idle.find(key);
  if (it == idle.end()) {
    return nullptr;
  }
  const auto now = Clock::now();
  while (!it->second.empty()) {
    auto c = std::move(it->second.back());
    it->second.pop_back();
    if (now - c->idle_since < kMaxIdleAge) {
      return c;
    }
  }
  return nullptr;
}

void Http1Client::Impl::checkin(const std::string& key, std::unique_ptr<Connection> c) {
  auto& list = idle[key];
  if (stopped || list.size() >= kMaxIdlePerHost) {
    return;
  }
  c->idle_since = Clock::now();
  // Reuse takes the newest, so after a burst the oldest would sit unused, each holding a
  // descriptor the upstream may have closed long ago: they go once they are too old to reuse.
  const auto too_old = c->idle_since - kMaxIdleAge;
  std::size_t old = 0;
  while (old < list.size() && list[old]->idle_since < too_old) {
    ++old;
  }
  list.erase(list.begin(), list.begin() + static_cast<std::ptrdiff_t>(old));
  list.push_back(std::move(c));
  wake_one(key);
}

void Http1Client::Impl::wake_one(const std::string& key) {
  if (waiting.empty()) {
    return;  // the usual case: no lookup
  }
  const auto it = waiting.find(key);
  if (it == waiting.end()) {
    return;
  }
  // Posted, as this runs inside another transfer's completion; one that ended meanwhile passes
  // the turn on when it runs (resume_waiting).
  net::post(ioc, [t = std::move(it->second.front())] { t->resume_waiting(); });
  it->second.pop_front();
  if (it->second.empty()) {
    waiting.erase(it);
  }
}

void Http1Client::Impl::watch(Clock::time_point at) {
  if (!timer_at || at < *timer_at) {
    arm(at);
  }
}

void Http1Client::Impl::arm(Clock::time_point at) {
  timer_at = at;
  const auto generation = ++timer_generation;
  timer.expires_at(at);
  timer.async_wait([this, generation](const error_code& ec) {
    if (ec || generation != timer_generation || stopped) {
      return;
    }
    timer_at.reset();
    on_timer();
  });
}

void Http1Client::Impl::on_timer() {
  const auto now = Clock::now();
  std::vector<std::shared_ptr<Http1Transfer>> due;
  std::optional<Clock::time_point> next;
  for (auto it = active.begin(); it != active.end();) {
    auto t = it->second.lock();
    if (!t) {
      it = active.erase(it);
      continue;
    }
    if (t->deadline() <= now) {
      due.push_back(std::move(t));
    } else if (t->deadline() != Clock::time_point::max()) {
      next = next ? std::min(*next, t->deadline()) : t->deadline();
    }
    ++it;
  }
  for (auto& t : due) {
    t->time_out();
  }
  if (next) {
    watch(*next);
  }
}

Http1Client::Http1Client(net::io_context& ioc) : impl_(std::make_unique<Impl>(ioc)) {}

Http1Client::~Http1Client() = default;

std::shared_ptr<Transfer> Http1Client::start(PlainHttpUrl url, core::UpstreamRequest request,
                                             Upstream::Done done,
                                             std::shared_ptr<StreamSink> sink) {
  auto t = std::make_shared<Http1Transfer>(*impl_, std::move(url), std::move(request),
                                           std::move(done), std::move(sink));
  // Asio never completes an operation inside its initiating call, so on the loop's own thread
  // the request is written at once and still no callback runs before this returns.
  if (impl_->ioc.get_executor().running_in_this_thread()) {
    t->begin();
  } else {
    net::post(impl_->ioc, [t] { t->begin(); });
  }
  return t;
}

void Http1Client::shutdown() {
  impl_->stopped = true;
  for (auto& [ptr, weak] : impl_->active) {
    if (auto t = weak.lock()) {
      t->abandon();
    }
  }
  impl_->active.clear();
  impl_->idle.clear();
  impl_->waiting.clear();
  impl_->pacer.shutdown();
  impl_->timer.cancel();
  impl_->resolver.cancel();
}

}  // namespace litellm::http
