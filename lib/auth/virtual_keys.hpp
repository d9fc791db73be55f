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
// Entries live `ttl` (another replica may change a key) and go at once on update/delete.
// Thread-safe.
class KeyCache {
 public:
  explicit KeyCache(std::chrono::seconds ttl = std::chrono::seconds(60)) : ttl_(ttl) {}
  std::optional<store::KeyRecord> get(const std::string& token);
  void put(const store::KeyRecord& key);
  void erase(const std::string& token);
  // Spend written to the database since the entry was read.
  void add_spend(const std::string& token, double usd);

 private:
  struct Entry {
    store::KeyRecord key;
    std::chrono::steady_clock::time_point at;
  };
  std::chrono::seconds ttl_;
  std::mutex mu_;
  std::unordered_map<std::string, Entry> entries_;  // guarded by mu_
};

// Spend not yet in the database, per key. Requests add to it as they finish; the writer takes
// it in batches and gives it back when a write fails, so none is lost while the database is
// away. Thread-safe.
class SpendLedger {
 public:
  void add(const std::string& token, double usd);
  double pending(const std::string& token) const;
  std::vector<std::pair<std::string, double>> take();
  void restore(const std::vector<std::pair<std::string, double>>& amounts);

 private:
  mutable std::mutex mu_;
  std::unordered_map<std::string, double> pending_;  // guarded by mu_
};

}  // namespace litellm::auth
