#include "spend/price_table.hpp"

#include <fstream>
#include <string>

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include "spend/cost.hpp"

using litellm::Usage;
using namespace litellm::spend;

TEST_CASE("the built-in table agrees with every price in LiteLLM's model price map") {
  std::ifstream in(std::string(LITELLM_SHARED_DIR) + "/data/model_prices_and_context_window.json");
  REQUIRE(in.good());
  const auto map = nlohmann::json::parse(in);
  const auto& table = PriceTable::builtin();
  CHECK(table.size() == map.size() - 1);  // all but sample_spec
  int compared = 0;
  for (const auto& [name, m] : map.items()) {
    if (name == "sample_spec") {
      continue;
    }
    const ModelPrice* p = table.find(name);
    REQUIRE_MESSAGE(p != nullptr, name);
    CHECK_MESSAGE(p->provider == m.value("litellm_provider", ""), name);
    for (const auto& [key, field] :
         {std::pair{"input_cost_per_token", &ModelPrice::input_cost_per_token},
          std::pair{"output_cost_per_token", &ModelPrice::output_cost_per_token},
          std::pair{"cache_read_input_token_cost", &ModelPrice::cache_read_input_token_cost}}) {
      if (m.contains(key) && m[key].is_number()) {
        REQUIRE_MESSAGE((p->*field).has_value(), name << " " << key);
        CHECK_MESSAGE(*(p->*field) == m[key].get<double>(), name << " " << key);
        ++compared;
      }
    }
    if (m.contains("max_input_tokens") && m["max_input_tokens"].is_number_integer()) {
      CHECK_MESSAGE(p->max_input_tokens == m["max_input_tokens"].get<std::int64_t>(), name);
    }
  }
  CHECK(compared > 3000);
}

TEST_CASE("lookup tries the model as written then without its provider prefix") {
  const auto& t = PriceTable::builtin();
  REQUIRE(t.find("ollama/llama3") != nullptr);
  CHECK(t.find("ollama/llama3")->provider == "ollama");
  REQUIRE(t.find("openai/gpt-4o-mini") != nullptr);
  CHECK(t.find("openai/gpt-4o-mini") == t.find("gpt-4o-mini"));
  CHECK(t.find("gpt-4o-mini")->has("vision"));
  CHECK_FALSE(t.find("gpt-4o-mini")->has("visio"));
  CHECK(t.find("nobody/made-this-up") == nullptr);
}

TEST_CASE("a malformed table line loses that model only") {
  const auto t = PriceTable::parse(
      "#comment\n"
      "a\topenai\tchat\t100\t10\t1e-06\t2e-06\t\t\tvision\n"
      "broken line\n"
      "b\topenai\tchat\tx\t\tnan?\t\t\t\t\n");
  CHECK(t.size() == 2);
  REQUIRE(t.find("a") != nullptr);
  CHECK(*t.find("a")->max_input_tokens == 100);
  REQUIRE(t.find("b") != nullptr);
  CHECK_FALSE(t.find("b")->max_input_tokens.has_value());
  CHECK_FALSE(t.find("b")->input_cost_per_token.has_value());
}

TEST_CASE("cost prices plain cached and completion tokens apart") {
  const auto p = resolve_price(PriceTable::builtin(), "openai/gpt-4o-mini", "", {});
  Usage u;
  u.prompt_tokens = 1000;
  u.completion_tokens = 200;
  CHECK(*cost_of(p, u) == doctest::Approx(1000 * 1.5e-07 + 200 * 6e-07));
  u.cached_tokens = 400;  // OpenAI counts them inside prompt_tokens
  CHECK(*cost_of(p, u) == doctest::Approx(600 * 1.5e-07 + 400 * 7.5e-08 + 200 * 6e-07));
}

TEST_CASE("deployment overrides and base_model win over the table") {
  PriceOverrides o;
  o.input_cost_per_token = 1.0;
  const auto p = resolve_price(PriceTable::builtin(), "azure/my-deployment", "gpt-4o-mini", o);
  CHECK(*p.input_cost_per_token == 1.0);
  CHECK(*p.output_cost_per_token == 6e-07);  // from base_model
  Usage u;
  u.prompt_tokens = 2;
  u.completion_tokens = 1;
  CHECK(*cost_of(p, u) == doctest::Approx(2.0 + 6e-07));
}

TEST_CASE("unknown models have no cost rather than a zero one") {
  const auto p = resolve_price(PriceTable::builtin(), "custom/secret-model", "", {});
  Usage u;
  u.prompt_tokens = 10;
  CHECK_FALSE(cost_of(p, u).has_value());
  PriceOverrides o;
  o.output_cost_per_token = 0.5;
  u.completion_tokens = 4;
  CHECK(*cost_of(resolve_price(PriceTable::builtin(), "custom/secret-model", "", o), u) == 2.0);
}

TEST_CASE("costs print without exponent or padding") {
  CHECK(format_cost(0.000215) == "0.000215");
  CHECK(format_cost(0) == "0.0");
  CHECK(format_cost(1.5) == "1.5");
  CHECK(format_cost(3e-09) == "0.000000003");
}
