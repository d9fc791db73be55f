#include "server/routes.hpp"

#include <doctest/doctest.h>

using litellm::server::match_route;
using litellm::server::Route;

TEST_CASE("routes: LiteLLM's spellings of each endpoint") {
  CHECK(match_route("POST", "/v1/chat/completions").route == Route::Chat);
  CHECK(match_route("POST", "/chat/completions").route == Route::Chat);
  CHECK(match_route("POST", "/v1/completions").route == Route::Completion);
  CHECK(match_route("POST", "/embeddings").route == Route::Embedding);
  CHECK(match_route("GET", "/v1/models").route == Route::ListModels);
  CHECK(match_route("GET", "/health/liveliness").route == Route::Liveliness);
  CHECK(match_route("GET", "/health/liveness").route == Route::Liveliness);
  CHECK(match_route("GET", "/health/readiness").route == Route::Readiness);
  CHECK(match_route("GET", "/health").route == Route::Health);
  CHECK(match_route("POST", "/v1/messages").route == Route::Messages);
  CHECK(match_route("POST", "/anthropic/v1/messages").route == Route::Messages);
  CHECK(match_route("GET", "/v1/messages").route == Route::MethodNotAllowed);
  CHECK(match_route("GET", "/model/info").route == Route::ModelInfo);
  CHECK(match_route("GET", "/v1/model/info").route == Route::ModelInfo);
  CHECK(match_route("GET", "/model_group/info").route == Route::ModelGroupInfo);
  const auto eng = match_route("POST", "/engines/gpt-4o/chat/completions");
  CHECK(eng.route == Route::Chat);
  CHECK(eng.model == "gpt-4o");
  const auto az = match_route("POST", "/openai/deployments/my/dep/embeddings");
  CHECK(az.route == Route::Embedding);
  CHECK(az.model == "my/dep");
  const auto m = match_route("GET", "/v1/models/openai/gpt-4o");
  CHECK(m.route == Route::GetModel);
  CHECK(m.model == "openai/gpt-4o");
}

TEST_CASE("routes: wrong method and unknown paths") {
  CHECK(match_route("GET", "/v1/chat/completions").route == Route::MethodNotAllowed);
  CHECK(match_route("POST", "/v1/models").route == Route::MethodNotAllowed);
  CHECK(match_route("POST", "/nope").route == Route::NotFound);
  CHECK(match_route("POST", "/engines//chat/completions").route == Route::NotFound);
}
