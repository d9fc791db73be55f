#include "auth/shared_limit_counters.hpp"

#include <algorithm>
#include <future>

namespace litellm::auth {

namespace {

// A party's counts in Redis: one hash with `held` (tokens estimated for calls in flight),
// `inflight`, and per second `r<second>` (requests made) and `t<second>` (tokens used). What is
// in the window is summed from the seconds; seconds that left it are deleted on the way.
// (Keys' names come from the caller; the seconds are wall-clock seconds of the replicas.)
//
// Admissions, many in one call, each all-or-nothing and in turn. ARGV: now_ms, window_s, then
// per admission: how many of KEYS are its parties (in order), its estimated tokens, and per
// party its rpm, tpm and max_parallel (-1: no limit). A refused admission counts against
// nothing. Answers per admission {0, then requests, tokens in use, in flight per party} or
// {party index, type (1 requests, 2 tokens, 3 parallel), limit, used, oldest second counted}.
constexpr const char* kAcquire = R"lua(
local now_s = math.floor(tonumber(ARGV[1]) / 1000)
local window = tonumber(ARGV[2])
local function counts(key)
  local all = redis.call('HGETALL', key)
  local c = {req = 0, tok = 0, held = 0, inflight = 0, oldest_req = -1, oldest_tok = -1}
  local gone = {}
  for i = 1, #all, 2 do
    local f = all[i]
    local v = tonumber(all[i + 1]) or 0
    if f == 'held' then
      c.held = v
    elseif f == 'inflight' then
      c.inflight = v
    else
      local sec = tonumber(string.sub(f, 2))
      if sec == nil or sec <= now_s - window then
        gone[#gone + 1] = f
      elseif sec <= now_s then
        if string.sub(f, 1, 1) == 'r' then
          c.req = c.req + v
          if v > 0 and (c.oldest_req < 0 or sec < c.oldest_req) then c.oldest_req = sec end
        else
          c.tok = c.tok + v
          if v > 0 and (c.oldest_tok < 0 or sec < c.oldest_tok) then c.oldest_tok = sec end
        end
      end
    end
  end
  if #gone > 0 then redis.call('HDEL', key, unpack(gone)) end
  return c
end
local results = {}
local k = 1
local a = 3
while a + 1 <= #ARGV do
  local n = tonumber(ARGV[a])
  local est = tonumber(ARGV[a + 1])
  a = a + 2
  local seen = {}
  local denied = nil
  for j = 1, n do
    local base = a + (j - 1) * 3
    local rpm = tonumber(ARGV[base])
    local tpm = tonumber(ARGV[base + 1])
    local par = tonumber(ARGV[base + 2])
    local c = counts(KEYS[k + j - 1])
    local in_use = c.tok + c.held
    if denied == nil then
      if rpm >= 0 and c.req + 1 > rpm then
        denied = {j, 1, rpm, c.req, c.oldest_req}
      elseif tpm >= 0 and (in_use >= tpm or (c.inflight > 0 and in_use + est > tpm)) then
        denied = {j, 2, tpm, in_use, c.oldest_tok}
      elseif par >= 0 and c.inflight + 1 > par then
        denied = {j, 3, par, c.inflight, -1}
      end
    end
    seen[j] = c
  end
  if denied ~= nil then
    results[#results + 1] = denied
  else
    local out = {0}
    for j = 1, n do
      local c = seen[j]
      local key = KEYS[k + j - 1]
      redis.call('HINCRBY', key, 'r' .. now_s, 1)
      redis.call('HINCRBY', key, 'held', est)
      redis.call('HINCRBY', key, 'inflight', 1)
      redis.call('EXPIRE', key, window + 3600)
      out[#out + 1] = c.req + 1
      out[#out + 1] = c.tok + c.held + est
      out[#out + 1] = c.inflight + 1
    end
    results[#results + 1] = out
  end
  k = k + n
  a = a + n * 3
end
return results
)lua";

// Releases, many in one call. ARGV: now_ms, window_s, then per call: how many of KEYS are its
// parties (in order), the estimate it held, the tokens it used. Frees each call's parallel slot
// and held tokens and counts its real usage in this second.
constexpr const char* kRelease = R"lua(
local now_s = math.floor(tonumber(ARGV[1]) / 1000)
local window = tonumber(ARGV[2])
local k = 1
local a = 3
while a + 2 <= #ARGV do
  local n = tonumber(ARGV[a])
  local est = tonumber(ARGV[a + 1])
  local used = tonumber(ARGV[a + 2])
  a = a + 3
  for i = k, k + n - 1 do
    local key = KEYS[i]
    local v = redis.call('HMGET', key, 'held', 'inflight')
    if v[1] or v[2] then
      redis.call('HSET', key, 'held', math.max(0, (tonumber(v[1]) or 0) - est),
                 'inflight', math.max(0, (tonumber(v[2]) or 0) - 1))
      if used > 0 then redis.call('HINCRBY', key, 't' .. now_s, used) end
      redis.call('EXPIRE', key, window + 3600)
    end
  end
  k = k + n
end
return 0
)lua";

// Admissions or releases sent together at most: bounds how long one script holds the server.
constexpr std::size_t kBatch = 256;

std::string redis_key(const std::string& counter) {
  return "litellm:ratelimit:" + counter;
}

std::int64_t element(const redis::RedisReply& r, std::size_t i) {
  return i < r.elements.size() ? r.elements[i].integer : 0;
}

}  // namespace

SharedLimitCounters::SharedLimitCounters(redis::RedisClient& redis, LimitCounters& local,
                                         const core::Clock& clock, core::Logger& log,
                                         std::chrono::seconds window)
    : redis_(redis),
      local_(local),
      clock_(clock),
      log_(log),
      window_(window),
      admissions_([this] { run_admissions(); }),
      releaser_([this] { run_releases(); }) {}

SharedLimitCounters::~SharedLimitCounters() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  cv_.notify_all();
  stop_admitting();
  releaser_.join();
}

std::int64_t SharedLimitCounters::now_ms() const {
  return std::chrono::duration_cast<std::chrono::milliseconds>(clock_.wall_now().time_since_epoch())
      .count();
}

bool SharedLimitCounters::redis_resting() {
  std::lock_guard lock(mu_);
  return redis_down_ && std::chrono::steady_clock::now() < retry_redis_at_;
}

void SharedLimitCounters::note_redis(const Result<redis::RedisReply>& r) {
  std::lock_guard lock(mu_);
  if (!r) {
    // An unreachable server may cost a connect timeout per try: the process's counters answer
    // for a second before the next.
    retry_redis_at_ = std::chrono::steady_clock::now() + std::chrono::seconds(1);
  }
  if (!r && !redis_down_) {
    redis_down_ = true;
    log_.warn(r.error().message +
              "; rate limits are counted by this process alone until it "
              "is back");
  } else if (r && redis_down_) {
    redis_down_ = false;
    log_.info("Redis is back: rate limits are shared again");
  }
}

Admission SharedLimitCounters::acquire(const std::vector<LimitSpec>& specs,
                                       std::int64_t estimated_tokens) {
  std::promise<Admission> answer;
  auto got = answer.get_future();
  acquire(specs, estimated_tokens, [&answer](Admission a) { answer.set_value(std::move(a)); });
  return got.get();
}

void SharedLimitCounters::acquire(std::vector<LimitSpec> specs, std::int64_t estimated_tokens,
                                  Done done) {
  std::unique_lock lock(mu_);
  if (!admitting_) {
    lock.unlock();  // `done` may release another ticket, which takes mu_
    done(local_.acquire(specs, estimated_tokens));
    return;
  }
  pending_.push_back(Pending{std::move(specs), estimated_tokens, std::move(done)});
  lock.unlock();
  admit_cv_.notify_one();
}

void SharedLimitCounters::stop_admitting() {
  {
    std::lock_guard lock(mu_);
    if (!admitting_) {
      return;
    }
    admitting_ = false;
  }
  admit_cv_.notify_all();
  admissions_.join();
}

void SharedLimitCounters::run_admissions() {
  std::unique_lock lock(mu_);
  for (;;) {
    admit_cv_.wait(lock, [this] { return stopping_ || !admitting_ || !pending_.empty(); });
    if (pending_.empty()) {
      return;  // stopping, nothing left
    }
    std::vector<Pending> batch;
    while (batch.size() < kBatch && !pending_.empty()) {
      batch.push_back(std::move(pending_.front()));
      pending_.pop_front();
    }
    lock.unlock();
    admit_batch(batch);
    lock.lock();
  }
}

namespace {

LimitDenied denied_of(const LimitSpec& s, const redis::RedisReply& r, std::int64_t now_ms,
                      std::chrono::system_clock::time_point wall, std::chrono::seconds window) {
  const auto type = element(r, 1) == 1   ? LimitType::Requests
                    : element(r, 1) == 2 ? LimitType::Tokens
                                         : LimitType::MaxParallel;
  const std::int64_t limit = element(r, 2);
  if (type == LimitType::MaxParallel) {
    return LimitDenied{s.descriptor, s.value, type, limit, 0, wall, std::chrono::seconds(1)};
  }
  const auto reset = window_reset(element(r, 4), now_ms, window, wall);
  return LimitDenied{
      s.descriptor, s.value,          type, limit, std::max<std::int64_t>(0, limit - element(r, 3)),
      reset.at,     reset.retry_after};
}

LimitTicket ticket_of(const std::vector<LimitSpec>& specs, const redis::RedisReply& r,
                      std::int64_t estimated_tokens) {
  LimitTicket t;
  t.estimated_tokens = estimated_tokens;
  t.shared = true;
  for (std::size_t i = 0; i < specs.size(); ++i) {
    const auto& s = specs[i];
    const std::int64_t requests = element(r, 1 + i * 3);
    const std::int64_t tokens = element(r, 2 + i * 3);
    const std::int64_t in_flight = element(r, 3 + i * 3);
    if (s.rpm) {
      t.readings.push_back({s.descriptor, LimitType::Requests, *s.rpm, *s.rpm - requests});
    }
    if (s.tpm) {
      t.readings.push_back(
          {s.descriptor, LimitType::Tokens, *s.tpm, std::max<std::int64_t>(0, *s.tpm - tokens)});
    }
    if (s.max_parallel) {
      t.readings.push_back(
          {s.descriptor, LimitType::MaxParallel, *s.max_parallel, *s.max_parallel - in_flight});
    }
    t.counters.push_back(s.descriptor + ":" + s.value);
  }
  return t;
}

}  // namespace

void SharedLimitCounters::admit_batch(std::vector<Pending>& batch) {
  const std::int64_t now = now_ms();
  const auto wall = clock_.wall_now();
  std::vector<std::string> keys;
  std::vector<std::string> args{std::to_string(now), std::to_string(window_.count())};
  for (const auto& p : batch) {
    args.push_back(std::to_string(p.specs.size()));
    args.push_back(std::to_string(p.estimated_tokens));
    for (const auto& s : p.specs) {
      keys.push_back(redis_key(s.descriptor + ":" + s.value));
      for (const auto& limit : {s.rpm, s.tpm, s.max_parallel}) {
        args.push_back(std::to_string(limit.value_or(-1)));
      }
    }
  }
  if (redis_resting()) {
    for (auto& p : batch) {
      p.done(local_.acquire(p.specs, p.estimated_tokens));
    }
    return;
  }
  auto reply = redis_.eval(kAcquire, keys, args);
  note_redis(reply);
  if (!reply || reply->kind != redis::RedisReply::Kind::Array ||
      reply->elements.size() != batch.size()) {
    for (auto& p : batch) {
      p.done(local_.acquire(p.specs, p.estimated_tokens));
    }
    return;
  }
  for (std::size_t b = 0; b < batch.size(); ++b) {
    auto& p = batch[b];
    const auto& r = reply->elements[b];
    const std::int64_t at = element(r, 0);
    if (at > 0 && static_cast<std::size_t>(at) <= p.specs.size()) {
      p.done(denied_of(p.specs[static_cast<std::size_t>(at - 1)], r, now, wall, window_));
    } else {
      p.done(ticket_of(p.specs, r, p.estimated_tokens));
    }
  }
}

void SharedLimitCounters::release(const LimitTicket& ticket, std::int64_t tokens_used) {
  if (!ticket.shared) {
    local_.release(ticket, tokens_used);
    return;
  }
  Release r{{}, ticket.estimated_tokens, tokens_used};
  for (const auto& c : ticket.counters) {
    r.keys.push_back(redis_key(c));
  }
  {
    std::lock_guard lock(mu_);
    releases_.push_back(std::move(r));
  }
  cv_.notify_one();
}

void SharedLimitCounters::run_releases() {
  std::unique_lock lock(mu_);
  for (;;) {
    cv_.wait(lock, [this] { return stopping_ || !releases_.empty(); });
    if (releases_.empty()) {
      return;  // stopping, nothing left
    }
    // Whatever queued up while the last batch was out goes in one round trip.
    std::vector<std::string> keys;
    std::vector<std::string> args{std::to_string(now_ms()), std::to_string(window_.count())};
    for (std::size_t n = 0; n < kBatch && !releases_.empty(); ++n) {
      Release& r = releases_.front();
      args.push_back(std::to_string(r.keys.size()));
      args.push_back(std::to_string(r.estimated_tokens));
      args.push_back(std::to_string(r.tokens_used));
      keys.insert(keys.end(), std::make_move_iterator(r.keys.begin()),
                  std::make_move_iterator(r.keys.end()));
      releases_.pop_front();
    }
    lock.unlock();
    // A release Redis never got leaves its slot and held tokens counted until the counters
    // expire (an hour after their last use): logged, not retried, since a retry could count
    // twice.
    note_redis(redis_.eval(kRelease, keys, args));
    lock.lock();
  }
}

}  // namespace litellm::auth
