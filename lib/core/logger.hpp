#pragma once

#include <mutex>
#include <ostream>
#include <string_view>

namespace litellm::core {

enum class LogLevel {
  Debug,
  Info,
  Warn,
  Error
};

// Where library code reports. Apps decide the sink; all methods thread-safe.
class Logger {
 public:
  virtual ~Logger() = default;
  virtual void log(LogLevel level, std::string_view message) = 0;
  virtual bool enabled(LogLevel level) const = 0;

  void debug(std::string_view m) { log(LogLevel::Debug, m); }
  void info(std::string_view m) { log(LogLevel::Info, m); }
  void warn(std::string_view m) { log(LogLevel::Warn, m); }
  void error(std::string_view m) { log(LogLevel::Error, m); }
};

// Writes one line per message to a stream the app owns.
class StreamLogger final : public Logger {
 public:
  StreamLogger(std::ostream& out, LogLevel min_level) : out_(out), min_(min_level) {}
  void log(LogLevel level, std::string_view message) override;
  bool enabled(LogLevel level) const override { return level >= min_; }

 private:
  std::ostream& out_;
  LogLevel min_;
  std::mutex mu_;
};

// Discards everything (tests, SDK users who do not care).
class NullLogger final : public Logger {
 public:
  void log(LogLevel, std::string_view) override {}
  bool enabled(LogLevel) const override { return false; }
};

}  // namespace litellm::core
