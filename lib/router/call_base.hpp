#pragma once

// What the executor's two kinds of call share (executor.cpp: whole answers; stream_call.cpp:
// streams). Private to lib/router.
#include <atomic>
#include <memory>
#include <mutex>
#include <optional>
#include <vector>

#include "http/upstream.hpp"
#include "providers/mock/mock_responder.hpp"
#include "router/executor.hpp"

namespace litellm::router {

// The group's deployments this call has not tried yet (all of them once each was tried).
std::vector<const Deployment*> eligible(const ModelGroup& group,
                                        const std::vector<const Deployment*>& tried);
// The deployment's target as it is, or a copy in `adjusted` with the timeout the request or a
// stream asks for. Most calls ask for none, and a copy costs a few allocations (its default
// params are a JSON object).
const providers::Target& target_for(const Deployment& d, const LlmRequest& req,
                                    std::optional<providers::Target>& adjusted);
providers::mock::MockSpec mock_spec(const Deployment& d, const CallOptions& o,
                                    const core::Clock& clock);

// What both call kinds share: attempt bookkeeping, retries, cancellation.
class CallBase : public CallHandle {
 public:
  CallBase(Executor::Parts parts, std::shared_ptr<const ModelTable> table, const ModelGroup& group,
           LlmRequest req, CallOptions options, Executor::Done done)
      : parts_(parts),
        table_(std::move(table)),
        group_(group),
        req_(std::move(req)),
        options_(std::move(options)),
        done_(std::move(done)) {}

  void cancel() override {
    cancelled_.store(true);
    std::shared_ptr<http::Transfer> t;
    {
      std::lock_guard lock(mu_);
      t = std::move(current_);
    }
    if (t) {
      t->cancel();
    }
  }
  void resume() override {
    std::shared_ptr<http::Transfer> t;
    {
      std::lock_guard lock(mu_);
      t = current_;
    }
    if (t) {
      t->resume();
    }
  }

 protected:
  virtual void attempt() = 0;

  const Deployment* next_deployment() {
    const auto candidates = eligible(group_, tried_);
    const Deployment* d = parts_.strategy.pick(group_, candidates, parts_.random);
    tried_.push_back(d);
    last_ = d;
    return d;
  }
  void set_current(std::shared_ptr<http::Transfer> t) {
    std::lock_guard lock(mu_);
    if (cancelled_.load()) {
      t->cancel();
      return;
    }
    current_ = std::move(t);
  }
  void clear_current() {
    std::lock_guard lock(mu_);
    current_.reset();
  }
  // Schedules another attempt when the error allows one. True when it did.
  bool retry(const Error& e, const std::shared_ptr<CallBase>& self) {
    const auto delay = options_.retry.delay_before(e, retries_ + 1);
    if (!delay || cancelled_.load()) {
      return false;
    }
    ++retries_;
    parts_.upstream.run_after(options_.loop, *delay, [self] {
      if (!self->cancelled_.load()) {
        self->attempt();
      }
    });
    return true;
  }
  void fail(Error e) {
    CallOutcome out;
    out.error = std::move(e);
    finish(std::move(out));
  }
  // Hands the outcome to `done` once (not after a cancel), with where it went and its retries.
  void finish(CallOutcome out) {
    if (cancelled_.load()) {
      return;
    }
    out.deployment = last_;
    out.retries = retries_;
    auto done = std::move(done_);
    if (done) {
      done(std::move(out));
    }
  }

  Executor::Parts parts_;
  std::shared_ptr<const ModelTable> table_;
  const ModelGroup& group_;
  LlmRequest req_;
  CallOptions options_;
  Executor::Done done_;
  std::vector<const Deployment*> tried_;
  const Deployment* last_ = nullptr;
  int retries_ = 0;
  std::atomic<bool> cancelled_{false};
  std::mutex mu_;
  std::shared_ptr<http::Transfer> current_;  // guarded by mu_
};

// Starts a streamed call (stream_call.cpp).
std::shared_ptr<CallHandle> start_stream_call(Executor::Parts parts,
                                              std::shared_ptr<const ModelTable> table,
                                              const ModelGroup& group, LlmRequest request,
                                              CallOptions options, std::shared_ptr<ChunkSink> sink,
                                              Executor::Done failed);

}  // namespace litellm::router
