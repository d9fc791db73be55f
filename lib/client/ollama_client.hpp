#pragma once

#include <functional>
#include <string>

#include <nlohmann/json.hpp>

#include "litellm/error.hpp"

namespace litellm::client {

// The Ollama server's base URL from --ollama-url, else OLLAMA_HOST (Ollama's own forms: "host",
// "host:port", "http://host:port"), else http://localhost:11434.
std::string ollama_base_url(const std::string& flag, const std::string& ollama_host_env);

// A blocking client of Ollama's native API. One thread at a time.
class OllamaClient {
 public:
  explicit OllamaClient(std::string base_url) : base_url_(std::move(base_url)) {}
  // GET /api/tags. Errors: UpstreamUnavailable when nothing answers (the message says how to
  // start Ollama); UpstreamError with Ollama's message otherwise.
  Result<nlohmann::json> tags() const;
  // POST /api/pull, handing each progress object to `on_progress` as it arrives. Errors as for
  // tags(); an {"error": ...} line in the stream ends it with UpstreamError carrying that text.
  Result<void> pull(const std::string& model,
                    const std::function<void(const nlohmann::json&)>& on_progress) const;
  const std::string& base_url() const { return base_url_; }

 private:
  std::string base_url_;
};

}  // namespace litellm::client
