// ClientPayload building against the annotated login vector of protocol notes
// 01 §3.4 (produced by Baileys' encoder) and the registration fields of §3.3.
#include "wa/client_payload.h"

#include <gtest/gtest.h>

#include "signal/context.h"
#include "signal/xeddsa.h"
#include "wa/client_payload.pb.h"
#include "wa/credentials.h"

namespace wacrm::wa {
namespace {

Bytes hex(std::string_view text) {
  Bytes out;
  std::string clean;
  for (char c : text)
    if (c != ' ') clean.push_back(c);
  EXPECT_TRUE(from_hex(clean, out)) << text;
  return out;
}

store::DeviceCredentials linked_credentials(std::string jid) {
  store::DeviceCredentials c;
  c.linked = store::LinkedDevice{};
  c.linked->jid = std::move(jid);
  return c;
}

ClientConfig vector_config() {
  ClientConfig config;
  config.version = AppVersion{2, 3000, 1045649367};
  return config;
}

TEST(ClientPayload, LoginPayloadMatchesTheNotesVectorByteForByte) {
  auto payload = login_payload(linked_credentials("15551234567:12@s.whatsapp.net"), vector_config());
  ASSERT_TRUE(payload) << payload.error().to_string();
  Bytes expected = hex(
      "08 87 84 b4 f7 39 18 01 2a 36 08 0e 12 0b 08 02 10 b8 17 18 d7 af cd f2 03 1a 03 30 30 30 22 03 30 30 30"
      " 2a 03 30 2e 31 3a 07 44 65 73 6b 74 6f 70 42 03 30 2e 31 50 00 5a 02 65 6e 62 02 55 53 32 02 20 00"
      " 60 01 68 01 90 01 0c 88 02 01");
  EXPECT_EQ(expected.size(), 78u);
  EXPECT_EQ(to_hex(*payload), to_hex(expected));
}

TEST(ClientPayload, LcAndLidDbMigratedAddTheirFieldsWhereTheNotesSay) {
  ClientConfig config = vector_config();
  config.send_lc = true;
  config.lid_db_migrated = true;
  auto payload = login_payload(linked_credentials("15551234567:12@s.whatsapp.net"), config);
  ASSERT_TRUE(payload);
  std::string text = to_hex(*payload);
  // lc (24) sorts between device (18) and pull (33); lidDbMigrated (41) after pull.
  EXPECT_NE(text.find("90010cc00101880201c80201"), std::string::npos) << text;
}

TEST(ClientPayload, LoginNeedsALinkedNumericJid) {
  EXPECT_EQ(login_payload(store::DeviceCredentials{}, vector_config()).error().code, Errc::not_found);
  EXPECT_EQ(login_payload(linked_credentials("1555x:3@s.whatsapp.net"), vector_config()).error().code,
            Errc::malformed);
}

TEST(ClientPayload, BuildHashIsMd5OfTheDottedVersion) {
  EXPECT_EQ(to_hex(build_hash(AppVersion{2, 3000, 1045649367})), "9fa53af9421567b114e33c9bb1ef7db2");
}

TEST(ClientPayload, RegistrationCarriesOurKeysAndNoUser) {
  auto context = signal::Context::create();
  ASSERT_TRUE(context);
  auto credentials = generate_credentials(*context);
  ASSERT_TRUE(credentials);
  ClientConfig config = vector_config();
  config.device_name = "Kitchen laptop";
  auto payload = registration_payload(*credentials, config);
  ASSERT_TRUE(payload) << payload.error().to_string();

  ClientPayload p;
  ASSERT_TRUE(p.ParseFromArray(payload->data(), static_cast<int>(payload->size())));
  EXPECT_FALSE(p.has_username());
  EXPECT_FALSE(p.has_device());
  EXPECT_TRUE(p.has_passive());
  EXPECT_FALSE(p.passive());
  EXPECT_FALSE(p.pull());
  EXPECT_EQ(p.user_agent().app_version().tertiary(), 1045649367u);
  ASSERT_TRUE(p.has_device_pairing_data());
  const auto& d = p.device_pairing_data();
  const auto& id = credentials->identity;
  EXPECT_EQ(to_hex(as_bytes(d.e_regid())), to_hex(big_endian(id.registration_id, 4)));
  EXPECT_EQ(to_hex(as_bytes(d.e_keytype())), "05");
  EXPECT_EQ(to_hex(as_bytes(d.e_ident())), to_hex(id.identity_public));
  EXPECT_EQ(to_hex(as_bytes(d.e_skey_id())), "000001");
  EXPECT_EQ(to_hex(as_bytes(d.e_skey_val())), to_hex(id.signed_pre_key_public));
  Bytes signed_form{0x05};
  signed_form.insert(signed_form.end(), id.signed_pre_key_public.begin(), id.signed_pre_key_public.end());
  EXPECT_TRUE(signal::xeddsa_verify(as_bytes(d.e_ident()), signed_form, as_bytes(d.e_skey_sig())));
  EXPECT_EQ(to_hex(as_bytes(d.build_hash())), "9fa53af9421567b114e33c9bb1ef7db2");
  DeviceProps props;
  ASSERT_TRUE(props.ParseFromString(d.device_props()));
  EXPECT_EQ(props.os(), "Kitchen laptop");
  EXPECT_EQ(props.platform_type(), DeviceProps::CHROME);
}

TEST(ClientPayload, TheCredentialsChooseTheKind) {
  auto context = signal::Context::create();
  ASSERT_TRUE(context);
  auto credentials = generate_credentials(*context);
  ASSERT_TRUE(credentials);
  ClientPayload p;
  auto registration = client_payload(*credentials, vector_config());
  ASSERT_TRUE(registration && p.ParseFromArray(registration->data(), static_cast<int>(registration->size())));
  EXPECT_TRUE(p.has_device_pairing_data());
  credentials->linked = store::LinkedDevice{"15551234567:3@s.whatsapp.net", "", {}, "", ""};
  auto login = client_payload(*credentials, vector_config());
  ASSERT_TRUE(login && p.ParseFromArray(login->data(), static_cast<int>(login->size())));
  EXPECT_FALSE(p.has_device_pairing_data());
  EXPECT_EQ(p.username(), 15551234567u);
  EXPECT_EQ(p.device(), 3u);
}

TEST(ClientConfig, ParsesVersionsAndKeys) {
  auto v = parse_app_version("2.3000.1019707846");
  ASSERT_TRUE(v);
  EXPECT_EQ(v->tertiary, 1019707846u);
  EXPECT_EQ(v->to_string(), "2.3000.1019707846");
  EXPECT_FALSE(parse_app_version("2.3000"));
  EXPECT_FALSE(parse_app_version("2.3000.x"));
  EXPECT_FALSE(parse_app_version("2.3000.1.4"));
  auto key = parse_public_key_hex("142375574d0a587166aae71ebe516437c4a28b73e3695c6ce1f7f9545da8ee6b");
  ASSERT_TRUE(key);
  EXPECT_EQ(*key, noise::kWhatsAppRootKey);
  EXPECT_FALSE(parse_public_key_hex("1423"));
}

}  // namespace
}  // namespace wacrm::wa
