#pragma once

#include <string>

namespace litellm::test {

// A throwaway certificate authority and a server certificate it signed for 127.0.0.1 and
// localhost, made with the openssl command once per test process and removed at exit.
struct TlsFiles {
  std::string ca;    // the CA's certificate (PEM): what a client must trust
  std::string cert;  // the server's certificate (PEM)
  std::string key;   // the server's private key (PEM)
};
const TlsFiles& test_tls_files();

}  // namespace litellm::test
