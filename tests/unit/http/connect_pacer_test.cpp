// ConnectPacer's bookkeeping, and its probes against real loopback sockets: one a listener
// took, one whose SYN its full queue dropped.
#include "http/connect_pacer.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <string>
#include <utility>  // before Asio: Boost 1.74 misses it under GCC 12 in C++20
#include <vector>

#include <doctest/doctest.h>

#include "http/tcp_probe.hpp"
#include "support/loopback.hpp"
#include "support/manual_clock.hpp"

#include <boost/asio/io_context.hpp>

namespace {

using litellm::http::ConnectPacer;
using litellm::http::PeerState;

// A connect that does not wait for the handshake (a dropped SYN would block connect()).
int start_connect(int port) {
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = htons(static_cast<std::uint16_t>(port));
  (void)::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
  return fd;
}

// Runs the loop until `done` holds or `limit` passes; true when it held.
template <class Pred>
bool run_until(boost::asio::io_context& ioc, Pred done, std::chrono::seconds limit) {
  const auto until = std::chrono::steady_clock::now() + limit;
  while (!done() && std::chrono::steady_clock::now() < until) {
    ioc.restart();
    ioc.run_for(std::chrono::milliseconds(5));
  }
  return done();
}

}  // namespace

TEST_CASE("connect pacer: at most the limit open at once per host - a release makes room") {
  boost::asio::io_context ioc;
  std::vector<std::string> rooms;
  ConnectPacer pacer(ioc, [&](const std::string& key) { rooms.push_back(key); });
  std::vector<ConnectPacer::Ticket> tickets;
  while (pacer.may_open("a:1")) {
    tickets.push_back(pacer.open("a:1"));
  }
  CHECK(tickets.size() == ConnectPacer::kMaxOpening);
  CHECK(pacer.opening("a:1") == ConnectPacer::kMaxOpening);
  CHECK(pacer.may_open("b:2"));  // another host is paced apart
  pacer.release(tickets[3]);
  CHECK(rooms == std::vector<std::string>{"a:1"});
  CHECK(pacer.may_open("a:1"));
  pacer.release(tickets[3]);  // settled already: ignored
  CHECK(pacer.opening("a:1") == ConnectPacer::kMaxOpening - 1);
  pacer.confirm(tickets[4]);
  CHECK(pacer.opening("a:1") == ConnectPacer::kMaxOpening - 2);
  CHECK(pacer.limit("a:1") == ConnectPacer::kMaxOpening);
}

TEST_CASE(
    "connect pacer: a connection the upstream took settles - a dropped SYN halves the limit") {
  int port = 0;
  const int listener = litellm::test::listen_on_loopback(port, 0);  // queue of one, never taken
  boost::asio::io_context ioc;
  int rooms = 0;
  litellm::test::ManualClock clock;
  ConnectPacer pacer(
      ioc, [&](const std::string&) { ++rooms; }, clock);
  const std::string key = "127.0.0.1:" + std::to_string(port);

  // The first connect fills the queue: the kernel holds a socket for it and acknowledges data.
  const int taken = start_connect(port);
  REQUIRE(run_until(
      ioc, [&] { return litellm::http::probe_peer(taken) == PeerState::Waiting; },
      std::chrono::seconds(5)));
  const auto t1 = pacer.open(key);
  pacer.watch(t1, taken);
  REQUIRE(::send(taken, "GET / HTTP/1.1\r\n\r\n", 18, MSG_NOSIGNAL) == 18);
  REQUIRE(run_until(
      ioc, [&] { return pacer.opening(key) == 0; }, std::chrono::seconds(5)));
  CHECK(rooms == 1);
  CHECK(pacer.limit(key) == ConnectPacer::kMaxOpening);

  // The second one's SYN finds the queue full and is dropped; the kernel resends it after its
  // one-second RTO, which the probe sees.
  const int dropped = start_connect(port);
  const auto t2 = pacer.open(key);
  pacer.watch(t2, dropped);
  REQUIRE(run_until(
      ioc, [&] { return pacer.limit(key) < ConnectPacer::kMaxOpening; }, std::chrono::seconds(10)));
  CHECK(pacer.limit(key) == ConnectPacer::kMaxOpening / 2);
  CHECK(pacer.opening(key) == 1);
  CHECK(litellm::http::probe_peer(dropped) == PeerState::Retransmitting);
  // Still opening while dropped; a later drop of the same connection does not cut again.
  pacer.release(t2);
  CHECK(pacer.opening(key) == 0);
  CHECK(pacer.limit(key) == ConnectPacer::kMaxOpening / 2);
  CHECK(litellm::http::probe_peer(-1) == PeerState::Unknown);
  // Forgotten after five quiet seconds: the next burst starts with the whole limit.
  clock.advance(std::chrono::seconds(4));
  CHECK(pacer.may_open(key));
  CHECK(pacer.limit(key) == ConnectPacer::kMaxOpening / 2);
  clock.advance(std::chrono::seconds(2));
  CHECK(pacer.may_open(key));
  CHECK(pacer.limit(key) == ConnectPacer::kMaxOpening);
  ::close(dropped);
  ::close(taken);
  ::close(listener);
}
