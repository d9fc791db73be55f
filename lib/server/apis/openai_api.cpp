// OpenAI's wire: the proxy's native one (LlmRequest bodies are OpenAI's).
#include "litellm/version.hpp"

#include "openai/codec.hpp"
#include "server/apis/inbound_api.hpp"
#include "server/error_response.hpp"

namespace litellm::server {

namespace {

class OpenAIApi final : public InboundApi {
 public:
  Result<LlmRequest> decode(CallKind kind, std::string_view body,
                            const std::string& path_model) const override {
    auto parsed = openai::parse_request(kind, body, path_model);
    if (parsed && kind == CallKind::Embedding) {
      parsed->stream = false;
    }
    return parsed;
  }

  std::string encode(LlmResponse& answer, const std::string& /*model*/) const override {
    if (!answer.raw.empty()) {
      return std::move(answer.raw);
    }
    return answer.body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  }

  std::unique_ptr<StreamEncoding> stream_encoding(const std::string& /*model*/) const override {
    return openai_encoding();
  }

  bool strips_unasked_usage() const override { return true; }

  http::Response error(const Error& e, const std::string& call_id) const override {
    auto r = error_response(e, call_id);
    r.headers.emplace_back("x-litellm-version", kCompatLiteLLMVersion);
    return r;
  }
};

}  // namespace

const InboundApi& openai_api() {
  static const OpenAIApi kApi;
  return kApi;
}

}  // namespace litellm::server
