#include <chrono>
#include <cstdio>

#include "litellm/version.hpp"

#include "openai/anthropic_inbound.hpp"
#include "openai/codec.hpp"
#include "server/error_response.hpp"
#include "server/gateway_state.hpp"
#include "server/stream_session.hpp"
#include "spend/cost.hpp"

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
  std::snprintf(buf, sizeof buf, "%.3f", ms);
  h.emplace_back("x-litellm-response-duration-ms", buf);
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

}  // namespace

void handle_messages(Gateway::Impl& gw, std::shared_ptr<const Snapshot> snapshot,
                     http::Request& req, const http::Responder& responder,
                     const std::string& call_id, const Caller& caller) {
  const auto started = std::chrono::steady_clock::now();
  auto parsed = openai::parse_messages_request(req.body);
  if (!parsed) {
    responder.reply(http::Reply{error_for(Wire::Anthropic, parsed.error(), call_id), nullptr});
    return;
  }
  run_llm(gw, std::move(snapshot), Wire::Anthropic, std::move(*parsed), req, responder, call_id,
          started, caller);
}

void handle_llm(Gateway::Impl& gw, std::shared_ptr<const Snapshot> snapshot, CallKind kind,
                const std::string& model_from_path, http::Request& req,
                const http::Responder& responder, const std::string& call_id,
                const Caller& caller) {
  const auto started = std::chrono::steady_clock::now();
  auto parsed = openai::parse_request(kind, req.body, model_from_path);
  if (!parsed) {
    responder.reply(http::Reply{error_for(Wire::OpenAI, parsed.error(), call_id), nullptr});
    return;
  }
  LlmRequest llm = std::move(*parsed);
  if (kind == CallKind::Embedding) {
    llm.stream = false;
  }
  run_llm(gw, std::move(snapshot), Wire::OpenAI, std::move(llm), req, responder, call_id, started,
          caller);
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
  double spent = 0;  // the key's spend before this call
  if (caller.key) {
    if (auto ok = check_key_access(*caller.key, llm.model); !ok) {
      fail(ok.error());
      return;
    }
    spent = gw.spend_of(*caller.key, caller.spend_mark);
    if (caller.key->max_budget && spent >= *caller.key->max_budget) {
      char msg[160];
      std::snprintf(msg, sizeof msg,
                    "Budget has been exceeded! Current cost: %.6g, Max budget: %.6g", spent,
                    *caller.key->max_budget);
      fail(Error::make(ErrorCode::BudgetExceeded, msg));
      return;
    }
  }
  if (const auto h = req.header("x-litellm-timeout"); !h.empty() && !llm.body.contains("timeout")) {
    llm.body["timeout"] = std::atof(std::string(h).c_str());
  }
  router::CallOptions options = call_options(snap.config, req, llm, *group, call_id);
  const auto on_failure = [responder, call_id, started, wire](router::CallOutcome out) {
    auto r = error_for(wire, *out.error, call_id);
    add_call_headers(r.headers, out.deployment, out.retries, started);
    r.headers.emplace_back("x-litellm-response-cost", "0.0");
    responder.reply(http::Reply{std::move(r), nullptr});
  };

  if (llm.stream) {
    auto session = std::make_shared<StreamSession>(
        responder,
        [call_id, started](const router::Deployment& d, int retries) {
          core::Headers h;
          add_common_headers(h, call_id);
          add_call_headers(h, &d, retries, started);
          return h;
        },
        wire == Wire::Anthropic ? std::make_unique<AnthropicEncoding>(llm.model)
                                : openai_encoding());
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
  auto handle = gw.executor.call(
      table, *group, std::move(llm), std::move(options),
      [responder, call_id, started, on_failure, snapshot, wire, model = llm.model, &gw,
       key = caller.key, spent](router::CallOutcome out) {
        if (!out.response) {
          on_failure(std::move(out));
          return;
        }
        http::Response r;
        if (wire == Wire::Anthropic) {
          r.body = openai::to_anthropic_message(out.response->body, model)
                       .dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
        } else {
          r.body =
              out.response->body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
        }
        add_common_headers(r.headers, call_id);
        add_call_headers(r.headers, out.deployment, out.retries, started);
        if (out.deployment != nullptr) {
          const auto cost = spend::cost_of(snapshot->price_of(*out.deployment),
                                           openai::usage_of(out.response->body));
          if (cost) {
            r.headers.emplace_back("x-litellm-response-cost", spend::format_cost(*cost));
          }
          if (key) {
            if (cost) {
              gw.record_spend(key->token, *cost);
            }
            r.headers.emplace_back("x-litellm-key-spend",
                                   spend::format_cost(spent + cost.value_or(0)));
            if (key->max_budget) {
              r.headers.emplace_back("x-litellm-key-max-budget",
                                     spend::format_cost(*key->max_budget));
            }
          }
        }
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
