#include "client/ollama_client.hpp"

#include <httplib.h>

#include "http/framing/sse_parser.hpp"

namespace litellm::client {

namespace {
Error unreachable(const std::string& base_url, httplib::Error why) {
  return Error::make(
      ErrorCode::UpstreamUnavailable,
      "no Ollama server answers at " + base_url + " (" + httplib::to_string(why) +
          "). Start it with `ollama serve`, or point --ollama-url/OLLAMA_HOST at it");
}
}  // namespace

std::string ollama_base_url(const std::string& flag, const std::string& ollama_host_env) {
  std::string url = !flag.empty() ? flag : ollama_host_env;
  if (url.empty()) {
    return "http://localhost:11434";
  }
  if (url.find("://") == std::string::npos) {
    url = "http://" + url;
  }
  // A host without a port means Ollama's default port.
  const auto host_start = url.find("://") + 3;
  if (url.find(':', host_start) == std::string::npos) {
    const auto slash = url.find('/', host_start);
    url.insert(slash == std::string::npos ? url.size() : slash, ":11434");
  }
  while (url.back() == '/') {
    url.pop_back();
  }
  return url;
}

Result<void> OllamaClient::pull(
    const std::string& model, const std::function<void(const nlohmann::json&)>& on_progress) const {
  httplib::Client http(base_url_);
  http.set_connection_timeout(2, 0);
  http.set_read_timeout(3600, 0);  // a layer can take long between progress lines on slow links
  httplib::Request req;
  req.method = "POST";
  req.path = "/api/pull";
  req.body = nlohmann::json{{"model", model}}.dump();
  req.set_header("Content-Type", "application/json");
  http::NdjsonParser parser;
  std::vector<core::StreamEvent> lines;
  std::string failure;
  const auto handle = [&](std::vector<core::StreamEvent>& batch) {
    for (const auto& line : batch) {
      const auto j = nlohmann::json::parse(line.data, nullptr, false);
      if (j.is_discarded() || !j.is_object()) {
        continue;
      }
      if (j.contains("error")) {
        failure = j["error"].is_string() ? j["error"].get<std::string>() : j["error"].dump();
        return false;
      }
      on_progress(j);
    }
    batch.clear();
    return true;
  };
  req.content_receiver = [&](const char* data, std::size_t len, std::uint64_t, std::uint64_t) {
    parser.feed(std::string_view(data, len), lines);
    return handle(lines);
  };
  const auto res = http.send(req);
  if (failure.empty()) {
    parser.finish(lines);
    handle(lines);
  }
  if (!failure.empty()) {
    return Error::make(ErrorCode::UpstreamError, "Ollama: " + failure);
  }
  if (!res) {
    return unreachable(base_url_, res.error());
  }
  if (res->status >= 400) {
    return Error::make(ErrorCode::UpstreamError,
                       "Ollama answered HTTP " + std::to_string(res->status));
  }
  return {};
}

Result<nlohmann::json> OllamaClient::tags() const {
  httplib::Client http(base_url_);
  http.set_connection_timeout(2, 0);
  http.set_read_timeout(30, 0);
  const auto res = http.Get("/api/tags");
  if (!res) {
    return unreachable(base_url_, res.error());
  }
  auto j = nlohmann::json::parse(res->body, nullptr, false);
  if (res->status >= 400 || j.is_discarded()) {
    std::string message = "Ollama answered HTTP " + std::to_string(res->status);
    if (!j.is_discarded() && j.is_object() && j.contains("error") && j["error"].is_string()) {
      message += ": " + j["error"].get<std::string>();
    }
    return Error::make(ErrorCode::UpstreamError, message);
  }
  return j;
}

}  // namespace litellm::client
