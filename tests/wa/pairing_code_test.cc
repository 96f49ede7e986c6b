// The pairing-code steps of notes 01 §6.9 with fixed inputs. The expected
// bytes were computed outside this code base, with Python's hashlib/hmac and
// the `cryptography` package (X25519, AES-CTR, AES-GCM) following the notes'
// steps, so a wrong order, size or label here shows up as a mismatch.
#include "wa/pairing_code.h"

#include <gtest/gtest.h>

namespace wacrm::wa {
namespace {

Bytes hex(std::string_view text) {
  Bytes out;
  EXPECT_TRUE(from_hex(text, out)) << text;
  return out;
}

Bytes filled(std::uint8_t value, std::size_t n) { return Bytes(n, value); }

Bytes range(std::uint8_t first, std::size_t n) {
  Bytes out(n);
  for (std::size_t i = 0; i < n; ++i) out[i] = static_cast<std::uint8_t>(first + i);
  return out;
}

constexpr std::string_view kCode = "15JMBSWA";  // from the bytes 01 23 45 67 89
constexpr std::string_view kCompanionEphemeralPublic = "7b4e909bbe7ffe44c465a220037d608ee35897d31ef972f07f74892cb0f73f13";
constexpr std::string_view kPrimaryEphemeralPublic = "0faa684ed28867b97f4a6a2dee5df8ce974e76b7018e3f22a1c4cf2678570f20";
constexpr std::string_view kCompanionIdentityPublic = "7b0d47d93427f8311160781c7c733fd89f88970aef490d8aa0ee19a4cb8a1b14";
constexpr std::string_view kPrimaryIdentityPublic = "ff2ee45601ec1b67310c7790404585ae697331eee1c1f8cf2419731c1fff3e6b";
constexpr std::string_view kWrappedPrimary =
    "8888888888888888888888888888888888888888888888888888888888888888999999999999999999999999999999998fe6ab2c5dd806f5e1"
    "44eba8923482d0f2ba5474d758fffe714b11fee94dbdef";

TEST(PairingCode, EightCharactersFromFiveBytesMostSignificantBitsFirst) {
  EXPECT_EQ(pairing_code_from(hex("0123456789")), kCode);
  EXPECT_EQ(pairing_code_from(hex("0000000000")), "11111111");
  EXPECT_EQ(pairing_code_from(hex("ffffffffff")), "ZZZZZZZZ");
  auto fresh = new_pairing_code();
  EXPECT_EQ(fresh.size(), 8u);
  EXPECT_EQ(fresh.find_first_not_of(kPairingCodeAlphabet), std::string::npos) << fresh;
  EXPECT_EQ(format_pairing_code(kCode), "15JM-BSWA");
}

TEST(PairingCode, TypedCodesAndPhoneNumbersAreNormalized) {
  EXPECT_EQ(parse_pairing_code("15jm-bswa").value(), kCode);
  EXPECT_EQ(parse_pairing_code("15JM BSWA").value(), kCode);
  EXPECT_FALSE(parse_pairing_code("15JM-BSW").has_value());
  EXPECT_FALSE(parse_pairing_code("15JM-BSW0").has_value()) << "0 is not in the alphabet";
  EXPECT_EQ(normalize_phone_number("+1 555-010 0001").value(), "15550100001");
  EXPECT_FALSE(normalize_phone_number("012345678").has_value()) << "national form";
  EXPECT_FALSE(normalize_phone_number("+12345").has_value()) << "too short";
  EXPECT_FALSE(normalize_phone_number("+1555abc0001").has_value());
}

TEST(PairingCode, KeyAndWrappedEphemeralMatchTheIndependentComputation) {
  auto key = pairing_code_key(kCode, range(1, 32));
  ASSERT_TRUE(key) << key.error().message;
  EXPECT_EQ(to_hex(*key), "ec0020c806f37ad40987841a08f2aeb4c3ce853151fe126c76cc9c72ea36686f");

  auto wrapped = wrap_with_code(kCode, hex(kCompanionEphemeralPublic), range(1, 32), range(0x40, 16));
  ASSERT_TRUE(wrapped) << wrapped.error().message;
  EXPECT_EQ(to_hex(*wrapped),
            "0102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f20404142434445464748494a4b4c4d4e4f3822017f1930"
            "50ad1ace9a753061f25a12e188ed9b514df6901b2d2af68652c4");
  EXPECT_EQ(wrapped->size(), kWrappedKeySize);

  auto unwrapped = unwrap_with_code(kCode, hex(kWrappedPrimary));
  ASSERT_TRUE(unwrapped) << unwrapped.error().message;
  EXPECT_EQ(to_hex(*unwrapped), kPrimaryEphemeralPublic);
  // With another code the key comes out wrong (CTR has no integrity: no error, other bytes).
  EXPECT_NE(to_hex(unwrap_with_code("22222222", hex(kWrappedPrimary)).value()), kPrimaryEphemeralPublic);
  EXPECT_FALSE(unwrap_with_code(kCode, Bytes(79)).has_value());
}

TEST(PairingCode, CompanionFinishMatchesTheIndependentComputation) {
  CodePairing pairing;
  pairing.phone = "15550100001";
  pairing.code = kCode;
  pairing.ephemeral_private = filled(0x11, 32);
  pairing.ephemeral_public = hex(kCompanionEphemeralPublic);
  pairing.ref = "REF-1";
  PrimaryHello hello{"REF-1", hex(kWrappedPrimary), hex(kPrimaryIdentityPublic)};

  auto finish = finish_code_pairing(pairing, hello, filled(0x33, 32), hex(kCompanionIdentityPublic),
                                    filled(0x55, 32), filled(0x66, 12), filled(0x77, 32));
  ASSERT_TRUE(finish) << finish.error().message;
  EXPECT_EQ(finish->wrapped_bundle.size(), kWrappedBundleSize);
  EXPECT_EQ(to_hex(finish->wrapped_bundle),
            "55555555555555555555555555555555555555555555555555555555555555556666666666666666666666666661b52f05263a5d01cffb"
            "3f959f4ee4c1678fbffd4513031699adc8b3a4b1ffb62b8473db0a14866bb8335acd7964e36cb66800c6e7e8add8d45e81c97df9f6b7b7"
            "acf53ca0528a10b02e70ce0cb58c9475e0ef339db54efd7b822d415e4b82e74677223e74be24efe89cf9f0d44fbf");
  EXPECT_EQ(to_hex(finish->adv_secret), "6121566fd64e8ec223ca3a6976e72f3b6e403f7465fb8ac66a1edd1fb285f3d5");

  // A notification for another attempt (another ref) is refused.
  hello.ref = "REF-2";
  auto other = finish_code_pairing(pairing, hello, filled(0x33, 32), hex(kCompanionIdentityPublic));
  ASSERT_FALSE(other.has_value());
  EXPECT_EQ(other.error().code, Errc::conflict);
}

TEST(PairingCode, KeyBundleSealsAndOpensAndRefusesAlteredBytes) {
  Bytes shared = filled(0x42, 32);
  Bytes plaintext = range(0, 96);
  auto sealed = seal_key_bundle(shared, filled(0x55, 32), filled(0x66, 12), plaintext);
  ASSERT_TRUE(sealed) << sealed.error().message;
  EXPECT_EQ(sealed->size(), kWrappedBundleSize);
  auto opened = open_key_bundle(shared, *sealed);
  ASSERT_TRUE(opened) << opened.error().message;
  EXPECT_EQ(*opened, plaintext);
  Bytes altered = *sealed;
  altered[100] ^= 0x01;
  auto refused = open_key_bundle(shared, altered);
  ASSERT_FALSE(refused.has_value());
  EXPECT_EQ(refused.error().code, Errc::crypto);
  EXPECT_FALSE(open_key_bundle(filled(0x43, 32), *sealed).has_value()) << "another shared secret";
}

TEST(PairingCode, HelloAndFinishNodesCarryTheNotesFields) {
  auto pairing = start_code_pairing("15550100001");
  ASSERT_TRUE(pairing);
  EXPECT_EQ(pairing->code.size(), 8u);
  EXPECT_EQ(pairing->ephemeral_public.size(), 32u);
  auto hello = companion_hello_iq(*pairing, filled(0x01, 32), "1", "Chrome (Linux)");
  ASSERT_TRUE(hello);
  EXPECT_EQ(hello->attr_or("xmlns"), "md");
  EXPECT_EQ(hello->attr_or("type"), "set");
  const wire::Node* reg = hello->child("link_code_companion_reg");
  ASSERT_NE(reg, nullptr);
  EXPECT_EQ(reg->attr_or("stage"), "companion_hello");
  EXPECT_EQ(reg->attr_or("jid"), "15550100001@s.whatsapp.net");
  const wire::Node* wrapped = reg->child("link_code_pairing_wrapped_companion_ephemeral_pub");
  ASSERT_TRUE(wrapped && wrapped->bytes());
  auto unwrapped = unwrap_with_code(pairing->code, *wrapped->bytes());
  ASSERT_TRUE(unwrapped);
  EXPECT_EQ(*unwrapped, pairing->ephemeral_public);
  ASSERT_NE(reg->child("companion_platform_display"), nullptr);

  wire::Node answer("iq", {{"type", "result"}}, wire::Node::Children{wire::Node(
      "link_code_companion_reg", {}, wire::Node::Children{wire::Node("link_code_pairing_ref", {}, Bytes{'R', '1'})})});
  EXPECT_EQ(parse_companion_hello_answer(answer).value(), "R1");

  pairing->ref = "R1";
  CompanionFinish finish{filled(0x09, kWrappedBundleSize), filled(0x0a, 32)};
  auto node = companion_finish_iq(*pairing, finish, filled(0x02, 32));
  const wire::Node* finish_reg = node.child("link_code_companion_reg");
  ASSERT_NE(finish_reg, nullptr);
  EXPECT_EQ(finish_reg->attr_or("stage"), "companion_finish");
  ASSERT_NE(finish_reg->child("link_code_pairing_ref"), nullptr);
  EXPECT_EQ(*finish_reg->child("link_code_pairing_wrapped_key_bundle")->bytes(), finish.wrapped_bundle);
}

}  // namespace
}  // namespace wacrm::wa
