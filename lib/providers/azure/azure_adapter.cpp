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

void rename_exception(Error& e) {
  constexpr std::string_view kFrom = "OpenAIException - ";
  if (e.message.rfind(kFrom, 0) == 0) {
    e.message = "AzureException - " + e.message.substr(kFrom.size());
  }
  e.provider = "azure";
}

// The first chunk of an Azure stream holds only prompt_filter_results: no id, no choices.
class AzureStreamDecoder final : public StreamDecoder {
 public:
  explicit AzureStreamDecoder(std::unique_ptr<StreamDecoder> inner) : inner_(std::move(inner)) {}
  Result<void> on_event(const core::StreamEvent& event, std::vector<LlmChunk>& out) override {
    std::vector<LlmChunk> got;
    auto r = inner_->on_event(event, got);
    for (auto& c : got) {
      const auto& choices = c.body.value("choices", json::array());
      if (choices.empty() && !c.body.contains("usage") && c.body.value("id", "").empty()) {
        continue;
      }
      out.push_back(std::move(c));
    }
    if (!r) {
      Error e = r.error();
      rename_exception(e);
      return e;
    }
    return {};
  }
  Result<void> finish(std::vector<LlmChunk>& out) override { return inner_->finish(out); }
  bool saw_end() const override { return inner_->saw_end(); }

 private:
  std::unique_ptr<StreamDecoder> inner_;
};

}  // namespace

AzureAdapter::AzureAdapter() : openai_(kAzure) {}

Capabilities AzureAdapter::capabilities() const {
  return kAzure.capabilities();
}

Result<core::UpstreamRequest> AzureAdapter::build(const LlmRequest& req,
                                                  const Target& target) const {
  std::string base = target.api_base;
  while (!base.empty() && base.back() == '/') {
    base.pop_back();
  }
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
  core::UpstreamRequest up;
  const auto path = litellm::openai::endpoint_path(req.kind);
  up.url =
      v1 ? base + std::string(path)
         : base + "/openai/deployments/" + target.model + std::string(path) + "?api-version=" +
               (target.api_version.empty() ? std::string(kDefaultApiVersion) : target.api_version);
  up.body = body.dump(-1, ' ', false, json::error_handler_t::replace);
  up.headers.emplace_back("Content-Type", "application/json");
  const auto token = target.default_params.value("azure_ad_token", json());
  if (token.is_string()) {
    up.headers.emplace_back("Authorization", "Bearer " + token.get<std::string>());
  } else if (!target.api_key.empty()) {
    up.headers.emplace_back("api-key", target.api_key.reveal());
  }
  tr::add_extra_headers(up.headers, target);
  if (req.stream) {
    up.framing = core::Framing::Sse;
    up.headers.emplace_back("Accept", "text/event-stream");
  }
  up.timeout = target.timeout;
  return up;
}

Result<LlmResponse> AzureAdapter::parse(const core::UpstreamResponse& resp,
                                        const LlmRequest& req) const {
  auto r = openai_.parse(resp, req);
  if (!r) {
    Error e = r.error();
    rename_exception(e);
    return e;
  }
  return r;
}

std::unique_ptr<StreamDecoder> AzureAdapter::new_stream(const LlmRequest& req) const {
  return std::make_unique<AzureStreamDecoder>(openai_.new_stream(req));
}

Error AzureAdapter::map_error(const core::UpstreamResponse& resp) const {
  Error e = openai_.map_error(resp);
  rename_exception(e);
  return e;
}

}  // namespace litellm::providers::azure
