// Scopes: one scope per line of input, parsed alone and as a list.
// Properties: an accepted scope is its own canonical text (nothing normalised) and re-parses
// equal; an accepted list's canonical form re-parses to itself; allows/is_subset agree with
// their definitions on the parsed entries; rejections carry invalid_scope.
#include <vector>

#include "finfusion/scope.h"
#include "fuzz_common.h"

using namespace finfusion;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view text = fuzz::as_text(data, size);
  std::vector<std::string> lines;
  std::size_t start = 0;
  while (start <= text.size() && lines.size() < 2 * scopes::kMaxScopes) {
    std::size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    lines.emplace_back(text.substr(start, end - start));
    start = end + 1;
  }
  for (const std::string& line : lines) {
    auto scope = scopes::Scope::Create(line);
    if (scope.ok()) {
      fuzz::require(scope->text() == line, "an accepted scope is already canonical");
      auto again = scopes::Scope::Create(scope->text());
      fuzz::require(again.ok() && *again == *scope, "a scope re-parses equal");
      fuzz::require(scope->within(*scope) && scope->overlaps(*scope), "a scope covers and meets itself");
    } else {
      fuzz::require(scope.code() == Code::kInvalidScope, "scope rejections are invalid_scope");
    }
  }
  auto set = scopes::ScopeSet::Create(lines);
  if (!set.ok()) {
    fuzz::require(set.code() == Code::kInvalidScope, "list rejections are invalid_scope");
    return 0;
  }
  auto canonical = set->to_strings();
  auto again = scopes::ScopeSet::Create(canonical);
  fuzz::require(again.ok() && again->to_strings() == canonical, "a canonical list re-parses to itself");
  fuzz::require(scopes::is_subset(*set, *set), "a list is a subset of itself");
  for (const auto& entry : set->entries()) {
    if (entry.deny()) continue;
    bool allowed = scopes::allows(*set, entry);
    bool denied = false;
    for (const auto& d : set->entries()) denied = denied || (d.deny() && d.overlaps(entry));
    fuzz::require(allowed == !denied, "a grant is allowed exactly when no deny overlaps it");
  }
  return 0;
}
