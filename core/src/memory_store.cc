// The in-memory store: records, sealed secrets, the outbox, usage and a ring of the newest
// audit events, in this process (what WebAssembly and tests use).
#include <algorithm>
#include <array>
#include <limits>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "finfusion/registry.h"
#include "internal/compact_records.h"

namespace finfusion::registry {
namespace {

using internal::CompactRecord;
using internal::KeyUsage;
using internal::RecordIndex;
using internal::ScopeSets;

constexpr time::Millis kNoWindow = std::numeric_limits<time::Millis>::min();

}  // namespace

namespace internal {

// One key's usage: its intervals, the hour sums the anomaly check reads, and the open minute.
struct KeyUsage {
  std::string key_id;
  std::map<time::Millis, usage::Aggregate> intervals;  // by start, the open minute's counts not in them
  // Cached for the anomaly check: the sums of the hour before window_minute and that
  // minute's own interval, read once a minute rather than on every verification.
  time::Millis window_minute = kNoWindow;
  std::uint64_t hour_requests = 0, hour_errors = 0, minute_requests = 0, minute_errors = 0;
  // The counts of the minute the key's accesses last fell in, by outcome, not yet folded into
  // `intervals`: an access adds to them without walking the intervals' tree and then the
  // outcomes' (at a million keys, dependent cache misses). Readers fold them in first.
  time::Millis open_minute = kNoWindow;
  std::uint32_t open_requests = 0;
  std::array<std::uint32_t, kCodeCount> open_outcomes{};

  // The interval starting at `start`, whose counts are to change: the cached sums are dropped
  // when it may be one of theirs.
  usage::Aggregate& interval(time::Millis start) {
    if (start <= window_minute) window_minute = kNoWindow;
    return latency_interval(start);
  }
  // The same, for a latency only (no sum changes).
  usage::Aggregate& latency_interval(time::Millis start) {
    usage::Aggregate& slot = intervals[start];
    slot.start = start;
    return slot;
  }
  void add(time::Millis at, Code outcome, std::int64_t latency_micros) {
    const time::Millis start = usage::interval_start(at);
    if (start != open_minute || open_requests == std::numeric_limits<std::uint32_t>::max()) {
      fold();
      open_minute = start;
    }
    ++open_requests;
    ++open_outcomes[static_cast<std::size_t>(outcome)];
    if (latency_micros >= 0) ++latency_interval(start).latency[usage::bucket_of(latency_micros)];
  }
  // Moves the open minute's counts into its interval.
  void fold() {
    if (open_requests == 0) return;
    usage::Aggregate& slot = interval(open_minute);
    for (std::size_t i = 0; i < open_outcomes.size(); ++i) {
      if (open_outcomes[i] == 0) continue;
      const auto code = static_cast<Code>(i);
      slot.add_many(code_name(code), code != Code::kValid, open_outcomes[i]);
    }
    open_requests = 0;
    open_outcomes.fill(0);
  }
};

}  // namespace internal

namespace {

class MemoryStore final : public Store {
 public:
  explicit MemoryStore(std::size_t max_events) : max_events_(std::max<std::size_t>(max_events, 1)) {}

