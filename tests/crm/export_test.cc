// crm.export end to end: exact output of each format for a small chat, and
// a long chat streamed in bounded chunks.
#include "crm/crm_api_fixture.h"

namespace wacrm::testing {
namespace {

class ExportTest : public CrmApiTest {
 protected:
  void SetUp() override {
    bob_ = h_.person("Bob", "111");
    auto c = h_.chat_of(bob_);
    h_.in(c, kNow - 2h, "Hi, \"Alice\"");
    h_.message(c, true, kNow - 1h, {.body = "line one\nline two", .edited = true});
    h_.message(c, false, kNow - 30min, {.kind = "document", .body = "the invoice", .file_name = "invoice.pdf"});
    h_.message(c, false, kNow - 20min, {.kind = "reaction", .body = "👍"});
    h_.message(c, false, kNow - 10min, {.kind = "image", .deleted = true});
  }

  struct Stream {
    std::string data;
    std::vector<bool> last_flags;
    std::vector<std::size_t> sizes;
    std::int64_t messages = 0;
    std::string title;
  };

  crm::ApiResult<Stream> run(control::CrmExportRequest req) {
    const auto* m = crm::find_crm_method("crm.export");
    crm::CrmContext ctx{store_, settings_, now_};
    Stream s;
    auto status = m->stream(ctx, req.SerializeAsString(), [&](std::string payload, bool last) -> Status {
      control::CrmExportChunk chunk;
      if (!chunk.ParseFromString(payload)) return make_error(Errc::malformed, "chunk");
      if (s.last_flags.empty()) s.title = chunk.title();
      s.data += chunk.data();
      s.sizes.push_back(chunk.data().size());
      s.messages = chunk.messages();
      s.last_flags.push_back(last);
      return {};
    });
    if (!status) return std::unexpected(status.error());
    return s;
  }

  std::string exported(control::CrmExportFormat format, bool array = false) {
    control::CrmExportRequest req;
    req.set_contact("Bob");
    req.set_format(format);
    req.set_json_array(array);
    auto s = ok(run(req));
    EXPECT_EQ(s.messages, 4);
    EXPECT_EQ(s.title, "Bob (+111)");
    return s.data;
  }

  std::int64_t bob_ = 0;
};

TEST_F(ExportTest, Txt) {
  EXPECT_EQ(exported(control::CRM_EXPORT_FORMAT_TXT),
            "Conversation with Bob (+111)\n"
            "Times in Europe/Berlin.\n"
            "\n"
            "[2024-06-03 12:00:00] Bob: Hi, \"Alice\"\n"
            "[2024-06-03 13:00:00] Me: line one\n"
            "    line two [edited]\n"
            "[2024-06-03 13:30:00] Bob: [document: invoice.pdf] the invoice\n"
            "[2024-06-03 13:50:00] Bob: [image] [deleted]\n");
}

TEST_F(ExportTest, JsonLinesAndArray) {
  const std::string lines[] = {
      R"({"id":1,"chat":"111@s.whatsapp.net","sent_at":"2024-06-03T12:00:00+02:00","from_me":false,"sender":"Bob","sender_jid":"111@s.whatsapp.net","kind":"text","body":"Hi, \"Alice\"","file_name":null,"deleted":false,"edited":false})",
      R"({"id":2,"chat":"111@s.whatsapp.net","sent_at":"2024-06-03T13:00:00+02:00","from_me":true,"sender":"Me","sender_jid":"me@s.whatsapp.net","kind":"text","body":"line one\nline two","file_name":null,"deleted":false,"edited":true})",
      R"({"id":3,"chat":"111@s.whatsapp.net","sent_at":"2024-06-03T13:30:00+02:00","from_me":false,"sender":"Bob","sender_jid":"111@s.whatsapp.net","kind":"document","body":"the invoice","file_name":"invoice.pdf","deleted":false,"edited":false})",
      R"({"id":5,"chat":"111@s.whatsapp.net","sent_at":"2024-06-03T13:50:00+02:00","from_me":false,"sender":"Bob","sender_jid":"111@s.whatsapp.net","kind":"image","body":null,"file_name":null,"deleted":true,"edited":false})",
  };
  EXPECT_EQ(exported(control::CRM_EXPORT_FORMAT_JSON),
            lines[0] + "\n" + lines[1] + "\n" + lines[2] + "\n" + lines[3] + "\n");
  EXPECT_EQ(exported(control::CRM_EXPORT_FORMAT_JSON, true),
            "[\n" + lines[0] + ",\n" + lines[1] + ",\n" + lines[2] + ",\n" + lines[3] + "\n]\n");
}

