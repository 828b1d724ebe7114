// The registry's outbox: notifications queued with what causes them, claimed by a mailer
// with a lease, and settled (sent, or tried again with backoff).
#include <algorithm>
#include <cstdint>
#include <iterator>
#include <string>
#include <tuple>
#include <utility>

#include "finfusion/registry.h"
#include "internal/json.h"
#include "internal/registry_support.h"
#include "internal/text.h"

namespace finfusion::registry {
namespace {

using internal::OrderedJson;
using namespace support;  // the helpers the Registry's files share

constexpr time::Millis kFirstRetry = 30 * time::kSecond;
constexpr time::Millis kLongestRetry = time::kHour;
constexpr std::size_t kMaxError = 300;
constexpr std::size_t kMaxRecipients = 20;

// "API key "Payments" (prod_..., production)": how a message names a key.
std::string key_phrase(const KeyRecord& r) {
  return "API key \"" + r.name + "\" (" + r.id + ", " + std::string(keys::type_name(r.type)) + ")";
}

Notification about(std::string_view kind, std::string id, const KeyRecord& r, std::vector<std::string> recipients,
                   std::string subject, std::string body, time::Millis now) {
  Notification n;
  n.id = std::move(id);
  n.kind = std::string(kind);
  n.key_id = r.id;
  n.recipients = std::move(recipients);
  n.subject = "FinFusion Keys: " + subject;
  n.body = std::move(body);
  n.created_at = now;
  n.due_at = now;
  return n;
}

std::string id_of(std::string_view kind, std::string_view key_id, time::Millis at) {
  return std::string(kind) + ":" + std::string(key_id) + ":" + std::to_string(at);
}

}  // namespace

namespace support {

Notification rotation_notice(const KeyRecord& old, const KeyRecord& next, const std::vector<std::string>& to,
                             std::string_view actor, time::Millis now) {
  std::string body = "The " + key_phrase(old) + " was rotated at " + instant_text(now) + " by " + std::string(actor) +
                     ".\n\nIts successor is " + next.id + " (version " + std::to_string(next.version) +
                     "); its secret was shown once, to whoever rotated it.\n";
  body += old.grace_until > now ? "The old key keeps working until " + instant_text(old.grace_until) +
                                      ": move every service to the new key before then.\n"
                                : "The old key stopped working at once (no grace period).\n";
  return about(kNotifyRotated, id_of(kNotifyRotated, next.id, now), old, to,
               "API key \"" + old.name + "\" was rotated", std::move(body), now);
}

OrderedJson notification_export(const Notification& n) {
  return {{"id", n.id},           {"kind", n.kind},         {"keyId", n.key_id},         {"recipients", n.recipients},
          {"subject", n.subject}, {"body", n.body},         {"createdAt", n.created_at}, {"dueAt", n.due_at},
          {"status", n.status},   {"attempts", n.attempts}, {"claimedBy", n.claimed_by}, {"leaseUntil", n.lease_until},
          {"lastError", n.last_error}, {"sentAt", n.sent_at}};
}

Result<Notification> notification_import(const internal::Json& j) {
  constexpr std::int64_t kMin = INT64_MIN, kMax = INT64_MAX;
  internal::ObjectReader in(j, "notifications[]");
  Notification n;
  for (auto [name, field, max] : {std::tuple{"id", &n.id, std::size_t{256}}, {"kind", &n.kind, std::size_t{32}},
                                  {"keyId", &n.key_id, std::size_t{64}}, {"subject", &n.subject, std::size_t{1024}},
                                  {"body", &n.body, std::size_t{16384}}, {"status", &n.status, std::size_t{16}},
                                  {"claimedBy", &n.claimed_by, support::kMaxActor},
                                  {"lastError", &n.last_error, kMaxError}}) {
    if (auto v = in.string(name, max)) *field = *v;
  }
  for (auto [name, field] : {std::pair{"createdAt", &n.created_at}, {"dueAt", &n.due_at},
                             {"leaseUntil", &n.lease_until}, {"sentAt", &n.sent_at}}) {
    if (auto v = in.integer(name, kMin, kMax)) *field = *v;
  }
  if (auto v = in.integer("attempts", 0, kMaxDeliveryAttempts)) n.attempts = *v;
  const internal::Json* to = in.find("recipients");
  if (to == nullptr || !to->is_array() || to->size() > kMaxRecipients) {
    in.fail("recipients", "must be a list of at most 20 email addresses");
  } else {
    for (const auto& address : *to) {
      if (!address.is_string() || !is_email(address.get<std::string>())) {
        in.fail("recipients", "must be a list of at most 20 email addresses");
        break;
      }
      n.recipients.push_back(address.get<std::string>());
    }
  }
  if (!in.ok()) return in.status();
  const bool known = std::find(std::begin(kNotificationKinds), std::end(kNotificationKinds), n.kind) !=
                     std::end(kNotificationKinds);
  if (!known || n.id.empty() || (n.status != "pending" && n.status != "sent" && n.status != "failed")) {
    return Status(Code::kInvalidRequest, "notifications[]: an unknown kind or status");
  }
  return n;
}

}  // namespace support

std::string Notification::to_json() const {
  OrderedJson j = {{"id", id},
                   {"kind", kind},
                   {"keyId", key_id},
                   {"recipients", recipients},
                   {"subject", subject},
                   {"body", body},
                   {"createdAt", instant_text(created_at)},
                   {"dueAt", instant_text(due_at)},
                   {"status", status},
                   {"attempts", attempts},
                   {"claimedBy", claimed_by},
                   {"leaseUntil", instant_or_null(lease_until, lease_until != 0)},
                   {"lastError", last_error},
                   {"sentAt", instant_or_null(sent_at, sent_at != 0)}};
  return j.dump();
}

time::Millis delivery_backoff(std::int64_t attempts) noexcept {
  time::Millis wait = kFirstRetry;
  for (std::int64_t i = 1; i < attempts && wait < kLongestRetry; ++i) wait *= 2;
  return std::min(wait, kLongestRetry);
}

Status Registry::set_alert_recipients(std::vector<std::string> recipients) {
  if (recipients.size() > kMaxRecipients) return Status(Code::kInvalidRequest, "recipients: at most 20 addresses");
  for (std::size_t i = 0; i < recipients.size(); ++i) {
    if (!is_email(recipients[i])) {
      return Status(Code::kInvalidRequest, "recipients[" + std::to_string(i) + "]: not an email address");
    }
  }
  alert_recipients_ = std::move(recipients);
  return Status::Ok();
}

std::vector<std::string> Registry::alert_recipients(const KeyRecord& r) const {
  std::vector<std::string> to;
  if (is_email(r.owner)) to.push_back(r.owner);
  for (const auto& address : alert_recipients_) {
    if (std::find(to.begin(), to.end(), address) == to.end()) to.push_back(address);
  }
  return to;
}

Status Registry::queue_alert(std::string_view kind, std::string_view key_id, std::string id, std::string what,
                             time::Millis now, Plan& plan) {
  auto found = store_->get(key_id);
  if (!found.ok()) return found.status();
  if (!found->has_value()) return Status::Ok();
  const KeyRecord& r = **found;
  std::vector<std::string> to = alert_recipients(r);
  if (to.empty()) return Status::Ok();
  const bool anomaly = kind == kNotifyAnomaly;
  std::string subject = anomaly ? "unusual use of API key \"" + r.name + "\""
                                : "API key \"" + r.name + "\" is at or near its rate limit";
  std::string body = "At " + instant_text(now) + ", the " + key_phrase(r) + " showed " + what +
                     ".\n\nIts usage and audit log are in the admin console, and on the command line:\n"
                     "  finfusion-keys usage " + r.id + "\n  finfusion-keys logs " + r.id + "\n";
  plan.queued.push_back(about(kind, std::move(id), r, std::move(to), std::move(subject), std::move(body), now));
  return Status::Ok();
}

Result<std::size_t> Registry::queue_warnings(time::Millis now) {
  // Scanned outside any transaction (SQLite's write lock is not held while every key is
  // read); the plan's inserts keep a notification another instance queued meanwhile.
  auto all = store_->list();
  if (!all.ok()) return all.status();
  Plan plan;
  for (const KeyRecord& r : *all) {
    const keys::TypePolicy& policy = table_.get(r.type);
    const std::string_view rotation = rotation_state(r, policy, now);
    if (rotation == "inactive") continue;  // revoked, expired or already replaced
    std::vector<std::string> to = alert_recipients(r);
    if (to.empty()) continue;
    std::vector<Notification> due;
    if (r.expires_at - now <= policy.rotation_warning) {
      due.push_back(about(kNotifyExpiring, id_of(kNotifyExpiring, r.id, r.expires_at), r, to,
                          "API key \"" + r.name + "\" expires at " + instant_text(r.expires_at),
                          "The " + key_phrase(r) + " stops working at " + instant_text(r.expires_at) +
                              ".\n\nRotate it before then (finfusion-keys rotate " + r.id +
                              "), or create its replacement and move every service to it.\n",
                          now));
    }
    if (rotation == "due_soon" || rotation == "due" || rotation == "overdue") {
      const time::Millis due_at = r.created_at + policy.rotation_period;
      auto period = time::format_duration(policy.rotation_period);
      due.push_back(about(kNotifyRotationDue, id_of(kNotifyRotationDue, r.id, due_at), r, to,
                          "API key \"" + r.name + "\" is due for rotation",
                          "The " + key_phrase(r) + " was created at " + instant_text(r.created_at) +
                              "; its type is rotated every " + (period.ok() ? *period : std::string("?")) +
                              ", so its rotation is due at " + instant_text(due_at) + " (now: " +
                              std::string(rotation) + ").\n\nRotate it with a grace period (finfusion-keys rotate " +
                              r.id + " --grace 48h); the admin service does so by itself when it runs automated "
                              "rotation.\n",
                          now));
    }
    for (Notification& n : due) {
      auto existing = store_->notifications({n.id, "", 0, 1});
      if (!existing.ok()) return existing.status();
      if (existing->empty()) plan.queued.push_back(std::move(n));
    }
  }
  const std::size_t queued = plan.queued.size();
  if (queued > 0) {
    if (Status s = store_->apply(plan); !s.ok()) return s;
  }
  return queued;
}

Result<std::vector<Notification>> Registry::claim_notifications(std::string_view worker, std::size_t limit,
                                                                 time::Millis lease, time::Millis now) {
  if (worker.empty()) return Status(Code::kInvalidRequest, "worker: must not be empty");
  if (Status s = check_text("worker", worker, support::kMaxActor); !s.ok()) return s;
  if (limit < 1 || limit > 100) return Status(Code::kInvalidRequest, "limit: between 1 and 100");
  if (lease < time::kSecond || lease > time::kDay) return Status(Code::kInvalidDuration, "lease: between 1s and 1d");
  return atomically<std::vector<Notification>>(*store_, [&]() -> Result<std::vector<Notification>> {
    auto due = store_->notifications({"", "pending", now, limit});
    if (!due.ok()) return due.status();
    if (due->empty()) return std::move(*due);
    Plan plan;
    for (Notification& n : *due) {
      n.claimed_by = std::string(worker);
      n.lease_until = now + lease;
    }
    plan.notifications = *due;
    if (Status s = store_->apply(plan); !s.ok()) return s;
    return std::move(*due);
  });
}

Result<Notification> Registry::settle_notification(std::string_view id, std::string_view worker, bool delivered,
                                                   std::string_view error, time::Millis now) {
  if (id.empty() || worker.empty()) return Status(Code::kInvalidRequest, "id and worker: must not be empty");
  return atomically<Notification>(*store_, [&]() -> Result<Notification> {
    auto found = store_->notifications({std::string(id), "", 0, 1});
    if (!found.ok()) return found.status();
    if (found->empty()) return Status(Code::kNotFound, "no such notification");
    Notification n = std::move(found->front());
    if (n.status != "pending" || n.claimed_by != worker) {
      return Status(Code::kConflict, "the notification is not claimed by this worker (settled already, or its lease "
                                     "ended and another worker took it)");
    }
    ++n.attempts;
    n.claimed_by.clear();
    n.lease_until = 0;
    if (delivered) {
      n.status = "sent";
      n.sent_at = now;
      n.last_error.clear();
    } else {
      n.last_error = internal::clean_text(error.empty() ? std::string_view("delivery failed") : error, kMaxError);
      if (n.attempts >= kMaxDeliveryAttempts) {
        n.status = "failed";
      } else {
        n.due_at = now + delivery_backoff(n.attempts);
      }
    }
    Plan plan;
    plan.notifications.push_back(n);
    if (Status s = store_->apply(plan); !s.ok()) return s;
    return n;
  });
}

Result<std::vector<Notification>> Registry::notifications(const NotificationQuery& query) {
  if (!query.status.empty() && query.status != "pending" && query.status != "sent" && query.status != "failed") {
    return Status(Code::kInvalidRequest, "status: pending, sent or failed");
  }
  if (query.limit < 1 || query.limit > 1000) return Status(Code::kInvalidRequest, "limit: between 1 and 1000");
  return store_->notifications(query);
}

}  // namespace finfusion::registry
