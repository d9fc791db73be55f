#include "support/redis_server.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <stdexcept>
#include <thread>

#include "support/exec_args.hpp"

namespace litellm::test {

namespace {

int free_port() {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof a;
  if (::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0 ||
      ::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len) != 0) {
    ::close(fd);
    throw std::runtime_error("no free port");
  }
  ::close(fd);
  return ntohs(a.sin_port);
}

// True once the server answers PING (with AUTH first when it needs a password).
bool answers(int port, const std::string& password) {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_port = htons(static_cast<std::uint16_t>(port));
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  bool ok = false;
  if (::connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0) {
    std::string cmd = password.empty() ? "" : "AUTH " + password + "\r\n";
    cmd += "PING\r\n";
    if (::write(fd, cmd.data(), cmd.size()) == static_cast<ssize_t>(cmd.size())) {
      std::string got;
      char buf[256];
      for (int i = 0; i < 50 && got.find("PONG") == std::string::npos; ++i) {
        const ssize_t n = ::read(fd, buf, sizeof buf);
        if (n <= 0) {
          break;
        }
        got.append(buf, static_cast<std::size_t>(n));
      }
      ok = got.find("PONG") != std::string::npos;
    }
  }
  ::close(fd);
  return ok;
}

}  // namespace

RedisServer::RedisServer(std::string password) : password_(std::move(password)) {
  for (int attempt = 0; attempt < 5 && pid_ < 0; ++attempt) {
    port_ = free_port();
    try {
      start();
    } catch (const std::exception&) {
      stop();
    }
  }
  if (pid_ < 0) {
    throw std::runtime_error("redis-server did not start (apt-get install redis-server)");
  }
}

RedisServer::~RedisServer() {
  stop();
}

std::string RedisServer::url() const {
  return "redis://" + (password_.empty() ? "" : ":" + password_ + "@") +
         "127.0.0.1:" + std::to_string(port_);
}

void RedisServer::start() {
  std::vector<std::string> args{"/usr/bin/redis-server",
                                "--port",
                                std::to_string(port_),
                                "--bind",
                                "127.0.0.1",
                                "--save",
                                "",
                                "--appendonly",
                                "no",
                                "--dir",
                                dir_.path(),
                                "--logfile",
                                dir_.path() + "/redis.log"};
  if (!password_.empty()) {
    args.insert(args.end(), {"--requirepass", password_});
  }
  auto argv = argv_of(args);
  auto envp = envp_with({});
  pid_ = fork();
  if (pid_ == 0) {
    const int null = ::open("/dev/null", O_RDWR);
    dup2(null, STDIN_FILENO);
    dup2(null, STDOUT_FILENO);
    execve(argv[0], argv.data(), envp.data());
    _exit(127);
  }
  for (int i = 0; i < 200; ++i) {
    if (answers(port_, password_)) {
      return;
    }
    int status = 0;
    if (waitpid(pid_, &status, WNOHANG) == pid_) {
      pid_ = -1;
      throw std::runtime_error("redis-server exited");
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(25));
  }
  throw std::runtime_error("redis-server did not answer");
}

void RedisServer::stop() {
  if (pid_ > 0) {
    ::kill(pid_, SIGKILL);
    int status = 0;
    waitpid(pid_, &status, 0);
    pid_ = -1;
  }
}

}  // namespace litellm::test
