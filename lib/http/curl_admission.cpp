// New connections of the libcurl driver through the connect pacer: a burst to one host:port
// waits in line for room, and a connection counts as opening until the peer has taken it.
#include "http/detail/curl_parts.hpp"

namespace litellm::http {

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

}  // namespace litellm::http
