// Strict JSON input for the core: size and depth bounds before work, duplicate keys and
// invalid UTF-8 rejected, and typed field access that names the field in every error.
#pragma once

#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "finfusion/status.h"

namespace finfusion::internal {

using Json = nlohmann::json;
using OrderedJson = nlohmann::ordered_json;  // output whose field order is part of the format

inline constexpr std::size_t kMaxJsonBytes = 64 * 1024;
inline constexpr std::size_t kMaxJsonDepth = 16;

// Parses `text` as one JSON value. `what` names the document in messages ("type table").
// Errors: invalid_request for text over `max_bytes`, nesting over `max_depth`, a syntax
// error or invalid UTF-8 (with the byte offset), or a key repeated in one object.
Result<Json> parse_json(std::string_view text, std::string_view what,
                        std::size_t max_bytes = kMaxJsonBytes,
                        std::size_t max_depth = kMaxJsonDepth);

// Reads the fields of one JSON object; every error is invalid_request and names the
// field by its path ("production.rate_limit.window: ...").
class ObjectReader {
 public:
  // Errors (through status()): `value` is not an object.
  ObjectReader(const Json& value, std::string path);

  // The first error met so far, or ok.
  const Status& status() const noexcept { return status_; }
  bool ok() const noexcept { return status_.ok(); }

  // Records an error for an unknown field (anything not in `known`).
  void reject_unknown(std::initializer_list<std::string_view> known);

  const Json* find(std::string_view name) const;
  std::optional<std::string> string(std::string_view name, std::size_t max_length);
  std::optional<std::int64_t> integer(std::string_view name, std::int64_t min, std::int64_t max);
  std::optional<bool> boolean(std::string_view name);
  // A duration given as text ("48h"); converted through time::parse_duration.
  std::optional<std::int64_t> duration(std::string_view name);

  std::string path_of(std::string_view name) const;
  // Records an error for `name` unless one is recorded already.
  void fail(std::string_view name, std::string_view message);

 private:
  const Json* value_;
  std::string path_;
  Status status_;
};

}  // namespace finfusion::internal
