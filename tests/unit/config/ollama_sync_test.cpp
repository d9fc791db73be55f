#include "config/ollama_sync.hpp"

#include <doctest/doctest.h>

#include "config/yaml_splice.hpp"

using namespace litellm::config;  // NOLINT(google-build-using-namespace): test file

namespace {

const std::vector<InstalledModel> kInstalled = {
    {"llama3.2:latest", false}, {"qwen2.5-coder:7b", false}, {"all-minilm:latest", true}};

OllamaSyncPlan sync(const std::string& text,
                    const std::vector<InstalledModel>& installed = kInstalled,
                    const std::string& url = kDefaultOllamaUrl) {
  EnvResolver env(std::map<std::string, std::string>{{"REMOTE_OLLAMA", "http://10.0.0.9:11434"}});
  auto plan = plan_ollama_sync(text, "config.yaml", installed, url, env);
  REQUIRE_MESSAGE(plan.has_value(), (plan ? "" : plan.error().message));
  return *plan;
}

}  // namespace

TEST_CASE("ollama sync keeps comments quoting and indentation and edits only Ollama entries") {
  const std::string before =
      "# My gateway.   Hand-written; keep it that way!\n"
      "model_list:\n"
      "    # the cloud one\n"
      "    - model_name: \"gpt-4o\"   # paid\n"
      "      litellm_params: {model: openai/gpt-4o, api_key: os.environ/OPENAI_API_KEY}\n"
      "\n"
      "    # old local model, since deleted from Ollama\n"
      "    - model_name: mistral\n"
      "      litellm_params:\n"
      "          model: ollama/mistral\n"
      "          # temperature: 0.2\n"
      "    - model_name: llama\n"
      "      litellm_params:\n"
      "          model: 'ollama_chat/llama3.2:latest'\n"
      "          api_base: http://127.0.0.1:11434/\n"
      "\n"
      "router_settings:\n"
      "  model_group_alias:\n"
      "    fast: mistral    # to be dropped with its group\n"
      "    smart: gpt-4o\n"
      "general_settings: {master_key: sk-1234}\n";
  const auto plan = sync(before);
  CHECK(plan.removed == std::vector<std::string>{"mistral"});
  CHECK(plan.added == std::vector<std::string>{"qwen2.5-coder:7b", "all-minilm"});
  CHECK(plan.aliases_removed == std::vector<std::string>{"fast"});
  CHECK(plan.text ==
        "# My gateway.   Hand-written; keep it that way!\n"
        "model_list:\n"
        "    # the cloud one\n"
        "    - model_name: \"gpt-4o\"   # paid\n"
        "      litellm_params: {model: openai/gpt-4o, api_key: os.environ/OPENAI_API_KEY}\n"
        "\n"
        "    - model_name: llama\n"
        "      litellm_params:\n"
        "          model: 'ollama_chat/llama3.2:latest'\n"
        "          api_base: http://127.0.0.1:11434/\n"
        "    - model_name: qwen2.5-coder:7b\n"
        "      litellm_params:\n"
        "          model: ollama/qwen2.5-coder:7b\n"
        "    - model_name: all-minilm\n"
        "      litellm_params:\n"
        "          model: ollama/all-minilm\n"
        "      model_info:\n"
        "          mode: embedding\n"
        "\n"
        "router_settings:\n"
        "  model_group_alias:\n"
        "    smart: gpt-4o\n"
        "general_settings: {master_key: sk-1234}\n");
  // Run again: nothing to do.
  CHECK_FALSE(sync(plan.text).changed());
}

TEST_CASE("ollama sync leaves a config already in line untouched") {
  const std::string text =
      "model_list:\n- model_name: llama3.2\n  litellm_params:\n    model: ollama/llama3.2\n";
  const auto plan = sync(text, {{"llama3.2:latest", false}});
  CHECK_FALSE(plan.changed());
  CHECK(plan.text == text);
}

TEST_CASE("ollama sync creates model_list when the file has none or an empty one") {
  const auto absent = sync("general_settings:\n  master_key: sk-1\n", {{"llama3.2:latest", false}});
  CHECK(absent.text ==
        "general_settings:\n  master_key: sk-1\n\nmodel_list:\n"
        "  - model_name: llama3.2\n    litellm_params:\n      model: ollama/llama3.2\n");
  const auto flow =
      sync("model_list: []\nlitellm_settings: {drop_params: true}\n", {{"llama3.2:latest", false}});
  CHECK(flow.text ==
        "model_list:\n  - model_name: llama3.2\n    litellm_params:\n      model: ollama/llama3.2\n"
        "litellm_settings: {drop_params: true}\n");
  const auto no_newline = sync("model_list:", {{"phi3:mini", false}});
  CHECK(no_newline.text ==
        "model_list:\n  - model_name: phi3:mini\n    litellm_params:\n"
        "      model: ollama/phi3:mini\n");
}

