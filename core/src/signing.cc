#include "finfusion/signing.h"

#include <sodium.h>

#include <algorithm>
#include <array>
#include <cstring>
#include <mutex>
#include <queue>
#include <unordered_map>

#include "finfusion/structured_field.h"
#include "internal/base64.h"
#include "internal/byte_scan.h"
#include "internal/json.h"
#include "internal/sha256.h"
#include "internal/signature_fields.h"
#include "internal/wiping.h"
#include "internal/sodium_init.h"

namespace finfusion::signing {
namespace {

using internal::Base64;
using internal::WipingText;

Status invalid(std::string message) { return Status(Code::kInvalidRequest, std::move(message)); }

Status check_key_id(std::string_view key_id) {
  if (key_id.empty() || key_id.size() > kMaxKeyIdBytes) {
    return invalid("keyid must be 1 to " + std::to_string(kMaxKeyIdBytes) + " characters");
  }
  for (char c : key_id) {
    if (c < 0x20 || c > 0x7e) return invalid("keyid must be printable ASCII");
  }
  return Status::Ok();
}

Status check_hmac_secret(const SecretBytes& secret) {
  if (secret.size() < kMinHmacSecretBytes || secret.size() > kMaxHmacSecretBytes) {
    return invalid("an hmac-sha256 secret must be " + std::to_string(kMinHmacSecretBytes) + " to " +
                   std::to_string(kMaxHmacSecretBytes) + " bytes, not " + std::to_string(secret.size()));
  }
  return Status::Ok();
}

Status sodium_missing() { return Status(Code::kInternal, "libsodium could not be initialised"); }

// ---- Components ----

enum class Derived : std::uint8_t {
  kNone, kMethod, kTargetUri, kAuthority, kScheme, kRequestTarget, kPath, kQuery, kQueryParam, kStatus
};

Derived derived_from_name(std::string_view name) {
  static constexpr std::pair<std::string_view, Derived> kNames[] = {
      {"@method", Derived::kMethod},   {"@target-uri", Derived::kTargetUri},
      {"@authority", Derived::kAuthority}, {"@scheme", Derived::kScheme},
      {"@request-target", Derived::kRequestTarget}, {"@path", Derived::kPath},
      {"@query", Derived::kQuery},     {"@query-param", Derived::kQueryParam},
      {"@status", Derived::kStatus}};
  for (const auto& [n, d] : kNames) {
    if (n == name) return d;
  }
  return Derived::kNone;
}

// One covered component, validated: RFC 9421 section 2 and 6.5's parameters.
struct Component {
  std::string name;
  Derived derived = Derived::kNone;
  bool sf = false, bs = false, req = false;
  std::optional<std::string> key;    // ;key="member"
  std::optional<std::string> param;  // @query-param;name="..."
  std::string id;                    // serialised identifier
};

bool is_field_name_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '!' || c == '#' || c == '$' || c == '%' ||
         c == '&' || c == '\'' || c == '*' || c == '+' || c == '-' || c == '.' || c == '^' || c == '_' ||
         c == '`' || c == '|' || c == '~';
}

// A component name in quotes: the identifier of a component without parameters (a string
// item; names hold neither '"' nor '\\', so nothing needs escaping).
std::string quoted_name(std::string_view name) {
  std::string out;
  out.reserve(name.size() + 2);
  out.append(1, '"').append(name).append(1, '"');
  return out;
}

Result<Component> component_from_item(const sf::Item& item) {
  const std::string* name = std::get_if<std::string>(&item.value);
  if (name == nullptr) return invalid("a component identifier must be a string");
  Component c;
  c.name = *name;
  if (c.name.empty()) return invalid("empty component name");
  if (c.name[0] == '@') {
    c.derived = derived_from_name(c.name);
    if (c.derived == Derived::kNone) {
      return invalid(c.name == "@signature-params" ? "@signature-params cannot be covered"
                                                    : "unknown derived component");
    }
  } else {
    for (char ch : c.name) {
      if (!is_field_name_char(ch)) return invalid("a field name must be a lowercase token");
    }
  }
  for (const auto& [pname, pvalue] : item.params) {
    const bool* flag = std::get_if<bool>(&pvalue);
    const std::string* text = std::get_if<std::string>(&pvalue);
    if (pname == "sf" || pname == "bs" || pname == "req") {
      if (flag == nullptr || !*flag) return invalid("component parameter ;" + pname + " takes no value");
      (pname == "sf" ? c.sf : pname == "bs" ? c.bs : c.req) = true;
    } else if (pname == "key") {
      if (text == nullptr || !sf::is_key(*text)) return invalid("component parameter ;key must name a dictionary key");
      c.key = *text;
    } else if (pname == "name") {
      if (text == nullptr) return invalid("component parameter ;name must be a string");
      c.param = *text;
    } else if (pname == "tr") {
      return invalid("trailer components (;tr) are not supported");
    } else {
      return invalid("unknown component parameter ;" + pname);
    }
  }
  if (c.derived != Derived::kNone && (c.sf || c.bs || c.key)) {
    return invalid("derived components take no ;sf, ;bs or ;key");
  }
  if ((c.derived == Derived::kQueryParam) != c.param.has_value()) {
    return invalid(c.param ? "only @query-param takes ;name" : "@query-param needs ;name");
  }
  if (c.bs && (c.sf || c.key)) return invalid(";bs cannot be combined with ;sf or ;key");
  if (item.params.empty()) {  // the usual case: the identifier is the name (checked above) quoted
    c.id = quoted_name(c.name);
    return c;
  }
  Result<std::string> id = sf::serialize(item);
  if (!id.ok()) return id.status();
  c.id = std::move(*id);
  return c;
}

// `"@query-param";name="a"` as written in Signature-Input, or `@query-param;name="a"`.
Result<Component> parse_component(std::string_view text) {
  if (text.empty()) return invalid("empty component identifier");
  if (text.size() > 1024) return invalid("component identifier too long");
  std::string written;  // as an item: `"name"` and any parameters
  if (text[0] == '"') {
    written = std::string(text);
  } else {
    std::size_t semi = text.find(';');
    std::string_view name = text.substr(0, semi);
    if (name.find_first_of("\"\\ ") != std::string_view::npos) return invalid("malformed component identifier");
    written = quoted_name(name).append(semi == std::string_view::npos ? std::string_view() : text.substr(semi));
  }
  Result<sf::Item> item = sf::parse_item(written);
  if (!item.ok()) return invalid("malformed component identifier");
  return component_from_item(*item);
}

const Component* find_default(std::string_view name);

// The covered components of one signature, in order. Each is one of the default
// components parsed once (below), or one parsed for this signature and kept in `owned_`.
class Components {
 public:
  // Room for `n` components: in the object itself for a signature's usual few, else on
  // the heap.
  explicit Components(std::size_t n) : room_(n) {
    if (n > kInline) spilled_.resize(n);
  }
  // Moves keep the owned elements where they are, and so the list's pointers valid.
  Components(Components&&) noexcept = default;
  Components& operator=(Components&&) noexcept = default;
  Components(const Components&) = delete;
  Components& operator=(const Components&) = delete;

