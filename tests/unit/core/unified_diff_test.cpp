#include "core/unified_diff.hpp"

#include <array>
#include <cstdio>
#include <fstream>
#include <memory>
#include <string>

#include <doctest/doctest.h>

#include "support/daemon_process.hpp"

using litellm::core::unified_diff;

namespace {

// GNU diff's hunks for the same two texts, headers dropped (they carry timestamps).
std::string gnu_diff(const std::string& a, const std::string& b) {
  litellm::test::TempDir dir;
  std::ofstream(dir.path() + "/a") << a;
  std::ofstream(dir.path() + "/b") << b;
  const std::string cmd = "diff -u " + dir.path() + "/a " + dir.path() + "/b";
  std::unique_ptr<FILE, int (*)(FILE*)> p(popen(cmd.c_str(), "r"), pclose);
  REQUIRE(p);
  std::string out;
  std::array<char, 4096> buf{};
  std::size_t n = 0;
  while ((n = fread(buf.data(), 1, buf.size(), p.get())) > 0) {
    out.append(buf.data(), n);
  }
  const auto hunks = out.find("\n@@");
  return hunks == std::string::npos ? std::string() : out.substr(hunks + 1);
}

std::string ours(const std::string& a, const std::string& b) {
  const auto d = unified_diff(a, b, "a", "b");
  const auto hunks = d.find("\n@@");
  return hunks == std::string::npos ? std::string() : d.substr(hunks + 1);
}

std::string numbered(int from, int to) {
  std::string s;
  for (int i = from; i <= to; ++i) {
    s += "line " + std::to_string(i) + "\n";
  }
  return s;
}

}  // namespace

TEST_CASE("unified diff matches diff -u for edits people make to configs") {
  const std::string base = numbered(1, 30);
  const std::string cases[][2] = {
      {base, numbered(1, 10) + "inserted\n" + numbered(11, 30)},                    // one insertion
      {base, numbered(1, 4) + numbered(6, 30)},                                     // one deletion
      {base, numbered(1, 4) + "changed\n" + numbered(6, 30)},                       // a change
      {base, numbered(2, 29)},                                                      // both ends
      {base, numbered(1, 5) + "x\n" + numbered(7, 24) + "y\n" + numbered(26, 30)},  // 2 hunks
      {base, numbered(1, 5) + "x\n" + numbered(7, 10) + "y\n" + numbered(12, 30)},  // merged
      {base, base + "appended\n"},
      {"", "new file\n"},
      {"a\nb", "a\nc"},  // no newline at the end of either
  };
  for (const auto& c : cases) {
    CHECK(ours(c[0], c[1]) == gnu_diff(c[0], c[1]));
  }
}

TEST_CASE("unified diff is empty for equal texts and labels its files") {
  CHECK(unified_diff("a\n", "a\n", "x", "y").empty());
  CHECK(unified_diff("a\n", "b\n", "config.yaml", "config.yaml (synced)") ==
        "--- config.yaml\n+++ config.yaml (synced)\n@@ -1 +1 @@\n-a\n+b\n");
}
