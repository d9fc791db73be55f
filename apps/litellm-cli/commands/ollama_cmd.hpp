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

namespace litellm::cli {
// `litellm ollama pull NAME`: pulls through the Ollama server with live progress on a terminal
// (one line per step otherwise). Ollama resumes an interrupted pull when asked again.
int ollama_pull(const OllamaFlags& flags, const std::string& model);
// `litellm ollama sync`: one deployment per installed model in the config (--config, else the
// running daemon's, else ./config.yaml), deployments of removed models deleted, everything else
// in the file kept as written. Prints the diff, keeps a timestamped backup, reloads the daemon
// serving that file. --dry-run prints the diff only. Exit 3 when Ollama does not answer.
int ollama_sync(const OllamaFlags& flags, const std::string& config_flag, bool dry_run);
}  // namespace litellm::cli