  Status add(const Component& c) {
    for (const Component* seen : list()) {
      if (seen->id == c.id) return invalid("component " + c.id + " is covered twice");
    }
    if (size_ == room_) return Status(Code::kInternal, "more components than there is room for");
    slots()[size_++] = &c;
    return Status::Ok();
  }
  Status add_owned(Component c) {
    // Sized once, on the first: the list points into it, so it must never reallocate.
    if (owned_.capacity() == 0) owned_.reserve(room_);
    if (owned_.size() == room_) return Status(Code::kInternal, "more components than there is room for");
    const Component& kept = owned_.emplace_back(std::move(c));
    if (Status s = add(kept); !s.ok()) {
      owned_.pop_back();
      return s;
    }
    return Status::Ok();
  }
  // The default component whose plain name is `name` (see find_default), else the one
  // `parse()` gives (a Result<Component>).
  template <class Parse>
  Status add_default_or(std::string_view name, Parse parse) {
    if (const Component* d = find_default(name)) return add(*d);
    Result<Component> c = parse();
    if (!c.ok()) return c.status();
    return add_owned(std::move(*c));
  }
  // The components in order.
  struct List {
    const Component* const* first;
    std::size_t count;
    const Component* const* begin() const noexcept { return first; }
    const Component* const* end() const noexcept { return first + count; }
    std::size_t size() const noexcept { return count; }
  };
  List list() const noexcept { return {room_ > kInline ? spilled_.data() : inline_.data(), size_}; }

 private:
  static constexpr std::size_t kInline = 8;
  const Component** slots() noexcept { return room_ > kInline ? spilled_.data() : inline_.data(); }

  std::size_t room_, size_ = 0;
  std::array<const Component*, kInline> inline_{};
  std::vector<const Component*> spilled_;
  std::vector<Component> owned_;
};

Result<Components> parse_components(const std::vector<std::string>& texts) {
  Components out(texts.size());
  for (const std::string& t : texts) {
    // A default component by its plain name, quoted or not, is the one parsed once.
    const std::string_view bare = t.size() >= 2 && t.front() == '"' && t.back() == '"'
                                      ? std::string_view(t).substr(1, t.size() - 2) : std::string_view(t);
    if (Status s = out.add_default_or(bare, [&] { return parse_component(t); }); !s.ok()) return s;
  }
  return out;
}

// True when `text` is a plain name: a field name, or a derived component that takes no
// parameter (its identifier is the name quoted).
bool is_plain_component(std::string_view text) {
  const Derived derived = !text.empty() && text[0] == '@' ? derived_from_name(text) : Derived::kNone;
  return !text.empty() && text.size() <= 1024 &&
         (text[0] == '@' ? derived != Derived::kNone && derived != Derived::kQueryParam
                         : std::all_of(text.begin(), text.end(), is_field_name_char));
}

// True when `id` is the identifier of the plain component `name` (`"name"`).
bool is_quoted(std::string_view id, std::string_view name) {
  return id.size() == name.size() + 2 && id.front() == '"' && id.back() == '"' && id.substr(1, name.size()) == name;
}

// The serialised identifier parse_component gives `text`, without parsing a plain name: what
// a policy's required components are compared by.
Result<std::string> component_id(std::string_view text) {
  if (is_plain_component(text)) return quoted_name(text);
  Result<Component> c = parse_component(text);
  if (!c.ok()) return c.status();
  return std::move(c->id);
}

// The default components (SignOptions::components empty), parsed once: signing and
// verification would otherwise parse the same few identifiers on every call. The plain
// `name` of one of them gives it (the same as parsing the name would); another, nullptr.
const Component* find_default(std::string_view name) {
  static const std::vector<Component> parsed = [] {
    std::vector<Component> out;
    for (const char* text : {"@method", "@status", "@target-uri", "content-digest", "content-type", "authorization"}) {
      out.push_back(*parse_component(text));  // valid identifiers: checked by the tests of the defaults
    }
    return out;
  }();
  for (const Component& c : parsed) {
    if (c.name == name) return &c;
  }
  return nullptr;
}

// ---- Component values ----

// A covered component the message does not have: signing refuses (invalid_request), a
// verifier rejects the signature (signature_invalid).
Status absent(std::string what) { return Status(Code::kNotFound, std::move(what)); }

char lowercase(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

bool equals_ignore_case(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (lowercase(a[i]) != lowercase(b[i])) return false;
  }
  return true;
}

std::string_view trim_ows(std::string_view v) {
  while (!v.empty() && (v.front() == ' ' || v.front() == '\t')) v.remove_prefix(1);
  while (!v.empty() && (v.back() == ' ' || v.back() == '\t')) v.remove_suffix(1);
  return v;
}

// True when `v` holds no CR, LF or NUL.
bool is_clean(std::string_view v) {
  return internal::find_stop<'\r', '\n', '\0'>(v, 0, internal::kNothingBelow) == v.size();
}
Status unclean_field() { return invalid("a header value holds CR, LF or NUL"); }

// A field's lines, trimmed and joined with ", " (RFC 9110 section 5.3). Plain members,
// not a Result of an optional: that one went through memory in pieces the loads after it
// could not be forwarded from (a stall on every call).
struct Joined {
  std::string_view value;  // a view of the message's own text when it has one line, else of the storage
  bool found = false;      // the message has the field
  bool clean = true;       // no line of it holds CR, LF or NUL (value is empty when one does)
  // What the callers other than the signature base use: an unclean field counts as absent.
  bool usable() const { return found && clean; }
};

Joined join_field(const Message& m, std::string_view name, WipingText& storage) {
  Joined out;
  bool joined = false;
  for (const Field& f : m.headers) {
    if (!equals_ignore_case(f.name, name)) continue;
    if (!is_clean(f.value)) return Joined{{}, true, false};
    const std::string_view line = trim_ows(f.value);
    if (!out.found) {
      out.value = line;
      out.found = true;
      continue;
    }
    if (!joined) storage.append(out.value);
    joined = true;
    storage.append(", ").append(line);
  }
  if (joined) out.value = storage.view();
  return out;
}

enum class FieldType { kUnknown, kDictionary, kList, kItem };

// The structured type of fields this library knows (RFC 9421 section 2.1.1 asks the
// signer to know it); other fields are read as a dictionary, else a list.
FieldType field_type(std::string_view name) {
  static constexpr std::string_view kDictionaries[] = {
      "signature-input", "signature", "accept-signature", "content-digest", "repr-digest",
      "want-content-digest", "want-repr-digest", "priority", "cdn-cache-control"};
  static constexpr std::string_view kLists[] = {"cache-status", "proxy-status", "accept-ch"};
  for (std::string_view d : kDictionaries) {
    if (d == name) return FieldType::kDictionary;
  }
  for (std::string_view l : kLists) {
    if (l == name) return FieldType::kList;
  }
  return FieldType::kUnknown;
}

Result<std::string> reserialize(std::string_view name, std::string_view value) {
  FieldType type = field_type(name);
  if (type == FieldType::kDictionary || type == FieldType::kUnknown) {
    Result<sf::Dictionary> d = sf::parse_dictionary(value);
    if (d.ok()) return sf::serialize(*d);
    if (type == FieldType::kDictionary) return invalid("field " + std::string(name) + " is not a structured dictionary");
  }
  Result<sf::List> l = sf::parse_list(value);
  if (!l.ok()) return invalid("field " + std::string(name) + " is not a structured field");
  return sf::serialize(*l);
}

// The parts of an absolute target URI (RFC 3986), the fragment dropped: views of its text,
// checked here and lowercased where they are written out.
struct Uri {
  std::string_view scheme;
  std::string_view authority;  // without userinfo
  std::string_view path;       // "" allowed here; "/" is substituted where RFC 9421 says
  std::optional<std::string_view> query;
  std::string_view without_fragment;
};

Result<Uri> parse_uri(std::string_view text) {
  if (text.size() > 8192) return invalid("target URI longer than 8192 bytes");
  // Visible ASCII only: no byte below '!' (a signed 0x80 and above is negative), no DEL.
  if (internal::find_stop<'\x7f'>(text, 0, '!') != text.size()) {
    return invalid("target URI holds a space, control or non-ASCII character");
  }
  Uri u;
  std::size_t hash = text.find('#');
  u.without_fragment = text.substr(0, hash);
  std::string_view rest = u.without_fragment;
  std::size_t colon = rest.find("://");
  if (colon == std::string_view::npos || colon == 0) return invalid("target URI must be absolute (scheme://authority/...)");
  for (std::size_t i = 0; i < colon; ++i) {
    char c = rest[i];
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (i > 0 && ((c >= '0' && c <= '9') || c == '+' || c == '-' || c == '.'));
    if (!ok) return invalid("target URI has a malformed scheme");
  }
  u.scheme = rest.substr(0, colon);
  rest.remove_prefix(colon + 3);
  // The authority runs to the first '/' or '?', and starts after its last '@' (one loop:
  // find_first_of calls memchr on the set for every byte).
  std::size_t end = 0, host = 0;
  for (; end < rest.size() && rest[end] != '/' && rest[end] != '?'; ++end) {
    if (rest[end] == '@') host = end + 1;
  }
  u.authority = rest.substr(host, end - host);
  rest.remove_prefix(end);
  if (u.authority.empty()) return invalid("target URI has no host");
  std::size_t q = rest.find('?');
  u.path = rest.substr(0, q);
  if (q != std::string_view::npos) u.query = rest.substr(q + 1);
  return u;
}

void append_lowercase(std::string_view text, WipingText& out) {
  for (char c : text) out.push_back(lowercase(c));
}

// @authority (RFC 9421 section 2.2.3): lowercase, without the scheme's default port.
void append_authority(const Uri& u, WipingText& out) {
  std::string_view authority = u.authority;
  const std::size_t port = authority.rfind(':');
  if (port != std::string_view::npos && authority.find(']', port) == std::string_view::npos) {
    const std::string_view p = authority.substr(port + 1);
    if (p.empty() || (equals_ignore_case(u.scheme, "https") && p == "443") ||
        (equals_ignore_case(u.scheme, "http") && p == "80")) {
      authority = authority.substr(0, port);
    }
  }
  append_lowercase(authority, out);
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// application/x-www-form-urlencoded decoding of one name or value (WHATWG URL): '+' is a
// space, %XX a byte, a '%' not followed by two hex digits stays as it is.
std::string form_decode(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    if (c == '+') {
      out.push_back(' ');
    } else if (c == '%' && i + 2 < s.size() && hex_value(s[i + 1]) >= 0 &&
               hex_value(s[i + 2]) >= 0) {
      out.push_back(static_cast<char>(hex_value(s[i + 1]) * 16 + hex_value(s[i + 2])));
      i += 2;
    } else {
      out.push_back(c);
    }
  }
  return out;
}

// RFC 9421 section 2.2.8: names and values are percent-encoded again after parsing, as the
// WHATWG form serialiser does (ALPHA, DIGIT and "*-._" kept, every other byte as %XX in
// upper-case hex) except that a space is %20, not "+", as the RFC's examples show.
std::string query_encode(std::string_view s) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (char ch : s) {
    const auto c = static_cast<unsigned char>(ch);
    bool unreserved = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '*' ||
                      c == '-' || c == '.' || c == '_';
    if (unreserved) {
      out.push_back(static_cast<char>(c));
    } else {
      out.push_back('%');
      out.push_back(kHex[c >> 4]);
      out.push_back(kHex[c & 15]);
    }
  }
  return out;
}

