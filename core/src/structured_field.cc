#include "finfusion/structured_field.h"

#include <charconv>
#include <cstdio>

#include "internal/base64.h"
#include "internal/byte_scan.h"

namespace finfusion::sf {
namespace {

constexpr std::int64_t kMaxInteger = 999'999'999'999'999;
constexpr std::int64_t kMaxDecimalThousandths = 999'999'999'999'999;  // 12 integer digits + 3

bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_lcalpha(char c) { return c >= 'a' && c <= 'z'; }
bool is_alpha(char c) { return is_lcalpha(c) || (c >= 'A' && c <= 'Z'); }
bool is_tchar(char c) {
  if (is_alpha(c) || is_digit(c)) return true;
  switch (c) {
    case '!': case '#': case '$': case '%': case '&': case '\'': case '*': case '+': case '-':
    case '.': case '^': case '_': case '`': case '|': case '~':
      return true;
    default:
      return false;
  }
}
bool is_key_char(char c) { return is_lcalpha(c) || is_digit(c) || c == '_' || c == '-' || c == '.' || c == '*'; }
bool is_base64_char(char c) { return is_alpha(c) || is_digit(c) || c == '+' || c == '/' || c == '='; }

bool is_token(std::string_view t) {
  if (t.empty() || !(is_alpha(t[0]) || t[0] == '*')) return false;
  for (char c : t.substr(1)) {
    if (!(is_tchar(c) || c == ':' || c == '/')) return false;
  }
  return true;
}

// The offset of the first byte at or after `from` that ends a plain run of a string: '"',
// '\\' or a byte outside printable ASCII; in.size() when there is none.
std::size_t string_stop(std::string_view in, std::size_t from) {
  return internal::find_stop<'"', '\\', '\x7f'>(in, from, ' ');
}

// A cursor over the field with RFC 8941's parsing steps. Errors name the offset, never
// the text (field values carry signatures).
class Parser {
 public:
  explicit Parser(std::string_view in) : in_(in) {}

  Status error(const char* what) const {
    return Status(Code::kInvalidRequest, "structured field: " + std::string(what) + " at offset " + std::to_string(pos_));
  }
  bool done() const { return pos_ >= in_.size(); }
  char peek() const { return done() ? '\0' : in_[pos_]; }
  bool consume(char c) {
    if (peek() != c) return false;
    ++pos_;
    return true;
  }
  void skip_sp() {
    while (!done() && in_[pos_] == ' ') ++pos_;
  }
  void skip_ows() {
    while (!done() && (in_[pos_] == ' ' || in_[pos_] == '\t')) ++pos_;
  }

  // Each step parses into the value it is given (an element already in its container), so
  // that nothing is built twice or moved through a Result.
  Status key_into(std::string& out) {
    if (!(is_lcalpha(peek()) || peek() == '*')) return error("expected a key");
    std::size_t start = pos_;
    while (!done() && is_key_char(in_[pos_])) ++pos_;
    out.assign(in_.substr(start, pos_ - start));
    return Status::Ok();
  }

  Status bare_item_into(BareItem& out) {
    char c = peek();
    if (c == '-' || is_digit(c)) return number_into(out);
    if (c == '"') return string_into(out.emplace<std::string>());
    if (c == ':') return bytes_into(out.emplace<ByteSequence>().bytes);
    if (c == '?') return boolean_into(out);
    if (is_alpha(c) || c == '*') return token_into(out.emplace<Token>().value);
    return error("expected an item");
  }

  Status parameters_into(Parameters& params) {
    // Room for a signature's usual parameters at once (created, expires, keyid, alg, nonce,
    // tag), not grown one at a time.
    if (peek() == ';') params.reserve(6);
    while (peek() == ';') {
      ++pos_;
      skip_sp();
      auto& [name, value] = params.emplace_back(std::string(), true);
      if (Status s = key_into(name); !s.ok()) return s;
      if (peek() == '=') {
        ++pos_;
        if (Status s = bare_item_into(value); !s.ok()) return s;
      }
      if (find(params, name) != &value) return error("duplicate parameter");  // an earlier one has the name
    }
    return Status::Ok();
  }

  Status item_into(Item& out) {
    if (Status s = bare_item_into(out.value); !s.ok()) return s;
    return parameters_into(out.params);
  }

