#pragma once

#include <string>
#include <string_view>

#include "litellm/types.hpp"

namespace litellm::server {

enum class Route {
  NotFound,
  MethodNotAllowed,
  Chat,
  Completion,
  Embedding,
  Messages,  // Anthropic's /v1/messages
  ListModels,
  GetModel,
  ModelInfo,       // /model/info: one item per deployment, with prices and limits
  ModelGroupInfo,  // /model_group/info: one item per group
  Health,
  KeyGenerate,
  KeyInfo,
  KeyDelete,
  KeyList,
  KeyUpdate,
  KeyRegenerate,
  KeyBlock,
  KeyUnblock,
  PartyNew,  // /user/*, /team/*, /customer/*: RouteMatch::model holds "user", "team", "customer"
  PartyInfo,
  PartyUpdate,
  PartyDelete,
  PartyList,
  PartyBlock,
  PartyUnblock,
  TeamMemberAdd,
  TeamMemberDelete,
  SpendLogs,
  GlobalSpend,
  GlobalSpendReport,
  Liveliness,
  Readiness,
};

struct RouteMatch {
  Route route = Route::NotFound;
  // from /engines/{model}/..., /openai/deployments/{model}/..., /models/{id}; the key of
  // /key/{key}/regenerate
  std::string model;
};

// Maps method + path to a route, as LiteLLM's paths are spelled (with and without /v1).
RouteMatch match_route(std::string_view method, std::string_view path);

}  // namespace litellm::server