Result<std::string> query_param(const Uri& uri, std::string_view wanted) {
  std::string target = query_encode(form_decode(wanted));
  std::optional<std::string> found;
  std::string_view q = uri.query.value_or(std::string_view());
  while (!q.empty()) {
    std::size_t amp = q.find('&');
    std::string_view pair = q.substr(0, amp);
    q = amp == std::string_view::npos ? std::string_view() : q.substr(amp + 1);
    if (pair.empty()) continue;
    std::size_t eq = pair.find('=');
    std::string name = query_encode(form_decode(pair.substr(0, eq)));
    if (name != target) continue;
    if (found) return invalid("query parameter " + target + " appears more than once and cannot be covered");
    found = query_encode(form_decode(eq == std::string_view::npos ? std::string_view() : pair.substr(eq + 1)));
  }
  if (!found) return absent("the query has no parameter " + target);
  return *found;
}

// Appends a derived component's value (RFC 9421 section 2.2) to `out`.
Status append_derived(const Component& c, const Message& m, WipingText& out) {
  bool is_request = m.status == 0;
  if (c.derived == Derived::kStatus) {
    if (is_request) return absent("@status belongs to responses");
    if (m.status < 100 || m.status > 999) return invalid("a response status must be 100 to 999");
    out += std::to_string(m.status);
    return Status::Ok();
  }
  if (!is_request) return absent(c.name + " belongs to requests (use ;req on a response)");
  if (c.derived == Derived::kMethod) {
    if (m.method.empty()) return invalid("the request has no method");
    for (char ch : m.method) {
      if (!is_field_name_char(ch) && !(ch >= 'A' && ch <= 'Z')) return invalid("the method is not a token");
    }
    out += m.method;
    return Status::Ok();
  }
  Result<Uri> uri = parse_uri(m.target_uri);
  if (!uri.ok()) return uri.status();
  const std::string_view path = uri->path.empty() ? std::string_view("/") : uri->path;
  switch (c.derived) {
    case Derived::kTargetUri: out += uri->without_fragment; break;
    case Derived::kAuthority: append_authority(*uri, out); break;
    case Derived::kScheme: append_lowercase(uri->scheme, out); break;
    case Derived::kPath: out += path; break;
    case Derived::kRequestTarget:
      out += path;
      if (uri->query) out.append("?").append(*uri->query);
      break;
    case Derived::kQuery: out.append("?").append(uri->query.value_or(std::string_view())); break;
    case Derived::kQueryParam: {
      Result<std::string> value = query_param(*uri, *c.param);
      if (!value.ok()) return value.status();
      out += *value;
      break;
    }
    default: return Status(Code::kInternal, "unhandled derived component");
  }
  return Status::Ok();
}

