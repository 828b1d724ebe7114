// Key strings: check_format, parse, mask, parse_id.
// Properties: parse agrees with check_format; an accepted key's id is its own prefix and the
// key re-parses to the same id; rejections carry key codes; no message echoes the secret;
// the well-shaped keys (valid or bad checksum) are exactly the texts the scanner pattern
// matches whole, checked with a plain reference matcher; inspect agrees with parse.
#include "finfusion/key.h"
#include "fuzz_common.h"

using namespace finfusion;

namespace {

// ^(dev|prod|rest)_[0-9A-Za-z]{16}_[0-9A-Za-z]{49}$, written the obvious way.
bool scanner_shape(std::string_view t) {
  auto b62 = [](char c) { return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'); };
  for (std::string_view prefix : {"dev_", "prod_", "rest_"}) {
    if (t.substr(0, prefix.size()) != prefix) continue;
    std::string_view rest = t.substr(prefix.size());
    if (rest.size() != 16 + 1 + 49 || rest[16] != '_') return false;
    for (std::size_t i = 0; i < rest.size(); ++i) {
      if (i != 16 && !b62(rest[i])) return false;
    }
    return true;
  }
  return false;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view text = fuzz::as_text(data, size);
  Code code = keys::check_format(text);
  auto parsed = keys::parse(text);
  fuzz::require(parsed.ok() == (code == Code::kValid), "parse agrees with check_format");
  fuzz::require(scanner_shape(text) == (code == Code::kValid || code == Code::kBadChecksum),
                "well-shaped keys are exactly the scanner pattern's matches");
  keys::KeyView view = keys::inspect(text);
  fuzz::require(view.code == code && (!parsed.ok() || (view.id == parsed->id && view.type == parsed->type)),
                "inspect agrees with parse");
  if (parsed.ok()) {
    fuzz::require(text.size() <= keys::kMaxKeyLength, "accepted keys respect the length bound");
    fuzz::require(text.substr(0, parsed->id.size()) == parsed->id, "the key id is the key's prefix");
    auto again = keys::parse(std::string(text));
    fuzz::require(again.ok() && again->id == parsed->id, "an accepted key re-parses the same");
    auto id = keys::parse_id(parsed->id);
    fuzz::require(id.ok() && id->type == parsed->type, "an accepted key's id parses as an id");
    auto masked = keys::mask(text);
    fuzz::require(masked.ok() && *masked == parsed->id + "_********", "mask shows the id and nothing else");
  } else {
    fuzz::require(parsed.code() == code, "parse fails with check_format's code");
    fuzz::require(code == Code::kMalformedKey || code == Code::kUnknownPrefix || code == Code::kBadChecksum,
                  "key rejections are format codes");
    fuzz::require_listed(parsed.status(), "a rejected key");
    fuzz::require_not_echoed(parsed.status().message(), text);
    auto masked = keys::mask(text);
    fuzz::require(!masked.ok() && masked.code() == code, "mask fails like parse");
  }
  auto id = keys::parse_id(text);
  if (!id.ok()) {
    fuzz::require_listed(id.status(), "a rejected id");
    fuzz::require_not_echoed(id.status().message(), text);
  } else {
    fuzz::require(id->id == text, "an accepted id is returned as given");
  }
  return 0;
}
