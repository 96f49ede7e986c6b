// proto/wa/client_payload.proto against the annotated login payload of
// protocol notes 01 §3.4 (78 bytes produced by Baileys' encoder): every field
// lands where the notes say, zero-valued enums keep their presence, and the
// bytes re-serialize unchanged. (The WAProto vector round trips of all
// proto/wa types live in tests/proto/protobuf_conformance_test.cc.)
#include <gtest/gtest.h>

#include "base/bytes.h"
#include "noise_test_util.h"
#include "wa/client_payload.pb.h"

namespace wacrm::noise {
namespace {

const char* const kLoginPayload =
    "088784b4f739 1801 2a36 080e 120b0802 10b817 18d7afcdf203 1a03303030 2203303030 2a03302e31"
    " 3a074465736b746f70 4203302e31 5000 5a02656e 62025553 32022000 6001 6801 90010c 880201";

TEST(ClientPayloadSchema, LoginPayloadOfTheNotes) {
  Bytes wire = testing::hex(kLoginPayload);
  ASSERT_EQ(wire.size(), 78u);
  wa::ClientPayload payload;
  ASSERT_TRUE(payload.ParseFromArray(wire.data(), static_cast<int>(wire.size())));
  EXPECT_EQ(payload.username(), 15551234567u);
  EXPECT_TRUE(payload.passive());
  const auto& ua = payload.user_agent();
  EXPECT_EQ(ua.platform(), wa::ClientPayload::UserAgent::WEB);
  EXPECT_EQ(ua.app_version().primary(), 2u);
  EXPECT_EQ(ua.app_version().secondary(), 3000u);
  EXPECT_EQ(ua.app_version().tertiary(), 1045649367u);
  EXPECT_EQ(ua.mcc(), "000");
  EXPECT_EQ(ua.os_version(), "0.1");
  EXPECT_EQ(ua.device(), "Desktop");
  EXPECT_EQ(ua.os_build_number(), "0.1");
  EXPECT_TRUE(ua.has_release_channel());
  EXPECT_EQ(ua.locale_language_iso_639_1(), "en");
  EXPECT_EQ(ua.locale_country_iso_3166_1_alpha_2(), "US");
  EXPECT_TRUE(payload.web_info().has_web_sub_platform());
  EXPECT_EQ(payload.connect_type(), wa::ClientPayload::WIFI_UNKNOWN);
  EXPECT_EQ(payload.connect_reason(), wa::ClientPayload::USER_ACTIVATED);
  EXPECT_EQ(payload.device(), 12u);
  EXPECT_TRUE(payload.pull());
  EXPECT_EQ(to_hex(as_bytes(payload.SerializeAsString())), to_hex(wire));
}

TEST(ClientPayloadSchema, LcAndLidDbMigratedUseTheNotesKeyBytes) {
  wa::ClientPayload payload;
  payload.set_lc(1);
  payload.set_lid_db_migrated(true);
  EXPECT_EQ(to_hex(as_bytes(payload.SerializeAsString())), "c00101c80201");
}

}  // namespace
}  // namespace wacrm::noise
