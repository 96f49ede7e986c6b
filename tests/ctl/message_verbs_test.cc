// wacrmctl messages | chats | contacts through their real doors: the command
// line, the control socket, message.list / chat.list / contact.list on a
// database pool, over messages stored the way the handler stores them.
#include <gtest/gtest.h>

#include <chrono>

#include "control/message_methods.h"
#include "ctl/control_harness.h"
#include "exit_codes.h"
#include "store/pg/pg_message_repository.h"
#include "support/test_database.h"

namespace wacrm::testing {
namespace {

using std::chrono::seconds;

const std::string kAlice = "491700000001@s.whatsapp.net";
const std::string kDaveLid = "100000000000004@lid";
const std::string kDave = "491700000004@s.whatsapp.net";
const std::string kGroup = "120363000000000001@g.us";
constexpr std::int64_t kT0 = 1'700'000'000;

store::MessageTime at(std::int64_t offset) { return store::MessageTime(seconds(kT0 + offset)); }

class MessageVerbsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    db_.apply_schema();
    account_ = conn_.exec("INSERT INTO accounts (name) VALUES ('bob') RETURNING id").value().int64(0, 0);
    store::PgMessageRepository repo(conn_);
    auto stored = [&](store::NewMessage m) { ASSERT_TRUE(repo.store(m)) << m.wa_id; };

    stored(from(kAlice, "Alice", "A1", "text", "hi there", 0));
    store::NewMessage reply = from(kAlice, "", "A2", "text", "hello Alice", 60);
    reply.from_me = true;
    reply.sender.reset();
    reply.sender_jid = "491700000009@s.whatsapp.net";
    reply.status = store::MessageStatus::read;
    stored(reply);
    store::NewMessage image = from(kAlice, "Alice", "A3", "image", "look", 120);
    image.media = store::MediaRecord{"image/jpeg"};
    stored(image);
    store::NewMessage hole = from(kAlice, "Alice", "A4", "placeholder", "", 180);
    hole.body.reset();
    hole.decrypt_error = "no session: decrypt msg";
    stored(hole);

    // Dave writes in a group from his LID, his phone number known.
    store::NewMessage group = from(kDaveLid, "Dave", "G1", "text", "rope tonight?", 240);
    group.chat_jid = kGroup;
    group.chat_is_group = true;
    group.chat_person.reset();
    group.sender->pn = kDave;
    group.sender_jid = kDave;
    stored(group);
    ASSERT_TRUE(repo.set_group_subject(account_, kGroup, "Climbing"));
  }

  store::NewMessage from(const std::string& who, const std::string& push, const std::string& id,
                         const std::string& kind, const std::string& body, std::int64_t t) {
    store::NewMessage m;
    m.account_id = account_;
    m.chat_jid = who;
    m.chat_person = store::PersonSighting{who};
    m.sender = store::PersonSighting{who};
    if (!push.empty()) m.sender->push_name = push;
    m.sender_jid = who;
    m.wa_id = id;
    m.sent_at = at(t);
    m.kind = kind;
    m.body = body;
    return m;
  }

