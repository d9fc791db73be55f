#include "http/upstream_pool.hpp"

#include <atomic>
#include <mutex>
#include <queue>
#include <thread>
#include <unordered_map>
#include <vector>

#include <curl/curl.h>

namespace litellm::http {

namespace {

struct TimedTask {
  std::chrono::steady_clock::time_point at;
  std::uint64_t seq;
  std::function<void()> fn;
  bool operator>(const TimedTask& o) const { return at != o.at ? at > o.at : seq > o.seq; }
};

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

}  // namespace

class TransferImpl;

struct UpstreamPool::Impl {
  UpstreamPoolOptions options;
  core::Logger& logger;
  CURLM* multi = nullptr;
  std::mutex mu;
  std::vector<std::function<void()>> commands;  // guarded by mu
  std::atomic<bool> stopping{false};
  // Pool-thread only below.
  std::unordered_map<CURL*, std::shared_ptr<TransferImpl>> active;
  std::vector<CURL*> spare;  // reset easy handles kept for reuse
  std::priority_queue<TimedTask, std::vector<TimedTask>, std::greater<>> timers;
  std::uint64_t timer_seq = 0;
  std::thread thread;

  Impl(UpstreamPoolOptions o, core::Logger& l) : options(o), logger(l) {}

  void enqueue(std::function<void()> fn) {
    {
      std::lock_guard lock(mu);
      commands.push_back(std::move(fn));
    }
    curl_multi_wakeup(multi);
  }
  void loop();
  void start(const std::shared_ptr<TransferImpl>& t);
  void finish(CURL* easy, CURLcode code);
  void drop(CURL* easy);
};

class TransferImpl final : public Transfer, public std::enable_shared_from_this<TransferImpl> {
 public:
  TransferImpl(UpstreamPool::Impl& pool, core::UpstreamRequest request)
      : pool_(pool), req(std::move(request)) {}
  ~TransferImpl() override {
    if (header_list != nullptr) {
      curl_slist_free_all(header_list);
    }
  }
  TransferImpl(const TransferImpl&) = delete;
  TransferImpl& operator=(const TransferImpl&) = delete;

