#pragma once

#include <chrono>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "store/store.hpp"

namespace litellm::auth {

// "sk-" and 22 URL-safe base64 characters: 132 random bits from OpenSSL's CSPRNG.
std::string generate_key();
// What is stored for a key: its SHA-256, hex.
std::string hash_key(const std::string& key);
// "sk-...Y8w": the key's last characters, enough to recognise it.
std::string key_name(const std::string& key);

// Verified keys, so the hot path makes no database round trip after a key's first use.
// Entries live `ttl` (another replica may change a key) and go at once on update/delete. Each
// keeps the SpendLedger mark it was read with (see there). Thread-safe.
class KeyCache {
 public:
  struct Entry {
    store::KeyRecord key;
    double spend_mark = 0;
  };
  explicit KeyCache(std::chrono::seconds ttl = std::chrono::seconds(60)) : ttl_(ttl) {}
  std::optional<Entry> get(const std::string& token);
  void put(Entry entry);
  void erase(const std::string& token);

 private:
  struct Stored {
    Entry entry;
    std::chrono::steady_clock::time_point at;
  };
  std::chrono::seconds ttl_;
  std::mutex mu_;
  std::unordered_map<std::string, Stored> entries_;  // guarded by mu_
};

}  // namespace litellm::auth
