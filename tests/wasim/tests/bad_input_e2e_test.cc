// Bad input and deliberate faults: wasim refuses with the real codes, stays
// up, and signs wrongly only when told to (issue 4 "Bad input").
#include <future>

#include <boost/asio/io_context.hpp>

#include "net/ws_client.h"
#include "wasim/simulated_phone.h"
#include "wasim/stanzas.h"
#include "wasim/tests/e2e_fixture.h"

namespace wacrm::wasim::testing {
namespace {

using nlohmann::json;

// Opens a WebSocket, sends `bytes`, returns true when wasim closed it.
bool raw_websocket_is_closed(const std::string& url, Bytes bytes) {
  boost::asio::io_context io;
  net::WsClientOptions options;
  options.url = url;
  std::shared_ptr<net::MessageStream> stream;
  bool done = false, closed = false;
  net::async_ws_connect(io, options, [&](Result<std::shared_ptr<net::MessageStream>> s) {
    if (!s) {
      done = true;
      return;
    }
    stream = *s;
    stream->async_write(std::move(bytes), [&](Status) {
      stream->async_read([&](Result<Bytes> message) {
        closed = !message;
        done = true;
      });
    });
  });
  auto deadline = std::chrono::steady_clock::now() + 10s;
  while (!done && std::chrono::steady_clock::now() < deadline) {
    io.restart();
    io.run_for(10ms);
  }
  return closed;
}

TEST_F(WasimTest, GarbageAndBrokenHandshakesAreClosedAndWasimStaysUp) {
  start();
  EXPECT_TRUE(raw_websocket_is_closed(server_->ws_url(), Bytes{'G', 'E', 'T', ' ', '/', 0, 1, 2, 3, 4, 5, 6, 7}));
  EXPECT_TRUE(raw_websocket_is_closed(server_->ws_url(), Bytes{'W', 'A', 6, 9, 0, 0, 1, 0}));  // unknown dictionary
  EXPECT_TRUE(raw_websocket_is_closed(server_->ws_url(), Bytes{'W', 'A', 6, 3, 0, 0, 4, 'j', 'u', 'n', 'k'}));
  EXPECT_FALSE(server_->wait_event("type=handshake_failed").is_null());
  EXPECT_TRUE(server_->running());
  // Still serving: a real client gets its refs.
  auto c = client(DeviceKeys::generate(context()));
  ASSERT_TRUE(c->connect_registration());
  EXPECT_TRUE(c->next([](const Node& n) { return n.tag == "iq" && n.child("pair-device"); }));
}

TEST_F(WasimTest, AnUndecodableStanzaEndsTheStream) {
  start();
  auto c = client(DeviceKeys::generate(context()));
  ASSERT_TRUE(c->connect_registration());
  ASSERT_TRUE(c->next([](const Node& n) { return n.tag == "iq" && n.child("pair-device"); }));
  c->send_raw(Bytes{0x00, 0xf8, 0x05, 0x01});
  auto error = c->next_tag("stream:error");
  ASSERT_TRUE(error);
  EXPECT_TRUE(error->child("xml-not-well-formed"));
  EXPECT_TRUE(c->wait_closed());
  EXPECT_TRUE(server_->running());
}

TEST_F(WasimTest, AStanzaFloodEndsTheStream) {
  start({"--stanza-rate", "5", "--stanza-burst", "10"});
  auto c = client(DeviceKeys::generate(context()));
  ASSERT_TRUE(c->connect_registration());
  ASSERT_TRUE(c->next([](const Node& n) { return n.tag == "iq" && n.child("pair-device"); }));
  for (int i = 0; i < 40; ++i) c->send(make_iq(c->next_id(), "get", "w:p", {Node("ping")}));
  auto error = c->next_tag("stream:error");
  ASSERT_TRUE(error);
  EXPECT_TRUE(error->child("policy-violation"));
  // Answer the server's WebSocket close (a client that stops reading leaves wasim
  // waiting for the close handshake, and the event comes only after it).
  EXPECT_TRUE(c->wait_closed());
  EXPECT_FALSE(server_->wait_event("type=connection_closed&reason=stanza%20flood").is_null());
}

// A <to> with nothing to deliver (no <enc>); bad addresses: strictness_e2e_test.cc.
TEST_F(WasimTest, BadMessagesEndTheStreamWithBadRequest) {
  start();
  PairedDevice alice = pair(kAlice);
  auto c = login_ready(alice);
  c->send(Node("message", {{"id", "X1"}, {"to", std::string(kBob) + "@s.whatsapp.net"}, {"type", "text"}},
               Node::Children{Node("participants", {}, Node::Children{Node("to", {{"jid", std::string(kBob) + "@s.whatsapp.net"}})})}));
  auto error = c->next_tag("stream:error");
  ASSERT_TRUE(error);
  EXPECT_TRUE(error->child("bad-request"));
  EXPECT_TRUE(c->wait_closed());
}

TEST_F(WasimTest, CertificateChainFaultsAreRefusedByOurClient) {
  start();
  for (const char* fault : {"wrong_root", "bad_intermediate_signature", "bad_leaf_signature", "leaf_key_mismatch",
                            "expired", "issuer_serial"}) {
    server_->post("/v1/faults", {{"cert_chain", fault}});
    auto c = client(DeviceKeys::generate(context()));
    auto connected = c->connect_registration();
    EXPECT_FALSE(connected) << fault << " was accepted";
    if (!connected) {
      EXPECT_TRUE(connected.error().code == Errc::crypto || connected.error().code == Errc::protocol)
          << fault << ": " << connected.error().to_string();
    }
    // The fault was used once: the next handshake is good again.
    auto good = client(DeviceKeys::generate(context()));
    EXPECT_TRUE(good->connect_registration()) << "after " << fault;
  }
  EXPECT_TRUE(server_->get("/v1/faults").empty());
}

TEST_F(WasimTest, ABadAccountSignatureIsCaughtByTheClient) {
  start();
  server_->post("/v1/faults", {{"account_signature", "bad"}});
  auto c = client(DeviceKeys::generate(context()));
  std::string ref = register_client(*c);
  ASSERT_FALSE(ref.empty());
  auto scan = scan_async(kAlice, c->qr_string(ref), 1500);
  auto success = c->next([](const Node& n) { return n.tag == "iq" && n.child("pair-success"); });
  ASSERT_TRUE(success);
  // Our client's verification (lib/wa) refuses and answers with an iq error.
  auto reply = c->sign_pairing(*success);
  EXPECT_NE(reply.refusal.find("account signature"), std::string::npos) << reply.refusal;
  EXPECT_EQ(reply.reply.attr_or("type"), "error");
  c->send(reply.reply);
  auto answer = scan.get();
  ASSERT_TRUE(answer);
  EXPECT_EQ(answer->status, 409);
  EXPECT_NE(answer->body.dump().find("signature-mismatch"), std::string::npos);
}

TEST_F(WasimTest, ABadSignedPreKeySignatureIsCaughtWhenBuildingTheSession) {
  start();
  PairedDevice alice = pair(kAlice);
  auto c = login_ready(alice);
  server_->post("/v1/faults", {{"signed_pre_key_signature", "bad"}});
  auto bundle = c->fetch_bundle(std::string(kBob) + "@s.whatsapp.net");
  ASSERT_TRUE(bundle) << bundle.error().to_string();
  auto address = *address_of(*wire::Jid::parse(std::string(kBob) + "@s.whatsapp.net"));
  auto built = c->protocol().build_session_from_bundle(address, *bundle);
  ASSERT_FALSE(built);
  EXPECT_EQ(built.error().kind, signal::SignalErrc::invalid_key);
}

TEST_F(WasimTest, IqsGetRealShapedAnswers) {
  start();
  // Before login only pings are served.
  auto r = client(DeviceKeys::generate(context()));
  ASSERT_TRUE(r->connect_registration());
  auto early = r->query(make_iq(r->next_id(), "get", "encrypt", {Node("count")}));
  ASSERT_TRUE(early && early->child("error"));
  EXPECT_EQ(early->child("error")->attr_or("code"), "401");
  r->close();

  PairedDevice alice = pair(kAlice);
  auto c = login_ready(alice, {}, /*upload_pre_keys=*/false);
  auto ping = c->query(make_iq(c->next_id(), "get", "w:p", {Node("ping")}));
  ASSERT_TRUE(ping);
  EXPECT_EQ(ping->attr_or("type"), "result");
  auto bare_ping = c->query(make_iq(c->next_id(), "get", "w:p"));
  ASSERT_TRUE(bare_ping);
  EXPECT_EQ(bare_ping->attr_or("type"), "result");
  // No keys uploaded: the digest is missing (the client then uploads).
  auto digest = c->query(make_iq(c->next_id(), "get", "encrypt", {Node("digest")}));
  ASSERT_TRUE(digest && digest->child("error"));
  EXPECT_EQ(digest->child("error")->attr_or("code"), "404");
  // A bad upload (signature over the wrong bytes) is refused, a good one stored.
  Node bad = c->pre_key_upload(1, 5);
  auto& skey = std::get<Node::Children>(std::get<Node::Children>(bad.content).back().content);
  std::get<Bytes>(skey.back().content)[0] ^= 1;
  auto refused = c->query(bad);
  ASSERT_TRUE(refused && refused->child("error"));
  EXPECT_EQ(refused->child("error")->attr_or("code"), "400");
  ASSERT_TRUE(c->query(c->pre_key_upload(10, 5)));
  auto count = c->query(make_iq(c->next_id(), "get", "encrypt", {Node("count")}));
  ASSERT_TRUE(count);
  // Five uploaded; the phone's key share (sent after this first upload) used one.
  EXPECT_EQ(count->child("count")->attr_or("value"), "4");
  digest = c->query(make_iq(c->next_id(), "get", "encrypt", {Node("digest")}));
  ASSERT_TRUE(digest && digest->child("digest"));
  EXPECT_EQ(digest->child("digest")->child("list")->child_nodes().size(), 4u);

  auto props = c->query(make_iq(c->next_id(), "get", "abt", {Node("props", {{"protocol", "1"}})}));
  ASSERT_TRUE(props && props->child("props"));
  EXPECT_FALSE(props->child("props")->children("prop").empty());
  auto blocklist = c->query(make_iq(c->next_id(), "get", "blocklist"));
  ASSERT_TRUE(blocklist && blocklist->child("list"));
  auto privacy = c->query(make_iq(c->next_id(), "get", "privacy", {Node("privacy")}));
  ASSERT_TRUE(privacy && privacy->child("privacy"));
  auto unknown = c->query(make_iq(c->next_id(), "get", "w:nonsense", {Node("thing")}));
  ASSERT_TRUE(unknown && unknown->child("error"));
  EXPECT_EQ(unknown->child("error")->attr_or("code"), "501");
  EXPECT_EQ(unknown->child("error")->attr_or("text"), "feature-not-implemented");
  auto iq_event = server_->wait_event("type=iq&xmlns=w:nonsense");
  EXPECT_EQ(iq_event["data"]["answered"], "error 501");
}

}  // namespace
}  // namespace wacrm::wasim::testing
