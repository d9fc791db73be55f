// State this process shares with other replicas through Redis: rate-limit counters and cache
// invalidation. Without Redis, everything here is the process's own.
#include <string_view>
#include <unordered_set>

#include "server/gateway_state.hpp"

namespace litellm::server {

namespace {

// One channel for every replica of a deployment. A message is "<sender's instance id> <what>",
// what being "key:<hash>", "keys" (all keys: a user or team changed), "party:<entity>" (a
// customer) or "spent <entity> ..." (running totals another replica just wrote). A replica
// ignores its own: it acted on them already.
constexpr const char* kInvalidateChannel = "litellm:invalidate";

// Another replica's message: drops or expires what it names.
void hear(Gateway::Impl& gw, std::string_view what) {
  if (what == "keys") {
    gw.key_cache.clear();
  } else if (what.rfind("key:", 0) == 0) {
    gw.key_cache.erase(std::string(what.substr(4)));
  } else if (what.rfind("party:", 0) == 0) {
    gw.party_cache.erase(std::string(what.substr(6)));
  } else if (what.rfind("spent ", 0) == 0) {
    // Spend is not a reason to stop anyone at once: the entries are read again on next use
    // (in the background for keys), so budgets see the other replicas' spend within a writer
    // tick.
    std::unordered_set<std::string> keys;
    std::unordered_set<std::string> parties;    // "user:<id>", "team:<id>"
    std::unordered_set<std::string> customers;  // "customer:<id>", as the party cache names them
    std::string_view rest = what.substr(6);
    while (!rest.empty()) {
      const auto space = rest.find(' ');
      const std::string entity(rest.substr(0, space));
      rest = space == std::string_view::npos ? std::string_view() : rest.substr(space + 1);
      const auto holder = spend::holder_of_entity(entity);
      if (!holder) {
        continue;
      }
      if (holder->first == store::SpendHolder::Key) {
        keys.insert(holder->second);
      } else if (holder->first == store::SpendHolder::Customer) {
        customers.insert(entity);
      } else {
        parties.insert(entity);
      }
    }
    const auto names = [&](const std::optional<auth::PartyEntry>& p) {
      return p && parties.count(spend::entity_of(store::holder_of(p->record.kind), p->record.id));
    };
    gw.key_cache.expire_if([&](const std::string& token, const auto& entry) {
      return keys.count(token) != 0 || names(entry->user) || names(entry->team);
    });
    if (!customers.empty()) {
      gw.party_cache.expire_if(
          [&](const std::string& id, const auto&) { return customers.count(id) != 0; });
    }
  }
}

}  // namespace

void Gateway::Impl::open_redis() {
  const auto& cfg = snapshot()->config;
  redis::RedisEndpoint endpoint;
  if (!cfg.redis_url.empty()) {
    auto parsed = redis::parse_redis_url(cfg.redis_url.reveal());
    if (!parsed) {
      logger.warn(parsed.error().message + "; rate limits stay per process");
      return;
    }
    endpoint = std::move(*parsed);
  } else if (!cfg.redis_host.empty()) {
    endpoint.host = cfg.redis_host;
    endpoint.port = cfg.redis_port;
    endpoint.password = cfg.redis_password;
  } else {
    return;
  }
  redis = std::make_unique<redis::RedisClient>(endpoint);
  if (auto pong = redis->command({"PING"}); pong) {
    logger.info("shared state (rate limits, key changes): Redis at " + endpoint.describe());
  } else {
    logger.warn(pong.error().message +
                "; rate limits are counted by this process alone until Redis answers");
  }
  shared_limits = std::make_unique<auth::SharedLimitCounters>(*redis, limits, clock, logger);
  redis::RedisSubscriber::Handlers handlers;
  handlers.on_message = [this](const std::string& message) {
    const auto space = message.find(' ');
    if (space != std::string::npos && message.compare(0, space, instance_id) != 0) {
      hear(*this, std::string_view(message).substr(space + 1));
    }
  };
  // Changes made elsewhere while we were not listening are unknown: start from the database.
  handlers.on_connected = [this] {
    key_cache.clear();
    party_cache.clear();
  };
  handlers.on_lost = [this](const std::string& why) {
    logger.warn("Redis: not hearing other replicas' key changes (" + why +
                "); cached keys are trusted until they expire");
  };
  invalidations =
      std::make_unique<redis::RedisSubscriber>(endpoint, kInvalidateChannel, std::move(handlers));
}

namespace {

void publish(Gateway::Impl& gw, const std::string& what) {
  if (!gw.redis) {
    return;
  }
  if (auto sent = gw.redis->command({"PUBLISH", kInvalidateChannel, gw.instance_id + " " + what});
      !sent) {
    gw.logger.warn("Redis: other replicas were not told of a key change (" + sent.error().message +
                   "); they see it when their cached copy expires");
  }
}

}  // namespace

void Gateway::Impl::forget_keys(const std::vector<std::string>& tokens) {
  for (const auto& t : tokens) {
    key_cache.erase(t);
    publish(*this, "key:" + t);
  }
}

void Gateway::Impl::forget_all_keys() {
  key_cache.clear();
  publish(*this, "keys");
}

void Gateway::Impl::forget_party(const std::string& entity) {
  party_cache.erase(entity);
  publish(*this, "party:" + entity);
}

void Gateway::Impl::tell_spent(const std::vector<std::string>& entities) {
  if (!redis) {
    return;
  }
  std::string what = "spent";
  for (const auto& e : entities) {
    what += " " + e;
  }
  publish(*this, what);
}

void Gateway::Impl::forget_reset(const std::vector<std::string>& entities) {
  bool all_keys = false;
  std::vector<std::string> tokens;
  for (const auto& e : entities) {
    const auto holder = spend::holder_of_entity(e);
    if (!holder) {
      continue;
    }
    switch (holder->first) {
      case store::SpendHolder::Key:
        tokens.push_back(holder->second);
        break;
      case store::SpendHolder::Customer:
        forget_party(e);
        break;
      default:
        all_keys = true;  // keys carry their user's and team's rows
        break;
    }
  }
  if (all_keys) {
    forget_all_keys();
  } else {
    forget_keys(tokens);
  }
}

void Gateway::Impl::acquire_limits(std::vector<auth::LimitSpec> specs,
                                   std::int64_t estimated_tokens,
                                   std::function<void(auth::Admission)> done) {
  if (shared_limits) {
    shared_limits->acquire(std::move(specs), estimated_tokens, std::move(done));
  } else {
    done(limits.acquire(specs, estimated_tokens));
  }
}

void Gateway::Impl::release_limits(const auth::LimitTicket& ticket, std::int64_t tokens_used) {
  if (shared_limits) {
    shared_limits->release(ticket, tokens_used);
  } else {
    limits.release(ticket, tokens_used);
  }
}

}  // namespace litellm::server
