#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "litellm/error.hpp"
#include "litellm/types.hpp"

#include "core/http_message.hpp"
#include "core/secret.hpp"

namespace litellm::providers {

// What one deployment says about where and how to call. Built by the router from config;
// adapters never see config types.
struct Target {
  std::string provider;
  std::string model;  // the provider's model name
  std::string api_base;
  std::string api_version;
  core::Secret api_key;
  nlohmann::json extra_headers = nlohmann::json::object();
  nlohmann::json default_params = nlohmann::json::object();
  bool drop_params = false;
  std::chrono::milliseconds timeout{600'000};
  // The model's output limit when known (model_info or the price table), for providers that
  // require max_tokens on every request.
  std::optional<std::int64_t> max_output_tokens;
};

struct Capabilities {
  bool chat = false;
  bool stream = false;
  bool tools = false;
  bool vision = false;
  bool json_mode = false;
  bool embeddings = false;
  bool completions = false;
};

// Turns one upstream stream's events into OpenAI chunks. One per stream; one thread at a time.
class StreamDecoder {
 public:
  virtual ~StreamDecoder() = default;
  // Errors: UpstreamError for a mid-stream error event or a malformed event.
  virtual Result<void> on_event(const core::StreamEvent& event, std::vector<LlmChunk>& out) = 0;
  // Upstream ended: flush what is held back.
  virtual Result<void> finish(std::vector<LlmChunk>& out) = 0;
  // True once the provider's end-of-stream marker was seen.
  virtual bool saw_end() const = 0;
};

// Translates the canonical (OpenAI) format to one provider's wire format and back. Pure: no I/O.
// Immutable after construction; shared by all threads.
class ProviderAdapter {
 public:
  virtual ~ProviderAdapter() = default;
  virtual std::string_view name() const = 0;
  virtual Capabilities capabilities() const = 0;

  // Errors: InvalidRequest/UnsupportedParam naming the parameter; Unsupported for a call kind the
  // provider lacks.
  virtual Result<core::UpstreamRequest> build(const LlmRequest& req,
                                              const Target& target) const = 0;
  // Errors: UpstreamError when the body is not what the provider documents.
  virtual Result<LlmResponse> parse(const core::UpstreamResponse& resp,
                                    const LlmRequest& req) const = 0;
  virtual std::unique_ptr<StreamDecoder> new_stream(const LlmRequest& req) const = 0;
  // A non-2xx answer as an Error with the right ErrorCode, the provider's message and retry_after.
  virtual Error map_error(const core::UpstreamResponse& resp) const = 0;
};

}  // namespace litellm::providers
