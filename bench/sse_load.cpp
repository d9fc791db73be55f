// 1,000 concurrent SSE streams through litellmd: a drip upstream (cpp-httplib, a thread per
// stream) sends `--chunks` events `--gap-ms` apart to every stream; as many client threads read
// them through the gateway and compare what arrives with what was sent, byte for byte. Reports
// completion, byte-exactness, stream durations and litellmd's RSS (idle and peak).
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

#include <httplib.h>
#include <nlohmann/json.hpp>

namespace {

using Clock = std::chrono::steady_clock;

std::string event(int i) {
  nlohmann::json chunk = {{"id", "chatcmpl-bench"},
                          {"object", "chat.completion.chunk"},
                          {"created", 1727346168},
                          {"model", "gpt-4o-2024-08-06"},
                          {"choices",
                           {{{"index", 0},
                             {"delta", {{"content", " token" + std::to_string(i)}}},
                             {"logprobs", nullptr},
                             {"finish_reason", nullptr}}}}};
  return "data: " + chunk.dump() + "\n\n";
}

long rss_kb(pid_t pid, const char* field) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/status");
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind(field, 0) == 0) {
      return std::atol(line.c_str() + std::string(field).size());
    }
  }
  return -1;
}

std::string dechunk(const std::string& raw) {
  const auto start = raw.find("\r\n\r\n");
  if (start == std::string::npos)
    return {};
  std::string out;
  std::size_t pos = start + 4;
  while (pos < raw.size()) {
    const auto eol = raw.find("\r\n", pos);
    if (eol == std::string::npos)
      break;
    const auto size = std::strtoul(raw.substr(pos, eol - pos).c_str(), nullptr, 16);
    if (size == 0)
      break;
    out += raw.substr(eol + 2, size);
    pos = eol + 2 + size + 2;
  }
  return out;
}

struct StreamResult {
  bool complete = false;
  bool exact = false;
  double seconds = 0;
};

StreamResult run_stream(int port, const std::string& expected) {
  StreamResult r;
  const auto t0 = Clock::now();
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    close(fd);
    return r;
  }
  const std::string body =
      R"({"model":"gpt-4o","stream":true,"messages":[{"role":"user","content":"go"}]})";
  const std::string req =
      "POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nConnection: close\r\n"
      "Authorization: Bearer sk-bench-master\r\nContent-Type: application/json\r\n"
      "Content-Length: " +
      std::to_string(body.size()) + "\r\n\r\n" + body;
  send(fd, req.data(), req.size(), MSG_NOSIGNAL);
  std::string raw;
  char buf[16384];
  for (;;) {
    pollfd p{fd, POLLIN, 0};
    if (poll(&p, 1, 60000) <= 0)
      break;
    const auto n = recv(fd, buf, sizeof buf, 0);
    if (n <= 0)
      break;
    raw.append(buf, static_cast<std::size_t>(n));
  }
  close(fd);
  r.seconds = std::chrono::duration<double>(Clock::now() - t0).count();
  const std::string got = dechunk(raw);
  r.complete = got.size() >= 14 && got.compare(got.size() - 14, 14, "data: [DONE]\n\n") == 0;
  r.exact = got == expected;
  return r;
}

}  // namespace

