#pragma once

#include <string_view>

#include "providers/adapter.hpp"
#include "providers/openai/openai_adapter.hpp"

namespace litellm::providers::azure {

// Azure OpenAI: OpenAI's bodies on a deployment-scoped URL with `api-version`, the `api-key`
// header (or a Microsoft Entra token as Bearer); answers, streams and errors are OpenAI's
// (the OpenAI adapter, naming itself AzureException). The v1 surface (api_base ending in
// /openai/v1) takes the deployment as the body's model instead. Immutable; share freely.
class AzureAdapter final : public ProviderAdapter {
 public:
  AzureAdapter();
  std::string_view name() const override { return "azure"; }
  Capabilities capabilities() const override;
  Result<core::UpstreamRequest> build(const LlmRequest& req, const Target& target) const override;
  Result<LlmResponse> parse(const core::UpstreamResponse& resp,
                            const LlmRequest& req) const override;
  std::unique_ptr<StreamDecoder> new_stream(const LlmRequest& req) const override;
  Error map_error(const core::UpstreamResponse& resp) const override;

 private:
  openai::OpenAIAdapter openai_;  // the shared wire format: parsing, stream chunks, error bodies
};

// api-version when the deployment gives none: the current GA version.
inline constexpr std::string_view kDefaultApiVersion = "2024-10-21";

}  // namespace litellm::providers::azure
