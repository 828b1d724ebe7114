#include "finfusion/audit.h"

#include <sodium.h>

#include <array>
#include <optional>
#include <cstring>

#include "finfusion/secret.h"
#include "internal/sodium_init.h"

namespace finfusion::audit {
namespace {

constexpr std::size_t kHashBytes = crypto_generichash_BYTES;  // 32

constexpr std::array<std::string_view, 8> kTypes = {kKeyCreated,  kKeyRotated,           kKeyRevoked,
                                                    kKeyExpired,  kKeyAccessed,          kKeyVerificationFailed,
                                                    kKeyRateLimited, kKeyAnomaly};

// A JSON string as the JSON writer (nlohmann's dump) writes it: UTF-8 kept, quote and
// backslash escaped, control characters as \b \f \n \r \t or \u00XX.
void append_string(std::string& out, std::string_view text) {
  static constexpr char kHex[] = "0123456789abcdef";
  out.push_back('"');
  std::size_t run = 0;  // start of the bytes not yet written
  for (std::size_t i = 0; i < text.size(); ++i) {
    auto c = static_cast<unsigned char>(text[i]);
    if (c >= 0x20 && c != '"' && c != '\\') continue;
    out.append(text.substr(run, i - run));
    run = i + 1;
    switch (c) {
      case '"': out.append("\\\""); break;
      case '\\': out.append("\\\\"); break;
      case '\b': out.append("\\b"); break;
      case '\f': out.append("\\f"); break;
      case '\n': out.append("\\n"); break;
      case '\r': out.append("\\r"); break;
      case '\t': out.append("\\t"); break;
      default:
        out.append("\\u00");
        out.push_back(kHex[c >> 4]);
        out.push_back(kHex[c & 0xF]);
    }
  }
  out.append(text.substr(run));
  out.push_back('"');
}

// The event's canonical JSON without its hash, written straight (this runs for every
// event appended): {"seq", "at", "type", "keyId", "actor", "outcome", "details", "prevHash"},
// compact, `details` as given (it is canonical JSON by contract), "{}" when empty.
void append_body(std::string& out, const Event& e) {
  out.append("{\"seq\":").append(std::to_string(e.seq));
  out.append(",\"at\":");
  append_string(out, *time::format_timestamp(e.at));
  out.append(",\"type\":");
  append_string(out, e.type);
  out.append(",\"keyId\":");
  append_string(out, e.key_id);
  out.append(",\"actor\":");
  append_string(out, e.actor);
  out.append(",\"outcome\":");
  append_string(out, e.outcome);
  out.append(",\"details\":").append(e.details.empty() ? std::string_view("{}") : std::string_view(e.details));
  out.append(",\"prevHash\":");
  append_string(out, e.prev_hash);
}

// Feeds the chained encoding into BLAKE2b through a small stack buffer, so that a typical
// event is one call (and one compression) with no allocation.
class Feed {
 public:
  Feed() { crypto_generichash_init(&state_, nullptr, 0, kHashBytes); }
  void bytes(const void* data, std::size_t size) {
    if (used_ + size > buffer_.size()) flush();
    if (size > buffer_.size()) {
      crypto_generichash_update(&state_, static_cast<const unsigned char*>(data), size);
      return;
    }
    std::memcpy(buffer_.data() + used_, data, size);
    used_ += size;
  }
  void integer(std::uint64_t v) {
    unsigned char le[8];
    for (int i = 0; i < 8; ++i) le[i] = static_cast<unsigned char>(v >> (8 * i));
    bytes(le, sizeof le);
  }
  void text(std::string_view s) {
    unsigned char length[10];
    std::size_t n = 0;
    std::uint64_t v = s.size();
    do {
      length[n++] = static_cast<unsigned char>((v & 0x7F) | (v > 0x7F ? 0x80 : 0));
      v >>= 7;
    } while (v);
    bytes(length, n);
    bytes(s.data(), s.size());
  }
  Digest finish() {
    flush();
    Digest out{};
    crypto_generichash_final(&state_, out.data(), out.size());
    return out;
  }

