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

}  // namespace finfusion::internal
