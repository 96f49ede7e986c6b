// The admin surface end to end: conversations, "as me" sends, the CLI
// subcommands, idle connections (README "Admin API", "Running it").
#include "integration/process.h"
#include "wa/e2e.pb.h"
#include "wasim/tests/e2e_fixture.h"

namespace wacrm::wasim::testing {
namespace {

using nlohmann::json;

TEST_F(WasimTest, AConversationPlaysItsMessagesInOrder) {
  start();
  auto [alice, c] = ready_device(kAlice);
  auto played = server_->post("/v1/conversations/bob-greets-alice/play", json::object());
  EXPECT_EQ(played["messages"], 2);
  std::vector<std::string> texts;
  for (int i = 0; i < 2; ++i) {
    auto message = c->next([](const Node& n) { return n.tag == "message" && n.attr_or("from").starts_with(kBob); });
    ASSERT_TRUE(message);
    auto content = c->decrypt_message(*message);
    ASSERT_TRUE(content) << content.error().to_string();
    texts.push_back(content->conversation());
  }
  EXPECT_EQ(texts, (std::vector<std::string>{"Hi Alice!", "Are we still on for Friday?"}));
  EXPECT_EQ(server_->admin().post("/v1/conversations/nope/play", json::object())->status, 404);
}

TEST_F(WasimTest, WhatTheOwnPhoneSendsReachesTheCompanionAsDeviceSent) {
  start();
  auto [alice, c] = ready_device(kAlice);
  auto sent = server_->post("/v1/send", {{"from", kAlice}, {"to", kBob}, {"text", "sent from my phone"}});
  ASSERT_EQ(sent["devices"].size(), 1u);  // Bob has no companion; Alice's gets the copy
  auto copy = c->next([](const Node& n) { return n.tag == "message" && n.attr("recipient"); });
  ASSERT_TRUE(copy);
  EXPECT_EQ(copy->attr_or("from"), std::string(kAlice) + "@s.whatsapp.net");
  EXPECT_EQ(copy->attr_or("recipient"), std::string(kBob) + "@s.whatsapp.net");
  auto content = c->decrypt_message(*copy);
  ASSERT_TRUE(content) << content.error().to_string();
  ASSERT_TRUE(content->has_device_sent_message());
  EXPECT_EQ(content->device_sent_message().destination_jid(), std::string(kBob) + "@s.whatsapp.net");
  EXPECT_EQ(content->device_sent_message().message().conversation(), "sent from my phone");
}

TEST_F(WasimTest, AdminErrorsAreJsonWithStatusCodes) {
  start();
  auto& admin = server_->admin();
  auto missing = admin.get("/v1/accounts/19999999999");
  ASSERT_TRUE(missing);
  EXPECT_EQ(missing->status, 404);
  EXPECT_EQ(missing->body["error"]["code"], "not_found");
  EXPECT_EQ(admin.get("/v1/nothing")->status, 404);
  EXPECT_EQ(admin.call("DELETE", "/v1/accounts")->status, 405);
  EXPECT_EQ(admin.post("/v1/accounts", {{"phone", kAlice}})->status, 409);
  EXPECT_EQ(admin.post("/v1/accounts", {{"phone", 5}})->status, 400);
  EXPECT_EQ(admin.post("/v1/send", {{"from", kBob}, {"to", kAlice}})->status, 400);
  EXPECT_EQ(admin.post("/v1/send", {{"from", kBob}, {"to", kAlice}, {"message", {{"noSuchField", 1}}}})->status, 400);
  auto created = admin.post("/v1/accounts", {{"phone", "15550003333"}, {"push_name", "Carol"}});
  ASSERT_TRUE(created);
  EXPECT_EQ(created->status, 201);
  EXPECT_EQ(created->body["push_name"], "Carol");
  auto waited = admin.get("/v1/events?type=paired&wait_ms=200");
  ASSERT_TRUE(waited);
  EXPECT_EQ(waited->body["timed_out"], true);
  EXPECT_TRUE(waited->body["events"].empty());
}

TEST_F(WasimTest, TheCliDrivesTheAdminApi) {
  start();
  std::string admin = server_->ready()["admin_url"];
  auto run = [&](std::vector<std::string> args, std::string& out) {
    auto file = std::filesystem::temp_directory_path() / ("wasim-cli-" + std::to_string(::getpid()));
    wacrm::testing::ProcessOptions options;
    options.argv = {WasimServer::binary()};
    options.argv.insert(options.argv.end(), args.begin(), args.end());
    options.stdout_file = file.string();
    auto process = wacrm::testing::Process::spawn(options);
    auto code = process.wait_for(20s);
    out = wacrm::testing::read_file(file.string());
    std::filesystem::remove(file);
    return code.value_or(-1);
  };
  std::string out;
  EXPECT_EQ(run({"create-account", "--admin", admin, "--phone", "15550004444", "--name", "Dora"}, out), 0);
  EXPECT_NE(out.find("\"Dora\""), std::string::npos);
  EXPECT_EQ(run({"send", "--admin", admin, "--from", "15550004444", "--to", kAlice, "--text", "hi"}, out), 0);
  EXPECT_EQ(run({"events", "--admin", admin, "--type", "simulated_send", "--match", "from=15550004444"}, out), 0);
  auto events = json::parse(out, nullptr, false);
  ASSERT_FALSE(events.is_discarded()) << out;
  EXPECT_EQ(events["events"].size(), 1u);
  EXPECT_EQ(run({"faults", "--admin", admin, "--set", R"({"cert_chain":"expired"})"}, out), 0);
  EXPECT_NE(out.find("expired"), std::string::npos);
  EXPECT_EQ(run({"scan", "--admin", admin, "--phone", kAlice, "--qr", "garbage"}, out), 1);
  EXPECT_EQ(run({"unlink", "--admin", admin, "--jid", std::string(kAlice) + ":9@s.whatsapp.net"}, out), 1);
  EXPECT_EQ(run({"bogus"}, out), 2);
  EXPECT_EQ(run({"shutdown", "--admin", admin}, out), 0);
  EXPECT_TRUE(wacrm::testing::eventually([&] { return !server_->running(); }, 10s));
}

TEST_F(WasimTest, DropEndsAConnectionAsAsked) {
  start();
  PairedDevice alice = pair(kAlice);
  auto c = client(alice.keys);
  ASSERT_TRUE(c->log_in(kAlice, alice.device));
  EXPECT_EQ(server_->post("/v1/drop", {{"jid", alice.jid}, {"mode", "stream_end"}})["dropped"], 1);
  EXPECT_TRUE(c->next_tag("xmlstreamend"));
  EXPECT_TRUE(c->wait_closed());

  ASSERT_TRUE(c->log_in(kAlice, alice.device));
  EXPECT_EQ(server_->post("/v1/drop", {{"jid", alice.jid}, {"mode", "stream_error"}, {"code", 503}})["dropped"], 1);
  auto error = c->next_tag("stream:error");
  ASSERT_TRUE(error);
  EXPECT_EQ(error->attr_or("code"), "503");

  ASSERT_TRUE(c->log_in(kAlice, alice.device));
  EXPECT_EQ(server_->post("/v1/drop", {{"jid", alice.jid}})["dropped"], 1);  // TCP close, nothing written
  EXPECT_TRUE(c->wait_closed());
  EXPECT_EQ(server_->post("/v1/drop", {{"jid", alice.jid}})["dropped"], 0);
}

TEST_F(WasimTest, AnIdleConnectionIsClosed) {
  start({"--idle-timeout-ms", "600"});
  auto c = client(DeviceKeys::generate(context()));
  ASSERT_TRUE(c->connect_registration());
  ASSERT_TRUE(c->next([](const Node& n) { return n.tag == "iq" && n.child("pair-device"); }));
  EXPECT_TRUE(c->wait_closed(10s));
  EXPECT_FALSE(server_->wait_event("type=connection_closed").is_null());
}

}  // namespace
}  // namespace wacrm::wasim::testing
