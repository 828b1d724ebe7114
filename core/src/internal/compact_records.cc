#include "internal/compact_records.h"

#include <algorithm>
#include <cstddef>
#include <new>
#include <utility>

namespace finfusion::registry::internal {
namespace {

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

CompactRecord::CompactRecord(const KeyRecord& r, const scopes::ScopeSet& scopes)
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
      expiry_logged_(r.expiry_logged) {}

CompactRecord::Owned CompactRecord::Make(const KeyRecord& r, const scopes::ScopeSet& scopes) {
  std::size_t bytes = sizeof(CompactRecord);
  for (auto text : kTexts) bytes += varint_size((r.*text).size()) + (r.*text).size();
  void* memory = ::operator new(bytes);
  Owned record(new (memory) CompactRecord(r, scopes));  // its constructor cannot throw
  char* out = reinterpret_cast<char*>(record.get() + 1);
  for (auto text : kTexts) {
    const std::string& t = r.*text;
    out = put_varint(out, t.size());
    out = std::copy(t.begin(), t.end(), out);
  }
  return record;
}

void CompactRecord::Destroy::operator()(CompactRecord* record) const noexcept {
  record->~CompactRecord();
  ::operator delete(static_cast<void*>(record));
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
  for (Slot& s : slots_) {
    if (s.record != nullptr) CompactRecord::Destroy()(s.record);
  }
}

CompactRecord* RecordIndex::find(std::string_view id) const noexcept {
  if (slots_.empty()) return nullptr;
  const std::size_t hash = hash_of(id), mask = slots_.size() - 1;
  for (std::size_t i = hash & mask;; i = (i + 1) & mask) {
    const Slot& s = slots_[i];
    if (s.record == nullptr) return nullptr;
    if (s.hash == hash && s.record->id() == id) return s.record;
  }
}

void RecordIndex::put(CompactRecord::Owned record) {
  if (4 * (count_ + 1) > 3 * slots_.size()) grow();
  const std::string_view id = record->id();
  const std::size_t hash = hash_of(id), mask = slots_.size() - 1;
  for (std::size_t i = hash & mask;; i = (i + 1) & mask) {
    Slot& s = slots_[i];
    if (s.record == nullptr) {
      s = Slot{hash, record.release()};
      ++count_;
      return;
    }
    if (s.hash == hash && s.record->id() == id) {
      CompactRecord::Owned replaced(std::exchange(s.record, record.release()));
      return;
    }
  }
}

void RecordIndex::grow() {
  std::vector<Slot> old(slots_.empty() ? 16 : 2 * slots_.size());
  old.swap(slots_);
  const std::size_t mask = slots_.size() - 1;
  for (const Slot& s : old) {
    if (s.record == nullptr) continue;
    std::size_t i = s.hash & mask;
    while (slots_[i].record != nullptr) i = (i + 1) & mask;
    slots_[i] = s;
  }
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
