#include "finfusion/audit.h"

#include <sodium.h>

#include <algorithm>
#include <array>
#include <cstring>
#include <optional>
#include <utility>

#include "finfusion/secret.h"
#include "internal/json.h"
#include "internal/sodium_init.h"

namespace finfusion::audit {
namespace {

constexpr std::size_t kHashBytes = crypto_generichash_BYTES;  // 32

constexpr std::array<std::string_view, 10> kTypes = {
    kKeyCreated,     kKeyRotated, kKeyRevoked,   kKeyExpired,        kKeyAccessed, kKeyVerificationFailed,
    kKeyRateLimited, kKeyAnomaly, kSecretIssued, kSecretReencrypted};

internal::OrderedJson body(const Event& e) {
  internal::OrderedJson j = internal::OrderedJson::object();
  j["seq"] = e.seq;
  j["at"] = *time::format_timestamp(e.at);
  j["type"] = e.type;
  j["keyId"] = e.key_id;
  j["actor"] = e.actor;
  j["outcome"] = e.outcome;
  auto details = internal::OrderedJson::parse(e.details.empty() ? "{}" : e.details, nullptr, false);
  j["details"] = details.is_discarded() ? internal::OrderedJson::object() : details;
  if (!e.writer.empty()) j["writer"] = e.writer;
  j["prevHash"] = e.prev_hash;
  return j;
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

Event::Event(const Event& other) = default;
Event::Event(Event&& other) noexcept = default;
Event& Event::operator=(const Event& other) = default;
Event& Event::operator=(Event&& other) noexcept = default;
Event::~Event() = default;

// A field added to Event must be swapped here too: this fails to compile until it is.
static_assert(sizeof(Event) == sizeof(std::uint64_t) + sizeof(time::Millis) + 8 * sizeof(std::string),
              "audit::swap names every field of Event");

void swap(Event& a, Event& b) noexcept {
  std::swap(a.seq, b.seq);
  std::swap(a.at, b.at);
  a.type.swap(b.type);
  a.key_id.swap(b.key_id);
  a.actor.swap(b.actor);
  a.outcome.swap(b.outcome);
  a.details.swap(b.details);
  a.writer.swap(b.writer);
  a.prev_hash.swap(b.prev_hash);
  a.hash.swap(b.hash);
}

std::string Event::to_json() const {
  internal::OrderedJson j = body(*this);
  j["hash"] = hash;
  return j.dump();
}

Digest chain_digest(const Event& e, const Digest& previous) { return chain_digest(e, e.seq, previous); }

Digest chain_digest(const Event& e, std::uint64_t seq, const Digest& previous) {
  internal::sodium_ready();
  Feed feed;
  feed.bytes(previous.data(), previous.size());
  feed.integer(seq);
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

std::string ChainReport::to_json() const {
  internal::OrderedJson j = {{"ok", ok},         {"fromSeq", from_seq}, {"checked", checked}, {"firstBad", first_bad},
                             {"head", head},     {"chains", chains},    {"writer", writer}};
  return j.dump();
}

ChainReport verify_chain(const std::vector<Event>& events) {
  ChainReport report;
  report.from_seq = events.empty() ? 0 : events.front().seq;
  // Each writer's last event so far; almost every log has one writer.
  std::vector<std::pair<std::string_view, const Event*>> previous_of;
  for (const Event& e : events) {
    ++report.checked;
    auto slot = std::find_if(previous_of.begin(), previous_of.end(), [&](const auto& p) { return p.first == e.writer; });
    if (slot == previous_of.end()) slot = previous_of.insert(previous_of.end(), {e.writer, nullptr});
    const Event* previous = slot->second;
    bool linked = previous ? (e.seq == previous->seq + 1 && e.prev_hash == previous->hash)
                           : (e.seq >= 1 && (e.seq != 1 || e.prev_hash.empty()));
    std::optional<Digest> anchor = from_hex(e.prev_hash);  // an event that names no hash follows nothing
    bool follows = linked && anchor && constant_time_equals(e.hash, to_hex(chain_digest(e, *anchor)));
    if (!follows) {
      report.ok = false;
      report.first_bad = e.seq;
      report.writer = e.writer;
      report.chains = previous_of.size();
      return report;
    }
    slot->second = &e;
  }
  report.head = events.empty() ? "" : events.back().hash;
  report.chains = previous_of.size();
  return report;
}

ChainReport verify_chain(const std::vector<Event>& events, const std::vector<ChainHead>& heads) {
  ChainReport report = verify_chain(events);
  if (!report.ok) return report;
  for (const ChainHead& head : heads) {
    auto last = std::find_if(events.rbegin(), events.rend(), [&](const Event& e) { return e.writer == head.writer; });
    const bool ends_there = last != events.rend() && last->seq == head.seq && constant_time_equals(last->hash, head.hash);
    if (!ends_there) {
      report.ok = false;
      report.first_bad = last != events.rend() && last->seq < head.seq ? last->seq + 1 : head.seq;
      report.writer = head.writer;
      return report;
    }
  }
  return report;
}

}  // namespace finfusion::audit
