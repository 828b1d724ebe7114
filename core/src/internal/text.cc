#include "internal/text.h"

namespace finfusion::internal {

std::string quote(std::string_view text, std::size_t max_chars) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out = "\"";
  std::size_t shown = 0;
  for (char ch : text) {
    if (shown == max_chars) {
      out += "\"...";
      return out;
    }
    auto c = static_cast<unsigned char>(ch);
    if (c >= 0x20 && c < 0x7f && c != '"' && c != '\\') {
      out += ch;
    } else {
      out += "\\x";
      out += kHex[c >> 4];
      out += kHex[c & 0xF];
    }
    ++shown;
  }
  out += '"';
  return out;
}

}  // namespace finfusion::internal
