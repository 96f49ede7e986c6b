// Groups through the real wasim binary with two raw clients: the server's w:gp2
// <create> notification, the group queries a client makes, and a client's own
// group send (SKDM in <participants>, one skmsg) relayed to the other member.
#include "signal/padding.h"
#include "wa/e2e.pb.h"
#include "wasim/simulated_phone.h"
#include "wasim/stanzas.h"
#include "wasim/tests/e2e_fixture.h"

namespace wacrm::wasim::testing {
namespace {

const std::string kGroupId = "120363000000000099";
const std::string kGroup = kGroupId + "@g.us";

std::string text_of(const Bytes& bytes) { return std::string(bytes.begin(), bytes.end()); }

TEST_F(WasimTest, GroupsAreAnnouncedAnsweredAndRelayedBetweenClients) {
  start();
  auto [alice, a] = ready_device(kAlice);
  auto [bob, b] = ready_device(kBob);
  auto made = server_->post("/v1/groups", {{"id", kGroupId}, {"subject", "Book club"}, {"creator", kAlice},
                                           {"participants", {kBob}}});
  ASSERT_EQ(made.value("jid", ""), kGroup) << made.dump();

  // Each member's companion is told as the server tells it.
  auto created = b->next([](const Node& n) { return n.tag == "notification" && n.attr_or("type") == "w:gp2"; });
  ASSERT_TRUE(created);
  EXPECT_EQ(created->attr_or("from"), kGroup);
  ASSERT_TRUE(created->child("create") && created->child("create")->child("group"));
  EXPECT_EQ(created->child("create")->child("group")->attr_or("subject"), "Book club");
  auto seq = server_->last_seq();
  b->send(Node("ack", {{"id", std::string(created->attr_or("id"))}, {"to", kGroup}, {"class", "notification"},
                       {"type", "w:gp2"}}));
  EXPECT_FALSE(server_->wait_event("type=confirmed&by=notification&jid=" + bob.jid, seq).is_null());

  // The queries: the groups Bob is in, and one group's metadata.
  Node participating("participating", {}, Node::Children{Node("participants"), Node("description")});
  auto groups = b->query(make_iq(b->next_id(), "get", "w:g2", {participating}));
  ASSERT_TRUE(groups);
  ASSERT_TRUE(groups->child("groups"));
  ASSERT_EQ(groups->child("groups")->children("group").size(), 1u);
  EXPECT_EQ(groups->child("groups")->children("group")[0]->attr_or("id"), kGroupId);
  Node metadata_iq = make_iq(b->next_id(), "get", "w:g2", {Node("query", {{"request", "interactive"}})});
  metadata_iq.set_attr("to", kGroup);
  auto metadata = b->query(metadata_iq);
  ASSERT_TRUE(metadata);
  EXPECT_EQ(metadata->attr_or("type"), "result");
  EXPECT_EQ(metadata->attr_or("from"), kGroup);
  ASSERT_TRUE(metadata->child("group"));
  EXPECT_EQ(metadata->child("group")->attr_or("subject"), "Book club");
  EXPECT_EQ(metadata->child("group")->children("participant").size(), 2u);
  Node stranger_iq = make_iq(b->next_id(), "get", "w:g2", {Node("query", {{"request", "interactive"}})});
  stranger_iq.set_attr("to", "120363000000000098@g.us");
  auto stranger = b->query(stranger_iq);
  ASSERT_TRUE(stranger);
  EXPECT_EQ(stranger->attr_or("type"), "error");

  // Alice's companion sends as a client does: her sender key to Bob's device, the text once as skmsg.
  auto own = signal::signal_address_for(kAlice, "s.whatsapp.net", alice.device);
  ASSERT_TRUE(own);
  auto skdm = a->protocol().create_own_sender_key(kGroup, *own);
  ASSERT_TRUE(skdm);
  wa::Message distribution;
  distribution.mutable_sender_key_distribution_message()->set_group_id(kGroup);
  distribution.mutable_sender_key_distribution_message()->set_axolotl_sender_key_distribution_message(skdm->data(),
                                                                                                      skdm->size());
  auto key_enc = a->encrypt_for(bob.jid, distribution);
  ASSERT_TRUE(key_enc) << key_enc.error().to_string();
  wa::Message text;
  text.set_conversation("Hello club");
  auto padded = signal::add_padding(as_bytes(text.SerializeAsString()));
  ASSERT_TRUE(padded);
  auto skmsg = a->protocol().group_encrypt(kGroup, *own, *padded);
  ASSERT_TRUE(skmsg);
  const std::string id = "3EB0GROUP000000000001";
  a->send(Node("message", {{"id", id}, {"to", kGroup}, {"type", "text"}},
               Node::Children{Node("participants", {}, Node::Children{Node("to", {{"jid", bob.jid}}, Node::Children{*key_enc})}),
                              Node("enc", {{"v", "2"}, {"type", "skmsg"}}, *skmsg)}));
  auto server_ack = a->next([&](const Node& n) { return n.tag == "ack" && n.attr_or("id") == id; });
  ASSERT_TRUE(server_ack);
  EXPECT_FALSE(server_ack->attr("error"));
  EXPECT_TRUE(server_ack->attr_or("phash").starts_with("2:"));

  auto received = b->next([&](const Node& n) { return n.tag == "message" && n.attr_or("id") == id; });
  ASSERT_TRUE(received);
  EXPECT_EQ(received->attr_or("from"), kGroup);
  EXPECT_EQ(received->attr_or("participant"), alice.jid);
  auto encs = received->children("enc");
  ASSERT_EQ(encs.size(), 2u);
  EXPECT_EQ(encs[0]->attr_or("type"), "pkmsg");
  EXPECT_EQ(encs[1]->attr_or("type"), "skmsg");
  auto key = b->protocol().decrypt_pkmsg(*own, *encs[0]->bytes());
  ASSERT_TRUE(key);
  wa::Message key_message;
  ASSERT_TRUE(key_message.ParseFromString(text_of(*signal::strip_padding(*key))));
  ASSERT_TRUE(b->protocol().process_sender_key_distribution(
      kGroup, *own, as_bytes(key_message.sender_key_distribution_message().axolotl_sender_key_distribution_message())));
  auto plain = b->protocol().decrypt_skmsg(kGroup, *own, *encs[1]->bytes());
  ASSERT_TRUE(plain);
  wa::Message content;
  ASSERT_TRUE(content.ParseFromString(text_of(*signal::strip_padding(*plain))));
  EXPECT_EQ(content.conversation(), "Hello club");

  // Someone outside the group is refused in the ack.
  ASSERT_TRUE(server_->post("/v1/accounts", {{"phone", "15550003333"}, {"push_name", "Carol"}}).is_object());
  auto [carol, c] = ready_device("15550003333");
  c->send(Node("message", {{"id", "3EB0NOTAMEMBER"}, {"to", kGroup}, {"type", "text"}},
               Node::Children{Node("enc", {{"v", "2"}, {"type", "skmsg"}}, *skmsg)}));
  auto refused = c->next([](const Node& n) { return n.tag == "ack" && n.attr_or("id") == "3EB0NOTAMEMBER"; });
  ASSERT_TRUE(refused);
  EXPECT_EQ(refused->attr_or("error"), "403");
}

}  // namespace
}  // namespace wacrm::wasim::testing