// Appends a field component's value (RFC 9421 section 2.1) to `out`.
Status append_field(const Component& c, const Message& m, WipingText& out) {
  if (c.bs) {
    bool any = false;
    for (const Field& f : m.headers) {
      if (!equals_ignore_case(f.name, c.name)) continue;
      if (!is_clean(f.value)) return unclean_field();
      if (any) out += ", ";
      any = true;
      const std::string_view line = trim_ows(f.value);
      out.push_back(':');
      internal::encode_base64_into(line, Base64::kStandard,
                                   out.extend(internal::base64_length(line.size(), Base64::kStandard)));
      out.push_back(':');
    }
    return any ? Status::Ok() : absent("the message has no " + c.name + " field");
  }
  WipingText storage;
  const Joined joined = join_field(m, c.name, storage);
  if (!joined.clean) return unclean_field();
  if (!joined.found) return absent("the message has no " + c.name + " field");
  const std::string_view value = joined.value;
  if (c.key) {
    Result<sf::Dictionary> d = sf::parse_dictionary(value);
    if (!d.ok()) return invalid("field " + c.name + " is not a structured dictionary");
    const sf::Member* member = sf::find(*d, *c.key);
    if (member == nullptr) return absent("field " + c.name + " has no member " + *c.key);
    const sf::Item* item = std::get_if<sf::Item>(member);
    Result<std::string> text = item != nullptr ? sf::serialize(*item) : sf::serialize(std::get<sf::InnerList>(*member));
    if (!text.ok()) return text.status();
    out += *text;
    return Status::Ok();
  }
  if (c.sf) {
    Result<std::string> text = reserialize(c.name, value);
    if (!text.ok()) return text.status();
    out += *text;
    return Status::Ok();
  }
  out += value;
  return Status::Ok();
}

// A signature base (RFC 9421 section 2.5): one line per component, then the
// @signature-params line, whose value (section 2.3) is also what Signature-Input carries.
struct Base {
  std::string text;
  std::size_t params_at = 0;  // where the @signature-params value starts: it runs to the end
  std::string_view params_line() const { return std::string_view(text).substr(params_at); }
};

// A signature's parameters as the @signature-params line ends with them: parsed (and
// serialised there), or a text in canonical form already (as verification reads a
// Signature-Input a signer wrote).
struct ParamsText {
  const sf::Parameters* parsed = nullptr;
  std::string_view canonical;
  Status write(WipingText& out) const {
    if (parsed == nullptr) {
      out += canonical;
      return Status::Ok();
    }
    std::string text;
    if (Status s = sf::serialize_into(*parsed, text); !s.ok()) return s;
    out += text;
    return Status::Ok();
  }
};

// Builds the base in one string. The @signature-params value is the inner list of the
// covered components, then the signature's parameters; each component's identifier is its
// item's serialisation already, so the items are not written again.
Result<Base> build_base(const Message& m, const Components& components, const ParamsText& params) {
  Base out;
  // The usual base whole, not grown a piece at a time; a longer one grows by wiping what it
  // leaves, and one left unfinished by an error is wiped (it holds the covered headers).
  WipingText base(768);
  for (const Component* covered : components.list()) {
    const Component& c = *covered;
    const Message* source = &m;
    if (c.req) {
      if (m.status == 0 || m.request == nullptr) return absent(c.id + " needs the request this response answers");
      source = m.request;
    }
    base += c.id;
    base += ": ";
    Status s = c.derived != Derived::kNone ? append_derived(c, *source, base) : append_field(c, *source, base);
    if (!s.ok()) return s;
    base.push_back('\n');
  }
  base += "\"@signature-params\": ";
  out.params_at = base.size();
  base.push_back('(');
  for (const Component* c : components.list()) {
    if (base.size() > out.params_at + 1) base.push_back(' ');
    base += c->id;
  }
  base.push_back(')');
  if (Status s = params.write(base); !s.ok()) return s;
  if (base.size() - out.params_at > sf::kMaxFieldBytes) {
    return invalid("the signature's parameters are longer than " + std::to_string(sf::kMaxFieldBytes) + " bytes");
  }
  out.text = base.take();
  return out;
}

Status printable(std::string_view what, std::string_view text, std::size_t max) {
  if (text.size() > max) return invalid(std::string(what) + " longer than " + std::to_string(max) + " characters");
  for (char c : text) {
    if (c < 0x20 || c > 0x7e) return invalid(std::string(what) + " must be printable ASCII");
  }
  return Status::Ok();
}

bool has_field(const Message& m, std::string_view name) {
  for (const Field& f : m.headers) {
    if (equals_ignore_case(f.name, name)) return true;
  }
  return false;
}

}  // namespace

// ---- Algorithms and keys ----

std::string_view algorithm_name(Algorithm algorithm) noexcept {
  return algorithm == Algorithm::kEd25519 ? "ed25519" : "hmac-sha256";
}

Result<Algorithm> algorithm_from_name(std::string_view name) {
  if (name == "hmac-sha256") return Algorithm::kHmacSha256;
  if (name == "ed25519") return Algorithm::kEd25519;
  return invalid("unknown signature algorithm (hmac-sha256 or ed25519)");
}

namespace {

std::shared_ptr<const internal::HmacSha256Key> hmac_key(Algorithm algorithm, const SecretBytes& secret) {
  if (algorithm != Algorithm::kHmacSha256) return nullptr;
  return std::make_shared<const internal::HmacSha256Key>(secret.view());
}

}  // namespace

SigningKey::SigningKey(Algorithm algorithm, std::string key_id, SecretBytes secret, SecretBytes private_key,
                       std::string public_key)
    : algorithm_(algorithm),
      key_id_(std::move(key_id)),
      secret_(std::move(secret)),
      private_key_(std::move(private_key)),
      public_key_(std::move(public_key)),
      hmac_(hmac_key(algorithm_, secret_)) {}

VerifyingKey::VerifyingKey(Algorithm algorithm, std::string key_id, SecretBytes material,
                           std::shared_ptr<const internal::HmacSha256Key> hmac)
    : algorithm_(algorithm),
      key_id_(std::move(key_id)),
      material_(std::move(material)),
      hmac_(hmac ? std::move(hmac) : hmac_key(algorithm_, material_)) {}

Result<SigningKey> SigningKey::Hmac(std::string key_id, SecretBytes secret) {
  if (Status s = check_key_id(key_id); !s.ok()) return s;
  if (Status s = check_hmac_secret(secret); !s.ok()) return s;
  return SigningKey(Algorithm::kHmacSha256, std::move(key_id), std::move(secret), SecretBytes(), std::string());
}

Result<SigningKey> SigningKey::Ed25519(std::string key_id, const SecretBytes& seed) {
  if (Status s = check_key_id(key_id); !s.ok()) return s;
  if (seed.size() != kEd25519SeedBytes) {
    return invalid("an ed25519 seed must be 32 bytes, not " + std::to_string(seed.size()));
  }
  if (!internal::sodium_ready()) return sodium_missing();
  SecretBytes sk(crypto_sign_SECRETKEYBYTES);
  std::string pk(crypto_sign_PUBLICKEYBYTES, '\0');
  crypto_sign_seed_keypair(reinterpret_cast<unsigned char*>(pk.data()), sk.data(), seed.data());
  return SigningKey(Algorithm::kEd25519, std::move(key_id), seed, std::move(sk), std::move(pk));
}

