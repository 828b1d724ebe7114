// finfusion/registry.h - key records, verification decisions, rotation and revocation, and
// the Registry that applies them to a store.
//
// The decisions are pure functions of records, a request and `now`; the Registry is the
// imperative shell: it generates keys, hashes them, looks records up in its Store and
// applies each change (records plus audit events) in one step.
//
//   finfusion::registry::Registry reg(hasher, table);           // in-memory store
//   auto created = reg.create(R"({"name": "Production API Key", "type": "production",
//                                 "permissions": ["payments"], "expiration": "2025-12-31"})",
//                             now, "admin:alice");
//   show_once(created->key.reveal());
//   auto d = reg.verify(presented, {.required = {"payments:charge"}, .environment = "production"}, now);
//   if (!d->valid) reject(d->code);                              // "revoked", "expired", ...
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "finfusion/audit.h"
#include "finfusion/hash.h"
#include "finfusion/key.h"
#include "finfusion/key_type.h"
#include "finfusion/ratelimit.h"
#include "finfusion/scope.h"
#include "finfusion/signing.h"
#include "finfusion/vault.h"
#include "finfusion/webhooks.h"
#include "finfusion/status.h"
#include "finfusion/time.h"
#include "finfusion/usage.h"

namespace finfusion::registry {

enum class KeyStatus : std::uint8_t { kActive = 0, kDisabled = 1, kRevoked = 2 };
std::string_view status_name(KeyStatus status) noexcept;  // "active", "disabled", "revoked"
std::optional<KeyStatus> status_from_name(std::string_view name) noexcept;  // nothing for another name

// What the registry keeps about a key: metadata and the stored hash, never the key.
struct KeyRecord {
  std::string id;
  std::string name;
  keys::KeyType type = keys::KeyType::kDevelopment;
  scopes::ScopeSet scopes;
  std::string service;        // restricted keys
  std::string parent_id;      // restricted keys: the key they derive from
  std::string owner;
  std::string purpose;
  time::Millis created_at = 0;
  time::Millis expires_at = 0;        // first instant the key no longer works
  KeyStatus status = KeyStatus::kActive;
  time::Millis revoked_at = 0;
  std::string revoke_reason;
  std::int64_t version = 1;           // position in its rotation chain
  std::string replaces;               // the key this one rotated
  std::string replaced_by;            // the key that rotated this one
  time::Millis grace_until = 0;       // a replaced key works until this instant
  std::string stored_hash;
  ratelimit::State rate;              // the rate limiter's state
  time::Millis last_used_at = 0;
  bool expiry_logged = false;         // key.expired was recorded (once)

  keys::Environment environment() const noexcept { return keys::type_environment(type); }
  // Canonical JSON (camelCase, instants in UTC text, no stored hash or limiter state).
  std::string to_json() const;
};

// Who presents the key, and for what.
struct VerifyContext {
  std::vector<std::string> required;  // scopes the request needs (all of them)
  std::string environment;            // "sandbox" / "production", or "" for any
  std::string service;                // the calling service (restricted keys must match)
  std::int64_t cost = 1;              // rate-limit units this request uses
  std::string actor;                  // for the audit log; "" -> the key's own id
  double latency_ms = -1;             // the caller-measured latency of the request, if known
  // The keyid of the request's verified RFC 9421 signature (signing::Verification::signer()),
  // "" when unsigned. Keys whose type requires signed requests are valid only when it is
  // their own id; otherwise the decision is signature_invalid.
  std::string signed_by;
};

// The outcome of a verification: a value, never an exception.
struct Decision {
  bool valid = false;
  Code code = Code::kNotFound;        // kValid when valid
  std::string key_id;                 // when the key could be named
  std::string type, environment;
  std::vector<std::string> scopes;
  time::Millis expires_at = 0;
  bool in_grace = false;              // an old key inside its rotation window
  std::string replaced_by;
  time::Millis grace_until = 0;
  std::int64_t rate_limit = 0, rate_remaining = 0;
  time::Millis retry_after = 0;

