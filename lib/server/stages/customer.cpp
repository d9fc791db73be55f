#include "server/pipeline/call_context.hpp"
#include "server/stages/stages.hpp"
#include "spend/ledger.hpp"

namespace litellm::server {

namespace {

// The key's team, then the customer (once known).
StageStatus check_parties(CallContext& call) {
  if (auto ok = check_party_access(call.rc.caller, call.request.model); !ok) {
    call.refuse(ok.error());
    return StageStatus::Stop;
  }
  return StageStatus::Continue;
}

class Customer final : public CallStage {
 public:
  std::string_view name() const override { return "customer"; }
  StageStatus on_request(CallContext& call) const override {
    Gateway::Impl& gw = call.rc.gw;
    Caller& caller = call.rc.caller;
    const auto& body = call.request.body;
    const auto u = body.find("user");
    if (!gw.db || caller.customer_checked || u == body.end() || !u->is_string() ||
        u->get_ref<const std::string&>().empty()) {
      return check_parties(call);
    }
    // A customer with a budget and limits of its own: read once, then cached (an unknown id is
    // cached as none).
    const std::string id = u->get<std::string>();
    const std::string entity = spend::entity_of(store::SpendHolder::Customer, id);
    caller.customer_checked = true;
    if (auto cached = gw.party_cache.get(entity)) {
      caller.customer = std::move(*cached);
      return check_parties(call);
    }
    const bool queued = gw.blocking->post([&gw, self = call.shared_from_this(), id, entity] {
      auto found = gw.read_party(store::PartyKind::Customer, id);
      if (!found) {
        self->refuse(found.error());
        return;
      }
      gw.party_cache.put(entity, *found);
      self->rc.caller.customer = std::move(*found);
      if (check_parties(*self) == StageStatus::Continue) {
        self->resume();
      }
    });
    if (!queued) {
      call.refuse(Error::make(ErrorCode::Storage, "the key database is not keeping up"));
    }
    return StageStatus::Stop;
  }
};

}  // namespace

const CallStage& customer_stage() {
  static const Customer kStage;
  return kStage;
}

}  // namespace litellm::server
