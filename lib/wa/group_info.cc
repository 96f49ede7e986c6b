#include "wa/group_info.h"

#include <set>
#include <string>
#include <utility>

#include "wa/iq.h"
#include "wire/jid.h"

namespace wacrm::wa {

namespace {

// <group id="120363…"> names the group by its user part; a full JID is taken too.
std::optional<wire::Jid> group_jid(std::string_view id) {
  if (id.empty()) return std::nullopt;
  auto jid = id.find('@') == std::string_view::npos ? wire::Jid::parse(std::string(id) + "@g.us") : wire::Jid::parse(id);
  if (!jid || !jid->is_group()) return std::nullopt;
  return jid->to_non_ad();
}

// The <participant jid lid?|phone_number?> pairs of a group, as (LID, phone JID).
void collect_pairs(const wire::Node& group, std::set<store::LidPair>& pairs) {
  for (const wire::Node* participant : group.children("participant")) {
    auto jid = participant->attr_jid("jid");
    if (!jid) continue;
    auto other = participant->attr_jid(jid->is_lid() ? "phone_number" : "lid");
    if (!other || (jid->is_lid() ? !other->is_pn() : !other->is_lid())) continue;
    const wire::Jid lid = (jid->is_lid() ? *jid : *other).to_non_ad();
    const wire::Jid pn = (jid->is_lid() ? *other : *jid).to_non_ad();
    pairs.emplace(lid.to_string(), pn.to_string());
  }
}

Status apply_group(const wire::Node& group, std::int64_t account_id, store::MessageRepository& messages,
                   std::set<store::LidPair>& pairs) {
  auto jid = group_jid(group.attr_or("id"));
  if (!jid) return {};
  if (auto subject = group.attr("subject"))
    WACRM_TRY(messages.set_group_subject(account_id, jid->to_string(), *subject));
  collect_pairs(group, pairs);
  return {};
}

}  // namespace

wire::Node participating_groups_query() {
  wire::Node iq = make_iq("get", "w:g2",
                          {wire::Node("participating", {}, wire::Node::Children{wire::Node("participants"),
                                                                                wire::Node("description")})});
  iq.set_attr("to", wire::Jid::of_server(wire::server::kGroup).to_string());
  return iq;
}

Status apply_group_answer(const wire::Node& answer, std::int64_t account_id, store::MessageRepository& messages) {
  // Every login brings the whole list again, people shared by several groups
  // once per group: each pair once, and only the pairs not settled yet (one
  // look-up for all instead of record_lid_mapping's writes and row locks).
  std::set<store::LidPair> pairs;
  if (const wire::Node* groups = answer.child("groups")) {
    for (const wire::Node* group : groups->children("group"))
      WACRM_TRY(apply_group(*group, account_id, messages, pairs));
  } else if (const wire::Node* group = answer.child("group")) {
    WACRM_TRY(apply_group(*group, account_id, messages, pairs));
  }
  const std::vector<store::LidPair> named(pairs.begin(), pairs.end());
  for (const auto& pair : WACRM_TRY(messages.settled_pairs(account_id, named))) pairs.erase(pair);
  for (const auto& [lid, pn] : pairs) WACRM_TRY(messages.record_lid_mapping(account_id, lid, pn));
  return {};
}

Status record_participant_pairs(const wire::Node& group, std::int64_t account_id,
                                store::MessageRepository& messages) {
  std::set<store::LidPair> pairs;
  collect_pairs(group, pairs);
  for (const auto& [lid, pn] : pairs) WACRM_TRY(messages.record_lid_mapping(account_id, lid, pn));
  return {};
}

}  // namespace wacrm::wa
