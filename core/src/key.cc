#include "finfusion/key.h"

#include <sodium.h>

#include <array>
#include <memory>

#include "internal/base62.h"
#include "internal/crc32.h"
#include "internal/sodium_init.h"

namespace finfusion::keys {

// Builds ApiKey values (the only friend of its constructor).
class KeyBuilder {
 public:
  static ApiKey make(KeyType type, std::string id, SecretBytes text) {
    return ApiKey(type, std::move(id), std::move(text));
  }
};

namespace {

constexpr std::size_t kMinPrefix = 3;  // "dev"
constexpr std::size_t kMaxPrefix = 4;  // "prod", "rest"
constexpr std::size_t kTail = 1 + kSecretChars + kChecksumChars;  // "_" + secret + checksum
constexpr std::size_t kMinKeyLength = kMinPrefix + 1 + kIdChars + kTail;
// Bytes at or above this are rejected so that b % 62 stays uniform.
constexpr std::uint8_t kAcceptBelow = 248;  // 4 * 62

std::string checksum_of(std::string_view body) {
  return internal::base62_fixed(internal::crc32(body), kChecksumChars);
}

struct Shape {
  Code code;
  std::string_view prefix;
  std::string_view id;  // "<prefix>_<id16>"
  KeyType type = KeyType::kDevelopment;
};

// Checks everything but the checksum in one pass over the text.
Shape shape_of(std::string_view text) noexcept {
  Shape s{Code::kMalformedKey, {}, {}};
  if (text.size() > kMaxKeyLength || text.size() < kMinKeyLength) return s;
  // The only separators sit right after the prefix and right before the secret.
  const std::size_t tail_start = text.size() - kTail;  // index of the "_" before the secret
  const std::size_t id_start = tail_start - kIdChars;
  // No early exit: the time should not depend on where a bad character sits.
  auto non_digits = [&text](std::size_t from, std::size_t to) {
    unsigned bad = 0;
    for (std::size_t i = from; i < to; ++i) bad |= static_cast<unsigned>(!internal::is_base62(text[i]));
    return bad;
  };
  unsigned bad = non_digits(0, id_start - 1) | non_digits(id_start, tail_start) | non_digits(tail_start + 1, text.size());
  bad |= static_cast<unsigned>(text[id_start - 1] != '_') | static_cast<unsigned>(text[tail_start] != '_');
  if (bad) return s;
  std::string_view prefix = text.substr(0, id_start - 1);
  if (prefix.size() < kMinPrefix || prefix.size() > kMaxPrefix) return s;
  auto type = type_from_prefix(prefix);
  if (!type) {
    s.code = Code::kUnknownPrefix;
    return s;
  }
  return {Code::kValid, prefix, text.substr(0, tail_start), *type};
}

Status code_status(Code code) {
  switch (code) {
    case Code::kMalformedKey:
      return Status(code, "not an API key: expected <dev|prod|rest>_<16 base62>_<49 base62>");
    case Code::kUnknownPrefix:
      return Status(code, "unknown key prefix (expected dev_, prod_ or rest_)");
    case Code::kBadChecksum:
      return Status(code, "the key's checksum does not match: it was mistyped or altered");
    default:
      return Status(code, "invalid key");
  }
}

// Draws base62 characters from a byte stream by rejection sampling.
class CharDrawer {
 public:
  explicit CharDrawer(const RandomSource& random) : random_(random) {}

  Status draw(char* out, std::size_t count) {
    for (std::size_t i = 0; i < count;) {
      if (pos_ == buffer_.size()) {
        Status s = random_(buffer_.data(), buffer_.size());
        if (!s.ok()) return s;
        pos_ = 0;
      }
      std::uint8_t b = buffer_[pos_++];
      if (b < kAcceptBelow) out[i++] = internal::kBase62Alphabet[b % 62];
    }
    return Status::Ok();
  }

  ~CharDrawer() { sodium_memzero(buffer_.data(), buffer_.size()); }

