#include "wasim/usync.h"

#include <algorithm>

namespace wacrm::wasim {

namespace {

using wire::Node;

Node devices_of(const Account& account) {
  Node::Children list{Node("device", {{"id", "0"}})};
  for (const auto& [device, companion] : account.companions)
    list.push_back(Node("device", {{"id", std::to_string(device)}, {"key-index", std::to_string(companion.key_index)}}));
  return Node("devices", {}, Node::Children{Node("device-list", {}, std::move(list))});
}

// A phone number as a contact query gives it: "+15550001111", "15550001111".
std::string digits_of(std::string_view text) {
  std::string out;
  for (char c : text)
    if (c >= '0' && c <= '9') out.push_back(c);
  return out;
}

Node user_answer(const Node& user, const std::vector<std::string>& protocols, Directory& directory) {
  Account* account = nullptr;
  std::string jid(user.attr_or("jid"));
  const Node* contact = user.child("contact");
  if (!jid.empty()) {
    if (auto parsed = wire::Jid::parse(jid)) account = directory.account_of(*parsed);
  } else if (contact && contact->text()) {
    std::string phone = digits_of(*contact->text());
    account = directory.by_phone(phone);
    jid = phone + "@s.whatsapp.net";
  } else if (contact && contact->bytes()) {
    std::string phone = digits_of(std::string(contact->bytes()->begin(), contact->bytes()->end()));
    account = directory.by_phone(phone);
    jid = phone + "@s.whatsapp.net";
  }
  Node::Children children;
  for (const std::string& protocol : protocols) {
    if (protocol == "devices") {
      // A number that is not on WhatsApp has no devices (03 §10.0 item 2).
      children.push_back(account ? devices_of(*account)
                                 : Node("devices", {}, Node::Children{Node("device-list", {}, Node::Children{})}));
    } else if (protocol == "lid") {
      if (account) children.push_back(Node("lid", {{"val", account->lid_jid().to_string()}}));
    } else if (protocol == "contact") {
      Node answer("contact", {{"type", account ? "in" : "out"}});
      if (contact && contact->text()) answer.content = *contact->text();
      children.push_back(std::move(answer));
    } else if (protocol == "status") {
      if (account) children.push_back(Node("status", {{"t", "0"}}, std::string("Hey there! I am using WhatsApp.")));
    } else if (protocol == "business") {
      if (account && !account->business_name.empty())
        children.push_back(Node("business", {}, Node::Children{Node("verified_name", {{"name", account->business_name}})}));
    }
  }
  return Node("user", {{"jid", jid}}, std::move(children));
}

}  // namespace

Result<wire::Node> usync_answer(const wire::Node& iq, Directory& directory) {
  const Node* usync = iq.child("usync");
  const Node* query = usync ? usync->child("query") : nullptr;
  const Node* list = usync ? usync->child("list") : nullptr;
  if (!usync || !query || !list) return make_error(Errc::invalid_argument, "usync without <usync>, <query> or <list>");
  std::vector<std::string> protocols;
  Node::Children result;
  for (const Node& protocol : query->child_nodes()) {
    protocols.push_back(protocol.tag);
    result.push_back(Node(protocol.tag));
  }
  Node::Children users;
  for (const Node& user : list->child_nodes())
    if (user.tag == "user") users.push_back(user_answer(user, protocols, directory));
  Node answer("usync");
  for (const char* key : {"sid", "index", "last", "mode", "context"})
    if (auto value = usync->attr(key)) answer.set_attr(key, std::string(*value));
  answer.content = Node::Children{Node("result", {}, std::move(result)), Node("list", {}, std::move(users))};
  return answer;
}

}  // namespace wacrm::wasim
