// The in-memory store: records, sealed secrets, the outbox, usage and a ring of the newest
// audit events, in this process (what WebAssembly and tests use).
#include <algorithm>
#include <limits>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "finfusion/registry.h"

namespace finfusion::registry {
namespace {

class MemoryStore final : public Store {
 public:
  explicit MemoryStore(std::size_t max_events) : max_events_(std::max<std::size_t>(max_events, 1)) {}

  Result<std::optional<KeyRecord>> get(std::string_view id) override {
    auto it = records_.find(id);
    if (it == records_.end()) return std::optional<KeyRecord>();
    return std::optional<KeyRecord>(*it->second);
  }
  Status read(std::string_view id, FunctionRef<void(const KeyRecord*)> visit) override {
    auto it = records_.find(id);
    visit(it == records_.end() ? nullptr : it->second.get());
    return Status::Ok();
  }
  Result<std::vector<KeyRecord>> list() override {
    std::vector<KeyRecord> out;
    out.reserve(records_.size());
    for (const auto& [id, r] : records_) out.push_back(*r);
    std::sort(out.begin(), out.end(), [](const KeyRecord& a, const KeyRecord& b) { return a.id < b.id; });
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
    for (auto& r : plan.records) put(std::move(r));
    for (const Access& access : plan.accesses) {
      if (access.touch) {
        auto record = records_.find(access.key_id);
        if (record != records_.end()) {  // else removed since it was read
          record->second->rate = access.rate;
          record->second->last_used_at = access.at;
        }
      }
      auto it = usage_.find(access.key_id);
      if (it == usage_.end()) it = usage_.emplace(access.key_id, KeyUsage{}).first;
      KeyUsage& k = it->second;
      time::Millis start = usage::interval_start(access.at);
      usage::Aggregate& slot = k.intervals[start];
      slot.start = start;
      slot.add(code_name(access.outcome), access.outcome != Code::kValid, access.latency_micros);
      if (start < k.window_minute) k.window_minute = kNoWindow;  // the cached hour changed
    }
    for (const auto& [key_id, aggregate] : plan.aggregates) {
      auto it = usage_.find(key_id);
      if (it == usage_.end()) it = usage_.emplace(key_id, KeyUsage{}).first;
      usage::Aggregate& slot = it->second.intervals[aggregate.start];
      slot.start = aggregate.start;
      slot.merge(aggregate);
      it->second.window_minute = kNoWindow;
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
      std::swap(slot->event, e);
      slot->hash = hash;
      head_ = hash;
    }
    return Status::Ok();
  }
  Result<std::vector<usage::Aggregate>> usage(std::string_view key_id, time::Millis start, time::Millis end) override {
    std::vector<usage::Aggregate> out;
    auto it = usage_.find(key_id);
    if (it == usage_.end()) return out;
    const auto& intervals = it->second.intervals;
    for (auto a = intervals.lower_bound(start); a != intervals.end() && a->first < end; ++a) out.push_back(a->second);
    return out;
  }
  Result<UsageWindow> usage_window(std::string_view key_id, time::Millis minute) override {
    UsageWindow w;
    auto it = usage_.find(key_id);
    if (it == usage_.end()) return w;
    KeyUsage& k = it->second;
    if (k.window_minute != minute) {
      // The hour before `minute` changes only when an older interval is written; sum it
      // once per minute, not on every verification.
      k.hour_requests = k.hour_errors = 0;
      for (auto a = k.intervals.lower_bound(minute - usage::kBaselineMs); a != k.intervals.end() && a->first < minute;
           ++a) {
        k.hour_requests += a->second.requests;
        k.hour_errors += a->second.errors;
      }
      k.window_minute = minute;
    }
    w.hour_requests = k.hour_requests;
    w.hour_errors = k.hour_errors;
    auto current = k.intervals.find(minute);
    if (current != k.intervals.end()) {
      w.minute_requests = current->second.requests;
      w.minute_errors = current->second.errors;
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
  static constexpr time::Millis kNoWindow = std::numeric_limits<time::Millis>::min();
  struct KeyUsage {
    std::map<time::Millis, usage::Aggregate> intervals;
    time::Millis window_minute = kNoWindow;  // the minute whose hour sums are cached
    std::uint64_t hour_requests = 0, hour_errors = 0;
  };

  // Writes a record whole. Its key in records_ views the record's own id, so a record that
  // is replaced keeps its id string (the same text).
  void put(KeyRecord&& r) {
    auto it = records_.find(r.id);
    if (it == records_.end()) {
      auto owned = std::make_unique<KeyRecord>(std::move(r));
      const std::string_view id = owned->id;
      records_.emplace(id, std::move(owned));
      return;
    }
    KeyRecord& kept = *it->second;
    std::string id = std::move(kept.id);
    kept = std::move(r);
    kept.id = std::move(id);
  }

  // Records by id, hashed: a lookup among a million keys touches a few cache lines, where a
  // tree would touch forty.
  std::unordered_map<std::string_view, std::unique_ptr<KeyRecord>> records_;
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
  std::map<std::string, KeyUsage, std::less<>> usage_;
};

}  // namespace

std::unique_ptr<Store> make_memory_store(std::size_t max_events) { return std::make_unique<MemoryStore>(max_events); }

}  // namespace finfusion::registry
