#include "control/method_table.h"

#include <gtest/gtest.h>

#include <optional>
#include <stdexcept>

#include "control/daemon.pb.h"
#include "control/envelope.pb.h"

namespace wacrm::control {
namespace {

// Dispatches one call and captures the answer.
struct Dispatch {
  std::optional<Response> answer;
  Call make(const std::string& method, bool admin, std::string payload = {}) {
    return Call{method, std::move(payload), PeerCredentials{1, 1000, 1000}, admin,
                Responder(42, [this](Response r) { answer = std::move(r); })};
  }
};

MethodTable table_with_echo() {
  MethodTable table;
  table.add({"echo", "answers with its payload", true, [](Call call) {
               HelpRequest ignored;
               if (!call.parse(ignored)) return;
               MethodInfo info;
               info.set_name(call.payload);
               call.reply.ok(info);
             }});
  return table;
}

TEST(MethodTable, RunsTheHandlerAndEchoesTheRequestId) {
  auto table = table_with_echo();
  Dispatch d;
  table.dispatch(d.make("echo", true), "refused");
  ASSERT_TRUE(d.answer);
  EXPECT_EQ(d.answer->id(), 42u);
  EXPECT_EQ(d.answer->status(), STATUS_OK);
}

TEST(MethodTable, UnknownMethodsGetCloseNamesAsSuggestions) {
  auto table = table_with_echo();
  register_help_method(table);
  Dispatch d;
  table.dispatch(d.make("ecko", true), "refused");
  ASSERT_TRUE(d.answer);
  EXPECT_EQ(d.answer->status(), STATUS_UNKNOWN_METHOD);
  EXPECT_NE(d.answer->error().find("'ecko'"), std::string::npos);
  ASSERT_EQ(d.answer->suggestions_size(), 1);
  EXPECT_EQ(d.answer->suggestions(0), "echo");
}

TEST(MethodTable, RefusesAdminMethodsToOthersWithTheReason) {
  auto table = table_with_echo();
  Dispatch d;
  table.dispatch(d.make("echo", false), "uid 1000 (u) is neither root nor a member of group 'wacrm'");
  ASSERT_TRUE(d.answer);
  EXPECT_EQ(d.answer->status(), STATUS_PERMISSION_DENIED);
  EXPECT_NE(d.answer->error().find("neither root nor a member of group 'wacrm'"), std::string::npos);
}

TEST(MethodTable, HelpIsOpenToEveryoneAndListsTheMethodsSorted) {
  auto table = table_with_echo();
  register_help_method(table);
  Dispatch d;
  table.dispatch(d.make("help", false), "refused");
  ASSERT_TRUE(d.answer);
  ASSERT_EQ(d.answer->status(), STATUS_OK);
  HelpResponse help;
  ASSERT_TRUE(help.ParseFromString(d.answer->payload()));
  ASSERT_EQ(help.methods_size(), 2);
  EXPECT_EQ(help.methods(0).name(), "echo");
  EXPECT_TRUE(help.methods(0).needs_admin());
  EXPECT_EQ(help.methods(1).name(), "help");
  EXPECT_FALSE(help.methods(1).needs_admin());
}

TEST(MethodTable, AMalformedPayloadIsAnsweredAsMalformed) {
  auto table = table_with_echo();
  Dispatch d;
  table.dispatch(d.make("echo", true, std::string("\xff\xff\xff", 3)), "refused");
  ASSERT_TRUE(d.answer);
  EXPECT_EQ(d.answer->status(), STATUS_MALFORMED);
}

TEST(MethodTable, AHandlerThatDropsTheCallStillAnswersInternal) {
  MethodTable table;
  table.add({"lazy", "never answers", true, [](Call) {}});
  Dispatch d;
  table.dispatch(d.make("lazy", true), "refused");
  ASSERT_TRUE(d.answer);
  EXPECT_EQ(d.answer->status(), STATUS_INTERNAL);
}

TEST(MethodTable, AThrowingHandlerAnswersInternal) {
  MethodTable table;
  table.add({"boom", "throws", true, [](Call) { throw std::runtime_error("kaput"); }});
  Dispatch d;
  table.dispatch(d.make("boom", true), "refused");
  ASSERT_TRUE(d.answer);
  EXPECT_EQ(d.answer->status(), STATUS_INTERNAL);
  EXPECT_NE(d.answer->error().find("kaput"), std::string::npos);
}

TEST(MethodTable, OnlyTheFirstAnswerCounts) {
  MethodTable table;
  table.add({"twice", "answers twice", true, [](Call call) {
               call.reply.fail(Error{Errc::not_found, "first"});
               call.reply.ok();
             }});
  int answers = 0;
  Response last;
  table.dispatch(Call{"twice", {}, {}, true, Responder(1, [&](Response r) {
                        ++answers;
                        last = std::move(r);
                      })},
                 "refused");
  EXPECT_EQ(answers, 1);
  EXPECT_EQ(last.status(), STATUS_NOT_FOUND);
  EXPECT_EQ(last.error(), "first");
}

TEST(MethodTable, RegisteringANameTwiceIsAWiringBug) {
  auto table = table_with_echo();
  EXPECT_THROW(table.add({"echo", "again", true, [](Call) {}}), std::logic_error);
}

}  // namespace
}  // namespace wacrm::control
