#include "server/pipeline/call_context.hpp"

#include "server/call_account.hpp"

namespace litellm::server {

CallContext::CallContext(RequestContext rc_in, const InboundApi& api_in, LlmRequest request_in,
                         std::chrono::steady_clock::time_point started_at,
                         std::span<const CallStage* const> stages)
    : rc(std::move(rc_in)),
      started(started_at),
      api(api_in),
      request(std::move(request_in)),
      model(request.model),
      stages_(stages) {}

CallContext::~CallContext() {
  end(CallEnd{CallEnd::How::Aborted, nullptr, nullptr});
}

void CallContext::resume() {
  while (next_ < stages_.size()) {
    const CallStage& stage = *stages_[next_++];
    if (stage.on_request(*this) == StageStatus::Stop) {
      return;
    }
  }
}

void CallContext::refuse(const Error& e, const core::Headers& extra) {
  auto r = api.error(e, rc.call_id);
  r.headers.insert(r.headers.end(), extra.begin(), extra.end());
  rc.reply(std::move(r));
  end(CallEnd{CallEnd::How::Refused, &e, nullptr});
}

void CallContext::end(const CallEnd& how) {
  if (ended_.exchange(true)) {
    return;
  }
  for (std::size_t i = next_; i > 0; --i) {
    stages_[i - 1]->on_end(*this, how);
  }
}

void CallContext::on_chunks(std::vector<LlmChunk>& chunks) {
  for (std::size_t i = 0; i < next_; ++i) {
    stages_[i]->on_chunks(*this, chunks);
  }
}

}  // namespace litellm::server