  // Whether expires_at / grace_until hold an instant (JSON null otherwise).
  bool has_expiry() const noexcept { return !key_id.empty() && expires_at != 0; }
  bool has_grace() const noexcept { return !replaced_by.empty(); }
  std::string to_json() const;
};

// The state of a key by id at `now`, as the seed's `apiKeys.verify(newKey.id)`.
struct KeyState {
  KeyRecord record;
  Code code = Code::kValid;           // valid, expired, revoked, disabled
  bool in_grace = false;
  std::string to_json() const;
};

// Pure: the decision for `record` (nullptr: no such key) presented at `now`, with the
// stored hash already checked (`hash_matches`). Does not look at the rate limiter.
// Order: not_found (no record, or wrong secret) -> revoked -> disabled -> expired (past
// its expiry, or a replaced key past its grace) -> environment_mismatch ->
// insufficient_scope (scopes, or a restricted key used by another service) -> valid.
Decision decide(const KeyRecord* record, bool hash_matches, const VerifyContext& context, time::Millis now);
// The same with the context's required scopes already parsed (they are not read from
// `context`).
Decision decide(const KeyRecord* record, bool hash_matches, const VerifyContext& context,
                const std::vector<scopes::Scope>& required, time::Millis now);

// Pure: the state of a record at `now`.
KeyState state_of(const KeyRecord& record, time::Millis now);

// One verification of a known key: a usage sample and, when it was let through, what it
// changes on the record (the limiter's state and the last use).
struct Access {
  std::string key_id;
  time::Millis at = 0;
  Code outcome = Code::kValid;
  std::int64_t latency_micros = -1;  // <0: not reported
  bool touch = false;                // set rate and last_used_at = at on the record
  ratelimit::State rate;
};

// A change to apply in one step: records to write (whole), events to append, accesses to
// count (and touch), and whole usage aggregates to add (an import).
// A secret the registry keeps because it must be recoverable: a key's request-signing
// secret (id "signing/<key id>") or a webhook endpoint's secret (id "webhook/<endpoint>"),
// sealed under a master key (vault::MasterKeys) with its id as associated data.
struct StoredSecret {
  std::string id;
  std::string kind;     // "hmac-sha256", "ed25519" (the 32-byte seed) or "webhook"
  std::string key_id;   // the API key it belongs to; "" for a webhook endpoint
  std::string sealed;   // "ffs1.<master id>.<base64url>"
  time::Millis created_at = 0;
  time::Millis updated_at = 0;
};

// A message waiting in the registry's outbox (delivered by a mailer: the admin service over
// SMTP). Notifications are queued in the transaction of what causes them (a rotation's
// notice to its notifyEmails) or by a scan (expiry and rotation-due warnings, anomaly and
// rate-limit alerts), each with an id derived from its cause, so the same cause queued twice
// (by two instances, or two runs of a scan) is one notification. A mailer claims due ones
// with a lease, sends them, and settles each: sent, or tried again later with backoff, until
// kMaxDeliveryAttempts. The text never holds a secret.
struct Notification {
  std::string id;                       // "<kind>:<key id>:<the cause's instant>[...]"
  std::string kind;                     // one of kNotificationKinds
  std::string key_id;
  std::vector<std::string> recipients;  // email addresses
  std::string subject, body;            // plain text
  time::Millis created_at = 0;
  time::Millis due_at = 0;              // not tried before this instant
  std::string status = "pending";       // "pending", "sent", "failed" (gave up)
  std::int64_t attempts = 0;            // deliveries tried
  std::string claimed_by;               // the mailer holding it, until lease_until
  time::Millis lease_until = 0;
  std::string last_error;               // the last failed attempt's reason
  time::Millis sent_at = 0;
  // Canonical JSON (camelCase, instants in UTC text, null for no lease or no sending yet).
  std::string to_json() const;
};

inline constexpr std::string_view kNotifyRotated = "key.rotated";        // to a rotation's notifyEmails
inline constexpr std::string_view kNotifyExpiring = "key.expiring";      // ahead of a key's expiry
inline constexpr std::string_view kNotifyRotationDue = "key.rotation_due";  // ahead of its rotation
inline constexpr std::string_view kNotifyAnomaly = "key.anomaly";        // a key.anomaly event
inline constexpr std::string_view kNotifyRateLimit = "key.rate_limit";   // near or at its rate limit
inline constexpr std::string_view kNotificationKinds[] = {kNotifyRotated, kNotifyExpiring, kNotifyRotationDue,
                                                          kNotifyAnomaly, kNotifyRateLimit};
// Deliveries tried before a notification is "failed": the waits between them double from
// 30 seconds up to an hour (about five hours in all).
inline constexpr std::int64_t kMaxDeliveryAttempts = 12;
// How long to wait after `attempts` failed deliveries.
time::Millis delivery_backoff(std::int64_t attempts) noexcept;

// Which notifications to read: by id, by status, or those due (pending, due and not leased)
// at `due_by`; the newest `limit` first, or for due_by the longest due first.
struct NotificationQuery {
  std::string id;          // "" for any
  std::string status;      // "" for any
  time::Millis due_by = 0; // 0: any
  std::size_t limit = 100;
};

struct Plan {
  std::vector<StoredSecret> secrets;  // written whole (replacing one with the same id)
  std::vector<Notification> queued;         // added unless one with the same id is there
  std::vector<Notification> notifications;  // written whole (a claim, a settlement)
  std::vector<KeyRecord> records;
  std::vector<audit::Event> events;
  std::vector<Access> accesses;
  std::vector<std::pair<std::string, usage::Aggregate>> aggregates;  // key id, aggregate
};

// A non-owning reference to a callable, for visitors that must not allocate.
template <class Signature>
class FunctionRef;
template <class R, class... Args>
class FunctionRef<R(Args...)> {
 public:
  template <class F>
  FunctionRef(F& f) noexcept  // NOLINT(google-explicit-constructor)
      : object_(&f), call_([](void* o, Args... args) -> R { return (*static_cast<F*>(o))(args...); }) {}
  R operator()(Args... args) const { return call_(object_, args...); }

