#pragma once

namespace litellm {
// The LiteLLM proxy version whose API surface this build follows, reported where LiteLLM
// reports its own version (/health/readiness, x-litellm-version).
inline constexpr const char* kVersion = "0.1.0";
inline constexpr const char* kCompatLiteLLMVersion = "1.80.13";
}  // namespace litellm
