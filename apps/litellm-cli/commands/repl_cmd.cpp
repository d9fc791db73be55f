#include "commands/repl_cmd.hpp"

#include <editline/readline.h>
#include <signal.h>
#include <stdio.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>

#include "commands/daemon_state.hpp"
#include "commands/price_book.hpp"
#include "ui/table.hpp"

namespace litellm::cli {

namespace {

// Set by SIGINT while an answer streams; the stream reader checks it between chunks, and the
// signal itself interrupts a read that is waiting for the next one.
// NOLINTNEXTLINE(cppcoreguidelines-avoid-non-const-global-variables): a signal handler's flag
volatile sig_atomic_t g_interrupted = 0;

void on_sigint(int) {
  g_interrupted = 1;
}

struct Session {
  explicit Session(client::Endpoint endpoint) : daemon(std::move(endpoint)), prices(daemon) {}
  client::DaemonClient daemon;
  PriceBook prices;
  std::string model;
  std::string system;
  std::optional<double> temperature;
  nlohmann::json messages = nlohmann::json::array();
  long long prompt_tokens = 0;
  long long completion_tokens = 0;
  double cost = 0;
  bool cost_known = true;  // false once an answer's cost could not be priced
  bool color = false;
};

std::string dim(const Session& s, const std::string& text) {
  return s.color ? "\033[2m" + text + "\033[0m" : text;
}

nlohmann::json request_messages(const Session& s) {
  nlohmann::json out = nlohmann::json::array();
  if (!s.system.empty()) {
    out.push_back({{"role", "system"}, {"content", s.system}});
  }
  for (const auto& m : s.messages) {
    out.push_back(m);
  }
  return out;
}

void ask(Session& s, const std::string& prompt) {
  s.messages.push_back({{"role", "user"}, {"content", prompt}});
  nlohmann::json body = {{"model", s.model}, {"messages", request_messages(s)}};
  if (s.temperature) {
    body["temperature"] = *s.temperature;
  }
  g_interrupted = 0;
  auto r = stream_answer(s.daemon, std::move(body), [] { return g_interrupted != 0; });
  std::cout << "\n";
  StreamedAnswer got;
  if (g_interrupted != 0) {
    std::cout << dim(s, "[cancelled]") << "\n";
    if (r) {
      got = std::move(*r);
    }
  } else if (!r) {
    std::cout << "error: " << r.error().message << "\n";
    s.messages.erase(s.messages.end() - 1);  // the question got no answer: ask again later
    return;
  } else {
    got = std::move(*r);
    if (!got.error.empty()) {
      std::cout << "error: " << got.error << "\n";
    }
  }
  const std::string& answer = got.text;
  const nlohmann::json& usage = got.usage;
  // A cancelled or broken answer stays as far as it got, so the conversation reads as it was.
  s.messages.push_back({{"role", "assistant"}, {"content", answer}});
  if (usage.is_object()) {
    s.prompt_tokens += usage.value("prompt_tokens", 0LL);
    s.completion_tokens += usage.value("completion_tokens", 0LL);
    const auto cost = s.prices.cost(got.deployment_id, usage);
    s.cost += cost.value_or(0);
    s.cost_known = s.cost_known && cost.has_value();
    std::cout << dim(s, answer_footer(s.model, usage, cost)) << "\n";
  }
}

constexpr const char* kHelp =
    "/model NAME        switch model (the conversation is kept)\n"
    "/models            list the models the daemon serves\n"
    "/system TEXT       set the system prompt (empty: none)\n"
    "/temperature X     sampling temperature (empty: the model's default)\n"
    "/clear             forget the conversation\n"
    "/save FILE         save the conversation as JSON\n"
    "/load FILE         load a conversation saved with /save\n"
    "/usage             tokens and cost of this session\n"
    "/help              this list\n"
    "/exit              leave (or Ctrl-D)\n"
    "End a line with \\ to continue on the next. Ctrl-C stops an answer.\n";

// Returns false to leave the REPL.
bool command(Session& s, const std::string& line) {
  const auto space = line.find(' ');
  const std::string cmd = line.substr(0, space);
  const std::string arg = space == std::string::npos ? "" : line.substr(space + 1);
  if (cmd == "/exit" || cmd == "/quit") {
    return false;
  }
  if (cmd == "/help") {
    std::cout << kHelp;
  } else if (cmd == "/model") {
    if (arg.empty()) {
      std::cout << "model: " << s.model << "\n";
    } else {
      s.model = arg;
      std::cout << "model set to " << s.model << "\n";
    }
  } else if (cmd == "/models") {
    auto models = s.daemon.get("/v1/models");
    if (!models) {
      std::cout << "error: " << models.error().message << "\n";
    } else {
      for (const auto& m : (*models)["data"]) {
        std::cout << (m.value("id", "") == s.model ? "* " : "  ") << m.value("id", "") << "\n";
      }
    }
  } else if (cmd == "/system") {
    s.system = arg;
    std::cout << (arg.empty() ? "system prompt cleared" : "system prompt set") << "\n";
  } else if (cmd == "/temperature") {
    if (arg.empty()) {
      s.temperature.reset();
      std::cout << "temperature: the model's default\n";
    } else {
      char* end = nullptr;
      const double t = std::strtod(arg.c_str(), &end);
      if (end == arg.c_str() || *end != '\0' || t < 0 || t > 2) {
        std::cout << "error: temperature is a number from 0 to 2\n";
      } else {
        s.temperature = t;
        std::cout << "temperature set to " << arg << "\n";
      }
    }
  } else if (cmd == "/clear") {
    s.messages = nlohmann::json::array();
    std::cout << "conversation cleared\n";
  } else if (cmd == "/save") {
    std::ofstream out(arg);
    out << nlohmann::json{{"model", s.model}, {"system", s.system}, {"messages", s.messages}}.dump(
               2)
        << "\n";
    std::cout << (out ? "saved " + std::to_string(s.messages.size()) + " messages to " + arg
                      : "error: cannot write " + arg)
              << "\n";
  } else if (cmd == "/load") {
    std::ifstream in(arg);
    const auto j = nlohmann::json::parse(in, nullptr, false);
    if (!in || j.is_discarded() || !j.contains("messages") || !j["messages"].is_array()) {
      std::cout << "error: " << arg << " is not a conversation saved with /save\n";
    } else {
      s.messages = j["messages"];
      s.system = j.value("system", s.system);
      std::cout << "loaded " << s.messages.size() << " messages\n";
    }
  } else if (cmd == "/usage") {
    std::cout << s.prompt_tokens << " tokens in, " << s.completion_tokens << " out, "
              << (s.cost_known ? format_usd(s.cost) : "cost unknown") << " (" << s.messages.size()
              << " messages)\n";
  } else {
    std::cout << "unknown command " << cmd << "; /help lists them\n";
  }
  return true;
}

}  // namespace

int chat_repl(const ChatFlags& flags) {
  Session s(resolve_endpoint(flags.connect));
  s.model = flags.model;
  s.system = flags.system;
  s.color = use_color(STDOUT_FILENO);
  if (s.model.empty()) {
    auto models = s.daemon.get("/v1/models");
    if (!models) {
      std::cerr << "litellm: " << models.error().message << "\n";
      return models.error().code == ErrorCode::UpstreamUnavailable ? 3 : 1;
    }
    if ((*models)["data"].empty()) {
      std::cerr << "litellm: the daemon serves no models\n";
      return 1;
    }
    s.model = (*models)["data"][0].value("id", "");
  }
  const std::string dir = state_dir();
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  const std::string history = dir + "/chat_history";
  read_history(history.c_str());

  struct sigaction sa {};
  sa.sa_handler = on_sigint;
  sigemptyset(&sa.sa_mask);
  sa.sa_flags = 0;  // no SA_RESTART: a read waiting for the next chunk returns at once
  sigaction(SIGINT, &sa, nullptr);

  std::cout << "litellm chat · " << s.model << " · /help for commands, Ctrl-D to leave\n";
  for (;;) {
    g_interrupted = 0;
    std::string input;
    const char* prompt = "you> ";
    for (;;) {
      char* raw = readline(prompt);
      if (raw == nullptr) {  // Ctrl-D
        std::cout << "\n";
        write_history(history.c_str());
        return 0;
      }
      std::string line(raw);
      std::free(raw);
      if (!line.empty() && line.back() == '\\') {
        input += line.substr(0, line.size() - 1) + "\n";
        prompt = "...> ";
        continue;
      }
      input += line;
      break;
    }
    if (input.find_first_not_of(" \t\n") == std::string::npos) {
      continue;
    }
    add_history(input.c_str());
    if (input.front() == '/') {
      if (!command(s, input)) {
        write_history(history.c_str());
        return 0;
      }
      continue;
    }
    ask(s, input);
  }
}

}  // namespace litellm::cli
