#include "support/fixtures.hpp"

#include <fstream>
#include <sstream>
#include <stdexcept>
#include <vector>

#include "http/framing/sse_parser.hpp"

namespace litellm::test {

std::string fixture(const std::string& provider, const std::string& name) {
  const std::string path = std::string(LITELLM_SHARED_DIR) + "/providers/" + provider + "/" + name;
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    throw std::runtime_error("missing fixture: " + path);
  }
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

nlohmann::json fixture_json(const std::string& provider, const std::string& name) {
  return nlohmann::json::parse(fixture(provider, name));
}

std::vector<std::string> sse_data(const std::string& bytes) {
  http::SseParser parser;
  std::vector<core::StreamEvent> events;
  parser.feed(bytes, events);
  parser.finish(events);
  std::vector<std::string> out;
  for (auto& e : events) {
    out.push_back(std::move(e.data));
  }
  return out;
}

}  // namespace litellm::test
