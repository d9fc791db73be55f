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

// Spend recorded in this process, per key, and how much of it the database has. Requests add
// as they finish; the writer takes what is unwritten, and reports it committed or gives it
// back when a write fails, so none is lost while the database is away.
// A key's spend now is `row.spend + since(token, mark)`, where `mark` is flushed(token) taken
// together with reading the row (the caller keeps flushes out between the two): the pair stays
// right whatever is flushed later. Thread-safe.
class SpendLedger {
 public:
  void add(const std::string& token, double usd);
  double flushed(const std::string& token) const;
  double since(const std::string& token, double mark) const;
  std::vector<std::pair<std::string, double>> take();
  void committed(const std::vector<std::pair<std::string, double>>& amounts);
  void restore(const std::vector<std::pair<std::string, double>>& amounts);

 private:
  struct Totals {
    double added = 0;
    double flushed = 0;
    double writing = 0;  // taken by the writer, not yet committed
  };
  mutable std::mutex mu_;
  std::unordered_map<std::string, Totals> totals_;  // guarded by mu_
};

}  // namespace litellm::auth
