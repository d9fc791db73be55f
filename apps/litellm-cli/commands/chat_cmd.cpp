#include "commands/chat_cmd.hpp"

#include <unistd.h>

#include <cstdlib>
#include <iostream>
#include <iterator>

#include "commands/price_book.hpp"
#include "commands/repl_cmd.hpp"

namespace litellm::cli {

namespace {

int fail(const Error& e) {
  std::cerr << "litellm: " << e.message << "\n";
  return e.code == ErrorCode::UpstreamUnavailable ? 3 : 1;
}

std::string content_of(const nlohmann::json& response) {
  const auto& choices = response["choices"];
  if (!choices.is_array() || choices.empty()) {
    return {};
  }
  const auto& message = choices[0]["message"];
  return message.contains("content") && message["content"].is_string()
             ? message["content"].get<std::string>()
             : std::string();
}

}  // namespace

Result<StreamedAnswer> stream_answer(const client::DaemonClient& daemon, nlohmann::json body,
                                     const std::function<bool()>& stop) {
  body["stream"] = true;
  body["stream_options"] = {{"include_usage", true}};
  StreamedAnswer out;
  auto r = daemon.stream("/v1/chat/completions", body, [&](const std::string& data) {
    if (stop() || data == "[DONE]") {
      return false;
    }
    const auto chunk = nlohmann::json::parse(data, nullptr, false);
    if (chunk.is_discarded()) {
      return true;
    }
    if (chunk.contains("error")) {
      out.error = chunk["error"].value("message", "the stream failed");
      return false;
    }
    if (chunk.contains("usage") && chunk["usage"].is_object()) {
      out.usage = chunk["usage"];
    }
    for (const auto& choice : chunk.value("choices", nlohmann::json::array())) {
      const auto& delta = choice["delta"];
      if (delta.contains("content") && delta["content"].is_string()) {
        const auto piece = delta["content"].get<std::string>();
        out.text += piece;
        std::cout << piece << std::flush;
      }
    }
    return !stop();
  });
  if (!r) {
    return r.error();
  }
  if (const auto it = r->find("x-litellm-model-id"); it != r->end()) {
    out.deployment_id = it->second;
  }
  return out;
}

std::string answer_footer(const std::string& model, const nlohmann::json& usage,
                          std::optional<double> cost) {
  std::string line = model + " · " + std::to_string(usage.value("prompt_tokens", 0LL)) + " in, " +
                     std::to_string(usage.value("completion_tokens", 0LL)) + " out";
  if (cost) {
    line += " · " + format_usd(*cost);
  }
  return line;
}

int chat_command(const ChatFlags& flags) {
  std::string prompt = flags.prompt;
  if (isatty(STDIN_FILENO) == 0) {
    const std::string piped((std::istreambuf_iterator<char>(std::cin)),
                            std::istreambuf_iterator<char>());
    if (!piped.empty()) {
      prompt = prompt.empty() ? piped : prompt + "\n\n" + piped;
    }
  }
  if (prompt.empty()) {
    if (isatty(STDIN_FILENO) != 0) {
      return chat_repl(flags);
    }
    std::cerr << "litellm: nothing to ask: give a prompt or pipe one in\n";
    return 2;
  }
  client::DaemonClient daemon(resolve_endpoint(flags.connect));
  std::string model = flags.model;
  if (model.empty()) {
    auto models = daemon.get("/v1/models");
    if (!models) {
      return fail(models.error());
    }
    if ((*models)["data"].empty()) {
      std::cerr << "litellm: the daemon serves no models\n";
      return 1;
    }
    model = (*models)["data"][0].value("id", "");
  }
  nlohmann::json messages = nlohmann::json::array();
  if (!flags.system.empty()) {
    messages.push_back({{"role", "system"}, {"content", flags.system}});
  }
  messages.push_back({{"role", "user"}, {"content", prompt}});
  nlohmann::json body = {{"model", model}, {"messages", messages}};

  const bool stream = !flags.no_stream && !flags.connect.json && isatty(STDOUT_FILENO) != 0;
  if (!stream) {
    auto r = daemon.post("/v1/chat/completions", body);
    if (!r) {
      return fail(r.error());
    }
    if (flags.connect.json) {
      std::cout << r->dump(2) << "\n";
    } else {
      std::cout << content_of(*r) << "\n";
    }
    return 0;
  }
  auto r = stream_answer(daemon, std::move(body), [] { return false; });
  std::cout << "\n";
  if (!r) {
    return fail(r.error());
  }
  if (!r->error.empty()) {
    std::cerr << "litellm: " << r->error << "\n";
    return 1;
  }
  const auto& usage = r->usage;
  if (usage.is_object() && isatty(STDERR_FILENO) != 0) {
    PriceBook prices(daemon);
    const auto footer = answer_footer(model, usage, prices.cost(r->deployment_id, usage));
    // NOLINTNEXTLINE(concurrency-mt-unsafe): the CLI runs on one thread
    std::cerr << (std::getenv("NO_COLOR") == nullptr ? "\033[2m" + footer + "\033[0m" : footer)
              << "\n";
  }
  return 0;
}

}  // namespace litellm::cli
