#include "internal/base64.h"

#include <sodium.h>


namespace finfusion::internal {
namespace {

int sodium_variant(Base64 variant) {
  return variant == Base64::kStandard ? sodium_base64_VARIANT_ORIGINAL : sodium_base64_VARIANT_URLSAFE_NO_PADDING;
}

}  // namespace

std::string encode_base64(std::string_view bytes, Base64 variant) {
  const int v = sodium_variant(variant);
  std::string out(sodium_base64_encoded_len(bytes.size(), v), '\0');
  sodium_bin2base64(out.data(), out.size(), reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size(), v);
  out.pop_back();  // the terminating NUL sodium writes
  return out;
}

std::optional<std::string> decode_base64(std::string_view text, Base64 variant) {
  std::string out(text.size() / 4 * 3 + 3, '\0');
  std::size_t len = 0;
  const char* end = nullptr;
  if (sodium_base642bin(reinterpret_cast<unsigned char*>(out.data()), out.size(), text.data(), text.size(), nullptr,
                        &len, &end, sodium_variant(variant)) != 0 ||
      end != text.data() + text.size()) {
    return std::nullopt;
  }
  out.resize(len);
  return out;
}

}  // namespace finfusion::internal
