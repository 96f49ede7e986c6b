// Pairing and login against the real wasim binary (01 §6, §7; 03 §5).
#include <filesystem>
#include <future>

#include "wa/e2e.pb.h"
#include "wasim/tests/e2e_fixture.h"

namespace wacrm::wasim::testing {
namespace {

using nlohmann::json;

TEST_F(WasimTest, ReadyLineNamesPortsAndRootKey) {
  start();
  EXPECT_EQ(server_->ws_url().rfind("ws://127.0.0.1:", 0), 0u);
  EXPECT_NE(server_->ws_url().find("/ws/chat"), std::string::npos);
  EXPECT_EQ(server_->ready()["noise_root_public_key"].get<std::string>().size(), 64u);
  auto status = server_->get("/v1/status");
  EXPECT_EQ(status["accounts"], 2);
  EXPECT_EQ(status["noise_root_public_key"], server_->ready()["noise_root_public_key"]);
}

TEST_F(WasimTest, PairsLogsInSharesTheAppStateKeyAndHoldsTheOfflineMarker) {
  start();
  PairedDevice alice = pair(kAlice);
  ASSERT_NE(alice.device, 0);
  auto paired = server_->wait_event("type=paired&jid=" + alice.jid);
  ASSERT_FALSE(paired.is_null());

  auto c = login_ready(alice);
  // The phone's key share arrives (queued, so marked offline) before the offline marker.
  auto share = c->next([](const Node& n) { return n.tag == "message" && n.attr_or("category") == "peer"; });
  ASSERT_TRUE(share) << server_->log();
  EXPECT_EQ(share->attr_or("from"), std::string(kAlice) + "@s.whatsapp.net");
  EXPECT_EQ(share->attr_or("offline"), "1");
  auto message = c->decrypt_message(*share);
  ASSERT_TRUE(message) << message.error().to_string();
  ASSERT_TRUE(message->has_protocol_message());
  EXPECT_EQ(message->protocol_message().type(), wa::ProtocolMessage::APP_STATE_SYNC_KEY_SHARE);
  EXPECT_EQ(message->protocol_message().app_state_sync_key_share().keys_size(), 1);

  // No <ib><offline/> while the key share is unconfirmed (Baileys 6 trap 1).
  c->pump(300ms);
  for (const auto& node : c->inbox()) EXPECT_NE(node.tag, "ib") << "offline marker before the key share was confirmed";
  c->send(Node("receipt", {{"id", std::string(share->attr_or("id"))}, {"to", std::string(share->attr_or("from"))},
                           {"type", "peer_msg"}}));
  auto receipt_ack = c->next([](const Node& n) { return n.tag == "ack" && n.attr_or("class") == "receipt"; });
  EXPECT_TRUE(receipt_ack);
  auto ib = c->next_tag("ib");
  ASSERT_TRUE(ib);
  ASSERT_TRUE(ib->child("offline"));
  EXPECT_EQ(ib->child("offline")->attr_or("count"), "1");
  auto flushed = server_->wait_event("type=offline_flushed&jid=" + alice.jid);
  ASSERT_FALSE(flushed.is_null());
  EXPECT_GE(flushed["data"]["held_ms"].get<int>(), 100);

  auto accounts = server_->get("/v1/accounts/" + std::string(kAlice));
  ASSERT_EQ(accounts["companions"].size(), 1u);
  EXPECT_EQ(accounts["companions"][0]["jid"], alice.jid);
  EXPECT_EQ(accounts["companions"][0]["pre_keys"], 29);  // 30 uploaded, one went to the phone's key share
}

TEST_F(WasimTest, PairsWithTheBareQrFormAndDictionaryTwo) {
  start();
  ClientOptions baileys6{2, 1019707846};
  PairedDevice bob{DeviceKeys::generate(context()), kBob, "", 0};
  auto c = client(bob.keys, baileys6);
  std::string ref = register_client(*c);
  ASSERT_FALSE(ref.empty());
  auto scan = scan_async(kBob, c->qr_string(ref, false));
  auto success = c->next([](const Node& n) { return n.tag == "iq" && n.child("pair-success"); });
  ASSERT_TRUE(success);
  const Node* biz = success->child("pair-success")->child("biz");
  ASSERT_TRUE(biz);  // Bob's account is a business in the scenario
  EXPECT_EQ(biz->attr_or("name"), "Bob's Bikes");
  EXPECT_NE(success->child("pair-success")->child("device")->attr_or("lid").find("@lid"), std::string::npos);
  auto reply = c->sign_pairing(*success);
  ASSERT_TRUE(reply.refusal.empty()) << reply.refusal;
  c->send(reply.reply);
  auto answer = scan.get();
  ASSERT_TRUE(answer && answer->ok()) << (answer ? answer->body.dump() : "");
  EXPECT_EQ(answer->body["result"], "paired");
  auto event = server_->wait_event("type=registration_started");
  EXPECT_EQ(event["data"]["dict_version"], 2);
}

TEST_F(WasimTest, BadPairRepliesAreRefusedAndNothingRecorded) {
  start();
  // A device signature that does not verify, and a reply with no signed identity at all.
  for (bool unsigned_reply : {false, true}) {
    SCOPED_TRACE(unsigned_reply ? "unsigned reply" : "bad device signature");
    auto c = client(DeviceKeys::generate(context()));
    std::string ref = register_client(*c);
    ASSERT_FALSE(ref.empty());
    auto scan = scan_async(kAlice, c->qr_string(ref));
    auto success = c->next([](const Node& n) { return n.tag == "iq" && n.child("pair-success"); });
    ASSERT_TRUE(success);
    Node reply = c->sign_pairing(*success, /*corrupt_device_signature=*/true).reply;
    if (unsigned_reply) reply.content = Node::Children{Node("pair-device-sign")};
    c->send(reply);
    auto error = c->next_tag("stream:error");
    ASSERT_TRUE(error);
    EXPECT_EQ(error->attr_or("code"), "401");
    auto answer = scan.get();
    ASSERT_TRUE(answer);
    EXPECT_EQ(answer->status, 409);
    EXPECT_NE(answer->body.dump().find(unsigned_reply ? "unsigned" : "device signature"), std::string::npos);
    EXPECT_TRUE(server_->get("/v1/accounts/" + std::string(kAlice))["companions"].empty());
  }
}

TEST_F(WasimTest, ScanRefusesBadQrsUnknownRefsAndMismatchedKeys) {
  start();
  auto c = client(DeviceKeys::generate(context()));
  std::string ref = register_client(*c);
  ASSERT_FALSE(ref.empty());
  auto& admin = server_->admin();
  EXPECT_EQ(admin.post("/v1/scan", {{"phone", kAlice}, {"qr", "not,a,qr"}})->status, 400);
  EXPECT_EQ(admin.post("/v1/scan", {{"phone", kAlice}, {"qr", c->qr_string("2@unknown")}})->status, 404);
  EXPECT_EQ(admin.post("/v1/scan", {{"phone", "19999999999"}, {"qr", c->qr_string(ref)}})->status, 404);
  TestClient other(server_->ws_url(), server_->root_key(), context(), DeviceKeys::generate(context()));
  EXPECT_EQ(admin.post("/v1/scan", {{"phone", kAlice}, {"qr", other.qr_string(ref)}})->status, 400);
  EXPECT_EQ(admin.post("/v1/scan", json{{"phone", kAlice}})->status, 400);
}

TEST_F(WasimTest, RefsRotateWithANewPairDeviceIq) {
  start({"--ref-first-ttl-ms", "300", "--ref-ttl-ms", "100", "--refs", "2"});
  auto c = client(DeviceKeys::generate(context()));
  ASSERT_TRUE(c->connect_registration());
  auto first = c->next([](const Node& n) { return n.tag == "iq" && n.child("pair-device"); });
  ASSERT_TRUE(first);
  EXPECT_EQ(first->child("pair-device")->children("ref").size(), 2u);
  auto second = c->next([](const Node& n) { return n.tag == "iq" && n.child("pair-device"); }, 3s);
  ASSERT_TRUE(second);
  EXPECT_NE(first->attr_or("id"), second->attr_or("id"));
  EXPECT_NE(*first->child("pair-device")->children("ref")[0]->bytes(), *second->child("pair-device")->children("ref")[0]->bytes());
  // The expired ref can no longer be scanned.
  const Bytes& old = *first->child("pair-device")->children("ref")[0]->bytes();
  EXPECT_EQ(server_->admin().post("/v1/scan", {{"phone", kAlice}, {"qr", c->qr_string(std::string(old.begin(), old.end()))}})->status, 404);
}

TEST_F(WasimTest, LoginRefusals) {
  start({"--min-version", "2.3000.1030000000"});
  PairedDevice alice = pair(kAlice);
  ASSERT_NE(alice.device, 0);

  // An unknown device of a known account.
  auto c = client(alice.keys);
  ASSERT_TRUE(c->connect_login(kAlice, alice.device + 5));
  auto failure = c->next_tag("failure");
  ASSERT_TRUE(failure);
  EXPECT_EQ(failure->attr_or("reason"), "401");
  EXPECT_TRUE(c->wait_closed());

  // The right device with another Noise key.
  DeviceKeys impostor = alice.keys;
  impostor.noise_key = *noise::KeyPair::generate();
  auto d = client(impostor);
  ASSERT_TRUE(d->connect_login(kAlice, alice.device));
  failure = d->next_tag("failure");
  ASSERT_TRUE(failure);
  EXPECT_EQ(failure->attr_or("reason"), "401");

  // Too old a version (Baileys 6's, below --min-version).
  auto e = client(alice.keys, ClientOptions{3, 1019707846});
  ASSERT_TRUE(e->connect_login(kAlice, alice.device));
  failure = e->next_tag("failure");
  ASSERT_TRUE(failure);
  EXPECT_EQ(failure->attr_or("reason"), "405");
  EXPECT_FALSE(server_->wait_event("type=login_refused&failure=405").is_null());

  // And the real one still gets in.
  auto ok = client(alice.keys);
  ASSERT_TRUE(ok->log_in(kAlice, alice.device));
}

TEST_F(WasimTest, ASecondLoginReplacesTheFirst) {
  start();
  PairedDevice alice = pair(kAlice);
  auto first = client(alice.keys);
  ASSERT_TRUE(first->log_in(kAlice, alice.device));
  auto second = client(alice.keys);
  ASSERT_TRUE(second->log_in(kAlice, alice.device));
  auto error = first->next_tag("stream:error");
  ASSERT_TRUE(error);
  ASSERT_TRUE(error->child("conflict"));
  EXPECT_EQ(error->child("conflict")->attr_or("type"), "replaced");
}

TEST_F(WasimTest, UnlinkEndsTheSessionAndTheNextLoginFails) {
  start();
  PairedDevice alice = pair(kAlice);
  auto c = client(alice.keys);
  ASSERT_TRUE(c->log_in(kAlice, alice.device));
  auto unlinked = server_->post("/v1/unlink", {{"jid", alice.jid}});
  EXPECT_EQ(unlinked["was_connected"], true);
  auto error = c->next_tag("stream:error");
  ASSERT_TRUE(error);
  EXPECT_EQ(error->attr_or("code"), "401");
  ASSERT_TRUE(error->child("conflict"));
  EXPECT_EQ(error->child("conflict")->attr_or("type"), "device_removed");
  EXPECT_TRUE(c->wait_closed());
  ASSERT_TRUE(c->connect_login(kAlice, alice.device));
  auto failure = c->next_tag("failure");
  ASSERT_TRUE(failure);
  EXPECT_EQ(failure->attr_or("reason"), "401");
  EXPECT_EQ(server_->admin().post("/v1/unlink", {{"jid", alice.jid}})->status, 404);
}

TEST_F(WasimTest, CompanionsAndConversationsSurviveARestartWithTheStateFile) {
  auto state = std::filesystem::temp_directory_path() / ("wasim-state-" + std::to_string(::getpid()) + ".json");
  std::filesystem::remove(state);
  start({"--state", state.string()});
  auto [alice, c] = ready_device(kAlice);
  std::string bob_phone = std::string(kBob) + "@s.whatsapp.net";
  auto send_to_bobs_phone = [&](const std::string& id, const std::string& text) {
    wa::Message message;
    message.set_conversation(text);
    auto enc = c->encrypt_for(bob_phone, message);
    ASSERT_TRUE(enc) << enc.error().to_string();
    c->send(Node("message", {{"id", id}, {"to", bob_phone}, {"type", "text"}},
                 Node::Children{Node("participants", {}, Node::Children{Node("to", {{"jid", bob_phone}}, Node::Children{*enc})})}));
    auto received = server_->wait_event("type=phone_received&id=" + id);
    ASSERT_FALSE(received.is_null());
    EXPECT_EQ(received["data"]["text"], text) << received.dump();
  };
  send_to_bobs_phone("3EB0BEFORE", "before the restart");
  std::string root = server_->ready()["noise_root_public_key"];
  c->close();
  EXPECT_EQ(server_->shutdown(), 0);

  start({"--state", state.string()});
  EXPECT_EQ(server_->ready()["noise_root_public_key"], root);
  c = login_ready(alice, {}, false);
  ASSERT_TRUE(c->next_tag("ib"));
  // Bob's phone kept its session with Alice's device (and her keys on the server).
  send_to_bobs_phone("3EB0AFTER", "after the restart");
  server_->post("/v1/send", {{"from", kBob}, {"to", kAlice}, {"text", "still here"}});
  auto message = c->next([](const Node& n) { return n.tag == "message" && n.attr_or("from").starts_with(kBob); });
  ASSERT_TRUE(message);
  auto content = c->decrypt_message(*message);
  ASSERT_TRUE(content) << content.error().to_string();
  EXPECT_EQ(content->conversation(), "still here");
  std::filesystem::remove(state);
}

}  // namespace
}  // namespace wacrm::wasim::testing
