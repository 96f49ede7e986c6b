// The groups of wasim's world (02 §1.5, whatsmeow group.go): a group JID
// "<id>@g.us", its subject, creator and participants (accounts by phone
// number), made from the scenario file or POST /v1/groups. Also which member
// devices already hold a sender's key for the group, so that a simulated
// member's phone sends its SenderKeyDistributionMessage only to devices that
// lack it, as a real phone does. Kept in memory only: the scenario recreates
// its groups at every start.
#pragma once

#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "base/error.h"
#include "wasim/directory.h"
#include "wire/jid.h"
#include "wire/node.h"

namespace wacrm::wasim {

struct Group {
  std::string id;  // the user part of the group JID: digits, "120363…"
  std::string subject;
  std::string creator;                    // phone number
  std::vector<std::string> participants;  // phone numbers, the creator first
  std::int64_t created = 0;               // unix seconds
  // sender phone -> device JIDs that got its sender key (SKDM).
  std::map<std::string, std::set<std::string>> key_holders;

  wire::Jid jid() const { return wire::Jid(id, std::string(wire::server::kGroup)); }
  bool has_member(const std::string& phone) const;
};

class Groups {
 public:
  explicit Groups(Directory& directory) : directory_(directory) {}

  // {"id"?, "subject", "creator", "participants": [phone…]} (the creator is a
  // participant whether listed or not). Errc::invalid_argument for a bad
  // field, Errc::not_found for an unknown account, Errc::already_exists for a
  // taken id.
  Result<Group*> create(const nlohmann::json& request);
  // By JID ("…@g.us") or bare id; nullptr when there is no such group.
  Group* find(std::string_view jid_or_id);
  std::vector<const Group*> of_member(const std::string& phone) const;
  std::vector<const Group*> all() const;

 private:
  Directory& directory_;
  std::map<std::string, Group, std::less<>> groups_;
};

// <group id creator creation subject s_t s_o addressing_mode><participant jid type?/>…</group>,
// the shape of a w:g2 metadata answer and of each <groups> entry.
wire::Node group_node(const Group& group);
nlohmann::json group_json(const Group& group);
// <notification from="ID@g.us" type="w:gp2" id t participant=CREATOR notify?><create reason="create"
// type="new"><group …/></create></notification>: what every member device is sent when the group is made
// (whatsmeow: events.JoinedGroup).
wire::Node create_notification(const Group& group, const std::string& id, const std::string& creator_name);

}  // namespace wacrm::wasim
