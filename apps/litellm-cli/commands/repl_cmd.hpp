#pragma once

#include "commands/chat_cmd.hpp"

namespace litellm::cli {

// `litellm chat` on a terminal with no prompt: a REPL. Answers stream as they arrive; the
// conversation is kept; line editing and a persistent history come from libedit; a line ending
// in '\' continues on the next; Ctrl-C cancels the current answer (and its upstream request),
// Ctrl-D leaves. Slash commands: /model /models /system /temperature /clear /save /load /usage
// /help /exit.
int chat_repl(const ChatFlags& flags);

}  // namespace litellm::cli
