// Key encodings, generation and records; XEdDSA.
#include <gtest/gtest.h>

#include <set>

#include "signal/key_generation.h"
#include "signal/keys.h"
#include "signal/memory_signal_store.h"
#include "signal/xeddsa.h"
#include "signal_test_util.h"

namespace wacrm::signal {
namespace {

using testing::make_context;

TEST(KeysTest, ConvertsBetween32And33Bytes) {
  Bytes wire(32, 0xab);
  Bytes prefixed = signal_public_key(wire).value();
  ASSERT_EQ(prefixed.size(), 33u);
  EXPECT_EQ(prefixed[0], 0x05);
  EXPECT_EQ(wire_public_key(prefixed).value(), wire);

  EXPECT_EQ(signal_public_key(prefixed).error().code, Errc::invalid_argument);  // already 33
  EXPECT_EQ(wire_public_key(wire).error().code, Errc::invalid_argument);        // only 32
  Bytes wrong_type = prefixed;
  wrong_type[0] = 0x06;
  EXPECT_EQ(wire_public_key(wrong_type).error().code, Errc::invalid_argument);
}

TEST(KeysTest, LocalIdentityHasWireSizedKeysAndAValidSignedPreKey) {
  Context context = make_context();
  auto identity = generate_local_identity(context).value();
  EXPECT_EQ(identity.identity_public.size(), 32u);
  EXPECT_EQ(identity.identity_private.size(), 32u);
  EXPECT_EQ(identity.signed_pre_key_public.size(), 32u);
  EXPECT_EQ(identity.signed_pre_key_private.size(), 32u);
  EXPECT_EQ(identity.signed_pre_key_id, 1u);
  EXPECT_GE(identity.registration_id, 1u);
  EXPECT_LE(identity.registration_id, 16380u);
  // The signature covers the 33-byte form (notes §2.2), not the wire form.
  Bytes signed_form = signal_public_key(identity.signed_pre_key_public).value();
  EXPECT_TRUE(xeddsa_verify(identity.identity_public, signed_form, identity.signed_pre_key_signature));
  EXPECT_FALSE(xeddsa_verify(identity.identity_public, identity.signed_pre_key_public,
                             identity.signed_pre_key_signature));
}

TEST(KeysTest, PreKeyIdsAreConsecutiveAndWrapAt24Bits) {
  Context context = make_context();
  auto keys = generate_pre_keys(context, 0xFFFFFE, 4).value();
  ASSERT_EQ(keys.size(), 4u);
  EXPECT_EQ(keys[0].id, 0xFFFFFEu);
  EXPECT_EQ(keys[1].id, 0xFFFFFFu);
  EXPECT_EQ(keys[2].id, 1u);
  EXPECT_EQ(keys[3].id, 2u);
  std::set<Bytes> publics;
  for (const auto& k : keys) publics.insert(k.key.public_key);
  EXPECT_EQ(publics.size(), 4u);
  EXPECT_EQ(generate_pre_keys(context, 0, 1).error().code, Errc::invalid_argument);
  EXPECT_EQ(generate_pre_keys(context, 0x1000000, 1).error().code, Errc::invalid_argument);
}

TEST(KeysTest, PreKeyRecordsRoundTripThroughAStore) {
  Context context = make_context();
  auto keys = generate_pre_keys(context, 10, 3).value();
  MemorySignalStore store;
  ASSERT_TRUE(store_pre_keys(context, store, keys));
  EXPECT_EQ(store.pre_key_count(), 3u);
  auto record = store.load_pre_key(11).value();
  ASSERT_TRUE(record);
  PreKey parsed = parse_pre_key_record(context, *record).value();
  EXPECT_EQ(parsed.id, 11u);
  EXPECT_EQ(parsed.key.public_key, keys[1].key.public_key);
  EXPECT_EQ(parsed.key.private_key, keys[1].key.private_key);
  EXPECT_FALSE(parse_pre_key_record(context, as_bytes("not a record")));
}

TEST(KeysTest, UploadBookkeepingInMemory) {
  Context context = make_context();
  MemorySignalStore store;
  ASSERT_TRUE(store_pre_keys(context, store, generate_pre_keys(context, 1, 4).value()));
  EXPECT_EQ(store.unuploaded_pre_key_ids().value(), (std::vector<std::uint32_t>{1, 2, 3, 4}));
  std::vector<std::uint32_t> sent{1, 3, 99};
  ASSERT_TRUE(store.mark_pre_keys_uploaded(sent));
  EXPECT_EQ(store.unuploaded_pre_key_ids().value(), (std::vector<std::uint32_t>{2, 4}));
}

TEST(XeddsaTest, SignsAndVerifies) {
  Context context = make_context();
  KeyPair pair = generate_key_pair(context).value();
  Bytes message{1, 2, 3, 4, 5};
  Bytes signature = xeddsa_sign(context, pair.private_key, message).value();
  ASSERT_EQ(signature.size(), 64u);
  EXPECT_TRUE(xeddsa_verify(pair.public_key, message, signature));

  Bytes other_message{1, 2, 3, 4, 6};
  EXPECT_FALSE(xeddsa_verify(pair.public_key, other_message, signature));
  Bytes flipped = signature;
  flipped[10] ^= 0x01;
  EXPECT_FALSE(xeddsa_verify(pair.public_key, message, flipped));
  KeyPair stranger = generate_key_pair(context).value();
  EXPECT_FALSE(xeddsa_verify(stranger.public_key, message, signature));
}

TEST(XeddsaTest, MalformedInputIsFalseOrAnError) {
  Context context = make_context();
  KeyPair pair = generate_key_pair(context).value();
  Bytes message{9};
  Bytes signature = xeddsa_sign(context, pair.private_key, message).value();
  EXPECT_FALSE(xeddsa_verify(Bytes(31, 1), message, signature));
  EXPECT_FALSE(xeddsa_verify(signal_public_key(pair.public_key).value(), message, signature));  // 33 bytes
  EXPECT_FALSE(xeddsa_verify(pair.public_key, message, Bytes(63, 0)));
  EXPECT_EQ(xeddsa_sign(context, Bytes(31, 1), message).error().code, Errc::invalid_argument);
}

}  // namespace
}  // namespace wacrm::signal
