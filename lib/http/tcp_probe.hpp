#pragma once

namespace litellm::http {

// What the kernel knows of a new TCP connection's first exchange with its peer.
enum class PeerState {
  Acknowledged,    // the peer acknowledged data we sent: its side holds a real socket for us
  Waiting,         // nothing acknowledged yet, nothing resent
  Retransmitting,  // the SYN or the first data had to be sent again: the peer dropped it
  Unknown,         // not a TCP socket, or closed
};

// Reads TCP_INFO of `fd` (one getsockopt; Linux only). A connection whose handshake completed on
// our side may still be unknown to the server: when its accept queue is full, Linux drops the
// handshake's last ACK (or answers with a SYN cookie and drops it later), and only the
// acknowledgement of our first bytes shows that it took the connection.
PeerState probe_peer(int fd);

}  // namespace litellm::http
