#include "http/framing/aws_eventstream.hpp"

#include <fstream>
#include <sstream>

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include "support/byte_cuts.hpp"
#include "support/fixtures.hpp"

using litellm::http::AwsEventStreamParser;
using litellm::http::EventStreamFrame;
using nlohmann::json;

namespace {

std::string unhex(const std::string& h) {
  std::string out;
  for (std::size_t i = 0; i + 1 < h.size(); i += 2) {
    out.push_back(static_cast<char>(std::stoi(h.substr(i, 2), nullptr, 16)));
  }
  return out;
}

std::vector<EventStreamFrame> parse_all(const std::string& bytes, std::size_t cut = 0) {
  AwsEventStreamParser p;
  std::vector<EventStreamFrame> frames;
  if (cut == 0) {
    REQUIRE(p.feed(bytes, frames));
  } else {
    REQUIRE(p.feed(std::string_view(bytes).substr(0, cut), frames));
    REQUIRE(p.feed(std::string_view(bytes).substr(cut), frames));
  }
  CHECK(p.finish());
  return frames;
}

}  // namespace

TEST_CASE("eventstream: AWS's byte vectors decode to their headers and payloads") {
  const auto vectors =
      litellm::test::fixture_json("bedrock", "eventstream-test-vectors.json")["vectors"];
  REQUIRE(vectors.size() >= 3);
  for (const auto& v : vectors) {
    CAPTURE(v["name"].get<std::string>());
    const auto frames = parse_all(unhex(v["hex"]));
    REQUIRE(frames.size() == 1);
    CHECK(frames[0].payload == v["payload"].get<std::string>());
  }
  const auto with_header = parse_all(unhex(vectors[2]["hex"]));
  CHECK(with_header[0].headers.at("content-type") == "application/json");
}

TEST_CASE("eventstream: recorded Converse streams decode frame for frame - cut at every byte") {
  for (const char* name :
       {"converse.stream", "converse-tools.stream", "converse-error-midstream.stream"}) {
    CAPTURE(name);
    const std::string bytes = litellm::test::fixture("bedrock", std::string(name) + ".bin");
    const auto want = litellm::test::fixture_json("bedrock", std::string(name) + ".events.json");
    const auto frames = parse_all(bytes);
    REQUIRE(frames.size() == want.size());
    for (std::size_t i = 0; i < frames.size(); ++i) {
      for (const auto& [k, v] : want[i]["headers"].items()) {
        CHECK(frames[i].headers.at(k) == v.get<std::string>());
      }
      CHECK(json::parse(frames[i].payload) == want[i]["payload"]);
    }
    for (const std::size_t cut : litellm::test::byte_cuts(1, bytes.size() - 1)) {
      const auto again = parse_all(bytes, cut);
      REQUIRE_MESSAGE(again.size() == frames.size(), "cut at " << cut);
    }
  }
}

TEST_CASE("eventstream: a flipped bit or a cut frame is an error, never a frame") {
  std::string bytes = litellm::test::fixture("bedrock", "converse.stream.bin");
  for (const std::size_t at : {std::size_t{2}, std::size_t{9}, std::size_t{20}, bytes.size() - 1}) {
    std::string bad = bytes;
    bad[at] = static_cast<char>(bad[at] ^ 0x01);
    AwsEventStreamParser p;
    std::vector<EventStreamFrame> frames;
    CHECK_FALSE(p.feed(bad, frames));
    CHECK_FALSE(p.error().empty());
    CHECK_FALSE(p.feed("more", frames));  // poisoned
  }
  AwsEventStreamParser cut;
  std::vector<EventStreamFrame> frames;
  CHECK(cut.feed(std::string_view(bytes).substr(0, bytes.size() - 3), frames));
  CHECK_FALSE(cut.finish());
  AwsEventStreamParser huge;
  CHECK_FALSE(
      huge.feed(std::string("\x7f\xff\xff\xff\x00\x00\x00\x00\x00\x00\x00\x00", 12), frames));
}
