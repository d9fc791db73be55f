// Replies written to the client: a whole answer's head and body in one write, or a stream's
// pieces as they come.
#include "http/detail/server_parts.hpp"

namespace litellm::http {

std::string whole_response_head(const Response& r, bool keep_alive) {
  const auto reason = bhttp::obsolete_reason(static_cast<bhttp::status>(r.status));
  const std::string length = std::to_string(r.body.size());
  std::size_t size = 80 + reason.size() + r.content_type.size() + length.size();
  for (const auto& [k, v] : r.headers) {
    size += k.size() + v.size() + 4;
  }
  std::string head;
  head.reserve(size);
  head.append("HTTP/1.1 ").append(std::to_string(r.status)).append(" ");
  head.append(reason.data(), reason.size()).append("\r\n");
  head.append("Content-Type: ").append(r.content_type).append("\r\n");
  for (const auto& [k, v] : r.headers) {
    // The framing is ours to write; a header that would end the head early is dropped.
    if (core::has_line_break(k) || core::has_line_break(v) || beast::iequals(k, "Content-Length") ||
        beast::iequals(k, "Transfer-Encoding") || beast::iequals(k, "Connection")) {
      continue;
    }
    head.append(k).append(": ").append(v).append("\r\n");
  }
  head.append("Content-Length: ").append(length).append("\r\n");
  if (!keep_alive) {
    head.append("Connection: close\r\n");
  }
  head.append("\r\n");
  return head;
}

net::awaitable<bool> ServerFront::Impl::write_reply(ClientConnection& conn, Reply& reply,
                                                    bool keep_alive, bool head_only) const {
  beast::error_code ec;
  auto& stream = conn.stream;
  if (!reply.stream) {
    const std::string head = whole_response_head(reply.response, keep_alive);
    const std::array<net::const_buffer, 2> buffers{
        net::buffer(head),
        net::buffer(reply.response.body.data(), head_only ? 0 : reply.response.body.size())};
    const std::size_t size = net::buffer_size(buffers);
    // Written at once when the socket takes it all (the usual case): an asynchronous write's
    // completion would take a turn of the loop. What does not fit goes out asynchronously.
    const std::size_t written = stream.socket().write_some(buffers, ec);
    if (ec == net::error::would_block || ec == net::error::try_again) {
      ec = {};
    }
    if (!ec && written < size) {
      beast::buffers_suffix<std::array<net::const_buffer, 2>> rest(buffers);
      rest.consume(written);
      stream.expires_after(options.write_timeout);
      co_await net::async_write(stream, rest, net::redirect_error(net::use_awaitable, ec));
    }
    co_return !ec;
  }
  bhttp::response<bhttp::empty_body> head{static_cast<bhttp::status>(reply.response.status), 11};
  head.set(bhttp::field::content_type, reply.response.content_type);
  head.set(bhttp::field::cache_control, "no-cache");
  for (const auto& [k, v] : reply.response.headers) {
    head.insert(k, v);
  }
  head.keep_alive(keep_alive);
  head.chunked(true);
  bhttp::response_serializer<bhttp::empty_body> sr{head};
  stream.expires_after(options.write_timeout);
  co_await bhttp::async_write_header(stream, sr, net::redirect_error(net::use_awaitable, ec));
  auto source = reply.stream;
  conn.active_stream = source;
  const auto strand = stream.get_executor();
  while (!ec) {
    stream.expires_never();
    StreamPiece piece =
        co_await net::async_initiate<decltype(net::use_awaitable), void(StreamPiece)>(
            [&](auto completion) {
              auto held = std::make_shared<decltype(completion)>(std::move(completion));
              source->next([held, strand](StreamPiece p) {
                net::post(strand, [held, p = std::move(p)]() mutable { (*held)(std::move(p)); });
              });
            },
            net::use_awaitable);
    stream.expires_after(options.write_timeout);
    if (!piece.data.empty()) {
      co_await net::async_write(stream, bhttp::make_chunk(net::buffer(piece.data)),
                                net::redirect_error(net::use_awaitable, ec));
    }
    if (piece.done) {
      if (!ec) {
        co_await net::async_write(stream, bhttp::make_chunk_last(),
                                  net::redirect_error(net::use_awaitable, ec));
      }
      break;
    }
  }
  conn.active_stream.reset();
  if (ec) {
    source->cancel();
  }
  co_return !ec;
}

}  // namespace litellm::http
