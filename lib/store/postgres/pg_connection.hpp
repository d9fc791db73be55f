#pragma once

#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "litellm/error.hpp"

struct pg_conn;
struct pg_result;

namespace litellm::store {

// Text parameters for PQexecParams: null stays SQL NULL.
class PgParams {
 public:
  PgParams& text(const std::string& v);
  PgParams& text(const std::optional<std::string>& v);
  PgParams& integer(std::int64_t v);
  PgParams& integer(const std::optional<std::int64_t>& v);
  PgParams& real(double v);
  PgParams& real(const std::optional<double>& v);
  std::vector<const char*> pointers() const;

 private:
  std::vector<std::optional<std::string>> values_;
};

// One query's rows. Owns its PGresult.
class PgResult {
 public:
  explicit PgResult(pg_result* r) : r_(r) {}
  ~PgResult();
  PgResult(PgResult&& o) noexcept : r_(o.r_) { o.r_ = nullptr; }
  PgResult(const PgResult&) = delete;
  PgResult& operator=(const PgResult&) = delete;
  PgResult& operator=(PgResult&&) = delete;
  int rows() const;
  std::int64_t affected() const;  // PQcmdTuples
  std::optional<std::string> text(int row, int col) const;
  std::optional<std::int64_t> integer(int row, int col) const;
  std::optional<double> real(int row, int col) const;

 private:
  pg_result* r_;
};

// A checked-out connection: runs statements; goes back to the pool when dropped.
class PgSession {
 public:
  PgSession(class PgPool& pool, pg_conn* conn) : pool_(&pool), conn_(conn) {}
  ~PgSession();
  PgSession(PgSession&& o) noexcept : pool_(o.pool_), conn_(o.conn_) { o.conn_ = nullptr; }
  PgSession(const PgSession&) = delete;
  PgSession& operator=(const PgSession&) = delete;
  PgSession& operator=(PgSession&&) = delete;

  // Errors: Storage naming the database and what failed; InvalidRequest for a unique
  // violation (SQLSTATE 23505), so a duplicate alias reads as the client's mistake.
  Result<PgResult> exec(const std::string& what, const char* sql, const PgParams& params = {});
  Result<void> run(const std::string& what, const char* sql, const PgParams& params = {});

 private:
  PgPool* pool_;
  pg_conn* conn_;
};

// A few connections to one PostgreSQL database, opened as needed (up to `max_open`), reset when
// the server dropped them. The URL is kept; describe() never shows its password. Thread-safe.
class PgPool {
 public:
  PgPool(std::string url, std::size_t max_open);
  ~PgPool();
  PgPool(const PgPool&) = delete;
  PgPool& operator=(const PgPool&) = delete;

  // Errors: Storage when no connection can be made (the server's message, no password).
  Result<PgSession> acquire();
  const std::string& describe() const { return label_; }
  Error failure(const std::string& what, pg_conn* conn) const;

 private:
  friend class PgSession;
  void release(pg_conn* conn);

  const std::string url_;
  const std::string label_;
  const std::size_t max_open_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::vector<pg_conn*> idle_;  // guarded by mu_
  std::size_t open_ = 0;        // guarded by mu_
};

// "postgresql://user:secret@host/db" → "postgresql://user:****@host/db".
std::string redact_url(const std::string& url);

}  // namespace litellm::store
