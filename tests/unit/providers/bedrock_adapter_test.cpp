#include <doctest/doctest.h>

#include "http/framing/aws_eventstream.hpp"
#include "providers/bedrock/sigv4.hpp"
#include "support/fixtures.hpp"
#include "unit/providers/adapter_harness.hpp"

using namespace litellm;        // NOLINT(google-build-using-namespace): test file
using namespace litellm::test;  // NOLINT(google-build-using-namespace): test file
using nlohmann::json;

namespace {

std::string vector_file(const std::string& dir, const std::string& name) {
  return fixture("bedrock", "sigv4/" + dir + "/" + name);
}

// request.txt: "METHOD TARGET HTTP/1.1", headers, a blank line, the body.
providers::bedrock::SigningRequest read_request(const std::string& dir) {
  const std::string text = vector_file(dir, "request.txt");
  providers::bedrock::SigningRequest r;
  std::size_t pos = text.find('\n');
  const std::string first = text.substr(0, pos);
  r.method = first.substr(0, first.find(' '));
  const auto target = first.substr(first.find(' ') + 1, first.rfind(' ') - first.find(' ') - 1);
  std::string host;
  std::size_t start = pos + 1;
  while (start < text.size()) {
    const auto end = text.find('\n', start);
    const std::string line =
        text.substr(start, end == std::string::npos ? std::string::npos : end - start);
    start = end == std::string::npos ? text.size() : end + 1;
    if (line.empty()) {
      r.body = start < text.size() ? text.substr(start) : "";
      break;
    }
    const auto colon = line.find(':');
    const std::string name = line.substr(0, colon);
    if (name == "Host") {
      host = line.substr(colon + 1);
    } else {
      r.headers.emplace_back(name, line.substr(colon + 1));
    }
  }
  r.url = "https://" + host + target;
  const auto ctx = json::parse(vector_file(dir, "context.json"));
  r.region = ctx["region"];
  r.service = ctx["service"];
  r.sign_body = ctx.value("sign_body", false);
  r.time = std::chrono::system_clock::from_time_t(1440938160);  // 2015-08-30T12:36:00Z
  return r;
}

providers::Target bedrock_target() {
  providers::Target t;
  t.provider = "bedrock";
  t.model = "anthropic.claude-3-5-sonnet-20240620-v1:0";
  t.default_params = {{"aws_access_key_id", "AKIDEXAMPLE"},
                      {"aws_secret_access_key", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"},
                      {"aws_region_name", "us-west-2"}};
  return t;
}

const json kWeather = {
    {"type", "function"},
    {"function",
     {{"name", "get_weather"},
      {"description", "Get the current weather for a city"},
      {"parameters",
       {{"type", "object"},
        {"properties", {{"city", {{"type", "string"}, {"description", "City name"}}}}},
        {"required", {"city"}}}}}}};
const json kSeattle = {{"role", "user"}, {"content", "What is the weather in Seattle?"}};

std::string header(const core::UpstreamRequest& r, const std::string& name) {
  for (const auto& [k, v] : r.headers) {
    if (k == name) {
      return v;
    }
  }
  return {};
}

core::UpstreamRequest build(const json& body, const providers::Target& t = bedrock_target()) {
  auto up = adapter("bedrock").build(openai_request(CallKind::Chat, body), t);
  REQUIRE_MESSAGE(up.has_value(), (up ? "" : up.error().message));
  return *up;
}

}  // namespace

TEST_CASE("sigv4: AWS's published test suite signs to the same bytes") {
  for (const char* dir :
       {"get-vanilla", "post-vanilla", "get-vanilla-query-order-key-case",
        "post-x-www-form-urlencoded", "post-header-key-sort", "get-vanilla-with-session-token"}) {
    CAPTURE(dir);
    const auto ctx = json::parse(vector_file(dir, "context.json"));
    providers::bedrock::AwsCredentials creds{
        ctx["credentials"]["access_key_id"],
        core::Secret(ctx["credentials"]["secret_access_key"].get<std::string>()),
        ctx["credentials"].value("token", "")};
    const auto signed_req = providers::bedrock::sign_v4(read_request(dir), creds);
    CHECK(signed_req.canonical_request == vector_file(dir, "header-canonical-request.txt"));
    CHECK(signed_req.string_to_sign == vector_file(dir, "header-string-to-sign.txt"));
    CHECK(signed_req.signature == vector_file(dir, "header-signature.txt"));
    const std::string signed_text = vector_file(dir, "header-signed-request.txt");
    const auto auth = signed_text.find("Authorization:");
    REQUIRE(auth != std::string::npos);
    const std::string want =
        signed_text.substr(auth + 14, signed_text.find('\n', auth) - auth - 14);
    CHECK(signed_req.add.back() == std::pair<std::string, std::string>("Authorization", want));
  }
}

TEST_CASE("bedrock: OpenAI requests become the recorded Converse requests - signed for bedrock") {
  const auto up = build({{"model", "b"},
                         {"messages",
                          {{{"role", "system"}, {"content", "You are a concise assistant."}},
                           {{"role", "user"}, {"content", "Hello!"}}}},
                         {"max_tokens", 512},
                         {"temperature", 0.5},
                         {"top_p", 0.9},
                         {"stop", "\n\nHuman:"},
                         {"top_k", 250}});
  CHECK(up.url ==
        "https://bedrock-runtime.us-west-2.amazonaws.com/model/"
        "anthropic.claude-3-5-sonnet-20240620-v1%3A0/converse");
  CHECK(json::parse(up.body) == fixture_json("bedrock", "converse.request.json"));
  const std::string auth = header(up, "Authorization");
  CHECK(auth.rfind("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/", 0) == 0);
  CHECK(auth.find("/us-west-2/bedrock/aws4_request, SignedHeaders=content-type;host;x-amz-date, "
                  "Signature=") != std::string::npos);
  // Re-signing what was sent, at the time it says, gives the same signature.
  const std::string when = header(up, "X-Amz-Date");
  std::tm tm{};
  strptime(when.c_str(), "%Y%m%dT%H%M%SZ", &tm);
  providers::bedrock::SigningRequest again{"POST",
                                           up.url,
                                           {{"Content-Type", "application/json"}},
                                           up.body,
                                           "us-west-2",
                                           "bedrock",
                                           std::chrono::system_clock::from_time_t(timegm(&tm)),
                                           false};
  const auto resigned = providers::bedrock::sign_v4(
      again, {"AKIDEXAMPLE", core::Secret("wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"), ""});
  CHECK(resigned.add.back().second == auth);
  CHECK(resigned.canonical_request.find(
            "/model/anthropic.claude-3-5-sonnet-20240620-v1%253A0/converse\n") !=
        std::string::npos);

  CHECK(json::parse(build({{"model", "b"},
                           {"messages", {kSeattle}},
                           {"tools", {kWeather}},
                           {"tool_choice", "auto"},
                           {"max_tokens", 1024}})
                        .body) == fixture_json("bedrock", "converse-tools.request.json"));
  CHECK(json::parse(
            build({{"model", "b"},
                   {"messages",
                    {kSeattle,
                     {{"role", "assistant"},
                      {"content", "I'll look up the weather."},
                      {"tool_calls",
                       {{{"id", "tooluse_kZJMlvQmRJ6eAyJE5GIl7Q"},
                         {"type", "function"},
                         {"function",
                          {{"name", "get_weather"}, {"arguments", "{\"city\":\"Seattle\"}"}}}}}}},
                     {{"role", "tool"},
                      {"tool_call_id", "tooluse_kZJMlvQmRJ6eAyJE5GIl7Q"},
                      {"content", "{\"temperature_f\":54,\"condition\":\"rain\"}"}}}},
                   {"tools", {kWeather}},
                   {"tool_choice", "auto"},
                   {"max_tokens", 1024}})
                .body) == fixture_json("bedrock", "converse-tool-result.request.json"));
  const std::string png =
      "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+"
      "M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==";
  CHECK(json::parse(build({{"model", "b"},
                           {"messages",
                            {{{"role", "user"},
                              {"content",
                               {{{"type", "text"}, {"text", "Describe this image."}},
                                {{"type", "image_url"},
                                 {"image_url", {{"url", "data:image/png;base64," + png}}}}}}}}}})
                        .body) == fixture_json("bedrock", "converse-image.request.json"));

  auto keyed = bedrock_target();
  keyed.api_key = core::Secret("bedrock-api-key");
  keyed.api_base = "http://127.0.0.1:9";
  const auto bearer = build({{"model", "b"}, {"messages", {kSeattle}}, {"stream", true}}, keyed);
  CHECK(header(bearer, "Authorization") == "Bearer bedrock-api-key");
  CHECK(bearer.url ==
        "http://127.0.0.1:9/model/anthropic.claude-3-5-sonnet-20240620-v1%3A0/converse-stream");
  CHECK(bearer.framing == core::Framing::AwsEventStream);

  auto anonymous = bedrock_target();
  anonymous.default_params.erase("aws_secret_access_key");
  auto refused = adapter("bedrock").build(
      openai_request(CallKind::Chat, {{"model", "b"}, {"messages", {kSeattle}}}), anonymous);
  REQUIRE_FALSE(refused.has_value());
  CHECK(refused.error().message.find("AWS_ACCESS_KEY_ID") != std::string::npos);
}

TEST_CASE("bedrock: Converse answers become OpenAI responses") {
  const auto& a = adapter("bedrock");
  const auto req = openai_request(CallKind::Chat, {{"model", "b"}, {"messages", {kSeattle}}});
  const struct {
    const char* file;
    const char* finish;
  } cases[] = {{"converse.response.json", "stop"},
               {"converse-tools.response.json", "tool_calls"},
               {"converse-tool-result.response.json", "stop"},
               {"converse-max-tokens.response.json", "length"},
               {"converse-guardrail.response.json", "content_filter"},
               {"converse-reasoning.response.json", "stop"}};
  for (const auto& c : cases) {
    CAPTURE(c.file);
    const auto fx = fixture_json("bedrock", c.file);
    auto r = a.parse(core::UpstreamResponse{200, {}, fx.dump()}, req);
    REQUIRE(r.has_value());
    check_spec("CreateChatCompletionResponse", r->body);
    CHECK(r->body["choices"][0]["finish_reason"] == c.finish);
    CHECK(r->body["usage"]["completion_tokens"] == fx["usage"]["outputTokens"]);
  }
  auto tools = a.parse(
      core::UpstreamResponse{200, {}, fixture("bedrock", "converse-tools.response.json")}, req);
  const auto& call = tools->body["choices"][0]["message"]["tool_calls"][0];
  CHECK(call["function"]["name"] == "get_weather");
  CHECK(json::parse(call["function"]["arguments"].get<std::string>()) == json{{"city", "Seattle"}});
  auto reasoning = a.parse(
      core::UpstreamResponse{200, {}, fixture("bedrock", "converse-reasoning.response.json")}, req);
  CHECK(reasoning->body["choices"][0]["message"]["reasoning_content"] ==
        "The user wants a short greeting; reply briefly.");
}

TEST_CASE("bedrock: ConverseStream event frames decode to chunks - exceptions end the stream") {
  const auto& a = adapter("bedrock");
  const auto req = openai_request(CallKind::Chat, {{"model", "b"},
                                                   {"messages", {kSeattle}},
                                                   {"stream", true},
                                                   {"stream_options", {{"include_usage", true}}}});
  const auto decode_bin = [&](const std::string& name) {
    http::AwsEventStreamParser p;
    std::vector<core::StreamEvent> events;
    REQUIRE(p.feed(fixture("bedrock", name), events));
    return decode(a, req, events);
  };
  const auto plain = decode_bin("converse.stream.bin");
  REQUIRE_FALSE(plain.error.has_value());
  std::string want;
  for (const auto& ev : fixture_json("bedrock", "converse.stream.events.json")) {
    if (ev["headers"][":event-type"] == "contentBlockDelta") {
      want += ev["payload"]["delta"].value("text", "");
    }
  }
  CHECK(streamed_text(plain) == want);
  CHECK_FALSE(want.empty());
  CHECK(finish_reason(plain) == "stop");
  CHECK(plain.chunks.back()["usage"]["prompt_tokens"].get<int>() > 0);
  for (const auto& c : plain.chunks) {
    check_spec("CreateChatCompletionStreamResponse", c);
  }
  const auto tools = decode_bin("converse-tools.stream.bin");
  REQUIRE_FALSE(tools.error.has_value());
  CHECK(finish_reason(tools) == "tool_calls");
  std::string args;
  for (const auto& c : tools.chunks) {
    for (const auto& choice : c["choices"]) {
      for (const auto& t : choice["delta"].value("tool_calls", json::array())) {
        CHECK(t["index"] == 0);
        args += t["function"].value("arguments", "");
      }
    }
  }
  CHECK(json::parse(args) == json{{"city", "Seattle"}});
  const auto broken = decode_bin("converse-error-midstream.stream.bin");
  REQUIRE(broken.error.has_value());
  CHECK(broken.error->code == ErrorCode::RateLimited);
  CHECK(broken.error->message ==
        "BedrockException - Too many tokens, please wait before trying again.");
  CHECK(streamed_text(broken) == "Hello");
}

TEST_CASE("bedrock: errors map by x-amzn-ErrorType - no 401 in AWS - context overflow") {
  const auto& a = adapter("bedrock");
  const struct {
    const char* file;
    ErrorCode code;
  } cases[] = {{"error-400-validation.json", ErrorCode::InvalidRequest},
               {"error-context-length.json", ErrorCode::ContextWindowExceeded},
               {"error-403-access-denied.json", ErrorCode::PermissionDenied},
               {"error-403-bad-token.json", ErrorCode::Authentication},
               {"error-403-signature.json", ErrorCode::Authentication},
               {"error-404.json", ErrorCode::NotFound},
               {"error-424-model.json", ErrorCode::UpstreamError},
               {"error-429.json", ErrorCode::RateLimited},
               {"error-500.json", ErrorCode::UpstreamError},
               {"error-503.json", ErrorCode::UpstreamUnavailable}};
  for (const auto& c : cases) {
    CAPTURE(c.file);
    const auto fx = fixture_json("bedrock", c.file);
    core::Headers headers;
    for (const auto& [k, v] : fx["_headers"].items()) {
      headers.emplace_back(k, v.get<std::string>());
    }
    const auto e =
        a.map_error(core::UpstreamResponse{fx["_status"].get<int>(), headers, fx["body"].dump()});
    CHECK(e.code == c.code);
    const auto& body = fx["body"];
    CHECK(e.message ==
          "BedrockException - " +
              (body.contains("message") ? body["message"] : body["Message"]).get<std::string>());
  }
}

// No recorded payloads for Bedrock embeddings in shared/providers/bedrock: these bodies follow
// the Bedrock user guide's Titan Text Embeddings V2 and Cohere Embed examples.
TEST_CASE("bedrock: embeddings through invoke - Titan one text - Cohere a list") {
  const auto& a = adapter("bedrock");
  auto titan = bedrock_target();
  titan.model = "amazon.titan-embed-text-v2:0";
  auto up = a.build(openai_request(CallKind::Embedding,
                                   {{"model", "e"}, {"input", "hello"}, {"dimensions", 256}}),
                    titan);
  REQUIRE(up.has_value());
  CHECK(up->url ==
        "https://bedrock-runtime.us-west-2.amazonaws.com/model/amazon.titan-embed-text-v2%3A0/"
        "invoke");
  CHECK(json::parse(up->body) == json{{"inputText", "hello"}, {"dimensions", 256}});
  CHECK(header(*up, "Authorization").rfind("AWS4-HMAC-SHA256 ", 0) == 0);
  auto list =
      a.build(openai_request(CallKind::Embedding, {{"model", "e"}, {"input", {"a", "b"}}}), titan);
  REQUIRE_FALSE(list.has_value());
  CHECK(list.error().message.find("one text per request") != std::string::npos);
  const auto ereq = openai_request(CallKind::Embedding, {{"model", "e"}, {"input", "hello"}});
  auto r = a.parse(
      core::UpstreamResponse{200, {}, R"({"embedding":[0.1,0.2,0.3],"inputTextTokenCount":2})"},
      ereq);
  REQUIRE(r.has_value());
  check_spec("CreateEmbeddingResponse", r->body);
  CHECK(r->body["usage"]["prompt_tokens"] == 2);

  auto cohere = bedrock_target();
  cohere.model = "cohere.embed-english-v3";
  auto cup =
      a.build(openai_request(CallKind::Embedding, {{"model", "e"}, {"input", {"a", "b"}}}), cohere);
  REQUIRE(cup.has_value());
  CHECK(json::parse(cup->body) == json{{"texts", {"a", "b"}}, {"input_type", "search_document"}});
  auto cr = a.parse(
      core::UpstreamResponse{
          200,
          {},
          R"({"embeddings":[[0.1],[0.2]],"id":"x","response_type":"embeddings_floats","texts":["a","b"]})"},
      ereq);
  REQUIRE(cr.has_value());
  CHECK(cr->body["data"].size() == 2);
}
