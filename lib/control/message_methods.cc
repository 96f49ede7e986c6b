#include "control/message_methods.h"

#include <fmt/format.h>

#include <chrono>
#include <string>

#include "control/envelope.pb.h"
#include "control/messages.pb.h"
#include "control/method_table.h"
#include "control/pool_runner.h"
#include "control/status_mapping.h"
#include "crm/contact_resolver.h"
#include "crm/crm_proto.h"
#include "store/pg/pg_crm_store.h"
#include "store/pg/pg_message_repository.h"

namespace wacrm::control {

namespace {

constexpr int kDefaultLimit = 50;
constexpr int kMaxLimit = 1000;

// The pool's Result carries a plain Error; an unknown or ambiguous contact
// also has suggestions, which ride inside it.
template <class T>
using Answer = crm::ApiResult<T>;

template <class T>
void fail_or(const Responder& reply, const Result<Answer<T>>& result, auto&& on_value) {
  if (!result) return reply.fail(result.error());
  if (!*result) {
    const auto& e = result->error();
    return reply.fail(status_for(e.error.code), e.error.message, e.suggestions);
  }
  on_value(**result);
}

void set_time(const std::optional<store::MessageTime>& t, google::protobuf::Timestamp* out) {
  if (t) crm::to_proto(*t, out);
}

store::MessageTime from_proto(const google::protobuf::Timestamp& t) {
  return store::MessageTime(std::chrono::duration_cast<store::MessageTime::duration>(
      std::chrono::seconds(t.seconds()) + std::chrono::nanoseconds(t.nanos())));
}

void fill(const store::StoredMessage& m, StoredMessage* out) {
  out->set_id(m.id);
  out->set_chat_jid(m.chat_jid);
  out->set_wa_id(m.wa_id);
  out->set_sender_jid(m.sender_jid);
  out->set_sender_name(m.sender_name);
  out->set_from_me(m.from_me);
  crm::to_proto(m.sent_at, out->mutable_sent_at());
  out->set_kind(m.kind);
  out->set_body(m.body.value_or(""));
  out->set_file_name(m.file_name.value_or(""));
  out->set_quoted_wa_id(m.quoted_wa_id.value_or(""));
  out->set_target_wa_id(m.target_wa_id.value_or(""));
  out->set_status(m.status.value_or(""));
  if (m.deleted_at) crm::to_proto(*m.deleted_at, out->mutable_deleted_at());
  if (m.edited_at) crm::to_proto(*m.edited_at, out->mutable_edited_at());
  out->set_decrypt_error(m.decrypt_error.value_or(""));
  out->set_mimetype(m.mimetype.value_or(""));
}

struct Page {
  std::string title;
  std::vector<store::StoredMessage> messages;
};

// Which chats a request names: one chat by JID, a person's chats by name
// (or JID, or phone), or every chat.
Answer<Page> read_page(store::PgConnection& conn, const MessageListRequest& request, int limit) {
  store::PgCrmStore crm_store(conn);
  store::PgMessageRepository messages(conn);
  store::MessageQuery query;
  query.account_id = WACRM_TRY(crm_store.account_id(request.account()));
  query.limit = limit;
  if (request.has_before()) query.before = from_proto(request.before());
  Page page;
  if (!request.chat().empty()) {
    auto chat = WACRM_TRY(messages.chat_id(query.account_id, request.chat()));
    if (!chat) return std::unexpected(crm::ApiError(Error{Errc::not_found, fmt::format("no chat '{}'", request.chat())}));
    query.chat_ids = {*chat};
    page.title = request.chat();
  } else if (!request.contact().empty()) {
    auto conversation = WACRM_TRY(crm::ContactResolver(crm_store, query.account_id).conversation(request.contact()));
    query.chat_ids = conversation.chat_ids();
    page.title = conversation.title;
  }
  page.messages = WACRM_TRY(messages.messages(query));
  return page;
}

void list_messages(PoolRunner& runner, Call call) {
  MessageListRequest request;
  if (!call.parse(request)) return;
  if (!request.chat().empty() && !request.contact().empty())
    return call.reply.fail(Error{Errc::invalid_argument, "name a chat or a contact, not both"});
  if (request.limit() < 0 || request.limit() > kMaxLimit)
    return call.reply.fail(
        Error{Errc::invalid_argument, fmt::format("limit {} is out of range: use 1 to {}", request.limit(), kMaxLimit)});
  const int limit = request.limit() == 0 ? kDefaultLimit : request.limit();
  runner.run<Answer<Page>>(
      [request, limit](store::PgConnection& conn) {
        return Result<Answer<Page>>(std::in_place, read_page(conn, request, limit));
      },
      [reply = call.reply](Result<Answer<Page>> result) {
        fail_or(reply, result, [&](const Page& page) {
          MessageListResponse out;
          out.set_title(page.title);
          for (const auto& m : page.messages) fill(m, out.add_messages());
          reply.ok(out);
        });
      });
}

void list_chats(PoolRunner& runner, Call call) {
  ChatListRequest request;
  if (!call.parse(request)) return;
  runner.run<std::vector<store::ChatSummary>>(
      [account = request.account()](store::PgConnection& conn) -> Result<std::vector<store::ChatSummary>> {
        const auto id = WACRM_TRY(store::PgCrmStore(conn).account_id(account));
        return store::PgMessageRepository(conn).chats(id);
      },
      [reply = call.reply](Result<std::vector<store::ChatSummary>> chats) {
        if (!chats) return reply.fail(chats.error());
        ChatListResponse out;
        for (const auto& c : *chats) {
          ChatInfo* chat = out.add_chats();
          chat->set_id(c.id);
          chat->set_jid(c.jid);
          chat->set_name(c.name);
          chat->set_is_group(c.is_group);
          set_time(c.last_message_at, chat->mutable_last_message_at());
          chat->set_messages(c.messages);
        }
        reply.ok(out);
      });
}

void list_contacts(PoolRunner& runner, Call call) {
  ContactListRequest request;
  if (!call.parse(request)) return;
  runner.run<std::vector<store::ContactSummary>>(
      [account = request.account()](store::PgConnection& conn) -> Result<std::vector<store::ContactSummary>> {
        const auto id = WACRM_TRY(store::PgCrmStore(conn).account_id(account));
        return store::PgMessageRepository(conn).contacts(id);
      },
      [reply = call.reply](Result<std::vector<store::ContactSummary>> contacts) {
        if (!contacts) return reply.fail(contacts.error());
        ContactListResponse out;
        for (const auto& c : *contacts) {
          ContactInfo* contact = out.add_contacts();
          contact->set_id(c.id);
          contact->set_name(c.name);
          contact->set_jid(c.jid);
          contact->set_lid(c.lid.value_or(""));
          contact->set_phone(c.phone.value_or(""));
          contact->set_push_name(c.push_name.value_or(""));
          set_time(c.last_inbound_at, contact->mutable_last_inbound_at());
          set_time(c.last_outbound_at, contact->mutable_last_outbound_at());
          contact->set_merged_rows(c.merged_rows);
        }
        reply.ok(out);
      });
}

}  // namespace

void register_message_methods(MethodTable& table, PoolRunner& runner) {
  table.add({"message.list", "received messages: a chat's, a contact's or all, newest page first", true,
             [&runner](Call call) { list_messages(runner, std::move(call)); }});
  table.add({"chat.list", "chats with their last message time and size", true,
             [&runner](Call call) { list_chats(runner, std::move(call)); }});
  table.add({"contact.list", "people as the messages revealed them (phone, LID, push name)", true,
             [&runner](Call call) { list_contacts(runner, std::move(call)); }});
}

}  // namespace wacrm::control
