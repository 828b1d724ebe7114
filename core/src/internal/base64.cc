#include "internal/base64.h"

#include <sodium.h>

#include <algorithm>
#include <cstdint>

namespace finfusion::internal {
namespace {

// Each loop below maps a run of bytes with compare masks and no branch, so that the compiler
// vectorises it; the six-bit values are split and packed in separate loops.

// Six-bit values (0..63) to digits, in place.
void to_digits(char* text, std::size_t n, Base64 variant) noexcept {
  const bool url = variant == Base64::kUrlNoPadding;
  const auto d62 = static_cast<unsigned char>(url ? '-' - 58 : '+' - 58);  // 62 after the steps below is ':'
  const auto d63 = static_cast<unsigned char>(url ? '_' - '-' - 1 : '/' - '+' - 1);
  auto* t = reinterpret_cast<unsigned char*>(text);
  for (std::size_t k = 0; k < n; ++k) {
    const unsigned char x = t[k];
    auto mask = [x](unsigned char above) { return static_cast<unsigned char>(-static_cast<int>(x > above)); };
    auto c = static_cast<unsigned char>(x + 'A');
    c = static_cast<unsigned char>(c + (mask(25) & 6));    // 26..51 -> 'a'..'z'
    c = static_cast<unsigned char>(c - (mask(51) & 75));   // 52..61 -> '0'..'9'
    c = static_cast<unsigned char>(c + (mask(61) & d62));  // 62 -> '+' or '-'
    c = static_cast<unsigned char>(c + (mask(62) & d63));  // 63 -> '/' or '_'
    t[k] = c;
  }
}

// Digits to six-bit values; non-zero when a byte is not a digit of the alphabet.
unsigned char to_values(const unsigned char* in, unsigned char* out, std::size_t n, Base64 variant) noexcept {
  const bool url = variant == Base64::kUrlNoPadding;
  const unsigned char c62 = url ? '-' : '+', c63 = url ? '_' : '/';
  unsigned char bad = 0;
  for (std::size_t k = 0; k < n; ++k) {
    const unsigned char c = in[k];
    auto range = [c](unsigned char lo, unsigned char hi) {
      return static_cast<unsigned char>(-static_cast<int>(static_cast<unsigned char>(c - lo) <= hi - lo));
    };
    const unsigned char upper = range('A', 'Z'), lower = range('a', 'z'), num = range('0', '9');
    const unsigned char is62 = range(c62, c62), is63 = range(c63, c63);
    bad |= static_cast<unsigned char>(~(upper | lower | num | is62 | is63));
    out[k] = static_cast<unsigned char>((upper & (c - 'A')) | (lower & (c - 'a' + 26)) | (num & (c - '0' + 52)) |
                                        (is62 & 62) | (is63 & 63));
  }
  return bad;
}

}  // namespace

void encode_base64_into(std::string_view bytes, Base64 variant, char* out) noexcept {
  const auto* in = reinterpret_cast<const unsigned char*>(bytes.data());
  const std::size_t n = bytes.size();
  std::size_t o = 0, i = 0;
  for (; i + 3 <= n; i += 3) {
    out[o++] = static_cast<char>(in[i] >> 2);
    out[o++] = static_cast<char>((in[i] & 3) << 4 | in[i + 1] >> 4);
    out[o++] = static_cast<char>((in[i + 1] & 15) << 2 | in[i + 2] >> 6);
    out[o++] = static_cast<char>(in[i + 2] & 63);
  }
  if (i < n) {
    const bool two = i + 1 < n;
    const unsigned second = two ? in[i + 1] : 0u;
    out[o++] = static_cast<char>(in[i] >> 2);
    out[o++] = static_cast<char>((in[i] & 3u) << 4 | second >> 4);
    if (two) out[o++] = static_cast<char>((second & 15u) << 2);
  }
  to_digits(out, o, variant);
  if (variant == Base64::kStandard) {
    for (; o % 4 != 0; ++o) out[o] = '=';
  }
}

std::string encode_base64(std::string_view bytes, Base64 variant) {
  std::string out(base64_length(bytes.size(), variant), '\0');
  encode_base64_into(bytes, variant, out.data());
  return out;
}

namespace {

// `text` without its padding, or nothing when its length alone shows it is not canonical
// base64 of the variant. Padding and length are public (they follow from the length of what
// was encoded).
std::optional<std::string_view> unpadded(std::string_view text, Base64 variant) noexcept {
  if (variant == Base64::kStandard) {
    if (text.size() % 4 != 0) return std::nullopt;
    if (!text.empty() && text.back() == '=') text.remove_suffix(text[text.size() - 2] == '=' ? 2 : 1);
  }
  if (text.size() % 4 == 1) return std::nullopt;
  return text;
}

std::size_t unpadded_length(std::size_t n) noexcept { return n / 4 * 3 + (n % 4 == 0 ? 0 : n % 4 - 1); }

// Decodes unpadded digits into unpadded_length(text.size()) bytes at `o`; false (and those
// bytes wiped) when a digit is outside the alphabet or the pad bits are not zero.
bool decode_unpadded(std::string_view text, Base64 variant, unsigned char* o) noexcept {
  const auto* in = reinterpret_cast<const unsigned char*>(text.data());
  const std::size_t n = text.size();
  unsigned char* const first = o;
  unsigned char bad = 0;
  unsigned char v[256];  // the values of up to 256 digits at a time
  for (std::size_t start = 0; start < n; start += sizeof v) {
    const std::size_t count = std::min(sizeof v, n - start);
    bad |= to_values(in + start, v, count, variant);
    std::size_t k = 0;
    for (; k + 4 <= count; k += 4) {
      *o++ = static_cast<unsigned char>(v[k] << 2 | v[k + 1] >> 4);
      *o++ = static_cast<unsigned char>(v[k + 1] << 4 | v[k + 2] >> 2);
      *o++ = static_cast<unsigned char>(v[k + 2] << 6 | v[k + 3]);
    }
    if (k < count) {  // the last two or three digits: one or two bytes, the bits after them zero
      *o++ = static_cast<unsigned char>(v[k] << 2 | v[k + 1] >> 4);
      if (count - k == 3) {
        *o++ = static_cast<unsigned char>(v[k + 1] << 4 | v[k + 2] >> 2);
        bad |= v[k + 2] & 3;
      } else {
        bad |= v[k + 1] & 15;
      }
    }
  }
  sodium_memzero(v, std::min(sizeof v, n));  // what was written of it
  if (bad != 0) {
    sodium_memzero(first, static_cast<std::size_t>(o - first));  // what was decoded may be part of a secret
    return false;
  }
  return true;
}

}  // namespace

std::optional<std::string> decode_base64(std::string_view text, Base64 variant) {
  const std::optional<std::string_view> digits = unpadded(text, variant);
  if (!digits) return std::nullopt;
  std::string out(unpadded_length(digits->size()), '\0');
  if (!decode_unpadded(*digits, variant, reinterpret_cast<unsigned char*>(out.data()))) return std::nullopt;
  return out;
}

std::optional<std::size_t> decode_base64_into(std::string_view text, Base64 variant, unsigned char* out,
                                              std::size_t room) noexcept {
  const std::optional<std::string_view> digits = unpadded(text, variant);
  if (!digits || unpadded_length(digits->size()) > room) return std::nullopt;
  if (!decode_unpadded(*digits, variant, out)) return std::nullopt;
  return unpadded_length(digits->size());
}

}  // namespace finfusion::internal
