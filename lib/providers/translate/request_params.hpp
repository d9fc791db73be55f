#pragma once

#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "litellm/error.hpp"
#include "litellm/types.hpp"

#include "providers/adapter.hpp"

namespace litellm::providers::translate {

// The request a provider is asked for: the deployment's litellm_params defaults under the
// client's body, without the fields the proxy itself consumes (metadata, fallbacks, timeout,
// ...) and without `additional_drop_params`. `extra_body` is left out too: apply_extra_body()
// adds it to the provider's own body at the end.
nlohmann::json effective_body(const LlmRequest& req, const Target& target);

// effective_body() with `model` set to the target's, written straight out as JSON: for adapters
// that send the OpenAI body on as it is (no copy of the request's tree per attempt). nullopt when
// there is an `extra_body` to merge: those build the tree and call apply_extra_body().
std::optional<std::string> effective_body_json(const LlmRequest& req, const Target& target);

// Merges the deployment's and the request's `extra_body` objects into a provider body.
void apply_extra_body(nlohmann::json& provider_body, const LlmRequest& req, const Target& target);

// OpenAI parameters in `body` that the provider cannot take. With drop_params they are
// removed; otherwise the call is refused as LiteLLM refuses it (UnsupportedParamsError, 400,
// naming the parameters and the provider). Parameters not in OpenAI's set are not judged.
Result<void> check_supported(nlohmann::json& body,
                             std::initializer_list<std::string_view> supported,
                             std::string_view provider, const std::string& model, bool drop_params);

// The extra headers of a deployment (litellm_params.extra_headers), as header pairs.
void add_extra_headers(core::Headers& headers, const Target& target);

}  // namespace litellm::providers::translate

namespace litellm::providers::translate {

// out[to] = body[from] for each pair whose field is set (OpenAI name -> provider name).
void copy_renamed(const nlohmann::json& body, nlohmann::json& out,
                  std::initializer_list<std::pair<const char*, const char*>> renames);
// max_completion_tokens, else max_tokens, when an integer; null otherwise.
nlohmann::json max_tokens_of(const nlohmann::json& body);
// `stop` as a list (a lone string becomes a list of one); null when absent.
nlohmann::json stop_list(const nlohmann::json& body);
// `tools`, or the legacy `functions` wrapped as tools; null when neither is given.
nlohmann::json tools_of(const nlohmann::json& body);
// api_base without trailing slashes, or `fallback` when the deployment gives none.
std::string base_url(const Target& target, std::string_view fallback);

}  // namespace litellm::providers::translate

namespace litellm::providers::translate {

// An upstream POST of `body` as JSON to `url`: Content-Type, the deployment's extra headers and
// timeout, and for a stream (`stream_framing` not None) its framing and the Accept header that
// asks for it. Adapters add their own auth headers.
core::UpstreamRequest json_request(std::string url, const nlohmann::json& body,
                                   const Target& target, core::Framing stream_framing);
// The same with the body already serialised.
core::UpstreamRequest json_request(std::string url, std::string body, const Target& target,
                                   core::Framing stream_framing);

}  // namespace litellm::providers::translate
