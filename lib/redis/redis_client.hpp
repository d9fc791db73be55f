#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <unordered_map>
#include <vector>

#include "litellm/error.hpp"

#include "core/secret.hpp"

struct redisContext;

namespace litellm::redis {

// Where the Redis server is: router_settings.redis_host/port/password or a redis:// URL.
struct RedisEndpoint {
  std::string host = "127.0.0.1";
  int port = 6379;
  std::string username;
  core::Secret password;
  int db = 0;
  // redis://host:port/db: what messages and logs may show (never the password).
  std::string describe() const;
};

// redis://[[user]:password@]host[:port][/db]. rediss:// is refused by name: Debian 12's hiredis
// (0.14) has no TLS.
Result<RedisEndpoint> parse_redis_url(const std::string& url);

struct RedisReply {
  enum class Kind {
    Nil,
    Integer,
    String,
    Status,
    Error,
    Array
  };
  Kind kind = Kind::Nil;
  std::int64_t integer = 0;
  std::string text;  // String, Status and Error
  std::vector<RedisReply> elements;
};

struct RedisContextFree {
  void operator()(redisContext* c) const;
};
using RedisContextPtr = std::unique_ptr<redisContext, RedisContextFree>;

// Blocking Redis calls over a few pooled connections: for threads that may block (the blocking
// pool, background threads), never the io threads. A call that fails drops its connection; the
// next call connects again, so a restarted server is picked up without help. Thread-safe.
class RedisClient {
 public:
  struct Options {
    std::chrono::milliseconds connect_timeout{500};
    std::chrono::milliseconds io_timeout{500};
    std::size_t max_idle = 8;
  };
  explicit RedisClient(RedisEndpoint endpoint);
  RedisClient(RedisEndpoint endpoint, Options options);
  ~RedisClient();
  RedisClient(const RedisClient&) = delete;
  RedisClient& operator=(const RedisClient&) = delete;

  // One command; an error reply is an error too (Storage, naming the server).
  Result<RedisReply> command(const std::vector<std::string>& argv);
  // A Lua script, sent by its SHA once loaded (and loaded again after the server lost it).
  Result<RedisReply> eval(const std::string& script, const std::vector<std::string>& keys,
                          const std::vector<std::string>& args);
  const RedisEndpoint& endpoint() const { return endpoint_; }

 private:
  Result<RedisContextPtr> take(bool& reused);
  void give_back(RedisContextPtr c);
  Result<RedisReply> run(redisContext* c, const std::vector<std::string>& argv);
  Error failure(const std::string& what) const;

  RedisEndpoint endpoint_;
  Options options_;
  std::mutex mu_;
  std::vector<RedisContextPtr> idle_;                  // guarded by mu_
  std::unordered_map<std::string, std::string> shas_;  // script -> SHA1, guarded by mu_
};

// One connection, its own thread, SUBSCRIBEd to `channel`. `on_message` gets each message;
// `on_connected` runs after every (re)connect: messages published while it was away are lost,
// so the listener must assume it missed some. Reconnects every second while the server is
// down, saying so once through `on_lost`.
class RedisSubscriber {
 public:
  struct Handlers {
    std::function<void(const std::string&)> on_message;
    std::function<void()> on_connected;
    std::function<void(const std::string&)> on_lost;
  };
  RedisSubscriber(RedisEndpoint endpoint, std::string channel, Handlers handlers);
  ~RedisSubscriber();
  RedisSubscriber(const RedisSubscriber&) = delete;
  RedisSubscriber& operator=(const RedisSubscriber&) = delete;

 private:
  void run();
  // Listens until the connection fails or stop; returns why it ended.
  std::string listen(redisContext* c);

  RedisEndpoint endpoint_;
  std::string channel_;
  Handlers handlers_;
  std::atomic<bool> stopping_{false};
  std::thread thread_;
};

// A connection ready for commands (AUTH and SELECT done), or why not.
Result<RedisContextPtr> redis_connect(const RedisEndpoint& endpoint,
                                      std::chrono::milliseconds connect_timeout,
                                      std::chrono::milliseconds io_timeout);

}  // namespace litellm::redis
