// finfusion/ratelimit.h - per-key rate limits: GCRA (the generic cell rate algorithm),
// exact and deterministic with the injected clock.
//
// A limit of R requests per window W allows a burst of R and then one request every W/R.
// The state is one instant (the theoretical arrival time), kept exactly as whole
// milliseconds plus a fraction in units of 1/R ms, so no rounding ever drifts.
//
//   finfusion::ratelimit::State state;                        // a fresh key
//   auto d = finfusion::ratelimit::check({100, 1000}, state, now);
//   if (!d->allowed) reply_429(d->retry_after);                 // milliseconds
//   state = d->state;                                           // store it
#pragma once

#include <cstdint>

#include "finfusion/key_type.h"
#include "finfusion/status.h"
#include "finfusion/time.h"

namespace finfusion::ratelimit {

// A default State is a key never seen: its arrival time lies before every instant.
struct State {
  time::Millis tat_ms = time::kMinInstant;  // theoretical arrival time, whole milliseconds
  std::int64_t tat_frac = 0;   // and the fraction, in 1/requests of a millisecond
};

struct Decision {
  bool allowed = false;
  std::int64_t limit = 0;         // requests per window
  std::int64_t remaining = 0;     // requests still allowed right now, after this one
  time::Millis retry_after = 0;   // when refused: wait this long (0 when allowed)
  time::Millis reset_after = 0;   // until the full burst is available again
  State state;                    // the state to store (unchanged when refused)
};

// Decides one request of `cost` units at `now`. A refusal changes nothing, so a client
// hammering a refused key does not push its own reset further away.
// Errors: invalid_request for a limit with requests < 1 or window < 1 ms, a cost < 1 or
// above the limit's burst (it could never be allowed), or a state fraction out of range.
Result<Decision> check(const keys::RateLimit& limit, const State& state, time::Millis now,
                       std::int64_t cost = 1);

}  // namespace finfusion::ratelimit
