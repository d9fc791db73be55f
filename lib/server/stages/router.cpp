// The last stage: the call goes upstream through the router (deployment choice, retries), and
// its answer or stream comes back in the client's API with LiteLLM's x-litellm-* headers.
#include <charconv>
#include <chrono>
#include <cstdlib>

#include "openai/codec.hpp"
#include "server/call_account.hpp"
#include "server/pipeline/call_context.hpp"
#include "server/stages/stages.hpp"
#include "server/stream_session.hpp"
#include "spend/cost.hpp"

namespace litellm::server {

namespace {

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
  o.retry.num_retries = config.effective_num_retries();
  // litellm_params.num_retries overrides the router's for its deployment's group.
  if (const auto& own = group.deployments.front()->config.num_retries) {
    o.retry.num_retries = *own;
  }
  if (const auto it = llm.body.find("num_retries");
      it != llm.body.end() && it->is_number_integer() && it->get<int>() >= 0) {
    o.retry.num_retries = it->get<int>();
  } else if (const auto h = req.header("x-litellm-num-retries"); !h.empty()) {
    o.retry.num_retries = std::max(0, std::atoi(std::string(h).c_str()));
  }
  if (config.retry_after_s) {
    o.retry.min_delay =
        std::chrono::milliseconds(static_cast<long long>(*config.retry_after_s * 1000));
  }
  return o;
}

// Content bytes in a chunk: the account's estimate of output tokens when no usage comes.
std::size_t text_bytes(const nlohmann::json& body) {
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
  return text;
}

// The stages see each batch of chunks, then its usage goes to the call's account, and usage the
// client did not ask for is kept off the wire: the usage-only last chunk is dropped and `usage`
// taken off the others.
StreamTap stream_tap(const std::shared_ptr<CallContext>& call, bool strip_usage) {
  StreamTap tap;
  tap.start = [call](const router::Deployment& d) {
    call->account->on_stream_start(d);
  };
  tap.chunks = [call, strip_usage](std::vector<LlmChunk>& chunks) {
    call->on_chunks(chunks);
    for (auto it = chunks.begin(); it != chunks.end();) {
      auto& body = it->body;
      std::optional<Usage> usage;
      if (const auto u = body.find("usage"); u != body.end() && u->is_object()) {
        usage = openai::usage_of(body);
      }
      call->account->on_stream_chunk(usage, text_bytes(body));
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
  tap.end = [call](const Result<void>& result) {
    call->account->end_stream(result);
    call->end(result ? CallEnd{CallEnd::How::Answered, nullptr, nullptr}
                     : CallEnd{CallEnd::How::Failed, &result.error(), nullptr});
  };
  return tap;
}

// The upstream failed (retries done) before any answer reached the client.
void fail(CallContext& call, router::CallOutcome& out) {
  call.account->fail(out.deployment, *out.error);
  auto r = call.api.error(*out.error, call.rc.call_id);
  add_call_headers(r.headers, out.deployment, out.retries, call.started);
  r.headers.emplace_back("x-litellm-response-cost", "0.0");
  call.account->add_limit_headers(r.headers);
  call.rc.reply(std::move(r));
  call.end(CallEnd{CallEnd::How::Failed, &*out.error, out.deployment});
}

void answer(CallContext& call, router::CallOutcome& out) {
  http::Response r;
  r.body = call.api.encode(*out.response, call.model);
  r.headers.reserve(16);  // a dozen x-litellm-* headers: no regrowth moving them
  add_common_headers(r.headers, call.rc.call_id);
  add_call_headers(r.headers, out.deployment, out.retries, call.started);
  if (out.deployment != nullptr) {
    const auto cost = call.account->succeed(*out.deployment, openai::usage_of(*out.response));
    if (cost) {
      r.headers.emplace_back("x-litellm-response-cost", spend::format_cost(*cost));
    }
    if (const auto& key = call.rc.caller.key) {
      r.headers.emplace_back("x-litellm-key-spend",
                             spend::format_cost(call.account->key_spend_after().value_or(0)));
      if (key->max_budget) {
        r.headers.emplace_back("x-litellm-key-max-budget", spend::format_cost(*key->max_budget));
      }
    }
  }
  call.account->add_limit_headers(r.headers);
  call.rc.reply(std::move(r));
  call.end(CallEnd{CallEnd::How::Answered, nullptr, out.deployment});
}

void stream(const std::shared_ptr<CallContext>& call, LlmRequest llm, router::CallOptions options) {
  // Usage is what spend is counted from: always asked of the upstream, and only passed on when
  // the client asked for it too.
  const bool strip_usage = call->api.strips_unasked_usage() && !llm.include_usage;
  llm.include_usage = true;
  llm.body["stream_options"]["include_usage"] = true;
  auto session = std::make_shared<StreamSession>(
      call->rc.responder,
      [call](const router::Deployment& d, int retries) {
        core::Headers h;
        add_common_headers(h, call->rc.call_id);
        add_call_headers(h, &d, retries, call->started);
        call->account->add_limit_headers(h);
        return h;
      },
      call->api.stream_encoding(call->model), stream_tap(call, strip_usage));
  auto handle = call->rc.gw.executor.stream(call->rc.snap->table, *call->group, std::move(llm),
                                            std::move(options), session,
                                            [call](router::CallOutcome out) { fail(*call, out); });
  session->set_handle(handle);
  std::weak_ptr<StreamSession> weak = session;
  call->rc.responder.on_disconnect([weak] {
    if (auto s = weak.lock()) {
      s->cancel();
    }
  });
}

class Router final : public CallStage {
 public:
  std::string_view name() const override { return "router"; }
  StageStatus on_request(CallContext& call) const override {
    const http::Request& req = call.rc.req;
    LlmRequest& llm = call.request;
    if (const auto h = req.header("x-litellm-timeout");
        !h.empty() && !llm.body.contains("timeout")) {
      llm.body["timeout"] = std::atof(std::string(h).c_str());
    }
    auto options = call_options(call.rc.snap->config, req, llm, *call.group, call.rc.call_id);
    auto self = call.shared_from_this();
    if (llm.stream) {
      stream(self, std::move(llm), std::move(options));
      return StageStatus::Stop;
    }
    auto handle = call.rc.gw.executor.call(call.rc.snap->table, *call.group, std::move(llm),
                                           std::move(options), [self](router::CallOutcome out) {
                                             if (out.response) {
                                               answer(*self, out);
                                             } else {
                                               fail(*self, out);
                                             }
                                           });
    std::weak_ptr<router::CallHandle> weak = handle;
    call.rc.responder.on_disconnect([weak] {
      if (auto h = weak.lock()) {
        h->cancel();
      }
    });
    return StageStatus::Stop;
  }
};

}  // namespace

const CallStage& router_stage() {
  static const Router kStage;
  return kStage;
}

}  // namespace litellm::server
