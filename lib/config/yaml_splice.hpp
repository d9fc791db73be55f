#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "litellm/error.hpp"

namespace litellm::config {

// Edits of a YAML file that touch only the lines they change: comments, ordering, quoting and
// spacing everywhere else stay byte for byte (yaml-cpp cannot write a file back that way).
// Lines are counted from 0; a range is [begin, end).

// One item of a block sequence, or one entry of a block mapping, with the lines it covers: its
// own comment lines just above it included, the blank lines after it excluded.
struct YamlBlock {
  std::size_t begin = 0;
  std::size_t end = 0;
  std::string key;  // a mapping entry's key; empty for sequence items
  nlohmann::json value;
};

// Where a collection stands in the text and how new entries are to be written in it.
struct YamlCollection {
  bool exists = false;         // the key is present
  bool flow = false;           // written [..] / {..} on one line: rewritten whole when edited
  std::size_t key_line = 0;    // line of the key (when it exists)
  std::size_t key_column = 0;  // column of the key
  std::vector<YamlBlock> items;
  std::size_t insert_at = 0;       // line before which new items go
  std::size_t item_indent = 0;     // column of an item's dash (sequence) or key (mapping)
  std::size_t nested_indent = 2;   // extra columns per nesting level inside an item
  std::size_t content_offset = 2;  // columns from a sequence item's dash to its first key
};

// Parses `text` (named `source` in errors) and describes the collection at `path` (top-level
// key, then nested mapping keys). Errors: Config for YAML that does not parse, for a path that
// runs through something not a mapping, and for a flow collection spread over several lines.
Result<YamlCollection> find_sequence(const std::string& text, const std::string& source,
                                     const std::vector<std::string>& path);
Result<YamlCollection> find_mapping(const std::string& text, const std::string& source,
                                    const std::vector<std::string>& path);

// Replace lines [begin, end) with `text` (whole lines, each ending in '\n'; empty deletes).
struct LineEdit {
  std::size_t begin = 0;
  std::size_t end = 0;
  std::string text;
};

// Applies non-overlapping edits. Lines not named by an edit are copied unchanged.
std::string apply_line_edits(const std::string& text, std::vector<LineEdit> edits);

// `key: value` spelled for YAML: plain when it is safe, double-quoted otherwise.
std::string yaml_scalar(std::string_view value);

}  // namespace litellm::config
