#include "http/tcp_probe.hpp"

// linux/tcp.h, not netinet/tcp.h: only the kernel's struct has tcpi_bytes_acked, and the two
// headers cannot share a translation unit (hence this file of its own).
#include <linux/tcp.h>
#include <netinet/in.h>
#include <sys/socket.h>

namespace litellm::http {

namespace {

// The kernel's TCP states (include/net/tcp_states.h, not exported to user space).
constexpr unsigned kEstablished = 1;
constexpr unsigned kSynSent = 2;

}  // namespace

PeerState probe_peer(int fd) {
  tcp_info info{};
  socklen_t size = sizeof info;
  if (::getsockopt(fd, IPPROTO_TCP, TCP_INFO, &info, &size) != 0) {
    return PeerState::Unknown;
  }
  // The SYN counts as one acknowledged byte.
  if (info.tcpi_bytes_acked > 1 || info.tcpi_bytes_received > 0) {
    return PeerState::Acknowledged;
  }
  if (info.tcpi_state != kEstablished && info.tcpi_state != kSynSent) {
    return PeerState::Unknown;
  }
  return info.tcpi_total_retrans > 0 ? PeerState::Retransmitting : PeerState::Waiting;
}

}  // namespace litellm::http
