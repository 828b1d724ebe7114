#include "internal/sodium_init.h"

#include <sodium.h>

namespace finfusion::internal {

bool sodium_ready() noexcept {
  static const bool ready = sodium_init() >= 0;
  return ready;
}

}  // namespace finfusion::internal
