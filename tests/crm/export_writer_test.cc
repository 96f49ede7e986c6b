// The writers' quoting and escaping on awkward content. Whole exports of a
// small chat, byte for byte, are in crm_api_test (export_test.cc).
#include "crm/export_writer.h"

#include <gtest/gtest.h>

namespace wacrm::crm {
namespace {

store::ExportMessage message(std::optional<std::string> body, std::string kind = "text") {
  store::ExportMessage m;
  m.id = 7;
  m.chat_jid = "111@s.whatsapp.net";
  m.local_time = "2024-06-01T09:30:05+02:00";
  m.sender = "Bob";
  m.sender_jid = "111@s.whatsapp.net";
  m.kind = std::move(kind);
  m.body = std::move(body);
  return m;
}

std::string write(ExportFormat format, const std::vector<store::ExportMessage>& messages) {
  auto w = make_export_writer(format);
  std::string out;
  w->begin({"Bob", "UTC"}, out);
  for (const auto& m : messages) w->message(m, out);
  w->end(out);
  return out;
}

TEST(ExportWriter, CsvQuotesPerRfc4180) {
  auto out = write(ExportFormat::csv, {message("plain"), message("a,b"), message("say \"hi\""), message("two\r\nlines"),
                                       message(std::nullopt, "image")});
  EXPECT_EQ(out,
            "id,chat,sent_at,direction,sender,sender_jid,kind,body,file_name,deleted,edited\r\n"
            "7,111@s.whatsapp.net,2024-06-01T09:30:05+02:00,in,Bob,111@s.whatsapp.net,text,plain,,false,false\r\n"
            "7,111@s.whatsapp.net,2024-06-01T09:30:05+02:00,in,Bob,111@s.whatsapp.net,text,\"a,b\",,false,false\r\n"
            "7,111@s.whatsapp.net,2024-06-01T09:30:05+02:00,in,Bob,111@s.whatsapp.net,text,\"say \"\"hi\"\"\",,false,false\r\n"
            "7,111@s.whatsapp.net,2024-06-01T09:30:05+02:00,in,Bob,111@s.whatsapp.net,text,\"two\r\nlines\",,false,false\r\n"
            "7,111@s.whatsapp.net,2024-06-01T09:30:05+02:00,in,Bob,111@s.whatsapp.net,image,,,false,false\r\n");
}

TEST(ExportWriter, HtmlEscapesEverything) {
  auto m = message("<script>alert('x')</script> & \"q\"");
  m.sender = "<Bob & Co>";
  auto out = write(ExportFormat::html, {m});
  EXPECT_EQ(out.find("<script>"), std::string::npos);
  EXPECT_NE(out.find("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;q&quot;"), std::string::npos);
  EXPECT_NE(out.find("&lt;Bob &amp; Co&gt;"), std::string::npos);
  // Self-contained: no external references.
  EXPECT_EQ(out.find("http"), std::string::npos);
  EXPECT_EQ(out.find("src="), std::string::npos);
}

TEST(ExportWriter, JsonEscapesAndSurvivesInvalidUtf8) {
  auto out = write(ExportFormat::json_lines, {message("quote \" backslash \\ newline \n tab \t"), message("bad \xff byte")});
  EXPECT_EQ(out.substr(0, out.find('\n')),
            R"({"id":7,"chat":"111@s.whatsapp.net","sent_at":"2024-06-01T09:30:05+02:00","from_me":false,)"
            R"("sender":"Bob","sender_jid":"111@s.whatsapp.net","kind":"text",)"
            R"("body":"quote \" backslash \\ newline \n tab \t","file_name":null,"deleted":false,"edited":false})");
  EXPECT_NE(out.find("bad \xEF\xBF\xBD byte"), std::string::npos);   // U+FFFD
}

TEST(ExportWriter, JsonArrayIsValidWhenEmptyOrNot) {
  EXPECT_EQ(write(ExportFormat::json_array, {}), "[\n]\n");
  auto two = write(ExportFormat::json_array, {message("a"), message("b")});
  EXPECT_EQ(two.front(), '[');
  EXPECT_NE(two.find("},\n{"), std::string::npos);
  EXPECT_TRUE(two.ends_with("}\n]\n"));
}

TEST(ExportWriter, DescribeContent) {
  auto doc = message("see attached", "document");
  doc.file_name = "a.pdf";
  EXPECT_EQ(describe_content(doc), "[document: a.pdf] see attached");
  auto loc = message(std::nullopt, "live_location");
  EXPECT_EQ(describe_content(loc), "[live location]");
  auto ph = message(std::nullopt, "placeholder");
  EXPECT_EQ(describe_content(ph), "[message could not be decrypted]");
  auto edited = message("fixed typo");
  edited.edited = true;
  edited.deleted = true;
  EXPECT_EQ(describe_content(edited), "fixed typo [edited] [deleted]");
}

}  // namespace
}  // namespace wacrm::crm