Result<SigningKey> SigningKey::Generate(std::string key_id, Algorithm algorithm) {
  Result<SecretBytes> secret =
      random_secret(algorithm == Algorithm::kEd25519 ? kEd25519SeedBytes : kGeneratedHmacSecretBytes);
  if (!secret.ok()) return secret.status();
  if (algorithm == Algorithm::kEd25519) return Ed25519(std::move(key_id), *secret);
  return Hmac(std::move(key_id), std::move(*secret));
}

VerifyingKey SigningKey::verifying_key() const {
  if (algorithm_ == Algorithm::kEd25519) {
    return VerifyingKey(algorithm_, key_id_, SecretBytes::FromView(public_key_), nullptr);
  }
  return VerifyingKey(algorithm_, key_id_, secret_, hmac_);  // the pads shared
}

std::size_t SigningKey::sign_into(std::string_view message, unsigned char out[64]) const {
  static_assert(crypto_sign_BYTES == 64 && crypto_auth_hmacsha256_BYTES <= 64);
  if (algorithm_ == Algorithm::kHmacSha256) {
    hmac_->tag(message, out);
    return crypto_auth_hmacsha256_BYTES;
  }
  crypto_sign_detached(out, nullptr, reinterpret_cast<const unsigned char*>(message.data()), message.size(),
                       private_key_.data());
  return crypto_sign_BYTES;
}

std::string SigningKey::sign(std::string_view message) const {
  unsigned char out[64];
  const std::size_t n = sign_into(message, out);
  std::string signature(reinterpret_cast<const char*>(out), n);
  sodium_memzero(out, sizeof out);
  return signature;
}

Result<VerifyingKey> VerifyingKey::Hmac(std::string key_id, SecretBytes secret) {
  if (Status s = check_key_id(key_id); !s.ok()) return s;
  if (Status s = check_hmac_secret(secret); !s.ok()) return s;
  return VerifyingKey(Algorithm::kHmacSha256, std::move(key_id), std::move(secret), nullptr);
}

Result<VerifyingKey> VerifyingKey::Ed25519(std::string key_id, std::string_view public_key) {
  if (Status s = check_key_id(key_id); !s.ok()) return s;
  if (public_key.size() != kEd25519PublicKeyBytes) {
    return invalid("an ed25519 public key must be 32 bytes, not " + std::to_string(public_key.size()));
  }
  return VerifyingKey(Algorithm::kEd25519, std::move(key_id), SecretBytes::FromView(public_key), nullptr);
}

bool VerifyingKey::verify(std::string_view message, std::string_view signature) const {
  if (algorithm_ == Algorithm::kHmacSha256) {
    if (signature.size() != crypto_auth_hmacsha256_BYTES) return false;
    unsigned char expected[crypto_auth_hmacsha256_BYTES];
    hmac_->tag(message, expected);
    bool same = constant_time_equals(std::string_view(reinterpret_cast<const char*>(expected), sizeof expected), signature);
    sodium_memzero(expected, sizeof expected);
    return same;
  }
  if (signature.size() != crypto_sign_BYTES || !internal::sodium_ready()) return false;
  return crypto_sign_verify_detached(reinterpret_cast<const unsigned char*>(signature.data()),
                                     reinterpret_cast<const unsigned char*>(message.data()), message.size(),
                                     material_.data()) == 0;  // ct-ok: libsodium's result code
}

bool KeyRing::contains(std::string_view key_id) const noexcept {
  return std::any_of(keys_.begin(), keys_.end(), [&](const VerifyingKey& k) { return k.key_id() == key_id; });
}

// ---- Content-Digest ----

std::string_view digest_name(DigestAlgorithm algorithm) noexcept {
  return algorithm == DigestAlgorithm::kSha512 ? "sha-512" : "sha-256";
}

Result<DigestAlgorithm> digest_from_name(std::string_view name) {
  if (name == "sha-256") return DigestAlgorithm::kSha256;
  if (name == "sha-512") return DigestAlgorithm::kSha512;
  return invalid("unknown digest algorithm (sha-256 or sha-512)");
}

namespace {

// The body's digest, in a buffer on the stack (no allocation on the signing paths).
class BodyDigest {
 public:
  BodyDigest(std::string_view body, DigestAlgorithm algorithm) {
    if (algorithm == DigestAlgorithm::kSha512) {
      crypto_hash_sha512(bytes_.data(), reinterpret_cast<const unsigned char*>(body.data()), body.size());
      size_ = crypto_hash_sha512_BYTES;
    } else {
      const internal::Sha256Digest digest = internal::sha256(body);
      std::copy(digest.begin(), digest.end(), bytes_.begin());
      size_ = digest.size();
    }
  }
  std::string_view view() const noexcept { return {reinterpret_cast<const char*>(bytes_.data()), size_}; }

 private:
  std::array<unsigned char, crypto_hash_sha512_BYTES> bytes_;
  std::size_t size_;
};

// The Content-Digest value signing writes, "<name>=:<base64>:", at `out`; its length.
constexpr std::size_t kMaxDigestField = 7 + 2 + internal::base64_length(crypto_hash_sha512_BYTES, Base64::kStandard) + 1;
std::size_t digest_field_into(const BodyDigest& digest, DigestAlgorithm algorithm, char* out) {
  const std::string_view name = digest_name(algorithm);
  char* at = std::copy(name.begin(), name.end(), out);
  *at++ = '=';
  *at++ = ':';
  internal::encode_base64_into(digest.view(), Base64::kStandard, at);
  at += internal::base64_length(digest.view().size(), Base64::kStandard);
  *at++ = ':';
  return static_cast<std::size_t>(at - out);
}

// Content-Digest read member by member; `known` is the body's digest under `known_algorithm`
// when the caller has it already.
Status verify_digest_members(std::string_view field, std::string_view body, const BodyDigest* known,
                             DigestAlgorithm known_algorithm) {
  Result<sf::Dictionary> dict = sf::parse_dictionary(field);
  if (!dict.ok()) return invalid("Content-Digest is not a structured dictionary");
  bool checked = false;
  for (const auto& [name, member] : *dict) {
    const sf::Item* item = std::get_if<sf::Item>(&member);
    const sf::ByteSequence* bytes = item != nullptr ? std::get_if<sf::ByteSequence>(&item->value) : nullptr;
    if (bytes == nullptr) return invalid("Content-Digest member " + name + " is not a byte sequence");
    Result<DigestAlgorithm> algorithm = digest_from_name(name);
    if (!algorithm.ok()) continue;  // other algorithms are ignored (RFC 9530 section 2)
    const bool reuse = known != nullptr && *algorithm == known_algorithm;
    const BodyDigest digest = reuse ? *known : BodyDigest(body, *algorithm);
    if (!constant_time_equals(digest.view(), bytes->bytes)) {
      return Status(Code::kSignatureInvalid, "Content-Digest " + name + " does not match the body");
    }
    checked = true;
  }
  if (!checked) return invalid("Content-Digest has neither sha-256 nor sha-512");
  return Status::Ok();
}

}  // namespace