 private:
  void flush() {
    crypto_generichash_update(&state_, buffer_.data(), used_);
    used_ = 0;
  }
  crypto_generichash_state state_;
  std::array<unsigned char, 256> buffer_;
  std::size_t used_ = 0;
};

// Lowercase hex (as the chain writes it) to bytes. Chain hashes are public: no need for
// libsodium's constant-time decoder, which would cost more than the hash.
constexpr std::array<signed char, 256> kNibble = [] {
  std::array<signed char, 256> t{};
  for (auto& v : t) v = -1;
  for (int c = '0'; c <= '9'; ++c) t[static_cast<std::size_t>(c)] = static_cast<signed char>(c - '0');
  for (int c = 'a'; c <= 'f'; ++c) t[static_cast<std::size_t>(c)] = static_cast<signed char>(c - 'a' + 10);
  return t;
}();

bool decode_hex(std::string_view hex, Digest& out) {
  if (hex.size() != 2 * kHashBytes) return false;
  int bad = 0;  // no branch per digit: the digits are random, a branch would mispredict
  for (std::size_t i = 0; i < kHashBytes; ++i) {
    int hi = kNibble[static_cast<unsigned char>(hex[2 * i])], lo = kNibble[static_cast<unsigned char>(hex[2 * i + 1])];
    bad |= hi | lo;
    out[i] = static_cast<unsigned char>((hi & 0xF) << 4 | (lo & 0xF));
  }
  return bad >= 0;
}

}  // namespace

bool is_event_type(std::string_view type) noexcept {
  for (auto t : kTypes) {
    if (t == type) return true;
  }
  return false;
}

std::string Event::to_json() const {
  std::string out;
  append_body(out, *this);
  out.append(",\"hash\":");
  append_string(out, hash);
  out.push_back('}');
  return out;
}

Digest chain_digest(const Event& e, const Digest& previous) {
  internal::sodium_ready();
  Feed feed;
  feed.bytes(previous.data(), previous.size());
  feed.integer(e.seq);
  feed.integer(static_cast<std::uint64_t>(e.at));
  feed.text(e.type);
  feed.text(e.key_id);
  feed.text(e.actor);
  feed.text(e.outcome);
  feed.text(e.details.empty() ? std::string_view("{}") : std::string_view(e.details));
  return feed.finish();
}

std::string to_hex(const Digest& digest) {
  std::string hex(2 * digest.size() + 1, '\0');
  sodium_bin2hex(hex.data(), hex.size(), digest.data(), digest.size());
  hex.pop_back();
  return hex;
}

std::optional<Digest> from_hex(std::string_view hex) {
  if (hex.empty()) return Digest{};
  Digest out{};
  if (!decode_hex(hex, out)) return std::nullopt;
  return out;
}

void seal(Event& e, const Event* previous) {
  e.seq = previous ? previous->seq + 1 : 1;
  e.prev_hash = previous ? previous->hash : "";
  std::optional<Digest> anchor = from_hex(e.prev_hash);
  e.hash = to_hex(chain_digest(e, anchor ? *anchor : Digest{}));
}

ChainReport verify_chain(const std::vector<Event>& events) {
  ChainReport report;
  report.from_seq = events.empty() ? 0 : events.front().seq;
  const Event* previous = nullptr;
  for (const Event& e : events) {
    ++report.checked;
    bool linked = previous ? (e.seq == previous->seq + 1 && e.prev_hash == previous->hash)
                           : (e.seq >= 1 && (e.seq != 1 || e.prev_hash.empty()));
    std::optional<Digest> anchor = from_hex(e.prev_hash);  // an event that names no hash follows nothing
    bool follows = linked && anchor && constant_time_equals(e.hash, to_hex(chain_digest(e, *anchor)));
    if (!follows) {
      report.ok = false;
      report.first_bad = e.seq;
      return report;
    }
    previous = &e;
  }
  report.head = previous ? previous->hash : "";
  return report;
}

}  // namespace finfusion::audit