 private:
  void* object_;
  R (*call_)(void*, Args...);
};

// Where records and events live. Implementations apply a plan atomically.
class Store {
 public:
  virtual ~Store() = default;
  virtual Result<std::optional<KeyRecord>> get(std::string_view id) = 0;
  // Calls `visit` once with the record (nullptr when there is none), without copying it;
  // the pointer is valid only during the call, which must not call back into the store.
  virtual Status read(std::string_view id, FunctionRef<void(const KeyRecord*)> visit) = 0;
  virtual Result<std::vector<KeyRecord>> list() = 0;
  // Writes the records, appends the events (sealing them into the chain; their seq,
  // prev_hash and hash are the store's to set) and counts the accesses, all or nothing.
  // May move from the plan's contents (the caller clears and reuses it).
  virtual Status apply(Plan& plan) = 0;
  // Events in order; `key_id` "" for all.
  virtual Result<std::vector<audit::Event>> events(std::string_view key_id) = 0;
  // One key's usage aggregates whose interval starts in [start, end).
  virtual Result<std::vector<usage::Aggregate>> usage(std::string_view key_id, time::Millis start,
                                                      time::Millis end) = 0;
  // What anomaly detection needs on every verification, without copying aggregates: the
  // requests and errors of the interval starting at `minute`, and of the hour before it.
  struct UsageWindow {
    std::uint64_t minute_requests = 0, minute_errors = 0, hour_requests = 0, hour_errors = 0;
  };
  virtual Result<UsageWindow> usage_window(std::string_view key_id, time::Millis minute) = 0;
  // Runs `body` (a whole registry operation: its reads and its apply) as one unit: no other
  // writer changes what it read before it commits, and nothing of it is kept when it fails.
  // The in-memory store just calls it (a Registry is single-threaded); SQLite holds its
  // write lock (BEGIN IMMEDIATE) for the call. Returns the body's status, or the commit's.
  virtual Status transaction(FunctionRef<Status()> body) { return body(); }
  // True when transaction() does more than call the body: the registry skips the wrapper
  // (and its cost on every verification) otherwise.
  bool transactional() const noexcept { return transactional_; }
  // True when the store holds verifications' accesses and events back and writes them in
  // batches: a verification then needs no transaction of its own.
  bool buffers_accesses() const noexcept { return buffers_accesses_; }
  // Writes out whatever is held back. Stores that buffer also flush on size, on time, before
  // any other write (in its transaction, so the log keeps its order) and when destroyed.
  virtual Status flush() { return Status::Ok(); }
  // The sealed secrets: one by id (nothing when there is none), or all, by id.
  virtual Result<std::optional<StoredSecret>> secret(std::string_view id) = 0;
  virtual Result<std::vector<StoredSecret>> secrets() = 0;
  // The outbox's notifications the query asks for.
  virtual Result<std::vector<Notification>> notifications(const NotificationQuery& query) = 0;
  // Where each writer's chain ends, kept apart from the events (PostgreSQL's writers table);
  // none for stores that keep no such record.
  virtual Result<std::vector<audit::ChainHead>> chain_heads() { return std::vector<audit::ChainHead>{}; }

