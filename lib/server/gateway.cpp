#include "server/gateway.hpp"

#include "litellm/version.hpp"

#include "auth/api_key.hpp"
#include "core/ids.hpp"
#include "server/error_response.hpp"
#include "server/gateway_state.hpp"
#include "server/routes.hpp"

namespace litellm::server {

Gateway::Impl::Impl(config::Config cfg, config::EnvResolver env_in, GatewayOptions opts,
                    core::Logger& log)
    : initial_config(std::move(cfg)),
      env(std::move(env_in)),
      options(std::move(opts)),
      logger(log),
      loops(std::max(1, options.io_threads)),
      pool(loops, http::UpstreamPoolOptions{}, log),
      executor(pool) {}

void add_common_headers(core::Headers& headers, const std::string& call_id) {
  headers.emplace_back("x-litellm-call-id", call_id);
  headers.emplace_back("x-litellm-version", kCompatLiteLLMVersion);
}

http::Response json_response(int status, const nlohmann::json& body, const std::string& call_id) {
  http::Response r;
  r.status = status;
  r.body = body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  add_common_headers(r.headers, call_id);
  return r;
}

void Gateway::Impl::handle(http::Request& req, const http::Responder& responder) {
  const std::string call_id = core::new_uuid();
  if (logger.enabled(core::LogLevel::Debug)) {
    // Method, path and id only: bodies and headers may carry prompts and keys.
    logger.debug(req.method + " " + req.path + " call_id=" + call_id + " from " + req.remote_ip);
  }
  const auto reply = [&](http::Response r) {
    responder.reply(http::Reply{std::move(r), nullptr});
  };
  if (req.error) {
    reply(error_response(*req.error, call_id));
    return;
  }
  const RouteMatch m = match_route(req.method, req.path);
  switch (m.route) {
    case Route::Liveliness:
      reply(json_response(200, "I'm alive!", call_id));
      return;
    case Route::Readiness:
      reply(handle_readiness(*this, call_id));
      return;
    case Route::NotFound:
      reply(error_response(
          Error{ErrorCode::NotFound, "Not Found: " + req.method + " " + req.path, {}, {}, 0, {}},
          call_id));
      return;
    case Route::MethodNotAllowed: {
      auto r = error_response(
          Error::invalid("Method " + req.method + " is not allowed on " + req.path), call_id);
      r.status = 405;
      reply(std::move(r));
      return;
    }
    default:
      break;
  }
  requests.fetch_add(1, std::memory_order_relaxed);
  const auto snap = snapshot();  // once per request: auth and handler see the same config
  if (auto ok = auth::check_master_key(req.headers, snap->config.master_key); !ok) {
    reply(error_response(ok.error(), call_id));
    return;
  }
  switch (m.route) {
    case Route::Chat:
      handle_llm(*this, snap, CallKind::Chat, m.model, req, responder, call_id);
      return;
    case Route::Completion:
      handle_llm(*this, snap, CallKind::Completion, m.model, req, responder, call_id);
      return;
    case Route::Embedding:
      handle_llm(*this, snap, CallKind::Embedding, m.model, req, responder, call_id);
      return;
    case Route::Messages:
      handle_messages(*this, snap, req, responder, call_id);
      return;
    case Route::ListModels:
      reply(handle_list_models(*snap, call_id));
      return;
    case Route::GetModel:
      reply(handle_get_model(*snap, m.model, call_id));
      return;
    case Route::Health:
      handle_health(*this, *snap, req, responder, call_id);
      return;
    case Route::ModelInfo:
      reply(handle_model_info(*snap, req, call_id));
      return;
    case Route::ModelGroupInfo:
      reply(handle_model_group_info(*snap, req, call_id));
      return;
    default:
      reply(error_response(Error::make(ErrorCode::Internal, "unrouted request"), call_id));
  }
}

Gateway::Gateway(config::Config config, config::EnvResolver env, GatewayOptions options,
                 core::Logger& logger)
    : impl_(std::make_unique<Impl>(std::move(config), std::move(env), std::move(options), logger)) {
}

Gateway::~Gateway() = default;

Result<std::uint16_t> Gateway::start() {
  auto table = router::ModelTable::build(impl_->initial_config, impl_->registry, impl_->env,
                                         output_limit_of);
  if (!table) {
    return table.error();
  }
  auto first = make_snapshot(std::move(impl_->initial_config), std::move(*table));
  std::atomic_store(&impl_->current, std::shared_ptr<const Snapshot>(std::move(first)));
  http::ServerOptions so;
  so.host = impl_->options.host;
  so.port = impl_->options.port;
  so.body_limit_bytes = impl_->snapshot()->config.max_request_size_bytes;
  impl_->front = std::make_unique<http::ServerFront>(
      so,
      [impl = impl_.get()](http::Request& req, const http::Responder& r) { impl->handle(req, r); },
      impl_->loops, impl_->logger);
  return impl_->front->listen();
}

void Gateway::run() {
  impl_->front->run();
}

Result<std::uint64_t> Gateway::reload(config::Config config) {
  std::lock_guard lock(impl_->reload_mu);
  auto table = router::ModelTable::build(config, impl_->registry, impl_->env, output_limit_of);
  if (!table) {
    impl_->last_reload_error = table.error().message;
    return table.error();
  }
  const auto old = impl_->snapshot();
  if (config.max_request_size_bytes != old->config.max_request_size_bytes) {
    impl_->logger.warn(
        "reload: general_settings.max_request_size_mb takes effect at the next restart");
  }
  auto next = make_snapshot(std::move(config), std::move(*table));
  next->generation = old->generation + 1;
  const auto generation = next->generation;
  std::atomic_store(&impl_->current, std::shared_ptr<const Snapshot>(std::move(next)));
  impl_->last_reload_error.clear();
  return generation;
}

void Gateway::reload_failed(const Error& error) {
  std::lock_guard lock(impl_->reload_mu);
  impl_->last_reload_error = error.message;
}

void Gateway::stop(std::chrono::milliseconds grace) {
  if (impl_->front) {
    impl_->front->stop(grace);
  }
}

}  // namespace litellm::server
