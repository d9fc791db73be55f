#include <doctest/doctest.h>

#include "integration/harness.hpp"

using namespace litellm::test;  // NOLINT(google-build-using-namespace): test file
using nlohmann::json;

namespace {

double expected_cost(const json& response, double in, double out) {
  const auto& u = response["usage"];
  return u["prompt_tokens"].get<double>() * in + u["completion_tokens"].get<double>() * out;
}

}  // namespace

TEST_CASE("cost: x-litellm-response-cost prices the upstream's usage at the table's price") {
  MockUpstream up;
  up.reply_json("/v1/chat/completions", 200, fixture("openai", "chat.response.json"));
  DaemonProcess d(gateway_config(up));
  HttpClient c(d.port());
  const auto r = c.post("/v1/chat/completions", chat_body("gpt-4o"), auth());
  REQUIRE(r.status == 200);
  // gpt-4o-2024-08-06 in LiteLLM's price map: 2.5e-06 in, 1e-05 out; the fixture has no cached
  // tokens worth a different price.
  const auto body = json::parse(r.body);
  REQUIRE(body["usage"].is_object());
  const double cached =
      body["usage"].value("prompt_tokens_details", json::object()).value("cached_tokens", 0.0);
  const double want = expected_cost(body, 2.5e-06, 1e-05) - cached * (2.5e-06 - 1.25e-06);
  CHECK(std::stod(r.header("x-litellm-response-cost")) == doctest::Approx(want).epsilon(1e-9));
}

TEST_CASE("cost: prices set on the deployment win over the table") {
  MockUpstream up;
  up.reply_json("/v1/chat/completions", 200, fixture("openai", "chat.response.json"));
  DaemonProcess d(gateway_config(up,
                                 "      input_cost_per_token: 0.5\n"
                                 "      output_cost_per_token: 2\n"));
  HttpClient c(d.port());
  const auto r = c.post("/v1/chat/completions", chat_body("gpt-4o"), auth());
  REQUIRE(r.status == 200);
  CHECK(std::stod(r.header("x-litellm-response-cost")) ==
        doctest::Approx(expected_cost(json::parse(r.body), 0.5, 2)));
  const auto err = c.post("/v1/chat/completions", chat_body("nope"), auth());
  CHECK(err.status == 400);
}

TEST_CASE("model info: one item per deployment with prices limits and no credentials") {
  MockUpstream up;
  DaemonProcess d(gateway_config(up, "      rpm: 60\n      output_cost_per_token: 3e-05\n"));
  HttpClient c(d.port());
  for (const char* path : {"/model/info", "/v1/model/info"}) {
    const auto r = c.get(path, auth());
    REQUIRE(r.status == 200);
    CHECK(r.body.find(kUpstreamKey) == std::string::npos);
    const auto data = json::parse(r.body)["data"];
    REQUIRE(data.size() == 3);
    const auto& gpt = data[0];
    CHECK(gpt["model_name"] == "gpt-4o");
    CHECK(gpt["litellm_params"]["model"] == "openai/gpt-4o-2024-08-06");
    CHECK(gpt["litellm_params"]["rpm"] == 60);
    CHECK_FALSE(gpt["litellm_params"].contains("api_key"));
    CHECK(gpt["model_info"]["input_cost_per_token"] == 2.5e-06);
    CHECK(gpt["model_info"]["output_cost_per_token"] == 3e-05);
    CHECK(gpt["model_info"]["max_input_tokens"] == 128000);
    CHECK(gpt["model_info"]["litellm_provider"] == "openai");
    CHECK(gpt["model_info"]["supports_vision"] == true);
    CHECK(data[2]["model_info"]["input_cost_per_token"].is_null());  // mock/echo: not priced
  }
  const auto all = json::parse(c.get("/model/info", auth()).body)["data"];
  const std::string id = all[1]["model_info"]["id"];
  const auto one = c.get("/model/info?litellm_model_id=" + id, auth());
  REQUIRE(one.status == 200);
  CHECK(json::parse(one.body)["data"].size() == 1);
  CHECK(json::parse(one.body)["data"][0]["model_name"] == "text-embedding-3-small");
  CHECK(c.get("/model/info?litellm_model_id=nope", auth()).status == 404);
  CHECK(c.get("/model/info").status == 401);
}

TEST_CASE("model group info: one item per group, limits summed and prices at their maximum") {
  MockUpstream up;
  const std::string second =
      "  - model_name: gpt-4o\n"
      "    litellm_params:\n"
      "      model: openai/gpt-4o-mini\n"
      "      api_base: " +
      up.base_url() + "\n      rpm: 40\n";
  DaemonProcess d(gateway_config(up, "      rpm: 60\n" + second));
  HttpClient c(d.port());
  const auto r = c.get("/model_group/info?model_group=gpt-4o", auth());
  REQUIRE(r.status == 200);
  const auto data = json::parse(r.body)["data"];
  REQUIRE(data.size() == 1);
  CHECK(data[0]["model_group"] == "gpt-4o");
  CHECK(data[0]["rpm"] == 100);
  CHECK(data[0]["tpm"].is_null());
  CHECK(data[0]["providers"] == json::array({"openai"}));
  CHECK(data[0]["input_cost_per_token"] == 2.5e-06);  // the dearer of gpt-4o and gpt-4o-mini
  CHECK(data[0]["mode"] == "chat");
  CHECK(json::parse(c.get("/model_group/info", auth()).body)["data"].size() == 3);
  CHECK(c.get("/model_group/info?model_group=nope", auth()).status == 404);
}
