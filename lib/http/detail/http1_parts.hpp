#pragma once

// The built-in HTTP/1.1 client's parts, shared by its files (http1_client.cpp: the connections
// and the deadline timer; http1_transfer.cpp: one request's life). Private to lib/http, as
// every detail/ header: Asio and Beast types appear only there and in lib/http's .cpp files.
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
#include "http/http1_client.hpp"

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

constexpr std::size_t kMaxIdlePerHost = 256;
// Servers drop idle keep-alive connections (uvicorn after 5 s); one idle this long is not tried.
constexpr auto kMaxIdleAge = std::chrono::seconds(60);
constexpr std::uint32_t kHeaderLimit = std::uint32_t{256} * 1024;
constexpr std::size_t kReadChunk = std::size_t{16} * 1024;
// Not boost::none: Boost 1.74's parser compares a Content-Length with the unset limit and fails.
constexpr std::uint64_t kNoBodyLimit = std::numeric_limits<std::uint64_t>::max();

// What a reused connection that the upstream had closed looks like on its next request.
bool is_stale_connection(const error_code& ec);
// A transport error in words for the client.
std::string describe(const error_code& ec);

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

struct Http1Connection {
  // Beast reads as much as the buffer has room for, 512 bytes at first: an answer of a few KB
  // took several reads, each a turn of the loop.
  explicit Http1Connection(net::io_context& ioc) : socket(ioc) { buffer.reserve(kReadChunk); }
  Tcp::socket socket;
  beast::flat_buffer buffer;
  Clock::time_point idle_since{};
};

class Http1Transfer;

struct Http1Client::Impl {
  explicit Impl(net::io_context& io)
      : ioc(io),
        resolver(io),
        pacer(io, [this](const std::string& key) { wake_one(key); }),
        timer(io) {}

  std::unique_ptr<Http1Connection> checkout(const std::string& key);
  void checkin(const std::string& key, std::unique_ptr<Http1Connection> c);
  // The first transfer still waiting for `key` tries again, on the next turn of the loop.
  void wake_one(const std::string& key);
  // Makes sure the timer fires by `at`; a later deadline costs nothing (no re-arm).
  void watch(Clock::time_point at);
  void arm(Clock::time_point at);
  void on_timer();

  net::io_context& ioc;
  Tcp::resolver resolver;
  std::unordered_map<std::string, std::vector<std::unique_ptr<Http1Connection>>> idle;
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
  std::unique_ptr<Http1Connection> conn_;
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

}  // namespace litellm::http
