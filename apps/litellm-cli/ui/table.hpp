#pragma once

#include <ostream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace litellm::cli {

// Aligned columns for people: a header row (bold on a terminal unless NO_COLOR) and one row per
// item. Cells are plain text.
class Table {
 public:
  explicit Table(std::vector<std::string> header) : header_(std::move(header)) {}
  void add(std::vector<std::string> row) { rows_.push_back(std::move(row)); }
  bool empty() const { return rows_.empty(); }
  void print(std::ostream& out, bool color) const;

 private:
  std::vector<std::string> header_;
  std::vector<std::vector<std::string>> rows_;
};

// A JSON value as a table cell: "-" for null, 4 significant digits for fractions, lists joined
// with commas (members by their user_id; an empty list reads "-").
std::string json_cell(const nlohmann::json& v);

// True when `fd` is a terminal and NO_COLOR is unset.
bool use_color(int fd);

}  // namespace litellm::cli
