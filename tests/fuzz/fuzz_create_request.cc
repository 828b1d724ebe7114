// The seed's create request (JSON from an API client).
// Properties: an accepted request's canonical JSON parses to the same request; accepted
// values respect the policy (expiry after now and within the type's lifetime, scope count,
// restricted rules); every rejection is invalid_request.
#include "finfusion/lifecycle.h"
#include "fuzz_common.h"

using namespace finfusion;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const keys::TypeTable table = keys::TypeTable::Defaults();
  constexpr time::Millis kNow = 1748779200000;  // 2025-06-01T12:00:00Z
  auto req = lifecycle::parse_create_request(fuzz::as_text(data, size), kNow, table);
  if (!req.ok()) {
    fuzz::require(req.code() == Code::kInvalidRequest, "create-request rejections are invalid_request");
    return 0;
  }
  const auto& policy = table.get(req->type);
  fuzz::require(req->expires_at > kNow && req->expires_at <= kNow + policy.max_lifetime,
                "the expiry is after now and within the lifetime");
  fuzz::require(req->scopes.size() <= policy.max_scopes, "the scope count respects the policy");
  fuzz::require(!req->name.empty() && req->name.size() <= lifecycle::kMaxNameLength, "the name is bounded");
  fuzz::require(policy.requires_service == !req->service.empty(), "only restricted keys name a service");
  std::string json = req->to_json();
  auto again = lifecycle::parse_create_request(json, kNow, table);
  fuzz::require(again.ok() && again->to_json() == json, "the canonical request round-trips");
  return 0;
}
