#include "http/detail/curl_parts.hpp"

namespace litellm::http {

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
