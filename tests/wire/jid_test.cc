#include "wire/jid.h"

#include <gtest/gtest.h>

#include <unordered_set>

namespace wacrm::wire {
namespace {

Jid parse_ok(std::string_view text) {
  auto jid = Jid::parse(text);
  EXPECT_TRUE(jid) << text << ": " << jid.error().to_string();
  return jid.value_or(Jid{});
}

TEST(Jid, PhoneUser) {
  Jid j = parse_ok("15551234567@s.whatsapp.net");
  EXPECT_EQ(j.user(), "15551234567");
  EXPECT_EQ(j.server(), "s.whatsapp.net");
  EXPECT_EQ(j.device(), 0);
  EXPECT_FALSE(j.is_ad());
  EXPECT_TRUE(j.is_user());
  EXPECT_TRUE(j.is_pn());
  EXPECT_FALSE(j.is_lid());
  EXPECT_FALSE(j.is_group());
  EXPECT_EQ(j.domain_type(), 0);
  EXPECT_EQ(j.to_string(), "15551234567@s.whatsapp.net");
}

TEST(Jid, DeviceJid) {
  Jid j = parse_ok("15551234567:12@s.whatsapp.net");
  EXPECT_EQ(j.user(), "15551234567");
  EXPECT_EQ(j.device(), 12);
  EXPECT_TRUE(j.is_ad());
  EXPECT_EQ(j.to_string(), "15551234567:12@s.whatsapp.net");
  EXPECT_EQ(j.to_non_ad(), Jid("15551234567", "s.whatsapp.net"));
  EXPECT_EQ(j.to_non_ad().to_string(), "15551234567@s.whatsapp.net");
  // Device 0 is the phone itself and is not printed.
  EXPECT_EQ(parse_ok("15551234567:0@s.whatsapp.net").to_string(), "15551234567@s.whatsapp.net");
}

TEST(Jid, AgentForm) {
  Jid j = parse_ok("15551234567.3:12@s.whatsapp.net");
  EXPECT_EQ(j.user(), "15551234567");
  EXPECT_EQ(j.agent(), 3);
  EXPECT_EQ(j.device(), 12);
  EXPECT_EQ(j.domain_type(), 0);  // the server decides for s.whatsapp.net
  EXPECT_EQ(j.to_string(), "15551234567.3:12@s.whatsapp.net");
  EXPECT_EQ(j.to_non_ad().to_string(), "15551234567@s.whatsapp.net");
}

TEST(Jid, Lid) {
  Jid j = parse_ok("123456789012345:12@lid");
  EXPECT_TRUE(j.is_lid());
  EXPECT_TRUE(j.is_user());
  EXPECT_FALSE(j.is_pn());
  EXPECT_EQ(j.domain_type(), 1);
  EXPECT_EQ(j.to_string(), "123456789012345:12@lid");
  EXPECT_EQ(parse_ok("123456789012345@lid").to_string(), "123456789012345@lid");
}

TEST(Jid, Groups) {
  Jid g = parse_ok("120363012345678901@g.us");
  EXPECT_TRUE(g.is_group());
  EXPECT_FALSE(g.is_user());
  Jid old = parse_ok("15551234567-1600000000@g.us");
  EXPECT_TRUE(old.is_group());
  EXPECT_EQ(old.user(), "15551234567-1600000000");
  EXPECT_EQ(old.to_string(), "15551234567-1600000000@g.us");
}

TEST(Jid, Broadcasts) {
  Jid status = parse_ok("status@broadcast");
  EXPECT_TRUE(status.is_broadcast());
  EXPECT_TRUE(status.is_status_broadcast());
  Jid list = parse_ok("1600000000@broadcast");
  EXPECT_TRUE(list.is_broadcast());
  EXPECT_FALSE(list.is_status_broadcast());
}

TEST(Jid, OtherServers) {
  EXPECT_TRUE(parse_ok("120363123456789012@newsletter").is_newsletter());
  Jid legacy = parse_ok("0@c.us");
  EXPECT_TRUE(legacy.is_pn());
  EXPECT_EQ(legacy.to_string(), "0@c.us");
  Jid hosted = parse_ok("15551234567:99@hosted");
  EXPECT_TRUE(hosted.is_hosted());
  EXPECT_EQ(hosted.domain_type(), 128);
  Jid hosted_lid = parse_ok("123456789012345:99@hosted.lid");
  EXPECT_TRUE(hosted_lid.is_lid());
  EXPECT_EQ(hosted_lid.domain_type(), 129);
  EXPECT_EQ(parse_ok("867051314767696@bot").server(), "bot");
  EXPECT_EQ(parse_ok("ABCDEF0123@call").server(), "call");
}

TEST(Jid, MessengerAndInterop) {
  Jid fb = parse_ok("100000000000001:3@msgr");
  EXPECT_EQ(fb.user(), "100000000000001");
  EXPECT_EQ(fb.device(), 3);
  EXPECT_EQ(fb.to_string(), "100000000000001:3@msgr");
  // The device is always printed for these servers (as Baileys decodes them).
  // A plain JID pair with these servers prints back as itself (found by the fuzzer).
  EXPECT_EQ(parse_ok("100000000000001@msgr").to_string(), "100000000000001@msgr");
  EXPECT_EQ(parse_ok("165053611.0@interop").to_string(), "165053611.0@interop");
  EXPECT_EQ(Jid("100000000000001", "msgr").to_string(), "100000000000001:0@msgr");
  EXPECT_EQ(parse_ok("msgr"), parse_ok("@msgr"));  // a server names no device
  Jid interop = parse_ok("7-15551234567:2@interop");
  EXPECT_EQ(interop.integrator(), 7);
  EXPECT_EQ(interop.user(), "15551234567");
  EXPECT_EQ(interop.device(), 2);
  EXPECT_EQ(interop.to_string(), "7-15551234567:2@interop");
}

TEST(Jid, ServerJids) {
  Jid bare = parse_ok("s.whatsapp.net");
  Jid at = parse_ok("@s.whatsapp.net");
  EXPECT_EQ(bare, at);
  EXPECT_TRUE(bare.is_server());
  EXPECT_FALSE(bare.is_user());
  EXPECT_EQ(bare.to_string(), "@s.whatsapp.net");
  EXPECT_EQ(Jid::of_server(server::kUser), bare);
  EXPECT_TRUE(parse_ok("g.us").is_server());
  EXPECT_EQ(parse_ok("g.us").to_string(), "@g.us");
}

TEST(Jid, EmptyJid) {
  Jid empty;
  EXPECT_TRUE(empty.is_empty());
  EXPECT_EQ(empty.to_string(), "");
}

TEST(Jid, ParsePrintRoundTrip) {
  for (std::string_view text :
       {"15551234567@s.whatsapp.net", "15551234567:12@s.whatsapp.net", "123456789012345:12@lid",
        "120363012345678901@g.us", "status@broadcast", "@s.whatsapp.net", "15551234567.1:2@s.whatsapp.net",
        "5-1555:2@interop", "1:65535@msgr", "x@newsletter"}) {
    EXPECT_EQ(parse_ok(text).to_string(), text);
  }
}

TEST(Jid, EqualityAndHash) {
  std::unordered_set<Jid> set;
  set.insert(parse_ok("15551234567@s.whatsapp.net"));
  set.insert(parse_ok("15551234567:1@s.whatsapp.net"));
  set.insert(parse_ok("15551234567@lid"));
  set.insert(parse_ok("15551234567@s.whatsapp.net"));
  EXPECT_EQ(set.size(), 3u);
  EXPECT_NE(parse_ok("1@s.whatsapp.net"), parse_ok("1:1@s.whatsapp.net"));
  EXPECT_EQ(parse_ok("1:1@s.whatsapp.net").to_non_ad(), parse_ok("1@s.whatsapp.net"));
}

TEST(Jid, RejectsGarbage) {
  for (std::string_view bad :
       {"", "hello", "@", "user@", "a@b@c", "a@B.NET", "a@.net", "a@net.", "a b@s.whatsapp.net",
        "1:2:3@s.whatsapp.net", "1:x@s.whatsapp.net", "1:-1@s.whatsapp.net", "1:65536@s.whatsapp.net",
        "1:@s.whatsapp.net", ":5@s.whatsapp.net", ".5:1@s.whatsapp.net", "5-@interop", "5-:1@interop",
        "user\n@g.us", "us\"er@g.us"}) {
    auto r = Jid::parse(bad);
    EXPECT_FALSE(r) << "accepted '" << bad << "'";
    if (!r) {
      EXPECT_EQ(r.error().code, Errc::invalid_argument);
      EXPECT_NE(r.error().message.find("invalid JID"), std::string::npos);
    }
  }
  // Embedded NUL: string_view with explicit length.
  EXPECT_FALSE(Jid::parse(std::string_view("1@s.what\0sapp.net", 17)));
}

TEST(Jid, ErrorQuotesTheInput) {
  auto r = Jid::parse("1:x@s.whatsapp.net");
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().message.find("'1:x@s.whatsapp.net'"), std::string::npos) << r.error().message;
  EXPECT_NE(r.error().message.find("device"), std::string::npos) << r.error().message;
}

}  // namespace
}  // namespace wacrm::wire
