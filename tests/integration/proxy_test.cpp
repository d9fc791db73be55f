#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <functional>
#include <mutex>
#include <thread>

#include <doctest/doctest.h>

#include "integration/harness.hpp"
#include "support/loopback.hpp"
#include "support/tls_files.hpp"

using namespace litellm::test;  // NOLINT(google-build-using-namespace): test file

namespace {

// A proxy under test's control on a loopback port: reads each connection's request head, records
// its first line, and hands the connection to `answer` (on a thread of its own, so a tunnel may
// stay open while the next connection arrives).
class RecordingProxy {
 public:
  using Answer =
      std::function<void(int fd, const std::string& line, const std::atomic<bool>& stop)>;
  explicit RecordingProxy(Answer answer) : answer_(std::move(answer)) {
    fd_ = listen_on_loopback(port_);
    thread_ = std::thread([this] { serve(); });
  }
  ~RecordingProxy() {
    stop_ = true;
    thread_.join();
    for (auto& t : connections_) {
      t.join();
    }
    close(fd_);
  }
  RecordingProxy(const RecordingProxy&) = delete;
  RecordingProxy& operator=(const RecordingProxy&) = delete;

  int port() const { return port_; }
  std::vector<std::string> lines() {
    std::lock_guard lock(mu_);
    return lines_;
  }

 private:
  void serve() {
    while (!stop_) {
      pollfd p{fd_, POLLIN, 0};
      if (poll(&p, 1, 50) > 0) {
        const int c = accept(fd_, nullptr, nullptr);
        connections_.emplace_back([this, c] { handle(c); });
      }
    }
  }
  void handle(int c) {
    std::string head;
    char buf[4096];
    while (head.find("\r\n\r\n") == std::string::npos) {
      const auto n = recv(c, buf, sizeof buf, 0);
      if (n <= 0) {
        close(c);
        return;
      }
      head.append(buf, static_cast<std::size_t>(n));
    }
    const std::string line = head.substr(0, head.find("\r\n"));
    {
      std::lock_guard lock(mu_);
      lines_.push_back(line);
    }
    answer_(c, line, stop_);
    close(c);
  }

  Answer answer_;
  int fd_ = -1;
  int port_ = 0;
  std::atomic<bool> stop_{false};
  std::thread thread_;
  std::vector<std::thread> connections_;
  std::mutex mu_;
  std::vector<std::string> lines_;
};

// A forward HTTP proxy that answers every request itself: enough to tell whether the gateway
// went through it (absolute-form target) or not.
void answer_chat(int fd, const std::string&, const std::atomic<bool>&) {
  const std::string body = fixture("openai", "chat.response.json");
  const std::string resp =
      "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
      "Connection: close\r\nContent-Length: " +
      std::to_string(body.size()) + "\r\n\r\n" + body;
  send(fd, resp.data(), resp.size(), MSG_NOSIGNAL);
}

// An HTTPS proxy as corporate networks have them: answers CONNECT host:port by opening a tunnel
// to it and copying bytes both ways; it never sees inside the TLS.
void tunnel(int client, const std::string& line, const std::atomic<bool>& stop) {
  // "CONNECT 127.0.0.1:PORT HTTP/1.1": the tests' upstreams are all on loopback.
  const int target = line.rfind("CONNECT ", 0) == 0
                         ? connect_loopback(std::stoi(line.substr(line.find(':') + 1)))
                         : -1;
  const std::string reply = target >= 0 ? "HTTP/1.1 200 Connection established\r\n\r\n"
                                        : "HTTP/1.1 502 Bad Gateway\r\n\r\n";
  send(client, reply.data(), reply.size(), MSG_NOSIGNAL);
  if (target < 0) {
    return;
  }
  char buf[16384];
  while (!stop) {
    pollfd p[2] = {{client, POLLIN, 0}, {target, POLLIN, 0}};
    if (poll(p, 2, 50) <= 0) {
      continue;
    }
    const int from = (p[0].revents & (POLLIN | POLLHUP)) != 0 ? client : target;
    const int to = from == client ? target : client;
    const auto n = recv(from, buf, sizeof buf, 0);
    if (n <= 0 || send(to, buf, static_cast<std::size_t>(n), MSG_NOSIGNAL) != n) {
      break;
    }
  }
  close(target);
}

}  // namespace

TEST_CASE("proxy: calls to an https upstream tunnel through HTTPS_PROXY with CONNECT") {
  const auto& tls = test_tls_files();
  MockUpstream up(tls.cert, tls.key);
  up.reply_json("/v1/chat/completions", 200, fixture("openai", "chat.response.json"));
  RecordingProxy proxy(tunnel);
  const std::string cfg =
      "model_list:\n  - model_name: gpt-4o\n    litellm_params:\n      model: openai/gpt-4o\n"
      "      api_base: " +
      up.base_url() + "\n      num_retries: 0\nlitellm_settings:\n  ssl_verify: " + tls.ca + "\n";
  DaemonProcess d(
      cfg, {},
      {"HTTPS_PROXY=http://127.0.0.1:" + std::to_string(proxy.port()), "no_proxy=", "NO_PROXY="});
  const HttpClient c(d.port());
  CHECK(c.post("/v1/chat/completions", chat_body("gpt-4o")).status == 200);
  CHECK(c.post("/v1/chat/completions", chat_body("gpt-4o")).status == 200);
  // Two calls, one tunnel: the TLS connection through the proxy is kept and reused.
  REQUIRE(proxy.lines().size() == 1);
  CHECK(proxy.lines()[0] == "CONNECT 127.0.0.1:" + std::to_string(up.port()) + " HTTP/1.1");
  CHECK(up.request_count() == 2);
}

TEST_CASE("proxy: upstream calls go through http_proxy - and skip it for NO_PROXY hosts") {
  RecordingProxy proxy(answer_chat);
  MockUpstream up;
  up.reply_json("/v1/chat/completions", 200, fixture("openai", "chat.response.json"));
  const std::string proxy_url = "http://127.0.0.1:" + std::to_string(proxy.port());
  SUBCASE("proxied") {
    // The upstream's name resolves nowhere: only the proxy can have answered.
    const std::string cfg =
        "model_list:\n  - model_name: far\n    litellm_params:\n      model: openai/gpt-4o\n"
        "      api_base: http://upstream.invalid/v1\n      num_retries: 0\n";
    DaemonProcess d(cfg, {}, {"http_proxy=" + proxy_url, "HTTPS_PROXY=" + proxy_url});
    const auto r = HttpClient(d.port()).post("/v1/chat/completions", chat_body("far"));
    CHECK(r.status == 200);
    REQUIRE(proxy.lines().size() == 1);
    CHECK(proxy.lines()[0] == "POST http://upstream.invalid/v1/chat/completions HTTP/1.1");
  }
  SUBCASE("NO_PROXY") {
    DaemonProcess d(gateway_config(up), {},
                    {"http_proxy=" + proxy_url, "NO_PROXY=127.0.0.1,localhost"});
    const auto r = HttpClient(d.port()).post("/v1/chat/completions", chat_body("gpt-4o"), auth());
    CHECK(r.status == 200);
    CHECK(proxy.lines().empty());
    CHECK(up.request_count() == 1);
  }
}
