#pragma once

// libcurl's side of the upstream pool, shared by its files (curl_driver.cpp: the multi handle
// on one loop; curl_admission.cpp: new connections through the connect pacer;
// upstream_pool.cpp: the pool over the drivers). Private to lib/http.
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <deque>
#include <optional>
#include <unordered_map>
#include <vector>

#include <curl/curl.h>

#include "http/connect_pacer.hpp"
#include "http/event_loops.hpp"
#include "http/http1_client.hpp"
#include "http/upstream_pool.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/asio/posix/stream_descriptor.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>

namespace litellm::http {

namespace net = boost::asio;
using Clock = std::chrono::steady_clock;

// A failed transfer's error: Timeout, else UpstreamUnavailable, in curl's words.
Error transport_error(CURLcode code, const char* detail);
// Where a URL's connections go ("https://api.openai.com:443" and the like): the pacer's key.
std::string origin_of(const std::string& url);

// One socket curl uses, registered with the loop's epoll for as long as it is open: a
// keep-alive connection going idle and being reused costs no epoll_ctl DEL/ADD and no new
// descriptor object (what made the first in-loop driver slower than a curl thread).
struct Socket {
  Socket(net::io_context& ioc, int fd, bool opened_by_us) : desc(ioc, fd), owned(opened_by_us) {}
  net::posix::stream_descriptor desc;
  int want = 0;          // CURL_POLL_IN / CURL_POLL_OUT bits curl waits for now
  bool reading = false;  // a wait for readability is pending
  bool writing = false;
  bool closed = false;
  // Opened through our open-socket callback, so curl closes it through ours: it stays
  // registered while idle. Other sockets (curl's resolver's) are watched only while curl asks.
  bool owned;
  ConnectPacer::Ticket opening = 0;  // counted by the driver's pacer until the peer takes it
};

class TransferImpl;

// Drives one libcurl multi handle on one io loop with curl_multi_socket_action: transfers run
// on the thread of the connection that asked for them, with no hand-off to another thread.
struct Driver {
  Driver(net::io_context& io, const UpstreamPoolOptions& opts)
      : ioc(io),
        pacer(io, [this](const std::string& key) { wake(key); }),
        timer(io),
        options(opts) {
    multi = curl_multi_init();
    curl_multi_setopt(multi, CURLMOPT_MAXCONNECTS, options.max_connections);
    if (options.max_host_connections > 0) {
      curl_multi_setopt(multi, CURLMOPT_MAX_HOST_CONNECTIONS, options.max_host_connections);
    }
    curl_multi_setopt(multi, CURLMOPT_SOCKETFUNCTION, &Driver::on_socket);
    curl_multi_setopt(multi, CURLMOPT_SOCKETDATA, this);
    curl_multi_setopt(multi, CURLMOPT_TIMERFUNCTION, &Driver::on_timer);
    curl_multi_setopt(multi, CURLMOPT_TIMERDATA, this);
  }
  ~Driver() = default;
  Driver(const Driver&) = delete;
  Driver& operator=(const Driver&) = delete;

  void start(const std::shared_ptr<TransferImpl>& t);
  // A transfer may go when a new connection to its origin may open (the pacer's room), else it
  // waits, at most its connect timeout. Those that open nothing new let the next one go.
  bool admit(const std::shared_ptr<TransferImpl>& t);
  void wake(const std::string& key);
  void admit_waiting(const std::string& key);
  void expire_waiting(const std::shared_ptr<TransferImpl>& t);
  // The transfer's claim on the pacer ends: `answered` when an answer came back.
  void settle_opening(TransferImpl& t, bool answered);
  // On this loop's thread and not inside curl (and `may_start_now`), the request goes out at
  // once: no turn of the loop between the handler and the upstream write, and the completion
  // may run before the caller's send() returns. Otherwise on the loop's next turn.
  void launch(const std::shared_ptr<TransferImpl>& t, bool may_start_now) {
    if (may_start_now && ioc.get_executor().running_in_this_thread() && depth == 0) {
      start(t);
    } else {
      net::post(ioc, [this, t] { start(t); });
    }
  }
  void finish(CURL* easy, CURLcode code);
  void drop(CURL* easy);
  // Loop thread only, never from inside a curl callback.
  void process_done();
  // After a call into curl, at depth 0: runs what curl asked to run "now" (a new transfer's
  // first step, a transfer's next state) at once rather than on a later turn of the loop, and
  // hands finished transfers to their owners.
  void settle();
  void post_due_now();
  void shutdown();
  template <class F>
  void call_curl(F&& f) {
    ++depth;
    f();
    --depth;
    if (depth == 0) {
      settle();
    }
  }

  static int on_socket(CURL* easy, curl_socket_t fd, int what, void* self, void*) {
    static_cast<Driver*>(self)->watch(easy, fd, what);
    return 0;
  }
  static int on_timer(CURLM*, long ms, void* self) {
    static_cast<Driver*>(self)->set_timeout(ms);
    return 0;
  }
  static curl_socket_t on_open(void* transfer, curlsocktype, curl_sockaddr* addr);
  static int on_close(void* self, curl_socket_t fd) {
    auto* d = static_cast<Driver*>(self);
    const auto it = d->sockets.find(fd);
    if (it == d->sockets.end()) {
      return ::close(fd);
    }
    d->pacer.release(it->second->opening);
    it->second->closed = true;
    boost::system::error_code ec;
    it->second->desc.close(ec);  // also ends its pending waits
    d->sockets.erase(it);
    return ec ? -1 : 0;
  }

