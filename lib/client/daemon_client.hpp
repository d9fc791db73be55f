#pragma once

#include <functional>
#include <map>
#include <string>

#include <nlohmann/json.hpp>

#include "litellm/error.hpp"

namespace litellm::client {

// Response headers, names lower-cased.
using ResponseHeaders = std::map<std::string, std::string>;

// Where the daemon is and which key to present.
struct Endpoint {
  std::string base_url = "http://127.0.0.1:4000";
  std::string api_key;
};

// A blocking client of the daemon's own HTTP API (the CLI's). One thread at a time.
class DaemonClient {
 public:
  explicit DaemonClient(Endpoint endpoint) : endpoint_(std::move(endpoint)) {}

  // Errors: UpstreamUnavailable when nothing answers at base_url (the message says how to start
  // a daemon); the daemon's own error (message and status) for 4xx/5xx answers.
  Result<nlohmann::json> get(const std::string& path) const;
  Result<nlohmann::json> post(const std::string& path, const nlohmann::json& body) const;
  // POSTs and hands each SSE `data:` payload to `on_event` as it arrives ("[DONE]" included).
  // `on_event` returns false to stop reading. Errors as for post(); an error answered before
  // the stream started comes back as that error. Answers the stream's response headers
  // (x-litellm-model-id names the deployment that answered).
  Result<ResponseHeaders> stream(const std::string& path, const nlohmann::json& body,
                                 const std::function<bool(const std::string&)>& on_event) const;

  const Endpoint& endpoint() const { return endpoint_; }

 private:
  Result<nlohmann::json> request(const std::string& method, const std::string& path,
                                 const std::string& body) const;
  Endpoint endpoint_;
};

}  // namespace litellm::client
