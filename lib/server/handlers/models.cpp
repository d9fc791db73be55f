#include "server/error_response.hpp"
#include "server/gateway_state.hpp"

namespace litellm::server {

namespace {
// LiteLLM reports this constant for every model.
constexpr long long kModelCreated = 1677610602;
}  // namespace

http::Response handle_list_models(const Snapshot& snap, const std::string& call_id) {
  const auto& table = snap.table;
  nlohmann::json data = nlohmann::json::array();
  for (const auto& name : table->names()) {
    data.push_back(
        {{"id", name}, {"object", "model"}, {"created", kModelCreated}, {"owned_by", "openai"}});
  }
  return json_response(200, {{"data", std::move(data)}, {"object", "list"}}, call_id);
}

http::Response handle_get_model(const Snapshot& snap, const std::string& id,
                                const std::string& call_id) {
  const auto& table = snap.table;
  const router::ModelGroup* group = table->find(id);
  if (group == nullptr || group->deployments.empty()) {
    return error_response(Error{ErrorCode::NotFound,
                                "The model `" + id + "` does not exist or is not accessible",
                                "model",
                                {},
                                0,
                                {}},
                          call_id);
  }
  return json_response(200,
                       {{"id", id},
                        {"object", "model"},
                        {"created", kModelCreated},
                        {"owned_by", group->deployments.front()->config.provider}},
                       call_id);
}

}  // namespace litellm::server
