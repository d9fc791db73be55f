#include "core/unified_diff.hpp"

#include <algorithm>
#include <cstdint>
#include <string_view>
#include <vector>

#include "core/text.hpp"

namespace litellm::core {

namespace {

struct Op {
  char kind;      // ' ', '-', '+'
  std::size_t a;  // line index in before (for ' ' and '-')
  std::size_t b;  // line index in after (for ' ' and '+')
};

std::vector<Op> edit_script(const std::vector<std::string_view>& a,
                            const std::vector<std::string_view>& b) {
  std::size_t pre = 0;
  while (pre < a.size() && pre < b.size() && a[pre] == b[pre]) {
    ++pre;
  }
  std::size_t suf = 0;
  while (suf < a.size() - pre && suf < b.size() - pre &&
         a[a.size() - 1 - suf] == b[b.size() - 1 - suf]) {
    ++suf;
  }
  const std::size_t n = a.size() - pre - suf;
  const std::size_t m = b.size() - pre - suf;
  // lcs[i][j]: longest common subsequence of a[pre+i..] and b[pre+j..] within the middle.
  std::vector<std::uint32_t> lcs((n + 1) * (m + 1), 0);
  const auto at = [&](std::size_t i, std::size_t j) -> std::uint32_t& {
    return lcs[i * (m + 1) + j];
  };
  for (std::size_t i = n; i-- > 0;) {
    for (std::size_t j = m; j-- > 0;) {
      at(i, j) =
          a[pre + i] == b[pre + j] ? at(i + 1, j + 1) + 1 : std::max(at(i + 1, j), at(i, j + 1));
    }
  }
  std::vector<Op> ops;
  for (std::size_t k = 0; k < pre; ++k) {
    ops.push_back({' ', k, k});
  }
  std::size_t i = 0;
  std::size_t j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && a[pre + i] == b[pre + j]) {
      ops.push_back({' ', pre + i++, pre + j++});
    } else if (j < m && (i == n || at(i, j + 1) >= at(i + 1, j))) {
      ops.push_back({'+', pre + i, pre + j++});
    } else {
      ops.push_back({'-', pre + i++, pre + j});
    }
  }
  for (std::size_t k = 0; k < suf; ++k) {
    ops.push_back({' ', a.size() - suf + k, b.size() - suf + k});
  }
  // Deletions before insertions within a run of changes, as diff -u shows them.
  for (std::size_t s = 0; s < ops.size();) {
    if (ops[s].kind == ' ') {
      ++s;
      continue;
    }
    std::size_t e = s;
    while (e < ops.size() && ops[e].kind != ' ') {
      ++e;
    }
    std::stable_partition(ops.begin() + static_cast<long>(s), ops.begin() + static_cast<long>(e),
                          [](const Op& o) { return o.kind == '-'; });
    s = e;
  }
  return ops;
}

std::string range(std::size_t start, std::size_t count) {
  // diff -u: "start,count", 1-based; an empty range names the line before it.
  const std::size_t first = count == 0 ? start : start + 1;
  return std::to_string(first) + (count == 1 ? "" : "," + std::to_string(count));
}

void line_out(std::string& out, char kind, std::string_view line) {
  out.push_back(kind);
  out.append(line);
  if (line.empty() || line.back() != '\n') {
    out.append("\n\\ No newline at end of file\n");
  }
}

}  // namespace

std::string unified_diff(const std::string& before, const std::string& after,
                         const std::string& from, const std::string& to, int context) {
  if (before == after) {
    return {};
  }
  const auto a = split_lines(before);
  const auto b = split_lines(after);
  const auto ops = edit_script(a, b);
  const auto ctx = static_cast<std::size_t>(std::max(0, context));
  std::string out = "--- " + from + "\n+++ " + to + "\n";
  std::size_t k = 0;
  while (k < ops.size()) {
    while (k < ops.size() && ops[k].kind == ' ') {
      ++k;
    }
    if (k == ops.size()) {
      break;
    }
    // A hunk: from ctx lines before this change to ctx lines after the last change that is
    // within 2*ctx unchanged lines of the previous one.
    const std::size_t start = k >= ctx ? k - ctx : 0;
    std::size_t last_change = k;
    for (std::size_t p = k; p < ops.size(); ++p) {
      if (ops[p].kind != ' ') {
        last_change = p;
      } else if (p - last_change > 2 * ctx) {
        break;
      }
    }
    const std::size_t end = std::min(ops.size(), last_change + ctx + 1);
    // Where the hunk starts in each text: the lines before it that each side has.
    std::size_t a_start = 0;
    std::size_t b_start = 0;
    for (std::size_t p = 0; p < start; ++p) {
      a_start += ops[p].kind != '+' ? 1 : 0;
      b_start += ops[p].kind != '-' ? 1 : 0;
    }
    std::size_t a_count = 0;
    std::size_t b_count = 0;
    for (std::size_t p = start; p < end; ++p) {
      a_count += ops[p].kind != '+' ? 1 : 0;
      b_count += ops[p].kind != '-' ? 1 : 0;
    }
    out += "@@ -" + range(a_start, a_count) + " +" + range(b_start, b_count) + " @@\n";
    for (std::size_t p = start; p < end; ++p) {
      line_out(out, ops[p].kind, ops[p].kind == '+' ? b[ops[p].b] : a[ops[p].a]);
    }
    k = end;
  }
  return out;
}

}  // namespace litellm::core
