#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fstream>
#include <set>
#include <sstream>

#include <doctest/doctest.h>

#include "integration/harness.hpp"
#include "support/loopback.hpp"
#include "support/tls_files.hpp"

using namespace litellm::test;  // NOLINT(google-build-using-namespace): test file

namespace {

std::string https_config(const std::string& api_base, const std::string& litellm_settings = "") {
  return "model_list:\n  - model_name: gpt-4o\n    litellm_params:\n      model: openai/gpt-4o\n"
         "      api_base: " +
         api_base + "\n      api_key: " + kUpstreamKey +
         "\n      num_retries: 0\n"
         "general_settings:\n  master_key: " +
         kMasterKey + "\n" + litellm_settings;
}

// nginx (Debian's) answering the recorded chat completion over TLS with HTTP/2 offered by
// ALPN, logging the protocol of every request: the witness of what the gateway spoke.
class Http2Upstream {
 public:
  Http2Upstream() : port_(free_loopback_port()) {
    std::string body = fixture("openai", "chat.response.json");
    std::string quoted;
    for (const char c : body) {
      if (c == '\\' || c == '\'') {
        quoted += '\\';
      }
      quoted += c;
    }
    const auto& tls = test_tls_files();
    const std::string d = dir_.path();
    dir_.write(
        "nginx.conf",
        "daemon off;\nmaster_process off;\npid " + d + "/nginx.pid;\nerror_log " + d +
            "/error.log warn;\nevents { worker_connections 64; }\nhttp {\n"
            "  client_body_temp_path " +
            d + ";\n  proxy_temp_path " + d + ";\n  fastcgi_temp_path " + d +
            ";\n  uwsgi_temp_path " + d + ";\n  scgi_temp_path " + d +
            ";\n  log_format proto '$connection $server_protocol $request_method $request_uri';\n"
            "  access_log " +
            d + "/access.log proto;\n  server {\n    listen 127.0.0.1:" + std::to_string(port_) +
            " ssl http2;\n    ssl_certificate " + tls.cert + ";\n    ssl_certificate_key " +
            tls.key + ";\n    location / { default_type application/json; return 200 '" + quoted +
            "'; }\n  }\n}\n");
    pid_ = fork();
    if (pid_ == 0) {
      execlp("nginx", "nginx", "-p", d.c_str(), "-c", (d + "/nginx.conf").c_str(), "-e",
             (d + "/error.log").c_str(), static_cast<char*>(nullptr));
      _exit(127);
    }
    const bool up = wait_until([this] {
      const int fd = connect_loopback(port_);
      if (fd >= 0) {
        close(fd);
      }
      return fd >= 0;
    });
    INFO("nginx error log: " << read("error.log"));
    REQUIRE(up);
  }
  ~Http2Upstream() {
    kill(pid_, SIGTERM);
    waitpid(pid_, nullptr, 0);
  }
  Http2Upstream(const Http2Upstream&) = delete;
  Http2Upstream& operator=(const Http2Upstream&) = delete;

  std::string base_url() const { return "https://127.0.0.1:" + std::to_string(port_) + "/v1"; }
  std::string read(const std::string& name) const {
    std::ifstream in(dir_.path() + "/" + name);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
  }

 private:
  TempDir dir_;
  int port_;
  pid_t pid_ = -1;
};

}  // namespace

