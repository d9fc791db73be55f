#include "auth/api_key.hpp"

namespace litellm::auth {

namespace {

std::string strip_bearer(std::string_view v) {
  for (const std::string_view prefix : {"Bearer ", "bearer ", "Basic ", "basic "}) {
    if (v.substr(0, prefix.size()) == prefix) {
      v.remove_prefix(prefix.size());
      while (!v.empty() && v.front() == ' ') {
        v.remove_prefix(1);
      }
      return std::string(v);
    }
  }
  return {};
}

const std::string* find(const core::Headers& headers, std::string_view name) {
  for (const auto& [k, v] : headers) {
    if (core::iequals(k, name)) {
      return &v;
    }
  }
  return nullptr;
}

}  // namespace

std::optional<std::string> presented_key(const core::Headers& headers) {
  if (const auto* v = find(headers, "x-litellm-api-key")) {
    std::string k = strip_bearer(*v);
    return k.empty() ? *v : k;
  }
  if (const auto* v = find(headers, "authorization")) {
    return strip_bearer(*v);
  }
  for (const std::string_view name : {"api-key", "x-api-key", "x-goog-api-key"}) {
    if (const auto* v = find(headers, name)) {
      return *v;
    }
  }
  return std::nullopt;
}

Result<Credential> classify_key(const core::Headers& headers, const core::Secret& master_key) {
  if (master_key.empty()) {
    return Credential{true, {}};
  }
  const auto key = presented_key(headers);
  if (!key) {
    return Error::make(ErrorCode::Authentication, "Authentication Error, No api key passed in.");
  }
  if (key->empty()) {
    return Error::make(ErrorCode::Authentication,
                       "Authentication Error, Malformed API Key passed in. Ensure Key has "
                       "`Bearer ` prefix.");
  }
  if (core::constant_time_equal(*key, master_key.reveal())) {
    return Credential{true, {}};
  }
  if (key->rfind("sk-", 0) != 0) {
    return Error::make(ErrorCode::Authentication,
                       "Authentication Error, LiteLLM Virtual Key expected. Received=" +
                           core::Secret(*key).redacted() + ", expected to start with 'sk-'.");
  }
  return Credential{false, *key};
}

Error unknown_virtual_key(const std::string& key) {
  return Error::make(
      ErrorCode::Authentication,
      "Authentication Error, Invalid proxy server token passed. Received API Key = " +
          core::Secret(key).redacted() +
          ". Unable to find token in cache or `LiteLLM_VerificationTokenTable`");
}

}  // namespace litellm::auth
