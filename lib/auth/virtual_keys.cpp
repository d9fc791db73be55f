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

std::optional<KeyCache::Entry> KeyCache::get(const std::string& token) {
  std::lock_guard lock(mu_);
  const auto it = entries_.find(token);
  if (it == entries_.end()) {
    return std::nullopt;
  }
  if (std::chrono::steady_clock::now() - it->second.at > ttl_) {
    entries_.erase(it);
    return std::nullopt;
  }
  return it->second.entry;
}

void KeyCache::put(Entry entry) {
  std::lock_guard lock(mu_);
  const std::string token = entry.key.token;
  entries_.insert_or_assign(token, Stored{std::move(entry), std::chrono::steady_clock::now()});
}

void KeyCache::erase(const std::string& token) {
  std::lock_guard lock(mu_);
  entries_.erase(token);
}

}  // namespace litellm::auth