std::string content_digest(std::string_view body, DigestAlgorithm algorithm) {
  char field[kMaxDigestField];
  return std::string(field, digest_field_into(BodyDigest(body, algorithm), algorithm, field));
}

Status verify_content_digest(std::string_view field, std::string_view body) {
  // The form signing writes (one sha-256 or sha-512 member) is compared whole with the one
  // the body gives, with nothing to parse or decode: what that member reads as is exactly
  // that text. Any other field, a mismatch included, is read member by member, which names
  // what is wrong (reusing the digest).
  for (const DigestAlgorithm algorithm : {DigestAlgorithm::kSha256, DigestAlgorithm::kSha512}) {
    const std::string_view name = digest_name(algorithm);
    if (field.size() <= name.size() || field.substr(0, name.size()) != name || field[name.size()] != '=') continue;
    const BodyDigest digest(body, algorithm);
    char expected[kMaxDigestField];
    if (constant_time_equals(field, std::string_view(expected, digest_field_into(digest, algorithm, expected)))) {
      return Status::Ok();
    }
    return verify_digest_members(field, body, &digest, algorithm);
  }
  return verify_digest_members(field, body, nullptr, DigestAlgorithm::kSha256);
}

// ---- Signing ----

Result<Signed> sign(const Message& message, const SigningKey& key, const SignOptions& options, time::Millis now) {
  if (!sf::is_key(options.label)) return invalid("the signature label must be a structured-field key (a-z, 0-9, _-.*)");
  if (now < 0 || now > time::kMaxInstant) {
    return Status(Code::kInvalidTimestamp, "now must be between 1970 and 9999 for a signature's created time");
  }
  Signed out;
  out.headers.reserve(3);

  // The message signed: every member named (a new one left out is a
  // -Wmissing-field-initializers error), its headers copied once into room for one more.
  Message m{message.method, message.target_uri, message.status, {}, message.body, message.request};
  m.headers.reserve(message.headers.size() + 1);
  m.headers.assign(message.headers.begin(), message.headers.end());
  // The body's digest: checked when the caller brought one, added when not (as a view of
  // the field returned: `out.headers` never grows past the three reserved).
  if (m.body) {
    WipingText storage;
    if (const Joined existing = join_field(m, "content-digest", storage); existing.usable()) {
      Status s = verify_content_digest(existing.value, *m.body);
      if (!s.ok()) return invalid("the Content-Digest present does not match the body");
    } else {
      const std::string& digest =
          out.headers.emplace_back("Content-Digest", content_digest(*m.body, options.digest)).second;
      m.headers.push_back(Field{"content-digest", digest});
    }
  }

  Result<Components> components = Components(options.components.empty() ? 5 : 0);
  if (options.components.empty()) {
    // Defaults, each distinct: add() cannot refuse them.
    (void)components->add(*find_default(m.status == 0 ? "@method" : "@status"));
    if (m.status == 0) (void)components->add(*find_default("@target-uri"));
    if (m.body) (void)components->add(*find_default("content-digest"));
    if (has_field(m, "content-type")) (void)components->add(*find_default("content-type"));
    if (m.status == 0 && has_field(m, "authorization")) (void)components->add(*find_default("authorization"));
  } else {
    components = parse_components(options.components);
    if (!components.ok()) return components.status();
  }

  WipingText inputs_storage;
  if (const Joined inputs = join_field(m, "signature-input", inputs_storage); inputs.usable()) {
    Result<sf::Dictionary> d = sf::parse_dictionary(inputs.value);
    if (!d.ok()) return invalid("the message's Signature-Input is malformed");
    if (sf::find(*d, options.label) != nullptr) return invalid("the message already has a signature labelled " + options.label);
  }

  // The parameters' canonical text, written once rather than built as sf::Parameters and
  // serialised: created, expires, keyid, alg, nonce, tag.
  std::string params;
  params.reserve(96 + key.key_id().size() + options.nonce.size() + options.tag.size());
  const auto integer_param = [&params](std::string_view name, std::int64_t value) {
    params.append(1, ';').append(name).append(1, '=');
    return sf::serialize_integer_into(value, params);
  };
  const auto string_param = [&params](std::string_view name, std::string_view value) {
    params.append(1, ';').append(name).append(1, '=');
    return sf::serialize_string_into(value, params);
  };
  const std::int64_t created = now / 1000;
  if (Status s = integer_param("created", created); !s.ok()) return s;
  if (options.expires_in_seconds) {
    if (*options.expires_in_seconds <= 0 || *options.expires_in_seconds > 366LL * 86400) {
      return invalid("expires_in must be 1 second to 366 days");
    }
    if (Status s = integer_param("expires", created + *options.expires_in_seconds); !s.ok()) return s;
  }
  if (Status s = string_param("keyid", key.key_id()); !s.ok()) return s;
  if (options.include_alg) {
    if (Status s = string_param("alg", algorithm_name(key.algorithm())); !s.ok()) return s;
  }
  std::string nonce = options.nonce;
  if (options.generate_nonce) {
    if (!nonce.empty()) return invalid("give a nonce or ask for one to be generated, not both");
    Result<SecretBytes> random = random_secret(16);
    if (!random.ok()) return random.status();
    nonce = internal::encode_base64(random->view(), Base64::kUrlNoPadding);
  }
  if (!nonce.empty()) {
    if (Status s = printable("nonce", nonce, NonceCache::kMaxNonceBytes); !s.ok()) return s;
    if (Status s = string_param("nonce", nonce); !s.ok()) return s;
  }
  if (!options.tag.empty()) {
    if (Status s = printable("tag", options.tag, 256); !s.ok()) return s;
    if (Status s = string_param("tag", options.tag); !s.ok()) return s;
  }
  Result<Base> base = build_base(m, *components, ParamsText{nullptr, params});
  if (!base.ok()) {
    if (base.code() == Code::kNotFound) return invalid("cannot sign: " + base.status().message());
    return base.status();
  }
  unsigned char raw[64];
  const std::string_view signature(reinterpret_cast<const char*>(raw), key.sign_into(base->text, raw));
  const std::string_view line = base->params_line();
  std::string& input = out.headers.emplace_back("Signature-Input", std::string()).second;
  input.reserve(options.label.size() + 1 + line.size());
  input.append(options.label).append(1, '=').append(line);
  const std::size_t encoded = internal::base64_length(signature.size(), Base64::kStandard);
  std::string& value = out.headers.emplace_back("Signature", std::string()).second;
  value.reserve(options.label.size() + 3 + encoded);
  value.append(options.label).append("=:").append(encoded, '\0').append(1, ':');
  internal::encode_base64_into(signature, Base64::kStandard, value.data() + options.label.size() + 2);
  sodium_memzero(raw, sizeof raw);
  out.signature_input = std::string(line);
  out.signature_base = std::move(base->text);
  return out;
}

// ---- Nonces ----

struct NonceCache::State {
  mutable std::mutex mu;
  std::unordered_map<std::string, time::Millis> until;
  // (keep_until, entry) oldest expiry first; entries re-remembered later are skipped.
  std::priority_queue<std::pair<time::Millis, std::string>, std::vector<std::pair<time::Millis, std::string>>,
                      std::greater<>>
      expiry;