  void watch(CURL* easy, curl_socket_t fd, int what);
  void arm(const std::shared_ptr<Socket>& s);
  void on_ready(const std::shared_ptr<Socket>& s, int select);
  void set_timeout(long ms);
  void arm_timer(Clock::time_point at);

  net::io_context& ioc;
  CURLM* multi = nullptr;
  ConnectPacer pacer;
  std::unordered_map<curl_socket_t, std::shared_ptr<Socket>> sockets;
  std::unordered_map<CURL*, std::shared_ptr<TransferImpl>> active;
  // Transfers waiting for the pacer's room, per origin, oldest first.
  std::unordered_map<std::string, std::deque<std::shared_ptr<TransferImpl>>> waiting;
  std::vector<CURL*> spare;  // reset easy handles kept for reuse
  // curl's single timeout. It moves several times per request, mostly later; the Asio timer
  // is re-armed only when it must fire earlier, and checks the deadline when it fires.
  std::optional<Clock::time_point> deadline;
  net::steady_timer timer;
  const UpstreamPoolOptions options;
  std::optional<Clock::time_point> timer_at;  // when the armed timer fires
  std::uint64_t timer_generation = 0;
  // Calls into curl (and into the completions they finish) in progress on this loop: curl must
  // not be re-entered from its callbacks, so only at depth 0 may a transfer start at once.
  int depth = 0;
  bool due_now = false;  // curl's timeout is 0: run it when the outermost call returns
  bool due_now_posted = false;
  bool stopped = false;
};

class TransferImpl final : public Transfer, public std::enable_shared_from_this<TransferImpl> {
 public:
  TransferImpl(Driver& driver, core::UpstreamRequest request)
      : driver_(driver), req(std::move(request)), origin(origin_of(req.url)) {}
  ~TransferImpl() override {
    if (header_list != nullptr) {
      curl_slist_free_all(header_list);
    }
  }
  TransferImpl(const TransferImpl&) = delete;
  TransferImpl& operator=(const TransferImpl&) = delete;

  // Both post even on the loop thread: they may be called from inside a sink's callback, that
  // is from inside curl, where curl must not be re-entered.
  void cancel() override {
    if (cancelled.exchange(true)) {
      return;
    }
    net::post(driver_.ioc, [self = shared_from_this()] {
      auto& d = self->driver_;
      if (self->easy != nullptr && !d.stopped) {
        d.call_curl([&] { d.drop(self->easy); });
      }
      self->done = nullptr;
      self->sink.reset();
    });
  }
  void resume() override {
    net::post(driver_.ioc, [self = shared_from_this()] {
      auto& d = self->driver_;
      if (self->easy != nullptr && self->paused && !d.stopped) {
        self->paused = false;
        d.call_curl([&] { curl_easy_pause(self->easy, CURLPAUSE_CONT); });
      }
    });
  }

  static size_t on_write(char* ptr, size_t size, size_t n, void* user) {
    auto* t = static_cast<TransferImpl*>(user);
    return t->write(std::string_view(ptr, size * n));
  }
  static size_t on_header(char* ptr, size_t size, size_t n, void* user) {
    auto* t = static_cast<TransferImpl*>(user);
    t->header(std::string_view(ptr, size * n));
    return size * n;
  }

  size_t write(std::string_view bytes) {
    if (cancelled.load()) {
      return 0;  // makes curl abort the transfer
    }
    if (!sink) {
      response.body.append(bytes);
      return bytes.size();
    }
    if (!head_done) {
      long status = 0;
      curl_easy_getinfo(easy, CURLINFO_RESPONSE_CODE, &status);
      response.status = static_cast<int>(status);
      head_done = true;
      if (is_2xx(status)) {
        sink->on_head(response.status, response.headers);
      }
    }
    if (!is_2xx(response.status)) {
      response.body.append(bytes);
      return bytes.size();
    }
    if (!sink->on_body(bytes)) {
      paused = true;
      return CURL_WRITEFUNC_PAUSE;
    }
    return bytes.size();
  }

  void header(std::string_view line) {
    if (line.rfind("HTTP/", 0) == 0) {
      response.headers.clear();  // a new response (after 100-continue or a redirect)
      return;
    }
    const auto colon = line.find(':');
    if (colon == std::string_view::npos) {
      return;
    }
    auto value = line.substr(colon + 1);
    while (!value.empty() && (value.front() == ' ' || value.front() == '\t')) {
      value.remove_prefix(1);
    }
    while (!value.empty() &&
           (value.back() == '\r' || value.back() == '\n' || value.back() == ' ')) {
      value.remove_suffix(1);
    }
    response.headers.emplace_back(std::string(line.substr(0, colon)), std::string(value));
  }

  Driver& driver_;
  core::UpstreamRequest req;
  std::string origin;
  // The pacer's count of a new connection this transfer may open (0: none); the socket it
  // opened, once it has.
  ConnectPacer::Ticket opening = 0;
  int opened_fd = -1;
  std::unique_ptr<net::steady_timer> wait_timer;  // while it waits for the pacer's room
  bool waiting = false;
  CURL* easy = nullptr;
  curl_slist* header_list = nullptr;
  UpstreamPool::Done done;
  std::shared_ptr<StreamSink> sink;
  core::UpstreamResponse response;
  bool head_done = false;
  bool paused = false;
  std::atomic<bool> cancelled{false};
  char error_buffer[CURL_ERROR_SIZE] = {};
};

}  // namespace litellm::http
