#include "wasim/tests/e2e_fixture.h"

#include <future>

#include "wa/e2e.pb.h"

namespace wacrm::wasim::testing {

signal::Context& WasimTest::context() {
  static signal::Context context = *signal::Context::create();
  return context;
}

void WasimTest::start(std::vector<std::string> extra_args) {
  server_ = std::make_unique<WasimServer>(std::move(extra_args));
}

std::unique_ptr<TestClient> WasimTest::client(const DeviceKeys& keys, ClientOptions options) {
  return std::make_unique<TestClient>(server_->ws_url(), server_->root_key(), context(), keys, options);
}

std::string device_part(const std::string& jid) {
  auto colon = jid.find(':'), at = jid.find('@');
  return colon == std::string::npos ? "0" : jid.substr(colon + 1, at - colon - 1);
}

std::string WasimTest::register_client(TestClient& c) {
  auto connected = c.connect_registration();
  EXPECT_TRUE(connected) << connected.error().to_string();
  auto pair_device = c.next([](const Node& n) { return n.tag == "iq" && n.child("pair-device"); });
  if (!pair_device) {
    ADD_FAILURE() << "no pair-device iq; " << c.close_reason() << "\n" << server_->log();
    return "";
  }
  auto refs = pair_device->child("pair-device")->children("ref");
  EXPECT_EQ(refs.size(), 6u);
  c.send(Node("iq", {{"to", "@s.whatsapp.net"}, {"type", "result"}, {"id", std::string(pair_device->attr_or("id"))}}));
  return std::string(refs[0]->bytes()->begin(), refs[0]->bytes()->end());
}

std::future<Result<AdminAnswer>> WasimTest::scan_async(const std::string& phone, std::string qr, int timeout_ms) {
  return std::async(std::launch::async, [this, phone, qr = std::move(qr), timeout_ms] {
    return server_->admin().post("/v1/scan", {{"phone", phone}, {"qr", qr}, {"timeout_ms", timeout_ms}}, 20s);
  });
}

void WasimTest::settle_first_login(TestClient& c) {
  auto share = c.next([](const Node& n) { return n.tag == "message" && n.attr_or("category") == "peer"; });
  ASSERT_TRUE(share);
  ASSERT_TRUE(c.decrypt(*share));
  c.send(Node("receipt", {{"id", std::string(share->attr_or("id"))}, {"to", std::string(share->attr_or("from"))},
                          {"type", "peer_msg"}}));
  ASSERT_TRUE(c.next_tag("ib"));
}

WasimTest::Ready WasimTest::ready_device(const std::string& phone) {
  Ready ready{pair(phone), nullptr};
  ready.client = login_ready(ready.device);
  settle_first_login(*ready.client);
  return ready;
}

PairedDevice WasimTest::pair(const std::string& phone, ClientOptions options) {
  PairedDevice paired{DeviceKeys::generate(context()), phone, "", 0};
  auto c = client(paired.keys, options);
  std::string ref = register_client(*c);
  if (ref.empty()) return paired;
  auto scan = scan_async(phone, c->qr_string(ref));
  auto success = c->next([](const Node& n) { return n.tag == "iq" && n.child("pair-success"); });
  if (!success) {
    ADD_FAILURE() << "no pair-success";
    return paired;
  }
  auto reply = c->sign_pairing(*success);
  EXPECT_TRUE(reply.refusal.empty()) << reply.refusal;
  c->send(reply.reply);
  auto restart = c->next_tag("stream:error");
  EXPECT_TRUE(restart && restart->attr_or("code") == "515");
  auto answer = scan.get();
  EXPECT_TRUE(answer && answer->ok()) << (answer ? answer->body.dump() : answer.error().to_string());
  if (answer && answer->ok()) {
    paired.jid = answer->body["device_jid"];
    paired.device = static_cast<std::uint16_t>(std::stoi(device_part(paired.jid)));
    EXPECT_EQ(paired.jid, c->device_jid());
  }
  EXPECT_TRUE(c->wait_closed());
  return paired;
}

std::unique_ptr<TestClient> WasimTest::login_ready(const PairedDevice& device, ClientOptions options,
                                                   bool upload_pre_keys) {
  auto c = client(device.keys, options);
  auto connected = c->connect_login(device.phone, device.device);
  EXPECT_TRUE(connected) << connected.error().to_string();
  auto success = c->next_tag("success");
  EXPECT_TRUE(success) << "no <success>: " << c->close_reason();
  if (!success) return c;
  EXPECT_EQ(device_part(std::string(success->attr_or("lid"))), std::to_string(device.device));
  auto count = c->query(make_iq(c->next_id(), "get", "encrypt", {Node("count")}));
  EXPECT_TRUE(count && count->child("count"));
  if (upload_pre_keys && count && count->child("count")->attr_or("value") == "0") {
    auto uploaded = c->query(c->pre_key_upload(1, 30));
    EXPECT_TRUE(uploaded && uploaded->attr_or("type") == "result");
  }
  auto active = c->query(make_iq(c->next_id(), "set", "passive", {Node("active")}));
  EXPECT_TRUE(active && active->attr_or("type") == "result");
  return c;
}

}  // namespace wacrm::wasim::testing
