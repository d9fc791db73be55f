#pragma once

// Every route's handler, one signature (route_table.cpp names each in its row). Each file in
// handlers/ holds one family; access is already enforced from the row when these run.
namespace litellm::server {

struct RequestContext;

// llm.cpp: the LLM calls (OpenAI's wire, and Anthropic's /v1/messages served from any model).
void handle_chat(RequestContext& rc);
void handle_completion(RequestContext& rc);
void handle_embedding(RequestContext& rc);
void handle_messages(RequestContext& rc);

// models.cpp, model_info.cpp
void handle_list_models(RequestContext& rc);
void handle_get_model(RequestContext& rc);
void handle_model_info(RequestContext& rc);
void handle_model_group_info(RequestContext& rc);

// health.cpp: /health calls every deployment; the probes answer without a key.
void handle_health(RequestContext& rc);
void handle_liveliness(RequestContext& rc);
void handle_readiness(RequestContext& rc);

// keys.cpp: virtual keys, stored hashed. /key/info is the one a virtual key may call (on itself).
void handle_key_generate(RequestContext& rc);
void handle_key_info(RequestContext& rc);
void handle_key_delete(RequestContext& rc);
void handle_key_list(RequestContext& rc);
// key_changes.cpp: the key is named by the body's `key`, or in the path (/key/{key}/regenerate).
void handle_key_update(RequestContext& rc);
void handle_key_block(RequestContext& rc);
void handle_key_unblock(RequestContext& rc);
void handle_key_regenerate(RequestContext& rc);

// parties.cpp: /user/*, /team/*, /customer/* (the row's capture names which), and team members.
void handle_party_new(RequestContext& rc);
void handle_party_info(RequestContext& rc);
void handle_party_update(RequestContext& rc);
void handle_party_delete(RequestContext& rc);
void handle_party_list(RequestContext& rc);
void handle_party_block(RequestContext& rc);
void handle_party_unblock(RequestContext& rc);
void handle_team_member_add(RequestContext& rc);
void handle_team_member_delete(RequestContext& rc);

// spend.cpp
void handle_spend_logs(RequestContext& rc);
void handle_global_spend(RequestContext& rc);
void handle_global_spend_report(RequestContext& rc);

}  // namespace litellm::server
