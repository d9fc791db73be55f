#pragma once

#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace httplib {
class Server;
struct Request;
struct Response;
}  // namespace httplib

namespace litellm::test {

struct ReceivedRequest {
  std::string method;
  std::string path;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  std::string header(const std::string& name) const;
};

// A small real HTTP server on 127.0.0.1:<free port> that plays an upstream provider. Tests
// install a handler per path; every request is logged so tests assert on what the gateway sent.
class MockUpstream {
 public:
  using Handler = std::function<void(const httplib::Request&, httplib::Response&)>;

  MockUpstream();
  // Serves HTTPS with this certificate and key (PEM files) instead of plain HTTP.
  MockUpstream(const std::string& cert_file, const std::string& key_file);
  ~MockUpstream();
  MockUpstream(const MockUpstream&) = delete;
  MockUpstream& operator=(const MockUpstream&) = delete;

  int port() const { return port_; }
  std::string base_url() const;  // http(s)://127.0.0.1:<port>/v1

  void on_post(const std::string& path, Handler handler);
  void on_get(const std::string& path, Handler handler);
  // Answers POST `path` with a fixed status, JSON body and headers.
  void reply_json(const std::string& path, int status, const std::string& body,
                  std::vector<std::pair<std::string, std::string>> headers = {});
  // Answers POST `path` with SSE `bytes`, split into events, `gap_ms` apart. Sets
  // stream_aborted() when the gateway hangs up early.
  void reply_sse(const std::string& path, const std::string& bytes, int gap_ms = 0);

  std::vector<ReceivedRequest> requests() const;
  std::size_t request_count() const;
  bool stream_aborted() const;

  void record(const httplib::Request& req);
  void mark_aborted();

 private:
  void start();

  std::unique_ptr<httplib::Server> server_;
  std::string scheme_ = "http";
  std::thread thread_;
  int port_ = 0;
  mutable std::mutex mu_;
  std::vector<ReceivedRequest> requests_;
  bool aborted_ = false;
};

}  // namespace litellm::test
