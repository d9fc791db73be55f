#pragma once

#include <memory>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "server/gateway_state.hpp"

namespace litellm::server {

// One request on its way to its route's handler: what every handler is given. Made once the
// caller is known (on an io thread, or on a blocking-pool thread after a key was read);
// handlers copy what their asynchronous work needs out of it.
struct RequestContext {
  Gateway::Impl& gw;
  http::Request& req;
  http::Responder responder;
  std::string call_id;                   // x-litellm-call-id
  std::shared_ptr<const Snapshot> snap;  // the config taken at entry, kept to the end
  Caller caller;
  std::string arg;  // what the route pattern's capture took

  void reply(http::Response r) const;
  void fail(const Error& e) const;
  // The request body as a JSON object ({} for a bodiless POST or a GET); nullopt once it has
  // answered 400 for a body that is not one.
  std::optional<nlohmann::json> body_object() const;
};

}  // namespace litellm::server
