// A streamed call: each attempt's upstream bytes framed (SSE, NDJSON, AWS event stream),
// decoded by the provider's adapter and handed on as chunks; a failure before the first byte
// is retried like a whole call's.
#include "http/framing/aws_eventstream.hpp"
#include "http/framing/sse_parser.hpp"
#include "router/call_base.hpp"

namespace litellm::router {

namespace {

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

std::shared_ptr<CallHandle> start_stream_call(Executor::Parts parts,
                                              std::shared_ptr<const ModelTable> table,
                                              const ModelGroup& group, LlmRequest request,
                                              CallOptions options, std::shared_ptr<ChunkSink> sink,
                                              Executor::Done failed) {
  auto c = std::make_shared<StreamCall>(parts, std::move(table), group, std::move(request),
                                        std::move(options), std::move(sink), std::move(failed));
  c->start();
  return c;
}

}  // namespace litellm::router