 protected:
  bool transactional_ = false;
  bool buffers_accesses_ = false;
};

// The in-memory store (what WebAssembly uses). It keeps the newest `max_events` audit events
// (the chain stays verifiable from the oldest one kept); records and usage are kept whole.
// Not thread-safe on its own.
inline constexpr std::size_t kDefaultMaxEvents = 100000;
std::unique_ptr<Store> make_memory_store(std::size_t max_events = kDefaultMaxEvents);

struct LogQuery {
  std::string key_id;                   // "" for every key
  std::vector<std::string> event_types; // empty for all
  std::size_t limit = 100;              // the newest `limit` matching events, oldest first
};

struct Created {
  KeyRecord record;
  keys::ApiKey key;  // shown once
};

struct Rotated {
  KeyRecord previous;  // now in its grace window (or dead, for a zero grace)
  KeyRecord current;
  keys::ApiKey key;    // the new key, shown once
};

struct Replacement {
  std::string previous_id;  // the revoked key this one continues
  KeyRecord record;
  keys::ApiKey key;         // shown once
};

struct EmergencyRevocation {
  std::vector<KeyRecord> revoked;          // every key revoked by this call
  std::vector<Replacement> replacements;   // fresh keys for the chains that continue
};

// Where a key stands against its type's rotation policy at `now`:
//   "ok", "due_soon" (within the warning lead time), "due" (past the period, within one lead
//   time), "overdue", or "inactive" (revoked, expired, or already replaced).
std::string_view rotation_state(const KeyRecord& record, const keys::TypePolicy& policy, time::Millis now);

// Not thread-safe: give each thread its own Registry (over a store that is), or lock.
class Registry {
 public:
  // An in-memory registry. `random` replaces libsodium's CSPRNG for key generation (tests
  // and conformance vectors only).
  Registry(hashing::Hasher hasher, keys::TypeTable table, std::unique_ptr<Store> store = nullptr,
           std::optional<keys::RandomSource> random = std::nullopt);

  // Creates a key from the seed's request (see lifecycle::parse_create_request). A
  // restricted key's parent must exist, be active and unexpired, hold every requested
  // scope (scopes::is_subset) and outlive it; its expiry is capped at the parent's.
  // Errors: invalid_request (the request), not_found (parent), precondition_failed (parent
  // not usable), insufficient_scope (scopes exceed the parent's), storage errors.
  Result<Created> create(std::string_view request_json, time::Millis now, std::string_view actor);