  Status member_into(Member& out) {
    if (peek() != '(') return item_into(out.emplace<Item>());
    ++pos_;
    InnerList& list = out.emplace<InnerList>();
    list.items.reserve(8);  // a signature's covered components, at once
    for (;;) {
      skip_sp();
      if (done()) return error("unterminated inner list");
      if (peek() == ')') {
        ++pos_;
        return parameters_into(list.params);
      }
      if (Status s = item_into(list.items.emplace_back()); !s.ok()) return s;
      if (peek() != ' ' && peek() != ')') return error("expected a space or ')' in an inner list");
    }
  }

  // After a list or dictionary member: the end, or a comma and another member.
  Result<bool> next_member() {
    skip_ows();
    if (done()) return false;
    if (peek() != ',') return error("expected ','");
    ++pos_;
    skip_ows();
    if (done()) return error("trailing ','");
    return true;
  }

 private:
  Status number_into(BareItem& out) {
    bool negative = false;
    if (peek() == '-') {
      negative = true;
      ++pos_;
    }
    if (!is_digit(peek())) return error("expected a digit");
    std::int64_t integer = 0;
    int digits = 0;
    while (is_digit(peek())) {
      if (++digits > 15) return error("integer has more than 15 digits");
      integer = integer * 10 + (in_[pos_++] - '0');
    }
    if (peek() != '.') {
      out = negative ? -integer : integer;
      return Status::Ok();
    }
    if (digits > 12) return error("decimal has more than 12 integer digits");
    ++pos_;
    int fraction_digits = 0;
    std::int64_t fraction = 0;
    while (is_digit(peek())) {
      if (++fraction_digits > 3) return error("decimal has more than 3 fraction digits");
      fraction = fraction * 10 + (in_[pos_++] - '0');
    }
    if (fraction_digits == 0) return error("decimal ends in '.'");
    for (int i = fraction_digits; i < 3; ++i) fraction *= 10;
    std::int64_t thousandths = integer * 1000 + fraction;
    out = Decimal{negative ? -thousandths : thousandths};
    return Status::Ok();
  }

  Status string_into(std::string& out) {
    ++pos_;
    // The run up to the closing quote, taken whole when it holds no escape and only
    // printable ASCII (the usual case); otherwise character by character below.
    if (const std::size_t stop = string_stop(in_, pos_); stop < in_.size() && in_[stop] == '"') {
      out.assign(in_.substr(pos_, stop - pos_));
      pos_ = stop + 1;
      return Status::Ok();
    }
    while (!done()) {
      char c = in_[pos_++];
      if (c == '\\') {
        if (done()) return error("string ends in '\\'");
        char e = in_[pos_++];
        if (e != '"' && e != '\\') return error("invalid escape in a string");
        out.push_back(e);
      } else if (c == '"') {
        return Status::Ok();
      } else if (c < 0x20 || c > 0x7e) {
        --pos_;
        return error("string holds a character outside printable ASCII");
      } else {
        out.push_back(c);
      }
    }
    return error("unterminated string");
  }

  Status bytes_into(std::string& out) {
    const std::size_t start = ++pos_;
    // The usual case in one pass of the decoder, which refuses any byte outside base64:
    // the run up to the closing ':' decodes.
    const std::size_t close = in_.find(':', start);
    if (close != std::string_view::npos) {
      if (std::optional<std::string> decoded =
              internal::decode_base64(in_.substr(start, close - start), internal::Base64::kStandard)) {
        pos_ = close + 1;
        out = std::move(*decoded);
        return Status::Ok();
      }
    }
    // Otherwise the error, at the first byte that is wrong.
    while (!done() && in_[pos_] != ':') {
      if (!is_base64_char(in_[pos_])) return error("byte sequence holds a character outside base64");
      ++pos_;
    }
    if (done()) return error("unterminated byte sequence");
    return error("byte sequence is not canonical base64");
  }

  Status boolean_into(BareItem& out) {
    ++pos_;
    char c = peek();
    if (c != '0' && c != '1') return error("expected ?0 or ?1");
    ++pos_;
    out = c == '1';
    return Status::Ok();
  }

  Status token_into(std::string& out) {
    std::size_t start = pos_++;
    while (!done() && (is_tchar(in_[pos_]) || in_[pos_] == ':' || in_[pos_] == '/')) ++pos_;
    out.assign(in_.substr(start, pos_ - start));
    return Status::Ok();
  }

