#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace litellm::test {

// Checks JSON against a schema of shared/specs/openai-openapi.yaml: $ref, anyOf/oneOf/allOf,
// type (3.1 "null" included), enum, required, properties, items. Enough to catch a missing or
// mistyped field in what we send; not a full JSON Schema implementation.
class OpenApiValidator {
 public:
  // Loads the spec once (a few seconds: it is 3 MB of YAML).
  static const OpenApiValidator& instance();

  // Problems found validating `value` against components/schemas/<schema>; empty when valid.
  std::vector<std::string> validate(const std::string& schema, const nlohmann::json& value) const;

 private:
  OpenApiValidator();
  void check(const nlohmann::json& schema, const nlohmann::json& value, const std::string& path,
             std::vector<std::string>& errors) const;

  nlohmann::json schemas_;
};

}  // namespace litellm::test
