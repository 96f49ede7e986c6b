#include "wa/message_handler.h"

#include <algorithm>
#include <charconv>
#include <chrono>

#include "signal/padding.h"
#include "signal/protocol.h"
#include "signal/state_transaction.h"
#include "wa/e2e.pb.h"
#include "wa/iq.h"
#include "wa/message_people.h"
#include "wa/receipts.h"
#include "wa/retry_keys.h"

namespace wacrm::wa {

namespace {

using signal::MessageType;
using signal::SignalErrc;

// Nack codes (notes 02 §3.2).
constexpr int kNackParse = 487;
constexpr int kNackInvalidProtobuf = 491;

store::MessageTime sent_time(const MessageAddressing& a) {
  if (a.timestamp) return store::MessageTime(std::chrono::seconds(*a.timestamp));
  return std::chrono::time_point_cast<std::chrono::microseconds>(std::chrono::system_clock::now());
}

std::optional<MessageType> enc_type(std::string_view type) {
  if (type == "pkmsg") return MessageType::pkmsg;
  if (type == "msg") return MessageType::msg;
  if (type == "skmsg") return MessageType::skmsg;
  return std::nullopt;  // msmsg (bot replies) and anything newer: not for us
}

int count_attr(const wire::Node& enc) {
  auto text = enc.attr_or("count");
  int value = 0;
  std::from_chars(text.data(), text.data() + text.size(), value);
  return std::max(value, 0);
}

// Key distribution and bare context info: no row of their own.
bool is_bookkeeping(const MessageContent& c) {
  return c.kind == ContentKind::system &&
         (c.system == SystemKind::no_content || c.system == SystemKind::sender_key_distribution);
}

// The group sender key a Message carries, at its top or inside the copy of
// our own message (notes 02 §1.4).
const SenderKeyDistributionMessage* sender_key_of(const Message& message) {
  if (message.has_sender_key_distribution_message()) return &message.sender_key_distribution_message();
  if (message.has_device_sent_message() && message.device_sent_message().message().has_sender_key_distribution_message())
    return &message.device_sent_message().message().sender_key_distribution_message();
  return nullptr;
}

bool is_transient(SignalErrc kind) { return kind == SignalErrc::store || kind == SignalErrc::internal; }

MessageEvent event_for(MessageEvent::Type type, const store::NewMessage& m, std::int64_t id, SystemKind system) {
  MessageEvent e;
  e.type = type;
  e.chat_jid = m.chat_jid;
  e.wa_ids = {m.wa_id};
  e.sender_jid = m.sender_jid;
  e.from_me = m.from_me;
  e.kind = m.kind;
  e.system = system;
  e.message_id = id;
  return e;
}

}  // namespace

// What decrypting a stanza's <enc> children gave.
struct MessageHandler::Decryption {
  struct Readable {
    MessageContent content;
    Bytes raw;  // unpadded Message protobuf
  };
  std::optional<Readable> content;       // the first <enc> with something to say
  bool decrypted = false;                // some <enc> decrypted (a sender key alone counts)
  bool duplicate = false;                // some <enc> had a counter used already
  bool has_pairwise = false;             // a pkmsg or msg was among them
  int resend_count = 0;                  // <enc count>: the sender's retry number

