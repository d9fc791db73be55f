#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "litellm/error.hpp"
#include "litellm/types.hpp"

#include "http/server_front.hpp"
#include "server/stream_session.hpp"

namespace litellm::server {

// The wire a client speaks to the proxy: how its requests read and how its answers, streams
// and errors are written. One implementation per inbound API (apis/*.cpp), each stateless and
// shared by all calls; the LLM pipeline works in LlmRequest / LlmResponse between the two.
class InboundApi {
 public:
  virtual ~InboundApi() = default;
  // `path_model`: the model named in the path (/engines/{model}/...), empty when none.
  virtual Result<LlmRequest> decode(CallKind kind, std::string_view body,
                                    const std::string& path_model) const = 0;
  // A whole answer's body (`model`: the one the client asked for).
  virtual std::string encode(LlmResponse& answer, const std::string& model) const = 0;
  virtual std::unique_ptr<StreamEncoding> stream_encoding(const std::string& model) const = 0;
  // Whether usage the client did not ask for is kept off its stream (the upstream is always
  // asked for it: spend is counted from it).
  virtual bool strips_unasked_usage() const = 0;
  // An error in this API's shape; the status is error_response()'s.
  virtual http::Response error(const Error& e, const std::string& call_id) const = 0;
};

// OpenAI's /v1/chat/completions, /v1/completions and /v1/embeddings (apis/openai_api.cpp).
const InboundApi& openai_api();
// Anthropic's /v1/messages, answered from any model (apis/anthropic_api.cpp).
const InboundApi& anthropic_api();

}  // namespace litellm::server
