#include "providers/azure/azure_adapter.hpp"

#include "openai/codec.hpp"
#include "providers/translate/request_params.hpp"

namespace litellm::providers::azure {

namespace {

using nlohmann::json;
namespace tr = translate;

// Azure has every OpenAI endpoint; the row only names it for errors and capability listings.
constexpr openai::Preset kAzure{"azure", "", "AZURE_API_KEY",
                                openai::kChat | openai::kStream | openai::kTools | openai::kVision |
                                    openai::kJson | openai::kEmbed | openai::kText};

}  // namespace

AzureAdapter::AzureAdapter() : openai_(kAzure, "AzureException") {}

Capabilities AzureAdapter::capabilities() const {
  return kAzure.capabilities();
}

Result<core::UpstreamRequest> AzureAdapter::build(const LlmRequest& req,
                                                  const Target& target) const {
  const std::string base = tr::base_url(target, "");
  if (base.empty()) {
    return Error::invalid(
        "azure needs api_base in litellm_params: https://<resource>.openai.azure.com", "api_base");
  }
  const bool v1 = base.size() >= 10 && base.compare(base.size() - 10, 10, "/openai/v1") == 0;
  json body = tr::effective_body(req, target);
  body.erase("azure_ad_token");
  if (v1) {
    body["model"] = target.model;
  } else {
    body.erase("model");  // the deployment is in the URL; Azure ignores the field
  }
  tr::apply_extra_body(body, req, target);
  const auto path = litellm::openai::endpoint_path(req.kind);
  auto up = tr::json_request(
      v1 ? base + std::string(path)
         : base + "/openai/deployments/" + target.model + std::string(path) + "?api-version=" +
               (target.api_version.empty() ? std::string(kDefaultApiVersion) : target.api_version),
      body, target, req.stream ? core::Framing::Sse : core::Framing::None);
  const auto token = target.default_params.value("azure_ad_token", json());
  if (token.is_string()) {
    up.headers.emplace_back("Authorization", "Bearer " + token.get<std::string>());
  } else if (!target.api_key.empty()) {
    up.headers.emplace_back("api-key", target.api_key.reveal());
  }
  return up;
}

Result<LlmResponse> AzureAdapter::parse(const core::UpstreamResponse& resp,
                                        const LlmRequest& req) const {
  return openai_.parse(resp, req);
}

std::unique_ptr<StreamDecoder> AzureAdapter::new_stream(const LlmRequest& req) const {
  return openai_.new_stream(req);
}

Error AzureAdapter::map_error(const core::UpstreamResponse& resp) const {
  return openai_.map_error(resp);
}

}  // namespace litellm::providers::azure
