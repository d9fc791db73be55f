#include "config/paths.hpp"

namespace litellm::config {

namespace {
std::string non_empty(const EnvResolver& env, const char* name) {
  auto v = env.get(name);
  return v ? *v : std::string();
}
}  // namespace

Paths resolve_paths(const EnvResolver& env) {
  if (const auto home = non_empty(env, "LITELLM_HOME"); !home.empty()) {
    return Paths{home, home + "/state"};
  }
  std::string user_home = non_empty(env, "HOME");
  if (user_home.empty()) {
    user_home = "/tmp";  // no HOME (a bare service account): still never the working directory
  }
  std::string data = non_empty(env, "XDG_DATA_HOME");
  std::string state = non_empty(env, "XDG_STATE_HOME");
  // XDG: relative values are invalid and must be ignored.
  if (data.empty() || data.front() != '/') {
    data = user_home + "/.local/share";
  }
  if (state.empty() || state.front() != '/') {
    state = user_home + "/.local/state";
  }
  return Paths{data + "/litellm", state + "/litellm"};
}

}  // namespace litellm::config
