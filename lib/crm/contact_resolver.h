// Turns what a user typed to name a contact into a person (or a chat).
//
//   "15551234567@s.whatsapp.net", "123@lid", "1234-5678@g.us"   a JID, exactly
//   "+1 555 123-4567", "15551234567"                             a phone number
//   "alice", "Alice Smith", "zoe"                                a name: exact
//        (accents and case folded) beats partial (a substring), which beats
//        nothing; similar names are only suggested, never picked
//   "Alice Smith (15551234567@s.whatsapp.net)"                   a suggestion
//        as this class prints it: the JID in parentheses decides
//
// An unknown name fails with Errc::not_found and up to five similar names as
// suggestions; an ambiguous one with Errc::invalid_argument and the
// candidates. Suggestions are in the last form above, so they can be passed
// back as they are.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "crm/api_result.h"
#include "store/crm_store.h"

namespace wacrm::crm {

class ContactResolver {
 public:
  ContactResolver(store::CrmStore& store, std::int64_t account_id) : store_(store), account_id_(account_id) {}

  ApiResult<store::CrmPerson> person(std::string_view query);

  // A conversation: the person's chats (see CrmStore::conversation_chats),
  // or, for a JID no contacts row has, that chat alone (a group we hold no
  // contact for).
  struct Conversation {
    std::optional<store::CrmPerson> person;
    std::string title;                 // "Bob (+15551234567)", or the chat's name
    std::vector<store::CrmChat> chats;
    std::vector<std::int64_t> chat_ids() const;
  };
  ApiResult<Conversation> conversation(std::string_view query);

  // "Alice Smith (15551234567@s.whatsapp.net)".
  static std::string label(const store::CrmPerson& person);
  // The JID or phone digits a query names, or empty when it is a name.
  static std::string address_of(std::string_view query);

 private:
  store::CrmStore& store_;
  std::int64_t account_id_;
};

}  // namespace wacrm::crm