  // The failure that stopped processing, if any.
  std::optional<SignalErrc> failure;
  std::optional<MessageType> failed_type;
  std::string reason;                    // for decrypt_error
  bool invalid_protobuf = false;
  std::optional<store::ExistingMessage> existing;  // a placeholder of this key
};

HandleResult run_in_transaction(MessageStores& stores, const std::function<Status(HandleResult&)>& body) {
  HandleResult out;
  auto status = stores.atomically([&]() -> Status {
    out = HandleResult{};
    return body(out);
  });
  if (!status) {
    out = HandleResult{};
    out.error = status.error();
  }
  return out;
}

MessageHandler::MessageHandler(signal::Context& context, MessageHandlerConfig config)
    : context_(context), config_(std::move(config)) {}

HandleResult MessageHandler::handle_message(const wire::Node& stanza, MessageStores& stores) {
  return std::move(handle_messages(std::span(&stanza, 1), stores).front());
}

std::vector<HandleResult> MessageHandler::handle_messages(std::span<const wire::Node> stanzas, MessageStores& stores) {
  std::vector<HandleResult> results(stanzas.size());
  std::vector<std::optional<MessageAddressing>> addressing(stanzas.size());
  for (std::size_t i = 0; i < stanzas.size(); ++i) {
    auto a = address_message(stanzas[i], config_.own);
    if (a) addressing[i] = std::move(*a);
  }
  auto status = stores.atomically([&]() -> Status {
    // One overlay for the whole batch: a later stanza of the same sender
    // decrypts on the state an earlier one advanced, and it all lands at once.
    signal::StateTransaction state(stores.signal());
    pending_.clear();
    settled_.clear();
    Prefetched prefetched = WACRM_TRY(prefetch(stanzas, addressing, stores, state));
    for (std::size_t i = 0; i < stanzas.size(); ++i) {
      results[i] = HandleResult{};
      if (!addressing[i]) {
        // Unreadable addresses: refuse it, or the server sends it forever.
        results[i].send.push_back(nack(stanzas[i], kNackParse));
        continue;
      }
      WACRM_TRY(process(stanzas[i], *addressing[i], stores, state, prefetched, results[i]));
    }
    WACRM_TRY(flush_pending(stores));
    WACRM_TRY(state.flush_to(stores.signal()));
    return commit_point();
  });
  pending_.clear();
  if (!status)
    for (std::size_t i = 0; i < stanzas.size(); ++i) {
      results[i] = HandleResult{};
      if (addressing[i]) results[i].error = status.error();
      else results[i].send.push_back(nack(stanzas[i], kNackParse));  // refused without the database
    }
  return results;
}

Result<MessageHandler::Prefetched> MessageHandler::prefetch(
    std::span<const wire::Node> stanzas, const std::vector<std::optional<MessageAddressing>>& addressing,
    MessageStores& stores, signal::StateTransaction& state) {
  Prefetched out;
  if (stanzas.size() < 2) return out;  // one stanza: its own look-ups cost the same
  std::vector<store::MessageKey> keys;
  std::vector<store::SessionAddress> senders;
  std::set<store::LidPair> pairs;
  for (std::size_t i = 0; i < stanzas.size(); ++i) {
    if (!addressing[i]) continue;
    const MessageAddressing& a = *addressing[i];
    const MessagePeople people = WACRM_TRY(resolve_people(a, config_.own, stores.messages(), config_.account_id));
    for (const auto* person : {&people.sender, &people.chat_person})
      if (*person)
        if (auto pair = store::lid_pair_of(**person)) pairs.insert(std::move(*pair));
    keys.push_back({people.chat_jid, a.id, people.sender_jid});
    if (a.signal_address && stanzas[i].child("enc"))
      senders.push_back({a.signal_address->name, a.signal_address->device});
  }
  auto found = WACRM_TRY(stores.messages().find_many(config_.account_id, keys));
  for (std::size_t k = 0; k < keys.size(); ++k)
    out.existing.emplace(std::tuple(keys[k].chat_jid, keys[k].wa_id, keys[k].sender_jid), found[k]);
  WACRM_TRY(state.preload_sessions(senders));
  const std::vector<store::LidPair> asked(pairs.begin(), pairs.end());
  for (auto& pair : WACRM_TRY(stores.messages().settled_pairs(config_.account_id, asked))) settled_.insert(std::move(pair));
  return out;
}

Status MessageHandler::process(const wire::Node& stanza, const MessageAddressing& a, MessageStores& stores,
                               signal::StateTransaction& state, Prefetched& prefetched, HandleResult& out) {
  store::MessageRepository& repository = stores.messages();
  const MessagePeople people = WACRM_TRY(resolve_people(a, config_.own, repository, config_.account_id));
  const RecordContext ctx{config_.account_id, a, people, sent_time(a)};

  // A redelivery of what we committed (crash or lost connection before the
  // ack): decrypting again would fail, the ratchet has moved. Receipt again.
  std::optional<store::ExistingMessage> existing;
  if (auto hit = prefetched.existing.extract(std::tuple(people.chat_jid, a.id, people.sender_jid)); !hit.empty()) {
    existing = std::move(hit.mapped());
  } else {
    WACRM_TRY(flush_pending(stores));  // an earlier stanza of this batch may hold the key
    existing = WACRM_TRY(repository.find(config_.account_id, people.chat_jid, a.id, people.sender_jid));
  }
  if (existing && !existing->placeholder) {
    out.send = {delivery_receipt(stanza, delivery_receipt_type(a, config_.available)), ack_for(stanza)};
    MessageEvent e{MessageEvent::Type::redelivered, people.chat_jid, {a.id}, people.sender_jid, a.from_me};
    e.message_id = existing->id;
    out.events.push_back(std::move(e));
    return {};
  }
  if (stanza.children("enc").empty()) return process_without_enc(stanza, ctx, stores, out);

  Decryption d;
  d.existing = existing;
  WACRM_TRY(decrypt_all(stanza, a, state, d));

  if (d.content) {
    WACRM_TRY(store_content(stanza, ctx, stores, d.content->content, d.content->raw, out));
  } else if (d.failure) {
    WACRM_TRY(store_failure(stanza, ctx, stores, d, out));
  } else {
    // A sender key alone, or every counter used already (committed before).
    out.send = {delivery_receipt(stanza, delivery_receipt_type(a, config_.available)), ack_for(stanza)};
    if (d.duplicate && !d.decrypted)
      out.events.push_back(MessageEvent{MessageEvent::Type::redelivered, people.chat_jid, {a.id}, people.sender_jid,
                                        a.from_me});
  }
  return {};
}

Status MessageHandler::decrypt_all(const wire::Node& stanza, const MessageAddressing& a, store::SignalStore& state,
                                   Decryption& d) {
  signal::Protocol protocol(context_, state);
  const signal::Address& sender = *a.signal_address;
  const std::string group = a.chat.to_string();
  for (const wire::Node* enc : stanza.children("enc")) {
    d.resend_count = std::max(d.resend_count, count_attr(*enc));
    auto type = enc_type(enc->attr_or("type"));
    if (!type) continue;
    if (*type != MessageType::skmsg) d.has_pairwise = true;
    const Bytes* ciphertext = enc->bytes();
    if (!ciphertext) {
      d.failure = SignalErrc::invalid_message;
      d.failed_type = type;
      d.reason = "invalid message: <enc> without ciphertext";
      break;
    }
    signal::SignalResult<Bytes> plain =
        *type == MessageType::pkmsg ? protocol.decrypt_pkmsg(sender, *ciphertext)
        : *type == MessageType::msg ? protocol.decrypt_msg(sender, *ciphertext)
                                    : protocol.decrypt_skmsg(group, sender, *ciphertext);
    if (!plain) {
      const SignalErrc kind = plain.error().kind;
      if (is_transient(kind)) return std::unexpected(plain.error().error);
      if (kind == SignalErrc::duplicate_message) {
        d.duplicate = true;  // committed before; whatsmeow skips such an <enc> too
        continue;
      }
      d.failure = kind;
      d.failed_type = type;
      d.reason = plain.error().error.message;
      break;
    }

    // v="3" payloads are not padded Message protobufs (Meta's newer
    // application format): kept as they are, kind 'other'.
    if (enc->attr_or("v") == "3") {
      d.decrypted = true;
      if (!d.content) d.content = Decryption::Readable{MessageContent{}, std::move(*plain)};
      continue;
    }
    auto unpadded = signal::strip_padding(*plain);
    if (!unpadded) {
      d.failure = unpadded.error().kind;
      d.failed_type = type;
      d.reason = unpadded.error().error.message;
      break;
    }
    Message message;
    if (!message.ParseFromArray(unpadded->data(), static_cast<int>(unpadded->size()))) {
      d.failure = SignalErrc::invalid_message;
      d.failed_type = type;
      d.invalid_protobuf = true;
      d.reason = "the decrypted bytes are not a Message protobuf";
      break;
    }
    d.decrypted = true;
    // A group sender key, before the skmsg of this stanza that needs it.
    if (const SenderKeyDistributionMessage* skdm = sender_key_of(message);
        skdm && a.is_group_like() && skdm->has_axolotl_sender_key_distribution_message()) {
      auto processed =
          protocol.process_sender_key_distribution(group, sender, as_bytes(skdm->axolotl_sender_key_distribution_message()));
      // A bad key is the sender's problem (its skmsg will ask for a retry);
      // only a database failure stops us.
      if (!processed && is_transient(processed.error().kind)) return std::unexpected(processed.error().error);
    }
    MessageContent content = WACRM_TRY(extract_content(message));
    if (!d.content && !is_bookkeeping(content))
      d.content = Decryption::Readable{std::move(content), std::move(*unpadded)};
  }
  return {};
}

Status MessageHandler::process_without_enc(const wire::Node& stanza, const RecordContext& ctx,
                                           MessageStores& stores, HandleResult& out) {
  if (const wire::Node* plaintext = stanza.child("plaintext"); plaintext && plaintext->bytes()) {
    // Channels: a Message protobuf, neither encrypted nor padded.
    const Bytes& raw = *plaintext->bytes();
    Message message;
    if (!message.ParseFromArray(raw.data(), static_cast<int>(raw.size()))) {
      out.send = {nack(stanza, kNackInvalidProtobuf)};
      return {};
    }
    MessageContent content = WACRM_TRY(extract_content(message));
    WACRM_TRY(store_content(stanza, ctx, stores, content, raw, out));
    out.send = {ack_for(stanza)};
    return {};
  }
  if (const wire::Node* unavailable = stanza.child("unavailable")) {
    // The message exists but was not sent to this device (notes §1.8).
    std::string reason = "unavailable";
    if (auto type = unavailable->attr("type"); type && !type->empty()) reason += ": " + std::string(*type);
    auto record = placeholder_record(ctx, std::move(reason), 0);
    auto stored = WACRM_TRY(store_now(record, stores));
    out.send = {unavailable_ack(stanza, config_.own.pn)};
    out.events.push_back(event_for(MessageEvent::Type::placeholder, record, stored.message_id, SystemKind::none));
    return {};
  }
  // Nothing we can read: acknowledged, so it is not sent forever.
  out.send = {ack_for(stanza)};
  return {};
}

Status MessageHandler::store_content(const wire::Node& stanza, const RecordContext& ctx, MessageStores& stores,
                                     const MessageContent& content, ByteView raw, HandleResult& out) {
  const MessageAddressing& a = ctx.addressing;
  std::optional<store::TargetRef> target;
  if (content.target) {
    TargetAuthor author = target_author(a, *content.target, config_.own);
    target = store::TargetRef{content.target->id, author.ours, std::nullopt};
    if (author.jid) target->sender_jid = WACRM_TRY(canonical_user(*author.jid, stores.messages(), config_.account_id));
  }
  out.send = {delivery_receipt(stanza, delivery_receipt_type(a, config_.available)), ack_for(stanza)};
  return store_or_defer(content_record(ctx, content, raw, std::move(target)), stores, out, content.system);
}

Status MessageHandler::store_or_defer(store::NewMessage record, MessageStores& stores, HandleResult& out,
                                      SystemKind system) {
  // Named by phone number and LID (sender_lid, participant_pn...): together
  // with the others only if that pair is on record already, as it is after
  // the person's first such message.
  if (!store::acts_alone(record) && store::names_unrecorded_pair(record))
    record.pairs_recorded = WACRM_TRY(pairs_on_record(record, stores));
  if (store::can_store_together(record)) {
    out.events.push_back(event_for(MessageEvent::Type::stored, record, 0, system));
    pending_.push_back(PendingStore{std::move(record), &out, out.events.size() - 1});
    return {};
  }
  auto stored = WACRM_TRY(store_now(record, stores));
  const auto type = stored.outcome == store::StoreOutcome::already_stored ? MessageEvent::Type::redelivered
                                                                          : MessageEvent::Type::stored;
  out.events.push_back(event_for(type, record, stored.message_id, system));
  return {};
}

Result<bool> MessageHandler::pairs_on_record(const store::NewMessage& record, MessageStores& stores) {
  std::vector<store::LidPair> unknown;
  for (auto& pair : store::lid_pairs_of(record))
    if (!settled_.contains(pair)) unknown.push_back(std::move(pair));
  if (unknown.empty()) return true;
  for (auto& pair : WACRM_TRY(stores.messages().settled_pairs(config_.account_id, unknown)))
    settled_.insert(std::move(pair));
  return std::all_of(unknown.begin(), unknown.end(), [&](const store::LidPair& p) { return settled_.contains(p); });
}

Result<store::StoreResult> MessageHandler::store_now(const store::NewMessage& record, MessageStores& stores) {
  WACRM_TRY(flush_pending(stores));
  auto stored = WACRM_TRY(stores.messages().store(record));
  // Recording a pair can move a LID between rows and fold rows together.
  if (store::names_unrecorded_pair(record)) settled_.clear();
  return stored;
}

Status MessageHandler::flush_pending(MessageStores& stores) {
  if (pending_.empty()) return {};
  std::vector<store::NewMessage> records;
  records.reserve(pending_.size());
  for (auto& p : pending_) records.push_back(std::move(p.record));
  auto stored = WACRM_TRY(stores.messages().store_many(records));
  for (std::size_t k = 0; k < pending_.size() && k < stored.size(); ++k) {
    MessageEvent& e = pending_[k].out->events[pending_[k].event];
    if (stored[k].outcome == store::StoreOutcome::already_stored) e.type = MessageEvent::Type::redelivered;
    e.message_id = stored[k].message_id;
  }
  pending_.clear();
  return {};
}

Status MessageHandler::store_failure(const wire::Node& stanza, const RecordContext& ctx, MessageStores& stores,
                                     const Decryption& d, HandleResult& out) {
  const bool retry = !d.invalid_protobuf && signal::needs_retry_receipt(*d.failure);
  std::string reason = std::string(signal::signal_errc_name(*d.failure)) + ": " + d.reason;
  if (!retry) {
    // Broken content the sender cannot fix by re-sending: kept as a
    // placeholder, refused as invalid.
    auto record = placeholder_record(ctx, std::move(reason), d.existing ? d.existing->decrypt_retries : 0);
    auto stored = WACRM_TRY(store_now(record, stores));
    out.send = {nack(stanza, kNackInvalidProtobuf)};
    out.events.push_back(event_for(MessageEvent::Type::placeholder, record, stored.message_id, SystemKind::none));
    return {};
  }

  // The retry number: one more than we asked before, or than the sender's
  // re-sent copy says (we may have lost count in a crash).
  const int count = std::max((d.existing ? d.existing->decrypt_retries : 0) + 1, d.resend_count + 1);
  const bool give_up = count >= kRetryReceiptLimit;
  if (give_up) reason += " (gave up after " + std::to_string(count - 1) + " retry receipts)";
  auto record = placeholder_record(ctx, std::move(reason), give_up ? count - 1 : count);
  auto stored = WACRM_TRY(store_now(record, stores));
  out.events.push_back(event_for(MessageEvent::Type::placeholder, record, stored.message_id, SystemKind::none));
  if (give_up) {
    out.send = {ack_for(stanza)};
    return {};
  }
  // Keys from the second try on, and at once when a group message failed for
  // want of the sender key (the sender then sends it again; whatsmeow).
  const bool missing_sender_key =
      d.failed_type == MessageType::skmsg && *d.failure == SignalErrc::no_session && !d.has_pairwise;
  std::optional<RetryKeys> keys;
  if (count > 1 || missing_sender_key) keys = WACRM_TRY(make_retry_keys(context_, stores));
  const auto identity = keys ? keys->identity : WACRM_TRY(stores.signal().local_identity());
  out.send = {retry_receipt(stanza, count, identity.registration_id, keys), ack_for(stanza)};
  return {};
}

Status MessageHandler::commit_point() { return before_commit_ ? before_commit_() : Status{}; }

}  // namespace wacrm::wa
