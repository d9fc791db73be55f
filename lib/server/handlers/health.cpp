#include <mutex>

#include "litellm/version.hpp"

#include "server/error_response.hpp"
#include "server/gateway_state.hpp"
#include "server/handlers/handlers.hpp"
#include "server/request_context.hpp"

namespace litellm::server {

namespace {

// Collects one result per deployment and answers when the last one is in.
struct HealthRound {
  std::mutex mu;
  nlohmann::json healthy = nlohmann::json::array();
  nlohmann::json unhealthy = nlohmann::json::array();
  std::size_t pending = 0;
  http::Responder responder;
  std::string call_id;

  explicit HealthRound(http::Responder r) : responder(std::move(r)) {}

  void add(nlohmann::json endpoint, bool ok) {
    std::lock_guard lock(mu);
    (ok ? healthy : unhealthy).push_back(std::move(endpoint));
    if (--pending == 0) {
      const auto hc = healthy.size();
      const auto uc = unhealthy.size();
      responder.reply(http::Reply{json_response(200,
                                                {{"healthy_endpoints", std::move(healthy)},
                                                 {"unhealthy_endpoints", std::move(unhealthy)},
                                                 {"healthy_count", hc},
                                                 {"unhealthy_count", uc}},
                                                call_id),
                                  nullptr});
    }
  }
};

// The deployment's litellm_params as LiteLLM shows them: never the credential.
nlohmann::json describe(const router::Deployment& d) {
  nlohmann::json e = {{"model", d.config.model}};
  if (!d.config.api_base.empty()) {
    e["api_base"] = d.config.api_base;
  }
  if (!d.config.api_version.empty()) {
    e["api_version"] = d.config.api_version;
  }
  if (d.config.rpm) {
    e["rpm"] = *d.config.rpm;
  }
  if (d.config.tpm) {
    e["tpm"] = *d.config.tpm;
  }
  return e;
}

}  // namespace

void handle_health(RequestContext& rc) {
  Gateway::Impl& gw = rc.gw;
  const http::Request& req = rc.req;
  const std::string& call_id = rc.call_id;
  const auto& table = rc.snap->table;
  const auto& deployments = table->deployments();
  if (deployments.empty()) {
    rc.reply(json_response(500, {{"detail", {{"error", "Model list not initialized"}}}}, call_id));
    return;
  }
  auto round = std::make_shared<HealthRound>(rc.responder);
  round->call_id = call_id;
  round->pending = deployments.size();
  for (const auto& d : deployments) {
    const router::ModelGroup* group = table->find(d->config.id);
    LlmRequest probe;
    const bool embedding = d->config.model_info.value("mode", "chat") == "embedding";
    probe.kind = embedding ? CallKind::Embedding : CallKind::Chat;
    probe.model = d->config.model_name;
    probe.body = embedding ? nlohmann::json{{"model", probe.model}, {"input", "ping"}}
                           : nlohmann::json{{"model", probe.model},
                                            {"messages", {{{"role", "user"}, {"content", "ping"}}}},
                                            {"max_tokens", 1}};
    router::CallOptions options;
    options.call_id = call_id;
    options.loop = req.loop;
    options.retry.num_retries = 0;
    const router::Deployment* dp = d.get();
    gw.executor.call(table, *group, std::move(probe), options,
                     [round, dp](router::CallOutcome out) {
                       nlohmann::json e = describe(*dp);
                       if (out.error) {
                         e["error"] = error_json(*out.error)["error"]["message"];
                       }
                       round->add(std::move(e), !out.error);
                     });
  }
}

void handle_liveliness(RequestContext& rc) {
  rc.reply(json_response(200, "I'm alive!", rc.call_id));
}

void handle_readiness(RequestContext& rc) {
  Gateway::Impl& gw = rc.gw;
  const auto& snap = rc.snap;
  std::string reload_error;
  {
    std::lock_guard lock(gw.reload_mu);
    reload_error = gw.last_reload_error;
  }
  const auto uptime = std::chrono::duration_cast<std::chrono::seconds>(
      std::chrono::system_clock::now() - gw.started_at);
  // LiteLLM's fields first; `litellm_cpp` adds what `litellm status` shows (clients that do not
  // know it ignore it).
  rc.reply(
      json_response(200,
                    {{"status", "healthy"},
                     {"db", "Not connected"},
                     {"cache", nullptr},
                     {"litellm_version", kCompatLiteLLMVersion},
                     {"success_callbacks", nlohmann::json::array()},
                     {"use_aiohttp_transport", false},
                     {"litellm_cpp",
                      {{"version", kVersion},
                       {"config_generation", snap->generation},
                       {"last_reload_error", reload_error.empty() ? nlohmann::json(nullptr)
                                                                  : nlohmann::json(reload_error)},
                       {"uptime_s", uptime.count()},
                       {"requests", gw.requests.load(std::memory_order_relaxed)},
                       {"model_groups", snap->table->names().size()},
                       {"deployments", snap->table->deployments().size()}}}},
                    rc.call_id));
}

}  // namespace litellm::server
