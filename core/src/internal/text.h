// Helpers for error messages: quote outside input safely, without ever echoing secrets.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace finfusion::internal {

// `text` in double quotes for a message: printable ASCII kept, everything else as \xNN,
// cut to `max_chars` with "..." appended. Only for inputs that are not secret (scopes,
// field names, durations); key text is never quoted.
std::string quote(std::string_view text, std::size_t max_chars = 48);

// True when `text` is well-formed UTF-8 (no overlongs, surrogates or code points past
// U+10FFFF): what the JSON writer needs of every string it is given.
bool is_utf8(std::string_view text) noexcept;

// True when `text` holds an ASCII control character (below 0x20, or DEL).
bool has_control(std::string_view text) noexcept;

// Outside text made fit for a stored field that is not secret (a mail server's error):
// control characters become spaces, bytes that are not UTF-8 become '?', and it is cut to
// at most `max_bytes` on a character boundary.
std::string clean_text(std::string_view text, std::size_t max_bytes);

}  // namespace finfusion::internal
