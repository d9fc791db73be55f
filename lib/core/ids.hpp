#pragma once

#include <string>

namespace litellm::core {

// A random RFC 4122 version-4 UUID in its canonical text form. Thread-safe.
std::string new_uuid();

}  // namespace litellm::core
