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

void SpendLedger::add(const std::string& token, double usd) {
  std::lock_guard lock(mu_);
  totals_[token].added += usd;
}

double SpendLedger::flushed(const std::string& token) const {
  std::lock_guard lock(mu_);
  const auto it = totals_.find(token);
  return it == totals_.end() ? 0.0 : it->second.flushed;
}

double SpendLedger::since(const std::string& token, double mark) const {
  std::lock_guard lock(mu_);
  const auto it = totals_.find(token);
  return it == totals_.end() ? 0.0 : it->second.added - mark;
}

std::vector<std::pair<std::string, double>> SpendLedger::take() {
  std::lock_guard lock(mu_);
  std::vector<std::pair<std::string, double>> out;
  for (auto& [token, t] : totals_) {
    const double unwritten = t.added - t.flushed - t.writing;
    if (unwritten > 0) {
      t.writing += unwritten;
      out.emplace_back(token, unwritten);
    }
  }
  return out;
}

void SpendLedger::committed(const std::vector<std::pair<std::string, double>>& amounts) {
  std::lock_guard lock(mu_);
  for (const auto& [token, usd] : amounts) {
    auto& t = totals_[token];
    t.writing -= usd;
    t.flushed += usd;
  }
}

void SpendLedger::restore(const std::vector<std::pair<std::string, double>>& amounts) {
  std::lock_guard lock(mu_);
  for (const auto& [token, usd] : amounts) {
    totals_[token].writing -= usd;  // unwritten again: the next take() offers it
  }
}

}  // namespace litellm::auth