int main(int argc, char** argv) {
  std::string litellmd = "build/bin/litellmd";
  int streams = 1000;
  int chunks = 50;
  int gap_ms = 10;
  int workers = 2;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string a = argv[i];
    if (a == "--litellmd")
      litellmd = argv[i + 1];
    if (a == "--streams")
      streams = std::atoi(argv[i + 1]);
    if (a == "--chunks")
      chunks = std::atoi(argv[i + 1]);
    if (a == "--gap-ms")
      gap_ms = std::atoi(argv[i + 1]);
    if (a == "--workers")
      workers = std::atoi(argv[i + 1]);
  }
  std::string expected;
  for (int i = 0; i < chunks; ++i)
    expected += event(i);
  expected += "data: [DONE]\n\n";

  httplib::Server upstream;
  upstream.new_task_queue = [streams] {
    return new httplib::ThreadPool(static_cast<std::size_t>(streams) + 16);
  };
  upstream.set_tcp_nodelay(true);
  upstream.Post("/v1/chat/completions", [&](const httplib::Request&, httplib::Response& res) {
    res.set_chunked_content_provider(
        "text/event-stream", [&, i = 0](std::size_t, httplib::DataSink& sink) mutable {
          if (i == chunks) {
            const std::string done = "data: [DONE]\n\n";
            sink.write(done.data(), done.size());
            sink.done();
            return true;
          }
          std::this_thread::sleep_for(std::chrono::milliseconds(gap_ms));
          const std::string e = event(i++);
          return sink.write(e.data(), e.size());
        });
  });
  const int up_port = upstream.bind_to_any_port("127.0.0.1");
  std::thread up_thread([&] { upstream.listen_after_bind(); });

  char dir[] = "/tmp/litellm-sse-XXXXXX";
  mkdtemp(dir);
  const std::string config = std::string(dir) + "/config.yaml";
  std::ofstream(config)
      << "model_list:\n  - model_name: gpt-4o\n    litellm_params:\n"
         "      model: openai/gpt-4o-2024-08-06\n      api_base: http://127.0.0.1:"
      << up_port << "/v1\n      api_key: sk-up\n"
      << "general_settings:\n  master_key: sk-bench-master\n";
  int out[2];
  pipe(out);
  const pid_t pid = fork();
  if (pid == 0) {
    dup2(out[1], 1);
    const std::string w = std::to_string(workers);
    execl(litellmd.c_str(), litellmd.c_str(), "--config", config.c_str(), "--port", "0",
          "--num_workers", w.c_str(), static_cast<char*>(nullptr));
    _exit(127);
  }
  close(out[1]);
  std::string line;
  char c = 0;
  while (read(out[0], &c, 1) == 1 && c != '\n')
    line += c;
  const int port = std::atoi(line.substr(line.rfind(':') + 1).c_str());
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  const long idle = rss_kb(pid, "VmRSS:");

  struct Row {
    int complete = 0;
    int exact = 0;
    double p50 = 0;
    double p99 = 0;
    double wall = 0;
  };
  const auto run_all = [&](int target_port) {
    std::vector<StreamResult> results(static_cast<std::size_t>(streams));
    const auto t0 = Clock::now();
    std::vector<std::thread> clients;
    for (int i = 0; i < streams; ++i) {
      clients.emplace_back(
          [&, i] { results[static_cast<std::size_t>(i)] = run_stream(target_port, expected); });
    }
    for (auto& t : clients)
      t.join();
    Row row;
    row.wall = std::chrono::duration<double>(Clock::now() - t0).count();
    std::vector<double> secs;
    for (const auto& r : results) {
      row.complete += r.complete ? 1 : 0;
      row.exact += r.exact ? 1 : 0;
      secs.push_back(r.seconds);
    }
    std::sort(secs.begin(), secs.end());
    row.p50 = secs[secs.size() / 2];
    row.p99 = secs[static_cast<std::size_t>(0.99 * static_cast<double>(secs.size() - 1))];
    return row;
  };
  // Baseline: the same clients straight to the drip upstream, to show what the load generator
  // itself costs on this machine.
  const Row direct = run_all(up_port);
  std::atomic<bool> running{true};
  long peak = idle;
  std::thread sampler([&] {
    while (running) {
      peak = std::max(peak, rss_kb(pid, "VmRSS:"));
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
  });
  const Row via = run_all(port);
  running = false;
  sampler.join();
  kill(pid, SIGTERM);
  int status = 0;
  waitpid(pid, &status, 0);
  upstream.stop();
  up_thread.join();
  std::filesystem::remove_all(dir);

  std::printf(
      "| path | streams | chunks x gap | completed | byte-exact | p50 s | p99 s | wall s | "
      "litellmd RSS idle / peak MB |\n|---|---|---|---|---|---|---|---|---|\n");
  std::printf(
      "| direct to upstream (baseline) | %d | %d x %d ms | %d | %d | %.3f | %.3f | %.2f | |\n",
      streams, chunks, gap_ms, direct.complete, direct.exact, direct.p50, direct.p99, direct.wall);
  std::printf(
      "| through litellmd | %d | %d x %d ms | %d | %d | %.3f | %.3f | %.2f | %.1f / %.1f |\n",
      streams, chunks, gap_ms, via.complete, via.exact, via.p50, via.p99, via.wall,
      static_cast<double>(idle) / 1024.0, static_cast<double>(peak) / 1024.0);
  std::printf("\nlitellmd exit status after SIGTERM: %d\n",
              WIFEXITED(status) ? WEXITSTATUS(status) : -1);
  const int complete = via.complete;
  const int exact = via.exact;
  return complete == streams && exact == streams ? 0 : 1;
}
