#include "support/tls_files.hpp"

#include <memory>
#include <stdexcept>

#include "support/daemon_process.hpp"

namespace litellm::test {

namespace {

void openssl(const TempDir& dir, const std::vector<std::string>& args) {
  std::vector<std::string> argv = {"-c", "cd '" + dir.path() + "' && openssl \"$@\"", "openssl"};
  argv.insert(argv.end(), args.begin(), args.end());
  const auto r = run_binary("/bin/sh", argv);
  if (r.exit_code != 0) {
    throw std::runtime_error("openssl " + args.front() + " failed: " + r.output);
  }
}

}  // namespace

const TlsFiles& test_tls_files() {
  // EC keys: made in milliseconds, where RSA keys take a noticeable moment on a slow machine.
  static const auto kDir = std::make_unique<TempDir>();
  static const TlsFiles kFiles = [] {
    const std::vector<std::string> ec = {"-newkey", "ec", "-pkeyopt",
                                         "ec_paramgen_curve:prime256v1", "-nodes"};
    auto with = [](std::vector<std::string> a, const std::vector<std::string>& b) {
      a.insert(a.end(), b.begin(), b.end());
      return a;
    };
    openssl(*kDir, with({"req", "-x509"}, with(ec, {"-keyout", "ca.key", "-out", "ca.pem", "-days",
                                                    "2", "-subj", "/CN=litellm-cpp test CA"})));
    openssl(*kDir, with({"req"}, with(ec, {"-keyout", "server.key", "-out", "server.csr", "-subj",
                                           "/CN=127.0.0.1"})));
    kDir->write("san.ext", "subjectAltName=IP:127.0.0.1,DNS:localhost\n");
    openssl(*kDir, {"x509", "-req", "-in", "server.csr", "-CA", "ca.pem", "-CAkey", "ca.key",
                    "-CAcreateserial", "-out", "server.pem", "-days", "2", "-extfile", "san.ext"});
    return TlsFiles{kDir->path() + "/ca.pem", kDir->path() + "/server.pem",
                    kDir->path() + "/server.key"};
  }();
  return kFiles;
}

}  // namespace litellm::test
