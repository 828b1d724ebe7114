#include "finfusion/audit.h"

#include <sodium.h>

#include <array>

#include "finfusion/secret.h"
#include "internal/json.h"
#include "internal/sodium_init.h"

namespace finfusion::audit {
namespace {

constexpr std::array<std::string_view, 8> kTypes = {kKeyCreated,  kKeyRotated,           kKeyRevoked,
                                                    kKeyExpired,  kKeyAccessed,          kKeyVerificationFailed,
                                                    kKeyRateLimited, kKeyAnomaly};

internal::OrderedJson body(const Event& e) {
  internal::OrderedJson j = internal::OrderedJson::object();
  j["seq"] = e.seq;
  j["at"] = *time::format_timestamp(e.at);
  j["type"] = e.type;
  j["keyId"] = e.key_id;
  j["actor"] = e.actor;
  j["outcome"] = e.outcome;
  auto details = internal::OrderedJson::parse(e.details.empty() ? "{}" : e.details, nullptr, false);
  j["details"] = details.is_discarded() ? internal::OrderedJson::object() : details;
  j["prevHash"] = e.prev_hash;
  return j;
}

std::string chain_hash(const Event& e) {
  internal::sodium_ready();
  std::string text = e.prev_hash + "\n" + body(e).dump();
  std::array<unsigned char, 32> digest{};
  crypto_generichash(digest.data(), digest.size(), reinterpret_cast<const unsigned char*>(text.data()), text.size(),
                     nullptr, 0);
  std::array<char, 65> hex{};
  sodium_bin2hex(hex.data(), hex.size(), digest.data(), digest.size());
  return std::string(hex.data(), 64);
}

}  // namespace

bool is_event_type(std::string_view type) noexcept {
  for (auto t : kTypes) {
    if (t == type) return true;
  }
  return false;
}

std::string Event::to_json() const {
  internal::OrderedJson j = body(*this);
  j["hash"] = hash;
  return j.dump();
}

void seal(Event& e, const Event* previous) {
  e.seq = previous ? previous->seq + 1 : 1;
  e.prev_hash = previous ? previous->hash : "";
  e.hash = chain_hash(e);
}

ChainReport verify_chain(const std::vector<Event>& events) {
  ChainReport report;
  report.from_seq = events.empty() ? 0 : events.front().seq;
  const Event* previous = nullptr;
  for (const Event& e : events) {
    ++report.checked;
    bool linked = previous ? (e.seq == previous->seq + 1 && e.prev_hash == previous->hash)
                           : (e.seq >= 1 && (e.seq != 1 || e.prev_hash.empty()));
    bool follows = linked && constant_time_equals(e.hash, chain_hash(e));
    if (!follows) {
      report.ok = false;
      report.first_bad = e.seq;
      return report;
    }
    previous = &e;
  }
  report.head = previous ? previous->hash : "";
  return report;
}

}  // namespace finfusion::audit
