#include "redis/redis_client.hpp"

#include <poll.h>
#include <sys/time.h>

#include <cerrno>
#include <charconv>

#include <hiredis/hiredis.h>

#include "core/thread_name.hpp"

namespace litellm::redis {

namespace {

timeval to_timeval(std::chrono::milliseconds ms) {
  return timeval{static_cast<time_t>(ms.count() / 1000),
                 static_cast<suseconds_t>((ms.count() % 1000) * 1000)};
}

RedisReply convert(const redisReply* r) {
  RedisReply out;
  switch (r->type) {
    case REDIS_REPLY_INTEGER:
      out.kind = RedisReply::Kind::Integer;
      out.integer = r->integer;
      break;
    case REDIS_REPLY_STRING:
    case REDIS_REPLY_STATUS:
    case REDIS_REPLY_ERROR:
      out.kind = r->type == REDIS_REPLY_STRING   ? RedisReply::Kind::String
                 : r->type == REDIS_REPLY_STATUS ? RedisReply::Kind::Status
                                                 : RedisReply::Kind::Error;
      out.text.assign(r->str, r->len);
      break;
    case REDIS_REPLY_ARRAY:
      out.kind = RedisReply::Kind::Array;
      for (std::size_t i = 0; i < r->elements; ++i) {
        out.elements.push_back(convert(r->element[i]));
      }
      break;
    default:
      break;
  }
  return out;
}

struct ReplyFree {
  void operator()(redisReply* r) const { freeReplyObject(r); }
};
using ReplyPtr = std::unique_ptr<redisReply, ReplyFree>;

ReplyPtr send(redisContext* c, const std::vector<std::string>& argv) {
  std::vector<const char*> args;
  std::vector<std::size_t> lens;
  for (const auto& a : argv) {
    args.push_back(a.data());
    lens.push_back(a.size());
  }
  return ReplyPtr(static_cast<redisReply*>(
      redisCommandArgv(c, static_cast<int>(args.size()), args.data(), lens.data())));
}

Error storage_error(const RedisEndpoint& ep, const std::string& what) {
  return Error::make(ErrorCode::Storage, "Redis at " + ep.describe() + ": " + what);
}

}  // namespace

void RedisContextFree::operator()(redisContext* c) const {
  redisFree(c);
}

std::string RedisEndpoint::describe() const {
  return "redis://" + host + ":" + std::to_string(port) + "/" + std::to_string(db);
}

Result<RedisEndpoint> parse_redis_url(const std::string& url) {
  const auto bad = [&](const std::string& why) {
    return Error::make(ErrorCode::Config, "redis_url: " + why);
  };
  if (url.rfind("rediss://", 0) == 0) {
    return bad(
        "TLS (rediss://) is not supported by this build's hiredis; use redis:// on a "
        "trusted network or a TLS tunnel");
  }
  if (url.rfind("redis://", 0) != 0) {
    return bad("expected redis://[[user]:password@]host[:port][/db]");
  }
  RedisEndpoint ep;
  std::string rest = url.substr(8);
  if (const auto at = rest.rfind('@'); at != std::string::npos) {
    const std::string auth = rest.substr(0, at);
    rest = rest.substr(at + 1);
    const auto colon = auth.find(':');
    if (colon == std::string::npos) {
      ep.password = core::Secret(auth);
    } else {
      ep.username = auth.substr(0, colon);
      ep.password = core::Secret(auth.substr(colon + 1));
    }
  }
  std::string db_text;
  if (const auto slash = rest.find('/'); slash != std::string::npos) {
    db_text = rest.substr(slash + 1);
    rest = rest.substr(0, slash);
  }
  if (const auto colon = rest.rfind(':'); colon != std::string::npos && rest.back() != ']') {
    const std::string port = rest.substr(colon + 1);
    rest = rest.substr(0, colon);
    const auto [p, ec] = std::from_chars(port.data(), port.data() + port.size(), ep.port);
    if (ec != std::errc() || p != port.data() + port.size() || ep.port <= 0 || ep.port > 65535) {
      return bad("the port '" + port + "' is not a number from 1 to 65535");
    }
  }
  if (!rest.empty()) {
    ep.host = rest.front() == '[' && rest.back() == ']' ? rest.substr(1, rest.size() - 2) : rest;
  }
  if (!db_text.empty()) {
    const auto [p, ec] = std::from_chars(db_text.data(), db_text.data() + db_text.size(), ep.db);
    if (ec != std::errc() || p != db_text.data() + db_text.size() || ep.db < 0) {
      return bad("the database '" + db_text + "' is not a number");
    }
  }
  return ep;
}

Result<RedisContextPtr> redis_connect(const RedisEndpoint& endpoint,
                                      std::chrono::milliseconds connect_timeout,
                                      std::chrono::milliseconds io_timeout) {
  RedisContextPtr c(
      redisConnectWithTimeout(endpoint.host.c_str(), endpoint.port, to_timeval(connect_timeout)));
  if (!c) {
    return storage_error(endpoint, "out of memory");
  }
  if (c->err != 0) {
    return storage_error(endpoint, c->errstr);
  }
  redisSetTimeout(c.get(), to_timeval(io_timeout));
  const auto expect_ok = [&](const std::vector<std::string>& argv,
                             const char* what) -> Result<void> {
    const ReplyPtr r = send(c.get(), argv);
    if (!r) {
      return storage_error(endpoint, std::string(what) + ": " + c->errstr);
    }
    if (r->type == REDIS_REPLY_ERROR) {
      return storage_error(endpoint, std::string(what) + ": " + std::string(r->str, r->len));
    }
    return {};
  };
  if (!endpoint.password.empty()) {
    std::vector<std::string> argv{"AUTH"};
    if (!endpoint.username.empty()) {
      argv.push_back(endpoint.username);
    }
    argv.push_back(endpoint.password.reveal());
    if (auto ok = expect_ok(argv, "AUTH"); !ok) {
      return ok.error();
    }
  }
  if (endpoint.db != 0) {
    if (auto ok = expect_ok({"SELECT", std::to_string(endpoint.db)}, "SELECT"); !ok) {
      return ok.error();
    }
  }
  return c;
}

RedisClient::RedisClient(RedisEndpoint endpoint) : RedisClient(std::move(endpoint), Options{}) {}

RedisClient::RedisClient(RedisEndpoint endpoint, Options options)
    : endpoint_(std::move(endpoint)), options_(options) {}

RedisClient::~RedisClient() = default;

Error RedisClient::failure(const std::string& what) const {
  return storage_error(endpoint_, what);
}

Result<RedisContextPtr> RedisClient::take(bool& reused) {
  {
    std::lock_guard lock(mu_);
    reused = !idle_.empty();
    if (reused) {
      RedisContextPtr c = std::move(idle_.back());
      idle_.pop_back();
      return c;
    }
  }
  return redis_connect(endpoint_, options_.connect_timeout, options_.io_timeout);
}

void RedisClient::give_back(RedisContextPtr c) {
  std::lock_guard lock(mu_);
  if (idle_.size() < options_.max_idle) {
    idle_.push_back(std::move(c));
  }
}

Result<RedisReply> RedisClient::run(redisContext* c, const std::vector<std::string>& argv) {
  const ReplyPtr r = send(c, argv);
  if (!r) {
    return failure(c->errstr[0] != '\0' ? c->errstr : "no reply");
  }
  return convert(r.get());
}

Result<RedisReply> RedisClient::command(const std::vector<std::string>& argv) {
  bool reused = false;
  auto c = take(reused);
  if (!c) {
    return c.error();
  }
  auto reply = run(c->get(), argv);
  if (!reply && reused) {
    // An idle connection may have died with a server restart: one more try on a new one.
    // (The connection that failed is in an unknown state: dropped.)
    c = redis_connect(endpoint_, options_.connect_timeout, options_.io_timeout);
    if (!c) {
      return c.error();
    }
    reply = run(c->get(), argv);
  }
  if (!reply) {
    return reply.error();
  }
  give_back(std::move(*c));
  if (reply->kind == RedisReply::Kind::Error) {
    return failure(argv.front() + ": " + reply->text);
  }
  return reply;
}

Result<RedisReply> RedisClient::eval(const std::string& script,
                                     const std::vector<std::string>& keys,
                                     const std::vector<std::string>& args) {
  std::string sha;
  {
    std::lock_guard lock(mu_);
    if (const auto it = shas_.find(script); it != shas_.end()) {
      sha = it->second;
    }
  }
  const auto call = [&](const std::string& verb, const std::string& body) {
    std::vector<std::string> argv{verb, body, std::to_string(keys.size())};
    argv.insert(argv.end(), keys.begin(), keys.end());
    argv.insert(argv.end(), args.begin(), args.end());
    return command(argv);
  };
  if (!sha.empty()) {
    auto r = call("EVALSHA", sha);
    // NOSCRIPT: the server restarted or was flushed since; send the source again below.
    if (r || r.error().message.find("NOSCRIPT") == std::string::npos) {
      return r;
    }
  }
  auto loaded = command({"SCRIPT", "LOAD", script});
  if (!loaded) {
    return loaded.error();
  }
  {
    std::lock_guard lock(mu_);
    shas_[script] = loaded->text;
  }
  return call("EVALSHA", loaded->text);
}

RedisSubscriber::RedisSubscriber(RedisEndpoint endpoint, std::string channel, Handlers handlers)
    : endpoint_(std::move(endpoint)),
      channel_(std::move(channel)),
      handlers_(std::move(handlers)),
      thread_([this] {
        core::name_this_thread("redis-sub");
        run();
      }) {}

RedisSubscriber::~RedisSubscriber() {
  stopping_ = true;
  thread_.join();
}

void RedisSubscriber::run() {
  bool said_lost = false;
  while (!stopping_) {
    std::string why;
    auto c = redis_connect(endpoint_, std::chrono::milliseconds(500), std::chrono::seconds(2));
    if (c) {
      const ReplyPtr r = send(c->get(), {"SUBSCRIBE", channel_});
      if (r && r->type != REDIS_REPLY_ERROR) {
        said_lost = false;
        if (handlers_.on_connected) {
          handlers_.on_connected();
        }
        why = listen(c->get());
      } else {
        why = r ? std::string(r->str, r->len) : std::string((*c)->errstr);
      }
    } else {
      why = c.error().message;
    }
    if (stopping_) {
      return;
    }
    if (!said_lost && handlers_.on_lost) {
      handlers_.on_lost(why);
      said_lost = true;
    }
    for (int i = 0; i < 10 && !stopping_; ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
  }
}

std::string RedisSubscriber::listen(redisContext* c) {
  while (!stopping_) {
    void* raw = nullptr;
    if (redisReaderGetReply(c->reader, &raw) != REDIS_OK) {
      return "unreadable reply from Redis";
    }
    if (raw != nullptr) {
      const ReplyPtr r(static_cast<redisReply*>(raw));
      // ["message", channel, payload]
      if (r->type == REDIS_REPLY_ARRAY && r->elements == 3 &&
          r->element[0]->type == REDIS_REPLY_STRING &&
          std::string(r->element[0]->str, r->element[0]->len) == "message" &&
          handlers_.on_message) {
        handlers_.on_message(std::string(r->element[2]->str, r->element[2]->len));
      }
      continue;
    }
    // Nothing buffered: wait for bytes a little at a time, so stop is seen promptly.
    pollfd p{c->fd, POLLIN, 0};
    const int ready = ::poll(&p, 1, 100);
    if (ready < 0 && errno != EINTR) {
      return "poll failed";
    }
    if (ready > 0 && redisBufferRead(c) != REDIS_OK) {
      return c->errstr[0] != '\0' ? c->errstr : "connection closed";
    }
  }
  return {};
}

}  // namespace litellm::redis