 private:
  const RandomSource& random_;
  std::array<std::uint8_t, 64> buffer_{};
  std::size_t pos_ = buffer_.size();
};

}  // namespace

Result<ApiKey> generate(KeyType type) {
  if (!internal::sodium_ready()) return Status(Code::kInternal, "libsodium could not start");
  RandomSource csprng = [](std::uint8_t* out, std::size_t size) {
    randombytes_buf(out, size);
    return Status::Ok();
  };
  return generate(type, csprng);
}

Result<ApiKey> generate(KeyType type, const RandomSource& random) {
  std::string_view prefix = type_prefix(type);
  std::size_t length = prefix.size() + 1 + kIdChars + kTail;
  SecretBytes text(length);
  char* p = reinterpret_cast<char*>(text.data());
  std::size_t pos = 0;
  for (char c : prefix) p[pos++] = c;
  p[pos++] = '_';
  CharDrawer drawer(random);
  Status s = drawer.draw(p + pos, kIdChars);
  if (!s.ok()) return s;
  pos += kIdChars;
  std::size_t id_end = pos;
  p[pos++] = '_';
  s = drawer.draw(p + pos, kSecretChars);
  if (!s.ok()) return s;
  pos += kSecretChars;
  std::string checksum = checksum_of(std::string_view(p, pos));
  for (char c : checksum) p[pos++] = c;
  return KeyBuilder::make(type, std::string(p, id_end), std::move(text));
}

RandomSource deterministic_random(std::string_view seed) {
  struct Stream {
    std::string seed;
    std::uint64_t counter = 0;
    std::array<std::uint8_t, 64> block{};
    std::size_t used = 64;
  };
  auto stream = std::make_shared<Stream>();
  stream->seed = std::string(seed);
  return [stream](std::uint8_t* out, std::size_t size) {
    internal::sodium_ready();
    for (std::size_t i = 0; i < size; ++i) {
      if (stream->used == stream->block.size()) {
        std::string input = stream->seed;
        for (int b = 0; b < 8; ++b) input.push_back(static_cast<char>((stream->counter >> (8 * b)) & 0xFF));
        ++stream->counter;
        crypto_generichash(stream->block.data(), stream->block.size(),
                           reinterpret_cast<const unsigned char*>(input.data()), input.size(), nullptr, 0);
        stream->used = 0;
      }
      out[i] = stream->block[stream->used++];
    }
    return Status::Ok();
  };
}

Result<ApiKey> generate_from_entropy(KeyType type, std::string_view entropy) {
  std::size_t offset = 0;
  RandomSource source = [&](std::uint8_t* out, std::size_t size) {
    if (entropy.size() - offset < size) {
      return Status(Code::kInvalidRequest, "not enough entropy for a key");
    }
    for (std::size_t i = 0; i < size; ++i) out[i] = static_cast<std::uint8_t>(entropy[offset + i]);
    offset += size;
    return Status::Ok();
  };
  return generate(type, source);
}

KeyView inspect(std::string_view text) noexcept {
  Shape s = shape_of(text);
  if (s.code != Code::kValid) return {s.code, {}, {}};
  std::string_view body = text.substr(0, text.size() - kChecksumChars);
  std::string_view given = text.substr(text.size() - kChecksumChars);
  char expected[kChecksumChars];
  std::uint32_t crc = internal::crc32(body);
  for (std::size_t i = kChecksumChars; i-- > 0;) {
    expected[i] = internal::kBase62Alphabet[crc % 62];
    crc /= 62;
  }
  // The checksum is not secret, but comparing it in constant time costs nothing.
  if (!constant_time_equals(std::string_view(expected, kChecksumChars), given)) return {Code::kBadChecksum, {}, {}};
  return {Code::kValid, s.type, s.id};
}

Code check_format(std::string_view text) noexcept { return inspect(text).code; }

Result<ParsedKey> parse(std::string_view text) {
  KeyView v = inspect(text);
  if (v.code != Code::kValid) return code_status(v.code);
  return ParsedKey{v.type, type_environment(v.type), std::string(v.id), kFormatVersion};
}

Result<std::string> mask(std::string_view text) {
  auto parsed = parse(text);
  if (!parsed.ok()) return parsed.status();
  return parsed->id + "_********";
}

Result<ParsedKey> parse_id(std::string_view id) {
  // A key id is a key's leading part; check it as such, with a placeholder tail.
  if (id.size() > kMaxKeyIdLength) return code_status(Code::kMalformedKey);
  std::string probe(id);
  probe += '_';
  probe.append(kSecretChars + kChecksumChars, '0');
  Shape s = shape_of(probe);
  if (s.code != Code::kValid) return code_status(s.code);
  return ParsedKey{s.type, type_environment(s.type), std::string(id), kFormatVersion};
}

std::string_view scanner_pattern() noexcept {
  return "\\b(dev|prod|rest)_[0-9A-Za-z]{16}_[0-9A-Za-z]{49}\\b";
}

}  // namespace finfusion::keys
