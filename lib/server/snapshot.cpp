#include "server/gateway_state.hpp"
#include "spend/cost.hpp"

namespace litellm::server {

namespace {

std::optional<double> number_in(const nlohmann::json& obj, const char* key) {
  const auto it = obj.find(key);
  if (it == obj.end() || !it->is_number()) {
    return std::nullopt;
  }
  return it->get<double>();
}

spend::ModelPrice price_for(const config::DeploymentConfig& d) {
  // litellm_params prices win over model_info's, which win over the table's.
  const auto pick = [&](const std::optional<double>& own, const char* key) {
    if (own) {
      return own;
    }
    if (auto v = number_in(d.default_params, key)) {
      return v;
    }
    return number_in(d.model_info, key);
  };
  spend::PriceOverrides o;
  o.input_cost_per_token = pick(d.input_cost_per_token, "input_cost_per_token");
  o.output_cost_per_token = pick(d.output_cost_per_token, "output_cost_per_token");
  o.cache_read_input_token_cost = pick(std::nullopt, "cache_read_input_token_cost");
  o.cache_creation_input_token_cost = pick(std::nullopt, "cache_creation_input_token_cost");
  std::string base_model;
  if (const auto it = d.model_info.find("base_model");
      it != d.model_info.end() && it->is_string()) {
    base_model = it->get<std::string>();
  }
  auto p = spend::resolve_price(spend::PriceTable::builtin(), d.model, base_model, o);
  for (const char* key : {"max_input_tokens", "max_output_tokens"}) {
    if (const auto v = number_in(d.model_info, key)) {
      (std::string_view(key) == "max_input_tokens" ? p.max_input_tokens : p.max_output_tokens) =
          static_cast<std::int64_t>(*v);
    }
  }
  if (const auto it = d.model_info.find("mode"); it != d.model_info.end() && it->is_string()) {
    p.mode = it->get<std::string>();
  }
  p.provider = d.provider;  // who serves it here, not who lists the model in the price map
  return p;
}

}  // namespace

std::optional<std::int64_t> output_limit_of(const config::DeploymentConfig& d) {
  return price_for(d).max_output_tokens;
}

std::shared_ptr<Snapshot> make_snapshot(config::Config config,
                                        std::shared_ptr<const router::ModelTable> table) {
  auto snap = std::make_shared<Snapshot>();
  snap->config = std::move(config);
  snap->table = std::move(table);
  for (const auto& d : snap->table->deployments()) {
    snap->prices.emplace(d.get(), price_for(d->config));
  }
  // The loader has checked every entry.
  for (const auto& ip : snap->config.allowed_ips) {
    if (auto n = core::IpNetwork::parse(ip)) {
      snap->allowed_ips.push_back(*n);
    }
  }
  for (const auto& ip : snap->config.blocked_ips) {
    if (auto n = core::IpNetwork::parse(ip)) {
      snap->blocked_ips.push_back(*n);
    }
  }
  return snap;
}

bool Snapshot::ip_allowed(std::string_view ip) const {
  for (const auto& n : blocked_ips) {
    if (n.contains(ip)) {
      return false;
    }
  }
  if (allowed_ips.empty()) {
    return true;
  }
  for (const auto& n : allowed_ips) {
    if (n.contains(ip)) {
      return true;
    }
  }
  return false;
}

std::optional<Error> Snapshot::refuse_ip(const http::Request& req) const {
  if (allowed_ips.empty() && blocked_ips.empty()) {
    return std::nullopt;
  }
  std::string ip = req.remote_ip;
  if (config.use_x_forwarded_for) {
    if (const auto fwd = req.header("x-forwarded-for"); !fwd.empty()) {
      ip = std::string(fwd.substr(0, fwd.find(',')));
      ip.erase(0, ip.find_first_not_of(' '));
      ip.erase(ip.find_last_not_of(' ') + 1);
    }
  }
  if (ip_allowed(ip)) {
    return std::nullopt;
  }
  return Error::make(ErrorCode::PermissionDenied,
                     "Access forbidden: IP address " + ip + " not allowed.");
}

const spend::ModelPrice& Snapshot::price_of(const router::Deployment& d) const {
  static const spend::ModelPrice kUnknown;
  const auto it = prices.find(&d);
  return it == prices.end() ? kUnknown : it->second;
}

}  // namespace litellm::server