  // Verifies a presented key: format and checksum first (no lookup for a malformed key),
  // then lookup, constant-time hash check, decide(), then the rate limit. Records
  // key.accessed, key.verification_failed or key.rate_limited. The decision is the result;
  // only storage failures are errors.
  Result<Decision> verify(std::string_view key, const VerifyContext& context, time::Millis now);
  // The same into `out`, reusing its storage: a caller that keeps one Decision for its
  // verifications (the bindings do) makes the in-memory registry's hot path allocate nothing.
  // Errors as verify(); `out` is unspecified after one.
  Status verify(std::string_view key, const VerifyContext& context, time::Millis now, Decision& out);

  // The state of a key by id. Errors: malformed_key / unknown_prefix (the id), not_found.
  Result<KeyState> status(std::string_view id, time::Millis now);

  // Rotates a key: a new key with the same name, type, scopes, service, parent and owner,
  // version + 1, expiring no later than the old key did; the old key keeps working until
  // now + grace (never past its own expiry). A grace of 0 is an emergency rotation.
  // `notify_emails` are validated and recorded on the event. Errors: not_found,
  // conflict (already replaced, revoked or expired, unless `force`), invalid_request (bad
  // grace or email).
  Result<Rotated> rotate(std::string_view id, time::Millis grace, const std::vector<std::string>& notify_emails,
                         bool force, time::Millis now, std::string_view actor);

  // Revokes a key at once. Errors: not_found, conflict (already revoked).
  Result<KeyRecord> revoke(std::string_view id, std::string_view reason, time::Millis now, std::string_view actor);

  // The seed's emergency procedure: revokes a compromised key, its whole rotation chain and
  // every restricted key derived from any of them (and their chains), at once. With
  // `replace`, each chain that was still usable gets a fresh key (version + 1), restricted
  // chains re-parented to their parent's replacement. Errors: not_found, invalid_request.
  Result<EmergencyRevocation> emergency_revoke(std::string_view id, std::string_view reason, bool replace,
                                               time::Millis now, std::string_view actor);

  // The inventory the seed asks to maintain: every key with name, purpose, owner, type,
  // state, age, last use, next rotation and rotation state, expiry and whether it is soon.
  // Canonical JSON: {"at", "keys": [...], "summary": {state: count}}.
  Result<std::string> policy_report(time::Millis now);

  // The seed's automated rotation: rotates every key whose rotation is "due" or "overdue"
  // in policy_report, each with `grace` and `notify_emails` (in its key.rotated event), and
  // returns the rotations made (each new key shown
  // once). A key another instance rotated meanwhile is skipped, so several hosts may run it
  // at once (from cron, a timer or a service's background task) and each key is rotated
  // once. Errors: invalid_duration for a bad grace; a store failure stops it (rotations
  // already made stay made).
  Result<std::vector<Rotated>> rotate_due(time::Millis grace, const std::vector<std::string>& notify_emails,
                                          time::Millis now, std::string_view actor);

  Result<KeyRecord> get(std::string_view id);
  Result<std::vector<KeyRecord>> list();
  Result<std::vector<audit::Event>> logs(const LogQuery& query);
  // The seed's getUsage({keyId, timeframe: {start, end}, metrics}) as JSON in, JSON out
  // (usage::report). Errors: as usage::parse_query, and not_found for an unknown key.
  Result<std::string> get_usage(std::string_view query_json);
  Result<audit::ChainReport> verify_chain();

  // Writes out the verifications a buffering store holds back (see Store::flush).
  Status flush() { return store_->flush(); }

  // The whole registry (records with their stored hashes, the audit log, usage) encrypted
  // with XChaCha20-Poly1305 under `key` (32 bytes; the deployment's master key): text
  // "ffx1.<base64url>", for backups and for loading into another registry (the browser's).
  // Errors: invalid_request for a key that is not 32 bytes; storage errors.
  Result<std::string> export_encrypted(const SecretBytes& key, time::Millis now);

