#include "client/daemon_client.hpp"

#include <cctype>

#include <httplib.h>

#include "http/framing/sse_parser.hpp"

namespace litellm::client {

namespace {

Error from_status(int status, const std::string& body) {
  std::string message = "the daemon answered HTTP " + std::to_string(status);
  const auto j = nlohmann::json::parse(body, nullptr, false);
  if (!j.is_discarded() && j.is_object()) {
    if (j.contains("error") && j["error"].is_object() && j["error"].contains("message") &&
        j["error"]["message"].is_string()) {
      message = j["error"]["message"].get<std::string>();
    } else if (j.contains("detail")) {
      message = j["detail"].is_string() ? j["detail"].get<std::string>() : j["detail"].dump();
    }
  }
  Error e;
  e.code = status == 401 ? ErrorCode::Authentication
                         : (status == 404 ? ErrorCode::NotFound : ErrorCode::UpstreamError);
  e.message = std::move(message);
  e.upstream_status = status;
  return e;
}

Error unreachable(const std::string& base_url, httplib::Error why) {
  return Error::make(ErrorCode::UpstreamUnavailable,
                     "no litellm daemon answers at " + base_url + " (" + httplib::to_string(why) +
                         "). Start one with: litellm serve --config config.yaml");
}

}  // namespace

Result<nlohmann::json> DaemonClient::request(const std::string& method, const std::string& path,
                                             const std::string& body) const {
  httplib::Client http(endpoint_.base_url);
  http.set_tcp_nodelay(true);
  http.set_connection_timeout(2, 0);
  http.set_read_timeout(300, 0);
  httplib::Headers headers;
  if (!endpoint_.api_key.empty()) {
    headers.emplace("Authorization", "Bearer " + endpoint_.api_key);
  }
  const auto res = method == "POST" ? http.Post(path, headers, body, "application/json")
                                    : http.Get(path, headers);
  if (!res) {
    return unreachable(endpoint_.base_url, res.error());
  }
  if (res->status >= 400) {
    return from_status(res->status, res->body);
  }
  auto j = nlohmann::json::parse(res->body, nullptr, false);
  if (j.is_discarded()) {
    return Error::make(ErrorCode::UpstreamError,
                       "the daemon at " + endpoint_.base_url + " did not answer with JSON");
  }
  return j;
}

Result<ResponseHeaders> DaemonClient::stream(
    const std::string& path, const nlohmann::json& body,
    const std::function<bool(const std::string&)>& on_event) const {
  httplib::Client http(endpoint_.base_url);
  http.set_tcp_nodelay(true);
  http.set_connection_timeout(2, 0);
  http.set_read_timeout(600, 0);
  httplib::Request req;
  req.method = "POST";
  req.path = path;
  req.body = body.dump();
  req.set_header("Content-Type", "application/json");
  req.set_header("Accept", "text/event-stream");
  if (!endpoint_.api_key.empty()) {
    req.set_header("Authorization", "Bearer " + endpoint_.api_key);
  }
  http::SseParser parser;
  std::vector<core::StreamEvent> events;
  std::string error_body;
  bool is_error = false;
  bool stopped = false;
  ResponseHeaders head;
  req.response_handler = [&](const httplib::Response& res) {
    is_error = res.status >= 400;
    for (const auto& [name, value] : res.headers) {
      std::string lower = name;
      for (auto& ch : lower) {
        ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
      }
      head.emplace(std::move(lower), value);
    }
    return true;
  };
  req.content_receiver = [&](const char* data, std::size_t len, std::uint64_t, std::uint64_t) {
    if (is_error) {
      error_body.append(data, len);
      return true;
    }
    parser.feed(std::string_view(data, len), events);
    for (const auto& e : events) {
      if (!on_event(e.data)) {
        stopped = true;
        return false;
      }
    }
    events.clear();
    return true;
  };
  const auto res = http.send(req);
  if (stopped) {
    return head;
  }
  if (!res) {
    return unreachable(endpoint_.base_url, res.error());
  }
  if (res->status >= 400) {
    return from_status(res->status, error_body);
  }
  parser.finish(events);
  for (const auto& e : events) {
    if (!on_event(e.data)) {
      break;
    }
  }
  return head;
}

Result<nlohmann::json> DaemonClient::get(const std::string& path) const {
  return request("GET", path, "");
}

Result<nlohmann::json> DaemonClient::post(const std::string& path,
                                          const nlohmann::json& body) const {
  return request("POST", path, body.dump());
}

}  // namespace litellm::client
