// Messages: simulated people sending, the offline queue, relaying between two
// real clients with receipts and acks (02 §3, §8; 03 §5 (f)(g)).
#include "signal/padding.h"
#include "wa/e2e.pb.h"
#include "wasim/simulated_phone.h"
#include "wasim/stanzas.h"
#include "wasim/tests/e2e_fixture.h"

namespace wacrm::wasim::testing {
namespace {

using nlohmann::json;

bool is_message_from(const Node& n, const std::string& phone) {
  return n.tag == "message" && n.attr_or("from").starts_with(phone) && n.attr_or("category") != "peer";
}

TEST_F(WasimTest, ASimulatedPersonsTextIsDecryptedByTheClient) {
  start();
  auto [alice, c] = ready_device(kAlice);

  auto sent = server_->post("/v1/send", {{"from", kBob}, {"to", kAlice}, {"text", "Hello from Bob"}});
  ASSERT_EQ(sent["devices"].size(), 1u);
  EXPECT_EQ(sent["devices"][0]["jid"], alice.jid);
  EXPECT_EQ(sent["devices"][0]["type"], "pkmsg");
  auto message = c->next([](const Node& n) { return is_message_from(n, kBob); });
  ASSERT_TRUE(message);
  EXPECT_EQ(message->attr_or("id"), sent["id"].get<std::string>());
  EXPECT_EQ(message->attr_or("notify"), "Bob");
  EXPECT_EQ(message->attr_or("to"), alice.jid);
  EXPECT_FALSE(message->attr("offline"));
  auto content = c->decrypt_message(*message);
  ASSERT_TRUE(content) << content.error().to_string();
  EXPECT_EQ(content->conversation(), "Hello from Bob");

  // The second message rides the same session (msg, not pkmsg).
  auto second = server_->post("/v1/send", {{"from", kBob}, {"to", kAlice},
                                           {"message", {{"extendedTextMessage", {{"text", "with a link https://example.org"}}}}}});
  auto m2 = c->next([](const Node& n) { return is_message_from(n, kBob); });
  ASSERT_TRUE(m2);
  auto content2 = c->decrypt_message(*m2);
  ASSERT_TRUE(content2) << content2.error().to_string();
  EXPECT_EQ(content2->extended_text_message().text(), "with a link https://example.org");

  // Confirm the first by receipt, the second by ack; both leave the queue.
  auto seq = server_->last_seq();
  c->send(Node("receipt", {{"id", sent["id"].get<std::string>()}, {"to", std::string(message->attr_or("from"))}}));
  c->send(Node("ack", {{"id", second["id"].get<std::string>()}, {"to", std::string(m2->attr_or("from"))}, {"class", "message"}}));
  EXPECT_FALSE(server_->wait_event("type=confirmed&id=" + sent["id"].get<std::string>(), seq).is_null());
  EXPECT_FALSE(server_->wait_event("type=confirmed&id=" + second["id"].get<std::string>(), seq).is_null());
  EXPECT_FALSE(server_->wait_event("type=receipt&jid=" + alice.jid, seq).is_null());
}

TEST_F(WasimTest, QueuedMessagesAreRedeliveredUntilConfirmedThenNeverAgain) {
  start();
  PairedDevice alice = pair(kAlice);
  {
    auto c = login_ready(alice);
    settle_first_login(*c);
  }
  auto sent = server_->post("/v1/send", {{"from", kBob}, {"to", kAlice}, {"text", "while you were away"}});
  EXPECT_EQ(sent["devices"][0]["queued"], true);
  std::string id = sent["id"];

  // First login after the send: delivered offline, not confirmed.
  {
    auto c = login_ready(alice);
    auto message = c->next([](const Node& n) { return is_message_from(n, kBob); });
    ASSERT_TRUE(message);
    EXPECT_EQ(message->attr_or("offline"), "1");
    auto ib = c->next_tag("ib");
    ASSERT_TRUE(ib);
    EXPECT_EQ(ib->child("offline")->attr_or("count"), "1");
    ASSERT_TRUE(c->decrypt_message(*message));
  }
  // Not confirmed: it comes again.
  auto c = login_ready(alice);
  auto again = c->next([](const Node& n) { return is_message_from(n, kBob); });
  ASSERT_TRUE(again);
  EXPECT_EQ(again->attr_or("id"), id);
  EXPECT_EQ(again->attr_or("offline"), "1");
  c->send(Node("receipt", {{"id", id}, {"to", std::string(again->attr_or("from"))}, {"type", "inactive"}}));
  ASSERT_FALSE(server_->wait_event("type=confirmed&id=" + id).is_null());
  c->close();
  // Confirmed: the next login gets nothing.
  auto d = login_ready(alice);
  auto ib = d->next_tag("ib");
  ASSERT_TRUE(ib);
  EXPECT_EQ(ib->child("offline")->attr_or("count"), "0");
  for (const auto& node : d->inbox()) EXPECT_FALSE(is_message_from(node, kBob));
}

TEST_F(WasimTest, TwoClientsTalkThroughTheRelay) {
  start();
  auto [alice, a] = ready_device(kAlice);
  auto [bob, b] = ready_device(kBob);

  // Alice asks for Bob's devices (and LIDs) as Baileys 7 does.
  Node usync("usync", {{"sid", a->next_id()}, {"mode", "query"}, {"last", "true"}, {"index", "0"}, {"context", "message"}},
             Node::Children{Node("query", {}, Node::Children{Node("devices", {{"version", "2"}}), Node("lid")}),
                            Node("list", {}, Node::Children{Node("user", {{"jid", std::string(kBob) + "@s.whatsapp.net"}}),
                                                           Node("user", {{"jid", "19999999999@s.whatsapp.net"}})})});
  auto devices = a->query(make_iq(a->next_id(), "get", "usync", {usync}));
  ASSERT_TRUE(devices);
  const Node* list = devices->child("usync")->child("list");
  ASSERT_EQ(list->children("user").size(), 2u);
  const Node* bob_user = list->children("user")[0];
  auto device_list = bob_user->child("devices")->child("device-list")->children("device");
  ASSERT_EQ(device_list.size(), 2u);
  EXPECT_EQ(device_list[0]->attr_or("id"), "0");  // device 0 listed (03 §10.0 trap 2)
  EXPECT_EQ(device_list[1]->attr_or("id"), std::to_string(bob.device));
  EXPECT_FALSE(device_list[1]->attr_or("key-index").empty());
  EXPECT_NE(bob_user->child("lid")->attr_or("val").find("@lid"), std::string::npos);
  EXPECT_TRUE(list->children("user")[1]->child("devices")->child("device-list")->child_nodes().empty());

  // An unknown number gets 404; Bob's companion a bundle, a session and the text.
  auto unknown = a->fetch_bundle("19999999999@s.whatsapp.net");
  ASSERT_FALSE(unknown);
  EXPECT_EQ(unknown.error().message, "error 404");
  wa::Message text;
  text.set_conversation("Hi Bob, it's Alice");
  auto enc = a->encrypt_for(bob.jid, text);
  ASSERT_TRUE(enc) << enc.error().to_string();
  EXPECT_EQ(enc->attr_or("type"), "pkmsg");
  std::string id = "3EB0ALICE0000000000001";
  Node message("message", {{"id", id}, {"to", std::string(kBob) + "@s.whatsapp.net"}, {"type", "text"}},
               Node::Children{Node("participants", {}, Node::Children{Node("to", {{"jid", bob.jid}}, Node::Children{*enc})})});
  a->send(message);
  auto server_ack = a->next([&](const Node& n) { return n.tag == "ack" && n.attr_or("id") == id; });
  ASSERT_TRUE(server_ack);
  EXPECT_EQ(server_ack->attr_or("class"), "message");
  EXPECT_FALSE(server_ack->attr("error"));

  auto received = b->next([&](const Node& n) { return n.tag == "message" && n.attr_or("id") == id; });
  ASSERT_TRUE(received);
  EXPECT_EQ(received->attr_or("from"), alice.jid);
  EXPECT_EQ(received->attr_or("notify"), "Alice");
  auto content = b->decrypt_message(*received);
  ASSERT_TRUE(content) << content.error().to_string();
  EXPECT_EQ(content->conversation(), "Hi Bob, it's Alice");

  // Bob's delivery receipt reaches Alice's device; her ack confirms it.
  b->send(Node("receipt", {{"id", id}, {"to", alice.jid}}));
  auto receipt = a->next([&](const Node& n) { return n.tag == "receipt" && n.attr_or("id") == id; });
  ASSERT_TRUE(receipt);
  EXPECT_EQ(receipt->attr_or("from"), bob.jid);
  auto seq = server_->last_seq();
  a->send(Node("ack", {{"id", id}, {"to", bob.jid}, {"class", "receipt"}}));
  EXPECT_FALSE(server_->wait_event("type=confirmed&by=receipt&jid=" + alice.jid, seq).is_null());

  // A message to a number that is not on WhatsApp is refused in the ack.
  a->send(Node("message", {{"id", "3EB0NOBODY"}, {"to", "19999999999@s.whatsapp.net"}, {"type", "text"}},
               Node::Children{Node("participants", {}, Node::Children{})}));
  auto refused = a->next([](const Node& n) { return n.tag == "ack" && n.attr_or("id") == "3EB0NOBODY"; });
  ASSERT_TRUE(refused);
  EXPECT_EQ(refused->attr_or("error"), "404");
}

TEST_F(WasimTest, AClientsMessageToAPhoneIsDecryptedByThatPhone) {
  start();
  auto [alice, a] = ready_device(kAlice);
  std::string to = std::string(kBob) + "@s.whatsapp.net";
  wa::Message text;
  text.set_conversation("Hello phone");
  auto enc = a->encrypt_for(to, text);
  ASSERT_TRUE(enc) << enc.error().to_string();
  a->send(Node("message", {{"id", "3EB0TOPHONE1"}, {"to", to}, {"type", "text"}},
               Node::Children{Node("participants", {}, Node::Children{Node("to", {{"jid", to}}, Node::Children{*enc})})}));
  // The server's ack comes before the phone's delivery receipt.
  auto first = a->next([](const Node& n) {
    return (n.tag == "ack" || n.tag == "receipt") && n.attr_or("id") == "3EB0TOPHONE1";
  });
  ASSERT_TRUE(first);
  EXPECT_EQ(first->tag, "ack");
  auto received = server_->wait_event("type=phone_received&id=3EB0TOPHONE1");
  ASSERT_FALSE(received.is_null());
  EXPECT_EQ(received["data"]["text"], "Hello phone");
  // The phone answers with a delivery receipt.
  auto receipt = a->next([](const Node& n) { return n.tag == "receipt" && n.attr_or("id") == "3EB0TOPHONE1"; });
  ASSERT_TRUE(receipt);
  EXPECT_EQ(receipt->attr_or("from"), to);
}

}  // namespace
}  // namespace wacrm::wasim::testing
