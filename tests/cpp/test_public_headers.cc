// Includes every public header. The traps below fail the build if one of them leaks the
// crypto backend or the JSON library into users' code (STYLE.md: Tink's header trap).
#include "finfusion/audit.h"
#include "finfusion/client.h"
#include "finfusion/hash.h"
#include "finfusion/key.h"
#include "finfusion/key_type.h"
#include "finfusion/lifecycle.h"
#include "finfusion/ratelimit.h"
#include "finfusion/registry.h"
#include "finfusion/scope.h"
#include "finfusion/secret.h"
#include "finfusion/signing.h"
#include "finfusion/status.h"
#include "finfusion/store.h"
#include "finfusion/structured_field.h"
#include "finfusion/time.h"
#include "finfusion/usage.h"
#include "finfusion/vault.h"
#include "finfusion/version.h"
#include "finfusion/webhooks.h"

#if defined(sodium_H) || defined(SODIUM_EXPORT)
#error "a public header includes sodium.h"
#endif
#if defined(INCLUDE_NLOHMANN_JSON_HPP_) || defined(NLOHMANN_JSON_VERSION_MAJOR)
#error "a public header includes nlohmann/json.hpp"
#endif

#include <catch2/catch.hpp>

TEST_CASE("public headers stand alone and report the version", "[headers]") {
  CHECK(finfusion::version() == FINFUSION_EXPECTED_VERSION);
}
