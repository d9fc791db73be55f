// Per-provider translation cost: OpenAI request -> provider request, provider response ->
// OpenAI response, and one streamed event -> OpenAI chunk(s). Allocations are counted by
// replacing the global operator new. Run: build/bin/translate_bench (see bench/RESULTS.md).
#include <benchmark/benchmark.h>

#include <atomic>
#include <cstdlib>
#include <fstream>
#include <new>
#include <sstream>

#include "http/framing/aws_eventstream.hpp"
#include "http/framing/sse_parser.hpp"
#include "openai/codec.hpp"
#include "providers/registry.hpp"

namespace {

std::atomic<long long> g_allocs{0};

}  // namespace

void* operator new(std::size_t n) {
  g_allocs.fetch_add(1, std::memory_order_relaxed);
  if (void* p = std::malloc(n == 0 ? 1 : n)) {
    return p;
  }
  throw std::bad_alloc();
}
void operator delete(void* p) noexcept {
  std::free(p);
}
void operator delete(void* p, std::size_t) noexcept {
  std::free(p);
}

namespace {

using nlohmann::json;
using namespace litellm;  // NOLINT(google-build-using-namespace): benchmark file

std::string read(const std::string& provider, const std::string& name) {
  std::ifstream in(std::string(LITELLM_SHARED_DIR) + "/providers/" + provider + "/" + name,
                   std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

const providers::Registry& registry() {
  static const providers::Registry r;
  return r;
}

struct Case {
  const char* prefix;
  const char* response;  // fixture in shared/providers/<dir>
  const char* stream;
  const char* dir;
};

constexpr Case kCases[] = {
    {"openai", "chat.response.json", "chat.stream.sse", "openai"},
    {"azure", "chat.response.json", "chat.stream.sse", "azure"},
    {"anthropic", "chat.response.json", "chat.stream.sse", "anthropic"},
    {"gemini", "generate.response.json", "generate.stream.sse", "gemini"},
    {"ollama", "chat.response.json", "chat.stream.ndjson", "ollama"},
    {"cohere", "chat.response.json", "chat.stream.sse", "cohere"},
    {"bedrock", "converse.response.json", "converse.stream.bin", "bedrock"},
};

LlmRequest chat_request(bool stream) {
  const json body = {
      {"model", "m"},
      {"messages",
       {{{"role", "system"}, {"content", "You are a concise assistant."}},
        {{"role", "user"}, {"content", "What is the weather in Paris? Answer in one line."}}}},
      {"temperature", 0.2},
      {"max_tokens", 256},
      {"stream", stream}};
  return *openai::parse_request(CallKind::Chat, body.dump());
}

providers::Target target_for(const Case& c) {
  providers::Target t;
  t.provider = c.prefix;
  t.model = "model-x";
  t.api_base = "https://example.test";
  t.api_key = core::Secret("sk-bench");
  t.default_params = {{"aws_access_key_id", "AKID"},
                      {"aws_secret_access_key", "secret"},
                      {"aws_region_name", "us-east-1"}};
  if (std::string_view(c.prefix) == "bedrock") {
    t.api_key = core::Secret("");  // sign with SigV4: the expensive path
  }
  return t;
}

std::vector<core::StreamEvent> events_of(const Case& c) {
  const std::string bytes = read(c.dir, c.stream);
  std::vector<core::StreamEvent> events;
  if (std::string_view(c.stream).ends_with(".bin")) {
    http::AwsEventStreamParser p;
    p.feed(bytes, events);
  } else if (std::string_view(c.stream).ends_with(".ndjson")) {
    http::NdjsonParser p;
    p.feed(bytes, events);
    p.finish(events);
  } else {
    http::SseParser p;
    p.feed(bytes, events);
    p.finish(events);
  }
  return events;
}

void request(benchmark::State& state, const Case& c) {
  const auto& a = *registry().find(c.prefix);
  const auto req = chat_request(false);
  const auto target = target_for(c);
  const long long before = g_allocs.load();
  for (auto _ : state) {
    auto up = a.build(req, target);
    benchmark::DoNotOptimize(up);
  }
  state.counters["allocs"] = benchmark::Counter(static_cast<double>(g_allocs.load() - before) /
                                                static_cast<double>(state.iterations()));
}

void response(benchmark::State& state, const Case& c) {
  const auto& a = *registry().find(c.prefix);
  const auto req = chat_request(false);
  const core::UpstreamResponse resp{200, {}, read(c.dir, c.response)};
  const long long before = g_allocs.load();
  for (auto _ : state) {
    auto r = a.parse(resp, req);
    benchmark::DoNotOptimize(r);
  }
  state.counters["allocs"] = benchmark::Counter(static_cast<double>(g_allocs.load() - before) /
                                                static_cast<double>(state.iterations()));
}

// Time per stream event: a fresh decoder runs the whole recorded stream each iteration.
void stream(benchmark::State& state, const Case& c) {
  const auto& a = *registry().find(c.prefix);
  auto req = chat_request(true);
  req.include_usage = true;
  const auto events = events_of(c);
  const long long before = g_allocs.load();
  for (auto _ : state) {
    auto decoder = a.new_stream(req);
    std::vector<LlmChunk> chunks;
    for (const auto& e : events) {
      auto r = decoder->on_event(e, chunks);
      benchmark::DoNotOptimize(r);
    }
    benchmark::DoNotOptimize(chunks);
  }
  state.SetItemsProcessed(state.iterations() * static_cast<long long>(events.size()));
  state.counters["allocs/event"] =
      benchmark::Counter(static_cast<double>(g_allocs.load() - before) /
                         static_cast<double>(state.iterations() * events.size()));
}

int register_all() {
  for (const auto& c : kCases) {
    benchmark::RegisterBenchmark((std::string("request/") + c.prefix).c_str(),
                                 [&c](benchmark::State& s) { request(s, c); })
        ->Unit(benchmark::kMicrosecond);
    benchmark::RegisterBenchmark((std::string("response/") + c.prefix).c_str(),
                                 [&c](benchmark::State& s) { response(s, c); })
        ->Unit(benchmark::kMicrosecond);
    benchmark::RegisterBenchmark((std::string("stream_event/") + c.prefix).c_str(),
                                 [&c](benchmark::State& s) { stream(s, c); })
        ->Unit(benchmark::kMicrosecond);
  }
  return 0;
}

const int kRegistered = register_all();

}  // namespace

BENCHMARK_MAIN();
