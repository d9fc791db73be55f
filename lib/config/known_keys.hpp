#pragma once

#include <span>
#include <string_view>

namespace litellm::config {

// Keys LiteLLM defines, per section, split into those this version acts on and those it
// accepts but does not act on yet. Anything else is reported as unknown (a likely typo).
struct SectionKeys {
  std::span<const std::string_view> supported;
  std::span<const std::string_view> not_yet;
};

SectionKeys top_level_keys();
SectionKeys litellm_settings_keys();
SectionKeys router_settings_keys();
SectionKeys general_settings_keys();
// litellm_params keys that are credentials or provider options, never request defaults.
std::span<const std::string_view> litellm_params_not_yet();

// The nearest key within two edits, or empty.
std::string_view closest_key(std::string_view key, const SectionKeys& keys);

}  // namespace litellm::config