TEST_CASE("ollama sync only touches deployments of the Ollama server it asked") {
  const std::string text =
      "model_list:\n"
      "  - model_name: remote-llama\n"
      "    litellm_params:\n"
      "      model: ollama/llama2\n"
      "      api_base: os.environ/REMOTE_OLLAMA\n"
      "  - model_name: other\n"
      "    litellm_params:\n"
      "      model: ollama/gemma\n"
      "      api_base: http://gpu-box:11434\n";
  const auto local = sync(text, {});
  CHECK_FALSE(local.changed());
  const auto remote = sync(text, {{"mistral:latest", false}}, "http://10.0.0.9:11434");
  CHECK(remote.removed == std::vector<std::string>{"remote-llama"});
  CHECK(remote.text ==
        "model_list:\n"
        "  - model_name: other\n"
        "    litellm_params:\n"
        "      model: ollama/gemma\n"
        "      api_base: http://gpu-box:11434\n"
        "  - model_name: mistral\n"
        "    litellm_params:\n"
        "      model: ollama/mistral\n"
        "      api_base: http://10.0.0.9:11434\n");
}

TEST_CASE("ollama sync never folds an Ollama model into another provider's group") {
  const auto plan = sync(
      "model_list:\n  - model_name: mistral\n    litellm_params:\n"
      "      model: mistral/mistral-large-latest\n",
      {{"mistral:latest", false}});
  CHECK(plan.added == std::vector<std::string>{"ollama/mistral"});
}

TEST_CASE("ollama sync empties the list and flow aliases when every Ollama model is gone") {
  const auto plan = sync(
      "model_list:\n  - model_name: a\n    litellm_params: {model: ollama/a}\n"
      "router_settings:\n  model_group_alias: {x: a, y: b}\n",
      {});
  CHECK(plan.text == "model_list: []\nrouter_settings:\n  model_group_alias: {y: b}\n");
  const auto block = sync(
      "model_list:\n  - model_name: a\n    litellm_params: {model: ollama/a}\n"
      "  - model_name: b\n    litellm_params: {model: openai/b}\n"
      "router_settings:\n  model_group_alias:\n    x: a\n",
      {});
  CHECK(block.text ==
        "model_list:\n  - model_name: b\n    litellm_params: {model: openai/b}\n"
        "router_settings:\n  model_group_alias: {}\n");
}

TEST_CASE("ollama sync refuses what it cannot edit safely and says where") {
  EnvResolver env;
  const auto flow = plan_ollama_sync("model_list: [{model_name: a, litellm_params: {model: x}}]\n",
                                     "c.yaml", kInstalled, kDefaultOllamaUrl, env);
  REQUIRE_FALSE(flow.has_value());
  CHECK(flow.error().message.find("c.yaml:1: model_list is written as [ ... ]") == 0);
  const auto broken =
      plan_ollama_sync("model_list:\n  - a: [\n", "c.yaml", kInstalled, kDefaultOllamaUrl, env);
  REQUIRE_FALSE(broken.has_value());
  CHECK(broken.error().message.find("c.yaml:") == 0);
  const auto wrong =
      plan_ollama_sync("model_list: 3\n", "c.yaml", kInstalled, kDefaultOllamaUrl, env);
  REQUIRE_FALSE(wrong.has_value());
  CHECK(wrong.error().message.find("model_list must be a list") != std::string::npos);
}

TEST_CASE("yaml scalars are quoted only when plain would change their meaning") {
  CHECK(yaml_scalar("llama3.2") == "llama3.2");
  CHECK(yaml_scalar("ollama/llama3.2") == "ollama/llama3.2");
  CHECK(yaml_scalar("phi3:mini") == "phi3:mini");  // a colon not followed by a space is plain
  CHECK(yaml_scalar("a: b") == "\"a: b\"");
  CHECK(yaml_scalar("# not a comment") == "\"# not a comment\"");
  CHECK(yaml_scalar("3.2") == "\"3.2\"");
  CHECK(yaml_scalar("true") == "\"true\"");
  CHECK(yaml_scalar("a \"b\"") == "a \"b\"");  // quotes inside a plain scalar are text
  CHECK(yaml_scalar("\"b\"") == "\"\\\"b\\\"\"");
  CHECK(yaml_scalar("") == "\"\"");
}
