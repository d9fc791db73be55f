#pragma once

#include <string>

namespace litellm::core {

// `diff -u` of two texts, labelled `from` and `to`, with `context` lines around each change.
// Empty when the texts are equal. Meant for files people edit (configs): the changed middle is
// compared line by line, in time and memory proportional to its size squared.
std::string unified_diff(const std::string& before, const std::string& after,
                         const std::string& from, const std::string& to, int context = 3);

}  // namespace litellm::core
