#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "litellm/error.hpp"

namespace litellm::providers::translate {

// The text of an OpenAI message `content`: the string itself, or its text parts joined.
std::string text_of(const nlohmann::json& content);

// An image from an OpenAI `image_url` part: inline (a data: URL, split into media type and
// base64) or remote (an http(s) URL, left for providers that fetch it themselves).
struct Image {
  std::string media_type;  // "image/png"; empty for remote images
  std::string base64;      // inline data
  std::string url;         // remote URL; empty for inline images
  bool inline_data() const { return url.empty(); }
};

// Errors: InvalidRequest for a part whose URL is neither a base64 data: URL nor http(s).
Result<Image> image_of(const nlohmann::json& part);

// Tool call arguments: OpenAI carries them as a JSON string, most providers as an object.
// A string that is not a JSON object (a model's malformed call, fed back in the history)
// becomes an empty object: providers accept nothing else there.
nlohmann::json arguments_object(const nlohmann::json& arguments);
std::string arguments_string(const nlohmann::json& arguments);

}  // namespace litellm::providers::translate
