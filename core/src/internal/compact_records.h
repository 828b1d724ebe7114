// Key records as the in-memory store keeps them: compact, so that a million keys fit in a few
// hundred megabytes and a lookup touches few cache lines.
//
// A `KeyRecord` is ten `std::string`s and a scope set, 432 bytes before its heap parts (about
// 750 bytes a key with them, its map node and bucket). A compact record is one allocation: the
// fixed fields, then the texts, each after its length as a varint; its scope set is shared with
// every other record that has the same permissions. Records are found through an open-
// addressing table of (hash, record) slots.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "finfusion/registry.h"

namespace finfusion::registry::internal {

class CompactRecord {
 public:
  struct Destroy {
    void operator()(CompactRecord* record) const noexcept;
  };
  using Owned = std::unique_ptr<CompactRecord, Destroy>;
  // A new record holding `r`, with `scopes` in place of r.scopes (the store's shared copy).
  static Owned Make(const KeyRecord& r, const scopes::ScopeSet& scopes);

  std::string_view id() const noexcept;
  const scopes::ScopeSet& scopes() const noexcept { return scopes_; }
  // Every field into `out`, reusing its strings' storage (the read path allocates nothing).
  void read(KeyRecord& out) const;

  // What a verification changes in place.
  ratelimit::State rate;
  time::Millis last_used_at;

 private:
  CompactRecord(const KeyRecord& r, const scopes::ScopeSet& scopes);
  ~CompactRecord() = default;
  const char* texts() const noexcept { return reinterpret_cast<const char*>(this + 1); }

  scopes::ScopeSet scopes_;
  time::Millis created_at_, expires_at_, revoked_at_, grace_until_;
  std::int64_t version_;
  keys::KeyType type_;
  KeyStatus status_;
  bool expiry_logged_;
};

// Records by id, owning them.
class RecordIndex {
 public:
  RecordIndex() = default;
  ~RecordIndex();
  RecordIndex(const RecordIndex&) = delete;
  RecordIndex& operator=(const RecordIndex&) = delete;

  CompactRecord* find(std::string_view id) const noexcept;
  // Takes `record`, in place of the one with its id if there is one (destroyed).
  void put(CompactRecord::Owned record);
  std::size_t size() const noexcept { return count_; }
  template <class F>
  void each(F&& visit) const {
    for (const Slot& s : slots_) {
      if (s.record != nullptr) visit(*s.record);
    }
  }

 private:
  struct Slot {
    std::size_t hash = 0;
    CompactRecord* record = nullptr;
  };
  static std::size_t hash_of(std::string_view id) noexcept { return std::hash<std::string_view>()(id); }
  void grow();

  std::vector<Slot> slots_;  // a power of two, at most three quarters full
  std::size_t count_ = 0;
};

// One shared copy of each distinct scope set in use (by canonical text). Forgets the sets no
// record holds any more when it has doubled since it last looked.
class ScopeSets {
 public:
  const scopes::ScopeSet& intern(const scopes::ScopeSet& set);
  // Keeps only the sets `index`'s records hold, when it is due.
  void prune(const RecordIndex& index);

 private:
  static std::string key_of(const scopes::ScopeSet& set);
  std::unordered_map<std::string, scopes::ScopeSet> sets_;
  std::size_t prune_at_ = 1024;
};

}  // namespace finfusion::registry::internal
