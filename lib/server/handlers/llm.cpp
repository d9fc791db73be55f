#include <charconv>
#include <chrono>

#include "litellm/version.hpp"

#include "openai/anthropic_inbound.hpp"
#include "openai/codec.hpp"
#include "server/call_account.hpp"
#include "server/error_response.hpp"
#include "server/gateway_state.hpp"
#include "server/handlers/handlers.hpp"
#include "server/request_context.hpp"
#include "server/stream_session.hpp"
#include "spend/cost.hpp"
#include "spend/spend_writer.hpp"

namespace litellm::server {

namespace {

Error unknown_model(CallKind kind, const std::string& model, const router::ModelTable& table) {
  std::string names;
  for (const auto& n : table.names()) {
    names += names.empty() ? "" : ", ";
    names += n;
  }
  Error e = Error::invalid(std::string(openai::endpoint_path(kind)) +
                               ": Invalid model name passed in model=" + model +
                               ". Call `/v1/models` to view available models for your " +
                               "key. Available models: " + (names.empty() ? "(none)" : names),
                           "model");
  return e;
}

void add_call_headers(core::Headers& h, const router::Deployment* d, int retries,
                      std::chrono::steady_clock::time_point started) {
  if (d != nullptr) {
    h.emplace_back("x-litellm-model-id", d->config.id);
    h.emplace_back("x-litellm-model-group", d->config.model_name);
  }
  h.emplace_back("x-litellm-attempted-retries", std::to_string(retries));
  const double ms =
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started).count();
  char buf[32];
  auto* const end = std::to_chars(buf, buf + sizeof buf, ms, std::chars_format::fixed, 3).ptr;
  h.emplace_back("x-litellm-response-duration-ms", std::string(buf, end));
}

router::CallOptions call_options(const config::Config& config, const http::Request& req,
                                 const LlmRequest& llm, const router::ModelGroup& group,
                                 const std::string& call_id) {
  router::CallOptions o;
  o.call_id = call_id;
  o.loop = req.loop;
  o.num_retries = config.effective_num_retries();
  // litellm_params.num_retries overrides the router's for its deployment's group.
  if (const auto& own = group.deployments.front()->config.num_retries) {
    o.num_retries = *own;
  }
  if (const auto it = llm.body.find("num_retries");
      it != llm.body.end() && it->is_number_integer() && it->get<int>() >= 0) {
    o.num_retries = it->get<int>();
  } else if (const auto h = req.header("x-litellm-num-retries"); !h.empty()) {
    o.num_retries = std::max(0, std::atoi(std::string(h).c_str()));
  }
  if (config.retry_after_s) {
    o.min_retry_delay =
        std::chrono::milliseconds(static_cast<long long>(*config.retry_after_s * 1000));
  }
  return o;
}

// The API a client spoke: answers and errors go back in its shapes.
enum class Wire {
  OpenAI,
  Anthropic
};

http::Response error_for(Wire wire, const Error& e, const std::string& call_id) {
  auto r = error_response(e, call_id);
  if (wire == Wire::Anthropic) {
    r.body = openai::anthropic_error(e.code, error_json(e).value("message", e.message)).dump();
  }
  r.headers.emplace_back("x-litellm-version", kCompatLiteLLMVersion);
  return r;
}

class AnthropicEncoding final : public StreamEncoding {
 public:
  explicit AnthropicEncoding(std::string model) : encoder_(std::move(model)) {}
  void chunks(const std::vector<LlmChunk>& chunks, std::string& out) override {
    for (const auto& c : chunks) {
      out += encoder_.encode(c.body);
    }
  }
  void end(const Result<void>& result, std::string& out) override {
    out += result
               ? encoder_.finish()
               : encoder_.fail(result.error().code,
                               error_json(result.error()).value("message", result.error().message));
  }

