#include "providers/bedrock/sigv4.hpp"

#include <algorithm>
#include <cctype>
#include <ctime>
#include <map>
#include <vector>

#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/sha.h>

#include "core/text.hpp"

namespace litellm::providers::bedrock {

namespace {

std::string hex(const unsigned char* data, std::size_t n) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  out.reserve(n * 2);
  for (std::size_t i = 0; i < n; ++i) {
    out.push_back(kDigits[data[i] >> 4U]);
    out.push_back(kDigits[data[i] & 0xFU]);
  }
  return out;
}

std::string hmac(std::string_view key, std::string_view data) {
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
       reinterpret_cast<const unsigned char*>(data.data()), data.size(), out, &len);
  return std::string(reinterpret_cast<const char*>(out), len);
}

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

// Header values: outer spaces trimmed, inner runs of spaces collapsed to one.
std::string trim_value(std::string_view v) {
  std::string out;
  bool space = false;
  for (const char c : v) {
    if (c == ' ' || c == '\t') {
      space = !out.empty();
      continue;
    }
    if (space) {
      out.push_back(' ');
      space = false;
    }
    out.push_back(c);
  }
  return out;
}

struct Url {
  std::string host;
  std::string path = "/";
  std::string query;
};

Url split_url(std::string_view url) {
  Url u;
  const auto scheme = url.find("://");
  auto rest = scheme == std::string_view::npos ? url : url.substr(scheme + 3);
  const auto slash = rest.find_first_of("/?");
  u.host = std::string(rest.substr(0, slash));
  if (slash == std::string_view::npos) {
    return u;
  }
  rest = rest.substr(slash);
  const auto q = rest.find('?');
  u.path = std::string(rest.substr(0, q));
  if (u.path.empty()) {
    u.path = "/";
  }
  if (q != std::string_view::npos) {
    u.query = std::string(rest.substr(q + 1));
  }
  return u;
}

std::string canonical_query(std::string_view query) {
  std::vector<std::pair<std::string, std::string>> params;
  while (!query.empty()) {
    const auto amp = query.find('&');
    const auto pair = query.substr(0, amp);
    if (!pair.empty()) {
      const auto eq = pair.find('=');
      params.emplace_back(core::percent_encode(core::percent_decode(pair.substr(0, eq))),
                          eq == std::string_view::npos
                              ? std::string()
                              : core::percent_encode(core::percent_decode(pair.substr(eq + 1))));
    }
    if (amp == std::string_view::npos) {
      break;
    }
    query.remove_prefix(amp + 1);
  }
  std::sort(params.begin(), params.end());
  std::string out;
  for (const auto& [k, v] : params) {
    out += (out.empty() ? "" : "&") + k + "=" + v;
  }
  return out;
}

std::string amz_date(std::chrono::system_clock::time_point t) {
  const std::time_t secs = std::chrono::system_clock::to_time_t(t);
  std::tm tm{};
  gmtime_r(&secs, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y%m%dT%H%M%SZ", &tm);
  return buf;
}

}  // namespace

std::string sha256_hex(std::string_view data) {
  unsigned char digest[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char*>(data.data()), data.size(), digest);
  return hex(digest, sizeof digest);
}

SignedRequest sign_v4(const SigningRequest& req, const AwsCredentials& creds) {
  const Url url = split_url(req.url);
  const std::string date_time = amz_date(req.time);
  const std::string date = date_time.substr(0, 8);
  const std::string payload_hash = sha256_hex(req.body);

  SignedRequest out;
  out.add.emplace_back("X-Amz-Date", date_time);
  if (!creds.session_token.empty()) {
    out.add.emplace_back("X-Amz-Security-Token", creds.session_token);
  }
  if (req.sign_body) {
    out.add.emplace_back("X-Amz-Content-Sha256", payload_hash);
  }
  std::map<std::string, std::string> headers;  // lower-case name -> canonical value
  headers["host"] = url.host;
  for (const core::Headers* list : {&req.headers, static_cast<const core::Headers*>(&out.add)}) {
    for (const auto& [name, value] : *list) {
      auto& slot = headers[lower(name)];
      slot = slot.empty() ? trim_value(value) : slot + "," + trim_value(value);
    }
  }
  std::string canonical_headers;
  std::string signed_headers;
  for (const auto& [name, value] : headers) {
    canonical_headers += name + ":" + value + "\n";
    signed_headers += (signed_headers.empty() ? "" : ";") + name;
  }
  out.canonical_request = req.method + "\n" + core::percent_encode(url.path, true) + "\n" +
                          canonical_query(url.query) + "\n" + canonical_headers + "\n" +
                          signed_headers + "\n" + payload_hash;
  const std::string scope = date + "/" + req.region + "/" + req.service + "/aws4_request";
  out.string_to_sign =
      "AWS4-HMAC-SHA256\n" + date_time + "\n" + scope + "\n" + sha256_hex(out.canonical_request);
  const std::string k_date = hmac("AWS4" + creds.secret_access_key.reveal(), date);
  const std::string k_signing = hmac(hmac(hmac(k_date, req.region), req.service), "aws4_request");
  const std::string sig = hmac(k_signing, out.string_to_sign);
  out.signature = hex(reinterpret_cast<const unsigned char*>(sig.data()), sig.size());
  out.add.emplace_back("Authorization", "AWS4-HMAC-SHA256 Credential=" + creds.access_key_id + "/" +
                                            scope + ", SignedHeaders=" + signed_headers +
                                            ", Signature=" + out.signature);
  return out;
}

}  // namespace litellm::providers::bedrock
