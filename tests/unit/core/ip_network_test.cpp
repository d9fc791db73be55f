#include "core/ip_network.hpp"

#include <doctest/doctest.h>

using litellm::core::IpNetwork;

TEST_CASE("ip networks: addresses and CIDR ranges, IPv4 and IPv6") {
  const auto one = IpNetwork::parse("10.0.0.7");
  REQUIRE(one.has_value());
  CHECK(one->contains("10.0.0.7"));
  CHECK_FALSE(one->contains("10.0.0.8"));
  CHECK(one->contains("::ffff:10.0.0.7"));  // how a dual-stack socket reports IPv4
  const auto net = IpNetwork::parse("192.168.0.0/16");
  REQUIRE(net.has_value());
  CHECK(net->contains("192.168.44.1"));
  CHECK_FALSE(net->contains("192.169.0.1"));
  const auto v6 = IpNetwork::parse("fd00::/8");
  REQUIRE(v6.has_value());
  CHECK(v6->contains("fd12:3456::1"));
  CHECK_FALSE(v6->contains("fe80::1"));
  CHECK_FALSE(v6->contains("not an address"));
  CHECK(IpNetwork::parse("0.0.0.0/0")->contains("8.8.8.8"));
  for (const char* bad : {"", "10.0.0", "10.0.0.0/33", "10.0.0.0/", "::1/129", "localhost"}) {
    CHECK_FALSE_MESSAGE(IpNetwork::parse(bad).has_value(), bad);
  }
}
