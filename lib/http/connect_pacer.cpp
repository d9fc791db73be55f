#include "http/connect_pacer.hpp"

#include <algorithm>
#include <chrono>
#include <unordered_map>
#include <vector>

#include "http/tcp_probe.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>

namespace litellm::http {

namespace net = boost::asio;

namespace {

// How often opening connections are probed. On loopback the acknowledgement is there within
// microseconds; over the internet after a round trip. Either way a slot is held a few ms at
// most beyond it, and a burst of kMaxOpening probes costs a few dozen microseconds.
constexpr auto kProbeEvery = std::chrono::milliseconds(2);
// A cut limit is forgotten after this long without a drop: an upstream that was overloaded
// once (or away) must not pace every later burst to it. One still overloaded cuts it again at
// its next drop.
constexpr auto kForgetDropsAfter = std::chrono::seconds(5);
using TimePoint = std::chrono::steady_clock::time_point;

struct HostPace {
  std::size_t opening = 0;
  std::size_t limit = ConnectPacer::kMaxOpening;
  std::size_t dropped_opening = 0;  // opening ones that had to retransmit
  std::size_t clean_run = 0;        // clean opens since the limit last moved
  TimePoint last_drop{};
};

struct Opening {
  std::string key;
  int fd = -1;  // -1 until watch()
  bool dropped = false;
};

}  // namespace

struct ConnectPacer::Impl {
  Impl(net::io_context& ioc, std::function<void(const std::string&)> room, const core::Clock& c)
      : clock(c), timer(ioc), on_room(std::move(room)) {}

  void settle(Ticket ticket, bool acknowledged);
  void probe();
  void arm();

  const core::Clock& clock;
  net::steady_timer timer;
  std::function<void(const std::string&)> on_room;
  std::unordered_map<std::string, HostPace> hosts;
  std::unordered_map<Ticket, Opening> tickets;
  std::size_t watched = 0;
  Ticket next = 0;
  bool armed = false;
  bool stopped = false;
};

ConnectPacer::ConnectPacer(net::io_context& ioc, std::function<void(const std::string&)> on_room,
                           const core::Clock& clock)
    : impl_(std::make_unique<Impl>(ioc, std::move(on_room), clock)) {}

ConnectPacer::~ConnectPacer() = default;

bool ConnectPacer::may_open(const std::string& key) {
  const auto it = impl_->hosts.find(key);
  if (it == impl_->hosts.end()) {
    return true;
  }
  HostPace& h = it->second;
  if (h.limit < kMaxOpening && h.dropped_opening == 0 &&
      impl_->clock.steady_now() - h.last_drop > kForgetDropsAfter) {
    h.limit = kMaxOpening;
    h.clean_run = 0;
  }
  return h.opening < h.limit;
}

ConnectPacer::Ticket ConnectPacer::open(const std::string& key) {
  ++impl_->hosts[key].opening;
  const Ticket t = ++impl_->next;
  impl_->tickets.emplace(t, Opening{key, -1, false});
  return t;
}

void ConnectPacer::watch(Ticket ticket, int fd) {
  const auto it = impl_->tickets.find(ticket);
  if (it == impl_->tickets.end() || it->second.fd >= 0) {
    return;
  }
  it->second.fd = fd;
  ++impl_->watched;
  impl_->arm();
}

void ConnectPacer::confirm(Ticket ticket) {
  impl_->settle(ticket, true);
}

void ConnectPacer::release(Ticket ticket) {
  impl_->settle(ticket, false);
}

void ConnectPacer::shutdown() {
  impl_->stopped = true;
  impl_->tickets.clear();
  impl_->hosts.clear();
  impl_->watched = 0;
  impl_->timer.cancel();
}

std::size_t ConnectPacer::opening(const std::string& key) const {
  const auto it = impl_->hosts.find(key);
  return it == impl_->hosts.end() ? 0 : it->second.opening;
}

std::size_t ConnectPacer::limit(const std::string& key) const {
  const auto it = impl_->hosts.find(key);
  return it == impl_->hosts.end() ? kMaxOpening : it->second.limit;
}

void ConnectPacer::Impl::settle(Ticket ticket, bool acknowledged) {
  const auto it = tickets.find(ticket);
  if (it == tickets.end()) {
    return;
  }
  const Opening o = std::move(it->second);
  tickets.erase(it);
  if (o.fd >= 0) {
    --watched;
  }
  auto host = hosts.find(o.key);
  if (host == hosts.end()) {
    return;
  }
  HostPace& h = host->second;
  --h.opening;
  if (o.dropped) {
    --h.dropped_opening;
  } else if (acknowledged && h.dropped_opening == 0 && h.limit < kMaxOpening &&
             ++h.clean_run >= h.limit) {
    ++h.limit;
    h.clean_run = 0;
  }
  const bool has_room = h.opening < h.limit;
  if (h.opening == 0 && h.limit == kMaxOpening) {
    hosts.erase(host);  // nothing to remember: the next burst starts afresh
  }
  if (has_room && !stopped) {
    on_room(o.key);
  }
}

void ConnectPacer::Impl::probe() {
  std::vector<std::pair<Ticket, bool>> settled;
  for (auto& [ticket, o] : tickets) {
    if (o.fd < 0) {
      continue;
    }
    switch (probe_peer(o.fd)) {
      case PeerState::Acknowledged:
        settled.emplace_back(ticket, true);
        break;
      case PeerState::Unknown:
        settled.emplace_back(ticket, false);
        break;
      case PeerState::Retransmitting:
        if (!o.dropped) {
          o.dropped = true;
          auto& h = hosts[o.key];
          ++h.dropped_opening;
          h.limit = std::max<std::size_t>(1, h.limit / 2);
          h.clean_run = 0;
          h.last_drop = clock.steady_now();
        }
        break;
      case PeerState::Waiting:
        break;
    }
  }
  for (const auto& [ticket, acknowledged] : settled) {
    settle(ticket, acknowledged);
  }
}

void ConnectPacer::Impl::arm() {
  if (armed || stopped || watched == 0) {
    return;
  }
  armed = true;
  timer.expires_after(kProbeEvery);
  timer.async_wait([this](const boost::system::error_code& ec) {
    armed = false;
    if (ec || stopped) {
      return;
    }
    probe();
    arm();
  });
}

}  // namespace litellm::http