 private:
  openai::AnthropicStreamEncoder encoder_;
};

void run_llm(Gateway::Impl& gw, std::shared_ptr<const Snapshot> snapshot, Wire wire, LlmRequest llm,
             http::Request& req, const http::Responder& responder, const std::string& call_id,
             std::chrono::steady_clock::time_point started, const Caller& caller);
// The call's accounting (budgets, limits), then the upstream call itself.
void admit_and_call(Gateway::Impl& gw, std::shared_ptr<const Snapshot> snapshot, Wire wire,
                    LlmRequest llm, http::Request& req, const http::Responder& responder,
                    const std::string& call_id, std::chrono::steady_clock::time_point started,
                    const Caller& caller, const router::ModelGroup* group);
// The call, admitted: to the upstream, answered or streamed back.
void call_upstream(Gateway::Impl& gw, std::shared_ptr<const Snapshot> snapshot, Wire wire,
                   LlmRequest llm, http::Request& req, const http::Responder& responder,
                   const std::string& call_id, std::chrono::steady_clock::time_point started,
                   const Caller& caller, const router::ModelGroup* group,
                   std::shared_ptr<CallAccount> account);

// Feeds a stream's usage to its account, and keeps usage the client did not ask for off the
// wire: the usage-only last chunk is dropped and `usage` taken off the others.
StreamTap usage_tap(const std::shared_ptr<CallAccount>& account, bool strip_usage) {
  StreamTap tap;
  tap.start = [account](const router::Deployment& d) {
    account->on_stream_start(d);
  };
  tap.chunks = [account, strip_usage](std::vector<LlmChunk>& chunks) {
    for (auto it = chunks.begin(); it != chunks.end();) {
      auto& body = it->body;
      std::optional<Usage> usage;
      if (const auto u = body.find("usage"); u != body.end() && u->is_object()) {
        usage = openai::usage_of(body);
      }
      std::size_t text = 0;
      if (const auto ch = body.find("choices"); ch != body.end() && ch->is_array()) {
        for (const auto& c : *ch) {
          const auto d = c.find("delta");
          if (d != c.end() && d->is_object()) {
            const auto content = d->find("content");
            if (content != d->end() && content->is_string()) {
              text += content->get_ref<const std::string&>().size();
            }
          } else if (const auto t = c.find("text"); t != c.end() && t->is_string()) {
            text += t->get_ref<const std::string&>().size();
          }
        }
      }
      account->on_stream_chunk(usage, text);
      if (strip_usage && body.contains("usage")) {
        const auto ch = body.find("choices");
        if (usage && (ch == body.end() || (ch->is_array() && ch->empty()))) {
          it = chunks.erase(it);
          continue;
        }
        body.erase("usage");
      }
      ++it;
    }
  };
  tap.end = [account](const Result<void>& result) {
    account->end_stream(result);
  };
  return tap;
}

}  // namespace

void handle_messages(RequestContext& rc) {
  const auto started = std::chrono::steady_clock::now();
  auto parsed = openai::parse_messages_request(rc.req.body);
  if (!parsed) {
    rc.reply(error_for(Wire::Anthropic, parsed.error(), rc.call_id));
    return;
  }
  run_llm(rc.gw, rc.snap, Wire::Anthropic, std::move(*parsed), rc.req, rc.responder, rc.call_id,
          started, rc.caller);
}

namespace {

// OpenAI's wire: the model from the body, or from the path (/engines/{model}/...).
void handle_openai(RequestContext& rc, CallKind kind) {
  const auto started = std::chrono::steady_clock::now();
  auto parsed = openai::parse_request(kind, rc.req.body, rc.arg);
  if (!parsed) {
    rc.reply(error_for(Wire::OpenAI, parsed.error(), rc.call_id));
    return;
  }
  LlmRequest llm = std::move(*parsed);
  if (kind == CallKind::Embedding) {
    llm.stream = false;
  }
  run_llm(rc.gw, rc.snap, Wire::OpenAI, std::move(llm), rc.req, rc.responder, rc.call_id, started,
          rc.caller);
}

}  // namespace

void handle_chat(RequestContext& rc) {
  handle_openai(rc, CallKind::Chat);
}

void handle_completion(RequestContext& rc) {
  handle_openai(rc, CallKind::Completion);
}

void handle_embedding(RequestContext& rc) {
  handle_openai(rc, CallKind::Embedding);
}

