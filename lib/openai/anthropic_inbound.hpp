#pragma once

#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "litellm/error.hpp"
#include "litellm/types.hpp"

namespace litellm::openai {

// The inbound Anthropic API (POST /v1/messages): tools built on the Anthropic SDK are served
// from any configured model by translating to the canonical (OpenAI) request and back.

// An Anthropic Messages request as the canonical chat request. Streams always ask for usage
// (the Anthropic stream reports it). Errors: InvalidRequest naming the field.
Result<LlmRequest> parse_messages_request(std::string_view text);

// A chat.completion as an Anthropic Message. `model` is what the client asked for.
nlohmann::json to_anthropic_message(const nlohmann::json& completion, const std::string& model);

// An error in Anthropic's shape: {"type":"error","error":{"type":..., "message":...}}.
nlohmann::json anthropic_error(ErrorCode code, const std::string& message);

// Turns a stream of chat.completion.chunks into Anthropic's SSE events (message_start,
// content_block_start / _delta / _stop, message_delta, message_stop). One per stream.
class AnthropicStreamEncoder {
 public:
  explicit AnthropicStreamEncoder(std::string model) : model_(std::move(model)) {}
  // The events `chunk` adds, as SSE text.
  std::string encode(const nlohmann::json& chunk);
  // The closing events of a stream that ended well.
  std::string finish();
  // An `error` event for a stream that failed after it started.
  std::string fail(ErrorCode code, const std::string& message);

 private:
  std::string start_if_needed(const nlohmann::json& chunk);
  std::string open_block(const std::string& type, nlohmann::json block);
  std::string close_block();

  std::string model_;
  bool started_ = false;
  bool finished_ = false;
  int block_index_ = -1;
  std::string block_type_;  // "text", "thinking", "tool_use" or empty when none is open
  int tool_call_ = -1;      // OpenAI index of the tool call the open block holds
  std::string stop_reason_;
  nlohmann::json usage_;
};

}  // namespace litellm::openai
