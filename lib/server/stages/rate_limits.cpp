#include "server/call_account.hpp"
#include "server/pipeline/call_context.hpp"
#include "server/stages/stages.hpp"

namespace litellm::server {

namespace {

class RateLimits final : public CallStage {
 public:
  std::string_view name() const override { return "rate_limits"; }
  StageStatus on_request(CallContext& call) const override {
    auto specs = CallAccount::limit_specs(call.rc.caller, *call.group);
    if (specs.empty()) {
      return StageStatus::Continue;
    }
    // With Redis the answer comes from another thread, after a round trip shared with the
    // other calls waiting for theirs.
    const auto tokens = call.account->limit_tokens();
    call.rc.gw.acquire_limits(std::move(specs), tokens,
                              [self = call.shared_from_this()](auth::Admission got) {
                                if (auto refused = self->account->admit_limits(std::move(got))) {
                                  self->refuse(refused->error, refused->headers);
                                  return;
                                }
                                self->resume();
                              });
    return StageStatus::Stop;
  }
};

}  // namespace

const CallStage& rate_limits_stage() {
  static const RateLimits kStage;
  return kStage;
}

}  // namespace litellm::server
