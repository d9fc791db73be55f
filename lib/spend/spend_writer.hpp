#pragma once

#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "core/clock.hpp"
#include "core/logger.hpp"
#include "spend/ledger.hpp"
#include "store/store.hpp"

namespace litellm::spend {

// Writes spend off the request path: rows queued by finished requests and the ledger's
// unwritten amounts go to the database together, in one transaction, at least every
// `interval` (so a crash risks at most about that much) and sooner when `batch_rows` are
// waiting. A failed write keeps everything queued and retries on the next tick: nothing is
// dropped while the database is away. The same thread resets budgets whose period ended.
// Owns its thread; all methods thread-safe.
class SpendWriter {
 public:
  struct Options {
    std::chrono::milliseconds interval{1000};
    std::size_t batch_rows = 1000;
  };
  // `on_reset` is told which entities (entity_of) had their budget reset: cached rows are stale.
  // `on_written`, which entities' running totals a batch just added to (other replicas reading
  // the same database may want to read them again).
  SpendWriter(store::Database& db, SpendLedger& ledger, const core::Clock& clock,
              core::Logger& logger, Options options,
              std::function<void(const std::vector<std::string>&)> on_reset,
              std::function<void(const std::vector<std::string>&)> on_written = {});
  ~SpendWriter();  // drains, as stop()
  SpendWriter(const SpendWriter&) = delete;
  SpendWriter& operator=(const SpendWriter&) = delete;

  void enqueue(store::SpendRow row);
  // Writes everything queued now and waits for it (true when the database took it all).
  bool flush();
  // Ends the thread after a last flush (a few attempts when the database fails).
  void stop();
  // Runs `read` while no batch is being written: a key row and the ledger's mark for it,
  // read together, then agree on what the database holds.
  template <typename F>
  auto consistent(F&& read) {
    std::lock_guard lock(write_mu_);
    return read();
  }
  std::size_t queued() const;

 private:
  void run();
  bool write_once();
  bool write_locked();  // write_mu_ held
  void reset_budgets();

  store::Database& db_;
  SpendLedger& ledger_;
  const core::Clock& clock_;
  core::Logger& logger_;
  const Options options_;
  std::function<void(const std::vector<std::string>&)> on_reset_;
  std::function<void(const std::vector<std::string>&)> on_written_;
  std::mutex write_mu_;  // held while a batch is written
  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::vector<store::SpendRow> rows_;  // guarded by mu_
  bool stopping_ = false;              // guarded by mu_
  bool flush_asked_ = false;           // guarded by mu_
  bool failing_ = false;               // guarded by write_mu_: warn once per outage
  std::thread thread_;
};

// The ledger's name for a key's or party's spend: "key:<hash>", "team:<id>", ...
std::string entity_of(store::SpendHolder holder, const std::string& id);
std::optional<std::pair<store::SpendHolder, std::string>> holder_of_entity(
    const std::string& entity);
inline std::string key_entity(const std::string& token) {
  return entity_of(store::SpendHolder::Key, token);
}
inline constexpr const char* kGlobalEntity = "global";

}  // namespace litellm::spend