  std::string_view in_;
  std::size_t pos_ = 0;
};

Status too_long() {
  return Status(Code::kInvalidRequest,
                "structured field: longer than " + std::to_string(kMaxFieldBytes) + " bytes");
}

// Runs `body` over the field between the leading and trailing spaces RFC 8941 discards.
template <typename T, typename F>
Result<T> parse_whole(std::string_view field, F body) {
  if (field.size() > kMaxFieldBytes) return too_long();
  Parser p(field);
  p.skip_sp();
  Result<T> out = body(p);
  if (!out.ok()) return out;
  p.skip_sp();
  if (!p.done()) return p.error("unexpected text after the value");
  return out;
}

Status unwritable(const char* what) { return Status(Code::kInvalidRequest, std::string("structured field: ") + what); }

Status write_bare(const BareItem& item, std::string& out) {
  if (const bool* b = std::get_if<bool>(&item)) {
    out += *b ? "?1" : "?0";
  } else if (const std::int64_t* n = std::get_if<std::int64_t>(&item)) {
    return serialize_integer_into(*n, out);
  } else if (const Decimal* d = std::get_if<Decimal>(&item)) {
    std::int64_t t = d->thousandths;
    if (t > kMaxDecimalThousandths || t < -kMaxDecimalThousandths) return unwritable("decimal out of range");
    if (t < 0) {
      out.push_back('-');
      t = -t;
    }
    out += std::to_string(t / 1000);
    out.push_back('.');
    std::int64_t frac = t % 1000;
    char digits[4];
    std::snprintf(digits, sizeof digits, "%03d", static_cast<int>(frac));
    std::string_view f(digits, 3);
    while (f.size() > 1 && f.back() == '0') f.remove_suffix(1);
    out += f;
  } else if (const std::string* s = std::get_if<std::string>(&item)) {
    return serialize_string_into(*s, out);
  } else if (const Token* t = std::get_if<Token>(&item)) {
    if (!is_token(t->value)) return unwritable("invalid token");
    out += t->value;
  } else {
    out.push_back(':');
    out += internal::encode_base64(std::get<ByteSequence>(item).bytes, internal::Base64::kStandard);
    out.push_back(':');
  }
  return Status::Ok();
}

Status write_params(const Parameters& params, std::string& out) {
  for (std::size_t i = 0; i < params.size(); ++i) {
    const auto& [name, value] = params[i];
    if (!is_key(name)) return unwritable("invalid parameter name");
    for (std::size_t j = 0; j < i; ++j) {
      if (params[j].first == name) return unwritable("duplicate parameter");
    }
    out.push_back(';');
    out += name;
    const bool* b = std::get_if<bool>(&value);
    if (b != nullptr && *b) continue;
    out.push_back('=');
    Status s = write_bare(value, out);
    if (!s.ok()) return s;
  }
  return Status::Ok();
}

Status write_item(const Item& item, std::string& out) {
  Status s = write_bare(item.value, out);
  if (!s.ok()) return s;
  return write_params(item.params, out);
}

Status write_inner(const InnerList& list, std::string& out) {
  out.push_back('(');
  for (std::size_t i = 0; i < list.items.size(); ++i) {
    if (i > 0) out.push_back(' ');
    Status s = write_item(list.items[i], out);
    if (!s.ok()) return s;
  }
  out.push_back(')');
  return write_params(list.params, out);
}

Status write_member(const Member& m, std::string& out) {
  if (const Item* i = std::get_if<Item>(&m)) return write_item(*i, out);
  return write_inner(std::get<InnerList>(m), out);
}

Result<std::string> finish(Status s, std::string out) {
  if (!s.ok()) return s;
  if (out.size() > kMaxFieldBytes) return too_long();
  return out;
}

// One value through its writer, bounded like everything serialised.
template <typename T>
Result<std::string> written(const T& value, Status (*write)(const T&, std::string&)) {
  std::string out;
  Status s = write(value, out);
  return finish(std::move(s), std::move(out));
}

}  // namespace

bool is_key(std::string_view key) noexcept {
  if (key.empty() || !(is_lcalpha(key[0]) || key[0] == '*')) return false;
  for (char c : key) {
    if (!is_key_char(c)) return false;
  }
  return true;
}

Result<Item> parse_item(std::string_view field) {
  return parse_whole<Item>(field, [](Parser& p) -> Result<Item> {
    Item item;
    if (Status s = p.item_into(item); !s.ok()) return s;
    return item;
  });
}

Result<List> parse_list(std::string_view field) {
  return parse_whole<List>(field, [](Parser& p) -> Result<List> {
    List list;
    if (p.done()) return list;
    for (;;) {
      if (Status s = p.member_into(list.emplace_back()); !s.ok()) return s;
      Result<bool> more = p.next_member();
      if (!more.ok()) return more.status();
      if (!*more) return list;
    }
  });
}

Result<Dictionary> parse_dictionary(std::string_view field) {
  return parse_whole<Dictionary>(field, [](Parser& p) -> Result<Dictionary> {
    Dictionary dict;
    if (p.done()) return dict;
    for (;;) {
      auto& [key, value] = dict.emplace_back(std::string(), Item{true, {}});
      if (Status s = p.key_into(key); !s.ok()) return s;
      if (find(dict, key) != &value) return p.error("duplicate dictionary key");  // an earlier one has the key
      Status s = p.consume('=') ? p.member_into(value) : p.parameters_into(std::get<Item>(value).params);
      if (!s.ok()) return s;
      Result<bool> more = p.next_member();
      if (!more.ok()) return more.status();
      if (!*more) return dict;
    }
  });
}

Result<std::string> serialize(const BareItem& item) { return written(item, write_bare); }
Result<std::string> serialize(const Parameters& params) { return written(params, write_params); }
Status serialize_string_into(std::string_view value, std::string& out) {
  // Checked in one pass, then written whole when nothing needs escaping (the usual case).
  bool printable = true, plain = true;
  for (char c : value) {
    printable &= c >= 0x20 && c <= 0x7e;
    plain &= c != '"' && c != '\\';
  }
  if (!printable) return unwritable("string holds a character outside printable ASCII");
  out.push_back('"');
  if (plain) {
    out += value;
  } else {
    for (char c : value) {
      if (c == '"' || c == '\\') out.push_back('\\');
      out.push_back(c);
    }
  }
  out.push_back('"');
  return Status::Ok();
}
Status serialize_integer_into(std::int64_t value, std::string& out) {
  if (value > kMaxInteger || value < -kMaxInteger) return unwritable("integer out of range");
  char digits[24];
  out.append(digits, static_cast<std::size_t>(std::to_chars(digits, digits + sizeof digits, value).ptr - digits));
  return Status::Ok();
}
Status serialize_into(const Parameters& params, std::string& out) {
  const std::size_t size = out.size();
  Status s = write_params(params, out);
  if (!s.ok()) out.resize(size);
  return s;
}
Result<std::string> serialize(const Item& item) { return written(item, write_item); }
Result<std::string> serialize(const InnerList& list) { return written(list, write_inner); }

Result<std::string> serialize(const List& list) {
  std::string out;
  for (std::size_t i = 0; i < list.size(); ++i) {
    if (i > 0) out += ", ";
    Status s = write_member(list[i], out);
    if (!s.ok()) return s;
  }
  return finish(Status::Ok(), std::move(out));
}

Result<std::string> serialize(const Dictionary& dict) {
  std::string out;
  for (std::size_t i = 0; i < dict.size(); ++i) {
    const auto& [key, member] = dict[i];
    if (!is_key(key)) return unwritable("invalid dictionary key");
    for (std::size_t j = 0; j < i; ++j) {
      if (dict[j].first == key) return unwritable("duplicate dictionary key");
    }
    if (i > 0) out += ", ";
    out += key;
    const Item* item = std::get_if<Item>(&member);
    const bool* flag = item != nullptr ? std::get_if<bool>(&item->value) : nullptr;
    if (flag != nullptr && *flag) {
      Status s = write_params(item->params, out);
      if (!s.ok()) return s;
      continue;
    }
    out.push_back('=');
    Status s = write_member(member, out);
    if (!s.ok()) return s;
  }
  return finish(Status::Ok(), std::move(out));
}

const BareItem* find(const Parameters& params, std::string_view name) noexcept {
  for (const auto& [n, v] : params) {
    if (n == name) return &v;
  }
  return nullptr;
}

const Member* find(const Dictionary& dict, std::string_view key) noexcept {
  for (const auto& [k, v] : dict) {
    if (k == key) return &v;
  }
  return nullptr;
}

}  // namespace finfusion::sf
