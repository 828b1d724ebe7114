// The seed's rotate call: apiKeys.rotate({currentKey, gracePeriod, notifyEmails}).
// Input lines: the key id to rotate ("*" for the registry's one key), the grace period text,
// then the addresses to notify. Properties: a grace that does not parse is invalid_duration;
// a refusal carries a listed code and changes nothing; a rotation replaces exactly the key
// given, the old key keeps working until its grace ends (capped at its expiry) and not after,
// the rotated event names every address, a second rotation of the same key is a conflict,
// and the audit chain verifies.
#include <algorithm>
#include <string>
#include <vector>

#include "finfusion/registry.h"
#include "fuzz_common.h"

using namespace finfusion;

namespace {
const hashing::Hasher& hasher() {
  static const hashing::Hasher h = *hashing::Hasher::Create({{"p1", SecretBytes::FromView(std::string(32, '\x01'))}}, "p1");
  return h;
}
constexpr time::Millis kNow = 1748779200000;  // 2025-06-01T12:00:00Z
constexpr std::size_t kMaxLines = 24;
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view text = fuzz::as_text(data, size);
  std::vector<std::string_view> lines;
  for (std::size_t at = 0; at <= text.size() && lines.size() < kMaxLines;) {
    const std::size_t nl = text.find('\n', at);
    lines.push_back(text.substr(at, nl == std::string_view::npos ? std::string_view::npos : nl - at));
    if (nl == std::string_view::npos) break;
    at = nl + 1;
  }
  registry::Registry reg(hasher(), keys::TypeTable::Defaults(), nullptr, keys::deterministic_random("rotate"));
  auto created = reg.create(R"({"name": "k", "type": "production", "permissions": ["payments"]})", kNow, "fuzz");
  fuzz::require(created.ok(), "the fixture key is created");
  const std::string own_id = created->record.id;
  const std::string old_key(created->key.reveal());
  const std::string id = lines.empty() || lines[0] == "*" ? own_id : std::string(lines[0]);
  auto grace = time::parse_duration(lines.size() > 1 ? lines[1] : std::string_view("48h"));
  if (!grace.ok()) {
    fuzz::require(grace.code() == Code::kInvalidDuration, "a grace that does not parse is invalid_duration");
    return 0;
  }
  std::vector<std::string> emails;
  for (std::size_t i = 2; i < lines.size(); ++i) emails.emplace_back(lines[i]);

  const time::Millis now = kNow + 1000;
  auto rotated = reg.rotate(id, *grace, emails, false, now, "fuzz");
  if (!rotated.ok()) {
    fuzz::require_listed(rotated.status(), "a refused rotation carries a listed code");
    fuzz::require(reg.list()->size() == 1 && reg.get(own_id)->replaced_by.empty(), "a refused rotation changes nothing");
    return 0;
  }
  fuzz::require(id == own_id, "only the existing key rotates");
  fuzz::require(rotated->previous.replaced_by == rotated->current.id, "the successor replaces the key");
  const time::Millis grace_until = std::min(now + *grace, rotated->previous.expires_at);
  fuzz::require(rotated->previous.grace_until == grace_until, "the grace ends at now + grace, capped at expiry");
  registry::VerifyContext ctx;
  if (grace_until > now) {
    fuzz::require(reg.verify(old_key, ctx, grace_until - 1)->valid, "the old key works until its grace ends");
  }
  fuzz::require(!reg.verify(old_key, ctx, std::max(grace_until, now))->valid, "and not after");
  fuzz::require(reg.verify(std::string(rotated->key.reveal()), ctx, now)->valid, "the new key works at once");
  const std::vector<audit::Event> log = *reg.logs({own_id, {"key.rotated"}, 10});
  fuzz::require(log.size() == 1, "one rotated event");
  for (const std::string& email : emails) {
    fuzz::require(log[0].details.find(email) != std::string::npos, "the event names every address");
  }
  fuzz::require(reg.rotate(own_id, *grace, emails, false, now, "fuzz").code() == Code::kConflict,
                "a second rotation of the same key is a conflict");
  fuzz::require(reg.verify_chain()->ok, "the audit chain verifies");
  return 0;
}
