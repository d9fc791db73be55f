#include "server/error_response.hpp"
#include "server/gateway_state.hpp"
#include "server/handlers/handlers.hpp"
#include "server/request_context.hpp"

namespace litellm::server {

namespace {
// LiteLLM reports this constant for every model.
constexpr long long kModelCreated = 1677610602;
}  // namespace

void handle_list_models(RequestContext& rc) {
  const auto& table = rc.snap->table;
  nlohmann::json data = nlohmann::json::array();
  for (const auto& name : table->names()) {
    data.push_back(
        {{"id", name}, {"object", "model"}, {"created", kModelCreated}, {"owned_by", "openai"}});
  }
  rc.reply(json_response(200, {{"data", std::move(data)}, {"object", "list"}}, rc.call_id));
}

void handle_get_model(RequestContext& rc) {
  const std::string& id = rc.arg;
  const auto& table = rc.snap->table;
  const router::ModelGroup* group = table->find(id);
  if (group == nullptr || group->deployments.empty()) {
    rc.fail(Error{ErrorCode::NotFound,
                  "The model `" + id + "` does not exist or is not accessible",
                  "model",
                  {},
                  0,
                  {}});
    return;
  }
  rc.reply(json_response(200,
                         {{"id", id},
                          {"object", "model"},
                          {"created", kModelCreated},
                          {"owned_by", group->deployments.front()->config.provider}},
                         rc.call_id));
}

}  // namespace litellm::server
