// One libcurl multi handle driven on one io loop: transfers started, their sockets watched
// with the loop's epoll, curl's timer, and each transfer's end.
#include "http/detail/curl_parts.hpp"

namespace litellm::http {

Error transport_error(CURLcode code, const char* detail) {
  std::string what = detail != nullptr && detail[0] != '\0' ? detail : curl_easy_strerror(code);
  if (code == CURLE_OPERATION_TIMEDOUT) {
    return Error::make(ErrorCode::Timeout, "Request timed out. " + what);
  }
  return Error::make(ErrorCode::UpstreamUnavailable, "Connection error: " + what);
}

std::string origin_of(const std::string& url) {
  const auto scheme = url.find("://");
  const auto from = scheme == std::string::npos ? 0 : scheme + 3;
  return url.substr(0, url.find_first_of("/?#", from));
}

void Driver::start(const std::shared_ptr<TransferImpl>& t) {
  if (t->cancelled.load() || stopped || !admit(t)) {
    return;
  }
  CURL* easy = nullptr;
  if (!spare.empty()) {
    easy = spare.back();
    spare.pop_back();
  } else {
    easy = curl_easy_init();
  }
  t->easy = easy;
  const auto& r = t->req;
  curl_easy_setopt(easy, CURLOPT_URL, r.url.c_str());
  curl_easy_setopt(easy, CURLOPT_PRIVATE, t.get());
  curl_easy_setopt(easy, CURLOPT_WRITEFUNCTION, &TransferImpl::on_write);
  curl_easy_setopt(easy, CURLOPT_WRITEDATA, t.get());
  curl_easy_setopt(easy, CURLOPT_HEADERFUNCTION, &TransferImpl::on_header);
  curl_easy_setopt(easy, CURLOPT_HEADERDATA, t.get());
  curl_easy_setopt(easy, CURLOPT_OPENSOCKETFUNCTION, &Driver::on_open);
  curl_easy_setopt(easy, CURLOPT_OPENSOCKETDATA, t.get());
  curl_easy_setopt(easy, CURLOPT_CLOSESOCKETFUNCTION, &Driver::on_close);
  curl_easy_setopt(easy, CURLOPT_CLOSESOCKETDATA, this);
  curl_easy_setopt(easy, CURLOPT_ERRORBUFFER, t->error_buffer);
  curl_easy_setopt(easy, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(easy, CURLOPT_ACCEPT_ENCODING, "");
  curl_easy_setopt(easy, CURLOPT_TCP_KEEPALIVE, 1L);
  curl_easy_setopt(easy, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(r.connect_timeout.count()));
  if (!options.verify_tls) {
    curl_easy_setopt(easy, CURLOPT_SSL_VERIFYPEER, 0L);
    curl_easy_setopt(easy, CURLOPT_SSL_VERIFYHOST, 0L);
  }
  if (!options.ca_file.empty()) {
    curl_easy_setopt(easy, CURLOPT_CAINFO, options.ca_file.c_str());
  }
  if (t->sink) {
    // A stream may legitimately last long; what must not happen is silence for `timeout`.
    const long secs = std::max<long>(1, static_cast<long>(r.timeout.count() / 1000));
    curl_easy_setopt(easy, CURLOPT_LOW_SPEED_LIMIT, 1L);
    curl_easy_setopt(easy, CURLOPT_LOW_SPEED_TIME, secs);
  } else {
    curl_easy_setopt(easy, CURLOPT_TIMEOUT_MS, static_cast<long>(r.timeout.count()));
  }
  if (r.method == "POST") {
    curl_easy_setopt(easy, CURLOPT_POST, 1L);
    curl_easy_setopt(easy, CURLOPT_POSTFIELDS, r.body.c_str());
    curl_easy_setopt(easy, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(r.body.size()));
  } else if (r.method != "GET") {
    curl_easy_setopt(easy, CURLOPT_CUSTOMREQUEST, r.method.c_str());
    if (!r.body.empty()) {
      curl_easy_setopt(easy, CURLOPT_POSTFIELDS, r.body.c_str());
      curl_easy_setopt(easy, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(r.body.size()));
    }
  }
  for (const auto& [k, v] : r.headers) {
    const std::string line = k + ": " + v;
    t->header_list = curl_slist_append(t->header_list, line.c_str());
  }
  t->header_list = curl_slist_append(t->header_list, "Expect:");
  curl_easy_setopt(easy, CURLOPT_HTTPHEADER, t->header_list);
  active.emplace(easy, t);
  call_curl([&] { curl_multi_add_handle(multi, easy); });
}

void Driver::drop(CURL* easy) {
  auto it = active.find(easy);
  if (it == active.end()) {
    return;
  }
  auto t = std::move(it->second);
  active.erase(it);
  curl_multi_remove_handle(multi, easy);
  settle_opening(*t, false);
  t->easy = nullptr;
  curl_easy_reset(easy);
  if (spare.size() < 256) {
    spare.push_back(easy);
  } else {
    curl_easy_cleanup(easy);
  }
}

void Driver::finish(CURL* easy, CURLcode code) {
  auto it = active.find(easy);
  if (it == active.end()) {
    return;
  }
  auto t = it->second;
  long status = 0;
  curl_easy_getinfo(easy, CURLINFO_RESPONSE_CODE, &status);
  std::string detail = t->error_buffer;
  settle_opening(*t, code == CURLE_OK);
  drop(easy);
  // The completions leave the transfer: whoever holds the transfer (a call keeps its current
  // one) may be held by them, and a transfer that finished inside send() would otherwise keep
  // that cycle, and the call with its bodies, alive for good.
  auto done = std::move(t->done);
  auto sink = std::move(t->sink);
  t->done = nullptr;
  if (t->cancelled.load()) {
    return;
  }
  if (code != CURLE_OK) {
    Error e = transport_error(code, detail.c_str());
    if (sink) {
      sink->on_end(std::move(e));
    } else {
      done(std::move(e));
    }
    return;
  }
  t->response.status = static_cast<int>(status);
  if (sink) {
    if (!t->head_done && is_2xx(status)) {
      sink->on_head(t->response.status, t->response.headers);
    }
    sink->on_end(std::move(t->response));
  } else {
    done(std::move(t->response));
  }
}

void Driver::process_done() {
  int left = 0;
  while (CURLMsg* msg = curl_multi_info_read(multi, &left)) {
    if (msg->msg == CURLMSG_DONE) {
      finish(msg->easy_handle, msg->data.result);
    }
  }
}

void Driver::settle() {
  // Bounded: a transfer that keeps asking for "now" gets the next turn of the loop, so the
  // other connections on this loop are not starved.
  for (int round = 0; round < 8 && !stopped; ++round) {
    ++depth;
    if (due_now) {
      due_now = false;
      deadline.reset();
      int running = 0;
      curl_multi_socket_action(multi, CURL_SOCKET_TIMEOUT, 0, &running);
    }
    process_done();
    --depth;
    if (!due_now) {
      return;
    }
  }
  if (due_now && !stopped) {
    post_due_now();
  }
}

void Driver::post_due_now() {
  if (due_now_posted) {
    return;
  }
  due_now_posted = true;
  net::post(ioc, [this] {
    due_now_posted = false;
    if (!stopped && due_now) {
      settle();
    }
  });
}

void Driver::watch(CURL* easy, curl_socket_t fd, int what) {
  auto it = sockets.find(fd);
  TransferImpl* t = nullptr;
  curl_easy_getinfo(easy, CURLINFO_PRIVATE, &t);
  if (t != nullptr && t->opening != 0 && t->opened_fd < 0 && it != sockets.end() &&
      it->second->owned) {
    settle_opening(*t, false);  // on a connection that was already open: nothing new to pace
  }
  if (what == CURL_POLL_REMOVE) {
    // An owned socket stays registered (curl keeps the connection for reuse, or closes it
    // through on_close); a pending wait that fires meanwhile finds `want` empty.
    if (it != sockets.end()) {
      it->second->want = 0;
      if (!it->second->owned) {
        it->second->closed = true;
        it->second->desc.release();
        sockets.erase(it);
      }
    }
    return;
  }
  if (it == sockets.end()) {
    it = sockets.emplace(fd, std::make_shared<Socket>(ioc, fd, false)).first;
  }
  it->second->want = what;
  arm(it->second);
}

void Driver::arm(const std::shared_ptr<Socket>& s) {
  if ((s->want & CURL_POLL_IN) != 0 && !s->reading) {
    s->reading = true;
    s->desc.async_wait(net::posix::descriptor_base::wait_read,
                       [this, s](const boost::system::error_code& ec) {
                         s->reading = false;
                         if (!ec) {
                           on_ready(s, CURL_CSELECT_IN);
                         }
                       });
  }
  if ((s->want & CURL_POLL_OUT) != 0 && !s->writing) {
    s->writing = true;
    s->desc.async_wait(net::posix::descriptor_base::wait_write,
                       [this, s](const boost::system::error_code& ec) {
                         s->writing = false;
                         if (!ec) {
                           on_ready(s, CURL_CSELECT_OUT);
                         }
                       });
  }
}

void Driver::on_ready(const std::shared_ptr<Socket>& s, int select) {
  const int bit = select == CURL_CSELECT_IN ? CURL_POLL_IN : CURL_POLL_OUT;
  if (s->closed || stopped || (s->want & bit) == 0) {
    return;  // curl stopped waiting for this before the wait fired
  }
  call_curl([&] {
    int running = 0;
    curl_multi_socket_action(multi, s->desc.native_handle(), select, &running);
  });
  if (!s->closed && !stopped) {
    arm(s);
  }
}

void Driver::set_timeout(long ms) {
  due_now = false;
  if (ms < 0) {
    deadline.reset();
    return;
  }
  const auto now = Clock::now();
  deadline = now + std::chrono::milliseconds(ms);
  if (ms == 0) {
    due_now = true;  // curl calls this from inside a call into it: settle() runs it
    if (depth == 0) {
      post_due_now();
    }
    return;
  }
  if (!timer_at || *timer_at > *deadline) {
    arm_timer(*deadline);
  }
}

void Driver::arm_timer(Clock::time_point at) {
  timer_at = at;
  const auto generation = ++timer_generation;
  timer.expires_at(at);
  timer.async_wait([this, generation](const boost::system::error_code& ec) {
    if (ec || generation != timer_generation || stopped) {
      return;  // re-armed (or stopped) since
    }
    timer_at.reset();
    if (!deadline) {
      return;
    }
    if (*deadline > Clock::now()) {
      arm_timer(*deadline);
      return;
    }
    due_now = true;
    settle();
  });
}

void Driver::shutdown() {
  stopped = true;
  pacer.shutdown();
  waiting.clear();
  std::vector<CURL*> handles;
  handles.reserve(active.size());
  for (auto& [easy, t] : active) {
    handles.push_back(easy);
  }
  for (CURL* easy : handles) {
    drop(easy);
  }
  for (CURL* easy : spare) {
    curl_easy_cleanup(easy);
  }
  spare.clear();
  curl_multi_cleanup(multi);  // closes the cached connections through on_close
  multi = nullptr;
  for (auto& [fd, s] : sockets) {
    s->closed = true;
    if (s->owned) {
      boost::system::error_code ec;
      s->desc.close(ec);
    } else {
      s->desc.release();
    }
  }
  sockets.clear();
  timer.cancel();
}

}  // namespace litellm::http
