#include <catch2/catch.hpp>
#include <set>
#include <string>

#include "finfusion/status.h"

using finfusion::Code;
using finfusion::Result;
using finfusion::Status;

TEST_CASE("every code has a unique stable name that maps back", "[status]") {
  std::set<std::string> names;
  for (Code c : finfusion::all_codes()) {
    std::string name(finfusion::code_name(c));
    CHECK(names.insert(name).second);
    CHECK(finfusion::code_from_name(name) == c);
  }
  // The closed list of DESIGN.md, exactly.
  CHECK(names == std::set<std::string>{
                     "valid", "malformed_key", "bad_checksum", "unknown_prefix", "invalid_scope",
                     "invalid_duration", "invalid_timestamp", "invalid_request", "not_found",
                     "expired", "revoked", "disabled", "environment_mismatch",
                     "insufficient_scope", "rate_limited", "signature_invalid",
                     "signature_expired", "replayed", "conflict", "precondition_failed",
                     "storage_unavailable", "internal"});
  CHECK_FALSE(finfusion::code_from_name("Valid").has_value());
  CHECK_FALSE(finfusion::code_from_name("").has_value());
}

TEST_CASE("Status carries code and message", "[status]") {
  Status ok;
  CHECK(ok.ok());
  CHECK(ok.code_name() == "valid");
  Status bad(Code::kConflict, "already rotating");
  CHECK_FALSE(bad.ok());
  CHECK(bad.to_string() == "conflict: already rotating");
}

TEST_CASE("Result holds a value or a failure", "[status]") {
  Result<int> v = 7;
  REQUIRE(v.ok());
  CHECK(*v == 7);
  Result<int> e = Status(Code::kNotFound, "no such key");
  CHECK_FALSE(e.ok());
  CHECK(e.code() == Code::kNotFound);
  // A success Status cannot make a Result without a value.
  Result<int> odd = Status::Ok();
  CHECK_FALSE(odd.ok());
  CHECK(odd.code() == Code::kInternal);
}
