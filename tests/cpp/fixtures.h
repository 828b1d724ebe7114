// What several test files build the same way.
#pragma once

#include <string>

#include "finfusion/hash.h"
#include "finfusion/secret.h"

namespace finfusion::testing {

// A hasher with one fixed pepper "p1": stored hashes are reproducible from run to run.
inline hashing::Hasher fixed_hasher() {
  return *hashing::Hasher::Create({{"p1", SecretBytes::FromView(std::string(32, '\x07'))}}, "p1");
}

}  // namespace finfusion::testing
