#pragma once

#include <pthread.h>

#include <string>

namespace litellm::core {

// Names the calling thread for `top -H`, `ps -L` and debuggers (Linux keeps 15 characters).
inline void name_this_thread(const std::string& name) {
  pthread_setname_np(pthread_self(), name.substr(0, 15).c_str());
}

}  // namespace litellm::core
