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

WindowReset window_reset(std::int64_t oldest_s, std::int64_t now_ms, std::chrono::seconds window,
                         std::chrono::system_clock::time_point wall_now) {
  const std::int64_t from_s = oldest_s >= 0 ? oldest_s : now_ms / 1000;
  const std::int64_t left_ms = std::max<std::int64_t>(0, (from_s + window.count()) * 1000 - now_ms);
  return WindowReset{wall_now + std::chrono::milliseconds(left_ms),
                     std::chrono::seconds(std::max<std::int64_t>(1, (left_ms + 999) / 1000))};
}

LimitCounters::InWindow LimitCounters::in_window(Counter& c, std::int64_t now_s) const {
  while (!c.seconds.empty() && c.seconds.front().at <= now_s - window_.count()) {
    c.seconds.pop_front();
  }
  InWindow w;
  for (const auto& s : c.seconds) {
    w.requests += s.requests;
    w.tokens += s.tokens;
    if (s.requests > 0 && w.oldest_request < 0) {
      w.oldest_request = s.at;
    }
    if (s.tokens > 0 && w.oldest_tokens < 0) {
      w.oldest_tokens = s.at;
    }
  }
  return w;
}

LimitCounters::Second& LimitCounters::this_second(Counter& c, std::int64_t now_s) const {
  if (c.seconds.empty() || c.seconds.back().at < now_s) {
    c.seconds.push_back(Second{now_s, 0, 0});
  }
  return c.seconds.back();
}

std::variant<LimitTicket, LimitDenied> LimitCounters::acquire(const std::vector<LimitSpec>& specs,
                                                              std::int64_t estimated_tokens) {
  const std::int64_t now_ms =
      std::chrono::duration_cast<std::chrono::milliseconds>(clock_.steady_now().time_since_epoch())
          .count();
  const std::int64_t now_s = now_ms / 1000;
  const auto wall = clock_.wall_now();
  std::vector<std::string> names;
  names.reserve(specs.size());
  for (const auto& s : specs) {
    names.push_back(s.descriptor + ":" + s.value);
  }
  // Every shard involved, locked in index order so two requests never wait on each other.
  std::set<std::size_t> shard_ids;
  for (const auto& n : names) {
    shard_ids.insert(shard_of(n));
  }
  std::vector<std::unique_lock<std::mutex>> locks;
  locks.reserve(shard_ids.size());
  for (const auto id : shard_ids) {
    locks.emplace_back(shards_[id].mu);
  }
  const auto denied = [&](const LimitSpec& s, LimitType type, std::int64_t limit, std::int64_t used,
                          std::int64_t oldest_s) {
    if (type == LimitType::MaxParallel) {
      return LimitDenied{s.descriptor, s.value, type, limit, 0, wall, std::chrono::seconds(1)};
    }
    const auto reset = window_reset(oldest_s, now_ms, window_, wall);
    return LimitDenied{
        s.descriptor, s.value,          type, limit, std::max<std::int64_t>(0, limit - used),
        reset.at,     reset.retry_after};
  };
  std::vector<InWindow> windows;
  for (std::size_t i = 0; i < specs.size(); ++i) {
    const auto& s = specs[i];
    Counter& c = shards_[shard_of(names[i])].counters[names[i]];
    const InWindow w = in_window(c, now_s);
    if (s.rpm && w.requests + 1 > *s.rpm) {
      return denied(s, LimitType::Requests, *s.rpm, w.requests, w.oldest_request);
    }
    const std::int64_t tokens_in_use = w.tokens + c.held_tokens;
    if (s.tpm && (tokens_in_use >= *s.tpm ||
                  (c.in_flight > 0 && tokens_in_use + estimated_tokens > *s.tpm))) {
      return denied(s, LimitType::Tokens, *s.tpm, tokens_in_use, w.oldest_tokens);
    }
    if (s.max_parallel && c.in_flight + 1 > *s.max_parallel) {
      return denied(s, LimitType::MaxParallel, *s.max_parallel, c.in_flight, -1);
    }
    windows.push_back(w);
  }
  LimitTicket t;
  t.estimated_tokens = estimated_tokens;
  for (std::size_t i = 0; i < specs.size(); ++i) {
    const auto& s = specs[i];
    Counter& c = shards_[shard_of(names[i])].counters[names[i]];
    this_second(c, now_s).requests += 1;
    c.held_tokens += estimated_tokens;
    c.in_flight += 1;
    const auto& w = windows[i];
    if (s.rpm) {
      t.readings.push_back({s.descriptor, LimitType::Requests, *s.rpm, *s.rpm - w.requests - 1});
    }
    if (s.tpm) {
      t.readings.push_back({s.descriptor, LimitType::Tokens, *s.tpm,
                            std::max<std::int64_t>(0, *s.tpm - w.tokens - c.held_tokens)});
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
  const std::int64_t now_s =
      std::chrono::duration_cast<std::chrono::seconds>(clock_.steady_now().time_since_epoch())
          .count();
  for (const auto& name : ticket.counters) {
    auto& shard = shards_[shard_of(name)];
    std::lock_guard lock(shard.mu);
    Counter& c = shard.counters[name];
    c.held_tokens -= ticket.estimated_tokens;
    c.in_flight -= 1;
    this_second(c, now_s).tokens += tokens_used;
  }
}

}  // namespace litellm::auth
