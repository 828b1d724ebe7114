// Signature-Input and Signature read in place, in the form signers write them: the fast path
// of RFC 9421 verification. signing::verify reads the two fields with the structured-field
// parser (finfusion/structured_field.h) whenever this reading declines, so the reading only
// has to be right where it accepts: there it gives exactly what the parser gives (the test
// holds it to that, byte by byte).
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>

namespace finfusion::internal {

struct SimpleSignature {
  static constexpr std::size_t kMaxComponents = 16;
  static constexpr std::size_t kMaxSignatureBytes = 64;

  std::string_view label;
  // The covered components' names: each an sf-string without escapes or parameters.
  std::array<std::string_view, kMaxComponents> names{};
  std::size_t count = 0;
  // The parameters as written (";created=1;keyid=\"k\""): their own canonical serialisation.
  std::string_view params;
  std::optional<std::int64_t> created, expires;
  std::optional<std::string_view> keyid, alg, nonce, tag;  // the strings' contents
  std::array<unsigned char, kMaxSignatureBytes> signature{};
  std::size_t signature_size = 0;

  std::string_view signature_bytes() const noexcept {
    return {reinterpret_cast<const char*>(signature.data()), signature_size};
  }
};

// Reads `inputs` (a Signature-Input field value) and `signatures` (the Signature field
// value) when each holds one member, both under the same label, in RFC 8941's canonical
// form: the Signature-Input member an inner list of plain strings followed by parameters
// among created and expires (integers) and keyid, alg, nonce and tag (strings), each at
// most once; the Signature member a byte sequence of at most kMaxSignatureBytes bytes.
// False for anything else, `out` then unspecified.
bool read_simple_signature(std::string_view inputs, std::string_view signatures, SimpleSignature& out) noexcept;

}  // namespace finfusion::internal
