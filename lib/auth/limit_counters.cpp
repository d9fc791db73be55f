#include "auth/limit_counters.hpp"

#include <algorithm>
#include <functional>
#include <set>

namespace litellm::auth {

const char* limit_type_name(LimitType t) {
  switch (t) {
    case LimitType::Requests:
      return "requests";
    case LimitType::Tokens:
      return "tokens";
    case LimitType::MaxParallel:
      return "max_parallel_requests";
  }
  return "requests";
}

std::size_t LimitCounters::shard_of(const std::string& name) const {
  return std::hash<std::string>{}(name) % kShards;
}

void LimitCounters::roll(Counter& c, std::chrono::steady_clock::time_point now,
                         std::chrono::system_clock::time_point wall) const {
  if (c.window_start == std::chrono::steady_clock::time_point{} ||
      now - c.window_start >= window_) {
    c.window_start = now;
    c.window_start_wall = wall;
    c.requests = 0;
    c.tokens = 0;
  }
}

std::variant<LimitTicket, LimitDenied> LimitCounters::acquire(const std::vector<LimitSpec>& specs,
                                                              std::int64_t estimated_tokens) {
  const auto now = clock_.steady_now();
  const auto wall = clock_.wall_now();
  std::vector<std::string> names;
  for (const auto& s : specs) {
    names.push_back(s.descriptor + ":" + s.value);
  }
  // Every shard involved, locked in index order so two requests never wait on each other.
  std::set<std::size_t> shard_ids;
  for (const auto& n : names) {
    shard_ids.insert(shard_of(n));
  }
  std::vector<std::unique_lock<std::mutex>> locks;
  for (const auto id : shard_ids) {
    locks.emplace_back(shards_[id].mu);
  }
  const auto denied = [&](const LimitSpec& s, const Counter& c, LimitType type, std::int64_t limit,
                          std::int64_t used) {
    const bool windowed = type != LimitType::MaxParallel;
    return LimitDenied{s.descriptor,
                       s.value,
                       type,
                       limit,
                       std::max<std::int64_t>(0, limit - used),
                       windowed ? c.window_start_wall + window_ : wall,
                       windowed ? std::chrono::duration_cast<std::chrono::seconds>(
                                      window_ - (now - c.window_start))
                                : std::chrono::seconds(1)};
  };
  for (std::size_t i = 0; i < specs.size(); ++i) {
    const auto& s = specs[i];
    Counter& c = shards_[shard_of(names[i])].counters[names[i]];
    roll(c, now, wall);
    if (s.rpm && c.requests + 1 > *s.rpm) {
      return denied(s, c, LimitType::Requests, *s.rpm, c.requests);
    }
    const std::int64_t tokens_in_use = c.tokens + c.held_tokens;
    if (s.tpm && (tokens_in_use >= *s.tpm ||
                  (c.in_flight > 0 && tokens_in_use + estimated_tokens > *s.tpm))) {
      return denied(s, c, LimitType::Tokens, *s.tpm, tokens_in_use);
    }
    if (s.max_parallel && c.in_flight + 1 > *s.max_parallel) {
      return denied(s, c, LimitType::MaxParallel, *s.max_parallel, c.in_flight);
    }
  }
  LimitTicket t;
  t.estimated_tokens = estimated_tokens;
  for (std::size_t i = 0; i < specs.size(); ++i) {
    const auto& s = specs[i];
    Counter& c = shards_[shard_of(names[i])].counters[names[i]];
    c.requests += 1;
    c.held_tokens += estimated_tokens;
    c.in_flight += 1;
    if (s.rpm) {
      t.readings.push_back({s.descriptor, LimitType::Requests, *s.rpm, *s.rpm - c.requests});
    }
    if (s.tpm) {
      t.readings.push_back({s.descriptor, LimitType::Tokens, *s.tpm,
                            std::max<std::int64_t>(0, *s.tpm - c.tokens - c.held_tokens)});
    }
    if (s.max_parallel) {
      t.readings.push_back(
          {s.descriptor, LimitType::MaxParallel, *s.max_parallel, *s.max_parallel - c.in_flight});
    }
  }
  t.counters = std::move(names);
  return t;
}

void LimitCounters::release(const LimitTicket& ticket, std::int64_t tokens_used) {
  const auto now = clock_.steady_now();
  const auto wall = clock_.wall_now();
  for (const auto& name : ticket.counters) {
    auto& shard = shards_[shard_of(name)];
    std::lock_guard lock(shard.mu);
    Counter& c = shard.counters[name];
    c.held_tokens -= ticket.estimated_tokens;
    c.in_flight -= 1;
    roll(c, now, wall);
    c.tokens += tokens_used;
  }
}

}  // namespace litellm::auth
