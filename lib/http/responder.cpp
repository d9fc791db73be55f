// Answering a request: the Responder's state shared with the connection, and the fallback
// answer when a handler cannot give one.
#include "http/detail/server_parts.hpp"

namespace litellm::http {

std::string_view Request::header(std::string_view name) const {
  for (const auto& [k, v] : headers) {
    if (core::iequals(k, name)) {
      return v;
    }
  }
  return {};
}

Reply last_resort_500(const std::string& message) {
  Reply r;
  r.response.status = 500;
  r.response.body = R"({"error":{"message":")" + message +
                    R"(","type":"internal_server_error","param":null,"code":"500"}})";
  return r;
}

Responder Responder::to_function(std::function<void(Reply)> deliver) {
  auto state = std::make_shared<State>();
  state->deliver = [deliver = std::move(deliver)](Reply r, bool /*may_resume_here*/) {
    deliver(std::move(r));
  };
  return Responder(std::move(state));
}

void Responder::reply(Reply reply) const {
  std::function<void(Reply, bool)> deliver;
  {
    std::lock_guard lock(state_->mu);
    deliver = std::move(state_->deliver);
    state_->deliver = nullptr;
  }
  if (deliver) {
    deliver(std::move(reply), true);
  }
}

void Responder::on_disconnect(std::function<void()> hook) const {
  {
    std::lock_guard lock(state_->mu);
    if (!state_->disconnected) {
      state_->disconnect_hook = std::move(hook);
      return;
    }
  }
  if (hook) {
    hook();  // already gone: run it now, outside the lock
  }
}

void fire_disconnect(const std::shared_ptr<Responder::State>& state) {
  std::function<void()> hook;
  {
    std::lock_guard lock(state->mu);
    if (state->disconnected) {
      return;
    }
    state->disconnected = true;
    hook = std::move(state->disconnect_hook);
  }
  if (hook) {
    hook();
  }
}

}  // namespace litellm::http
