#include "config/yaml_json.hpp"

#include <cstdint>

#include <yaml-cpp/yaml.h>

namespace litellm::config {

nlohmann::json yaml_to_json(const YAML::Node& node) {
  switch (node.Type()) {
    case YAML::NodeType::Sequence: {
      auto arr = nlohmann::json::array();
      for (const auto& item : node) {
        arr.push_back(yaml_to_json(item));
      }
      return arr;
    }
    case YAML::NodeType::Map: {
      auto obj = nlohmann::json::object();
      for (const auto& kv : node) {
        obj[kv.first.Scalar()] = yaml_to_json(kv.second);
      }
      return obj;
    }
    case YAML::NodeType::Scalar: {
      const std::string& s = node.Scalar();
      if (node.Tag() == "!") {  // quoted
        return s;
      }
      if (s == "true" || s == "True" || s == "TRUE") {
        return true;
      }
      if (s == "false" || s == "False" || s == "FALSE") {
        return false;
      }
      if (s == "null" || s == "~" || s.empty()) {
        return nullptr;
      }
      std::int64_t i = 0;
      if (YAML::convert<std::int64_t>::decode(node, i)) {
        return i;
      }
      double d = 0;
      if (YAML::convert<double>::decode(node, d)) {
        return d;
      }
      return s;
    }
    default:
      return nullptr;
  }
}

}  // namespace litellm::config
