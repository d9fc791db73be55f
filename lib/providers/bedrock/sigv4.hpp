#pragma once

#include <chrono>
#include <string>

#include "core/http_message.hpp"
#include "core/secret.hpp"

namespace litellm::providers::bedrock {

struct AwsCredentials {
  std::string access_key_id;
  core::Secret secret_access_key;
  std::string session_token;  // temporary credentials only
};

// One request to sign. `headers` are signed as given (host is added from the URL); the path
// and query of `url` are taken as sent (already percent-encoded).
struct SigningRequest {
  std::string method;
  std::string url;
  core::Headers headers;
  std::string body;
  std::string region;
  std::string service;
  std::chrono::system_clock::time_point time;
  bool sign_body = false;  // add and sign x-amz-content-sha256
};

// The intermediate strings are returned so tests can hold them against AWS's test suite.
struct SignedRequest {
  std::string canonical_request;
  std::string string_to_sign;
  std::string signature;  // hex
  core::Headers add;      // headers to send: X-Amz-Date, [X-Amz-Security-Token,
                          // X-Amz-Content-Sha256,] Authorization
};

// AWS Signature Version 4 over headers (not presigned URLs).
SignedRequest sign_v4(const SigningRequest& req, const AwsCredentials& creds);

// Lower-case hex SHA-256 of `data`.
std::string sha256_hex(std::string_view data);

}  // namespace litellm::providers::bedrock
