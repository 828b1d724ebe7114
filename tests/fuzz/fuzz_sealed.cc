// Sealed secrets (vault.h). Input: "<record id>\n<sealed text>", and the whole input as a
// secret to seal. Properties: master_of accepts exactly the "ffs1.<id>." shape open needs;
// open's rejections are invalid_request or precondition_failed (the latter only for a
// well-shaped text naming a master key not held); a text that opens re-seals to one that opens
// to the same bytes; anything sealed opens for its own record id only; no message echoes the
// secret.
#include "finfusion/vault.h"
#include "fuzz_common.h"

using namespace finfusion;

namespace {
const vault::MasterKeys& masters() {
  static const vault::MasterKeys m = [] {
    std::vector<std::pair<std::string, SecretBytes>> keys;
    keys.emplace_back("m1", SecretBytes::FromView(std::string(32, '\x11')));
    keys.emplace_back("m2", SecretBytes::FromView(std::string(32, '\x22')));
    return *vault::MasterKeys::Create(std::move(keys), "m2");
  }();
  return m;
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view text = fuzz::as_text(data, size);
  std::size_t nl = text.find('\n');
  std::string_view record = text.substr(0, nl);
  std::string_view sealed = nl == std::string_view::npos ? std::string_view() : text.substr(nl + 1);

  auto master = vault::MasterKeys::master_of(sealed);
  auto opened = masters().open(record, sealed);
  if (!master.ok()) {
    fuzz::require(master.code() == Code::kInvalidRequest && opened.code() == Code::kInvalidRequest,
                  "text that is not sealed is invalid_request");
  } else if (!masters().holds(*master)) {
    fuzz::require(opened.code() == Code::kPreconditionFailed, "a master key not held is precondition_failed");
  } else if (!opened.ok()) {
    fuzz::require(opened.code() == Code::kInvalidRequest, "a text that does not open is invalid_request");
  } else {
    auto again = masters().seal(record, *opened);
    fuzz::require(again.ok(), "what opened seals again");
    auto round = masters().open(record, *again);
    fuzz::require(round.ok() && round->equals(*opened), "re-sealed text opens to the same bytes");
  }
  if (!opened.ok()) fuzz::require_listed(opened.status(), "open refuses with a listed code");

  // The input as a secret: sealed for `record`, it opens for `record` and for nothing else.
  const SecretBytes secret = SecretBytes::FromView(text);
  auto mine = masters().seal(record, secret);
  if (!mine.ok()) {
    fuzz::require(mine.code() == Code::kInvalidRequest, "seal refuses with invalid_request");
    fuzz::require_not_echoed(mine.status().message(), text);
    return 0;
  }
  auto back = masters().open(record, *mine);
  fuzz::require(back.ok() && back->equals(secret), "a sealed secret opens to itself");
  std::string other(record);
  other += 'x';
  if (other.size() <= vault::kMaxRecordIdBytes) {
    auto stolen = masters().open(other, *mine);
    fuzz::require(stolen.code() == Code::kInvalidRequest, "a sealed secret does not open for another record");
    fuzz::require_not_echoed(stolen.status().message(), text);
  }
  return 0;
}
