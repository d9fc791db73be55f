#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace litellm::config {

// The process environment, read once. Library code looks variables up here, never with getenv,
// so tests inject a map. Not thread-safe for writes; read-only after start-up.
class EnvResolver {
 public:
  EnvResolver() = default;
  explicit EnvResolver(const std::map<std::string, std::string>& vars)
      : vars_(vars.begin(), vars.end()) {}

  // A copy of the current process environment. Call once at start-up, before other threads.
  static EnvResolver from_process();

  std::optional<std::string> get(std::string_view name) const;
  void set(const std::string& name, std::string value) { vars_[name] = std::move(value); }

 private:
  std::map<std::string, std::string, std::less<>> vars_;
};

}  // namespace litellm::config
