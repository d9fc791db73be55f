#pragma once

#include <cstddef>
#include <vector>

namespace litellm::test {

// The places a "cut at every byte" case splits a recorded stream, from `first` to `last`
// inclusive. Every one in an ordinary build. Under the sanitizers (LITELLM_SAMPLED_BYTE_CUTS,
// set by CMake with LITELLM_SANITIZE) a bounded sample: each cut in the first and last
// kSampleEdge bytes, where frames and the stream's head and end sit, and an even spread of
// the rest, so that a sanitizer build checks the same code paths in a fraction of the time.
// The spread's stride is odd and its start moves with the size, so successive fixtures do not
// all cut at the same offsets within their frames.
std::vector<std::size_t> byte_cuts(std::size_t first, std::size_t last);

inline constexpr std::size_t kSampleEdge = 64;
inline constexpr std::size_t kSampleMiddle = 192;

}  // namespace litellm::test
