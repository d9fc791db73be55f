#pragma once

#include <string>

namespace litellm::cli {

struct OllamaFlags {
  std::string url;  // --ollama-url
  bool json = false;
  std::string category;
  std::string search;
};

// `litellm ollama list`: models installed on the Ollama server. Exit 3 when it does not answer.
int ollama_list(const OllamaFlags& flags);
// `litellm ollama list-available`: the curated catalogue shipped with litellm, filtered.
int ollama_list_available(const OllamaFlags& flags);

}  // namespace litellm::cli
