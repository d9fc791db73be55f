#include "auth/virtual_keys.hpp"

#include <stdexcept>

#include <openssl/rand.h>
#include <openssl/sha.h>

namespace litellm::auth {

std::string generate_key() {
  static constexpr char kAlphabet[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  unsigned char bytes[22];
  if (RAND_bytes(bytes, sizeof bytes) != 1) {
    throw std::runtime_error("OpenSSL's random generator failed");
  }
  std::string key = "sk-";
  for (const unsigned char b : bytes) {
    key.push_back(kAlphabet[b & 0x3FU]);  // 6 bits per character
  }
  return key;
}

std::string hash_key(const std::string& key) {
  unsigned char digest[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char*>(key.data()), key.size(), digest);
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  for (const unsigned char b : digest) {
    out.push_back(kDigits[b >> 4U]);
    out.push_back(kDigits[b & 0xFU]);
  }
  return out;
}

std::string key_name(const std::string& key) {
  return "sk-..." + (key.size() > 4 ? key.substr(key.size() - 4) : key);
}

}  // namespace litellm::auth
