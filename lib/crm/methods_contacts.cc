// crm.contact.show, .note.add, .note.list, .tag.add, .tag.remove, .list, .set.
#include <algorithm>

#include "control/crm.pb.h"
#include "crm/contact_resolver.h"
#include "crm/crm_proto.h"
#include "crm/method_handlers.h"
#include "crm/method_support.h"
#include "crm/tags.h"

namespace wacrm::crm::handlers {

namespace {

constexpr std::size_t kMaxNoteBytes = 16 * 1024;
constexpr int kMaxCadenceDays = 3650;

void counts_to_proto(const store::DirectionCounts& c, control::CrmDirectionCounts* out) {
  out->set_all_time(c.all_time);
  out->set_last_30_days(c.last_30_days);
  out->set_last_90_days(c.last_90_days);
}

void times_to_proto(const store::ResponseTimes& t, control::CrmResponseTimes* out) {
  out->set_samples(t.samples);
  out->set_average_seconds(t.average_seconds);
  out->set_median_seconds(t.median_seconds);
}

// Index of the largest count (the earliest on a tie), or -1 when all are 0.
int busiest(const std::vector<std::int64_t>& counts) {
  auto it = std::max_element(counts.begin(), counts.end());
  return it == counts.end() || *it == 0 ? -1 : static_cast<int>(it - counts.begin());
}

void stats_to_proto(const store::ContactStats& s, control::CrmContactStats* out) {
  if (s.first_interaction) to_proto(*s.first_interaction, out->mutable_first_interaction());
  if (s.last_interaction) to_proto(*s.last_interaction, out->mutable_last_interaction());
  counts_to_proto(s.sent, out->mutable_sent());
  counts_to_proto(s.received, out->mutable_received());
  times_to_proto(s.my_replies, out->mutable_my_replies());
  times_to_proto(s.their_replies, out->mutable_their_replies());
  for (auto n : s.by_hour) out->add_by_hour(n);
  for (auto n : s.by_weekday) out->add_by_weekday(n);
  out->set_busiest_hour(busiest(s.by_hour));
  out->set_busiest_weekday(busiest(s.by_weekday) + 1);
  if (s.last_sent) to_proto(*s.last_sent, out->mutable_last_sent());
  if (s.last_received) to_proto(*s.last_received, out->mutable_last_received());
}

struct Target {
  std::int64_t account;
  store::CrmPerson person;
};

// The account and the person a request's (account, contact) pair names.
ApiResult<Target> target(CrmContext& ctx, std::string_view account, std::string_view contact) {
  auto account_id = WACRM_TRY(account_of(ctx, account));
  auto person = WACRM_TRY(ContactResolver(ctx.store, account_id).person(contact));
  return Target{account_id, std::move(person)};
}

}  // namespace

ApiResult<std::string> contact_show(CrmContext& ctx, std::string_view payload) {
  auto req = WACRM_TRY(parse_request<control::CrmContactShowRequest>(payload));
  auto t = WACRM_TRY(target(ctx, req.account(), req.contact()));
  auto tz = time_zone_of(ctx, req.time_zone());
  auto profile = WACRM_TRY(ctx.store.profile(t.account, t.person.id));
  auto stats = WACRM_TRY(ctx.store.stats(t.account, t.person.id, ctx.now, tz));
  control::CrmContactShowResponse res;
  to_proto(profile.person, res.mutable_person());
  for (const auto& row : profile.rows) to_proto(row, res.add_addresses());
  for (const auto& tag : profile.tags) res.add_tags(tag);
  for (const auto& note : profile.notes) to_proto(note, res.add_notes());
  res.set_cadence_days(profile.cadence_days.value_or(ctx.settings.default_cadence_days));
  res.set_cadence_is_default(!profile.cadence_days);
  res.set_attention_excluded(profile.attention_excluded);
  stats_to_proto(stats, res.mutable_stats());
  res.set_time_zone(tz);
  return serialized(res);
}

ApiResult<std::string> note_add(CrmContext& ctx, std::string_view payload) {
  auto req = WACRM_TRY(parse_request<control::CrmNoteAddRequest>(payload));
  auto body = req.body();
  if (body.find_first_not_of(" \t\r\n") == std::string::npos)
    return std::unexpected(ApiError(Error{Errc::invalid_argument, "a note needs some text"}));
  if (body.size() > kMaxNoteBytes)
    return std::unexpected(
        ApiError(Error{Errc::too_large, fmt::format("a note holds at most {} bytes; this one has {}", kMaxNoteBytes, body.size())}));
  auto t = WACRM_TRY(target(ctx, req.account(), req.contact()));
  auto note = WACRM_TRY(ctx.store.add_note(t.account, t.person.id, body));
  control::CrmNoteAddResponse res;
  to_proto(t.person, res.mutable_person());
  to_proto(note, res.mutable_note());
  return serialized(res);
}

ApiResult<std::string> note_list(CrmContext& ctx, std::string_view payload) {
  auto req = WACRM_TRY(parse_request<control::CrmNoteListRequest>(payload));
  auto t = WACRM_TRY(target(ctx, req.account(), req.contact()));
  control::CrmNoteListResponse res;
  to_proto(t.person, res.mutable_person());
  for (const auto& note : WACRM_TRY(ctx.store.notes(t.account, t.person.id))) to_proto(note, res.add_notes());
  return serialized(res);
}

namespace {

ApiResult<std::string> change_tags(CrmContext& ctx, std::string_view payload, bool add) {
  auto req = WACRM_TRY(parse_request<control::CrmTagRequest>(payload));
  auto tags = WACRM_TRY(normalize_tags(std::vector<std::string>(req.tags().begin(), req.tags().end())));
  auto t = WACRM_TRY(target(ctx, req.account(), req.contact()));
  control::CrmTagResponse res;
  if (add) {
    WACRM_TRY(ctx.store.add_tags(t.account, t.person.id, tags));
  } else {
    auto removed = WACRM_TRY(ctx.store.remove_tags(t.account, t.person.id, tags));
    for (const auto& tag : tags)
      if (std::find(removed.begin(), removed.end(), tag) == removed.end()) res.add_unchanged(tag);
  }
  to_proto(t.person, res.mutable_person());
  for (const auto& tag : WACRM_TRY(ctx.store.profile(t.account, t.person.id)).tags) res.add_tags(tag);
  return serialized(res);
}

}  // namespace

ApiResult<std::string> tag_add(CrmContext& ctx, std::string_view payload) { return change_tags(ctx, payload, true); }
ApiResult<std::string> tag_remove(CrmContext& ctx, std::string_view payload) { return change_tags(ctx, payload, false); }

ApiResult<std::string> contact_list(CrmContext& ctx, std::string_view payload) {
  auto req = WACRM_TRY(parse_request<control::CrmContactListRequest>(payload));
  auto account = WACRM_TRY(account_of(ctx, req.account()));
  auto limit = WACRM_TRY(limit_of(req.limit(), 200, 10000));
  std::optional<std::string> tag;
  if (!req.tag().empty()) tag = WACRM_TRY(normalize_tag(req.tag()));
  control::CrmContactListResponse res;
  for (const auto& item : WACRM_TRY(ctx.store.list_people({account, tag, req.include_groups(), limit}))) {
    auto* out = res.add_items();
    to_proto(item.person, out->mutable_person());
    for (const auto& t : item.tags) out->add_tags(t);
    if (item.last_interaction) to_proto(*item.last_interaction, out->mutable_last_interaction());
  }
  return serialized(res);
}

ApiResult<std::string> contact_set(CrmContext& ctx, std::string_view payload) {
  auto req = WACRM_TRY(parse_request<control::CrmContactSetRequest>(payload));
  if (!req.has_cadence_days() && !req.has_attention_excluded())
    return std::unexpected(ApiError(
        Error{Errc::invalid_argument, "nothing to set: give a cadence in days (0 for the default) or an attention exclusion"}));
  store::ContactSettings settings;
  if (req.has_cadence_days()) {
    if (req.cadence_days() < 0 || req.cadence_days() > kMaxCadenceDays)
      return std::unexpected(ApiError(Error{
          Errc::invalid_argument,
          fmt::format("cadence {} is out of range: use 1 to {} days, or 0 for the default", req.cadence_days(), kMaxCadenceDays)}));
    settings.cadence_days = req.cadence_days() == 0 ? std::optional<int>() : std::optional<int>(req.cadence_days());
  }
  if (req.has_attention_excluded()) settings.attention_excluded = req.attention_excluded();
  auto t = WACRM_TRY(target(ctx, req.account(), req.contact()));
  WACRM_TRY(ctx.store.update_settings(t.account, t.person.id, settings));
  auto profile = WACRM_TRY(ctx.store.profile(t.account, t.person.id));
  control::CrmContactSetResponse res;
  to_proto(t.person, res.mutable_person());
  res.set_cadence_days(profile.cadence_days.value_or(ctx.settings.default_cadence_days));
  res.set_cadence_is_default(!profile.cadence_days);
  res.set_attention_excluded(profile.attention_excluded);
  return serialized(res);
}

}  // namespace wacrm::crm::handlers
