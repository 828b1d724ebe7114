// Type-table overrides (JSON from a deployment).
// Properties: an accepted table serialises to JSON that re-creates the same table; every
// rejection is invalid_request; deep nesting, duplicate keys, huge numbers and bad UTF-8 are
// rejected without crashing.
#include "finfusion/key_type.h"
#include "fuzz_common.h"

using namespace finfusion;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  auto table = keys::TypeTable::Create(fuzz::as_text(data, size));
  if (!table.ok()) {
    fuzz::require(table.code() == Code::kInvalidRequest, "type-table rejections are invalid_request");
    return 0;
  }
  std::string json = table->to_json();
  auto again = keys::TypeTable::Create(json);
  fuzz::require(again.ok() && again->to_json() == json, "an accepted table round-trips");
  for (auto t : keys::kAllTypes) {
    const auto& p = table->get(t);
    fuzz::require(p.rotation_warning < p.rotation_period && p.rotation_period <= p.max_lifetime,
                  "accepted policies are consistent");
    fuzz::require(p.rate_limit.requests >= 1 && p.rate_limit.window >= 1, "rate limits are positive");
  }
  return 0;
}
