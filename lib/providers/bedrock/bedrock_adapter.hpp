#pragma once

#include <string_view>

#include "providers/adapter.hpp"

namespace litellm::providers::bedrock {

// Amazon Bedrock's Converse and ConverseStream APIs, signed with AWS SigV4 (or a Bedrock API
// key as Bearer). Credentials and region come from the deployment's aws_* params, which the
// model table fills from the standard AWS environment variables when absent. ConverseStream
// answers in binary event-stream frames (Framing::AwsEventStream). Immutable; share freely.
class BedrockAdapter final : public ProviderAdapter {
 public:
  std::string_view name() const override { return "bedrock"; }
  Capabilities capabilities() const override;
  Result<core::UpstreamRequest> build(const LlmRequest& req, const Target& target) const override;
  Result<LlmResponse> parse(const core::UpstreamResponse& resp,
                            const LlmRequest& req) const override;
  std::unique_ptr<StreamDecoder> new_stream(const LlmRequest& req) const override;
  Error map_error(const core::UpstreamResponse& resp) const override;
};

// The litellm_params a deployment's AWS identity is read from.
inline constexpr std::string_view kAccessKeyParam = "aws_access_key_id";
inline constexpr std::string_view kSecretKeyParam = "aws_secret_access_key";
inline constexpr std::string_view kSessionTokenParam = "aws_session_token";
inline constexpr std::string_view kRegionParam = "aws_region_name";

}  // namespace litellm::providers::bedrock
