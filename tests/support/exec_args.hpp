#pragma once

#include <unistd.h>

#include <string>
#include <vector>

namespace litellm::test {

// argv/envp arrays for execve, built before fork: the child of a threaded test process may only
// make async-signal-safe calls. The strings must outlive the arrays.
inline std::vector<char*> argv_of(const std::vector<std::string>& args) {
  std::vector<char*> out;
  for (const auto& a : args) {
    out.push_back(const_cast<char*>(a.c_str()));
  }
  out.push_back(nullptr);
  return out;
}

// `extra` first, so its settings win over the inherited environment's.
inline std::vector<char*> envp_with(const std::vector<std::string>& extra) {
  std::vector<char*> out;
  for (const auto& e : extra) {
    out.push_back(const_cast<char*>(e.c_str()));
  }
  for (char** e = environ; *e != nullptr; ++e) {
    out.push_back(*e);
  }
  out.push_back(nullptr);
  return out;
}

}  // namespace litellm::test
