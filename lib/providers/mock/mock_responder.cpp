#include "providers/mock/mock_responder.hpp"

#include <array>
#include <cmath>
#include <cstdint>

#include "providers/translate/messages.hpp"

namespace litellm::providers::mock {

namespace {

using nlohmann::json;

struct MockError {
  std::string_view name;
  ErrorCode code;
};

constexpr std::array<MockError, 9> kMockErrors = {{
    {"litellm.RateLimitError", ErrorCode::RateLimited},
    {"litellm.BadRequestError", ErrorCode::InvalidRequest},
    {"litellm.AuthenticationError", ErrorCode::Authentication},
    {"litellm.NotFoundError", ErrorCode::NotFound},
    {"litellm.Timeout", ErrorCode::Timeout},
    {"litellm.ContextWindowExceededError", ErrorCode::ContextWindowExceeded},
    {"litellm.ContentPolicyViolationError", ErrorCode::ContentPolicy},
    {"litellm.InternalServerError", ErrorCode::UpstreamError},
    {"litellm.ServiceUnavailableError", ErrorCode::UpstreamUnavailable},
}};

std::string prompt_text(const LlmRequest& req) {
  if (req.kind == CallKind::Chat) {
    std::string all;
    for (const auto& m : req.body["messages"]) {
      if (m.contains("content")) {
        all += translate::text_of(m["content"]);
        all += '\n';
      }
    }
    return all;
  }
  const json& p = req.body.contains("prompt") ? req.body["prompt"] : req.body["input"];
  if (p.is_string()) {
    return p.get<std::string>();
  }
  return p.dump();
}

std::string last_user_text(const LlmRequest& req) {
  if (req.kind != CallKind::Chat) {
    return prompt_text(req);
  }
  const auto& messages = req.body["messages"];
  for (auto it = messages.rbegin(); it != messages.rend(); ++it) {
    if (it->value("role", "") == "user" && it->contains("content")) {
      return translate::text_of((*it)["content"]);
    }
  }
  return "";
}

// Roughly what a BPE tokenizer gives for English: a token per four characters.
std::int64_t approx_tokens(std::string_view text) {
  return static_cast<std::int64_t>((text.size() + 3) / 4);
}

std::vector<std::string> split_words(const std::string& text) {
  std::vector<std::string> out;
  std::string cur;
  for (const char c : text) {
    if (c == ' ' && !cur.empty()) {
      out.push_back(std::move(cur));
      cur.clear();
    }
    cur.push_back(c);
  }
  if (!cur.empty()) {
    out.push_back(std::move(cur));
  }
  return out;
}

Result<std::string> answer_text(const LlmRequest& req, const MockSpec& spec) {
  if (spec.mock_response) {
    for (const auto& e : kMockErrors) {
      if (*spec.mock_response == e.name) {
        Error err{e.code, "MockException - mock_response asked for " + std::string(e.name),
                  {},     "mock",
                  0,      {}};
        if (e.code == ErrorCode::RateLimited) {
          err.retry_after = std::chrono::milliseconds(1000);
        }
        return err;
      }
    }
    return *spec.mock_response;
  }
  if (spec.model == "echo") {
    return last_user_text(req);
  }
  return "This is a mock response from " + spec.model + ".";
}

json usage_json(const LlmRequest& req, const std::string& answer) {
  const auto p = approx_tokens(prompt_text(req));
  const auto c = static_cast<std::int64_t>(split_words(answer).size());
  return json{{"prompt_tokens", p}, {"completion_tokens", c}, {"total_tokens", p + c}};
}

json embedding_response(const LlmRequest& req, const MockSpec& spec) {
  const json& input = req.body["input"];
  std::vector<std::string> items;
  if (input.is_string()) {
    items.push_back(input.get<std::string>());
  } else {
    for (const auto& i : input) {
      items.push_back(i.is_string() ? i.get<std::string>() : i.dump());
    }
  }
  const int dims = req.body.value("dimensions", 8);
  json data = json::array();
  std::int64_t tokens = 0;
  for (std::size_t i = 0; i < items.size(); ++i) {
    tokens += approx_tokens(items[i]);
    std::uint64_t h = 1469598103934665603ULL;
    json vec = json::array();
    for (int d = 0; d < std::max(1, dims); ++d) {
      for (const char c : items[i]) {
        h = (h ^ static_cast<unsigned char>(c)) * 1099511628211ULL;
      }
      h = (h ^ static_cast<std::uint64_t>(d)) * 1099511628211ULL;
      vec.push_back(std::round((static_cast<double>(h % 2000001) / 1000000.0 - 1.0) * 1e6) / 1e6);
    }
    data.push_back({{"object", "embedding"}, {"index", i}, {"embedding", std::move(vec)}});
  }
  return {{"object", "list"},
          {"model", spec.model},
          {"data", std::move(data)},
          {"usage", {{"prompt_tokens", tokens}, {"total_tokens", tokens}}}};
}

}  // namespace

Result<LlmResponse> respond(const LlmRequest& req, const MockSpec& spec) {
  if (req.kind == CallKind::Embedding) {
    return LlmResponse{embedding_response(req, spec)};
  }
  auto text = answer_text(req, spec);
  if (!text) {
    return text.error();
  }
  json body;
  if (req.kind == CallKind::Completion) {
    body = {
        {"id", spec.id},
        {"object", "text_completion"},
        {"created", spec.created},
        {"model", spec.model},
        {"choices",
         json::array(
             {{{"text", *text}, {"index", 0}, {"logprobs", nullptr}, {"finish_reason", "stop"}}})},
        {"usage", usage_json(req, *text)}};
  } else {
    body = {{"id", spec.id},
            {"object", "chat.completion"},
            {"created", spec.created},
            {"model", spec.model},
            {"choices",
             json::array(
                 {{{"index", 0},
                   {"message", {{"role", "assistant"}, {"content", *text}, {"refusal", nullptr}}},
                   {"logprobs", nullptr},
                   {"finish_reason", "stop"}}})},
            {"usage", usage_json(req, *text)}};
  }
  return LlmResponse{std::move(body)};
}

Result<std::vector<LlmChunk>> respond_stream(const LlmRequest& req, const MockSpec& spec) {
  auto text = answer_text(req, spec);
  if (!text) {
    return text.error();
  }
  const bool chat = req.kind == CallKind::Chat;
  const auto chunk = [&](json choice) {
    return LlmChunk{json{{"id", spec.id},
                         {"object", chat ? "chat.completion.chunk" : "text_completion"},
                         {"created", spec.created},
                         {"model", spec.model},
                         {"choices", json::array({std::move(choice)})}}};
  };
  std::vector<LlmChunk> out;
  if (chat) {
    out.push_back(chunk({{"index", 0},
                         {"delta", {{"role", "assistant"}, {"content", ""}}},
                         {"logprobs", nullptr},
                         {"finish_reason", nullptr}}));
  }
  for (auto& word : split_words(*text)) {
    if (chat) {
      out.push_back(chunk({{"index", 0},
                           {"delta", {{"content", std::move(word)}}},
                           {"logprobs", nullptr},
                           {"finish_reason", nullptr}}));
    } else {
      out.push_back(chunk({{"index", 0},
                           {"text", std::move(word)},
                           {"logprobs", nullptr},
                           {"finish_reason", nullptr}}));
    }
  }
  if (chat) {
    out.push_back(chunk({{"index", 0},
                         {"delta", json::object()},
                         {"logprobs", nullptr},
                         {"finish_reason", "stop"}}));
  } else {
    out.push_back(
        chunk({{"index", 0}, {"text", ""}, {"logprobs", nullptr}, {"finish_reason", "stop"}}));
  }
  if (req.include_usage) {
    LlmChunk last = chunk(json::object());
    last.body["choices"] = json::array();
    last.body["usage"] = usage_json(req, *text);
    out.push_back(std::move(last));
  }
  return out;
}

}  // namespace litellm::providers::mock