  void drop_expired(time::Millis now) {
    while (!expiry.empty() && expiry.top().first <= now) {
      auto it = until.find(expiry.top().second);
      if (it != until.end() && it->second <= now) until.erase(it);
      expiry.pop();
    }
  }
};

NonceCache::NonceCache(std::size_t max_entries)
    : max_entries_(max_entries == 0 ? 1 : max_entries), state_(std::make_unique<State>()) {}
NonceCache::~NonceCache() = default;

NonceCache::Outcome NonceCache::remember(std::string_view key_id, std::string_view nonce, time::Millis keep_until,
                                         time::Millis now) {
  std::string entry;
  entry.reserve(key_id.size() + 1 + nonce.size());
  entry.append(key_id).push_back('\0');
  entry.append(nonce);
  std::lock_guard<std::mutex> lock(state_->mu);
  state_->drop_expired(now);
  auto it = state_->until.find(entry);
  if (it != state_->until.end()) return Outcome::kReplayed;
  if (state_->until.size() >= max_entries_) return Outcome::kFull;
  state_->until.emplace(entry, keep_until);
  state_->expiry.emplace(keep_until, std::move(entry));
  return Outcome::kFresh;
}

std::size_t NonceCache::size() const {
  std::lock_guard<std::mutex> lock(state_->mu);
  return state_->until.size();
}

// ---- Verification ----

namespace {

Verification rejected(Verification v, Code code, std::string message) {
  v.valid = false;
  v.code = code;
  v.message = std::move(message);
  return v;
}

// Reads the signature parameters into `v`; an error names the parameter.
Status read_params(const sf::Parameters& params, Verification& v, bool& has_created) {
  for (const auto& [param, value] : params) {
    const std::string_view name = param;  // compared by length first, without strlen
    const std::int64_t* n = std::get_if<std::int64_t>(&value);
    const std::string* s = std::get_if<std::string>(&value);
    if (name == "created" || name == "expires") {
      if (n == nullptr) return invalid("signature parameter " + param + " must be an integer");
      if (name == "created") {
        v.created = *n;
        has_created = true;
      } else {
        v.expires = *n;
      }
    } else if (name == "nonce" || name == "alg" || name == "keyid" || name == "tag") {
      if (s == nullptr) return invalid("signature parameter " + param + " must be a string");
      (name == "nonce" ? v.nonce : name == "alg" ? v.alg : name == "keyid" ? v.key_id : v.tag) = *s;
    } else {
      return invalid("unknown signature parameter " + param);
    }
  }
  return Status::Ok();
}

// The components an inner list of plain names covers (a Signature-Input read in place).
Result<Components> components_named(const std::string_view* names, std::size_t count) {
  Components out(count);
  for (std::size_t i = 0; i < count; ++i) {
    const std::string_view name = names[i];
    if (Status s = out.add_default_or(name, [&] { return component_from_item(sf::Item{std::string(name), {}}); });
        !s.ok()) {
      return s;
    }
  }
  return out;
}

Result<Components> components_of(const sf::InnerList& input) {
  Components out(input.items.size());
  for (const sf::Item& item : input.items) {
    // A string without parameters is a plain name, perhaps a default component's.
    const std::string* name = item.params.empty() ? std::get_if<std::string>(&item.value) : nullptr;
    const std::string_view plain = name != nullptr ? std::string_view(*name) : std::string_view();
    if (Status s = out.add_default_or(plain, [&] { return component_from_item(item); }); !s.ok()) return s;
  }
  return out;
}

}  // namespace

Result<std::string> signature_base(const Message& message, std::string_view signature_input_member) {
  Result<sf::List> parsed = sf::parse_list(signature_input_member);
  if (!parsed.ok()) return parsed.status();
  if (parsed->size() != 1 || !std::holds_alternative<sf::InnerList>((*parsed)[0])) {
    return invalid("a Signature-Input member must be one inner list");
  }
  const sf::InnerList& input = std::get<sf::InnerList>((*parsed)[0]);
  Result<Components> components = components_of(input);
  if (!components.ok()) return components.status();
  Result<Base> base = build_base(message, *components, ParamsText{&input.params, {}});
  if (!base.ok()) return base.code() == Code::kNotFound ? invalid(base.status().message()) : base.status();
  return std::move(base->text);
}

