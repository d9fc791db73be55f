// The floor libcurl sets for the upstream leg: sequential keep-alive POSTs of a small chat request
// on one easy handle, timed. Usage: curl_floor URL [N]
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>

#include <curl/curl.h>

namespace {
size_t discard(char*, size_t size, size_t n, void*) {
  return size * n;
}
}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: curl_floor URL [N]\n");
    return 2;
  }
  const int n = argc > 2 ? std::atoi(argv[2]) : 20000;
  CURL* easy = curl_easy_init();
  const std::string body =
      R"({"model":"gpt-4o","messages":[{"role":"user","content":"Hello, how are you?"}]})";
  curl_slist* headers = curl_slist_append(nullptr, "Content-Type: application/json");
  headers = curl_slist_append(headers, "Authorization: Bearer sk-upstream");
  headers = curl_slist_append(headers, "Expect:");
  curl_easy_setopt(easy, CURLOPT_URL, argv[1]);
  curl_easy_setopt(easy, CURLOPT_POSTFIELDS, body.c_str());
  curl_easy_setopt(easy, CURLOPT_HTTPHEADER, headers);
  curl_easy_setopt(easy, CURLOPT_WRITEFUNCTION, &discard);
  curl_easy_setopt(easy, CURLOPT_ACCEPT_ENCODING, "");
  const auto t0 = std::chrono::steady_clock::now();
  for (int i = 0; i < n; ++i) {
    curl_easy_perform(easy);
  }
  const auto us = std::chrono::duration<double, std::micro>(std::chrono::steady_clock::now() - t0);
  std::printf("libcurl keep-alive POST: %.1f us per request (%d requests)\n", us.count() / n, n);
  curl_slist_free_all(headers);
  curl_easy_cleanup(easy);
  return 0;
}
