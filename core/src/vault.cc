#include "finfusion/vault.h"

#include <sodium.h>

#include "finfusion/hash.h"
#include "internal/base64.h"
#include "internal/sodium_init.h"
#include "internal/text.h"

namespace finfusion::vault {
namespace {

constexpr std::size_t kNonceBytes = crypto_aead_xchacha20poly1305_ietf_NPUBBYTES;
constexpr std::size_t kTagBytes = crypto_aead_xchacha20poly1305_ietf_ABYTES;
static_assert(kMasterKeyBytes == crypto_aead_xchacha20poly1305_ietf_KEYBYTES, "a master key is an XChaCha20 key");

Status not_sealed() { return Status(Code::kInvalidRequest, "not a sealed secret (ffs1.<master>.<base64url>)"); }

// The associated data: a label for this use, then the record id.
std::string associated(std::string_view record_id) {
  std::string aad = "finfusion-secret-v1:";
  aad += record_id;
  return aad;
}

struct Parts {
  std::string_view master;
  std::string_view body;
};

Result<Parts> split(std::string_view sealed) {
  constexpr std::size_t kMaxSealed = kSealedPrefix.size() + hashing::kMaxPepperIdLength + 1 +
                                     (kNonceBytes + kMaxSecretBytes + kTagBytes) * 4 / 3 + 4;
  if (sealed.size() > kMaxSealed || sealed.substr(0, kSealedPrefix.size()) != kSealedPrefix) return not_sealed();
  std::string_view rest = sealed.substr(kSealedPrefix.size());
  const std::size_t dot = rest.find('.');
  if (dot == std::string_view::npos || !hashing::is_valid_pepper_id(rest.substr(0, dot))) return not_sealed();
  return Parts{rest.substr(0, dot), rest.substr(dot + 1)};
}

bool record_id_ok(std::string_view id) { return !id.empty() && id.size() <= kMaxRecordIdBytes; }

}  // namespace

Result<MasterKeys> MasterKeys::Create(std::vector<std::pair<std::string, SecretBytes>> keys, std::string_view current) {
  if (!internal::sodium_ready()) return Status(Code::kInternal, "libsodium could not start");
  if (keys.empty()) return Status(Code::kInvalidRequest, "master keys: at least one is needed");
  MasterKeys m;
  for (auto& [id, bytes] : keys) {
    if (!hashing::is_valid_pepper_id(id)) {
      return Status(Code::kInvalidRequest, "master key id " + internal::quote(id, 40) + ": use 1 to 32 of [A-Za-z0-9_-]");
    }
    if (bytes.size() != kMasterKeyBytes) {
      return Status(Code::kInvalidRequest, "master key " + internal::quote(id, 40) + ": must be exactly 32 bytes, got " +
                                               std::to_string(bytes.size()));
    }
    if (m.find(id) != nullptr) return Status(Code::kInvalidRequest, "master key id " + internal::quote(id, 40) + " repeated");
    m.keys_.push_back({std::move(id), std::move(bytes)});
  }
  if (m.find(current) == nullptr) {
    return Status(Code::kInvalidRequest, "current master key " + internal::quote(current, 40) + " is not among them");
  }
  m.current_ = std::string(current);
  return m;
}

const MasterKeys::Key* MasterKeys::find(std::string_view id) const noexcept {
  for (const Key& k : keys_) {
    if (k.id == id) return &k;
  }
  return nullptr;
}

Result<std::string> MasterKeys::seal(std::string_view record_id, const SecretBytes& secret) const {
  if (!record_id_ok(record_id)) return Status(Code::kInvalidRequest, "a sealed secret's record id must be 1 to 256 bytes");
  if (secret.empty() || secret.size() > kMaxSecretBytes) {
    return Status(Code::kInvalidRequest, "a secret to seal must be 1 to 1024 bytes");
  }
  const Key& key = *find(current_);
  const std::string aad = associated(record_id);
  std::string box(kNonceBytes + secret.size() + kTagBytes, '\0');
  auto* nonce = reinterpret_cast<unsigned char*>(box.data());
  randombytes_buf(nonce, kNonceBytes);
  unsigned long long written = 0;
  crypto_aead_xchacha20poly1305_ietf_encrypt(nonce + kNonceBytes, &written, secret.data(), secret.size(),
                                             reinterpret_cast<const unsigned char*>(aad.data()), aad.size(), nullptr,
                                             nonce, key.bytes.data());
  return std::string(kSealedPrefix) + current_ + "." + internal::encode_base64(box, internal::Base64::kUrlNoPadding);
}

Result<SecretBytes> MasterKeys::open(std::string_view record_id, std::string_view sealed) const {
  auto parts = split(sealed);
  if (!parts.ok()) return parts.status();
  const Key* key = find(parts->master);
  if (key == nullptr) {
    return Status(Code::kPreconditionFailed,
                  "sealed under master key " + internal::quote(parts->master, 40) + ", which is not configured");
  }
  auto box = internal::decode_base64(parts->body, internal::Base64::kUrlNoPadding);
  if (!box || box->size() <= kNonceBytes + kTagBytes || box->size() > kNonceBytes + kMaxSecretBytes + kTagBytes) {
    return not_sealed();
  }
  const std::string aad = associated(record_id);
  const auto* nonce = reinterpret_cast<const unsigned char*>(box->data());
  SecretBytes plain(box->size() - kNonceBytes - kTagBytes);
  unsigned long long written = 0;
  const int refused = crypto_aead_xchacha20poly1305_ietf_decrypt(
      plain.data(), &written, nullptr, nonce + kNonceBytes, box->size() - kNonceBytes,
      reinterpret_cast<const unsigned char*>(aad.data()), aad.size(), nonce, key->bytes.data());
  if (refused) {
    return Status(Code::kInvalidRequest, "a sealed secret does not open: altered, another record's, or another key's");
  }
  return plain;
}

Result<std::string> MasterKeys::master_of(std::string_view sealed) {
  auto parts = split(sealed);
  if (!parts.ok()) return parts.status();
  return std::string(parts->master);
}

}  // namespace finfusion::vault
