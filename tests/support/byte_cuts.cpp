#include "support/byte_cuts.hpp"

namespace litellm::test {

namespace {

#ifdef LITELLM_SAMPLED_BYTE_CUTS
constexpr bool kSampled = true;
#else
constexpr bool kSampled = false;
#endif

}  // namespace

std::vector<std::size_t> byte_cuts(std::size_t first, std::size_t last) {
  std::vector<std::size_t> cuts;
  if (last < first) {
    return cuts;
  }
  const std::size_t count = last - first + 1;
  if (!kSampled || count <= 2 * kSampleEdge + kSampleMiddle) {
    cuts.reserve(count);
    for (std::size_t c = first; c <= last; ++c) {
      cuts.push_back(c);
    }
    return cuts;
  }
  const std::size_t middle_from = first + kSampleEdge;
  const std::size_t middle_to = last - kSampleEdge;  // exclusive
  std::size_t stride = (middle_to - middle_from) / kSampleMiddle;
  stride += stride % 2 == 0 ? 1 : 0;
  for (std::size_t c = first; c < middle_from; ++c) {
    cuts.push_back(c);
  }
  for (std::size_t c = middle_from + count % stride; c < middle_to; c += stride) {
    cuts.push_back(c);
  }
  for (std::size_t c = middle_to; c <= last; ++c) {
    cuts.push_back(c);
  }
  return cuts;
}

}  // namespace litellm::test
