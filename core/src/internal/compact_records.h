// Key records as the in-memory store keeps them: compact, so that a million keys fit in a few
// hundred megabytes and a lookup touches few cache lines.
//
// A `KeyRecord` is ten `std::string`s and a scope set, 432 bytes before its heap parts (about
// 750 bytes a key with them, its map node and bucket). A compact record is one allocation: the
// fixed fields, then the texts, each after its length as a varint; its scope set is shared with
// every other record that has the same permissions. Records are found through an open-
// addressing table of (hash, record) slots.
//
// At a million keys the records and the table span a quarter of a gigabyte, read at random:
// with 4 KiB pages each lookup misses the TLB twice (the slot's page and the record's). So the
// table, once it is larger than a huge page, and the records, carved from chunks that grow to
// a huge page, are given to the kernel as candidates for transparent huge pages
// (MADV_HUGEPAGE: Linux's default "madvise" mode gives them only to memory that asks).
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "finfusion/registry.h"

namespace finfusion::registry::internal {

struct KeyUsage;  // the in-memory store's usage counters of one key (memory_store.cc)

// Memory for records: blocks in 16-byte size classes, carved from chunks that double from
// 16 KiB to 2 MiB (those in huge pages where the system has them), and kept on a free list
// per class when a record is replaced. Larger blocks come from operator new.
class RecordMemory {
 public:
  RecordMemory() = default;
  ~RecordMemory();
  RecordMemory(const RecordMemory&) = delete;
  RecordMemory& operator=(const RecordMemory&) = delete;

  void* allocate(std::size_t bytes);
  void release(void* block, std::size_t bytes) noexcept;

 private:
  static constexpr std::size_t kGrain = 16, kLargest = 4096;
  // By size class: the first free block, each holding a pointer to the next.
  std::vector<void*> free_ = std::vector<void*>(kLargest / kGrain);
  std::vector<std::pair<void*, std::size_t>> chunks_;  // and their sizes
  char* next_ = nullptr;
  char* end_ = nullptr;
  std::size_t chunk_bytes_ = std::size_t{16} << 10;
};

class CompactRecord {
 public:
  // A new record holding `r`, with `scopes` in place of r.scopes (the store's shared copy).
  static CompactRecord* Make(const KeyRecord& r, const scopes::ScopeSet& scopes, RecordMemory& memory);
  static void Destroy(CompactRecord* record, RecordMemory& memory) noexcept;

  std::string_view id() const noexcept;
  const scopes::ScopeSet& scopes() const noexcept { return scopes_; }
  // Every field into `out`, reusing its strings' storage (the read path allocates nothing).
  void read(KeyRecord& out) const;

  // What a verification changes in place.
  ratelimit::State rate;
  time::Millis last_used_at;
  // The key's usage entry, once the store has found it (kept when the record is replaced).
  KeyUsage* usage = nullptr;

 private:
  CompactRecord(const KeyRecord& r, const scopes::ScopeSet& scopes, std::uint32_t bytes);
  ~CompactRecord() = default;
  const char* texts() const noexcept { return reinterpret_cast<const char*>(this + 1); }

  scopes::ScopeSet scopes_;
  time::Millis created_at_, expires_at_, revoked_at_, grace_until_;
  std::int64_t version_;
  keys::KeyType type_;
  KeyStatus status_;
  bool expiry_logged_;
  std::uint32_t bytes_;  // the whole allocation's, texts included
};

// Records by id, owning them.
class RecordIndex {
 public:
  RecordIndex() = default;
  ~RecordIndex();
  RecordIndex(const RecordIndex&) = delete;
  RecordIndex& operator=(const RecordIndex&) = delete;

  CompactRecord* find(std::string_view id) const noexcept;
  // A record holding `r` (with `scopes`, the store's shared copy), in place of the one with
  // its id if there is one.
  void put(const KeyRecord& r, const scopes::ScopeSet& scopes);
  std::size_t size() const noexcept { return count_; }
  template <class F>
  void each(F&& visit) const {
    for (std::size_t i = 0; i < capacity_; ++i) {
      if (slots_[i].record != nullptr) visit(*slots_[i].record);
    }
  }

 private:
  struct Slot {
    std::size_t hash;
    CompactRecord* record;
  };
  static std::size_t hash_of(std::string_view id) noexcept { return std::hash<std::string_view>()(id); }
  void grow();

  RecordMemory memory_;  // the records' (declared first: destroyed after them)
  Slot* slots_ = nullptr;
  std::size_t capacity_ = 0;  // a power of two, at most three quarters full
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
