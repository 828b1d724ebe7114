#include "finfusion/status.h"

#include <array>
#include <cstdio>
#include <cstdlib>

namespace finfusion {
namespace {

struct CodeEntry {
  Code code;
  std::string_view name;
};

// The one table of names: bindings read it through code_name / all_codes.
constexpr std::array<CodeEntry, kCodeCount> kCodes = {{
    {Code::kValid, "valid"},
    {Code::kMalformedKey, "malformed_key"},
    {Code::kBadChecksum, "bad_checksum"},
    {Code::kUnknownPrefix, "unknown_prefix"},
    {Code::kInvalidScope, "invalid_scope"},
    {Code::kInvalidDuration, "invalid_duration"},
    {Code::kInvalidTimestamp, "invalid_timestamp"},
    {Code::kInvalidRequest, "invalid_request"},
    {Code::kNotFound, "not_found"},
    {Code::kExpired, "expired"},
    {Code::kRevoked, "revoked"},
    {Code::kDisabled, "disabled"},
    {Code::kEnvironmentMismatch, "environment_mismatch"},
    {Code::kInsufficientScope, "insufficient_scope"},
    {Code::kRateLimited, "rate_limited"},
    {Code::kSignatureInvalid, "signature_invalid"},
    {Code::kSignatureExpired, "signature_expired"},
    {Code::kReplayed, "replayed"},
    {Code::kConflict, "conflict"},
    {Code::kPreconditionFailed, "precondition_failed"},
    {Code::kStorageUnavailable, "storage_unavailable"},
    {Code::kInternal, "internal"},
}};

// A code's value is its index here (and in all_codes()): bindings index their tables by it.
constexpr bool indexed_by_value() {
  for (std::size_t i = 0; i < kCodes.size(); ++i) {
    if (static_cast<std::size_t>(kCodes[i].code) != i) return false;
  }
  return true;
}
static_assert(indexed_by_value(), "kCodes in declaration order, one entry per code");

}  // namespace

std::string_view code_name(Code code) noexcept {
  auto index = static_cast<std::size_t>(code);
  return index < kCodes.size() ? kCodes[index].name : std::string_view("internal");
}

std::optional<Code> code_from_name(std::string_view name) noexcept {
  for (const auto& entry : kCodes) {
    if (entry.name == name) return entry.code;
  }
  return std::nullopt;
}

const std::vector<Code>& all_codes() {
  static const std::vector<Code> codes = [] {
    std::vector<Code> out;
    for (const auto& entry : kCodes) out.push_back(entry.code);
    return out;
  }();
  return codes;
}

std::string Status::to_string() const {
  std::string out(code_name());
  if (!message_.empty()) {
    out += ": ";
    out += message_;
  }
  return out;
}

namespace internal {
void die_bad_result_access(const Status& status) noexcept {
  std::fprintf(stderr, "finfusion: value() of a failed Result (%s)\n", status.to_string().c_str());
  std::abort();
}
}  // namespace internal

}  // namespace finfusion
