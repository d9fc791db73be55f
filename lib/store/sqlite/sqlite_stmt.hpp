#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>

#include <sqlite3.h>

namespace litellm::store {

// A prepared statement that finalizes itself.
class Stmt {
 public:
  Stmt(sqlite3* db, const char* sql) { sqlite3_prepare_v2(db, sql, -1, &s_, nullptr); }
  ~Stmt() { sqlite3_finalize(s_); }
  Stmt(const Stmt&) = delete;
  Stmt& operator=(const Stmt&) = delete;
  bool ok() const { return s_ != nullptr; }
  sqlite3_stmt* get() { return s_; }
  void text(int i, const std::string& v) {
    sqlite3_bind_text(s_, i, v.data(), static_cast<int>(v.size()), SQLITE_TRANSIENT);
  }
  // Not copied: `v` must outlive the statement's next step (a batch insert's rows do). Spares a
  // malloc and a copy per column on the spend writer's path.
  void text_kept(int i, std::string_view v) {
    sqlite3_bind_text(s_, i, v.data(), static_cast<int>(v.size()), SQLITE_STATIC);
  }
  void text(int i, const std::optional<std::string>& v) {
    v ? text(i, *v) : void(sqlite3_bind_null(s_, i));
  }
  void integer(int i, const std::optional<std::int64_t>& v) {
    v ? void(sqlite3_bind_int64(s_, i, *v)) : void(sqlite3_bind_null(s_, i));
  }
  void integer(int i, std::int64_t v) { sqlite3_bind_int64(s_, i, v); }
  void real(int i, double v) { sqlite3_bind_double(s_, i, v); }
  void real(int i, const std::optional<double>& v) {
    v ? void(sqlite3_bind_double(s_, i, *v)) : void(sqlite3_bind_null(s_, i));
  }
  std::optional<std::string> col_text(int i) {
    if (sqlite3_column_type(s_, i) == SQLITE_NULL) {
      return std::nullopt;
    }
    return std::string(reinterpret_cast<const char*>(sqlite3_column_text(s_, i)));
  }
  std::optional<std::int64_t> col_int(int i) {
    if (sqlite3_column_type(s_, i) == SQLITE_NULL) {
      return std::nullopt;
    }
    return sqlite3_column_int64(s_, i);
  }
  std::optional<double> col_real(int i) {
    if (sqlite3_column_type(s_, i) == SQLITE_NULL) {
      return std::nullopt;
    }
    return sqlite3_column_double(s_, i);
  }

 private:
  sqlite3_stmt* s_ = nullptr;
};

template <typename T>
void bind_one(Stmt& s, int i, const std::optional<T>& v) {
  if constexpr (std::is_same_v<T, std::string>) {
    s.text(i, v);
  } else if constexpr (std::is_same_v<T, double>) {
    s.real(i, v);
  } else {
    s.integer(i, v);
  }
}

// BEGIN IMMEDIATE ... COMMIT; rolls back when dropped uncommitted.
class Transaction {
 public:
  explicit Transaction(sqlite3* db)
      : db_(db),
        open_(sqlite3_exec(db, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr) == SQLITE_OK) {}
  ~Transaction() {
    if (open_) {
      sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
    }
  }
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;
  bool ok() const { return open_; }
  bool commit() {
    open_ = false;
    return sqlite3_exec(db_, "COMMIT", nullptr, nullptr, nullptr) == SQLITE_OK;
  }

 private:
  sqlite3* db_;
  bool open_;
};

}  // namespace litellm::store
