#include "server/pipeline/call_context.hpp"
#include "server/stages/stages.hpp"

namespace litellm::server {

namespace {

class KeyAccess final : public CallStage {
 public:
  std::string_view name() const override { return "access"; }
  StageStatus on_request(CallContext& call) const override {
    if (const auto& key = call.rc.caller.key) {
      if (auto ok = check_key_access(*key, call.request.model, call.rc.gw.clock.unix_seconds());
          !ok) {
        call.refuse(ok.error());
        return StageStatus::Stop;
      }
    }
    return StageStatus::Continue;
  }
};

}  // namespace

const CallStage& access_stage() {
  static const KeyAccess kStage;
  return kStage;
}

}  // namespace litellm::server
