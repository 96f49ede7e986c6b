// wasim as strict as the real server where a client addresses devices
// (issue 4, README "Strictness"), and the faults issue 5's client tests need:
// a silent connection, pre-keys running low, a refused login.
#include <optional>

#include "wa/e2e.pb.h"
#include "wasim/participant_hash.h"
#include "wasim/tests/e2e_fixture.h"

namespace wacrm::wasim::testing {
namespace {

using nlohmann::json;

wire::Jid jid_of(const std::string& text) { return *wire::Jid::parse(text); }
wire::Jid pn(const char* phone, std::uint16_t device) { return wire::Jid(phone, "s.whatsapp.net", device); }

Node text_message(const std::string& id, const std::string& to, Node::Children targets) {
  return Node("message", {{"id", id}, {"to", to + "@s.whatsapp.net"}, {"type", "text"}},
              Node::Children{Node("participants", {}, std::move(targets))});
}

Node to_node(const std::string& jid, const Node& enc) { return Node("to", {{"jid", jid}}, Node::Children{enc}); }

std::size_t pre_keys_of(WasimServer& server, const std::string& phone, std::uint16_t device) {
  json account = server.get("/v1/accounts/" + phone);
  for (const auto& companion : account["companions"])
    if (companion["device"] == device) return companion["pre_keys"].get<std::size_t>();
  return 0;
}

TEST(ParticipantHash, MatchesTheNotesVector) {
  // 02 §8.5: ["111.0:0@s.whatsapp.net","111.0:2@s.whatsapp.net","222.0:0@s.whatsapp.net"] -> 2:3mfgTp+X
  EXPECT_EQ(participant_hash({pn("222", 0), pn("111", 2), pn("111", 0)}), "2:3mfgTp+X");
  EXPECT_NE(participant_hash({pn("111", 0), pn("222", 0)}), "2:3mfgTp+X");
}

// Alice and Bob logged in, and a text Alice's client encrypted for Bob's companion.
class AddressingTest : public WasimTest {
 protected:
  void SetUp() override {
    start();
    alice_.emplace(ready_device(kAlice));
    bob_.emplace(ready_device(kBob));
    text_.set_conversation("hello");
    auto enc = alice_->client->encrypt_for(bob_->device.jid, text_);
    ASSERT_TRUE(enc) << enc.error().to_string();
    enc_ = std::move(*enc);
  }
  std::optional<Ready> alice_;
  std::optional<Ready> bob_;
  wa::Message text_;
  Node enc_;
};

TEST_F(AddressingTest, AMessageToADeviceNeverIssuedEndsTheStream) {
  auto& [alice, a] = *alice_;
  auto& b = bob_->client;
  const Node* enc = &enc_;
  // Bob's account has devices 0 and 1; device 9 was never linked.
  std::string ghost = std::string(kBob) + ":9@s.whatsapp.net";
  a->send(text_message("3EB0GHOST", kBob, {to_node(ghost, *enc)}));
  auto error = a->next_tag("stream:error");
  ASSERT_TRUE(error);
  EXPECT_TRUE(error->child("xml-not-well-formed"));
  EXPECT_TRUE(a->wait_closed());
  EXPECT_FALSE(server_->wait_event("type=stanza_rejected").is_null());
  EXPECT_FALSE(b->next([](const Node& n) { return n.tag == "message"; }, 500ms));

  // A device of an account that does not exist, inside a message to Bob.
  auto again = login_ready(alice);
  again->send(text_message("3EB0NOONE", kBob, {to_node("19999999999:0@s.whatsapp.net", *enc)}));
  error = again->next_tag("stream:error");
  ASSERT_TRUE(error);
  EXPECT_TRUE(error->child("xml-not-well-formed"));

  // An address that is no JID at all.
  auto third = login_ready(alice);
  third->send(text_message("3EB0BADJID", kBob, {Node("to", {{"jid", "not a jid"}}, Node::Children{*enc})}));
  error = third->next_tag("stream:error");
  ASSERT_TRUE(error);
  EXPECT_TRUE(error->child("xml-not-well-formed"));
  EXPECT_TRUE(server_->running());
}

TEST_F(AddressingTest, AnUnlinkedDeviceIsSkippedAndThePhashTellsTheSender) {
  auto& [alice, a] = *alice_;
  auto& [bob, b] = *bob_;
  const Node* enc = &enc_;
  const wa::Message& text = text_;
  // What Alice's client computes over the devices it knows (usync): Bob 0 and
  // 1, Alice 0 and her own device.
  std::vector<wire::Jid> known{pn(kBob, 0), jid_of(bob.jid), pn(kAlice, 0), jid_of(alice.jid)};

  a->send(text_message("3EB0FRESH", kBob, {to_node(bob.jid, *enc)}));
  auto ack = a->next([](const Node& n) { return n.tag == "ack" && n.attr_or("id") == "3EB0FRESH"; });
  ASSERT_TRUE(ack);
  EXPECT_EQ(ack->attr_or("phash"), participant_hash(known));
  ASSERT_TRUE(b->next([](const Node& n) { return n.tag == "message" && n.attr_or("id") == "3EB0FRESH"; }));

  // Bob's phone unlinks that device; Alice's cached list still has it.
  server_->post("/v1/unlink", {{"jid", bob.jid}});
  auto seq = server_->last_seq();
  auto second = a->encrypt_for(bob.jid, text);  // the session exists: a plain msg
  ASSERT_TRUE(second) << second.error().to_string();
  a->send(text_message("3EB0STALE", kBob, {to_node(bob.jid, *second)}));
  ack = a->next([](const Node& n) { return n.tag == "ack" && n.attr_or("id") == "3EB0STALE"; });
  ASSERT_TRUE(ack) << "a stale device must not end the stream";
  EXPECT_FALSE(ack->attr("error"));
  std::vector<wire::Jid> now{pn(kBob, 0), pn(kAlice, 0), jid_of(alice.jid)};
  EXPECT_EQ(ack->attr_or("phash"), participant_hash(now));
  EXPECT_NE(ack->attr_or("phash"), participant_hash(known));
  auto sent = server_->wait_event("type=message_sent&id=3EB0STALE", seq);
  ASSERT_FALSE(sent.is_null());
  EXPECT_EQ(sent["data"]["skipped"], json::array({bob.jid}));
  EXPECT_TRUE(sent["data"]["targets"].empty());
  EXPECT_FALSE(a->closed());
}

TEST_F(WasimTest, PreKeysLowDrainsTheServersKeysAndTellsTheClient) {
  start();
  auto [alice, a] = ready_device(kAlice);
  auto answer = server_->post("/v1/prekeys_low", {{"jid", alice.jid}, {"count", 2}});
  EXPECT_EQ(answer["count"], 2);
  EXPECT_EQ(answer["notified"], true);
  auto notification = a->next([](const Node& n) { return n.tag == "notification"; });
  ASSERT_TRUE(notification);
  EXPECT_EQ(notification->attr_or("type"), "encrypt");
  EXPECT_EQ(notification->attr_or("from"), "@s.whatsapp.net");
  EXPECT_FALSE(notification->attr_or("id").empty());
  ASSERT_TRUE(notification->child("count"));
  EXPECT_EQ(notification->child("count")->attr_or("value"), "2");
  EXPECT_EQ(pre_keys_of(*server_, kAlice, alice.device), 2u);
  // The client tops up; the server counts the new keys.
  ASSERT_TRUE(a->query(a->pre_key_upload(100, 30)));
  EXPECT_EQ(pre_keys_of(*server_, kAlice, alice.device), 32u);

  // Bundle fetches that take the count below 5 tell the client on their own.
  server_->post("/v1/prekeys_low", {{"jid", alice.jid}, {"count", 5}});
  ASSERT_TRUE(a->next([](const Node& n) { return n.tag == "notification"; }));
  auto [bob, b] = ready_device(kBob);
  auto seq = server_->last_seq();
  ASSERT_TRUE(b->fetch_bundle(alice.jid));
  auto automatic = a->next([](const Node& n) { return n.tag == "notification"; });
  ASSERT_TRUE(automatic);
  EXPECT_EQ(automatic->child("count")->attr_or("value"), "4");
  EXPECT_FALSE(server_->wait_event("type=prekeys_low&automatic=true", seq).is_null());
  EXPECT_EQ(server_->admin().post("/v1/prekeys_low", {{"jid", std::string(kAlice) + ":7@s.whatsapp.net"}})->status, 404);
}

TEST_F(WasimTest, ASilencedConnectionStaysOpenAndAnswersNothing) {
  start();
  auto [alice, a] = ready_device(kAlice);
  EXPECT_EQ(server_->post("/v1/silence", {{"jid", alice.jid}})["silenced"], 1);
  EXPECT_FALSE(server_->wait_event("type=silenced").is_null());
  auto ping = a->query(make_iq(a->next_id(), "get", "w:p"), 1500ms);
  EXPECT_FALSE(ping) << "a silenced connection answered a ping";
  EXPECT_FALSE(a->closed());
  // A simulated send to the silent device is queued, not written: it comes at the next login.
  server_->post("/v1/send", {{"from", kBob}, {"to", kAlice}, {"text", "are you there?"}});
  EXPECT_FALSE(a->next([](const Node& n) { return n.tag == "message"; }, 500ms));
  a->close();
  auto back = client(alice.keys);
  ASSERT_TRUE(back->log_in(kAlice, alice.device));
  back->send(make_iq(back->next_id(), "set", "passive", {Node("active")}));
  EXPECT_TRUE(back->next([](const Node& n) { return n.tag == "message" && n.attr_or("offline") == "1"; }));
}

TEST_F(WasimTest, AnInjectedLoginFailureRefusesTheNextLoginOnly) {
  start();
  PairedDevice alice = pair(kAlice);
  PairedDevice bob = pair(kBob);

  server_->post("/v1/fail_login", {{"reason", 402}, {"jid", alice.jid}, {"code", 101}, {"expire", 60}});
  // Another device's login is not the one armed.
  ASSERT_TRUE(client(bob.keys)->log_in(kBob, bob.device));
  auto c = client(alice.keys);
  ASSERT_TRUE(c->connect_login(kAlice, alice.device));
  auto failure = c->next_tag("failure");
  ASSERT_TRUE(failure);
  EXPECT_EQ(failure->attr_or("reason"), "402");
  EXPECT_EQ(failure->attr_or("code"), "101");
  EXPECT_EQ(failure->attr_or("expire"), "60");
  EXPECT_TRUE(c->wait_closed());
  EXPECT_FALSE(server_->wait_event("type=login_refused&failure=402").is_null());
  ASSERT_TRUE(client(alice.keys)->log_in(kAlice, alice.device)) << "the fault was for one login";

  server_->post("/v1/fail_login", {{"reason", 403}});
  auto d = client(alice.keys);
  ASSERT_TRUE(d->connect_login(kAlice, alice.device));
  failure = d->next_tag("failure");
  ASSERT_TRUE(failure);
  EXPECT_EQ(failure->attr_or("reason"), "403");
  EXPECT_FALSE(failure->attr_or("logout_message_header").empty());
  EXPECT_FALSE(failure->attr_or("logout_message_subtext").empty());

  server_->post("/v1/fail_login", {{"reason", 406}, {"times", 2}});
  for (int i = 0; i < 2; ++i) {
    auto e = client(alice.keys);
    ASSERT_TRUE(e->connect_login(kAlice, alice.device));
    failure = e->next_tag("failure");
    ASSERT_TRUE(failure);
    EXPECT_EQ(failure->attr_or("reason"), "406");
  }
  EXPECT_TRUE(server_->get("/v1/faults").empty());
  EXPECT_EQ(server_->admin().post("/v1/fail_login", {{"reason", 999}})->status, 400);
}

}  // namespace
}  // namespace wacrm::wasim::testing
