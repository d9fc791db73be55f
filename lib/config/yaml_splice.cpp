#include "config/yaml_splice.hpp"

#include <algorithm>

#include <yaml-cpp/yaml.h>

#include "config/yaml_json.hpp"
#include "core/text.hpp"

namespace litellm::config {

namespace {

std::size_t indent_of(std::string_view line) {
  std::size_t i = 0;
  while (i < line.size() && line[i] == ' ') {
    ++i;
  }
  return i;
}

bool is_blank(std::string_view line) {
  const auto i = indent_of(line);
  return i == line.size() || line[i] == '\n' || line[i] == '\r';
}

bool is_comment(std::string_view line) {
  const auto i = indent_of(line);
  return i < line.size() && line[i] == '#';
}

Error config_error(const std::string& source, const YAML::Mark& mark, const std::string& what) {
  return Error::make(ErrorCode::Config, source + ":" + std::to_string(mark.line + 1) + ":" +
                                            std::to_string(mark.column + 1) + ": " + what);
}

struct Located {
  YAML::Node node;
  YAML::Node key;  // the key naming it in its parent; null node when absent
};

Result<Located> locate(const YAML::Node& root, const std::string& source,
                       const std::vector<std::string>& path) {
  YAML::Node cur = root;
  Located out;
  for (std::size_t i = 0; i < path.size(); ++i) {
    if (!cur.IsMap()) {
      if (!cur.IsDefined() || cur.IsNull()) {
        return Located{};  // an empty parent: the path does not exist yet
      }
      return config_error(source, cur.Mark(), "expected a mapping at " + path[i - 1]);
    }
    bool found = false;
    for (auto it : cur) {
      if (it.first.IsScalar() && it.first.Scalar() == path[i]) {
        out.key = it.first;
        cur = it.second;
        found = true;
        break;
      }
    }
    if (!found) {
      return Located{};
    }
  }
  out.node = cur;
  return out;
}

// The end of the block starting at line `first` whose own lines are indented at least `min_col`:
// the first later content line indented less ends it; blank lines and less-indented comment
// lines just before that line belong to what follows.
std::size_t block_end(const std::vector<std::string_view>& lines, std::size_t first,
                      std::size_t min_col) {
  std::size_t end = first + 1;
  std::size_t i = first + 1;
  for (; i < lines.size(); ++i) {
    if (is_blank(lines[i])) {
      continue;
    }
    if (is_comment(lines[i])) {
      if (indent_of(lines[i]) >= min_col) {
        end = i + 1;
      }
      continue;
    }
    if (indent_of(lines[i]) < min_col) {
      break;
    }
    end = i + 1;
  }
  return end;
}

// Comment lines directly above `line` at column `col` (no blank line between) belong to it.
std::size_t with_leading_comments(const std::vector<std::string_view>& lines, std::size_t line,
                                  std::size_t col) {
  while (line > 0 && is_comment(lines[line - 1]) && indent_of(lines[line - 1]) == col) {
    --line;
  }
  return line;
}

Result<YAML::Node> load(const std::string& text, const std::string& source) {
  try {
    return YAML::Load(text);
  } catch (const YAML::Exception& e) {
    return config_error(source, e.mark, e.msg);
  }
}

Result<YamlCollection> describe(const std::string& text, const std::string& source,
                                const std::vector<std::string>& path, bool sequence) {
  auto root = load(text, source);
  if (!root) {
    return root.error();
  }
  auto at = locate(*root, source, path);
  if (!at) {
    return at.error();
  }
  const auto lines = core::split_lines(text);
  YamlCollection c;
  c.insert_at = lines.size();
  if (!at->key.IsDefined() || at->key.IsNull()) {
    return c;
  }
  c.exists = true;
  c.key_line = static_cast<std::size_t>(at->key.Mark().line);
  c.key_column = static_cast<std::size_t>(at->key.Mark().column);
  c.item_indent = c.key_column + 2;
  c.insert_at = c.key_line + 1;
  const YAML::Node& node = at->node;
  if (node.IsNull()) {
    return c;
  }
  if (sequence ? !node.IsSequence() : !node.IsMap()) {
    return config_error(source, node.Mark(),
                        path.back() + " must be a " + (sequence ? "list" : "mapping"));
  }
  if (node.Style() == YAML::EmitterStyle::Flow) {
    c.flow = true;
    const auto line = static_cast<std::size_t>(node.Mark().line);
    if (line != c.key_line || block_end(lines, line, c.item_indent - 1) != line + 1) {
      return config_error(source, node.Mark(),
                          path.back() + " is a [ ] or { } collection over several lines; " +
                              "write it one entry per line to let litellm edit it");
    }
    if (sequence) {
      for (const auto& item : node) {
        c.items.push_back({line, line + 1, {}, yaml_to_json(item)});
      }
    } else {
      for (auto it : node) {
        c.items.push_back({line, line + 1, it.first.Scalar(), yaml_to_json(it.second)});
      }
    }
    return c;
  }
  std::vector<std::pair<YAML::Mark, YamlBlock>> found;
  if (sequence) {
    for (const auto& item : node) {
      found.push_back({item.Mark(), {0, 0, {}, yaml_to_json(item)}});
    }
  } else {
    for (auto it : node) {
      found.push_back({it.first.Mark(), {0, 0, it.first.Scalar(), yaml_to_json(it.second)}});
    }
  }
  bool nested_found = false;
  for (auto& [mark, block] : found) {
    auto line = static_cast<std::size_t>(mark.line);
    const auto col = static_cast<std::size_t>(mark.column);
    std::size_t own_col = col;  // column of the dash (sequence) or key (mapping)
    if (sequence) {
      // "- key: v" puts the dash on the key's line; a lone "-" puts it on a line above.
      const auto head = lines[line].substr(0, std::min(col, lines[line].size()));
      if (head.find('-') == std::string_view::npos) {
        while (line > 0 && (is_blank(lines[line - 1]) || is_comment(lines[line - 1]))) {
          --line;
        }
        line = line > 0 ? line - 1 : 0;
      }
      own_col = indent_of(lines[line]);
    }
    block.begin = with_leading_comments(lines, line, own_col);
    block.end = block_end(lines, line, own_col + 1);
    c.items.push_back(std::move(block));
    c.item_indent = own_col;
    if (sequence && c.items.size() == 1) {
      c.content_offset = col > own_col ? col - own_col : 2;
    }
    if (sequence && !nested_found) {
      // How far this file indents inside an item: the column of the first nested key found.
      for (std::size_t l = line + 1; l < c.items.back().end && !nested_found; ++l) {
        if (!is_blank(lines[l]) && !is_comment(lines[l]) && indent_of(lines[l]) > col) {
          c.nested_indent = indent_of(lines[l]) - col;
          nested_found = true;
        }
      }
    }
  }
  if (!c.items.empty()) {
    c.insert_at = c.items.back().end;
  }
  return c;
}

}  // namespace

Result<YamlCollection> find_sequence(const std::string& text, const std::string& source,
                                     const std::vector<std::string>& path) {
  return describe(text, source, path, true);
}

Result<YamlCollection> find_mapping(const std::string& text, const std::string& source,
                                    const std::vector<std::string>& path) {
  return describe(text, source, path, false);
}

std::string apply_line_edits(const std::string& text, std::vector<LineEdit> edits) {
  std::sort(edits.begin(), edits.end(), [](const LineEdit& a, const LineEdit& b) {
    return a.begin != b.begin ? a.begin < b.begin : a.end < b.end;
  });
  const auto lines = core::split_lines(text);
  std::string out;
  out.reserve(text.size());
  std::size_t next = 0;
  for (const auto& e : edits) {
    for (; next < e.begin && next < lines.size(); ++next) {
      out.append(lines[next]);
    }
    if (!out.empty() && out.back() != '\n' && !e.text.empty()) {
      out.push_back('\n');  // the file's last line had no newline and we write after it
    }
    out.append(e.text);
    next = std::max(next, e.end);
  }
  for (; next < lines.size(); ++next) {
    out.append(lines[next]);
  }
  return out;
}

std::string yaml_scalar(std::string_view value) {
  const auto numeric = value.find_first_not_of("0123456789.+-eE_xXoO") == std::string_view::npos;
  const bool plain =
      !value.empty() && !numeric && value.front() != ' ' && value.back() != ' ' &&
      value.back() != ':' &&
      std::string_view("-?:,[]{}#&*!|>'\"%@`").find(value.front()) == std::string_view::npos &&
      value.find(": ") == std::string_view::npos && value.find(" #") == std::string_view::npos &&
      value.find_first_of(",[]{}\n\t\r") == std::string_view::npos && value != "null" &&
      value != "true" && value != "false" && value != "yes" && value != "no" && value != "~";
  if (plain) {
    return std::string(value);
  }
  std::string out = "\"";
  for (const char ch : value) {
    if (ch == '"' || ch == '\\') {
      out.push_back('\\');
    }
    out.push_back(ch);
  }
  return out + "\"";
}

}  // namespace litellm::config
