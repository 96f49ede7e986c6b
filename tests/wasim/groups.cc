#include "wasim/groups.h"

#include <openssl/rand.h>

#include <algorithm>

#include "wasim/stanzas.h"

namespace wacrm::wasim {

namespace {

// Real group ids of groups made today: "120363" and twelve more digits.
std::string new_group_id() {
  std::uint8_t random[12];
  RAND_bytes(random, sizeof random);
  std::string id = "120363";
  for (std::uint8_t b : random) id.push_back(static_cast<char>('0' + b % 10));
  return id;
}

std::string phone_jid(const std::string& phone) {
  return wire::Jid(phone, std::string(wire::server::kUser)).to_string();
}

}  // namespace

bool Group::has_member(const std::string& phone) const {
  return std::find(participants.begin(), participants.end(), phone) != participants.end();
}

Result<Group*> Groups::create(const nlohmann::json& request) {
  if (!request.is_object()) return make_error(Errc::invalid_argument, "a group must be a JSON object");
  Group group;
  group.id = request.value("id", "");
  if (auto at = group.id.find('@'); at != std::string::npos) {
    if (group.id.substr(at + 1) != wire::server::kGroup)
      return make_error(Errc::invalid_argument, "group id '" + group.id + "' is not on g.us");
    group.id.resize(at);
  }
  if (group.id.empty()) group.id = new_group_id();
  if (!is_digits(group.id) || group.id.size() > 30)
    return make_error(Errc::invalid_argument, "group id '" + group.id + "' is not digits");
  if (groups_.contains(group.id)) return make_error(Errc::already_exists, "group '" + group.id + "' exists");
  group.subject = request.value("subject", "");
  if (group.subject.empty()) return make_error(Errc::invalid_argument, "'subject' is required");
  group.creator = request.value("creator", "");
  if (!directory_.by_phone(group.creator)) return make_error(Errc::not_found, "no account '" + group.creator + "' (creator)");
  group.participants.push_back(group.creator);
  auto participants = request.value("participants", nlohmann::json::array());
  if (!participants.is_array()) return make_error(Errc::invalid_argument, "'participants' must be an array");
  for (const auto& entry : participants) {
    std::string phone = entry.is_string() ? entry.get<std::string>() : "";
    if (!directory_.by_phone(phone)) return make_error(Errc::not_found, "no account '" + phone + "' (participant)");
    if (!group.has_member(phone)) group.participants.push_back(phone);
  }
  group.created = unix_now();
  std::string id = group.id;
  return &groups_.emplace(id, std::move(group)).first->second;
}

Group* Groups::find(std::string_view jid_or_id) {
  std::string_view id = jid_or_id.substr(0, jid_or_id.find('@'));
  if (auto at = jid_or_id.find('@'); at != std::string_view::npos && jid_or_id.substr(at + 1) != wire::server::kGroup)
    return nullptr;
  auto it = groups_.find(id);
  return it == groups_.end() ? nullptr : &it->second;
}

std::vector<const Group*> Groups::of_member(const std::string& phone) const {
  std::vector<const Group*> out;
  for (const auto& [id, group] : groups_)
    if (group.has_member(phone)) out.push_back(&group);
  return out;
}

std::vector<const Group*> Groups::all() const {
  std::vector<const Group*> out;
  for (const auto& [id, group] : groups_) out.push_back(&group);
  return out;
}

wire::Node group_node(const Group& group) {
  std::string created = std::to_string(group.created);
  wire::Node node("group", {{"id", group.id},
                            {"creator", phone_jid(group.creator)},
                            {"creation", created},
                            {"subject", group.subject},
                            {"s_t", created},
                            {"s_o", phone_jid(group.creator)},
                            {"size", std::to_string(group.participants.size())},
                            {"addressing_mode", "pn"}});
  wire::Node::Children children;
  for (const auto& phone : group.participants) {
    wire::Node participant("participant", {{"jid", phone_jid(phone)}});
    if (phone == group.creator) participant.set_attr("type", "superadmin");
    children.push_back(std::move(participant));
  }
  node.content = std::move(children);
  return node;
}

wire::Node create_notification(const Group& group, const std::string& id, const std::string& creator_name) {
  wire::Node notification("notification", {{"from", group.jid().to_string()},
                                           {"type", "w:gp2"},
                                           {"id", id},
                                           {"t", std::to_string(group.created)},
                                           {"participant", phone_jid(group.creator)}});
  if (!creator_name.empty()) notification.set_attr("notify", creator_name);
  notification.content = wire::Node::Children{
      wire::Node("create", {{"reason", "create"}, {"type", "new"}}, wire::Node::Children{group_node(group)})};
  return notification;
}

nlohmann::json group_json(const Group& group) {
  return {{"jid", group.jid().to_string()},
          {"id", group.id},
          {"subject", group.subject},
          {"creator", group.creator},
          {"participants", group.participants},
          {"created", group.created}};
}

}  // namespace wacrm::wasim
