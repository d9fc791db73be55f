#include "store/postgres/pg_connection.hpp"

#include <cstdio>
#include <cstdlib>

#include <libpq-fe.h>

namespace litellm::store {

PgParams& PgParams::text(const std::string& v) {
  values_.emplace_back(v);
  return *this;
}
PgParams& PgParams::text(const std::optional<std::string>& v) {
  values_.push_back(v);
  return *this;
}
PgParams& PgParams::integer(std::int64_t v) {
  values_.emplace_back(std::to_string(v));
  return *this;
}
PgParams& PgParams::integer(const std::optional<std::int64_t>& v) {
  return v ? integer(*v) : text(std::optional<std::string>());
}
PgParams& PgParams::real(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.17g", v);
  values_.emplace_back(buf);
  return *this;
}
PgParams& PgParams::real(const std::optional<double>& v) {
  return v ? real(*v) : text(std::optional<std::string>());
}
std::vector<const char*> PgParams::pointers() const {
  std::vector<const char*> out;
  for (const auto& v : values_) {
    out.push_back(v ? v->c_str() : nullptr);
  }
  return out;
}

PgResult::~PgResult() {
  PQclear(r_);
}
int PgResult::rows() const {
  return PQntuples(r_);
}
std::int64_t PgResult::affected() const {
  return std::atoll(PQcmdTuples(r_));
}
std::optional<std::string> PgResult::text(int row, int col) const {
  if (PQgetisnull(r_, row, col) != 0) {
    return std::nullopt;
  }
  return std::string(PQgetvalue(r_, row, col));
}
std::optional<std::int64_t> PgResult::integer(int row, int col) const {
  const auto t = text(row, col);
  return t ? std::optional<std::int64_t>(std::atoll(t->c_str())) : std::nullopt;
}
std::optional<double> PgResult::real(int row, int col) const {
  const auto t = text(row, col);
  return t ? std::optional<double>(std::strtod(t->c_str(), nullptr)) : std::nullopt;
}

PgSession::~PgSession() {
  if (conn_ != nullptr) {
    pool_->release(conn_);
  }
}

Result<PgResult> PgSession::exec(const std::string& what, const char* sql, const PgParams& params) {
  const auto values = params.pointers();
  // Without parameters, the simple protocol: it takes scripts of several statements (migrations).
  pg_result* raw = values.empty() ? PQexec(conn_, sql)
                                  : PQexecParams(conn_, sql, static_cast<int>(values.size()),
                                                 nullptr, values.data(), nullptr, nullptr, 0);
  const auto status = PQresultStatus(raw);
  if (raw != nullptr && (status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK)) {
    return PgResult(raw);
  }
  const char* state = raw != nullptr ? PQresultErrorField(raw, PG_DIAG_SQLSTATE) : nullptr;
  const bool duplicate = state != nullptr && std::string(state) == "23505";
  PQclear(raw);
  if (duplicate) {
    return Error::invalid("a key with this alias (or value) already exists", "key_alias");
  }
  return pool_->failure(what, conn_);
}

Result<void> PgSession::run(const std::string& what, const char* sql, const PgParams& params) {
  auto r = exec(what, sql, params);
  if (!r) {
    return r.error();
  }
  return {};
}

namespace {

std::string label_for(const std::string& url) {
  return redact_url(url);
}

}  // namespace

std::string redact_url(const std::string& url) {
  const auto scheme = url.find("://");
  if (scheme == std::string::npos) {
    return url.find("password") == std::string::npos ? url : "postgresql (password hidden)";
  }
  const auto at = url.find('@', scheme + 3);
  if (at == std::string::npos) {
    return url;
  }
  const auto colon = url.find(':', scheme + 3);
  if (colon == std::string::npos || colon > at) {
    return url;
  }
  return url.substr(0, colon + 1) + "****" + url.substr(at);
}

PgPool::PgPool(std::string url, std::size_t max_open)
    : url_(std::move(url)), label_(label_for(url_)), max_open_(max_open) {}

PgPool::~PgPool() {
  for (auto* c : idle_) {
    PQfinish(c);
  }
}

Error PgPool::failure(const std::string& what, pg_conn* conn) const {
  std::string why = conn != nullptr ? PQerrorMessage(conn) : "out of memory";
  while (!why.empty() && (why.back() == '\n' || why.back() == ' ')) {
    why.pop_back();
  }
  return Error::make(ErrorCode::Storage, "database " + label_ + ": " + what + ": " + why);
}

Result<PgSession> PgPool::acquire() {
  std::unique_lock lock(mu_);
  cv_.wait(lock, [this] { return !idle_.empty() || open_ < max_open_; });
  if (!idle_.empty()) {
    pg_conn* c = idle_.back();
    idle_.pop_back();
    lock.unlock();
    if (PQstatus(c) != CONNECTION_OK) {
      PQreset(c);  // the server restarted or the network dropped: try once more
      if (PQstatus(c) != CONNECTION_OK) {
        Error e = failure("reconnecting", c);
        release(c);
        return e;
      }
    }
    return PgSession(*this, c);
  }
  ++open_;
  lock.unlock();
  const char* keys[] = {"dbname", "connect_timeout", "application_name", nullptr};
  const char* values[] = {url_.c_str(), "3", "litellmd", nullptr};
  pg_conn* c = PQconnectdbParams(keys, values, 1);
  if (c == nullptr || PQstatus(c) != CONNECTION_OK) {
    Error e = failure("connecting", c);
    PQfinish(c);
    std::lock_guard again(mu_);
    --open_;
    cv_.notify_one();
    return e;
  }
  PQsetNoticeProcessor(
      c, [](void*, const char*) {}, nullptr);  // NOTICEs are not our logs
  return PgSession(*this, c);
}

void PgPool::release(pg_conn* conn) {
  std::lock_guard lock(mu_);
  idle_.push_back(conn);
  cv_.notify_one();
}

}  // namespace litellm::store
