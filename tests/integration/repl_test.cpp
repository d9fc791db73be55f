#include <fstream>

#include <doctest/doctest.h>

#include "integration/harness.hpp"
#include "support/pty_session.hpp"

using namespace litellm::test;  // NOLINT(google-build-using-namespace): test file

TEST_CASE("repl: a conversation in a real terminal - slash commands - Ctrl-C - Ctrl-D") {
  MockUpstream up;
  // A slow answer, so there is time to press Ctrl-C in the middle of it.
  up.reply_sse("/v1/chat/completions", token_stream(400, true), 25);
  DaemonProcess d(gateway_config(up));
  TempDir dir;
  PtySession pty({LITELLM_CLI_PATH, "chat", "-m", "echo", "--base-url",
                  "http://127.0.0.1:" + std::to_string(d.port()), "--api-key", kMasterKey},
                 {"LITELLM_HOME=" + dir.path(), "NO_COLOR=1"});
  REQUIRE(pty.expect("litellm chat · echo"));
  REQUIRE(pty.expect("you> "));

  pty.type("hello there\r");
  CHECK(pty.expect("hello there\r\n"));  // the typed line, echoed by the terminal
  CHECK(pty.expect("hello there"));      // the answer, from mock/echo
  CHECK(pty.expect("echo · "));          // tokens after the answer
  CHECK(pty.expect("you> "));

  pty.type("first line \\\rsecond line\r");  // a line ending in \ continues
  CHECK(pty.expect("...> "));
  CHECK(pty.expect("first line \r\nsecond line"));
  CHECK(pty.expect("you> "));

  pty.type("/usage\r");
  CHECK(pty.expect("(4 messages)"));
  const std::string saved = dir.path() + "/conv.json";
  pty.type("/save " + saved + "\r");
  CHECK(pty.expect("saved 4 messages"));
  pty.type("/clear\r");
  CHECK(pty.expect("conversation cleared"));
  pty.type("/load " + saved + "\r");
  CHECK(pty.expect("loaded 4 messages"));
  {
    std::ifstream in(saved);
    const auto conv = nlohmann::json::parse(in);
    CHECK(conv["messages"][0]["content"] == "hello there");
    CHECK(conv["messages"][1]["role"] == "assistant");
  }
  pty.type("/temperature hot\r");
  CHECK(pty.expect("error: temperature is a number from 0 to 2"));
  pty.type("/models\r");
  CHECK(pty.expect("* echo"));

  // Switch to the slow upstream model, stop it half-way with Ctrl-C, stay in the REPL.
  pty.type("/model gpt-4o\r");
  CHECK(pty.expect("model set to gpt-4o"));
  pty.type("go\r");
  CHECK(pty.expect("xxxx"));
  pty.type("\x03");
  CHECK(pty.expect("[cancelled]"));
  CHECK(wait_until([&] { return up.stream_aborted(); }, std::chrono::seconds(5)));
  CHECK(pty.expect("you> "));
  pty.type("/system be brief\r");
  CHECK(pty.expect("system prompt set"));
  CHECK(pty.expect("you> "));

  const int code = pty.press_ctrl_d_until_exit();  // Ctrl-D leaves
  INFO(pty.output());
  CHECK(code == 0);
  // The input history persists for the next session.
  std::ifstream history(dir.path() + "/state/chat_history");
  const std::string text((std::istreambuf_iterator<char>(history)),
                         std::istreambuf_iterator<char>());
  CHECK(text.find("hello") != std::string::npos);  // libedit escapes the space
}

TEST_CASE("repl: each answer shows its tokens and cost at the deployment's prices") {
  MockUpstream up;
  const std::string usage_chunk =
      R"(data: {"id":"c","object":"chat.completion.chunk","created":1,"model":"m","choices":[],"usage":{"prompt_tokens":10,"completion_tokens":5,"total_tokens":15}})"
      "\n\n";
  up.reply_sse("/v1/chat/completions", token_stream(3, false) + usage_chunk + "data: [DONE]\n\n");
  DaemonProcess d(gateway_config(up,
                                 "      input_cost_per_token: 0.001\n"
                                 "      output_cost_per_token: 0.002\n"));
  TempDir dir;
  PtySession pty({LITELLM_CLI_PATH, "chat", "-m", "gpt-4o", "--base-url",
                  "http://127.0.0.1:" + std::to_string(d.port()), "--api-key", kMasterKey},
                 {"LITELLM_HOME=" + dir.path(), "NO_COLOR=1"});
  REQUIRE(pty.expect("you> "));
  pty.type("price this\r");
  CHECK(pty.expect("xxx"));
  CHECK(pty.expect("gpt-4o · 10 in, 5 out · $0.02\r\n"));  // 10 × 0.001 + 5 × 0.002
  pty.type("again\r");
  CHECK(pty.expect("gpt-4o · 10 in, 5 out · $0.02\r\n"));
  pty.type("/usage\r");
  CHECK(pty.expect("20 tokens in, 10 out, $0.04 (4 messages)"));
  CHECK(pty.expect("you> "));
  const int code = pty.press_ctrl_d_until_exit();
  INFO(pty.output());
  CHECK(code == 0);
}
