#include "internal/compact_records.h"

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <limits>
#include <new>
#include <utility>

#if defined(__linux__) && !defined(__EMSCRIPTEN__)
#include <sys/mman.h>
#endif

namespace finfusion::registry::internal {
namespace {

constexpr std::size_t kHugePage = std::size_t{2} << 20;

// As operator new fails: std::bad_alloc, or where exceptions are off (WebAssembly) an abort.
[[noreturn]] void out_of_memory() {
#if defined(__cpp_exceptions)
  throw std::bad_alloc();
#else
  std::abort();
#endif
}

// `bytes` of zeroes for the records' chunks and table. A block of a huge page or more (a
// multiple of one: both grow in powers of two) is, on Linux, aligned to a huge page and
// advised into huge pages (only advice: without them the memory works the same), and mapped
// apart from malloc's heap: aligning there leaves a free fragment before each block, which
// small allocations then spread over (18 MB more resident at a million keys). Smaller blocks,
// and all of them where there are no huge pages (WebAssembly), come from calloc.
void* allocate_zeroed(std::size_t bytes) {
#if defined(__linux__) && !defined(__EMSCRIPTEN__)
  if (bytes < kHugePage) {
    void* memory = std::calloc(1, bytes);
    if (memory == nullptr) out_of_memory();
    return memory;
  }
  const std::size_t span = bytes + kHugePage;  // mapped with room to align, and trimmed
  void* mapped = mmap(nullptr, span, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (mapped == MAP_FAILED) out_of_memory();
  const auto start = reinterpret_cast<std::uintptr_t>(mapped);
  const std::uintptr_t aligned = (start + kHugePage - 1) & ~(kHugePage - 1);
  if (aligned > start) munmap(mapped, aligned - start);
  const std::uintptr_t end = aligned + bytes;
  if (end < start + span) munmap(reinterpret_cast<void*>(end), start + span - end);
  auto* memory = reinterpret_cast<void*>(aligned);
  madvise(memory, bytes, MADV_HUGEPAGE);
  return memory;
#else
  void* memory = std::calloc(1, bytes);
  if (memory == nullptr) out_of_memory();
  return memory;
#endif
}

// Releases what allocate_zeroed(bytes) returned (null: nothing).
void free_zeroed(void* memory, std::size_t bytes) noexcept {
#if defined(__linux__) && !defined(__EMSCRIPTEN__)
  if (bytes >= kHugePage) {
    if (memory != nullptr) munmap(memory, bytes);
    return;
  }
#else
  (void)bytes;
#endif
  std::free(memory);
}

// The texts, in the order they follow the fixed fields (the id first: lookups read it).
constexpr std::string KeyRecord::*kTexts[] = {
    &KeyRecord::id,      &KeyRecord::name,          &KeyRecord::service,  &KeyRecord::parent_id,
    &KeyRecord::owner,   &KeyRecord::purpose,       &KeyRecord::revoke_reason,
    &KeyRecord::replaces, &KeyRecord::replaced_by, &KeyRecord::stored_hash};

std::size_t varint_size(std::size_t n) noexcept {
  std::size_t bytes = 1;
  for (; n >= 0x80; n >>= 7) ++bytes;
  return bytes;
}

char* put_varint(char* out, std::size_t n) noexcept {
  for (; n >= 0x80; n >>= 7) *out++ = static_cast<char>((n & 0x7F) | 0x80);
  *out++ = static_cast<char>(n);
  return out;
}

// The next text at `p`, which then points past it.
std::string_view next_text(const char*& p) noexcept {
  std::size_t n = 0;
  for (int shift = 0;; shift += 7) {
    const auto byte = static_cast<unsigned char>(*p++);
    n |= static_cast<std::size_t>(byte & 0x7F) << shift;
    if ((byte & 0x80) == 0) break;
  }
  std::string_view text(p, n);
  p += n;
  return text;
}

// How many fields an aggregate has: the most initializers it takes in braces. A new field of
// KeyRecord must be kept here too, or a record would lose it in this store without a sound.
struct AnyField {
  template <class T>
  operator T() const;  // NOLINT(google-explicit-constructor): only named in unevaluated contexts
};
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"
template <class T, std::size_t... I>
constexpr auto initializable(std::index_sequence<I...>, int) -> decltype(T{(void(I), AnyField{})...}, true) {
  return true;
}
#pragma GCC diagnostic pop
template <class T, std::size_t... I>
constexpr bool initializable(std::index_sequence<I...>, long) {
  return false;
}
template <class T, std::size_t N = 0>
constexpr std::size_t field_count() {
  if constexpr (initializable<T>(std::make_index_sequence<N + 1>(), 0)) {
    return field_count<T, N + 1>();
  } else {
    return N;
  }
}
static_assert(field_count<KeyRecord>() == 21,
              "KeyRecord's fields changed: keep every one in CompactRecord (its fixed fields, kTexts, read)");

}  // namespace

RecordMemory::~RecordMemory() {
  for (const auto& [chunk, bytes] : chunks_) free_zeroed(chunk, bytes);
}

void* RecordMemory::allocate(std::size_t bytes) {
  if (bytes > kLargest) return ::operator new(bytes);
  const std::size_t size = (bytes + kGrain - 1) / kGrain * kGrain;
  void*& head = free_[size / kGrain - 1];
  if (head != nullptr) {
    void* block = head;
    std::memcpy(&head, block, sizeof head);
    return block;
  }
  if (static_cast<std::size_t>(end_ - next_) < size) {
    // What is left of the last chunk stays unused (less than the largest block).
    chunks_.reserve(chunks_.size() + 1);
    void* chunk = allocate_zeroed(chunk_bytes_);
    chunks_.emplace_back(chunk, chunk_bytes_);
    next_ = static_cast<char*>(chunk);
    end_ = next_ + chunk_bytes_;
    chunk_bytes_ = std::min(2 * chunk_bytes_, kHugePage);
  }
  void* block = next_;
  next_ += size;
  return block;
}

void RecordMemory::release(void* block, std::size_t bytes) noexcept {
  if (bytes > kLargest) {
    ::operator delete(block);
    return;
  }
  void*& head = free_[(bytes + kGrain - 1) / kGrain - 1];
  std::memcpy(block, &head, sizeof head);
  head = block;
}

CompactRecord::CompactRecord(const KeyRecord& r, const scopes::ScopeSet& scopes, std::uint32_t bytes)
    : rate(r.rate),
      last_used_at(r.last_used_at),
      scopes_(scopes),
      created_at_(r.created_at),
      expires_at_(r.expires_at),
      revoked_at_(r.revoked_at),
      grace_until_(r.grace_until),
      version_(r.version),
      type_(r.type),
      status_(r.status),
      expiry_logged_(r.expiry_logged),
      bytes_(bytes) {}

CompactRecord* CompactRecord::Make(const KeyRecord& r, const scopes::ScopeSet& scopes, RecordMemory& memory) {
  std::size_t bytes = sizeof(CompactRecord);
  for (auto text : kTexts) bytes += varint_size((r.*text).size()) + (r.*text).size();
  if (bytes > std::numeric_limits<std::uint32_t>::max()) out_of_memory();  // texts are far shorter
  void* block = memory.allocate(bytes);
  auto* record = new (block) CompactRecord(r, scopes, static_cast<std::uint32_t>(bytes));  // cannot throw
  char* out = reinterpret_cast<char*>(record + 1);
  for (auto text : kTexts) {
    const std::string& t = r.*text;
    out = put_varint(out, t.size());
    out = std::copy(t.begin(), t.end(), out);
  }
  return record;
}

void CompactRecord::Destroy(CompactRecord* record, RecordMemory& memory) noexcept {
  const std::size_t bytes = record->bytes_;
  record->~CompactRecord();
  memory.release(record, bytes);
}

std::string_view CompactRecord::id() const noexcept {
  const char* p = texts();
  return next_text(p);
}

void CompactRecord::read(KeyRecord& out) const {
  const char* p = texts();
  for (auto text : kTexts) {
    const std::string_view t = next_text(p);
    (out.*text).assign(t.data(), t.size());
  }
  out.type = type_;
  out.scopes = scopes_;
  out.created_at = created_at_;
  out.expires_at = expires_at_;
  out.status = status_;
  out.revoked_at = revoked_at_;
  out.version = version_;
  out.grace_until = grace_until_;
  out.rate = rate;
  out.last_used_at = last_used_at;
  out.expiry_logged = expiry_logged_;
}

RecordIndex::~RecordIndex() {
  for (std::size_t i = 0; i < capacity_; ++i) {
    if (slots_[i].record != nullptr) CompactRecord::Destroy(slots_[i].record, memory_);
  }
  free_zeroed(slots_, capacity_ * sizeof(Slot));
}

CompactRecord* RecordIndex::find(std::string_view id) const noexcept {
  if (capacity_ == 0) return nullptr;
  const std::size_t hash = hash_of(id), mask = capacity_ - 1;
  for (std::size_t i = hash & mask;; i = (i + 1) & mask) {
    const Slot& s = slots_[i];
    if (s.record == nullptr) return nullptr;
    if (s.hash == hash && s.record->id() == id) return s.record;
  }
}

void RecordIndex::put(const KeyRecord& r, const scopes::ScopeSet& scopes) {
  if (4 * (count_ + 1) > 3 * capacity_) grow();
  CompactRecord* record = CompactRecord::Make(r, scopes, memory_);
  const std::string_view id = record->id();
  const std::size_t hash = hash_of(id), mask = capacity_ - 1;
  for (std::size_t i = hash & mask;; i = (i + 1) & mask) {
    Slot& s = slots_[i];
    if (s.record == nullptr) {
      s = Slot{hash, record};
      ++count_;
      return;
    }
    if (s.hash == hash && s.record->id() == id) {
      record->usage = s.record->usage;
      CompactRecord::Destroy(std::exchange(s.record, record), memory_);
      return;
    }
  }
}

void RecordIndex::grow() {
  const std::size_t capacity = capacity_ == 0 ? 16 : 2 * capacity_;
  auto* slots = static_cast<Slot*>(allocate_zeroed(capacity * sizeof(Slot)));
  const std::size_t mask = capacity - 1;
  for (std::size_t j = 0; j < capacity_; ++j) {
    const Slot& s = slots_[j];
    if (s.record == nullptr) continue;
    std::size_t i = s.hash & mask;
    while (slots[i].record != nullptr) i = (i + 1) & mask;
    slots[i] = s;
  }
  free_zeroed(slots_, capacity_ * sizeof(Slot));
  slots_ = slots;
  capacity_ = capacity;
}

std::string ScopeSets::key_of(const scopes::ScopeSet& set) {
  std::string key;
  for (const scopes::Scope& s : set.entries()) key.append(s.text()).push_back('\n');
  return key;
}

const scopes::ScopeSet& ScopeSets::intern(const scopes::ScopeSet& set) {
  return sets_.try_emplace(key_of(set), set).first->second;
}

void ScopeSets::prune(const RecordIndex& index) {
  if (sets_.size() < prune_at_) return;
  std::unordered_map<std::string, scopes::ScopeSet> kept;
  index.each([&](const CompactRecord& r) { kept.try_emplace(key_of(r.scopes()), r.scopes()); });
  sets_.swap(kept);
  prune_at_ = std::max<std::size_t>(1024, 2 * sets_.size());
}

}  // namespace finfusion::registry::internal
