#include <doctest/doctest.h>

#include "openai/codec.hpp"
#include "support/fixtures.hpp"
#include "unit/providers/adapter_harness.hpp"

using namespace litellm;        // NOLINT(google-build-using-namespace): test file
using namespace litellm::test;  // NOLINT(google-build-using-namespace): test file
using nlohmann::json;

namespace {

providers::Target azure_target() {
  providers::Target t;
  t.provider = "azure";
  t.model = "my-gpt4o";
  t.api_base = "https://contoso.openai.azure.com/";
  t.api_version = "2024-10-21";
  t.api_key = core::Secret("azure-key");
  return t;
}

std::string header(const core::UpstreamRequest& r, const std::string& name) {
  for (const auto& [k, v] : r.headers) {
    if (k == name) {
      return v;
    }
  }
  return {};
}

}  // namespace

TEST_CASE("azure: requests go to the deployment URL with api-version and the api-key header") {
  const auto& a = adapter("azure");
  json chat = fixture_json("azure", "chat.request.json");
  chat["model"] = "group";
  auto up = a.build(openai_request(CallKind::Chat, chat), azure_target());
  REQUIRE(up.has_value());
  CHECK(up->url ==
        "https://contoso.openai.azure.com/openai/deployments/my-gpt4o/chat/"
        "completions?api-version=2024-10-21");
  CHECK(header(*up, "api-key") == "azure-key");
  CHECK(header(*up, "Authorization").empty());
  CHECK(json::parse(up->body) == fixture_json("azure", "chat.request.json"));

  json emb_req = fixture_json("azure", "embeddings.request.json");
  emb_req["model"] = "group";  // the client names a group; the deployment goes in the URL
  auto emb = a.build(openai_request(CallKind::Embedding, emb_req), azure_target());
  REQUIRE(emb.has_value());
  CHECK(emb->url ==
        "https://contoso.openai.azure.com/openai/deployments/my-gpt4o/"
        "embeddings?api-version=2024-10-21");
  json want = fixture_json("azure", "embeddings.request.json");
  want.erase("model");
  CHECK(json::parse(emb->body) == want);

  auto t = azure_target();
  t.api_base = "https://contoso.openai.azure.com/openai/v1";
  t.default_params = {{"azure_ad_token", "entra-token"}};
  auto v1 = a.build(openai_request(CallKind::Chat, chat), t);
  REQUIRE(v1.has_value());
  CHECK(v1->url == "https://contoso.openai.azure.com/openai/v1/chat/completions");
  CHECK(json::parse(v1->body)["model"] == "my-gpt4o");
  CHECK_FALSE(json::parse(v1->body).contains("azure_ad_token"));
  CHECK(header(*v1, "Authorization") == "Bearer entra-token");
  CHECK(header(*v1, "api-key").empty());

  t.api_base.clear();
  auto no_base = a.build(openai_request(CallKind::Chat, chat), t);
  REQUIRE_FALSE(no_base.has_value());
  CHECK(no_base.error().param == "api_base");
}

TEST_CASE("azure: answers - filtered output and the filter-only first stream chunk") {
  const auto& a = adapter("azure");
  const auto req = openai_request(
      CallKind::Chat, {{"model", "g"}, {"messages", {{{"role", "user"}, {"content", "hi"}}}}});
  for (const char* name : {"chat.response.json", "chat-output-filtered.response.json"}) {
    CAPTURE(name);
    auto r = a.parse(core::UpstreamResponse{200, {}, fixture("azure", name)}, req);
    REQUIRE(r.has_value());
    check_spec("CreateChatCompletionResponse", litellm::openai::complete_body(*r));
  }
  auto filtered = a.parse(
      core::UpstreamResponse{200, {}, fixture("azure", "chat-output-filtered.response.json")}, req);
  CHECK(litellm::openai::complete_body(*filtered)["choices"][0]["finish_reason"] ==
        "content_filter");

  const std::string bytes = fixture("azure", "chat.stream.sse");
  const auto all = sse_data(bytes);
  const auto d = decode(a, req, frame(core::Framing::Sse, bytes));
  REQUIRE_FALSE(d.error.has_value());
  CHECK(d.saw_end);
  CHECK(d.chunks.size() == all.size() - 2);  // less the filter-only chunk and [DONE]
  for (const auto& c : d.chunks) {
    CHECK_FALSE(c.value("id", "").empty());
    check_spec("CreateChatCompletionStreamResponse", c);
  }
  std::string want;
  for (std::size_t i = 1; i + 1 < all.size(); ++i) {
    const auto chunk = json::parse(all[i]);
    for (const auto& choice : chunk["choices"]) {
      want += choice["delta"].value("content", "");
    }
  }
  CHECK(streamed_text(d) == want);
  CHECK_FALSE(want.empty());
}

TEST_CASE("azure: content filter - context - auth - deployment and quota errors") {
  const auto& a = adapter("azure");
  const struct {
    const char* file;
    int status;
    ErrorCode code;
  } cases[] = {{"error-content-filter.json", 400, ErrorCode::ContentPolicy},
               {"error-context-length.json", 400, ErrorCode::ContextWindowExceeded},
               {"error-401.json", 401, ErrorCode::Authentication},
               {"error-404-deployment.json", 404, ErrorCode::NotFound},
               {"error-404-api-version.json", 404, ErrorCode::NotFound},
               {"error-429.json", 429, ErrorCode::RateLimited}};
  for (const auto& c : cases) {
    CAPTURE(c.file);
    const auto fx = fixture_json("azure", c.file);
    const auto e = a.map_error(core::UpstreamResponse{
        c.status, {{"retry-after-ms", "6000"}, {"retry-after", "6"}}, fx.dump()});
    CHECK(e.code == c.code);
    CHECK(e.provider == "azure");
    CHECK(e.message == "AzureException - " + fx["error"]["message"].get<std::string>());
    CHECK(e.retry_after == std::chrono::milliseconds(6000));
  }
}
