// finfusion/status.h - Status and Result<T>, the core's only way to report failure.
//
// The core never throws. A fallible call returns a Status (no value) or a Result<T>
// (a value or a Status). Every Status carries one code from the closed list below,
// spelled the same in every language, and a message for people that never contains
// a secret.
//
//   finfusion::Result<finfusion::keys::ParsedKey> parsed = finfusion::keys::parse(text);
//   if (!parsed.ok()) return parsed.status();   // e.g. code() == Code::kBadChecksum
//   use(parsed->id);
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace finfusion {

// The closed list of codes (DESIGN.md). The numbering is internal; the names are the
// stable interface and are what bindings expose.
enum class Code : std::uint8_t {
  kValid = 0,  // success, and the "valid" verdict
  // Format: the input is not acceptable as written.
  kMalformedKey,
  kBadChecksum,
  kUnknownPrefix,
  kInvalidScope,
  kInvalidDuration,
  kInvalidTimestamp,
  kInvalidRequest,
  // Decisions: why a key or a signature was not accepted.
  kNotFound,
  kExpired,
  kRevoked,
  kDisabled,
  kEnvironmentMismatch,
  kInsufficientScope,
  kRateLimited,
  kSignatureInvalid,
  kSignatureExpired,
  kReplayed,
  // State.
  kConflict,
  kPreconditionFailed,
  kStorageUnavailable,
  kInternal,
};

// How many codes there are: a code's value is below it (status.cc checks it against its table).
inline constexpr std::size_t kCodeCount = static_cast<std::size_t>(Code::kInternal) + 1;

// The stable name of a code: "valid", "malformed_key", ...
std::string_view code_name(Code code) noexcept;

// The code with this stable name, or nothing for a name outside the list.
std::optional<Code> code_from_name(std::string_view name) noexcept;

// Every code, in declaration order (for parity tests and error-class tables): a code's index
// here is its value.
const std::vector<Code>& all_codes();

class [[nodiscard]] Status {
 public:
  // A success.
  Status() = default;
  // A failure; `code` must not be kValid. The message must never contain a secret.
  Status(Code code, std::string message) : code_(code), message_(std::move(message)) {}

  static Status Ok() { return Status(); }

  bool ok() const noexcept { return code_ == Code::kValid; }
  Code code() const noexcept { return code_; }
  std::string_view code_name() const noexcept { return finfusion::code_name(code_); }
  const std::string& message() const noexcept { return message_; }
  // "bad_checksum: the checksum does not match"
  std::string to_string() const;

  // Explicitly drop a status that the caller has decided not to inspect.
  void ignore() const noexcept {}

 private:
  Code code_ = Code::kValid;
  std::string message_;
};

namespace internal {
// Aborts with a diagnostic: reading the value of a failed Result is a programming error.
[[noreturn]] void die_bad_result_access(const Status& status) noexcept;
}  // namespace internal

// A value of type T, or the Status that explains why there is none.
template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : value_(std::move(value)) {}  // NOLINT: implicit by design
  Result(Status status) : status_(std::move(status)) {  // NOLINT: implicit by design
    if (status_.ok()) status_ = Status(Code::kInternal, "a Result was built from a success Status");
  }

  bool ok() const noexcept { return value_.has_value(); }
  const Status& status() const noexcept { return status_; }
  Code code() const noexcept { return status_.code(); }

  // Precondition: ok(). Reading a failed Result aborts (it is a bug, not an input error).
  const T& value() const& {
    check();
    return *value_;
  }
  T& value() & {
    check();
    return *value_;
  }
  T&& value() && {
    check();
    return std::move(*value_);
  }
  const T& operator*() const& { return value(); }
  T& operator*() & { return value(); }
  T&& operator*() && { return std::move(*this).value(); }
  const T* operator->() const { return &value(); }
  T* operator->() { return &value(); }

 private:
  void check() const {
    if (!value_) internal::die_bad_result_access(status_);
  }

  std::optional<T> value_;
  Status status_;
};

}  // namespace finfusion