  // Loads an export into this registry, which must hold no key. The export's audit chain is
  // checked before anything is written, and everything is applied in one step. Errors:
  // invalid_request (not an export, a wrong key or altered text: one message for both, or
  // a chain that does not verify), precondition_failed (the registry is not empty).
  Status import_encrypted(std::string_view text, const SecretBytes& key);

  const keys::TypeTable& table() const noexcept { return table_; }

  // ---- Recoverable secrets, sealed at rest (vault.h) ----
  // The master keys the registry seals and opens secrets with; until they are set, the calls
  // below are precondition_failed.
  void set_master_keys(vault::MasterKeys masters) { masters_ = std::move(masters); }

  // Gives key `key_id` a new request-signing secret (HMAC-SHA256: 32 random bytes; Ed25519:
  // a fresh key pair), replacing any it had, sealed under the current master key, and
  // returns it as the signing key (keyid = the key id, what `signed_by` must name). Records
  // secret.issued. Errors: not_found, precondition_failed (no master keys; the key is
  // revoked or expired), storage errors.
  Result<signing::SigningKey> issue_signing_secret(std::string_view key_id, signing::Algorithm algorithm,
                                                   time::Millis now, std::string_view actor);
  // The key's request-signing secret, opened: what a service verifies its requests with
  // (signing_key(id)->verifying_key()). Errors: not_found (no secret), precondition_failed
  // (no master keys, or sealed under one not held), invalid_request (does not open).
  Result<signing::SigningKey> signing_key(std::string_view key_id);
  // A new webhook signing secret for endpoint `endpoint_id` (1 to 128 of [A-Za-z0-9._:-]),
  // replacing any it had. Records secret.issued. Errors: invalid_request (the id),
  // precondition_failed (no master keys), storage errors.
  Result<webhooks::Secret> issue_webhook_secret(std::string_view endpoint_id, time::Millis now, std::string_view actor);
  Result<webhooks::Secret> webhook_secret(std::string_view endpoint_id);
  // ---- Notifications: the outbox (see Notification) ----
  // Who gets the warnings and alerts (every key's, besides its owner when the owner is an
  // email address); none by default. Errors: invalid_request (not an email address, or more
  // than 20).
  Status set_alert_recipients(std::vector<std::string> recipients);
  // Queues the warnings due at `now`: a key within its type's warning lead time of expiring
  // (key.expiring) or of its rotation (key.rotation_due), once per key and expiry or
  // rotation date. Run it from a timer (the admin service does); several instances may.
  // Returns how many were new. Rotation notices and anomaly and rate-limit alerts are queued
  // by rotate() and verify() themselves.
  Result<std::size_t> queue_warnings(time::Millis now);
  // Takes up to `limit` (1 to 100) due notifications for `worker` (the mailer's name) for
  // `lease` (1 second to a day): no other worker gets them until the lease ends. Errors:
  // invalid_request, storage errors.
  Result<std::vector<Notification>> claim_notifications(std::string_view worker, std::size_t limit, time::Millis lease,
                                                        time::Millis now);
  // Records the outcome of a delivery of a claimed notification: sent, or failed with
  // `error` (kept, cleaned and cut to 300 bytes) and due again after delivery_backoff, or
  // "failed" after kMaxDeliveryAttempts. Errors: not_found, conflict (not claimed by
  // `worker`: its lease ended and another worker took it, or it was settled already).
  Result<Notification> settle_notification(std::string_view id, std::string_view worker, bool delivered,
                                           std::string_view error, time::Millis now);
  // The outbox, newest first. Errors: invalid_request (a status other than pending, sent or
  // failed; a limit outside 1 to 1000).
  Result<std::vector<Notification>> notifications(const NotificationQuery& query);

