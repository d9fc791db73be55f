#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "core/clock.hpp"

namespace boost::asio {
class io_context;
}  // namespace boost::asio

namespace litellm::http {

// Paces the new connections each upstream client of a loop opens to one host:port.
//
// Why: a burst of connects to a server that accepts slowly overflows its listen queue. Linux
// then drops the SYNs, or the handshakes' last ACKs (the client believes it is connected and
// sends its request into the void), and every such connection waits out TCP's doubling
// retransmit timer, 0.2, 0.6, 1.4 ... 51 s, all of them in step, so they collide again each
// time: calls of a burst of 200 to a one-at-a-time upstream took over a minute.
//
// A connection counts as opening from its connect until the peer's kernel acknowledged data we
// sent on it (probe_peer(): the server then holds a real socket for it), or until it ended.
// At most limit(key) are opening per host:port. The limit starts at kMaxOpening, halves each
// time an opening connection had to retransmit (a drop: the peer's queue is full), and grows
// back by one after `limit` clean opens in a row, as TCP's congestion window does, but not
// while a dropped connection is still opening: those go first, into the queue room the pause
// leaves, instead of colliding with new connects again. Five seconds without a drop and the
// limit is whole again: an upstream overloaded once does not slow every later burst to it.
// Connections reused from a keep-alive pool never pass here.
//
// One per client per io loop; everything runs on that loop's thread. `on_room(key)` runs each
// time a connection to `key` stops opening and another may open (the client wakes one waiting
// call, if any), possibly from inside release() or confirm(): it must not re-enter the
// client's own machinery synchronously (post to the loop).
class ConnectPacer {
 public:
  using Ticket = std::uint64_t;
  static constexpr std::size_t kMaxOpening = 32;

  ConnectPacer(boost::asio::io_context& ioc, std::function<void(const std::string&)> on_room,
               const core::Clock& clock = core::SystemClock::instance());
  ~ConnectPacer();
  ConnectPacer(const ConnectPacer&) = delete;
  ConnectPacer& operator=(const ConnectPacer&) = delete;

  // True when a new connection to `key` may be opened now.
  bool may_open(const std::string& key);
  // Counts a connection to `key` as opening (after may_open(), or one that must open anyway,
  // such as a second address tried for the same call). The ticket is released exactly once.
  Ticket open(const std::string& key);
  // The connection's socket: from now on the kernel is asked, every few milliseconds, whether
  // the peer acknowledged data on it; the ticket is settled when it has.
  void watch(Ticket ticket, int fd);
  // The connection proved itself (an answer came back on it): settled as an acknowledgement.
  void confirm(Ticket ticket);
  // The connection failed, closed, or turned out not to be new: no longer opening. Unknown or
  // already settled tickets are ignored.
  void release(Ticket ticket);
  // Forgets everything (the loop is stopping); no on_room runs after.
  void shutdown();

  std::size_t opening(const std::string& key) const;
  std::size_t limit(const std::string& key) const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace litellm::http