TEST_CASE("tls: an https upstream's certificate is checked against the trusted CAs") {
  const auto& tls = test_tls_files();
  MockUpstream up(tls.cert, tls.key);
  up.reply_json("/v1/chat/completions", 200, fixture("openai", "chat.response.json"));

  SUBCASE("litellm_settings.ssl_verify names the CA bundle") {
    DaemonProcess d(
        https_config(up.base_url(), "litellm_settings:\n  ssl_verify: " + tls.ca + "\n"));
    const auto r = HttpClient(d.port()).post("/v1/chat/completions", chat_body("gpt-4o"), auth());
    CHECK(r.status == 200);
    CHECK(nlohmann::json::parse(r.body)["choices"][0]["message"]["role"] == "assistant");
    CHECK(d.stderr_text().find("certificates are not checked") == std::string::npos);
    REQUIRE(up.request_count() == 1);
    CHECK(up.requests()[0].header("Authorization") == std::string("Bearer ") + kUpstreamKey);
  }
  SUBCASE("SSL_CERT_FILE names the CA bundle") {
    DaemonProcess d(https_config(up.base_url()), {}, {"SSL_CERT_FILE=" + tls.ca});
    const auto r = HttpClient(d.port()).post("/v1/chat/completions", chat_body("gpt-4o"), auth());
    CHECK(r.status == 200);
    CHECK(up.request_count() == 1);
  }
  SUBCASE("a bundle named in the config beats a machine-wide SSL_CERT_FILE") {
    DaemonProcess d(
        https_config(up.base_url(), "litellm_settings:\n  ssl_verify: " + tls.ca + "\n"), {},
        {"SSL_CERT_FILE=/etc/ssl/certs/ca-certificates.crt"});
    const auto r = HttpClient(d.port()).post("/v1/chat/completions", chat_body("gpt-4o"), auth());
    CHECK(r.status == 200);
  }
  SUBCASE("SSL_VERIFY may name the bundle too") {
    DaemonProcess d(https_config(up.base_url()), {}, {"SSL_VERIFY=" + tls.ca});
    const auto r = HttpClient(d.port()).post("/v1/chat/completions", chat_body("gpt-4o"), auth());
    CHECK(r.status == 200);
  }
  SUBCASE("an unknown CA fails the call before anything is sent, and says why") {
    DaemonProcess d(https_config(up.base_url()));
    const auto r = HttpClient(d.port()).post("/v1/chat/completions", chat_body("gpt-4o"), auth());
    CHECK(r.status == 502);
    const auto err = nlohmann::json::parse(r.body)["error"];
    CHECK(err["type"] == "api_connection_error");
    INFO(err.dump());
    CHECK(err["message"].get<std::string>().find("certificate") != std::string::npos);
    CHECK(up.request_count() == 0);
  }
  SUBCASE("ssl_verify: false skips the check") {
    DaemonProcess d(https_config(up.base_url(), "litellm_settings:\n  ssl_verify: false\n"));
    const auto r = HttpClient(d.port()).post("/v1/chat/completions", chat_body("gpt-4o"), auth());
    CHECK(r.status == 200);
    CHECK(up.request_count() == 1);
  }
  SUBCASE("SSL_VERIFY=False in the environment wins over the config file") {
    DaemonProcess d(https_config(up.base_url(), "litellm_settings:\n  ssl_verify: true\n"), {},
                    {"SSL_VERIFY=False"});
    const auto r = HttpClient(d.port()).post("/v1/chat/completions", chat_body("gpt-4o"), auth());
    CHECK(r.status == 200);
  }
}

TEST_CASE("tls: a CA bundle that does not exist is a config error naming file, line and key") {
  TempDir dir;
  const auto cfg = dir.write("config.yaml",
                             "model_list: []\nlitellm_settings:\n  drop_params: true\n"
                             "  ssl_verify: /nonexistent/ca.pem\n");
  const auto r = run_binary(LITELLMD_PATH, {"--config", cfg, "--port", "0"});
  CHECK(r.exit_code != 0);
  CHECK(r.output.find(cfg + ":4") != std::string::npos);
  CHECK(r.output.find("litellm_settings.ssl_verify") != std::string::npos);
  CHECK(r.output.find("/nonexistent/ca.pem") != std::string::npos);
}

TEST_CASE("tls: calls to an https upstream that offers HTTP/2 use it, on one connection") {
  const auto& tls = test_tls_files();
  Http2Upstream up;
  DaemonProcess d(https_config(up.base_url(), "litellm_settings:\n  ssl_verify: " + tls.ca + "\n"));
  const HttpClient c(d.port());
  for (int i = 0; i < 3; ++i) {
    const auto r = c.post("/v1/chat/completions", chat_body("gpt-4o"), auth());
    CHECK(r.status == 200);
    CHECK(nlohmann::json::parse(r.body)["usage"]["total_tokens"].get<int>() > 0);
  }
  const std::string log = up.read("access.log");
  INFO(log);
  std::istringstream lines(log);
  std::set<std::string> connections;
  int h2 = 0;
  for (std::string conn, proto, method, uri; lines >> conn >> proto >> method >> uri;) {
    connections.insert(conn);
    h2 += proto == "HTTP/2.0" && method == "POST" && uri == "/v1/chat/completions" ? 1 : 0;
  }
  CHECK(h2 == 3);
  CHECK(connections.size() == 1);
}
