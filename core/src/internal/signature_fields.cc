#include "internal/signature_fields.h"

#include "finfusion/structured_field.h"
#include "internal/base64.h"
#include "internal/byte_scan.h"

namespace finfusion::internal {
namespace {

// A cursor that accepts only the canonical text; every step answers false at anything else.
class Reader {
 public:
  explicit Reader(std::string_view in) : in_(in) {}

  bool done() const { return pos_ == in_.size(); }
  bool take(char c) {
    if (pos_ == in_.size() || in_[pos_] != c) return false;
    ++pos_;
    return true;
  }
  std::size_t pos() const { return pos_; }

  // An sf-key and the '=' after it (every key read here takes a value).
  bool key_and_equals(std::string_view& out) {
    const std::size_t equals = in_.find('=', pos_);
    if (equals == std::string_view::npos || !sf::is_key(in_.substr(pos_, equals - pos_))) return false;
    out = in_.substr(pos_, equals - pos_);
    pos_ = equals + 1;
    return true;
  }

  // An sf-string holding no escape (so written as it reads): its contents.
  bool string(std::string_view& out) {
    if (!take('"')) return false;
    const std::size_t stop = find_stop<'"', '\\', '\x7f'>(in_, pos_, ' ');
    if (stop == in_.size() || in_[stop] != '"') return false;
    out = in_.substr(pos_, stop - pos_);
    pos_ = stop + 1;
    return true;
  }

  // An sf-integer as serialised: no leading zero, no "-0", at most 15 digits.
  bool integer(std::int64_t& out) {
    const bool negative = take('-');
    const std::size_t start = pos_;
    std::int64_t n = 0;
    while (pos_ < in_.size() && pos_ - start <= 15 && in_[pos_] >= '0' && in_[pos_] <= '9') {
      n = n * 10 + (in_[pos_++] - '0');
    }
    const std::size_t digits = pos_ - start;
    if (digits == 0 || digits > 15 || (in_[start] == '0' && (digits > 1 || negative))) return false;
    out = negative ? -n : n;
    return true;
  }

  // ":base64:" into `out`.
  bool bytes(unsigned char* out, std::size_t room, std::size_t& size) {
    if (!take(':')) return false;
    const std::size_t close = in_.find(':', pos_);
    if (close == std::string_view::npos) return false;
    const std::optional<std::size_t> n = decode_base64_into(in_.substr(pos_, close - pos_), Base64::kStandard, out, room);
    if (!n) return false;
    size = *n;
    pos_ = close + 1;
    return true;
  }

 private:
  std::string_view in_;
  std::size_t pos_ = 0;
};

// The inner list and parameters of a Signature-Input member.
bool read_input(Reader& r, std::string_view params_field, SimpleSignature& out) {
  if (!r.take('(')) return false;
  if (!r.take(')')) {
    do {
      if (out.count == SimpleSignature::kMaxComponents || !r.string(out.names[out.count])) return false;
      ++out.count;
    } while (r.take(' '));
    if (!r.take(')')) return false;
  }
  const std::size_t params_at = r.pos();
  while (r.take(';')) {
    std::string_view name;
    if (!r.key_and_equals(name)) return false;
    std::optional<std::int64_t>* integer = name == "created" ? &out.created : name == "expires" ? &out.expires : nullptr;
    if (integer != nullptr) {
      std::int64_t n = 0;
      if (integer->has_value() || !r.integer(n)) return false;
      *integer = n;
      continue;
    }
    std::optional<std::string_view>* text = name == "keyid" ? &out.keyid
                                           : name == "alg"   ? &out.alg
                                           : name == "nonce" ? &out.nonce
                                           : name == "tag"   ? &out.tag
                                                             : nullptr;
    std::string_view value;
    if (text == nullptr || text->has_value() || !r.string(value)) return false;
    *text = value;
  }
  out.params = params_field.substr(params_at, r.pos() - params_at);
  return r.done();
}

}  // namespace

bool read_simple_signature(std::string_view inputs, std::string_view signatures, SimpleSignature& out) noexcept {
  if (inputs.size() > sf::kMaxFieldBytes || signatures.size() > sf::kMaxFieldBytes) return false;
  Reader in(inputs);
  if (!in.key_and_equals(out.label) || !read_input(in, inputs, out)) return false;
  Reader sig(signatures);
  std::string_view label;
  return sig.key_and_equals(label) && label == out.label &&
         sig.bytes(out.signature.data(), out.signature.size(), out.signature_size) && sig.done();
}

}  // namespace finfusion::internal
