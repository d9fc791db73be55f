#include "providers/translate/messages.hpp"

namespace litellm::providers::translate {

using nlohmann::json;

std::string text_of(const json& content) {
  if (content.is_string()) {
    return content.get<std::string>();
  }
  std::string out;
  if (content.is_array()) {
    for (const auto& part : content) {
      if (part.is_object() && part.value("type", "") == "text" && part.contains("text") &&
          part["text"].is_string()) {
        out += part["text"].get<std::string>();
      }
    }
  }
  return out;
}

Result<Image> image_of(const json& part) {
  std::string url;
  if (const auto it = part.find("image_url"); it != part.end()) {
    if (it->is_string()) {
      url = it->get<std::string>();
    } else if (it->is_object() && it->contains("url") && (*it)["url"].is_string()) {
      url = (*it)["url"].get<std::string>();
    }
  }
  Image img;
  if (url.rfind("data:", 0) == 0) {
    const auto comma = url.find(',');
    const auto meta = url.substr(5, comma == std::string::npos ? 0 : comma - 5);
    if (comma == std::string::npos || meta.size() < 7 ||
        meta.compare(meta.size() - 7, 7, ";base64") != 0) {
      return Error::invalid("image_url: a data: URL must be base64 (data:image/png;base64,...)",
                            "messages");
    }
    img.media_type = meta.substr(0, meta.size() - 7);
    img.base64 = url.substr(comma + 1);
    return img;
  }
  if (url.rfind("http://", 0) == 0 || url.rfind("https://", 0) == 0) {
    img.url = url;
    return img;
  }
  return Error::invalid("image_url: expected a data: URL or an http(s) URL", "messages");
}

json arguments_object(const json& arguments) {
  if (arguments.is_object()) {
    return arguments;
  }
  if (arguments.is_string()) {
    const auto& s = arguments.get_ref<const std::string&>();
    if (s.empty()) {
      return json::object();
    }
    auto parsed = json::parse(s, nullptr, false);
    if (!parsed.is_discarded() && parsed.is_object()) {
      return parsed;
    }
  }
  return json::object();
}

std::string arguments_string(const json& arguments) {
  if (arguments.is_string()) {
    return arguments.get<std::string>();
  }
  if (arguments.is_null()) {
    return "{}";
  }
  return arguments.dump(-1, ' ', false, json::error_handler_t::replace);
}

}  // namespace litellm::providers::translate
