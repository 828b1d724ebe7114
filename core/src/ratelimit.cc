#include "finfusion/ratelimit.h"

#include <algorithm>

namespace finfusion::ratelimit {
namespace {

// Instants scaled by the limit's request count: 1 unit = 1/R ms. Products of an instant
// (< 2^48) and R (< 2^30) need more than 64 bits.
__extension__ typedef __int128 Wide;  // GCC and Clang, native and WebAssembly

Wide ceil_div(Wide a, Wide b) { return a <= 0 ? 0 : (a + b - 1) / b; }

}  // namespace

Result<Decision> check(const keys::RateLimit& limit, const State& state, time::Millis now,
                       std::int64_t cost) {
  if (limit.requests < 1 || limit.window < 1) {
    return Status(Code::kInvalidRequest, "rate limit: requests and window must be at least 1");
  }
  if (cost < 1 || cost > limit.requests) {
    return Status(Code::kInvalidRequest, "rate limit: cost must be between 1 and the limit's requests");
  }
  if (state.tat_frac < 0 || state.tat_frac >= limit.requests) {
    return Status(Code::kInvalidRequest, "rate limit: state fraction out of range");
  }
  const Wide r = limit.requests;
  const Wide w = limit.window;          // one request's emission interval, in scaled units
  const Wide burst = r * w;             // the window, in scaled units
  const Wide now_s = static_cast<Wide>(now) * r;
  const Wide stored = static_cast<Wide>(state.tat_ms) * r + state.tat_frac;
  const Wide tat = std::max(stored, now_s);
  const Wide next = tat + static_cast<Wide>(cost) * w;

  Decision d;
  d.limit = limit.requests;
  Wide after = tat;
  if (next - now_s > burst) {
    d.allowed = false;
    d.retry_after = static_cast<time::Millis>(ceil_div(next - now_s - burst, r));
    d.state = state;
  } else {
    d.allowed = true;
    after = next;
    d.state = State{static_cast<time::Millis>(after / r), static_cast<std::int64_t>(after % r)};
  }
  d.remaining = static_cast<std::int64_t>(std::max<Wide>(0, (now_s + burst - after) / w));
  d.reset_after = static_cast<time::Millis>(ceil_div(after - now_s, r));
  return d;
}

}  // namespace finfusion::ratelimit
