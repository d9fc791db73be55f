#include "http/upstream_pool.hpp"

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

#include <boost/asio/io_context.hpp>
#include <boost/asio/posix/stream_descriptor.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>

namespace litellm::http {

namespace net = boost::asio;
using Clock = std::chrono::steady_clock;

namespace {

bool is_2xx(long status) {
  return status >= 200 && status < 300;
}

Error transport_error(CURLcode code, const char* detail) {
  std::string what = detail != nullptr && detail[0] != '\0' ? detail : curl_easy_strerror(code);
  if (code == CURLE_OPERATION_TIMEDOUT) {
    return Error::make(ErrorCode::Timeout, "Request timed out. " + what);
  }
  return Error::make(ErrorCode::UpstreamUnavailable, "Connection error: " + what);
}

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

// Where a URL's connections go ("https://api.openai.com:443" and the like): the pacer's key.
std::string origin_of(const std::string& url) {
  const auto scheme = url.find("://");
  const auto from = scheme == std::string::npos ? 0 : scheme + 3;
  return url.substr(0, url.find_first_of("/?#", from));
}

}  // namespace

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

void Driver::start(const std::shared_ptr<TransferImpl>& t) {
  if (t->cancelled.load() || stopped || !admit(t)) {
    return;
  }
  CURL* easy = nullptr;
  if (!spare.empty()) {
    easy = spare.back();
    spare.pop_back();
  } else {
    easy = curl_easy_init();
  }
  t->easy = easy;
  const auto& r = t->req;
  curl_easy_setopt(easy, CURLOPT_URL, r.url.c_str());
  curl_easy_setopt(easy, CURLOPT_PRIVATE, t.get());
  curl_easy_setopt(easy, CURLOPT_WRITEFUNCTION, &TransferImpl::on_write);
  curl_easy_setopt(easy, CURLOPT_WRITEDATA, t.get());
  curl_easy_setopt(easy, CURLOPT_HEADERFUNCTION, &TransferImpl::on_header);
  curl_easy_setopt(easy, CURLOPT_HEADERDATA, t.get());
  curl_easy_setopt(easy, CURLOPT_OPENSOCKETFUNCTION, &Driver::on_open);
  curl_easy_setopt(easy, CURLOPT_OPENSOCKETDATA, t.get());
  curl_easy_setopt(easy, CURLOPT_CLOSESOCKETFUNCTION, &Driver::on_close);
  curl_easy_setopt(easy, CURLOPT_CLOSESOCKETDATA, this);
  curl_easy_setopt(easy, CURLOPT_ERRORBUFFER, t->error_buffer);
  curl_easy_setopt(easy, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(easy, CURLOPT_ACCEPT_ENCODING, "");
  curl_easy_setopt(easy, CURLOPT_TCP_KEEPALIVE, 1L);
  curl_easy_setopt(easy, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(r.connect_timeout.count()));
  if (!options.verify_tls) {
    curl_easy_setopt(easy, CURLOPT_SSL_VERIFYPEER, 0L);
    curl_easy_setopt(easy, CURLOPT_SSL_VERIFYHOST, 0L);
  }
  if (!options.ca_file.empty()) {
    curl_easy_setopt(easy, CURLOPT_CAINFO, options.ca_file.c_str());
  }
  if (t->sink) {
    // A stream may legitimately last long; what must not happen is silence for `timeout`.
    const long secs = std::max<long>(1, static_cast<long>(r.timeout.count() / 1000));
    curl_easy_setopt(easy, CURLOPT_LOW_SPEED_LIMIT, 1L);
    curl_easy_setopt(easy, CURLOPT_LOW_SPEED_TIME, secs);
  } else {
    curl_easy_setopt(easy, CURLOPT_TIMEOUT_MS, static_cast<long>(r.timeout.count()));
  }
  if (r.method == "POST") {
    curl_easy_setopt(easy, CURLOPT_POST, 1L);
    curl_easy_setopt(easy, CURLOPT_POSTFIELDS, r.body.c_str());
    curl_easy_setopt(easy, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(r.body.size()));
  } else if (r.method != "GET") {
    curl_easy_setopt(easy, CURLOPT_CUSTOMREQUEST, r.method.c_str());
    if (!r.body.empty()) {
      curl_easy_setopt(easy, CURLOPT_POSTFIELDS, r.body.c_str());
      curl_easy_setopt(easy, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(r.body.size()));
    }
  }
  for (const auto& [k, v] : r.headers) {
    const std::string line = k + ": " + v;
    t->header_list = curl_slist_append(t->header_list, line.c_str());
  }
  t->header_list = curl_slist_append(t->header_list, "Expect:");
  curl_easy_setopt(easy, CURLOPT_HTTPHEADER, t->header_list);
  active.emplace(easy, t);
  call_curl([&] { curl_multi_add_handle(multi, easy); });
}

curl_socket_t Driver::on_open(void* transfer, curlsocktype, curl_sockaddr* addr) {
  const int fd = ::socket(addr->family, addr->socktype | SOCK_CLOEXEC, addr->protocol);
  if (fd < 0) {
    return CURL_SOCKET_BAD;
  }
  auto* t = static_cast<TransferImpl*>(transfer);
  auto& d = t->driver_;
  auto& slot = d.sockets[fd];
  if (slot) {
    // A socket closed without telling us: its number is this new one's now, so it must not
    // close it.
    d.pacer.release(slot->opening);
    slot->closed = true;
    slot->desc.release();
  }
  slot = std::make_shared<Socket>(d.ioc, fd, true);
  // The transfer's own claim goes with its first socket; another one (the next address tried)
  // is counted too, without waiting: the call is already under way.
  if (t->opening == 0 || t->opened_fd >= 0) {
    slot->opening = d.pacer.open(t->origin);
  } else {
    slot->opening = t->opening;
    t->opened_fd = fd;
  }
  d.pacer.watch(slot->opening, fd);
  return fd;
}

bool Driver::admit(const std::shared_ptr<TransferImpl>& t) {
  if (pacer.may_open(t->origin)) {
    t->opening = pacer.open(t->origin);
    return true;
  }
  waiting[t->origin].push_back(t);
  t->waiting = true;
  // Waiting counts against the connect timeout, as the connect itself would. The timer goes
  // (and its wait with it) when the transfer leaves the line, so it holds the transfer no longer.
  t->wait_timer =
      std::make_unique<net::steady_timer>(ioc, std::min(t->req.connect_timeout, t->req.timeout));
  t->wait_timer->async_wait([this, t](const boost::system::error_code& ec) {
    if (!ec && t->waiting && !stopped) {
      expire_waiting(t);
    }
  });
  return false;
}

void Driver::wake(const std::string& key) {
  if (waiting.empty()) {
    return;  // the usual case: no lookup
  }
  // Posted: this runs inside a call into curl or inside the pacer.
  net::post(ioc, [this, key] { admit_waiting(key); });
}

void Driver::admit_waiting(const std::string& key) {
  const auto it = waiting.find(key);
  if (stopped || it == waiting.end() || !pacer.may_open(key)) {
    return;
  }
  auto& line = it->second;
  while (!line.empty()) {
    auto t = std::move(line.front());
    line.pop_front();
    t->waiting = false;
    t->wait_timer.reset();
    if (!t->cancelled.load()) {
      if (line.empty()) {
        waiting.erase(it);
      }
      start(t);
      return;
    }
  }
  waiting.erase(it);
}

void Driver::expire_waiting(const std::shared_ptr<TransferImpl>& t) {
  t->waiting = false;
  if (const auto it = waiting.find(t->origin); it != waiting.end()) {
    std::erase(it->second, t);
    if (it->second.empty()) {
      waiting.erase(it);
    }
  }
  if (t->cancelled.load()) {
    return;
  }
  const auto ms = std::min(t->req.connect_timeout, t->req.timeout).count();
  Error e = Error::make(ErrorCode::Timeout, "Request timed out. Connection timed out after " +
                                                std::to_string(ms) + " ms: " + t->origin +
                                                " took no new connection in that time");
  auto done = std::move(t->done);
  auto sink = std::move(t->sink);
  if (sink) {
    sink->on_end(std::move(e));
  } else if (done) {
    done(std::move(e));
  }
}

void Driver::settle_opening(TransferImpl& t, bool answered) {
  if (t.opening == 0) {
    return;
  }
  const auto ticket = std::exchange(t.opening, 0);
  if (answered) {
    pacer.confirm(ticket);
  } else if (t.opened_fd < 0) {
    pacer.release(ticket);  // opened nothing; a socket it opened is released when it closes
  }
}

void Driver::drop(CURL* easy) {
  auto it = active.find(easy);
  if (it == active.end()) {
    return;
  }
  auto t = std::move(it->second);
  active.erase(it);
  curl_multi_remove_handle(multi, easy);
  settle_opening(*t, false);
  t->easy = nullptr;
  curl_easy_reset(easy);
  if (spare.size() < 256) {
    spare.push_back(easy);
  } else {
    curl_easy_cleanup(easy);
  }
}

void Driver::finish(CURL* easy, CURLcode code) {
  auto it = active.find(easy);
  if (it == active.end()) {
    return;
  }
  auto t = it->second;
  long status = 0;
  curl_easy_getinfo(easy, CURLINFO_RESPONSE_CODE, &status);
  std::string detail = t->error_buffer;
  settle_opening(*t, code == CURLE_OK);
  drop(easy);
  // The completions leave the transfer: whoever holds the transfer (a call keeps its current
  // one) may be held by them, and a transfer that finished inside send() would otherwise keep
  // that cycle, and the call with its bodies, alive for good.
  auto done = std::move(t->done);
  auto sink = std::move(t->sink);
  t->done = nullptr;
  if (t->cancelled.load()) {
    return;
  }
  if (code != CURLE_OK) {
    Error e = transport_error(code, detail.c_str());
    if (sink) {
      sink->on_end(std::move(e));
    } else {
      done(std::move(e));
    }
    return;
  }
  t->response.status = static_cast<int>(status);
  if (sink) {
    if (!t->head_done && is_2xx(status)) {
      sink->on_head(t->response.status, t->response.headers);
    }
    sink->on_end(std::move(t->response));
  } else {
    done(std::move(t->response));
  }
}

void Driver::process_done() {
  int left = 0;
  while (CURLMsg* msg = curl_multi_info_read(multi, &left)) {
    if (msg->msg == CURLMSG_DONE) {
      finish(msg->easy_handle, msg->data.result);
    }
  }
}

void Driver::settle() {
  // Bounded: a transfer that keeps asking for "now" gets the next turn of the loop, so the
  // other connections on this loop are not starved.
  for (int round = 0; round < 8 && !stopped; ++round) {
    ++depth;
    if (due_now) {
      due_now = false;
      deadline.reset();
      int running = 0;
      curl_multi_socket_action(multi, CURL_SOCKET_TIMEOUT, 0, &running);
    }
    process_done();
    --depth;
    if (!due_now) {
      return;
    }
  }
  if (due_now && !stopped) {
    post_due_now();
  }
}

void Driver::post_due_now() {
  if (due_now_posted) {
    return;
  }
  due_now_posted = true;
  net::post(ioc, [this] {
    due_now_posted = false;
    if (!stopped && due_now) {
      settle();
    }
  });
}

void Driver::watch(CURL* easy, curl_socket_t fd, int what) {
  auto it = sockets.find(fd);
  TransferImpl* t = nullptr;
  curl_easy_getinfo(easy, CURLINFO_PRIVATE, &t);
  if (t != nullptr && t->opening != 0 && t->opened_fd < 0 && it != sockets.end() &&
      it->second->owned) {
    settle_opening(*t, false);  // on a connection that was already open: nothing new to pace
  }
  if (what == CURL_POLL_REMOVE) {
    // An owned socket stays registered (curl keeps the connection for reuse, or closes it
    // through on_close); a pending wait that fires meanwhile finds `want` empty.
    if (it != sockets.end()) {
      it->second->want = 0;
      if (!it->second->owned) {
        it->second->closed = true;
        it->second->desc.release();
        sockets.erase(it);
      }
    }
    return;
  }
  if (it == sockets.end()) {
    it = sockets.emplace(fd, std::make_shared<Socket>(ioc, fd, false)).first;
  }
  it->second->want = what;
  arm(it->second);
}

void Driver::arm(const std::shared_ptr<Socket>& s) {
  if ((s->want & CURL_POLL_IN) != 0 && !s->reading) {
    s->reading = true;
    s->desc.async_wait(net::posix::descriptor_base::wait_read,
                       [this, s](const boost::system::error_code& ec) {
                         s->reading = false;
                         if (!ec) {
                           on_ready(s, CURL_CSELECT_IN);
                         }
                       });
  }
  if ((s->want & CURL_POLL_OUT) != 0 && !s->writing) {
    s->writing = true;
    s->desc.async_wait(net::posix::descriptor_base::wait_write,
                       [this, s](const boost::system::error_code& ec) {
                         s->writing = false;
                         if (!ec) {
                           on_ready(s, CURL_CSELECT_OUT);
                         }
                       });
  }
}

void Driver::on_ready(const std::shared_ptr<Socket>& s, int select) {
  const int bit = select == CURL_CSELECT_IN ? CURL_POLL_IN : CURL_POLL_OUT;
  if (s->closed || stopped || (s->want & bit) == 0) {
    return;  // curl stopped waiting for this before the wait fired
  }
  call_curl([&] {
    int running = 0;
    curl_multi_socket_action(multi, s->desc.native_handle(), select, &running);
  });
  if (!s->closed && !stopped) {
    arm(s);
  }
}

void Driver::set_timeout(long ms) {
  due_now = false;
  if (ms < 0) {
    deadline.reset();
    return;
  }
  const auto now = Clock::now();
  deadline = now + std::chrono::milliseconds(ms);
  if (ms == 0) {
    due_now = true;  // curl calls this from inside a call into it: settle() runs it
    if (depth == 0) {
      post_due_now();
    }
    return;
  }
  if (!timer_at || *timer_at > *deadline) {
    arm_timer(*deadline);
  }
}

void Driver::arm_timer(Clock::time_point at) {
  timer_at = at;
  const auto generation = ++timer_generation;
  timer.expires_at(at);
  timer.async_wait([this, generation](const boost::system::error_code& ec) {
    if (ec || generation != timer_generation || stopped) {
      return;  // re-armed (or stopped) since
    }
    timer_at.reset();
    if (!deadline) {
      return;
    }
    if (*deadline > Clock::now()) {
      arm_timer(*deadline);
      return;
    }
    due_now = true;
    settle();
  });
}

void Driver::shutdown() {
  stopped = true;
  pacer.shutdown();
  waiting.clear();
  std::vector<CURL*> handles;
  handles.reserve(active.size());
  for (auto& [easy, t] : active) {
    handles.push_back(easy);
  }
  for (CURL* easy : handles) {
    drop(easy);
  }
  for (CURL* easy : spare) {
    curl_easy_cleanup(easy);
  }
  spare.clear();
  curl_multi_cleanup(multi);  // closes the cached connections through on_close
  multi = nullptr;
  for (auto& [fd, s] : sockets) {
    s->closed = true;
    if (s->owned) {
      boost::system::error_code ec;
      s->desc.close(ec);
    } else {
      s->desc.release();
    }
  }
  sockets.clear();
  timer.cancel();
}

struct UpstreamPool::Impl {
  std::vector<std::unique_ptr<Driver>> drivers;
  std::vector<std::unique_ptr<Http1Client>> direct;  // empty unless options.direct_http
  Driver& driver(std::size_t loop) { return *drivers[loop % drivers.size()]; }
  // The built-in client for a plain http:// URL, when it is on; otherwise libcurl serves.
  Http1Client* direct_for(std::size_t loop, const core::UpstreamRequest& r,
                          std::optional<PlainHttpUrl>& url) {
    if (direct.empty()) {
      return nullptr;
    }
    url = parse_plain_http_url(r.url);
    return url ? direct[loop % direct.size()].get() : nullptr;
  }
};

UpstreamPool::UpstreamPool(EventLoops& loops, const UpstreamPoolOptions& options)
    : impl_(std::make_unique<Impl>()) {
  curl_global_init(CURL_GLOBAL_DEFAULT);
  impl_->drivers.reserve(loops.size());
  for (std::size_t i = 0; i < loops.size(); ++i) {
    impl_->drivers.push_back(std::make_unique<Driver>(loops.loop(i), options));
    if (options.direct_http) {
      impl_->direct.push_back(std::make_unique<Http1Client>(loops.loop(i)));
    }
  }
}

// The loops are stopped by now (see EventLoops' owner): nothing runs on them concurrently, and
// what is still queued on them is destroyed with them, never run.
UpstreamPool::~UpstreamPool() {
  for (auto& c : impl_->direct) {
    try {
      c->shutdown();
    } catch (const std::exception&) {
      // As below: the other clients and drivers still close their connections.
    }
  }
  for (auto& d : impl_->drivers) {
    try {
      d->shutdown();
    } catch (const std::exception&) {
      // Only an allocation or the timer's cancel can fail here, at exit; the other drivers
      // still close their connections.
    }
  }
}

std::shared_ptr<Transfer> UpstreamPool::send(std::size_t loop, core::UpstreamRequest request,
                                             Done done) {
  std::optional<PlainHttpUrl> url;
  if (auto* direct = impl_->direct_for(loop, request, url)) {
    return direct->start(std::move(*url), std::move(request), std::move(done), nullptr);
  }
  auto& d = impl_->driver(loop);
  auto t = std::make_shared<TransferImpl>(d, std::move(request));
  t->done = std::move(done);
  d.launch(t, true);
  return t;
}

std::shared_ptr<Transfer> UpstreamPool::open_stream(std::size_t loop, core::UpstreamRequest request,
                                                    std::shared_ptr<StreamSink> sink) {
  std::optional<PlainHttpUrl> url;
  if (auto* direct = impl_->direct_for(loop, request, url)) {
    return direct->start(std::move(*url), std::move(request), nullptr, std::move(sink));
  }
  auto& d = impl_->driver(loop);
  auto t = std::make_shared<TransferImpl>(d, std::move(request));
  t->sink = std::move(sink);
  // A stream's first bytes take a turn of the loop: its sink's owner keeps the transfer only
  // once open_stream() has returned.
  d.launch(t, false);
  return t;
}

void UpstreamPool::run_after(std::size_t loop, std::chrono::milliseconds delay,
                             std::function<void()> fn) {
  auto& d = impl_->driver(loop);
  net::post(d.ioc, [&d, delay, fn = std::move(fn)]() mutable {
    auto timer = std::make_shared<net::steady_timer>(d.ioc, delay);
    timer->async_wait([timer, fn = std::move(fn)](const boost::system::error_code& ec) {
      if (!ec) {
        fn();
      }
    });
  });
}

}  // namespace litellm::http
