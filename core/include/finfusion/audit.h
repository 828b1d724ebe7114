// finfusion/audit.h - the audit log: every lifecycle event, hash-chained.
//
// Each event commits to the one before it. hash = BLAKE2b-256 (unkeyed, 32 bytes) of
//   previous hash (32 raw bytes; 32 zero bytes for the first event)
//   || seq (u64, little-endian) || at (i64 ms since the epoch, little-endian, two's complement)
//   || type || key_id || actor || outcome || details ("{}" when empty)
// where each text is its byte length as unsigned LEB128 followed by its UTF-8 bytes. A
// typical event is under 128 bytes: one BLAKE2b compression. Editing, reordering or
// deleting an event (except at the very end, which the head hash kept elsewhere reveals)
// breaks the chain.
//
//   auto report = finfusion::audit::verify_chain(events);   // report.ok, report.first_bad
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "finfusion/status.h"
#include "finfusion/time.h"

namespace finfusion::audit {

// The seed's event types, and the ones the lifecycle adds.
inline constexpr std::string_view kKeyCreated = "key.created";
inline constexpr std::string_view kKeyRotated = "key.rotated";
inline constexpr std::string_view kKeyRevoked = "key.revoked";
inline constexpr std::string_view kKeyExpired = "key.expired";
inline constexpr std::string_view kKeyAccessed = "key.accessed";
inline constexpr std::string_view kKeyVerificationFailed = "key.verification_failed";
inline constexpr std::string_view kKeyRateLimited = "key.rate_limited";
inline constexpr std::string_view kKeyAnomaly = "key.anomaly";
// Recoverable secrets (registry.h): issued or replaced, and re-sealed under a new master key.
inline constexpr std::string_view kSecretIssued = "secret.issued";
inline constexpr std::string_view kSecretReencrypted = "secret.reencrypted";

// True for the event types above.
bool is_event_type(std::string_view type) noexcept;

struct Event {
  std::uint64_t seq = 0;     // 1, 2, ... in one log
  time::Millis at = 0;
  std::string type;          // "key.created", ...
  std::string key_id;        // empty when no key could be named
  std::string actor;         // who did it ("admin:alice", "service:ledger", "system")
  std::string outcome;       // a code from the closed list ("valid", "revoked", ...)
  std::string details;       // a JSON object (canonical), never a secret
  std::string writer;        // the chain it belongs to: "" for a store with one chain
                             // (memory, SQLite); PostgreSQL gives each store instance its own
  std::string prev_hash;     // hex; "" for the first event
  std::string hash;          // hex

  // Defined once, in audit.cc, so that every verification's event moves through the copy
  // compiled for speed: the WebAssembly build compiles most files for size, and an inline
  // copy from one of those could be the one linked (in Node, 0.4 us of a verification).
  Event() = default;
  Event(const Event& other);
  Event(Event&& other) noexcept;
  Event& operator=(const Event& other);
  Event& operator=(Event&& other) noexcept;
  ~Event();
  // Field by field: how the in-memory log takes an event and hands back the storage of the
  // one it drops (std::swap would move through a temporary: three moves of every string).
  friend void swap(Event& a, Event& b) noexcept;

  // Canonical JSON of the event (with its hash).
  std::string to_json() const;
};

// The chain hash as bytes, for stores that keep it so (the text form is its lowercase hex).
using Digest = std::array<std::uint8_t, 32>;
// The hash of `e` following an event whose hash is `previous` (zeros for the first event);
// reads neither e.prev_hash nor e.hash.
Digest chain_digest(const Event& e, const Digest& previous);
// The same with `seq` in place of e.seq (a store sealing planned events without copying them).
Digest chain_digest(const Event& e, std::uint64_t seq, const Digest& previous);
std::string to_hex(const Digest& digest);
// "" -> zeros (no predecessor); 64 lowercase hex digits -> their bytes; else nothing.
std::optional<Digest> from_hex(std::string_view hex);

struct ChainReport {
  bool ok = true;
  std::uint64_t from_seq = 0;   // the first event checked (1 unless older ones were dropped)
  std::uint64_t checked = 0;
  std::uint64_t first_bad = 0;  // seq of the first event that does not follow (0 if ok)
  std::string head;             // hash of the last event
  std::uint64_t chains = 0;     // writers' chains checked
  std::string writer;           // the writer of the first bad event ("" when ok or one chain)
  // {"ok", "fromSeq", "checked", "firstBad", "head", "chains", "writer"}
  std::string to_json() const;
};

// Checks that `events` (in log order) form unbroken chains, one per writer: the events of
// each writer follow one another whatever other writers' events lie between them. A chain
// that starts at seq 1 is checked from the start; one whose oldest events were dropped (a
// bounded in-memory log) is checked from its first retained event, whose prev_hash is taken
// as the anchor.
ChainReport verify_chain(const std::vector<Event>& events);

// Where a store recorded a writer's chain to end, apart from the events themselves.
struct ChainHead {
  std::string writer;
  std::uint64_t seq = 0;
  std::string hash;  // hex
};

// As above, and each head must be its writer's last event, so that events deleted from the
// end of a chain are found too (first_bad is then the first missing seq).
ChainReport verify_chain(const std::vector<Event>& events, const std::vector<ChainHead>& heads);

}  // namespace finfusion::audit
