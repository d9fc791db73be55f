// The executor against a fake upstream: which deployment each attempt went to, which errors
// are retried and after what wait, all without a socket or a clock that moves.
#include "router/executor.hpp"

#include <deque>
#include <string>
#include <vector>

#include <doctest/doctest.h>

#include "config/loader.hpp"
#include "http/upstream.hpp"
#include "support/fixtures.hpp"
#include "support/manual_clock.hpp"

namespace litellm::router {
namespace {

// Answers each request with the next scripted response, at once; waits are recorded, not
// waited.
class FakeUpstream final : public http::Upstream {
 public:
  std::deque<Result<core::UpstreamResponse>> answers;
  std::vector<std::string> urls;
  std::vector<std::chrono::milliseconds> waits;

  std::shared_ptr<http::Transfer> send(std::size_t /*loop*/, core::UpstreamRequest request,
                                       Done done) override {
    urls.push_back(request.url);
    REQUIRE(!answers.empty());
    auto a = std::move(answers.front());
    answers.pop_front();
    done(std::move(a));
    return nullptr;
  }
  std::shared_ptr<http::Transfer> open_stream(std::size_t /*loop*/, core::UpstreamRequest request,
                                              std::shared_ptr<http::StreamSink> /*sink*/) override {
    urls.push_back(request.url);
    return nullptr;
  }
  void run_after(std::size_t /*loop*/, std::chrono::milliseconds delay,
                 std::function<void()> fn) override {
    waits.push_back(delay);
    fn();
  }
};

// Always the last eligible deployment: the order of attempts is then known.
class LastEligible final : public Strategy {
 public:
  std::string_view name() const override { return "last"; }
  const Deployment* pick(const ModelGroup& /*group*/, std::span<const Deployment* const> eligible,
                         core::Random& /*random*/) const override {
    return eligible.back();
  }
};

core::UpstreamResponse answer(int status, std::string body = "{}") {
  core::UpstreamResponse r;
  r.status = status;
  r.body = std::move(body);
  return r;
}

struct Rig {
  std::shared_ptr<const ModelTable> table;
  FakeUpstream upstream;
  test::ManualClock clock;
  LastEligible last;
  Executor executor{upstream, clock, core::SystemRandom::instance(), last};

  Rig() {
    config::EnvResolver env;
    auto cfg = config::load_string(
        "model_list:\n"
        "  - {model_name: g, litellm_params: {model: openai/m, api_base: 'http://a', api_key: k}}\n"
        "  - {model_name: g, litellm_params: {model: openai/m, api_base: 'http://b', api_key: k}}\n"
        "  - {model_name: local, litellm_params: {model: mock/echo}}\n",
        "t.yaml", env);
    REQUIRE(cfg.has_value());
    static const providers::Registry registry;
    auto t = ModelTable::build(*cfg, registry, env);
    REQUIRE(t.has_value());
    table = *t;
  }

  CallOutcome call(const std::string& group, int num_retries) {
    LlmRequest req;
    req.kind = CallKind::Chat;
    req.model = group;
    req.body = {{"model", group}, {"messages", {{{"role", "user"}, {"content", "hi"}}}}};
    CallOptions o;
    o.call_id = "c1";
    o.retry.num_retries = num_retries;
    std::optional<CallOutcome> got;
    executor.call(table, *table->find(group), std::move(req), o,
                  [&](CallOutcome out) { got = std::move(out); });
    REQUIRE(got.has_value());
    return std::move(*got);
  }
};

}  // namespace

TEST_CASE("executor: a retryable error goes to another deployment after the policy's wait") {
  Rig rig;
  rig.upstream.answers.emplace_back(answer(503, R"({"error":{"message":"busy"}})"));
  rig.upstream.answers.emplace_back(answer(200, test::fixture("openai", "chat.response.json")));
  const auto out = rig.call("g", 2);
  REQUIRE(out.response.has_value());
  CHECK(out.retries == 1);
  REQUIRE(rig.upstream.urls.size() == 2);
  CHECK(rig.upstream.urls[0].rfind("http://b", 0) == 0);  // the strategy's pick
  CHECK(rig.upstream.urls[1].rfind("http://a", 0) == 0);  // b was tried: a is what is left
  CHECK(rig.upstream.waits ==
        std::vector<std::chrono::milliseconds>{std::chrono::milliseconds(500)});
  CHECK(out.deployment->config.api_base == "http://a");
}

TEST_CASE("executor: no retries left, or an error not worth one, ends the call at once") {
  Rig rig;
  rig.upstream.answers.emplace_back(answer(503, R"({"error":{"message":"busy"}})"));
  const auto spent = rig.call("g", 0);
  REQUIRE(spent.error.has_value());
  CHECK(spent.retries == 0);
  CHECK(rig.upstream.waits.empty());

  rig.upstream.answers.emplace_back(answer(400, R"({"error":{"message":"bad"}})"));
  const auto bad = rig.call("g", 5);
  REQUIRE(bad.error.has_value());
  CHECK(bad.error->code == ErrorCode::InvalidRequest);
  CHECK(rig.upstream.urls.size() == 2);  // one attempt each
  CHECK(rig.upstream.waits.empty());
}

TEST_CASE("executor: the mock provider answers in process, stamped with the injected clock") {
  Rig rig;
  rig.clock.set_unix_seconds(1'700'000'000);
  auto out = rig.call("local", 0);
  REQUIRE(out.response.has_value());
  CHECK(rig.upstream.urls.empty());
  CHECK(out.response->body.value("created", 0LL) == 1'700'000'000);
}

}  // namespace litellm::router
