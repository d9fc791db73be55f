// The call pipeline's contract, with stages that record what they see: order, stopping and
// resuming, refusal, and an end that runs once per started stage in reverse on every path.
#include <future>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include <doctest/doctest.h>

#include "core/logger.hpp"
#include "server/apis/inbound_api.hpp"
#include "server/pipeline/call_context.hpp"

namespace litellm::server {
namespace {

struct Journal {
  std::mutex mu;
  std::vector<std::string> lines;
  void add(std::string line) {
    std::lock_guard lock(mu);
    lines.push_back(std::move(line));
  }
};

const char* how_name(CallEnd::How how) {
  switch (how) {
    case CallEnd::How::Answered:
      return "answered";
    case CallEnd::How::Failed:
      return "failed";
    case CallEnd::How::Refused:
      return "refused";
    case CallEnd::How::Aborted:
      return "aborted";
  }
  return "?";
}

// What a test stage does when its turn comes.
enum class Act {
  Pass,
  Refuse,
  Answer,
  Park
};

class Recording final : public CallStage {
 public:
  Recording(std::string name, Journal& journal, Act act = Act::Pass)
      : name_(std::move(name)), journal_(journal), act_(act) {}
  std::string_view name() const override { return name_; }
  StageStatus on_request(CallContext& call) const override {
    journal_.add("request " + name_);
    switch (act_) {
      case Act::Pass:
        return StageStatus::Continue;
      case Act::Refuse:
        call.refuse(Error::make(ErrorCode::RateLimited, "no room"), {{"x-why", name_}});
        return StageStatus::Stop;
      case Act::Answer: {
        std::vector<LlmChunk> chunks(1);
        call.on_chunks(chunks);
        call.rc.reply(http::Response{});
        call.end(CallEnd{CallEnd::How::Answered, nullptr, nullptr});
        call.end(CallEnd{CallEnd::How::Failed, nullptr, nullptr});  // ignored: ended once
        return StageStatus::Stop;
      }
      case Act::Park:
        parked = call.shared_from_this();
        return StageStatus::Stop;
    }
    return StageStatus::Continue;
  }
  void on_chunks(CallContext& /*call*/, std::vector<LlmChunk>& /*chunks*/) const override {
    journal_.add("chunks " + name_);
  }
  void on_end(CallContext& /*call*/, const CallEnd& end) const override {
    journal_.add("end " + name_ + " " + how_name(end.how));
  }
  mutable std::shared_ptr<CallContext> parked;  // a Park stage's pending work

 private:
  std::string name_;
  Journal& journal_;
  Act act_;
};

// A gateway that is never started: the stages here touch none of it.
struct Rig {
  core::NullLogger log;
  Gateway::Impl gw{config::Config{}, config::EnvResolver{}, GatewayOptions{}, log};
  http::Request req;
  std::promise<http::Reply> replied;
  std::shared_ptr<CallContext> call(const InboundApi& api, std::span<const CallStage* const> s) {
    RequestContext rc{
        gw,
        req,
        http::Responder::to_function([this](http::Reply r) { replied.set_value(std::move(r)); }),
        "call-1",
        nullptr,
        Caller::proxy_admin(),
        ""};
    LlmRequest llm;
    llm.model = "m";
    return std::make_shared<CallContext>(rc, api, std::move(llm), std::chrono::steady_clock::now(),
                                         s);
  }
};

using Lines = std::vector<std::string>;

}  // namespace

TEST_CASE("call pipeline: stages run in order and end once each, in reverse") {
  Journal j;
  Recording a("a", j), b("b", j), c("c", j, Act::Answer), never("never", j);
  const CallStage* stages[] = {&a, &b, &c, &never};
  Rig rig;
  rig.call(openai_api(), stages)->resume();
  CHECK(j.lines == Lines{"request a", "request b", "request c", "chunks a", "chunks b", "chunks c",
                         "end c answered", "end b answered", "end a answered"});
}

TEST_CASE("call pipeline: a refusal answers in the client's API, and only started stages end") {
  for (const InboundApi* api : {&openai_api(), &anthropic_api()}) {
    Journal j;
    Recording a("a", j), b("b", j, Act::Refuse), never("never", j);
    const CallStage* stages[] = {&a, &b, &never};
    Rig rig;
    rig.call(*api, stages)->resume();
    CHECK(j.lines == Lines{"request a", "request b", "end b refused", "end a refused"});
    auto reply = rig.replied.get_future().get();
    CHECK(reply.response.status == 429);
    CHECK(reply.response.body.find("no room") != std::string::npos);
    // Anthropic's error shape has a top-level type "error"; OpenAI's has none.
    CHECK((reply.response.body.find("\"type\":\"error\"") != std::string::npos) ==
          (api == &anthropic_api()));
    bool why = false;
    for (const auto& [name, value] : reply.response.headers) {
      why = why || (name == "x-why" && value == "b");
    }
    CHECK(why);
  }
}

TEST_CASE("call pipeline: a stage that stops resumes from another thread where it left off") {
  Journal j;
  Recording a("a", j), park("park", j, Act::Park), c("c", j, Act::Answer);
  const CallStage* stages[] = {&a, &park, &c};
  Rig rig;
  rig.call(openai_api(), stages)->resume();
  CHECK(j.lines == Lines{"request a", "request park"});
  REQUIRE(park.parked);
  std::thread([call = std::move(park.parked)] { call->resume(); }).join();
  CHECK(j.lines == Lines{"request a", "request park", "request c", "chunks a", "chunks park",
                         "chunks c", "end c answered", "end park answered", "end a answered"});
}

TEST_CASE("call pipeline: a call dropped unanswered ends its started stages as aborted") {
  Journal j;
  Recording a("a", j), park("park", j, Act::Park), never("never", j);
  const CallStage* stages[] = {&a, &park, &never};
  Rig rig;
  rig.call(openai_api(), stages)->resume();
  REQUIRE(park.parked);
  park.parked.reset();  // the client went away: nothing holds the call any more
  CHECK(j.lines == Lines{"request a", "request park", "end park aborted", "end a aborted"});
  // The responder dropped unanswered still answers: a 500, never a hang.
  CHECK(rig.replied.get_future().get().response.status == 500);
}

}  // namespace litellm::server
