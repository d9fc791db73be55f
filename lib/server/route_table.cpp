// Every endpoint the proxy serves: one row each (LiteLLM's spellings, with and without /v1
// where LiteLLM takes both). A new endpoint is a handler in handlers/ and a row here.
#include "server/route_table.hpp"

#include <array>

#include "server/handlers/handlers.hpp"

namespace litellm::server {

namespace {

using A = Access;

// Order matters where patterns overlap: /engines/{model}/chat/completions before
// /engines/{model}/completions, exact paths before captures.
constexpr std::array kRoutes = std::to_array<RouteSpec>({
    {"POST", "[/v1]/chat/completions", A::AnyKey, handle_chat, "chat"},
    {"POST", "[/v1]/completions", A::AnyKey, handle_completion, "completion"},
    {"POST", "[/v1]/embeddings", A::AnyKey, handle_embedding, "embedding"},
    {"POST", "[/v1]/engines/{model}/chat/completions", A::AnyKey, handle_chat, "chat"},
    {"POST", "[/v1]/engines/{model}/completions", A::AnyKey, handle_completion, "completion"},
    {"POST", "[/v1]/engines/{model}/embeddings", A::AnyKey, handle_embedding, "embedding"},
    {"POST", "[/v1]/openai/deployments/{model}/chat/completions", A::AnyKey, handle_chat, "chat"},
    {"POST", "[/v1]/openai/deployments/{model}/completions", A::AnyKey, handle_completion,
     "completion"},
    {"POST", "[/v1]/openai/deployments/{model}/embeddings", A::AnyKey, handle_embedding,
     "embedding"},
    {"GET", "[/v1]/models", A::AnyKey, handle_list_models, "list models"},
    {"GET", "[/v1]/models/{id}", A::AnyKey, handle_get_model, "get model"},
    {"POST", "/v1/messages", A::AnyKey, handle_messages, "messages"},
    {"POST", "/anthropic/v1/messages", A::AnyKey, handle_messages, "messages"},
    {"GET", "[/v1]/model/info", A::AnyKey, handle_model_info, "model info"},
    {"GET", "/model_group/info", A::AnyKey, handle_model_group_info, "model group info"},

    {"POST", "/key/generate", A::Admin, handle_key_generate, "key generate"},
    {"GET", "/key/info", A::AnyKey, handle_key_info, "key info"},
    {"POST", "/key/delete", A::Admin, handle_key_delete, "key delete"},
    {"GET", "/key/list", A::Admin, handle_key_list, "key list"},
    {"POST", "/key/update", A::Admin, handle_key_update, "key update"},
    {"POST", "/key/regenerate", A::Admin, handle_key_regenerate, "key regenerate"},
    {"POST", "/key/block", A::Admin, handle_key_block, "key block"},
    {"POST", "/key/unblock", A::Admin, handle_key_unblock, "key unblock"},
    {"POST", "/key/{key}/regenerate", A::Admin, handle_key_regenerate, "key regenerate"},

    {"GET", "/spend/logs", A::Admin, handle_spend_logs, "spend logs"},
    {"GET", "/global/spend", A::Admin, handle_global_spend, "global spend"},
    {"GET", "/global/spend/report", A::Admin, handle_global_spend_report, "global spend report"},

    {"POST", "/{party}/new", A::Admin, handle_party_new, "party new"},
    {"GET", "/{party}/info", A::Admin, handle_party_info, "party info"},
    {"POST", "/{party}/update", A::Admin, handle_party_update, "party update"},
    {"POST", "/{party}/delete", A::Admin, handle_party_delete, "party delete"},
    {"GET", "/{party}/list", A::Admin, handle_party_list, "party list"},
    {"POST", "/{party}/block", A::Admin, handle_party_block, "party block"},
    {"POST", "/{party}/unblock", A::Admin, handle_party_unblock, "party unblock"},
    {"POST", "/team/member_add", A::Admin, handle_team_member_add, "team member add"},
    {"POST", "/team/member_delete", A::Admin, handle_team_member_delete, "team member delete"},

    {"GET", "/health", A::AnyKey, handle_health, "health"},
    {"GET", "/health/liveliness", A::Public, handle_liveliness, "liveliness"},
    {"GET", "/health/liveness", A::Public, handle_liveliness, "liveliness"},
    {"GET", "/health/readiness", A::Public, handle_readiness, "readiness"},
});

}  // namespace

std::span<const RouteSpec> route_table() {
  return kRoutes;
}

}  // namespace litellm::server
