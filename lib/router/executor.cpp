#include "router/executor.hpp"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <mutex>

#include "http/framing/aws_eventstream.hpp"
#include "http/framing/sse_parser.hpp"
#include "http/upstream.hpp"
#include "providers/mock/mock_responder.hpp"

namespace litellm::router {

namespace {

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
    const Deployment* d = candidates.size() == 1
                              ? candidates.front()
                              : parts_.strategy.pick(group_, candidates, parts_.random);
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
    if (cancelled_.load()) {
      return;
    }
    CallOutcome out;
    out.error = std::move(e);
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
    if (cancelled_.load()) {
      return;
    }
    CallOutcome out;
    out.response = std::move(resp);
    out.deployment = last_;
    out.retries = retries_;
    auto done = std::move(done_);
    if (done) {
      done(std::move(out));
    }
  }
};

class StreamCall;

// Receives one attempt's upstream bytes, frames and decodes them, hands chunks on.
class AttemptSink final : public http::StreamSink {
 public:
  AttemptSink(std::shared_ptr<StreamCall> call, const Deployment& d)
      : call_(std::move(call)), d_(d) {}
  void on_head(int status, const core::Headers& headers) override;
  bool on_body(std::string_view bytes) override;
  void on_end(Result<core::UpstreamResponse> r) override;

 private:
  // Decodes and hands on `events`. False when one was an error: the stream is then ended
  // (finished_, the call cancelled, the sink told).
  bool emit_events(std::vector<core::StreamEvent>& events);
  // Ends the stream with an error for bytes that are not frames (CRC mismatch, cut frame).
  void fail_framing();

  std::shared_ptr<StreamCall> call_;
  const Deployment& d_;
  std::unique_ptr<providers::StreamDecoder> decoder_;
  // Feeds `bytes` to this attempt's framer. False when the bytes are not valid frames.
  bool frame(std::string_view bytes);
  bool frame_end();

  http::SseParser sse_;
  http::NdjsonParser ndjson_;
  http::AwsEventStreamParser eventstream_;
  core::Framing framing_ = core::Framing::Sse;
  bool started_ = false;
  bool finished_ = false;
  std::vector<core::StreamEvent> events_;
  std::vector<LlmChunk> chunks_;
  friend class StreamCall;
};

class StreamCall final : public CallBase, public std::enable_shared_from_this<StreamCall> {
 public:
  StreamCall(Executor::Parts parts, std::shared_ptr<const ModelTable> table,
             const ModelGroup& group, LlmRequest req, CallOptions options,
             std::shared_ptr<ChunkSink> sink, Executor::Done failed)
      : CallBase(parts, std::move(table), group, std::move(req), std::move(options),
                 std::move(failed)),
        sink_(std::move(sink)) {}
  void start() { attempt(); }

 private:
  friend class AttemptSink;

  void attempt() override {
    const Deployment* d = next_deployment();
    auto self = shared_from_this();
    if (d->local) {
      auto chunks = providers::mock::respond_stream(req_, mock_spec(*d, options_, parts_.clock));
      if (!chunks) {
        if (!retry(chunks.error(), self)) {
          fail(chunks.error());
        }
        return;
      }
      sink_->on_start(*d, retries_);
      sink_->on_chunks(*chunks);
      sink_->on_end({});
      return;
    }
    std::optional<providers::Target> adjusted;
    auto built = d->adapter->build(req_, target_for(*d, req_, adjusted));
    if (!built) {
      fail(built.error());
      return;
    }
    auto attempt_sink = std::make_shared<AttemptSink>(self, *d);
    attempt_sink->decoder_ = d->adapter->new_stream(req_);
    attempt_sink->framing_ = built->framing;
    set_current(parts_.upstream.open_stream(options_.loop, std::move(*built), attempt_sink));
  }

  void failed_before_start(Error e) {
    clear_current();
    if (!retry(e, shared_from_this())) {
      fail(std::move(e));
    }
  }

  std::shared_ptr<ChunkSink> sink_;
};

void AttemptSink::on_head(int, const core::Headers&) {
  started_ = true;
  call_->sink_->on_start(d_, call_->retries_);
}

bool AttemptSink::emit_events(std::vector<core::StreamEvent>& events) {
  for (const auto& ev : events) {
    if (auto r = decoder_->on_event(ev, chunks_); !r) {
      if (!chunks_.empty()) {
        call_->sink_->on_chunks(chunks_);
        chunks_.clear();
      }
      finished_ = true;
      call_->cancel();
      call_->sink_->on_end(r.error());
      return false;
    }
  }
  events.clear();
  if (!chunks_.empty()) {
    call_->sink_->on_chunks(chunks_);
    chunks_.clear();
  }
  return true;
}

bool AttemptSink::on_body(std::string_view bytes) {
  if (finished_) {
    return true;
  }
  if (!call_->sink_->ready()) {
    return false;
  }
  if (!frame(bytes)) {
    emit_events(events_);  // the frames before the corrupt one
    fail_framing();
    return true;
  }
  emit_events(events_);
  return true;
}

bool AttemptSink::frame(std::string_view bytes) {
  switch (framing_) {
    case core::Framing::Ndjson:
      ndjson_.feed(bytes, events_);
      return true;
    case core::Framing::AwsEventStream:
      return eventstream_.feed(bytes, events_);
    default:
      sse_.feed(bytes, events_);
      return true;
  }
}

bool AttemptSink::frame_end() {
  switch (framing_) {
    case core::Framing::Ndjson:
      ndjson_.finish(events_);
      return true;
    case core::Framing::AwsEventStream:
      return eventstream_.finish();
    default:
      sse_.finish(events_);
      return true;
  }
}

void AttemptSink::fail_framing() {
  if (finished_) {
    return;
  }
  finished_ = true;
  call_->cancel();
  const std::string why =
      eventstream_.error().empty() ? "the stream ended inside a frame" : eventstream_.error();
  call_->sink_->on_end(Error{ErrorCode::UpstreamError,
                             "upstream stream is corrupt: " + why,
                             {},
                             d_.target.provider,
                             0,
                             {}});
}

void AttemptSink::on_end(Result<core::UpstreamResponse> r) {
  auto call = call_;
  if (finished_) {
    call->clear_current();
    return;
  }
  if (!r) {
    finished_ = true;
    Error e = r.error();
    e.provider = d_.target.provider;
    if (!started_) {
      call->failed_before_start(std::move(e));
    } else {
      call->clear_current();
      call->sink_->on_end(std::move(e));
    }
    return;
  }
  if (r->status < 200 || r->status >= 300) {
    finished_ = true;
    call->failed_before_start(d_.adapter->map_error(*r));
    return;
  }
  call->clear_current();
  const bool whole = frame_end();
  if (!emit_events(events_)) {
    return;  // the last event was an error, already reported
  }
  if (!whole) {
    fail_framing();
    return;
  }
  finished_ = true;
  if (auto f = decoder_->finish(chunks_); !f) {
    call->sink_->on_end(f.error());
    return;
  }
  if (!chunks_.empty()) {
    call->sink_->on_chunks(chunks_);
  }
  call->sink_->on_end({});
}

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
  auto c = std::make_shared<StreamCall>(parts_, std::move(table), group, std::move(request),
                                        std::move(options), std::move(sink), std::move(failed));
  c->start();
  return c;
}

}  // namespace litellm::router