Verification verify(const Message& message, const KeyRing& keys, const VerifyPolicy& policy, NonceCache* nonces,
                    time::Millis now) {
  Verification v;
  if (policy.tolerance_seconds < 0 || policy.tolerance_seconds > 7LL * 86400) {
    return rejected(v, Code::kInvalidRequest, "the tolerance must be 0 to 7 days");
  }
  if (now < time::kMinInstant || now > time::kMaxInstant) {
    return rejected(v, Code::kInvalidTimestamp, "now is outside years 0001 to 9999");
  }
  if (policy.require_nonce && nonces == nullptr) {
    return rejected(v, Code::kInvalidRequest, "a policy that requires a nonce needs a nonce cache");
  }
  WipingText inputs_storage, signatures_storage;
  const Joined inputs_text = join_field(message, "signature-input", inputs_storage);
  const Joined signatures_text = join_field(message, "signature", signatures_storage);
  if (!inputs_text.usable() || !signatures_text.usable()) {
    return rejected(v, Code::kSignatureInvalid, "the message carries no Signature-Input and Signature");
  }
  // The two fields in the form signers write are read in place; anything else, errors
  // included, through the structured-field parser. Both give the same reading.
  internal::SimpleSignature simple;
  Result<sf::Dictionary> inputs = sf::Dictionary();
  Result<sf::Dictionary> signatures = sf::Dictionary();
  std::string_view signature;  // the signature's bytes
  ParamsText params;
  Result<Components> components = Components(0);
  bool has_created = false;
  if (internal::read_simple_signature(inputs_text.value, signatures_text.value, simple) &&
      (policy.label.empty() || simple.label == policy.label)) {
    v.label = simple.label;
    if (simple.created) v.created = *simple.created;
    has_created = simple.created.has_value();
    if (simple.expires) v.expires = *simple.expires;
    if (simple.keyid) v.key_id = *simple.keyid;
    if (simple.alg) v.alg = *simple.alg;
    if (simple.nonce) v.nonce = *simple.nonce;
    if (simple.tag) v.tag = *simple.tag;
    signature = simple.signature_bytes();
    params.canonical = simple.params;
    components = components_named(simple.names.data(), simple.count);
  } else {
    inputs = sf::parse_dictionary(inputs_text.value);
    if (!inputs.ok()) return rejected(v, Code::kInvalidRequest, "Signature-Input: " + inputs.status().message());
    signatures = sf::parse_dictionary(signatures_text.value);
    if (!signatures.ok()) return rejected(v, Code::kInvalidRequest, "Signature: " + signatures.status().message());

    // The signature to check: the policy's label, or the first the ring has a key for.
    const std::pair<std::string, sf::Member>* chosen = nullptr;
    for (const auto& entry : *inputs) {
      if (!policy.label.empty()) {
        if (entry.first == policy.label) chosen = &entry;
        continue;
      }
      const sf::InnerList* list = std::get_if<sf::InnerList>(&entry.second);
      const sf::BareItem* keyid = list != nullptr ? sf::find(list->params, "keyid") : nullptr;
      const std::string* id = keyid != nullptr ? std::get_if<std::string>(keyid) : nullptr;
      if (id != nullptr && keys.contains(*id)) {
        chosen = &entry;
        break;
      }
    }
    if (chosen == nullptr && policy.label.empty() && !inputs->empty()) chosen = &inputs->front();
    if (chosen == nullptr) {
      return rejected(v, Code::kSignatureInvalid, policy.label.empty() ? "Signature-Input holds no signature"
                                                                       : "the message has no signature labelled " + policy.label);
    }
    v.label = chosen->first;

    const sf::InnerList* input = std::get_if<sf::InnerList>(&chosen->second);
    if (input == nullptr) return rejected(v, Code::kInvalidRequest, "Signature-Input member is not an inner list");
    const sf::Member* sig_member = sf::find(*signatures, v.label);
    const sf::Item* sig_item = sig_member != nullptr ? std::get_if<sf::Item>(sig_member) : nullptr;
    const sf::ByteSequence* sig = sig_item != nullptr ? std::get_if<sf::ByteSequence>(&sig_item->value) : nullptr;
    if (sig == nullptr) return rejected(v, Code::kInvalidRequest, "Signature has no byte sequence for label " + v.label);
    signature = sig->bytes;

    if (Status s = read_params(input->params, v, has_created); !s.ok()) return rejected(v, s.code(), s.message());
    params.parsed = &input->params;
    components = components_of(*input);
  }
  if (!components.ok()) return rejected(v, components.code(), components.status().message());
  v.covered.reserve(components->list().size());
  for (const Component* c : components->list()) v.covered.push_back(c->id);

  if (v.key_id.empty()) return rejected(v, Code::kNotFound, "the signature names no keyid");
  if (!keys.contains(v.key_id)) return rejected(v, Code::kNotFound, "no key for this keyid");
  std::optional<Algorithm> alg;
  if (!v.alg.empty()) {
    Result<Algorithm> a = algorithm_from_name(v.alg);
    if (!a.ok()) return rejected(v, Code::kSignatureInvalid, "unsupported alg");
    alg = *a;
  }
  if (policy.require_nonce && v.nonce.empty()) return rejected(v, Code::kSignatureInvalid, "a nonce is required");

  // Time: created within the tolerance either side of now; expires not passed.
  if (!has_created) return rejected(v, Code::kSignatureInvalid, "the signature has no created time");
  const std::int64_t tolerance_ms = policy.tolerance_seconds * 1000;
  const std::int64_t limit = (time::kMaxInstant / 1000);
  if (v.created < 0 || v.created > limit || (v.expires && (*v.expires < v.created || *v.expires > limit))) {
    return rejected(v, Code::kInvalidRequest, "created or expires is out of range");
  }
  if (v.created * 1000 > now + tolerance_ms) return rejected(v, Code::kSignatureExpired, "created is in the future");
  if (v.created * 1000 < now - tolerance_ms) return rejected(v, Code::kSignatureExpired, "the signature is too old");
  if (v.expires && *v.expires * 1000 < now) return rejected(v, Code::kSignatureExpired, "the signature has expired");

  // Coverage the policy asks for (a set: a component named twice, or content-digest named
  // as well as required by require_content_digest, is asked for once).
  const std::size_t required = policy.required_components.size();
  const bool digest_required = message.body && policy.require_content_digest;
  for (std::size_t i = 0; i < required + (digest_required ? 1 : 0); ++i) {
    const std::string_view text = i < required ? std::string_view(policy.required_components[i]) : "content-digest";
    // A plain name is compared as its quoted identifier without writing one.
    if (is_plain_component(text) &&
        std::any_of(v.covered.begin(), v.covered.end(), [&](const std::string& id) { return is_quoted(id, text); })) {
      continue;
    }
    Result<std::string> id = component_id(text);
    if (!id.ok()) return rejected(v, Code::kInvalidRequest, "policy: " + id.status().message());
    if (std::find(v.covered.begin(), v.covered.end(), *id) == v.covered.end()) {
      return rejected(v, Code::kSignatureInvalid, "the signature does not cover " + *id);
    }
  }

  Result<Base> base = build_base(message, *components, params);
  if (!base.ok()) {
    return rejected(v, base.code() == Code::kNotFound ? Code::kSignatureInvalid : base.code(),
                    base.status().message());
  }
  v.signature_base = std::move(base->text);

  bool verified = false;
  bool alg_matches = false;
  for (const VerifyingKey& k : keys.keys()) {
    if (k.key_id() != v.key_id || (alg && k.algorithm() != *alg)) continue;
    alg_matches = true;
    if (k.verify(v.signature_base, signature)) {
      verified = true;
      if (v.alg.empty()) v.alg = std::string(algorithm_name(k.algorithm()));
      break;
    }
  }
  if (!alg_matches) return rejected(v, Code::kSignatureInvalid, "alg does not match the key");
  if (!verified) return rejected(v, Code::kSignatureInvalid, "the signature does not verify");

  if (std::any_of(v.covered.begin(), v.covered.end(),
                  [](const std::string& id) { return std::string_view(id) == "\"content-digest\""; })) {
    if (!message.body) {
      return rejected(v, Code::kSignatureInvalid, "content-digest is covered but no body was given to check");
    }
    WipingText storage;
    const Joined digest = join_field(message, "content-digest", storage);
    Status s = verify_content_digest(digest.usable() ? digest.value : std::string_view(), *message.body);
    if (!s.ok()) return rejected(v, s.code(), s.message());
  }

  if (!v.nonce.empty() && nonces != nullptr) {
    if (v.nonce.size() > NonceCache::kMaxNonceBytes) return rejected(v, Code::kInvalidRequest, "nonce too long");
    time::Millis keep_until = v.created * 1000 + tolerance_ms;
    if (v.expires) keep_until = std::min(keep_until, *v.expires * 1000);
    switch (nonces->remember(v.key_id, v.nonce, keep_until, now)) {
      case NonceCache::Outcome::kReplayed:
        return rejected(v, Code::kReplayed, "this nonce was already used");
      case NonceCache::Outcome::kFull:
        return rejected(v, Code::kRateLimited, "the nonce cache is full of live nonces");
      case NonceCache::Outcome::kFresh:
        break;
    }
  }
  v.valid = true;
  v.code = Code::kValid;
  v.message.clear();
  return v;
}

std::string Verification::to_json() const {
  internal::OrderedJson j = internal::OrderedJson::object();
  j["valid"] = valid;
  j["code"] = std::string(code_name(code));
  j["label"] = label;
  j["keyId"] = key_id;
  j["alg"] = alg;
  j["created"] = created;
  j["expires"] = expires ? internal::OrderedJson(*expires) : internal::OrderedJson(nullptr);
  j["nonce"] = nonce;
  j["tag"] = tag;
  j["covered"] = covered;
  return j.dump();
}

}  // namespace finfusion::signing
