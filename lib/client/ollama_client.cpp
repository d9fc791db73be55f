#include "client/ollama_client.hpp"

#include <httplib.h>

namespace litellm::client {

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

Result<nlohmann::json> OllamaClient::tags() const {
  httplib::Client http(base_url_);
  http.set_connection_timeout(2, 0);
  http.set_read_timeout(30, 0);
  const auto res = http.Get("/api/tags");
  if (!res) {
    return Error::make(
        ErrorCode::UpstreamUnavailable,
        "no Ollama server answers at " + base_url_ + " (" + httplib::to_string(res.error()) +
            "). Start it with `ollama serve`, or point --ollama-url/OLLAMA_HOST at it");
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
