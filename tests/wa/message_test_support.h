// What the message tests share: our linked account on the test database
// (credentials, identity, one-time pre-keys) and "remote phones" -- devices
// with real libsignal state in memory that encrypt padded Message protobufs
// to it -- with builders for the <message> stanzas they send.
#pragma once

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "signal/bundle.h"
#include "signal/key_generation.h"
#include "signal/memory_signal_store.h"
#include "signal/padding.h"
#include "signal/protocol.h"
#include "store/pg/pg_credentials_store.h"
#include "store/pg/pg_signal_store.h"
#include "wa/credentials.h"
#include "wa/e2e.pb.h"
#include "wa/message_handler.h"

namespace wacrm::wa::testing {

inline constexpr int kOurDevice = 3;
inline const std::string kOurUser = "491700000009";
inline const std::string kOurPn = kOurUser + "@s.whatsapp.net";
inline const std::string kGroup = "120363000000000001@g.us";
inline constexpr std::int64_t kT0 = 1'700'000'000;

inline signal::Context make_context() { return signal::Context::create().value(); }

// Someone who writes to us: a device with its own Signal state in memory.
class Phone {
 public:
  Phone(signal::Context& context, std::string user, std::string server = "s.whatsapp.net", int device = 0)
      : jid_(std::move(user), std::move(server), static_cast<std::uint16_t>(device)),
        store_(signal::generate_local_identity(context).value()),
        protocol_(context, store_),
        address_(signal::signal_address_for(jid_.user(), jid_.server(), jid_.device()).value()) {}

  const wire::Jid& jid() const { return jid_; }
  std::string user_jid() const { return jid_.to_non_ad().to_string(); }
  const signal::Address& address() const { return address_; }

  void connect(const store::SignalLocalIdentity& ours, const signal::PreKey& pre_key) {
    ASSERT_TRUE(protocol_.build_session_from_bundle(our_address(), signal::bundle_for(ours, kOurDevice, pre_key)));
  }
  signal::Ciphertext encrypt(const Message& m) {
    return protocol_.encrypt(our_address(), signal::add_padding(as_bytes(m.SerializeAsString()), 5)).value();
  }
  // A sender key for the group and the pairwise Message that distributes it.
  Message sender_key_message(const std::string& group) {
    Bytes skdm = protocol_.create_own_sender_key(group, address_).value();
    Message m;
    m.mutable_sender_key_distribution_message()->set_group_id(group);
    m.mutable_sender_key_distribution_message()->set_axolotl_sender_key_distribution_message(
        std::string(skdm.begin(), skdm.end()));
    return m;
  }
  Bytes group_encrypt(const std::string& group, const Message& m) {
    return protocol_.group_encrypt(group, address_, signal::add_padding(as_bytes(m.SerializeAsString()), 9)).value();
  }

  // Takes in our answer: from then on her messages are `msg`, not `pkmsg`.
  void receive(const signal::Ciphertext& c) { ASSERT_TRUE(protocol_.decrypt_msg(our_address(), c.bytes)); }

  static signal::Address our_address() { return signal::Address{kOurUser, kOurDevice}; }

 private:
  wire::Jid jid_;
  signal::MemorySignalStore store_;
  signal::Protocol protocol_;
  signal::Address address_;
};

inline wire::Node enc(signal::MessageType type, const Bytes& bytes, std::vector<wire::Attr> extra = {}) {
  wire::Node node("enc", {{"v", "2"}, {"type", std::string(signal::message_type_name(type))}}, bytes);
  for (auto& attr : extra) node.set_attr(attr.key, attr.value);
  return node;
}
inline wire::Node enc(const signal::Ciphertext& c, std::vector<wire::Attr> extra = {}) {
  return enc(c.type, c.bytes, std::move(extra));
}

inline wire::Node stanza(const std::string& id, const std::string& from, wire::Node::Children children,
                  std::vector<wire::Attr> extra = {}, std::int64_t t = kT0) {
  wire::Node node("message", {{"from", from}, {"id", id}, {"t", std::to_string(t)}, {"type", "text"}},
                  std::move(children));
  for (auto& attr : extra) node.set_attr(attr.key, attr.value);
  return node;
}

inline Bytes serialized(const Message& m) {
  std::string bytes = m.SerializeAsString();
  return Bytes(bytes.begin(), bytes.end());
}

inline Message text(const std::string& body) {
  Message m;
  m.set_conversation(body);
  return m;
}

inline std::string attr(const wire::Node& node, std::string_view key) { return std::string(node.attr_or(key, "<none>")); }

// Our account "bob", linked as device 3 of kOurUser, with one-time
// pre-keys 1..20 stored (the next id to allocate is 21).
struct LinkedAccount {
  std::int64_t account_id = 0;
  store::SignalLocalIdentity identity;
  std::vector<signal::PreKey> pre_keys;
  MessageHandlerConfig config;
};

inline LinkedAccount link_account(signal::Context& context, store::PgConnection& conn) {
  LinkedAccount out;
  out.account_id = conn.exec("INSERT INTO accounts (name) VALUES ('bob') RETURNING id").value().int64(0, 0);
  auto credentials = generate_credentials(context).value();
  credentials.linked = store::LinkedDevice{kOurUser + ":" + std::to_string(kOurDevice) + "@s.whatsapp.net",
                                           "190000000000009:" + std::to_string(kOurDevice) + "@lid",
                                           Bytes{0x0a, 0x03, 1, 2, 3}, "android", ""};
  credentials.next_pre_key_id = 21;
  if (auto saved = store::PgCredentialsStore(conn, out.account_id).save_linked(credentials); !saved)
    throw std::runtime_error(saved.error().to_string());
  out.identity = credentials.identity;
  out.pre_keys = signal::generate_pre_keys(context, 1, 20).value();
  store::PgSignalStore signal_store(conn, out.account_id);
  if (auto stored = signal::store_pre_keys(context, signal_store, out.pre_keys); !stored)
    throw std::runtime_error(stored.error().to_string());
  out.config.account_id = out.account_id;
  out.config.own.pn = wire::Jid::parse(credentials.linked->jid).value();
  out.config.own.lid = wire::Jid::parse(credentials.linked->lid).value();
  return out;
}

}  // namespace wacrm::wa::testing
