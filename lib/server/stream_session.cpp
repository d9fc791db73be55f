#include "server/stream_session.hpp"

#include "openai/codec.hpp"
#include "server/error_response.hpp"

namespace litellm::server {

namespace {

class OpenAIEncoding final : public StreamEncoding {
 public:
  void chunks(const std::vector<LlmChunk>& chunks, std::string& out) override {
    for (const auto& c : chunks) {
      out += openai::sse_event(c.body);
    }
  }
  void end(const Result<void>& result, std::string& out) override {
    if (result) {
      out.append(openai::kSseDone);
    } else {
      // After the head is out the status is spent: the error travels as one last event.
      out += openai::sse_event(error_json(result.error()));
    }
  }
};

}  // namespace

std::unique_ptr<StreamEncoding> openai_encoding() {
  return std::make_unique<OpenAIEncoding>();
}

void StreamSession::set_handle(std::shared_ptr<router::CallHandle> handle) {
  std::lock_guard lock(mu_);
  if (!done_) {
    handle_ = std::move(handle);
  }
}

void StreamSession::on_start(const router::Deployment& deployment, int retries) {
  if (tap_.start) {
    tap_.start(deployment);
  }
  http::Reply reply;
  reply.response.status = 200;
  reply.response.content_type = "text/event-stream";
  reply.response.headers = head_(deployment, retries);
  reply.stream = shared_from_this();
  responder_.reply(std::move(reply));
}

bool StreamSession::ready() {
  std::lock_guard lock(mu_);
  if (buffer_.size() >= kHighWater) {
    paused_ = true;
    return false;
  }
  return true;
}

void StreamSession::on_chunks(std::vector<LlmChunk>& chunks) {
  if (tap_.chunks) {
    tap_.chunks(chunks);
  }
  std::unique_lock lock(mu_);
  encoding_->chunks(chunks, buffer_);
  deliver_locked(lock);
}

void StreamSession::on_end(Result<void> result) {
  if (tap_.end) {
    tap_.end(result);
  }
  std::unique_lock lock(mu_);
  encoding_->end(result, buffer_);
  done_ = true;
  handle_.reset();  // the call is over; drop the reference cycle call -> sink -> call
  deliver_locked(lock);
}

void StreamSession::deliver_locked(std::unique_lock<std::mutex>& lock) {
  if (!waiter_ || (buffer_.empty() && !done_)) {
    return;
  }
  auto waiter = std::move(waiter_);
  waiter_ = nullptr;
  http::StreamPiece piece{std::move(buffer_), done_};
  buffer_.clear();
  std::shared_ptr<router::CallHandle> resume;
  if (paused_) {
    paused_ = false;
    resume = handle_;
  }
  lock.unlock();
  if (resume) {
    resume->resume();
  }
  waiter(std::move(piece));
}

void StreamSession::next(std::function<void(http::StreamPiece)> deliver) {
  std::unique_lock lock(mu_);
  waiter_ = std::move(deliver);
  deliver_locked(lock);
}

void StreamSession::cancel() {
  std::shared_ptr<router::CallHandle> handle;
  std::function<void(http::StreamPiece)> waiter;
  {
    std::lock_guard lock(mu_);
    handle = std::move(handle_);
    done_ = true;
    buffer_.clear();
    waiter = std::move(waiter_);
    waiter_ = nullptr;
  }
  if (handle) {
    handle->cancel();
  }
  // Nobody will read the rest: release the connection's pull so it can finish and close.
  if (waiter) {
    waiter(http::StreamPiece{{}, true});
  }
}

}  // namespace litellm::server
