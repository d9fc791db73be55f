#pragma once

#include <chrono>
#include <memory>
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

// Records read from the database, so the hot path makes no round trip after first use. An
// entry older than `ttl` (another replica may have changed the record) is still answered, and
// the one caller told `refresh_due` reads it again in the background: a popular key never
// makes all its requests wait on the database at once, and keeps working while the database
// is away. Local updates and deletes drop entries at once. Thread-safe.
template <typename Value>
class TtlCache {
 public:
  explicit TtlCache(std::chrono::seconds ttl = std::chrono::seconds(60)) : ttl_(ttl) {}
  std::optional<Value> get(const std::string& id, bool* refresh_due = nullptr) {
    std::lock_guard lock(mu_);
    const auto it = entries_.find(id);
    if (it == entries_.end()) {
      return std::nullopt;
    }
    const auto now = std::chrono::steady_clock::now();
    if (now - it->second.at > ttl_) {
      if (refresh_due == nullptr) {
        entries_.erase(it);
        return std::nullopt;
      }
      it->second.at = now;  // the others keep using it while this caller refreshes
      *refresh_due = true;
    }
    return it->second.value;
  }
  void put(const std::string& id, Value value) {
    std::lock_guard lock(mu_);
    entries_.insert_or_assign(id, Stored{std::move(value), std::chrono::steady_clock::now()});
  }
  void erase(const std::string& id) {
    std::lock_guard lock(mu_);
    entries_.erase(id);
  }
  void clear() {
    std::lock_guard lock(mu_);
    entries_.clear();
  }
  // Entries `pred(id, value)` picks are read again on their next use, as if past their ttl:
  // for changes that need not stop anyone at once (another replica's spend).
  template <typename Pred>
  void expire_if(Pred pred) {
    std::lock_guard lock(mu_);
    const auto long_ago = std::chrono::steady_clock::now() - ttl_ - std::chrono::seconds(1);
    for (auto& [id, stored] : entries_) {
      if (pred(id, stored.value)) {
        stored.at = long_ago;
      }
    }
  }

 private:
  struct Stored {
    Value value;
    std::chrono::steady_clock::time_point at;
  };
  const std::chrono::seconds ttl_;
  std::mutex mu_;
  std::unordered_map<std::string, Stored> entries_;  // guarded by mu_
};

// A user, team or customer as read, with the SpendLedger mark it was read with.
struct PartyEntry {
  store::PartyRecord record;
  double spend_mark = 0;
};

// A verified key with its owner and team (each read with its ledger mark: see SpendLedger).
struct KeyEntry {
  store::KeyRecord key;
  double spend_mark = 0;
  std::optional<PartyEntry> user;
  std::optional<PartyEntry> team;
};

// Keys by hash, shared with the requests using them. Cleared whole when a user or team changes
// (entries carry them).
using KeyCache = TtlCache<std::shared_ptr<const KeyEntry>>;
// Customers by id; a nullopt value remembers that none exists.
using PartyCache = TtlCache<std::optional<PartyEntry>>;

}  // namespace litellm::auth
