#include "router/executor.hpp"

#include <algorithm>
#include <chrono>

#include "router/call_base.hpp"

namespace litellm::router {

using std::chrono::milliseconds;

// The group's deployments this call has not tried yet (all of them once each was tried).
std::vector<const Deployment*> eligible(const ModelGroup& group,
                                        const std::vector<const Deployment*>& tried) {
  std::vector<const Deployment*> candidates;
  for (const auto* d : group.deployments) {
    if (std::find(tried.begin(), tried.end(), d) == tried.end()) {
      candidates.push_back(d);
    }
  }
  if (candidates.empty()) {
    candidates = group.deployments;
  }
  return candidates;
}

// The deployment's target as it is, or a copy in `adjusted` with the timeout the request or a
// stream asks for. Most calls ask for none, and a copy costs a few allocations (its default
// params are a JSON object).
const providers::Target& target_for(const Deployment& d, const LlmRequest& req,
                                    std::optional<providers::Target>& adjusted) {
  std::optional<milliseconds> timeout;
  const auto it = req.body.find("timeout");
  if (it != req.body.end() && it->is_number() && it->get<double>() > 0) {
    timeout = milliseconds(static_cast<long long>(it->get<double>() * 1000));
  }
  if (req.stream && d.config.stream_timeout_s) {
    timeout = milliseconds(static_cast<long long>(*d.config.stream_timeout_s * 1000));
  }
  if (!timeout) {
    return d.target;
  }
  adjusted.emplace(d.target);
  adjusted->timeout = *timeout;
  return *adjusted;
}

providers::mock::MockSpec mock_spec(const Deployment& d, const CallOptions& o,
                                    const core::Clock& clock) {
  providers::mock::MockSpec spec;
  spec.model = d.config.provider_model;
  spec.mock_response = d.config.mock_response;
  spec.id = "chatcmpl-" + o.call_id;
  spec.created = clock.unix_seconds();
  return spec;
}

namespace {

class UnaryCall final : public CallBase, public std::enable_shared_from_this<UnaryCall> {
 public:
  using CallBase::CallBase;
  void start() { attempt(); }

 private:
  void attempt() override {
    const Deployment* d = next_deployment();
    auto self = shared_from_this();
    if (d->local) {
      auto r = providers::mock::respond(req_, mock_spec(*d, options_, parts_.clock));
      if (!r) {
        if (!retry(r.error(), self)) {
          fail(r.error());
        }
        return;
      }
      succeed(std::move(*r));
      return;
    }
    std::optional<providers::Target> adjusted;
    auto built = d->adapter->build(req_, target_for(*d, req_, adjusted));
    if (!built) {
      fail(built.error());
      return;
    }
    set_current(parts_.upstream.send(
        options_.loop, std::move(*built),
        [self, d](Result<core::UpstreamResponse> r) { self->on_response(*d, std::move(r)); }));
  }

  void on_response(const Deployment& d, Result<core::UpstreamResponse> r) {
    clear_current();
    auto self = shared_from_this();
    if (!r) {
      Error e = r.error();
      e.provider = d.target.provider;
      if (!retry(e, self)) {
        fail(std::move(e));
      }
      return;
    }
    if (r->status < 200 || r->status >= 300) {
      Error e = d.adapter->map_error(*r);
      if (!retry(e, self)) {
        fail(std::move(e));
      }
      return;
    }
    auto parsed = d.adapter->parse(*r, req_);
    if (!parsed) {
      fail(parsed.error());
      return;
    }
    succeed(std::move(*parsed));
  }

  void succeed(LlmResponse resp) {
    CallOutcome out;
    out.response = std::move(resp);
    finish(std::move(out));
  }
};

}  // namespace

std::shared_ptr<CallHandle> Executor::call(std::shared_ptr<const ModelTable> table,
                                           const ModelGroup& group, LlmRequest request,
                                           CallOptions options, Done done) {
  auto c = std::make_shared<UnaryCall>(parts_, std::move(table), group, std::move(request),
                                       std::move(options), std::move(done));
  c->start();
  return c;
}

std::shared_ptr<CallHandle> Executor::stream(std::shared_ptr<const ModelTable> table,
                                             const ModelGroup& group, LlmRequest request,
                                             CallOptions options, std::shared_ptr<ChunkSink> sink,
                                             Done failed) {
  return start_stream_call(parts_, std::move(table), group, std::move(request), std::move(options),
                           std::move(sink), std::move(failed));
}

}  // namespace litellm::router
