// PgMessageRepository::store_many: runs of messages that can be stored
// together go to PostgreSQL as one call of wacrm_store_messages (arrays, one
// element per message; migrations/008), so the statement-level triggers on
// messages and the executor's set-up are paid once per run, not per message.
// Everything else, and a run of one, goes through store().
#include <array>
#include <set>
#include <tuple>

#include "store/pg/pg_array.h"
#include "store/pg/pg_crm_sql.h"
#include "store/pg/pg_message_repository.h"

namespace wacrm::store {

namespace {

using crm_sql::epoch_us;

// The arrays of wacrm_store_messages, in its parameter order ($2..$28).
struct RunArrays {
  using T = PgArray::Type;
  PgArray s_jid{T::text}, s_lid{T::text}, s_phone{T::text}, s_push_name{T::text};
  PgArray c_mode{T::text}, c_jid{T::text}, c_lid{T::text}, c_phone{T::text}, c_push_name{T::text};
  PgArray inbound{T::int8}, outbound{T::int8}, last{T::int8};
  PgArray chat_jid{T::text}, chat_is_group{T::boolean};
  PgArray wa_id{T::text}, sender_jid{T::text}, from_me{T::boolean}, sent{T::int8}, kind{T::text}, body{T::text};
  PgArray file_name{T::text}, quoted_wa_id{T::text}, push_name{T::text}, status{T::text};
  PgArray decrypt_error{T::text}, decrypt_retries{T::int4}, raw{T::bytea};

  std::vector<PgParam> params(std::int64_t account_id) const {
    std::vector<PgParam> out{pg_int(account_id)};
    for (const PgArray* a : {&s_jid, &s_lid, &s_phone, &s_push_name, &c_mode, &c_jid, &c_lid, &c_phone,
                             &c_push_name, &inbound, &outbound, &last, &chat_jid, &chat_is_group, &wa_id,
                             &sender_jid, &from_me, &sent, &kind, &body, &file_name, &quoted_wa_id, &push_name,
                             &status, &decrypt_error, &decrypt_retries, &raw})
      out.push_back(a->param());
    return out;
  }
};

void add_time(PgArray& a, const std::optional<MessageTime>& t) {
  if (t) a.add_int8(epoch_us(*t));
  else a.add_null();
}

// "" as NULL, as store() sends the phone number.
void add_text_or_null(PgArray& a, std::string_view s) {
  if (s.empty()) a.add_null();
  else a.add_text(s);
}

constexpr const char* kStoreMessages =
    "SELECT * FROM wacrm_store_messages($1, $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], "
    "$7::text[], $8::text[], $9::text[], $10::text[], $11::bigint[], $12::bigint[], $13::bigint[], $14::text[], "
    "$15::boolean[], $16::text[], $17::text[], $18::boolean[], $19::bigint[], $20::text[], $21::text[], "
    "$22::text[], $23::text[], $24::text[], $25::text[], $26::text[], $27::integer[], $28::bytea[])";

}  // namespace

Result<std::vector<StoreResult>> PgMessageRepository::store_many(std::span<const NewMessage> messages) {
  std::vector<StoreResult> results(messages.size());
  std::size_t i = 0;
  while (i < messages.size()) {
    // The run from i: messages that can go together, of one account, no key twice (one
    // INSERT ... ON CONFLICT cannot touch a row twice).
    std::set<std::tuple<std::string, std::string, std::string>> keys;
    std::size_t end = i;
    while (end < messages.size() && can_store_together(messages[end]) &&
           messages[end].account_id == messages[i].account_id &&
           keys.emplace(storable_text(messages[end].chat_jid), storable_text(messages[end].wa_id),
                        storable_text(messages[end].sender_jid))
               .second)
      ++end;
    if (end - i < 2) {
      results[i] = WACRM_TRY(store(messages[i]));
      ++i;
      continue;
    }
    WACRM_TRY(store_run(messages.subspan(i, end - i), results.data() + i));
    i = end;
  }
  return results;
}

Status PgMessageRepository::store_run(std::span<const NewMessage> input, StoreResult* results) {
  std::vector<NewMessage> run;
  run.reserve(input.size());
  RunArrays a;
  for (const NewMessage& given : input) {
    const NewMessage& m = run.emplace_back(storable_message(given));
    // No LID/phone pair to record here (can_store_together), so this writes nothing.
    const PeopleArgs people = WACRM_TRY(people_args(m));
    // A person's four columns (jid, lid, phone, push name), NULL when none.
    auto add_person = [](std::array<PgArray*, 4> columns, const std::optional<ContactKey>& key,
                         const std::optional<PersonSighting>& sighting) {
      if (!key) {
        for (PgArray* x : columns) x->add_null();
        return;
      }
      columns[0]->add_text(key->jid);
      columns[1]->add_text(key->lid);
      add_text_or_null(*columns[2], key->phone);
      columns[3]->add_text(sighting->push_name);
    };
    add_person({&a.s_jid, &a.s_lid, &a.s_phone, &a.s_push_name}, people.sender, m.sender);
    add_text_or_null(a.c_mode, people.chat_mode);
    if (people.chat_mode == "group") {
      a.c_jid.add_text(m.chat_jid);
      for (PgArray* x : {&a.c_lid, &a.c_phone, &a.c_push_name}) x->add_null();
    } else {
      add_person({&a.c_jid, &a.c_lid, &a.c_phone, &a.c_push_name}, people.chat_person, m.chat_person);
    }
    add_time(a.inbound, people.inbound);
    add_time(a.outbound, people.outbound);
    add_time(a.last, people.last);
    a.chat_jid.add_text(m.chat_jid);
    a.chat_is_group.add_bool(m.chat_is_group);
    a.wa_id.add_text(m.wa_id);
    a.sender_jid.add_text(m.sender_jid);
    a.from_me.add_bool(m.from_me);
    a.sent.add_int8(epoch_us(m.sent_at));
    a.kind.add_text(m.kind);
    a.body.add_text(m.body);
    a.file_name.add_text(m.file_name);
    a.quoted_wa_id.add_text(m.quoted_wa_id);
    a.push_name.add_text(m.push_name);
    if (m.status) a.status.add_text(message_status_name(*m.status));
    else a.status.add_null();
    a.decrypt_error.add_text(m.decrypt_error);
    a.decrypt_retries.add_int4(m.decrypt_retries);
    if (m.raw) a.raw.add_bytes(*m.raw);
    else a.raw.add_null();
  }

  auto r = WACRM_TRY(conn_.exec(kStoreMessages, a.params(run.front().account_id)));
  if (r.rows() != static_cast<int>(run.size()))
    return make_error(Errc::internal, "wacrm_store_messages returned " + std::to_string(r.rows()) + " rows for " +
                                          std::to_string(run.size()) + " messages");
  for (int row = 0; row < r.rows(); ++row) {
    const std::int64_t index = r.int64(row, 0);  // 1-based
    if (index < 1 || index > static_cast<std::int64_t>(run.size()))
      return make_error(Errc::internal, "wacrm_store_messages returned index " + std::to_string(index));
    const auto k = static_cast<std::size_t>(index - 1);
    StoreResult& result = results[k];
    result = StoreResult{};
    if (r.is_null(row, 2)) {
      result.outcome = StoreOutcome::already_stored;
      continue;
    }
    result.message_id = r.int64(row, 2);
    WACRM_TRY(finish_store(run[k], r.int64(row, 1), r.boolean(row, 3), r.boolean(row, 4), result));
  }
  return {};
}

}  // namespace wacrm::store