TEST_F(ExportTest, Csv) {
  EXPECT_EQ(exported(control::CRM_EXPORT_FORMAT_CSV),
            "id,chat,sent_at,direction,sender,sender_jid,kind,body,file_name,deleted,edited\r\n"
            "1,111@s.whatsapp.net,2024-06-03T12:00:00+02:00,in,Bob,111@s.whatsapp.net,text,\"Hi, \"\"Alice\"\"\",,false,false\r\n"
            "2,111@s.whatsapp.net,2024-06-03T13:00:00+02:00,out,Me,me@s.whatsapp.net,text,\"line one\nline two\",,false,true\r\n"
            "3,111@s.whatsapp.net,2024-06-03T13:30:00+02:00,in,Bob,111@s.whatsapp.net,document,the invoice,invoice.pdf,false,false\r\n"
            "5,111@s.whatsapp.net,2024-06-03T13:50:00+02:00,in,Bob,111@s.whatsapp.net,image,,,true,false\r\n");
}

TEST_F(ExportTest, Html) {
  EXPECT_EQ(exported(control::CRM_EXPORT_FORMAT_HTML),
            "<!DOCTYPE html>\n<html>\n<head>\n<meta charset=\"utf-8\">\n"
            "<title>Conversation with Bob (+111)</title>\n<style>\n"
            "body{font-family:system-ui,sans-serif;max-width:48rem;margin:2rem auto;padding:0 1rem;"
            "background:#f4f4f0;color:#222}\n"
            ".m{margin:.4rem 0;padding:.4rem .7rem;border-radius:.5rem;background:#fff;max-width:80%;width:fit-content}\n"
            ".m.out{margin-left:auto;background:#dcf8c6}\n"
            ".meta{font-size:.75rem;color:#666}\n"
            ".text{white-space:pre-wrap;overflow-wrap:anywhere}\n"
            "</style>\n</head>\n<body>\n<h1>Conversation with Bob (+111)</h1>\n"
            "<p class=\"meta\">Times in Europe/Berlin.</p>\n"
            "<div class=\"m in\"><div class=\"meta\">Bob · <time datetime=\"2024-06-03T12:00:00+02:00\">"
            "2024-06-03 12:00:00</time></div><div class=\"text\">Hi, &quot;Alice&quot;</div></div>\n"
            "<div class=\"m out\"><div class=\"meta\">Me · <time datetime=\"2024-06-03T13:00:00+02:00\">"
            "2024-06-03 13:00:00</time></div><div class=\"text\">line one\nline two [edited]</div></div>\n"
            "<div class=\"m in\"><div class=\"meta\">Bob · <time datetime=\"2024-06-03T13:30:00+02:00\">"
            "2024-06-03 13:30:00</time></div><div class=\"text\">[document: invoice.pdf] the invoice</div></div>\n"
            "<div class=\"m in\"><div class=\"meta\">Bob · <time datetime=\"2024-06-03T13:50:00+02:00\">"
            "2024-06-03 13:50:00</time></div><div class=\"text\">[image] [deleted]</div></div>\n"
            "</body>\n</html>\n");
}

TEST_F(ExportTest, LongChatStreamsInBoundedChunks) {
  settings_.export_chunk_bytes = 64 * 1024;
  settings_.export_batch_rows = 500;
  h_.sql("INSERT INTO messages (account_id, chat_id, wa_id, sender_jid, from_me, sent_at, kind, body) "
         "SELECT " + std::to_string(h_.account_id()) + ", " + std::to_string(h_.chat_of(bob_)) +
         ", 'L' || i, '111@s.whatsapp.net', false, '2023-01-01T00:00:00Z'::timestamptz + i * interval '1 second', "
         "'text', 'message number ' || i FROM generate_series(1, 20000) i");
  control::CrmExportRequest req;
  req.set_contact("111");
  req.set_format(control::CRM_EXPORT_FORMAT_CSV);
  auto s = ok(run(req));
  EXPECT_EQ(s.messages, 20004);
  ASSERT_GT(s.sizes.size(), 10u);
  for (std::size_t i = 0; i + 1 < s.sizes.size(); ++i) {
    EXPECT_FALSE(s.last_flags[i]);
    EXPECT_LT(s.sizes[i], 64u * 1024 + 200);
  }
  EXPECT_TRUE(s.last_flags.back());
  EXPECT_EQ(std::count(s.data.begin(), s.data.end(), '\n'), 20004 + 1 + 1);   // + header, + the two-line message
  EXPECT_NE(s.data.find(",message number 20000,"), std::string::npos);
}

TEST_F(ExportTest, UnknownContactAndGroupWithoutContactRow) {
  control::CrmExportRequest req;
  req.set_contact("Nobody");
  auto r = run(req);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().error.code, Errc::not_found);

  auto g = h_.chat("777-888@g.us", std::nullopt, true, "Neighbours");
  h_.message(g, false, kNow - 1h, {.body = "bins tomorrow", .sender_jid = "5@s.whatsapp.net"});
  req.set_contact("777-888@g.us");
  auto s = ok(run(req));
  EXPECT_EQ(s.title, "Neighbours");
  EXPECT_EQ(s.messages, 1);
  EXPECT_NE(s.data.find("] 5: bins tomorrow"), std::string::npos);
}

}  // namespace
}  // namespace wacrm::testing
