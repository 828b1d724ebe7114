#include "finfusion/scope.h"

#include <algorithm>

#include "internal/text.h"

namespace finfusion::scopes {
namespace {

Status bad_scope(std::string_view text, std::string_view why) {
  return Status(Code::kInvalidScope, "scope " + internal::quote(text, 40) + ": " + std::string(why));
}

bool is_segment_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
}

// True when `a` is a prefix of (or equal to) `b`, segment by segment.
bool is_prefix(const std::vector<std::string>& a, const std::vector<std::string>& b) {
  return a.size() <= b.size() && std::equal(a.begin(), a.end(), b.begin());
}

}  // namespace

Result<Scope> Scope::Create(std::string_view text) {
  if (text.empty()) return bad_scope(text, "empty");
  if (text.size() > kMaxScopeLength) {
    return bad_scope(text, "longer than " + std::to_string(kMaxScopeLength) + " characters");
  }
  Scope s;
  std::string_view rest = text;
  if (rest.front() == '!') {
    s.deny_ = true;
    rest.remove_prefix(1);
    if (rest.empty()) return bad_scope(text, "'!' must be followed by a scope");
  }
  std::size_t start = 0;
  while (true) {
    std::size_t end = rest.find(':', start);
    std::string_view seg = rest.substr(start, end == std::string_view::npos ? end : end - start);
    bool last = end == std::string_view::npos;
    if (seg.empty()) return bad_scope(text, "empty segment");
    if (s.path_.size() + 1 > kMaxSegments) {
      return bad_scope(text, "more than " + std::to_string(kMaxSegments) + " segments");
    }
    if (seg == "*") {
      if (!last) return bad_scope(text, "'*' may only be the last segment");
      s.wildcard_ = true;
    } else {
      if (seg.size() > kMaxSegmentLength) {
        return bad_scope(text, "segment longer than " + std::to_string(kMaxSegmentLength) + " characters");
      }
      for (char c : seg) {
        if (c == '*') return bad_scope(text, "'*' must be a whole segment (no \"**\" or \"pay*\")");
        if (c >= 'A' && c <= 'Z') return bad_scope(text, "uppercase letters are not allowed");
        if (!is_segment_char(c)) {
          return bad_scope(text, "segments use lowercase ASCII letters, digits, '_' and '-'");
        }
      }
      s.path_.emplace_back(seg);
    }
    if (last) break;
    start = end + 1;
  }
  s.text_ = std::string(text);
  return s;
}

bool Scope::within(const Scope& other) const noexcept {
  // Read as sets of concrete scopes: a bare path P is {P and all beneath}, "P:*" is
  // {all strictly beneath P}. this ⊆ other?
  if (!other.wildcard_) return is_prefix(other.path_, path_);
  if (wildcard_) return is_prefix(other.path_, path_);
  return other.path_.size() < path_.size() && is_prefix(other.path_, path_);
}

bool Scope::overlaps(const Scope& other) const noexcept {
  // Every set here is infinite beneath its path, so two of them meet exactly when one
  // path is a prefix of the other.
  return is_prefix(path_, other.path_) || is_prefix(other.path_, path_);
}

const std::vector<Scope> ScopeSet::kNone;

Result<ScopeSet> ScopeSet::Create(const std::vector<std::string>& texts) {
  if (texts.size() > kMaxScopes) {
    return Status(Code::kInvalidScope,
                  "more than " + std::to_string(kMaxScopes) + " scopes in one list");
  }
  std::vector<Scope> entries;
  entries.reserve(texts.size());
  for (std::size_t i = 0; i < texts.size(); ++i) {
    auto scope = Scope::Create(texts[i]);
    if (!scope.ok()) {
      return Status(Code::kInvalidScope,
                    "entry " + std::to_string(i) + ": " + scope.status().message());
    }
    entries.push_back(std::move(scope).value());
  }
  std::sort(entries.begin(), entries.end());
  entries.erase(std::unique(entries.begin(), entries.end()), entries.end());
  ScopeSet set;
  if (!entries.empty()) set.entries_ = std::make_shared<const std::vector<Scope>>(std::move(entries));
  return set;
}

std::vector<std::string> ScopeSet::to_strings() const {
  std::vector<std::string> out;
  out.reserve(size());
  for (const Scope& s : entries()) out.push_back(s.text());
  return out;
}

bool ScopeSet::has_deny() const noexcept {
  return std::any_of(entries().begin(), entries().end(), [](const Scope& s) { return s.deny(); });
}

bool allows(const ScopeSet& granted, const Scope& required) noexcept {
  if (required.deny()) return false;
  bool covered = false;
  for (const Scope& g : granted.entries()) {
    if (g.deny()) {
      if (g.overlaps(required)) return false;
    } else if (required.within(g)) {
      covered = true;
    }
  }
  return covered;
}

Result<bool> allows(const ScopeSet& granted, std::string_view required) {
  auto scope = Scope::Create(required);
  if (!scope.ok()) return scope.status();
  if (scope->deny()) return bad_scope(required, "a required scope cannot be a deny entry");
  return allows(granted, *scope);
}

bool allows_all(const ScopeSet& granted, const ScopeSet& required) noexcept {
  for (const Scope& r : required.entries()) {
    if (!r.deny() && !allows(granted, r)) return false;
  }
  return true;
}

bool is_subset(const ScopeSet& child, const ScopeSet& parent) noexcept {
  for (const Scope& g : child.entries()) {
    if (g.deny()) continue;  // the child's own denies only narrow it
    bool covered = false;
    for (const Scope& p : parent.entries()) {
      if (!p.deny() && g.within(p)) covered = true;
    }
    if (!covered) return false;
    for (const Scope& d : parent.entries()) {
      if (!d.deny() || !d.overlaps(g)) continue;
      bool repeated = false;
      for (const Scope& cd : child.entries()) {
        if (cd.deny() && d.within(cd)) repeated = true;
      }
      if (!repeated) return false;
    }
  }
  return true;
}

}  // namespace finfusion::scopes
