#include "server/request_context.hpp"

#include "server/error_response.hpp"

namespace litellm::server {

void RequestContext::reply(http::Response r) const {
  responder.reply(http::Reply{std::move(r), nullptr});
}

void RequestContext::fail(const Error& e) const {
  reply(error_response(e, call_id));
}

std::optional<nlohmann::json> RequestContext::body_object() const {
  if (req.method != "POST" || req.body.empty()) {
    return nlohmann::json::object();
  }
  auto body = nlohmann::json::parse(req.body, nullptr, false);
  if (body.is_discarded() || !body.is_object()) {
    fail(Error::invalid("the request body is not a JSON object"));
    return std::nullopt;
  }
  return body;
}

}  // namespace litellm::server