  Result<std::optional<KeyRecord>> get(std::string_view id) override {
    const CompactRecord* r = records_.find(id);
    if (r == nullptr) return std::optional<KeyRecord>();
    std::optional<KeyRecord> out(std::in_place);
    r->read(*out);
    return out;
  }
  Status read(std::string_view id, FunctionRef<void(const KeyRecord*)> visit) override {
    // Into a record kept for it: its strings' storage is reused from one read to the next,
    // and a record read again, unchanged but for a verification's touch, is not copied again.
    CompactRecord* r = records_.find(id);
    if (r != nullptr && r == read_from_) {
      reading_.rate = r->rate;
      reading_.last_used_at = r->last_used_at;
    } else if (r != nullptr) {
      r->read(reading_);
      read_from_ = r;
    }
    // The verification reads the key's usage next: fetched while it checks the key.
    if (r != nullptr && r->usage != nullptr) __builtin_prefetch(r->usage);
    visit(r == nullptr ? nullptr : &reading_);
    return Status::Ok();
  }
  Result<std::vector<KeyRecord>> list() override {
    // Sorted by id as the compact records, then read: sorting KeyRecords themselves would move
    // whole records (and instantiates the sort for them, 24 KB of WebAssembly).
    std::vector<const CompactRecord*> sorted;
    sorted.reserve(records_.size());
    records_.each([&](const CompactRecord& r) { sorted.push_back(&r); });
    std::sort(sorted.begin(), sorted.end(), [](const CompactRecord* a, const CompactRecord* b) { return a->id() < b->id(); });
    std::vector<KeyRecord> out(sorted.size());
    for (std::size_t i = 0; i < sorted.size(); ++i) sorted[i]->read(out[i]);
    return out;
  }
  Result<std::optional<StoredSecret>> secret(std::string_view id) override {
    auto it = secrets_.find(id);
    if (it == secrets_.end()) return std::optional<StoredSecret>();
    return std::optional<StoredSecret>(it->second);
  }
  Result<std::vector<StoredSecret>> secrets() override {
    std::vector<StoredSecret> out;
    out.reserve(secrets_.size());
    for (const auto& [id, secret] : secrets_) out.push_back(secret);
    return out;
  }
  Result<std::vector<Notification>> notifications(const NotificationQuery& q) override {
    std::vector<const Notification*> matching;
    for (const auto& [id, n] : outbox_) {
      if ((!q.id.empty() && id != q.id) || (!q.status.empty() && n.status != q.status)) continue;
      if (q.due_by != 0 && (n.due_at > q.due_by || n.lease_until > q.due_by)) continue;
      matching.push_back(&n);
    }
    // As the SQL stores order them: the newest first, or for due_by the longest due first.
    auto order = [&](const Notification* a, const Notification* b) {
      const time::Millis x = q.due_by != 0 ? a->due_at : -a->created_at, y = q.due_by != 0 ? b->due_at : -b->created_at;
      return x != y ? x < y : a->id < b->id;
    };
    std::sort(matching.begin(), matching.end(), order);
    std::vector<Notification> out;
    for (std::size_t i = 0; i < matching.size() && i < q.limit; ++i) out.push_back(*matching[i]);
    return out;
  }
  Status apply(Plan& plan) override {
    for (auto& n : plan.queued) outbox_.emplace(n.id, std::move(n));  // kept when there already
    for (auto& n : plan.notifications) outbox_[n.id] = std::move(n);
    for (auto& secret : plan.secrets) secrets_[secret.id] = std::move(secret);
    for (const KeyRecord& r : plan.records) put(r);
    for (const Access& access : plan.accesses) {
      if (access.touch) {
        // Most often the record the verification just read: no second lookup.
        CompactRecord* record = read_record(access.key_id);
        if (record == nullptr) record = records_.find(access.key_id);
        if (record != nullptr) {  // else removed since it was read
          record->rate = access.rate;
          record->last_used_at = access.at;
        }
      }
      usage_of(access.key_id).add(access.at, access.outcome, access.latency_micros);
    }
    for (const auto& [key_id, aggregate] : plan.aggregates) {
      usage_of(key_id).interval(aggregate.start).merge(aggregate);
    }
    for (auto& e : plan.events) {
      // Kept with the hash as bytes and no hex strings: they are written out on reading.
      e.seq = next_seq_++;
      audit::Digest hash = audit::chain_digest(e, head_);
      e.writer.clear();  // one chain here
      e.prev_hash.clear();
      e.hash.clear();
      Logged* slot;
      if (log_.size() < max_events_) {
        slot = &log_.emplace_back();
      } else {
        // Full: the oldest slot takes the new event, and the next oldest chains to it.
        slot = &log_[oldest_];
        dropped_head_ = slot->hash;
        if (++oldest_ == log_.size()) oldest_ = 0;
      }
      // Swapped into place: the plan gets the dropped event's storage back for the next one.
      swap(slot->event, e);  // audit::swap, field by field
      slot->hash = hash;
      head_ = hash;
    }
    return Status::Ok();
  }
  Result<std::vector<usage::Aggregate>> usage(std::string_view key_id, time::Millis start, time::Millis end) override {
    std::vector<usage::Aggregate> out;
    KeyUsage* k = find_usage(key_id);
    if (k == nullptr) return out;
    k->fold();
    const auto& intervals = k->intervals;
    for (auto a = intervals.lower_bound(start); a != intervals.end() && a->first < end; ++a) out.push_back(a->second);
    return out;
  }
  Result<UsageWindow> usage_window(std::string_view key_id, time::Millis minute) override {
    UsageWindow w;
    KeyUsage* found = find_usage(key_id);
    if (found == nullptr) return w;
    KeyUsage& k = *found;
    if (k.open_minute != minute) k.fold();
    if (k.window_minute != minute) {
      k.hour_requests = k.hour_errors = k.minute_requests = k.minute_errors = 0;
      auto a = k.intervals.lower_bound(minute - usage::kBaselineMs);
      for (; a != k.intervals.end() && a->first < minute; ++a) {
        k.hour_requests += a->second.requests;
        k.hour_errors += a->second.errors;
      }
      if (a != k.intervals.end() && a->first == minute) {
        k.minute_requests = a->second.requests;
        k.minute_errors = a->second.errors;
      }
      k.window_minute = minute;
    }
    w.hour_requests = k.hour_requests;
    w.hour_errors = k.hour_errors;
    w.minute_requests = k.minute_requests;
    w.minute_errors = k.minute_errors;
    if (k.open_minute == minute) {
      w.minute_requests += k.open_requests;
      w.minute_errors += k.open_requests - k.open_outcomes[static_cast<std::size_t>(Code::kValid)];
    }
    return w;
  }
  Result<std::vector<audit::Event>> events(std::string_view key_id) override {
    std::vector<audit::Event> out;
    for (std::size_t i = 0; i < log_.size(); ++i) {
      const Logged& logged = at(i);
      if (!key_id.empty() && logged.event.key_id != key_id) continue;
      audit::Event e = logged.event;
      if (i > 0) {
        e.prev_hash = audit::to_hex(at(i - 1).hash);
      } else if (e.seq > 1) {
        e.prev_hash = audit::to_hex(dropped_head_);
      }
      e.hash = audit::to_hex(logged.hash);
      out.push_back(std::move(e));
    }
    return out;
  }

