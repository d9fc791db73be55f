#pragma once

#include <map>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "client/daemon_client.hpp"
#include "spend/price_table.hpp"

namespace litellm::cli {

// What the daemon charges per deployment, read once from its /model/info, so the chat can show
// the cost of a streamed answer (whose headers went out before the cost was known).
class PriceBook {
 public:
  explicit PriceBook(const client::DaemonClient& daemon) : daemon_(daemon) {}

  // USD for `usage` (an OpenAI usage object) on the deployment `deployment_id`; nullopt when
  // the daemon does not know its prices or cannot be asked.
  std::optional<double> cost(const std::string& deployment_id, const nlohmann::json& usage);

 private:
  const client::DaemonClient& daemon_;
  bool loaded_ = false;
  std::map<std::string, spend::ModelPrice> by_id_;
};

// "$0.0021", "$0.000004", "$1.50": enough digits to see a small cost, no exponent.
std::string format_usd(double usd);

}  // namespace litellm::cli
