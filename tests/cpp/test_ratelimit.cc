#include <catch2/catch.hpp>

#include "finfusion/ratelimit.h"

using namespace finfusion;
using ratelimit::check;
using ratelimit::State;

TEST_CASE("a burst, then one request per interval, exactly at the boundary", "[ratelimit]") {
  keys::RateLimit two_per_second{2, 1000};
  State s;
  auto a = check(two_per_second, s, 0);
  REQUIRE(a.ok());
  CHECK(a->allowed);
  CHECK(a->remaining == 1);
  auto b = check(two_per_second, a->state, 0);
  CHECK(b->allowed);
  CHECK(b->remaining == 0);
  CHECK(b->reset_after == 1000);
  auto c = check(two_per_second, b->state, 0);
  CHECK_FALSE(c->allowed);
  CHECK(c->retry_after == 500);
  CHECK(c->state.tat_ms == b->state.tat_ms);  // a refusal changes nothing
  // A millisecond before the slot opens: refused; at it: allowed.
  CHECK_FALSE(check(two_per_second, b->state, 499)->allowed);
  CHECK(check(two_per_second, b->state, 499)->retry_after == 1);
  CHECK(check(two_per_second, b->state, 500)->allowed);
  // After a full idle window the whole burst is back.
  auto later = check(two_per_second, b->state, 5000);
  CHECK(later->allowed);
  CHECK(later->remaining == 1);
}

TEST_CASE("fractional intervals stay exact", "[ratelimit]") {
  keys::RateLimit three_per_ten{3, 10000};  // one every 3333.33 ms
  State s;
  for (int i = 0; i < 3; ++i) {
    auto d = check(three_per_ten, s, 0);
    REQUIRE(d->allowed);
    s = d->state;
  }
  CHECK(s.tat_ms == 10000);
  CHECK(s.tat_frac == 0);
  CHECK_FALSE(check(three_per_ten, s, 3333)->allowed);
  CHECK(check(three_per_ten, s, 3334)->allowed);
  // Requests at their earliest allowed instants: the n-th after the burst lands at exactly
  // ceil(n * 10000 / 3) ms, however long it runs (no drift from rounding).
  State t;
  time::Millis now = 0;
  long long after_burst = -3;
  for (int i = 0; i < 3000; ++i) {
    auto d = check(three_per_ten, t, now);
    if (d->allowed) {
      ++after_burst;
      if (after_burst > 0) REQUIRE(now == (after_burst * 10000 + 2) / 3);
      t = d->state;
    } else {
      now += d->retry_after;
    }
  }
  CHECK(after_burst > 1000);
}

TEST_CASE("cost, large limits and bad arguments", "[ratelimit]") {
  auto d = check({10, 1000}, {}, 0, 10);
  CHECK(d->allowed);
  CHECK(d->remaining == 0);
  CHECK(check({10, 1000}, {}, 0, 11).code() == Code::kInvalidRequest);
  CHECK(check({10, 1000}, {}, 0, 0).code() == Code::kInvalidRequest);
  CHECK(check({0, 1000}, {}, 0).code() == Code::kInvalidRequest);
  CHECK(check({10, 0}, {}, 0).code() == Code::kInvalidRequest);
  CHECK(check({10, 1000}, {0, 10}, 0).code() == Code::kInvalidRequest);
  // A billion requests a second at a far-future instant does not overflow.
  auto big = check({1'000'000'000, 1000}, {}, time::kMaxInstant);
  REQUIRE(big.ok());
  CHECK(big->allowed);
  CHECK(big->remaining == 999'999'999);
}
