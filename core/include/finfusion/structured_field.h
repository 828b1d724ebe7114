// finfusion/structured_field.h - RFC 8941 Structured Field Values: a parser and serialiser.
//
// What RFC 9421 signatures are written in (`Signature-Input`, `Signature`, covered component
// identifiers) and what RFC 9530 digests are written in (`Content-Digest`). Parsing follows
// RFC 8941 section 4.2 to the letter, with three deliberate refusals a security library owes
// its callers (each an invalid_request, never a silent choice):
//   - a dictionary key or a parameter name given twice (RFC 8941 keeps the last one; a
//     signature whose label appears twice is ambiguous, so we refuse it);
//   - a field longer than kMaxFieldBytes (a bound checked before any work);
//   - base64 in a byte sequence that is not canonical (wrong padding or non-zero pad bits).
//
//   finfusion::Result<finfusion::sf::Dictionary> d = finfusion::sf::parse_dictionary(value);
//   const finfusion::sf::Member* m = finfusion::sf::find(*d, "sig1");
//   finfusion::Result<std::string> text = finfusion::sf::serialize(*d);   // canonical form
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include "finfusion/status.h"

namespace finfusion::sf {

// The longest field value parsed or written (header lines are far shorter in practice).
inline constexpr std::size_t kMaxFieldBytes = 16 * 1024;

// sf-token: ALPHA or "*" first, then tchar, ":" or "/".
struct Token {
  std::string value;
  friend bool operator==(const Token& a, const Token& b) { return a.value == b.value; }
};

// sf-decimal, held exactly as thousandths: at most 12 integer digits and 3 fraction digits.
struct Decimal {
  std::int64_t thousandths = 0;
  friend bool operator==(const Decimal& a, const Decimal& b) { return a.thousandths == b.thousandths; }
};

// sf-binary: the decoded bytes of ":base64:".
struct ByteSequence {
  std::string bytes;
  friend bool operator==(const ByteSequence& a, const ByteSequence& b) { return a.bytes == b.bytes; }
};

// A bare item: boolean, integer (|n| <= 999,999,999,999,999), decimal, string (printable
// ASCII), token or byte sequence.
using BareItem = std::variant<bool, std::int64_t, Decimal, std::string, Token, ByteSequence>;

// Parameters in their order of appearance; names are unique (see above).
using Parameters = std::vector<std::pair<std::string, BareItem>>;

struct Item {
  BareItem value;
  Parameters params;
  friend bool operator==(const Item& a, const Item& b) { return a.value == b.value && a.params == b.params; }
};

struct InnerList {
  std::vector<Item> items;
  Parameters params;
  friend bool operator==(const InnerList& a, const InnerList& b) {
    return a.items == b.items && a.params == b.params;
  }
};

// A member of a list or a dictionary: an item or an inner list.
using Member = std::variant<Item, InnerList>;
using List = std::vector<Member>;
// Dictionary members in their order of appearance; keys are unique.
using Dictionary = std::vector<std::pair<std::string, Member>>;

// Parse a whole field value as one type. Several field lines of a list or dictionary field
// are joined with ", " first (RFC 9110 section 5.3), which the callers here do.
// Errors: invalid_request naming the position and what was expected (the message quotes
// no input: field values may carry signatures).
Result<Item> parse_item(std::string_view field);
Result<List> parse_list(std::string_view field);
Result<Dictionary> parse_dictionary(std::string_view field);

// The canonical text (RFC 8941 section 4.1). Errors: invalid_request when a value cannot be
// written (a key, token or string with characters outside its alphabet; an integer or
// decimal out of range; an empty list member's inner list is fine, an empty key is not).
Result<std::string> serialize(const Item& item);
Result<std::string> serialize(const InnerList& list);
Result<std::string> serialize(const List& list);
Result<std::string> serialize(const Dictionary& dict);
Result<std::string> serialize(const BareItem& item);
Result<std::string> serialize(const Parameters& params);
// The same text appended to `out` (left as it was on an error), with no length limit of its
// own: for a caller building a longer text that it checks whole.
Status serialize_into(const Parameters& params, std::string& out);
// An sf-string's canonical text (quoted, '"' and '\\' escaped) appended to `out`. Errors:
// invalid_request for a character outside printable ASCII (`out` then as it was).
Status serialize_string_into(std::string_view value, std::string& out);
// An sf-integer's text appended to `out`. Errors: invalid_request beyond 15 digits (`out`
// then as it was).
Status serialize_integer_into(std::int64_t value, std::string& out);

// Look-ups by name; nullptr when absent.
const BareItem* find(const Parameters& params, std::string_view name) noexcept;
const Member* find(const Dictionary& dict, std::string_view key) noexcept;

// True when `key` is a valid dictionary key / parameter name (lcalpha or "*", then lcalpha,
// DIGIT, "_", "-", ".", "*").
bool is_key(std::string_view key) noexcept;

}  // namespace finfusion::sf
