#include "wa/message_people.h"

namespace wacrm::wa {

namespace {

// A person's sighting: the address used, and both forms when known.
Result<store::PersonSighting> sighting_of(const wire::Jid& jid, const std::optional<wire::Jid>& alt,
                                          store::MessageRepository& repository, std::int64_t account_id) {
  wire::Jid user = jid.to_non_ad();
  store::PersonSighting person{user.to_string()};
  if (user.is_lid()) {
    person.lid = person.jid;
    if (alt) person.pn = alt->to_string();
    else person.pn = WACRM_TRY(repository.pn_for_lid(account_id, person.jid));
  } else {
    person.pn = person.jid;
    if (alt) person.lid = alt->to_string();
  }
  return person;
}

}  // namespace

Result<std::string> canonical_user(const wire::Jid& jid, store::MessageRepository& repository,
                                   std::int64_t account_id) {
  wire::Jid user = jid.to_non_ad();
  if (user.is_lid())
    if (auto pn = WACRM_TRY(repository.pn_for_lid(account_id, user.to_string()))) return *pn;
  return user.to_string();
}

Result<MessagePeople> resolve_people(const MessageAddressing& a, const OwnIdentity& own,
                                     store::MessageRepository& repository, std::int64_t account_id) {
  MessagePeople people;
  const std::string own_jid = own.pn.to_non_ad().to_string();

  if (a.from_me) {
    people.sender_jid = own_jid;
  } else if (a.chat_kind == ChatKind::newsletter) {
    people.sender_jid = a.chat.to_string();
  } else {
    people.sender = WACRM_TRY(sighting_of(a.sender, a.sender_alt, repository, account_id));
    people.sender->push_name = a.push_name;
    people.sender_jid = people.sender->pn.value_or(people.sender->jid);
  }

  if (a.chat_kind != ChatKind::direct) {
    people.chat_jid = a.chat.to_string();
  } else if (own.is_own_user(a.chat)) {
    people.chat_jid = own_jid;  // a note to ourselves
  } else if (people.sender && !a.from_me) {
    people.chat_person = people.sender;  // their 1:1 chat
    people.chat_person->push_name.reset();
    people.chat_jid = people.sender_jid;
  } else {
    people.chat_person = WACRM_TRY(sighting_of(a.chat, a.chat_alt, repository, account_id));
    people.chat_jid = people.chat_person->pn.value_or(people.chat_person->jid);
  }
  return people;
}

}  // namespace wacrm::wa
