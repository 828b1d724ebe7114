// Encrypted registry imports. The input is the plaintext of an export: the harness seals it
// under a fixed key (so the fuzzer reaches the document parser, not only the AEAD check) and
// imports it into an empty in-memory registry; it also imports the raw input as export text.
// Properties: every refusal is invalid_request (nothing else, no crash) and leaves the
// registry empty; an accepted import has a verifiable audit chain and survives an export and
// import round trip unchanged.
#include <sodium.h>

#include <string>

#include "finfusion/hash.h"
#include "finfusion/registry.h"
#include "fuzz_common.h"

using namespace finfusion;

namespace {
const SecretBytes& key() {
  static const SecretBytes k = SecretBytes::FromView(std::string(32, '\x2a'));
  return k;
}

registry::Registry fresh() {
  auto hasher = hashing::Hasher::Create({{"p1", SecretBytes::FromView(std::string(32, '\x07'))}}, "p1");
  return registry::Registry(std::move(*hasher), keys::TypeTable::Defaults());
}

// base64url without padding, as exports write it.
std::string seal(std::string_view plain) {
  std::string sealed(crypto_aead_xchacha20poly1305_ietf_NPUBBYTES + plain.size() + crypto_aead_xchacha20poly1305_ietf_ABYTES, '\0');
  auto* nonce = reinterpret_cast<unsigned char*>(sealed.data());
  randombytes_buf(nonce, crypto_aead_xchacha20poly1305_ietf_NPUBBYTES);
  const std::string aad = "finfusion-registry-export-v1";
  crypto_aead_xchacha20poly1305_ietf_encrypt(nonce + crypto_aead_xchacha20poly1305_ietf_NPUBBYTES, nullptr,
                                             reinterpret_cast<const unsigned char*>(plain.data()), plain.size(),
                                             reinterpret_cast<const unsigned char*>(aad.data()), aad.size(), nullptr,
                                             nonce, key().data());
  std::string text(sodium_base64_encoded_len(sealed.size(), sodium_base64_VARIANT_URLSAFE_NO_PADDING), '\0');
  sodium_bin2base64(text.data(), text.size(), reinterpret_cast<const unsigned char*>(sealed.data()), sealed.size(),
                    sodium_base64_VARIANT_URLSAFE_NO_PADDING);
  text.pop_back();
  return "ffx1." + text;
}

void check(std::string_view text) {
  registry::Registry reg = fresh();
  Status s = reg.import_encrypted(text, key());
  if (!s.ok()) {
    fuzz::require(s.code() == Code::kInvalidRequest, "a refused import is invalid_request");
    fuzz::require(reg.list()->empty() && reg.logs({"", {}, 10})->empty(), "a refused import writes nothing");
    return;
  }
  fuzz::require(reg.verify_chain()->ok, "an accepted import has a verifiable chain");
  auto again = reg.export_encrypted(key(), 0);
  fuzz::require(again.ok(), "an imported registry exports");
  registry::Registry copy = fresh();
  fuzz::require(copy.import_encrypted(*again, key()).ok(), "its export imports");
  auto a = reg.list();
  auto b = copy.list();
  fuzz::require(a->size() == b->size(), "the round trip keeps every record");
  for (std::size_t i = 0; i < a->size(); ++i) {
    fuzz::require((*a)[i].to_json() == (*b)[i].to_json() && (*a)[i].stored_hash == (*b)[i].stored_hash,
                  "the round trip keeps records unchanged");
  }
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (sodium_init() < 0) return 0;
  std::string_view input = fuzz::as_text(data, size);
  check(seal(input));
  check(input);
  return 0;
}