 private:
  // Writes a record whole, its scope set shared with the records that have the same.
  void put(const KeyRecord& r) {
    read_from_ = nullptr;  // the record reading_ holds may be the one replaced
    records_.put(r, scope_sets_.intern(r.scopes));
    scope_sets_.prune(records_);
  }

  // Records by id, compact (internal/compact_records.h): a million keys take about 200 bytes
  // each, and a lookup touches a slot and the record.
  RecordIndex records_;
  ScopeSets scope_sets_;
  KeyRecord reading_;                   // what read() visits,
  CompactRecord* read_from_ = nullptr;  // read from this record (null: none, or replaced since)
  std::map<std::string, StoredSecret, std::less<>> secrets_;
  std::map<std::string, Notification, std::less<>> outbox_;
  struct Logged {
    audit::Event event;  // prev_hash and hash left empty
    audit::Digest hash;
  };
  // The log: a ring of at most max_events_ slots, oldest at oldest_ once it is full.
  const Logged& at(std::size_t i) const { return log_[(oldest_ + i) % log_.size()]; }
  std::vector<Logged> log_;
  std::size_t oldest_ = 0;
  std::uint64_t next_seq_ = 1;
  audit::Digest head_{};          // hash of the newest event (zeros before the first)
  audit::Digest dropped_head_{};  // hash of the newest dropped event
  std::size_t max_events_;
  // Usage by key id, hashed (a view of the KeyUsage's own copy of the id): no allocation to
  // look one up, and a few cache lines touched where a tree of a million ids touches twenty.
  // Entries are never removed, so a record keeps a pointer to its key's once it is found: a
  // verification reads its key's usage window and writes its access without hashing the id,
  // and without the misses of the hashed lookup at a million keys.
  std::unordered_map<std::string_view, std::unique_ptr<KeyUsage>> usage_;
  // The record last read, if it is `key_id`'s (usage and accesses follow a read).
  CompactRecord* read_record(std::string_view key_id) const {
    return read_from_ != nullptr && reading_.id == key_id ? read_from_ : nullptr;
  }
  KeyUsage* find_usage(std::string_view key_id) {
    CompactRecord* record = read_record(key_id);
    if (record != nullptr && record->usage != nullptr) return record->usage;
    auto it = usage_.find(key_id);
    if (it == usage_.end()) return nullptr;
    if (record != nullptr) record->usage = it->second.get();
    return it->second.get();
  }
  KeyUsage& usage_of(std::string_view key_id) {
    if (KeyUsage* k = find_usage(key_id)) return *k;
    auto owned = std::make_unique<KeyUsage>();
    owned->key_id.assign(key_id);
    KeyUsage& k = *owned;
    usage_.emplace(std::string_view(k.key_id), std::move(owned));
    if (CompactRecord* record = read_record(key_id)) record->usage = &k;
    return k;
  }
};

}  // namespace

std::unique_ptr<Store> make_memory_store(std::size_t max_events) { return std::make_unique<MemoryStore>(max_events); }

}  // namespace finfusion::registry
