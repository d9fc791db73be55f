#include "support/openapi_validator.hpp"

#include <yaml-cpp/yaml.h>

#include "config/yaml_json.hpp"

namespace litellm::test {

const OpenApiValidator& OpenApiValidator::instance() {
  static const OpenApiValidator v;
  return v;
}

OpenApiValidator::OpenApiValidator() {
  const YAML::Node spec =
      YAML::LoadFile(std::string(LITELLM_SHARED_DIR) + "/specs/openai-openapi.yaml");
  schemas_ = config::yaml_to_json(spec["components"]["schemas"]);
}

std::vector<std::string> OpenApiValidator::validate(const std::string& schema,
                                                    const nlohmann::json& value) const {
  std::vector<std::string> errors;
  if (!schemas_.contains(schema)) {
    errors.push_back("no schema " + schema);
    return errors;
  }
  check(schemas_[schema], value, "$", errors);
  return errors;
}

namespace {
bool type_matches(const std::string& type, const nlohmann::json& v) {
  if (type == "null")
    return v.is_null();
  if (type == "object")
    return v.is_object();
  if (type == "array")
    return v.is_array();
  if (type == "string")
    return v.is_string();
  if (type == "integer")
    return v.is_number_integer();
  if (type == "number")
    return v.is_number();
  if (type == "boolean")
    return v.is_boolean();
  return true;
}
}  // namespace

void OpenApiValidator::check(const nlohmann::json& schema, const nlohmann::json& value,
                             const std::string& path, std::vector<std::string>& errors) const {
  if (!schema.is_object()) {
    return;
  }
  if (const auto ref = schema.find("$ref"); ref != schema.end() && ref->is_string()) {
    const std::string name =
        ref->get<std::string>().substr(std::string("#/components/schemas/").size());
    if (schemas_.contains(name)) {
      check(schemas_[name], value, path, errors);
    }
    return;
  }
  for (const char* key : {"anyOf", "oneOf"}) {
    if (const auto alts = schema.find(key); alts != schema.end() && alts->is_array()) {
      bool any = false;
      for (const auto& alt : *alts) {
        std::vector<std::string> sub;
        check(alt, value, path, sub);
        any = any || sub.empty();
      }
      if (!any) {
        errors.push_back(path + ": matches none of " + key);
      }
    }
  }
  if (const auto all = schema.find("allOf"); all != schema.end() && all->is_array()) {
    for (const auto& part : *all) {
      check(part, value, path, errors);
    }
  }
  if (const auto type = schema.find("type"); type != schema.end()) {
    bool ok = false;
    if (type->is_string()) {
      ok = type_matches(type->get<std::string>(), value);
    } else if (type->is_array()) {
      for (const auto& t : *type) {
        ok = ok || (t.is_string() && type_matches(t.get<std::string>(), value));
      }
    }
    if (!ok && !(value.is_null() && schema.value("nullable", false))) {
      errors.push_back(path + ": expected type " + type->dump() + ", got " + value.dump());
      return;
    }
  }
  if (const auto e = schema.find("enum"); e != schema.end() && e->is_array() && !value.is_null()) {
    if (std::find(e->begin(), e->end(), value) == e->end()) {
      errors.push_back(path + ": " + value.dump() + " not in enum " + e->dump());
    }
  }
  if (value.is_object()) {
    if (const auto req = schema.find("required"); req != schema.end() && req->is_array()) {
      for (const auto& r : *req) {
        if (r.is_string() && !value.contains(r.get<std::string>())) {
          errors.push_back(path + ": missing required " + r.get<std::string>());
        }
      }
    }
    if (const auto props = schema.find("properties"); props != schema.end() && props->is_object()) {
      for (const auto& [k, sub] : props->items()) {
        if (value.contains(k)) {
          check(sub, value[k], path + "." + k, errors);
        }
      }
    }
  }
  if (value.is_array()) {
    if (const auto items = schema.find("items"); items != schema.end()) {
      for (std::size_t i = 0; i < value.size(); ++i) {
        check(*items, value[i], path + "[" + std::to_string(i) + "]", errors);
      }
    }
  }
}

}  // namespace litellm::test
