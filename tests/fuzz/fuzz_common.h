// Shared checks for the fuzz harnesses: a property that fails stops the run (a finding).
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "finfusion/status.h"

namespace finfusion::fuzz {

[[noreturn]] inline void fail(const char* what) {
  std::fprintf(stderr, "property violated: %s\n", what);
  std::abort();
}

inline void require(bool condition, const char* what) {
  if (!condition) fail(what);
}

// Every rejection carries a code from the closed list, and not "valid".
inline void require_listed(const Status& status, const char* what) {
  require(!status.ok(), what);
  require(code_from_name(status.code_name()).has_value(), "a rejection carries a listed code");
}

inline bool is_alnum(char c) {
  return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
}

// No 12-character alphanumeric window of `secret` appears in `message` (static message
// text has no alphanumeric run that long), unless it also stands in `public_input`, a
// non-secret input the message may legitimately quote (a stored hash's pepper id, say).
inline void require_not_echoed(std::string_view message, std::string_view secret,
                               std::string_view public_input = {}) {
  constexpr std::size_t kWindow = 12;
  for (std::size_t i = 0; i + kWindow <= secret.size(); ++i) {
    std::string_view w = secret.substr(i, kWindow);
    bool alnum = true;
    for (char c : w) alnum = alnum && is_alnum(c);
    if (alnum && message.find(w) != std::string_view::npos &&
        public_input.find(w) == std::string_view::npos) {
      fail("an error message echoes secret input");
    }
  }
}

inline std::string_view as_text(const std::uint8_t* data, std::size_t size) {
  return {reinterpret_cast<const char*>(data), size};
}

}  // namespace finfusion::fuzz
