// RFC 8941 structured fields. Input: one byte choosing item / list / dictionary, then the
// field text. Properties: an accepted value serialises, the serialisation parses to the same
// value and is a fixed point (canonical); a rejection is invalid_request and its message
// quotes none of the input.
#include "finfusion/structured_field.h"
#include "fuzz_common.h"

using namespace finfusion;

namespace {
template <typename T, typename Parse>
void round_trip(std::string_view text, Parse parse) {
  Result<T> first = parse(text);
  if (!first.ok()) {
    fuzz::require(first.code() == Code::kInvalidRequest, "structured field errors are invalid_request");
    fuzz::require_not_echoed(first.status().message(), text);
    return;
  }
  Result<std::string> canonical = sf::serialize(*first);
  fuzz::require(canonical.ok(), "an accepted value serialises");
  Result<T> again = parse(*canonical);
  fuzz::require(again.ok(), "the canonical form parses");
  fuzz::require(*again == *first, "the canonical form parses to the same value");
  Result<std::string> twice = sf::serialize(*again);
  fuzz::require(twice.ok() && *twice == *canonical, "serialisation is a fixed point");
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  std::string_view text = fuzz::as_text(data + 1, size - 1);
  switch (data[0] % 3) {
    case 0: round_trip<sf::Item>(text, [](std::string_view t) { return sf::parse_item(t); }); break;
    case 1: round_trip<sf::List>(text, [](std::string_view t) { return sf::parse_list(t); }); break;
    default: round_trip<sf::Dictionary>(text, [](std::string_view t) { return sf::parse_dictionary(t); }); break;
  }
  return 0;
}