  static bool has(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

  TestDatabase db_;
  store::PgConnection conn_ = db_.connect();
  std::int64_t account_ = 0;
  ControlHarness door_{db_.connect(), [](control::MethodTable& table, control::PoolRunner& runner) {
                         control::register_message_methods(table, runner);
                       }};
};

TEST_F(MessageVerbsTest, MessagesOfEveryChatOldestFirst) {
  auto r = door_.ctl({"messages", "bob"});
  ASSERT_EQ(r.code, ctl::kExitOk) << r.err;
  EXPECT_TRUE(has(r.out, "CHAT")) << r.out;
  const auto first = r.out.find("hi there"), last = r.out.find("rope tonight?");
  ASSERT_NE(first, std::string::npos) << r.out;
  ASSERT_NE(last, std::string::npos) << r.out;
  EXPECT_LT(first, last);
  EXPECT_TRUE(has(r.out, "me (read)")) << r.out;
  EXPECT_TRUE(has(r.out, "[image] look")) << r.out;
  EXPECT_TRUE(has(r.out, "[could not be read: no session: decrypt msg]")) << r.out;
  EXPECT_TRUE(has(r.out, "Dave")) << r.out;
  EXPECT_FALSE(has(r.out, "Older messages")) << r.out;
}

TEST_F(MessageVerbsTest, OneChatOrOnePerson) {
  auto chat = door_.ctl({"messages", "bob", "--chat", kGroup});
  ASSERT_EQ(chat.code, ctl::kExitOk) << chat.err;
  EXPECT_TRUE(has(chat.out, "rope tonight?")) << chat.out;
  EXPECT_FALSE(has(chat.out, "hi there")) << chat.out;

  // By name, through the CRM's resolver; Dave's chat is found by his LID too.
  auto person = door_.ctl({"messages", "bob", "--contact", "alice"});
  ASSERT_EQ(person.code, ctl::kExitOk) << person.err;
  EXPECT_TRUE(has(person.out, "Alice (+491700000001)")) << person.out;
  EXPECT_TRUE(has(person.out, "hello Alice")) << person.out;
  EXPECT_FALSE(has(person.out, "rope")) << person.out;

  auto typo = door_.ctl({"messages", "bob", "--contact", "Alicia"});
  EXPECT_EQ(typo.code, ctl::kExitFailed);
  EXPECT_TRUE(has(typo.err, "Alice")) << typo.err;

  auto both = door_.ctl({"messages", "bob", "--chat", kAlice, "--contact", "alice"});
  EXPECT_EQ(both.code, ctl::kExitFailed);
  EXPECT_TRUE(has(both.err, "not both")) << both.err;

  auto unknown = door_.ctl({"messages", "bob", "--chat", "nobody@s.whatsapp.net"});
  EXPECT_EQ(unknown.code, ctl::kExitFailed);
  EXPECT_TRUE(has(unknown.err, "no chat 'nobody@s.whatsapp.net'")) << unknown.err;
}

TEST_F(MessageVerbsTest, PagesBackWithLimitAndBefore) {
  auto page = door_.ctl({"messages", "bob", "--limit", "2"});
  ASSERT_EQ(page.code, ctl::kExitOk) << page.err;
  EXPECT_TRUE(has(page.out, "rope tonight?")) << page.out;
  EXPECT_FALSE(has(page.out, "look")) << page.out;
  const std::string hint = "add --before " + std::to_string(kT0 + 180);
  EXPECT_TRUE(has(page.out, hint)) << page.out;

  auto older = door_.ctl({"messages", "bob", "--limit", "2", "--before", std::to_string(kT0 + 180)});
  ASSERT_EQ(older.code, ctl::kExitOk) << older.err;
  EXPECT_TRUE(has(older.out, "[image] look")) << older.out;
  EXPECT_TRUE(has(older.out, "hello Alice")) << older.out;
  EXPECT_FALSE(has(older.out, "hi there")) << older.out;

  auto dated = door_.ctl({"messages", "bob", "--before", "2001-01-01"});
  ASSERT_EQ(dated.code, ctl::kExitOk) << dated.err;
  EXPECT_TRUE(has(dated.out, "No messages.")) << dated.out;

  auto bad = door_.ctl({"messages", "bob", "--before", "yesterday"});
  EXPECT_EQ(bad.code, ctl::kExitUsage);
  EXPECT_TRUE(has(bad.err, "'yesterday'")) << bad.err;
  EXPECT_EQ(door_.ctl({"messages", "bob", "--limit", "5000"}).code, ctl::kExitFailed);
}

TEST_F(MessageVerbsTest, JsonHasEveryField) {
  auto r = door_.ctl({"--json", "messages", "bob", "--chat", kAlice});
  ASSERT_EQ(r.code, ctl::kExitOk) << r.err;
  EXPECT_TRUE(has(r.out, "\"wa_id\": \"A1\"")) << r.out;
  EXPECT_TRUE(has(r.out, "\"decrypt_error\": \"no session: decrypt msg\"")) << r.out;
  EXPECT_TRUE(has(r.out, "\"status\": \"read\"")) << r.out;
  EXPECT_TRUE(has(r.out, "\"mimetype\": \"image/jpeg\"")) << r.out;
  EXPECT_TRUE(has(door_.ctl({"--json", "chats", "bob"}).out, "\"name\": \"Climbing\""));
  EXPECT_TRUE(has(door_.ctl({"--json", "contacts", "bob"}).out, "\"lid\": \"" + kDaveLid + "\""));
}

TEST_F(MessageVerbsTest, ChatsAndContacts) {
  auto chats = door_.ctl({"chats", "bob"});
  ASSERT_EQ(chats.code, ctl::kExitOk) << chats.err;
  const auto climbing = chats.out.find("Climbing"), alice = chats.out.find("Alice");
  ASSERT_NE(climbing, std::string::npos) << chats.out;
  ASSERT_NE(alice, std::string::npos) << chats.out;
  EXPECT_LT(climbing, alice);  // the most recent first
  EXPECT_TRUE(has(chats.out, "group")) << chats.out;

  auto contacts = door_.ctl({"contacts", "bob"});
  ASSERT_EQ(contacts.code, ctl::kExitOk) << contacts.err;
  EXPECT_TRUE(has(contacts.out, "+491700000001")) << contacts.out;
  EXPECT_TRUE(has(contacts.out, "+491700000004")) << contacts.out;
  EXPECT_TRUE(has(contacts.out, kDaveLid)) << contacts.out;

  auto nobody = door_.ctl({"contacts", "nobody"});
  EXPECT_EQ(nobody.code, ctl::kExitFailed);
  EXPECT_TRUE(has(nobody.err, "nobody")) << nobody.err;
}

TEST_F(MessageVerbsTest, HelpNamesTheOptions) {
  auto help = door_.ctl({"messages", "--help"});
  EXPECT_EQ(help.code, ctl::kExitOk);
  for (const char* option : {"--chat", "--contact", "--limit", "--before", "--account"})
    EXPECT_TRUE(has(help.out, option)) << help.out;
}

// The same account rule as the CRM verbs: --account NAME, the older
// positional ACCOUNT, or neither while the daemon has only one account.
TEST_F(MessageVerbsTest, TheAccountByOptionPositionOrNotAtAll) {
  for (const auto& args : std::vector<std::vector<std::string>>{
           {"messages", "--account", "bob"}, {"messages", "-a", "bob"}, {"messages"}, {"messages", "bob"}}) {
    auto r = door_.ctl(args);
    ASSERT_EQ(r.code, ctl::kExitOk) << r.err;
    EXPECT_TRUE(has(r.out, "rope tonight?")) << r.out;
  }
  EXPECT_TRUE(has(door_.ctl({"chats", "--account", "bob"}).out, "Climbing"));
  EXPECT_TRUE(has(door_.ctl({"chats"}).out, "Climbing"));
  EXPECT_TRUE(has(door_.ctl({"contacts", "--account", "bob"}).out, "+491700000001"));
  EXPECT_TRUE(has(door_.ctl({"contacts"}).out, "+491700000001"));

  auto twice = door_.ctl({"messages", "bob", "--account", "carol"});
  EXPECT_EQ(twice.code, ctl::kExitUsage);
  EXPECT_TRUE(has(twice.err, "given twice")) << twice.err;

  // With a second account the daemon asks which one, naming them.
  ASSERT_TRUE(conn_.exec("INSERT INTO accounts (name) VALUES ('carol')"));
  auto which = door_.ctl({"chats"});
  EXPECT_EQ(which.code, ctl::kExitFailed);
  EXPECT_TRUE(has(which.err, "bob") && has(which.err, "carol")) << which.err;
  EXPECT_EQ(door_.ctl({"chats", "--account", "carol"}).code, ctl::kExitOk);
}

}  // namespace
}  // namespace wacrm::testing
