#include "ui/table.hpp"

#include <unistd.h>

#include <cstdio>
#include <cstdlib>

namespace litellm::cli {

namespace {
// Display width of UTF-8 text: code points, not bytes, and colour escapes take no room.
std::size_t width(const std::string& s) {
  std::size_t n = 0;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '\033') {
      while (i < s.size() && s[i] != 'm') {
        ++i;
      }
      continue;
    }
    n += (s[i] & 0xC0) != 0x80 ? 1 : 0;
  }
  return n;
}
}  // namespace

void Table::print(std::ostream& out, bool color) const {
  std::vector<std::size_t> widths(header_.size(), 0);
  for (std::size_t i = 0; i < header_.size(); ++i) {
    widths[i] = width(header_[i]);
  }
  for (const auto& row : rows_) {
    for (std::size_t i = 0; i < row.size() && i < widths.size(); ++i) {
      widths[i] = std::max(widths[i], width(row[i]));
    }
  }
  const auto line = [&](const std::vector<std::string>& cells) {
    std::string text;
    for (std::size_t i = 0; i < widths.size(); ++i) {
      const std::string cell = i < cells.size() ? cells[i] : "";
      text += cell;
      if (i + 1 < widths.size()) {
        text.append(widths[i] - width(cell) + 2, ' ');
      }
    }
    while (!text.empty() && text.back() == ' ') {
      text.pop_back();
    }
    return text;
  };
  out << (color ? "\033[1m" : "") << line(header_) << (color ? "\033[0m" : "") << "\n";
  for (const auto& row : rows_) {
    out << line(row) << "\n";
  }
}

std::string json_cell(const nlohmann::json& v) {
  if (v.is_null()) {
    return "-";
  }
  if (v.is_string()) {
    return v.get<std::string>();
  }
  if (v.is_number_float()) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.4g", v.get<double>());
    return buf;
  }
  if (v.is_array()) {
    std::string out;
    for (const auto& e : v) {
      out += (out.empty() ? "" : ",") +
             json_cell(e.is_object() ? e.value("user_id", nlohmann::json()) : e);
    }
    return out.empty() ? "-" : out;
  }
  return v.dump();
}

bool use_color(int fd) {
  const char* no_color = std::getenv("NO_COLOR");  // NOLINT(concurrency-mt-unsafe): CLI, one thread
  return isatty(fd) != 0 && (no_color == nullptr || no_color[0] == '\0');
}

}  // namespace litellm::cli
