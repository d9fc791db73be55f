#include "server/call_account.hpp"
#include "server/pipeline/call_context.hpp"
#include "server/stages/stages.hpp"

namespace litellm::server {

namespace {

class Budget final : public CallStage {
 public:
  std::string_view name() const override { return "budget"; }
  StageStatus on_request(CallContext& call) const override {
    auto opened = CallAccount::open(
        call.rc.gw, call.rc.snap, call.rc.caller,
        CallAccount::Request{&call.request, call.group, call.rc.call_id, call.rc.req.body.size()});
    if (auto* refused = std::get_if<CallAccount::Refused>(&opened)) {
      call.refuse(refused->error, refused->headers);
      return StageStatus::Stop;
    }
    call.account = std::get<std::shared_ptr<CallAccount>>(std::move(opened));
    return StageStatus::Continue;
  }
};

}  // namespace

const CallStage& budget_stage() {
  static const Budget kStage;
  return kStage;
}

}  // namespace litellm::server
