// Anthropic's Messages API (/v1/messages) served from any model: translated to OpenAI's shapes
// on the way in and back on the way out (openai/anthropic_inbound.cpp holds the translation).
#include "litellm/version.hpp"

#include "openai/anthropic_inbound.hpp"
#include "openai/codec.hpp"
#include "server/apis/inbound_api.hpp"
#include "server/error_response.hpp"

namespace litellm::server {

namespace {

class AnthropicEncoding final : public StreamEncoding {
 public:
  explicit AnthropicEncoding(std::string model) : encoder_(std::move(model)) {}
  void chunks(const std::vector<LlmChunk>& chunks, std::string& out) override {
    for (const auto& c : chunks) {
      out += encoder_.encode(c.body);
    }
  }
  void end(const Result<void>& result, std::string& out) override {
    out += result
               ? encoder_.finish()
               : encoder_.fail(result.error().code,
                               error_json(result.error()).value("message", result.error().message));
  }

 private:
  openai::AnthropicStreamEncoder encoder_;
};

class AnthropicApi final : public InboundApi {
 public:
  Result<LlmRequest> decode(CallKind /*kind*/, std::string_view body,
                            const std::string& /*path_model*/) const override {
    return openai::parse_messages_request(body);
  }

  std::string encode(LlmResponse& answer, const std::string& model) const override {
    return openai::to_anthropic_message(openai::complete_body(answer), model)
        .dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  }

  std::unique_ptr<StreamEncoding> stream_encoding(const std::string& model) const override {
    return std::make_unique<AnthropicEncoding>(model);
  }

  // Anthropic's stream always carries usage (message_start, message_delta).
  bool strips_unasked_usage() const override { return false; }

  http::Response error(const Error& e, const std::string& call_id) const override {
    auto r = error_response(e, call_id);
    r.body = openai::anthropic_error(e.code, error_json(e).value("message", e.message)).dump();
    r.headers.emplace_back("x-litellm-version", kCompatLiteLLMVersion);
    return r;
  }
};

}  // namespace

const InboundApi& anthropic_api() {
  static const AnthropicApi kApi;
  return kApi;
}

}  // namespace litellm::server
