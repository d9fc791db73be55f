#pragma once

#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>

#include "auth/limit_counters.hpp"
#include "core/logger.hpp"
#include "redis/redis_client.hpp"

namespace litellm::auth {

// LimitCounters' rules (fixed window from the first request, all-or-nothing admission, tokens
// held from an estimate) kept in Redis, so that every replica pointed at the same server counts
// against the same limits. One Lua script per admission makes check-and-count atomic across
// replicas. Windows are measured with this process's wall clock: replicas are assumed to agree
// on the time to well under a second.
//
// When Redis cannot be reached, the process's own counters decide (LiteLLM does the same: a
// limit is never a reason to refuse all traffic), and the log says so once per outage.
class SharedLimitCounters {
 public:
  SharedLimitCounters(redis::RedisClient& redis, LimitCounters& local, const core::Clock& clock,
                      core::Logger& log, std::chrono::seconds window = std::chrono::seconds(60));
  ~SharedLimitCounters();  // sends the releases still queued
  SharedLimitCounters(const SharedLimitCounters&) = delete;
  SharedLimitCounters& operator=(const SharedLimitCounters&) = delete;

  using Done = std::function<void(Admission)>;
  // Returns at once. The admissions waiting while one batch is out go to Redis together, in one
  // round trip and one script (each admitted or refused in turn, atomically); `done` runs on
  // this object's admission thread, or on the caller's when Redis failed and the process's
  // counters answered.
  void acquire(std::vector<LimitSpec> specs, std::int64_t estimated_tokens, Done done);
  // The same, waiting for the answer (tests; threads that may block).
  Admission acquire(const std::vector<LimitSpec>& specs, std::int64_t estimated_tokens);
  // Answers what is waiting, then admits from the process's counters: for shutdown, before
  // what the callbacks use goes away. Releases keep going to Redis until destruction.
  void stop_admitting();
  // Returns at once: a background thread tells Redis. Tickets the local counters gave go back
  // to them.
  void release(const LimitTicket& ticket, std::int64_t tokens_used);

 private:
  struct Release {
    std::vector<std::string> keys;
    std::int64_t estimated_tokens = 0;
    std::int64_t tokens_used = 0;
  };
  struct Pending {
    std::vector<LimitSpec> specs;
    std::int64_t estimated_tokens = 0;
    Done done;
  };
  void run_admissions();
  void admit_batch(std::vector<Pending>& batch);
  void run_releases();
  void note_redis(const Result<redis::RedisReply>& r);
  bool redis_resting();  // failed less than a second ago: not tried again yet
  std::int64_t now_ms() const;

  redis::RedisClient& redis_;
  LimitCounters& local_;
  const core::Clock& clock_;
  core::Logger& log_;
  const std::chrono::seconds window_;
  std::mutex mu_;
  std::condition_variable cv_;                            // releases queued
  std::condition_variable admit_cv_;                      // admissions queued
  std::deque<Release> releases_;                          // guarded by mu_
  std::deque<Pending> pending_;                           // guarded by mu_
  bool stopping_ = false;                                 // guarded by mu_
  bool redis_down_ = false;                               // guarded by mu_: said once per outage
  bool admitting_ = true;                                 // guarded by mu_
  std::chrono::steady_clock::time_point retry_redis_at_;  // guarded by mu_
  std::thread admissions_;
  std::thread releaser_;
};

}  // namespace litellm::auth
