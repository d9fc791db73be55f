#include "openai/codec.hpp"
#include "server/pipeline/call_context.hpp"
#include "server/stages/stages.hpp"

namespace litellm::server {

namespace {

Error unknown_model(CallKind kind, const std::string& model, const router::ModelTable& table) {
  std::string names;
  for (const auto& n : table.names()) {
    names += names.empty() ? "" : ", ";
    names += n;
  }
  return Error::invalid(std::string(openai::endpoint_path(kind)) +
                            ": Invalid model name passed in model=" + model +
                            ". Call `/v1/models` to view available models for your " +
                            "key. Available models: " + (names.empty() ? "(none)" : names),
                        "model");
}

class ResolveModel final : public CallStage {
 public:
  std::string_view name() const override { return "resolve_model"; }
  StageStatus on_request(CallContext& call) const override {
    const auto& table = *call.rc.snap->table;
    call.group = table.find(call.request.model);
    if (call.group == nullptr) {
      call.refuse(unknown_model(call.request.kind, call.request.model, table));
      return StageStatus::Stop;
    }
    return StageStatus::Continue;
  }
};

}  // namespace

const CallStage& resolve_model_stage() {
  static const ResolveModel kStage;
  return kStage;
}

}  // namespace litellm::server
