// What the Registry's source files share: instants as text, the check on free text that
// goes into the log, and running an operation as one store transaction.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "finfusion/registry.h"
#include "internal/json.h"
#include "internal/text.h"

namespace finfusion::registry::support {

inline std::string instant_text(time::Millis ms) {
  auto t = time::format_timestamp(ms);
  return t.ok() ? *t : std::string();
}

inline internal::OrderedJson instant_or_null(time::Millis ms, bool present) {
  return present ? internal::OrderedJson(instant_text(ms)) : internal::OrderedJson(nullptr);
}

// Free text that ends up in audit events (actors, reasons): bounded, no control characters,
// well-formed UTF-8 (the JSON writer refuses anything else).
inline Status check_text(std::string_view field, std::string_view value, std::size_t max) {
  if (value.size() > max || internal::has_control(value) || !internal::is_utf8(value)) {
    return Status(Code::kInvalidRequest, std::string(field) + ": at most " + std::to_string(max) +
                                             " bytes of UTF-8 without control characters");
  }
  return Status::Ok();
}

inline constexpr std::size_t kMaxActor = 128;
inline constexpr std::size_t kMaxReason = 256;

// A record's state at `now` (valid, revoked, disabled, expired) and whether it is in its grace
// window, without the copy state_of makes.
inline Code state_code(const KeyRecord& record, time::Millis now, bool& in_grace) {
  in_grace = false;
  if (record.status == KeyStatus::kRevoked) return Code::kRevoked;
  if (record.status == KeyStatus::kDisabled) return Code::kDisabled;
  if (now >= record.expires_at || (!record.replaced_by.empty() && now >= record.grace_until)) return Code::kExpired;
  in_grace = !record.replaced_by.empty();
  return Code::kValid;
}

// Runs a registry operation as one store transaction: what it reads is what it changes, even
// with other writers (SQLite's write lock); a failed operation commits nothing.
template <class T, class F>
Result<T> atomically(Store& store, F&& body) {
  if (!store.transactional()) return body();
  std::optional<Result<T>> out;
  auto run = [&]() -> Status {
    out.emplace(body());
    return out->ok() ? Status::Ok() : out->status();
  };
  Status s = store.transaction(run);
  if (!out) return s.ok() ? Status(Code::kInternal, "the store did not run the operation") : s;
  if (!s.ok() && out->ok()) return s;  // the commit failed
  return std::move(*out);
}

// The notice to a rotation's notifyEmails (outbox.cc).
Notification rotation_notice(const KeyRecord& old, const KeyRecord& next, const std::vector<std::string>& to,
                             std::string_view actor, time::Millis now);

// A notification in an encrypted export (instants as milliseconds), and back. Errors:
// invalid_request naming the field, for a malformed entry.
internal::OrderedJson notification_export(const Notification& n);
Result<Notification> notification_import(const internal::Json& j);
// Every notification: what an export holds.
inline constexpr std::size_t kAllNotifications = static_cast<std::size_t>(INT64_MAX);

}  // namespace finfusion::registry::support