namespace {

void run_llm(Gateway::Impl& gw, std::shared_ptr<const Snapshot> snapshot, Wire wire, LlmRequest llm,
             http::Request& req, const http::Responder& responder, const std::string& call_id,
             std::chrono::steady_clock::time_point started, const Caller& caller) {
  const Snapshot& snap = *snapshot;
  const CallKind kind = llm.kind;
  const auto fail = [&](const Error& e) {
    responder.reply(http::Reply{error_for(wire, e, call_id), nullptr});
  };
  const auto& table = snap.table;
  const router::ModelGroup* group = table->find(llm.model);
  if (group == nullptr) {
    fail(unknown_model(kind, llm.model, *table));
    return;
  }
  if (caller.key) {
    if (auto ok = check_key_access(*caller.key, llm.model); !ok) {
      fail(ok.error());
      return;
    }
  }
  // The request's `user` may be a customer with a budget and limits of its own: read once, then
  // cached (an unknown id is cached as none).
  if (const auto u = llm.body.find("user"); gw.db && !caller.customer_checked &&
                                            u != llm.body.end() && u->is_string() &&
                                            !u->get_ref<const std::string&>().empty()) {
    const std::string id = u->get<std::string>();
    const std::string entity = spend::entity_of(store::SpendHolder::Customer, id);
    Caller with = caller;
    with.customer_checked = true;
    if (auto cached = gw.party_cache.get(entity)) {
      with.customer = std::move(*cached);
      run_llm(gw, std::move(snapshot), wire, std::move(llm), req, responder, call_id, started,
              with);
      return;
    }
    const bool queued =
        gw.blocking->post([&gw, snapshot, wire, llm = std::move(llm), &req, responder, call_id,
                           started, with, id, entity]() mutable {
          auto found = gw.read_party(store::PartyKind::Customer, id);
          if (!found) {
            responder.reply(http::Reply{error_for(wire, found.error(), call_id), nullptr});
            return;
          }
          gw.party_cache.put(entity, *found);
          with.customer = std::move(*found);
          run_llm(gw, std::move(snapshot), wire, std::move(llm), req, responder, call_id, started,
                  with);
        });
    if (!queued) {
      fail(Error::make(ErrorCode::Storage, "the key database is not keeping up"));
    }
    return;
  }
  if (auto ok = check_party_access(caller, llm.model); !ok) {
    fail(ok.error());
    return;
  }
  admit_and_call(gw, std::move(snapshot), wire, std::move(llm), req, responder, call_id, started,
                 caller, group);
}

void admit_and_call(Gateway::Impl& gw, std::shared_ptr<const Snapshot> snapshot, Wire wire,
                    LlmRequest llm, http::Request& req, const http::Responder& responder,
                    const std::string& call_id, std::chrono::steady_clock::time_point started,
                    const Caller& caller, const router::ModelGroup* group) {
  const auto refuse = [wire, call_id, responder](const CallAccount::Refused& refused) {
    auto r = error_for(wire, refused.error, call_id);
    r.headers.insert(r.headers.end(), refused.headers.begin(), refused.headers.end());
    responder.reply(http::Reply{std::move(r), nullptr});
  };
  auto opened = CallAccount::open(gw, snapshot, caller,
                                  CallAccount::Request{&llm, group, call_id, req.body.size()});
  if (auto* refused = std::get_if<CallAccount::Refused>(&opened)) {
    refuse(*refused);
    return;
  }
  auto account = std::get<std::shared_ptr<CallAccount>>(std::move(opened));
  auto specs = CallAccount::limit_specs(caller, *group);
  if (specs.empty()) {
    call_upstream(gw, std::move(snapshot), wire, std::move(llm), req, responder, call_id, started,
                  caller, group, std::move(account));
    return;
  }
  // With Redis the answer comes from another thread, after a round trip shared with the other
  // calls waiting for theirs.
  const auto tokens = account->limit_tokens();
  gw.acquire_limits(std::move(specs), tokens,
                    [&gw, snapshot, wire, llm = std::move(llm), &req, responder, call_id, started,
                     caller, group, account, refuse](auth::Admission got) mutable {
                      if (auto refused = account->admit_limits(std::move(got))) {
                        refuse(*refused);
                        return;
                      }
                      call_upstream(gw, std::move(snapshot), wire, std::move(llm), req, responder,
                                    call_id, started, caller, group, std::move(account));
                    });
}

void call_upstream(Gateway::Impl& gw, std::shared_ptr<const Snapshot> snapshot, Wire wire,
                   LlmRequest llm, http::Request& req, const http::Responder& responder,
                   const std::string& call_id, std::chrono::steady_clock::time_point started,
                   const Caller& caller, const router::ModelGroup* group,
                   std::shared_ptr<CallAccount> account) {
  const Snapshot& snap = *snapshot;
  const auto& table = snap.table;
  if (const auto h = req.header("x-litellm-timeout"); !h.empty() && !llm.body.contains("timeout")) {
    llm.body["timeout"] = std::atof(std::string(h).c_str());
  }
  router::CallOptions options = call_options(snap.config, req, llm, *group, call_id);
  const auto on_failure = [responder, call_id, started, wire, account](router::CallOutcome out) {
    account->fail(out.deployment, *out.error);
    auto r = error_for(wire, *out.error, call_id);
    add_call_headers(r.headers, out.deployment, out.retries, started);
    r.headers.emplace_back("x-litellm-response-cost", "0.0");
    account->add_limit_headers(r.headers);
    responder.reply(http::Reply{std::move(r), nullptr});
  };

  if (llm.stream) {
    // Usage is what spend is counted from: always asked of the upstream, and only passed on
    // when the client asked for it too.
    const bool strip_usage = wire == Wire::OpenAI && !llm.include_usage;
    llm.include_usage = true;
    llm.body["stream_options"]["include_usage"] = true;
    auto session = std::make_shared<StreamSession>(
        responder,
        [call_id, started, account](const router::Deployment& d, int retries) {
          core::Headers h;
          add_common_headers(h, call_id);
          add_call_headers(h, &d, retries, started);
          account->add_limit_headers(h);
          return h;
        },
        wire == Wire::Anthropic ? std::make_unique<AnthropicEncoding>(llm.model)
                                : openai_encoding(),
        usage_tap(account, strip_usage));
    auto handle =
        gw.executor.stream(table, *group, std::move(llm), std::move(options), session, on_failure);
    session->set_handle(handle);
    std::weak_ptr<StreamSession> weak = session;
    responder.on_disconnect([weak] {
      if (auto s = weak.lock()) {
        s->cancel();
      }
    });
    return;
  }
  // Taken before the call: the order in which a call's arguments are evaluated is unspecified,
  // so a capture of llm.model next to std::move(llm) may see it already moved (clang does).
  std::string model = llm.model;
  auto handle = gw.executor.call(
      table, *group, std::move(llm), std::move(options),
      [responder, call_id, started, on_failure, wire, model = std::move(model), key = caller.key,
       account](router::CallOutcome out) {
        if (!out.response) {
          on_failure(std::move(out));
          return;
        }
        http::Response r;
        if (wire == Wire::Anthropic) {
          r.body = openai::to_anthropic_message(openai::complete_body(*out.response), model)
                       .dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
        } else if (!out.response->raw.empty()) {
          r.body = std::move(out.response->raw);
        } else {
          r.body =
              out.response->body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
        }
        r.headers.reserve(16);  // a dozen x-litellm-* headers: no regrowth moving them
        add_common_headers(r.headers, call_id);
        add_call_headers(r.headers, out.deployment, out.retries, started);
        if (out.deployment != nullptr) {
          const auto cost = account->succeed(*out.deployment, openai::usage_of(*out.response));
          if (cost) {
            r.headers.emplace_back("x-litellm-response-cost", spend::format_cost(*cost));
          }
          if (key) {
            r.headers.emplace_back("x-litellm-key-spend",
                                   spend::format_cost(account->key_spend_after().value_or(0)));
            if (key->max_budget) {
              r.headers.emplace_back("x-litellm-key-max-budget",
                                     spend::format_cost(*key->max_budget));
            }
          }
        }
        account->add_limit_headers(r.headers);
        responder.reply(http::Reply{std::move(r), nullptr});
      });
  std::weak_ptr<router::CallHandle> weak = handle;
  responder.on_disconnect([weak] {
    if (auto h = weak.lock()) {
      h->cancel();
    }
  });
}

}  // namespace

}  // namespace litellm::server
