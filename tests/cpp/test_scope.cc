#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "finfusion/scope.h"

using namespace finfusion::scopes;
using finfusion::Code;

namespace {
ScopeSet set(std::vector<std::string> texts) {
  auto r = ScopeSet::Create(texts);
  REQUIRE(r.ok());
  return *r;
}
bool allowed(const std::vector<std::string>& granted, const char* required) {
  auto r = allows(set(granted), required);
  REQUIRE(r.ok());
  return *r;
}
}  // namespace

TEST_CASE("scope lists parse to a canonical form", "[scope]") {
  CHECK(set({"reporting", "payments", "kyc", "payments"}).to_strings() ==
        std::vector<std::string>{"kyc", "payments", "reporting"});
  CHECK(set({"payments:*", "!payments:refund", "*"}).to_strings() ==
        std::vector<std::string>{"!payments:refund", "*", "payments:*"});
  CHECK(set({}).empty());
  auto s = Scope::Create("!a:b:*");
  REQUIRE(s.ok());
  CHECK(s->deny());
  CHECK(s->wildcard());
  CHECK(s->path() == std::vector<std::string>{"a", "b"});
}

TEST_CASE("invalid scopes are errors, never normalised", "[scope]") {
  for (const char* bad : {"", "Payments", "payments:Refund", "paymënts", "pay ments", " payments",
                          "payments:", ":payments", "a::b", "**", "payments:**", "pay*",
                          "payments:*:refund", "*:payments", "!", "!!payments", "payments!",
                          "a:b:c:d:e:f:g:h:i", "payments/refund", "payments.refund"}) {
    INFO(bad);
    CHECK(Scope::Create(bad).code() == Code::kInvalidScope);
  }
  CHECK(Scope::Create(std::string(129, 'a')).code() == Code::kInvalidScope);
  CHECK(Scope::Create(std::string(33, 'a')).code() == Code::kInvalidScope);
  CHECK(Scope::Create(std::string(32, 'a')).ok());
  auto list = ScopeSet::Create({"payments", "BAD"});
  CHECK(list.code() == Code::kInvalidScope);
  CHECK_THAT(list.status().message(), Catch::Contains("entry 1"));
  CHECK(ScopeSet::Create(std::vector<std::string>(257, "a")).code() == Code::kInvalidScope);
}

TEST_CASE("allows: hierarchy, wildcards, denies", "[scope]") {
  CHECK(allowed({"payments", "kyc", "reporting"}, "payments"));
  CHECK(allowed({"payments"}, "payments:refund:create"));
  CHECK_FALSE(allowed({"payments:refund"}, "payments"));
  CHECK_FALSE(allowed({"payments"}, "paymentsx"));
  CHECK(allowed({"payments:*"}, "payments:charge"));
  CHECK_FALSE(allowed({"payments:*"}, "payments"));
  CHECK(allowed({"payments:*"}, "payments:*"));
  CHECK(allowed({"payments"}, "payments:*"));
  CHECK_FALSE(allowed({"payments:charge"}, "payments:*"));
  CHECK(allowed({"*"}, "anything:at:all"));
  CHECK(allowed({"*"}, "*"));
  CHECK_FALSE(allowed({}, "payments"));
  // Denies win, and block a request that would include what they deny.
  CHECK_FALSE(allowed({"payments", "!payments:refund"}, "payments:refund"));
  CHECK_FALSE(allowed({"payments", "!payments:refund"}, "payments:refund:create"));
  CHECK_FALSE(allowed({"payments", "!payments:refund"}, "payments"));
  CHECK(allowed({"payments", "!payments:refund"}, "payments:charge"));
  CHECK_FALSE(allowed({"*", "!kyc"}, "kyc:read"));
  CHECK(allowed({"*", "!kyc"}, "reporting"));
  CHECK_FALSE(allowed({"*", "!*"}, "reporting"));
  CHECK(allows(set({"a"}), "!a").code() == Code::kInvalidScope);
  CHECK(allows(set({"a"}), "A").code() == Code::kInvalidScope);
  CHECK(allows_all(set({"payments", "kyc"}), set({"payments:charge", "kyc"})));
  CHECK_FALSE(allows_all(set({"payments"}), set({"payments:charge", "kyc"})));
  CHECK(allows_all(set({}), set({})));
}

TEST_CASE("is_subset: a restricted key never exceeds its parent", "[scope]") {
  auto parent = set({"payments", "kyc:read", "!payments:refund"});
  CHECK(is_subset(set({"kyc:read"}), parent));
  CHECK(is_subset(set({}), parent));
  CHECK(is_subset(set({"payments:charge"}), parent));
  CHECK_FALSE(is_subset(set({"kyc"}), parent));
  CHECK_FALSE(is_subset(set({"reporting"}), parent));
  CHECK_FALSE(is_subset(set({"*"}), parent));
  // payments would include the parent's denied refund, unless the child denies it too.
  CHECK_FALSE(is_subset(set({"payments"}), parent));
  CHECK(is_subset(set({"payments", "!payments:refund"}), parent));
  CHECK(is_subset(set({"payments", "!payments"}), parent));
  CHECK_FALSE(is_subset(set({"payments", "!payments:refund:create"}), parent));
  CHECK_FALSE(is_subset(set({"payments:refund"}), parent));
  CHECK(is_subset(set({"payments:*", "!payments:refund"}), set({"payments", "!payments:refund"})));
  CHECK(is_subset(set({"a:b"}), set({"a:*"})));
  CHECK_FALSE(is_subset(set({"a"}), set({"a:*"})));
  CHECK(is_subset(set({"a:*"}), set({"a"})));
  CHECK(is_subset(set({"a", "b"}), set({"*"})));
}

TEST_CASE("within and overlaps agree with their set reading", "[scope]") {
  // A brute-force check over a small universe of concrete scopes.
  std::vector<std::string> universe = {"a", "a:b", "a:b:c", "a:d", "e", "e:f"};
  std::vector<std::string> entries = {"*", "a", "a:*", "a:b", "a:b:*", "a:b:c", "e", "e:*", "a:d"};
  auto members = [&](const Scope& s) {
    std::vector<bool> in;
    for (const auto& u : universe) in.push_back(*allows(set({s.text()}), u));
    return in;
  };
  for (const auto& x : entries) {
    for (const auto& y : entries) {
      auto sx = *Scope::Create(x);
      auto sy = *Scope::Create(y);
      auto mx = members(sx);
      auto my = members(sy);
      bool subset = true, meet = false;
      for (std::size_t i = 0; i < universe.size(); ++i) {
        subset = subset && (!mx[i] || my[i]);
        meet = meet || (mx[i] && my[i]);
      }
      INFO(x << " vs " << y);
      if (!subset) CHECK_FALSE(sx.within(sy));
      if (meet) CHECK(sx.overlaps(sy));
    }
  }
}
