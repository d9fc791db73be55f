// The built-in client's state on one loop: idle connections per host:port, the transfers
// waiting for one, and the one timer that enforces every transfer's deadline.
#include "http/detail/http1_parts.hpp"

namespace litellm::http {

std::unique_ptr<Http1Connection> Http1Client::Impl::checkout(const std::string& key) {
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

void Http1Client::Impl::checkin(const std::string& key, std::unique_ptr<Http1Connection> c) {
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
