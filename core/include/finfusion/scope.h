// finfusion/scope.h - permissions: parse, allows, is_subset.
//
// A scope is `resource[:action[:...]]`: 1 to 8 segments of lowercase ASCII letters,
// digits, '_' and '-', each 1 to 32 characters, at most 128 characters in all.
// - a bare path grants itself and everything beneath it ("payments" grants
//   "payments:refund:create");
// - "*" may stand only as a whole final segment: "payments:*" grants everything strictly
//   beneath payments (not "payments" itself); "*" alone grants everything;
// - "!" in front makes a deny entry ("!payments:refund"); a deny wins over every grant,
//   and blocks any request that overlaps what it denies.
// Nothing is normalised silently: uppercase, Unicode, spaces, empty segments, "**", a
// '*' inside a segment and over-long lists are invalid_scope.
//
//   auto granted = finfusion::scopes::parse({"payments", "!payments:refund", "kyc:read"});
//   bool ok = finfusion::scopes::allows(*granted, "payments:charge").value();   // true
#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "finfusion/status.h"

namespace finfusion::scopes {

inline constexpr std::size_t kMaxScopeLength = 128;
inline constexpr std::size_t kMaxSegments = 8;
inline constexpr std::size_t kMaxSegmentLength = 32;
// Most entries in one list, counted before any parsing.
inline constexpr std::size_t kMaxScopes = 256;

class Scope {
 public:
  // Errors: invalid_scope (see the header comment).
  static Result<Scope> Create(std::string_view text);

  bool deny() const noexcept { return deny_; }
  // True for "x:*" and "*".
  bool wildcard() const noexcept { return wildcard_; }
  // The path without the deny mark and the trailing "*".
  const std::vector<std::string>& path() const noexcept { return path_; }
  // The canonical text, deny mark included: "!payments:refund".
  const std::string& text() const noexcept { return text_; }

  // True when every request this entry matches is also matched by `other` (read both as
  // grants; the deny marks are ignored).
  bool within(const Scope& other) const noexcept;
  // True when some request is matched by both entries (deny marks ignored).
  bool overlaps(const Scope& other) const noexcept;

  friend bool operator==(const Scope& a, const Scope& b) { return a.text_ == b.text_; }
  friend bool operator<(const Scope& a, const Scope& b) { return a.text_ < b.text_; }

 private:
  Scope() = default;
  std::vector<std::string> path_;
  bool deny_ = false;
  bool wildcard_ = false;
  std::string text_;
};

// A canonical list: sorted by text, exact duplicates removed. May be empty (grants nothing).
// Immutable once made, and its copies share the parsed entries: copying a set (a record, a
// key's state) costs a reference count, and a store may keep one set for every key that
// has the same permissions.
class ScopeSet {
 public:
  ScopeSet() = default;
  // Errors: invalid_scope naming the first bad entry's position, or the list being longer
  // than kMaxScopes (checked before any entry is parsed).
  static Result<ScopeSet> Create(const std::vector<std::string>& texts);

  const std::vector<Scope>& entries() const noexcept { return entries_ ? *entries_ : kNone; }
  std::vector<std::string> to_strings() const;
  std::size_t size() const noexcept { return entries().size(); }
  bool empty() const noexcept { return entries().empty(); }
  bool has_deny() const noexcept;
  // True when both share one list of entries (as copies of one set do).
  bool shares(const ScopeSet& other) const noexcept { return entries_ == other.entries_; }

 private:
  static const std::vector<Scope> kNone;
  std::shared_ptr<const std::vector<Scope>> entries_;  // null for the empty set
};

inline Result<ScopeSet> parse(const std::vector<std::string>& texts) {
  return ScopeSet::Create(texts);
}

// True when `granted` grants every request `required` matches: some grant covers it and
// no deny overlaps it. A deny entry as `required` is never allowed.
bool allows(const ScopeSet& granted, const Scope& required) noexcept;
// As above, parsing `required` first. Errors: invalid_scope, also for a deny entry.
Result<bool> allows(const ScopeSet& granted, std::string_view required);
// True when `granted` allows every grant in `required` (an empty `required` is allowed).
bool allows_all(const ScopeSet& granted, const ScopeSet& required) noexcept;

// True when `child` can never allow a request that `parent` refuses: each of the child's
// grants is covered by one of the parent's grants, and each parent deny that overlaps it
// is repeated (or widened) in the child. A restricted key's scopes must be a subset of
// its parent's.
bool is_subset(const ScopeSet& child, const ScopeSet& parent) noexcept;

}  // namespace finfusion::scopes
