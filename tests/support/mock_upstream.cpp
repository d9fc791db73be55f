#include "support/mock_upstream.hpp"

#include <chrono>
#include <stdexcept>

#include <httplib.h>

#include "core/http_message.hpp"

namespace litellm::test {

std::string ReceivedRequest::header(const std::string& name) const {
  for (const auto& [k, v] : headers) {
    if (core::iequals(k, name)) {
      return v;
    }
  }
  return {};
}

MockUpstream::MockUpstream() : server_(std::make_unique<httplib::Server>()) {
  start();
}

MockUpstream::MockUpstream(const std::string& cert_file, const std::string& key_file)
    : server_(std::make_unique<httplib::SSLServer>(cert_file.c_str(), key_file.c_str())),
      scheme_("https") {
  if (!server_->is_valid()) {
    throw std::runtime_error("MockUpstream: cannot load " + cert_file + " / " + key_file);
  }
  start();
}

void MockUpstream::start() {
  server_->set_tcp_nodelay(true);
  port_ = server_->bind_to_any_port("127.0.0.1");
  thread_ = std::thread([this] { server_->listen_after_bind(); });
  while (!server_->is_running()) {
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
}

MockUpstream::~MockUpstream() {
  server_->stop();
  thread_.join();
}

std::string MockUpstream::base_url() const {
  return scheme_ + "://127.0.0.1:" + std::to_string(port_) + "/v1";
}

void MockUpstream::record(const httplib::Request& req) {
  ReceivedRequest r;
  r.method = req.method;
  r.path = req.path;
  for (const auto& [k, v] : req.headers) {
    r.headers.emplace_back(k, v);
  }
  r.body = req.body;
  std::lock_guard lock(mu_);
  requests_.push_back(std::move(r));
}

void MockUpstream::mark_aborted() {
  std::lock_guard lock(mu_);
  aborted_ = true;
}

void MockUpstream::on_post(const std::string& path, Handler handler) {
  server_->Post(path, [this, handler](const httplib::Request& req, httplib::Response& res) {
    record(req);
    handler(req, res);
  });
}

void MockUpstream::on_get(const std::string& path, Handler handler) {
  server_->Get(path, [this, handler](const httplib::Request& req, httplib::Response& res) {
    record(req);
    handler(req, res);
  });
}

void MockUpstream::reply_json(const std::string& path, int status, const std::string& body,
                              std::vector<std::pair<std::string, std::string>> headers) {
  on_post(path, [status, body, headers](const httplib::Request&, httplib::Response& res) {
    res.status = status;
    for (const auto& [k, v] : headers) {
      res.set_header(k, v);
    }
    res.set_content(body, "application/json");
  });
}

void MockUpstream::reply_sse(const std::string& path, const std::string& bytes, int gap_ms) {
  // Split after each blank line so events arrive one by one, as a provider sends them.
  auto pieces = std::make_shared<std::vector<std::string>>();
  std::size_t start = 0;
  while (start < bytes.size()) {
    auto end = bytes.find("\n\n", start);
    end = end == std::string::npos ? bytes.size() : end + 2;
    pieces->push_back(bytes.substr(start, end - start));
    start = end;
  }
  on_post(path, [this, pieces, gap_ms](const httplib::Request&, httplib::Response& res) {
    res.set_chunked_content_provider(
        "text/event-stream",
        [this, pieces, gap_ms, i = std::size_t{0}](std::size_t, httplib::DataSink& sink) mutable {
          if (i >= pieces->size()) {
            sink.done();
            return true;
          }
          if (gap_ms > 0 && i > 0) {
            std::this_thread::sleep_for(std::chrono::milliseconds(gap_ms));
          }
          const auto& p = (*pieces)[i++];
          if (!sink.is_writable() || !sink.write(p.data(), p.size())) {
            mark_aborted();
            return false;
          }
          return true;
        });
  });
}

std::vector<ReceivedRequest> MockUpstream::requests() const {
  std::lock_guard lock(mu_);
  return requests_;
}

std::size_t MockUpstream::request_count() const {
  std::lock_guard lock(mu_);
  return requests_.size();
}

bool MockUpstream::stream_aborted() const {
  std::lock_guard lock(mu_);
  return aborted_;
}

}  // namespace litellm::test