  void cancel() override {
    if (cancelled.exchange(true)) {
      return;
    }
    auto self = shared_from_this();
    pool_.enqueue([self] {
      if (self->easy != nullptr) {
        self->pool_.drop(self->easy);
      }
    });
  }
  void resume() override {
    auto self = shared_from_this();
    pool_.enqueue([self] {
      if (self->easy != nullptr && self->paused) {
        self->paused = false;
        curl_easy_pause(self->easy, CURLPAUSE_CONT);
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

  UpstreamPool::Impl& pool_;
  core::UpstreamRequest req;
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

void UpstreamPool::Impl::start(const std::shared_ptr<TransferImpl>& t) {
  if (t->cancelled.load()) {
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
  curl_easy_setopt(easy, CURLOPT_ERRORBUFFER, t->error_buffer);
  curl_easy_setopt(easy, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(easy, CURLOPT_ACCEPT_ENCODING, "");
  curl_easy_setopt(easy, CURLOPT_TCP_KEEPALIVE, 1L);
  curl_easy_setopt(easy, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(r.connect_timeout.count()));
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
  curl_multi_add_handle(multi, easy);
}

void UpstreamPool::Impl::drop(CURL* easy) {
  auto it = active.find(easy);
  if (it == active.end()) {
    return;
  }
  auto t = std::move(it->second);
  active.erase(it);
  curl_multi_remove_handle(multi, easy);
  t->easy = nullptr;
  curl_easy_reset(easy);
  if (spare.size() < 256) {
    spare.push_back(easy);
  } else {
    curl_easy_cleanup(easy);
  }
}

void UpstreamPool::Impl::finish(CURL* easy, CURLcode code) {
  auto it = active.find(easy);
  if (it == active.end()) {
    return;
  }
  auto t = it->second;
  long status = 0;
  curl_easy_getinfo(easy, CURLINFO_RESPONSE_CODE, &status);
  std::string detail = t->error_buffer;
  drop(easy);
  if (t->cancelled.load()) {
    return;
  }
  if (code != CURLE_OK) {
    Error e = transport_error(code, detail.c_str());
    if (t->sink) {
      t->sink->on_end(std::move(e));
    } else {
      t->done(std::move(e));
    }
    return;
  }
  t->response.status = static_cast<int>(status);
  if (t->sink) {
    if (!t->head_done && is_2xx(status)) {
      t->sink->on_head(t->response.status, t->response.headers);
    }
    t->sink->on_end(std::move(t->response));
  } else {
    t->done(std::move(t->response));
  }
}

void UpstreamPool::Impl::loop() {
  std::vector<std::function<void()>> batch;
  while (!stopping.load()) {
    {
      std::lock_guard lock(mu);
      batch.swap(commands);
    }
    for (auto& fn : batch) {
      fn();
    }
    batch.clear();
    const auto now = std::chrono::steady_clock::now();
    while (!timers.empty() && timers.top().at <= now) {
      auto fn = timers.top().fn;
      timers.pop();
      fn();
    }
    int running = 0;
    curl_multi_perform(multi, &running);
    int left = 0;
    while (CURLMsg* msg = curl_multi_info_read(multi, &left)) {
      if (msg->msg == CURLMSG_DONE) {
        finish(msg->easy_handle, msg->data.result);
      }
    }
    long wait_ms = 1000;
    curl_multi_timeout(multi, &wait_ms);
    if (wait_ms < 0 || wait_ms > 1000) {
      wait_ms = 1000;
    }
    if (!timers.empty()) {
      const auto until = std::chrono::duration_cast<std::chrono::milliseconds>(
                             timers.top().at - std::chrono::steady_clock::now())
                             .count();
      wait_ms = std::max<long>(0, std::min<long>(wait_ms, static_cast<long>(until)));
    }
    {
      std::lock_guard lock(mu);
      if (!commands.empty()) {
        wait_ms = 0;
      }
    }
    if (wait_ms > 0) {
      curl_multi_poll(multi, nullptr, 0, static_cast<int>(wait_ms), nullptr);
    }
  }
}

UpstreamPool::UpstreamPool(EventLoops& loops, UpstreamPoolOptions options, core::Logger& logger)
    : impl_(std::make_unique<Impl>(options, logger)) {
  (void)loops;  // transfers run on the pool's own thread; see the class comment
  curl_global_init(CURL_GLOBAL_DEFAULT);
  impl_->multi = curl_multi_init();
  curl_multi_setopt(impl_->multi, CURLMOPT_MAXCONNECTS, options.max_connections);
  if (options.max_host_connections > 0) {
    curl_multi_setopt(impl_->multi, CURLMOPT_MAX_HOST_CONNECTIONS, options.max_host_connections);
  }
  impl_->thread = std::thread([this] { impl_->loop(); });
}

UpstreamPool::~UpstreamPool() {
  impl_->stopping.store(true);
  curl_multi_wakeup(impl_->multi);
  impl_->thread.join();
  std::vector<CURL*> handles;
  for (auto& [easy, t] : impl_->active) {
    handles.push_back(easy);
  }
  for (CURL* easy : handles) {
    impl_->drop(easy);
  }
  for (CURL* easy : impl_->spare) {
    curl_easy_cleanup(easy);
  }
  curl_multi_cleanup(impl_->multi);
}

std::shared_ptr<Transfer> UpstreamPool::send(std::size_t /*loop*/, core::UpstreamRequest request,
                                             Done done) {
  auto t = std::make_shared<TransferImpl>(*impl_, std::move(request));
  t->done = std::move(done);
  impl_->enqueue([impl = impl_.get(), t] { impl->start(t); });
  return t;
}

std::shared_ptr<Transfer> UpstreamPool::open_stream(std::size_t /*loop*/,
                                                    core::UpstreamRequest request,
                                                    std::shared_ptr<StreamSink> sink) {
  auto t = std::make_shared<TransferImpl>(*impl_, std::move(request));
  t->sink = std::move(sink);
  impl_->enqueue([impl = impl_.get(), t] { impl->start(t); });
  return t;
}

void UpstreamPool::run_after(std::size_t /*loop*/, std::chrono::milliseconds delay,
                             std::function<void()> fn) {
  impl_->enqueue([impl = impl_.get(), delay, fn = std::move(fn)]() mutable {
    impl->timers.push(
        TimedTask{std::chrono::steady_clock::now() + delay, impl->timer_seq++, std::move(fn)});
  });
}

}  // namespace litellm::http
