#include "core/ids.hpp"

#include <set>
#include <string>

#include <doctest/doctest.h>

using litellm::core::new_time_ordered_uuid;
using litellm::core::new_uuid;

namespace {

bool canonical_form(const std::string& id) {
  if (id.size() != 36) {
    return false;
  }
  for (std::size_t i = 0; i < id.size(); ++i) {
    const bool dash = i == 8 || i == 13 || i == 18 || i == 23;
    const char c = id[i];
    if (dash ? c != '-' : !((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
      return false;
    }
  }
  return true;
}

}  // namespace

TEST_CASE("ids: version-4 uuids are random and well formed") {
  std::set<std::string> seen;
  for (int i = 0; i < 1000; ++i) {
    const auto id = new_uuid();
    CHECK(canonical_form(id));
    CHECK(id[14] == '4');
    CHECK(std::string("89ab").find(id[19]) != std::string::npos);
    seen.insert(id);
  }
  CHECK(seen.size() == 1000);
}

TEST_CASE("ids: version-7 uuids carry their millisecond first and sort by it") {
  // 2026-11-24T00:00:00Z = 1795478400000 ms = 0x01a2_0ada_2c00.
  const auto id = new_time_ordered_uuid(1795478400000ULL);
  CHECK(canonical_form(id));
  CHECK(id.substr(0, 13) == "01a20ada-2c00");
  CHECK(id[14] == '7');
  CHECK(std::string("89ab").find(id[19]) != std::string::npos);

  std::string previous;
  std::set<std::string> seen;
  for (std::uint64_t ms = 1795478400000ULL; ms < 1795478400000ULL + 500; ++ms) {
    const auto a = new_time_ordered_uuid(ms);
    const auto b = new_time_ordered_uuid(ms);
    CHECK(a != b);  // same millisecond, still distinct
    CHECK(a > previous);
    CHECK(b > previous);
    previous = std::max(a, b);
    seen.insert(a);
    seen.insert(b);
  }
  CHECK(seen.size() == 1000);
  // Made now: after the fixed instant above.
  CHECK(new_time_ordered_uuid() > id);
}
