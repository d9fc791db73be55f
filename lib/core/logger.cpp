#include "core/logger.hpp"

#include <chrono>
#include <ctime>
#include <string>

namespace litellm::core {

namespace {
const char* level_name(LogLevel level) {
  switch (level) {
    case LogLevel::Debug:
      return "DEBUG";
    case LogLevel::Info:
      return "INFO";
    case LogLevel::Warn:
      return "WARNING";
    case LogLevel::Error:
      return "ERROR";
  }
  return "INFO";
}
}  // namespace

void StreamLogger::log(LogLevel level, std::string_view message) {
  if (level < min_) {
    return;
  }
  const auto now = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
  std::tm tm{};
  gmtime_r(&now, &tm);
  char stamp[32];
  std::strftime(stamp, sizeof stamp, "%Y-%m-%dT%H:%M:%SZ", &tm);
  std::string line;
  line.reserve(message.size() + 48);
  line.append(stamp).append(" ").append(level_name(level)).append(" ").append(message).append("\n");
  std::lock_guard lock(mu_);
  out_ << line << std::flush;
}

}  // namespace litellm::core
