#include "config/ollama_sync.hpp"

#include <algorithm>
#include <set>

#include "config/yaml_splice.hpp"
#include "core/text.hpp"

namespace litellm::config {

namespace {

std::string without_latest(std::string name) {
  constexpr std::string_view kLatest = ":latest";
  if (name.size() > kLatest.size() &&
      name.compare(name.size() - kLatest.size(), kLatest.size(), kLatest) == 0) {
    name.resize(name.size() - kLatest.size());
  }
  return name;
}

// Two spellings of one server compare equal: trailing slash, 127.0.0.1 for localhost.
std::string same_server(std::string url) {
  while (!url.empty() && url.back() == '/') {
    url.pop_back();
  }
  if (const auto p = url.find("://127.0.0.1"); p != std::string::npos) {
    url.replace(p, 12, "://localhost");
  }
  return url;
}

std::string ollama_model_of(const nlohmann::json& item) {
  const auto params = item.value("litellm_params", nlohmann::json::object());
  const auto model = params.value("model", nlohmann::json()).is_string()
                         ? params["model"].get<std::string>()
                         : std::string();
  for (const std::string_view prefix : {"ollama/", "ollama_chat/"}) {
    if (model.compare(0, prefix.size(), prefix) == 0) {
      return model.substr(prefix.size());
    }
  }
  return {};
}

std::string server_of(const nlohmann::json& item, const EnvResolver& env) {
  const auto params = item.value("litellm_params", nlohmann::json::object());
  std::string base = params.value("api_base", nlohmann::json()).is_string()
                         ? params["api_base"].get<std::string>()
                         : std::string();
  constexpr std::string_view kEnv = "os.environ/";
  if (base.compare(0, kEnv.size(), kEnv) == 0) {
    base = env.get(base.substr(kEnv.size())).value_or("");
  }
  return same_server(base.empty() ? kDefaultOllamaUrl : base);
}

std::string string_of(const nlohmann::json& v) {
  return v.is_string() ? v.get<std::string>() : v.dump();
}

std::string pad(std::size_t n) {
  return std::string(n, ' ');
}

struct Style {
  std::size_t indent;   // the dash's column
  std::size_t content;  // dash to first key
  std::size_t nested;   // per level inside an item
};

std::string deployment_text(const Style& st, const std::string& group, const std::string& model,
                            const std::string& url, bool embedding) {
  const auto key = st.indent + st.content;
  std::string t = pad(st.indent) + "-" + pad(st.content - 1) + "model_name: " + yaml_scalar(group) +
                  "\n" + pad(key) + "litellm_params:\n" + pad(key + st.nested) +
                  "model: " + yaml_scalar("ollama/" + model) + "\n";
  if (same_server(url) != same_server(kDefaultOllamaUrl)) {
    t += pad(key + st.nested) + "api_base: " + yaml_scalar(url) + "\n";
  }
  if (embedding) {
    t += pad(key) + "model_info:\n" + pad(key + st.nested) + "mode: embedding\n";
  }
  return t;
}

Result<OllamaSyncPlan> plan(const std::string& text, const std::string& source,
                            const std::vector<InstalledModel>& installed,
                            const std::string& ollama_url, const EnvResolver& env) {
  auto list = find_sequence(text, source, {"model_list"});
  if (!list) {
    return list.error();
  }
  if (list->flow && !list->items.empty()) {
    return Error::make(ErrorCode::Config,
                       source + ":" + std::to_string(list->key_line + 1) +
                           ": model_list is written as [ ... ]; litellm ollama sync edits a "
                           "list written one entry per line (\"- model_name: ...\")");
  }
  const std::string server = same_server(ollama_url);
  std::vector<std::pair<std::string, bool>> wanted;  // name without :latest, embedding
  for (const auto& m : installed) {
    auto name = without_latest(m.name);
    if (std::none_of(wanted.begin(), wanted.end(),
                     [&](const auto& w) { return w.first == name; })) {
      wanted.emplace_back(std::move(name), m.embedding);
    }
  }
  const auto is_wanted = [&](const std::string& name) {
    return std::any_of(wanted.begin(), wanted.end(),
                       [&](const auto& w) { return w.first == name; });
  };

  OllamaSyncPlan out;
  std::vector<LineEdit> edits;
  std::set<std::string> present;      // installed models the config already serves
  std::set<std::string> kept_groups;  // model_names still served after the sync
  std::set<std::string> removed_groups;
  for (const auto& item : list->items) {
    const auto group = string_of(item.value.value("model_name", nlohmann::json("")));
    const auto model = ollama_model_of(item.value);
    if (!model.empty() && server_of(item.value, env) == server) {
      const auto name = without_latest(model);
      if (!is_wanted(name)) {
        edits.push_back({item.begin, item.end, {}});
        out.removed.push_back(group);
        removed_groups.insert(group);
        continue;
      }
      present.insert(name);
    }
    kept_groups.insert(group);
  }

  Style st{list->item_indent, list->content_offset, list->nested_indent};
  if (!list->exists) {
    st.indent = 2;
  }
  std::string added_text;
  for (const auto& [name, embedding] : wanted) {
    if (present.count(name) != 0) {
      continue;
    }
    // Never fold an Ollama model into another provider's group of the same name.
    const std::string group = kept_groups.count(name) != 0 ? "ollama/" + name : name;
    added_text += deployment_text(st, group, name, ollama_url, embedding);
    out.added.push_back(group);
    kept_groups.insert(group);
  }
  for (const auto& g : out.removed) {
    if (kept_groups.count(g) != 0) {
      removed_groups.erase(g);  // other deployments still serve it
    }
  }
  const bool none_left = list->items.size() == out.removed.size() && added_text.empty();
  if (!list->exists) {
    if (!added_text.empty()) {
      const bool gap = !text.empty() && text != "\n";
      edits.push_back(
          {SIZE_MAX, SIZE_MAX, std::string(gap ? "\n" : "") + "model_list:\n" + added_text});
    }
  } else if (list->flow || list->items.empty()) {
    // `model_list: []` or an empty `model_list:`: the key line becomes a block list's head.
    if (!added_text.empty()) {
      edits.push_back({list->key_line, list->key_line + 1,
                       pad(list->key_column) + "model_list:\n" + added_text});
    }
  } else if (none_left) {
    edits.push_back(
        {list->key_line, list->key_line + 1, pad(list->key_column) + "model_list: []\n"});
  } else if (!added_text.empty()) {
    edits.push_back({list->insert_at, list->insert_at, added_text});
  }

  if (!removed_groups.empty()) {
    auto aliases = find_mapping(text, source, {"router_settings", "model_group_alias"});
    if (!aliases) {
      return aliases.error();
    }
    std::vector<const YamlBlock*> kept;
    for (const auto& a : aliases->items) {
      if (removed_groups.count(string_of(a.value)) != 0) {
        out.aliases_removed.push_back(a.key);
        if (!aliases->flow) {
          edits.push_back({a.begin, a.end, {}});
        }
      } else {
        kept.push_back(&a);
      }
    }
    if (!out.aliases_removed.empty() && (aliases->flow || kept.empty())) {
      std::string line = pad(aliases->key_column) + "model_group_alias: {";
      for (std::size_t i = 0; i < kept.size(); ++i) {
        line += (i == 0 ? "" : ", ") + yaml_scalar(kept[i]->key) + ": " +
                yaml_scalar(string_of(kept[i]->value));
      }
      edits.push_back({aliases->key_line, aliases->key_line + 1, line + "}\n"});
    }
  }
  std::sort(edits.begin(), edits.end(),
            [](const LineEdit& a, const LineEdit& b) { return a.begin < b.begin; });
  for (auto& e : edits) {
    if (e.begin == SIZE_MAX) {
      e.begin = e.end = core::split_lines(text).size();
    }
  }
  out.text = apply_line_edits(text, std::move(edits));
  return out;
}

}  // namespace

Result<OllamaSyncPlan> plan_ollama_sync(const std::string& text, const std::string& source,
                                        const std::vector<InstalledModel>& installed,
                                        const std::string& ollama_url, const EnvResolver& env) {
  auto first = plan(text, source, installed, ollama_url, env);
  if (!first || !first->changed()) {
    return first;
  }
  // The edit must leave a file that parses and that a second sync would not touch; anything
  // else is a bug here, and the user's file is not written.
  auto again = plan(first->text, source + " (after sync)", installed, ollama_url, env);
  if (!again || again->changed()) {
    return Error::make(ErrorCode::Internal,
                       "litellm ollama sync could not edit " + source +
                           " safely; the file is unchanged. Please report this with the file.");
  }
  return first;
}

}  // namespace litellm::config