  // Re-seals under the current master key every secret sealed under another, a batch per
  // transaction (a concurrent issue is never overwritten), and records secret.reencrypted
  // per batch. Every instance keeps opening both while it runs: rotate a master key by giving
  // every instance the new one as current (keeping the old), running this once, then
  // dropping the old. Returns how many were re-sealed. Errors: precondition_failed (no master
  // keys, or a secret sealed under one not held), storage errors.
  Result<std::size_t> reencrypt_secrets(time::Millis now, std::string_view actor);

 private:
  Result<keys::ApiKey> new_key(keys::KeyType type);
  // A fresh key of `type` and its stored hash.
  Result<std::pair<keys::ApiKey, std::string>> issue(keys::KeyType type);
  audit::Event event(std::string_view type, const KeyRecord* record, std::string_view actor, Code outcome,
                     std::string details, time::Millis now) const;
  audit::Event event(std::string_view type, std::string_view key_id, std::string_view actor, Code outcome,
                     std::string details, time::Millis now) const;
  // The fields of an audit event, assigned into `e` (its strings' storage reused).
  static void fill_event(audit::Event& e, std::string_view type, std::string_view key_id, std::string_view actor,
                         Code outcome, std::string_view details, time::Millis now);
  // Adds an event to the verification's plan (scratch_), reusing an earlier one's storage.
  audit::Event& log(Plan& plan, std::string_view type, std::string_view key_id, std::string_view actor, Code outcome,
                    std::string_view details, time::Millis now);
  // verify() inside the store's transaction (if it has them).
  Status verify_now(std::string_view key, const VerifyContext& context, time::Millis now, Decision& d);
  // verify() once the record has been read: the decision, and what it changes.
  Status judge(const KeyRecord* record, const keys::KeyView& key, std::string_view text, const VerifyContext& context,
               const std::vector<scopes::Scope>& required, time::Millis now, Decision& d, Plan& plan);

  // A stored secret, opened. Errors as signing_key().
  Result<SecretBytes> open_secret(std::string_view id, StoredSecret* found);
  // Seals `secret` as record `id` and writes it with its secret.issued event.
  Status store_secret(std::string id, std::string_view kind, std::string_view key_id, const SecretBytes& secret,
                      time::Millis now, std::string_view actor);

  // The recipients of warnings and alerts about `r` (its owner and the alert recipients).
  std::vector<std::string> alert_recipients(const KeyRecord& r) const;
  // Queues an alert (anomaly, rate limit) about key `key_id` into `plan`, when it has
  // recipients. Errors: storage errors.
  Status queue_alert(std::string_view kind, std::string_view key_id, std::string id, std::string what, time::Millis now,
                     Plan& plan);

  hashing::Hasher hasher_;
  std::optional<vault::MasterKeys> masters_;
  std::vector<std::string> alert_recipients_;
  // The hour each key's last rate-limit alert was queued in (one per key and hour).
  std::map<std::string, time::Millis, std::less<>> rate_alerted_;
  static constexpr std::size_t kMaxRateAlerted = 100000;
  keys::TypeTable table_;
  std::unique_ptr<Store> store_;
  std::optional<keys::RandomSource> random_;
  // The required scopes of the last verification, parsed (verify() reuses them).
  std::vector<std::string> required_text_;
  std::vector<scopes::Scope> required_;
  // The verification's plan. Its events and accesses stay in it from one verification to
  // the next, with their strings' storage, and are handed out again in place (verify.cc):
  // `used` of them this verification, and up to kSpares more kept beside it.
  Plan scratch_;
  template <class T>
  struct Reused {
    std::size_t used = 0;
    std::vector<T> spares;
  };
  static constexpr std::size_t kSpares = 8;
  Reused<audit::Event> events_reused_;
  Reused<Access> accesses_reused_;
};

// An email address as notify_emails accepts it: local@domain, ASCII, at most 254 bytes.
bool is_email(std::string_view address) noexcept;

}  // namespace finfusion::registry
