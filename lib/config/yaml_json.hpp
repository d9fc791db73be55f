#pragma once

#include <nlohmann/json.hpp>

namespace YAML {  // NOLINT(readability-identifier-naming): yaml-cpp's own namespace, declared ahead
class Node;
}  // namespace YAML

namespace litellm::config {

// A YAML node as JSON: plain scalars become bool/int/float where YAML 1.2 says so, quoted ones
// stay strings.
nlohmann::json yaml_to_json(const YAML::Node& node);

}  // namespace litellm::config
