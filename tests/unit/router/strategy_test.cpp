// Routing strategies with chance fixed: each draw is named, so each pick is known.
#include "router/strategy.hpp"

#include <deque>
#include <memory>
#include <vector>

#include <doctest/doctest.h>

namespace litellm::router {
namespace {

// Answers the draws it was given, in order.
class FixedRandom final : public core::Random {
 public:
  explicit FixedRandom(std::deque<double> draws) : draws_(std::move(draws)) {}
  double uniform() override {
    REQUIRE(!draws_.empty());
    const double d = draws_.front();
    draws_.pop_front();
    return d;
  }

 private:
  std::deque<double> draws_;
};

struct Group {
  std::vector<std::unique_ptr<Deployment>> owned;
  ModelGroup group;
  Deployment& add(const std::string& id) {
    owned.push_back(std::make_unique<Deployment>());
    owned.back()->config.id = id;
    group.deployments.push_back(owned.back().get());
    return *owned.back();
  }
  std::string pick(double draw) const {
    FixedRandom r({draw});
    return simple_shuffle().pick(group, group.deployments, r)->config.id;
  }
};

}  // namespace

TEST_CASE("simple-shuffle: weighted by weight, else rpm, else tpm; zero never drawn") {
  Group g;
  g.add("a").config.weight = 1;
  g.add("b").config.weight = 3;
  CHECK(g.pick(0.0) == "a");
  CHECK(g.pick(0.24) == "a");  // a holds the first quarter
  CHECK(g.pick(0.26) == "b");
  CHECK(g.pick(0.999) == "b");

  Group by_rpm;
  by_rpm.add("a").config.rpm = 900;
  by_rpm.add("b").config.rpm = 100;
  CHECK(by_rpm.pick(0.85) == "a");
  CHECK(by_rpm.pick(0.95) == "b");

  Group by_tpm;
  by_tpm.add("a").config.tpm = 10;
  by_tpm.add("b").config.tpm = 30;
  CHECK(by_tpm.pick(0.2) == "a");
  CHECK(by_tpm.pick(0.3) == "b");

  Group zero;
  zero.add("off").config.weight = 0;
  zero.add("on").config.weight = 2;
  CHECK(zero.pick(0.0) == "on");
  CHECK(zero.pick(0.999) == "on");

  Group none;  // no weights at all: alike
  none.add("a");
  none.add("b");
  none.add("c");
  CHECK(none.pick(0.1) == "a");
  CHECK(none.pick(0.5) == "b");
  CHECK(none.pick(0.9) == "c");

  Group all_zero;
  all_zero.add("a").config.weight = 0;
  all_zero.add("b").config.weight = 0;
  CHECK(all_zero.pick(0.3) == "a");
  CHECK(all_zero.pick(0.7) == "b");
}

TEST_CASE("simple-shuffle: the process's chance lands where the weights say") {
  Group g;
  g.add("a").config.weight = 1;
  g.add("b").config.weight = 3;
  int b = 0;
  constexpr int kDraws = 4000;
  for (int i = 0; i < kDraws; ++i) {
    b += simple_shuffle()
             .pick(g.group, g.group.deployments, core::SystemRandom::instance())
             ->config.id == "b";
  }
  // 3,000 expected; the bounds are 8 standard deviations (27) wide on either side.
  CHECK(b > 2780);
  CHECK(b < 3220);
}

}  // namespace litellm::router
