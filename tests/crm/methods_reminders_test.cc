// crm.remind.* and the due events, through the method table.
#include "crm/due_events.h"

#include "crm/crm_api_fixture.h"

namespace wacrm::testing {
namespace {

class ReminderMethodsTest : public CrmApiTest {
 protected:
  crm::ApiResult<control::CrmRemindAddResponse> add(std::string contact, std::string in, std::string at,
                                                    std::string tz = "") {
    control::CrmRemindAddRequest req;
    req.set_contact(contact);
    req.set_in_duration(in);
    req.set_at_time(at);
    req.set_time_zone(tz);
    req.set_text("call back");
    return call<control::CrmRemindAddResponse>("crm.remind.add", req);
  }
  static std::int64_t seconds(TimePoint t) {
    return std::chrono::duration_cast<std::chrono::seconds>(t.time_since_epoch()).count();
  }
};

TEST_F(ReminderMethodsTest, InAndAtInTheRequestZone) {
  h_.person("Bob", "111");
  EXPECT_EQ(ok(add("Bob", "3d", "")).reminder().due_at().seconds(), seconds(kNow + 72h));
  EXPECT_EQ(ok(add("Bob", "2h30m", "")).reminder().due_at().seconds(), seconds(kNow + 150min));
  // A date alone is 09:00 there: Berlin is UTC+2 in June.
  auto date = ok(add("Bob", "", "2024-06-10"));
  EXPECT_EQ(date.reminder().due_at().seconds(), seconds(std::chrono::sys_days(std::chrono::year{2024} / 6 / 10) + 7h));
  EXPECT_EQ(date.reminder().person().name(), "Bob");
  auto ny = ok(add("Bob", "", "2024-06-10 09:00", "America/New_York"));
  EXPECT_EQ(ny.reminder().due_at().seconds(), seconds(std::chrono::sys_days(std::chrono::year{2024} / 6 / 10) + 13h));
  auto offset = ok(add("Bob", "", "2024-06-10T09:00:00+05:30"));
  EXPECT_EQ(offset.reminder().due_at().seconds(),
            seconds(std::chrono::sys_days(std::chrono::year{2024} / 6 / 10) + 3h + 30min));
  // In winter Berlin is UTC+1.
  EXPECT_EQ(ok(add("", "", "2025-01-10 09:00")).reminder().due_at().seconds(),
            seconds(std::chrono::sys_days(std::chrono::year{2025} / 1 / 10) + 8h));
}

TEST_F(ReminderMethodsTest, BadInputNamesTheFormsAndCreatesNothing) {
  h_.person("Bob", "111");
  struct Case {
    std::string contact, in, at, needle;
    Errc code;
  } cases[] = {
      {"Bob", "3x", "", "2h30m", Errc::invalid_argument},
      {"Bob", "", "next tuesday", "YYYY-MM-DD", Errc::invalid_argument},
      {"Bob", "", "2024-02-30", "YYYY-MM-DD", Errc::invalid_argument},
      {"Bob", "1d", "2024-07-01", "not both", Errc::invalid_argument},
      {"Bob", "", "", "--in 3d", Errc::invalid_argument},
      {"Bob", "", "2020-01-01", "in the past", Errc::invalid_argument},
      {"Bobb", "1d", "", "did you mean Bob", Errc::not_found},
  };
  for (const auto& c : cases) {
    auto r = add(c.contact, c.in, c.at);
    ASSERT_FALSE(r) << c.in << c.at;
    EXPECT_EQ(r.error().error.code, c.code) << c.in << c.at;
    EXPECT_NE(r.error().error.message.find(c.needle), std::string::npos) << r.error().error.message;
  }
  auto tz = add("Bob", "", "2024-07-01", "Mars/Base");
  ASSERT_FALSE(tz);
  EXPECT_NE(tz.error().error.message.find("IANA"), std::string::npos);
  EXPECT_EQ(h_.sql("SELECT count(*) FROM reminders"), "0");
}

TEST_F(ReminderMethodsTest, ListDoneSnooze) {
  auto id = ok(add("", "1h", "")).reminder().id();
  control::CrmRemindSnoozeRequest snooze;
  snooze.set_id(id);
  auto snoozed = ok(call<control::CrmRemindSnoozeResponse>("crm.remind.snooze", snooze));
  EXPECT_EQ(snoozed.reminder().due_at().seconds(), seconds(kNow + 24h));   // default: a day
  snooze.set_in_duration("2h");
  EXPECT_EQ(ok(call<control::CrmRemindSnoozeResponse>("crm.remind.snooze", snooze)).reminder().due_at().seconds(),
            seconds(kNow + 2h));

  control::CrmRemindDoneRequest done;
  done.set_id(id);
  EXPECT_TRUE(ok(call<control::CrmRemindDoneResponse>("crm.remind.done", done)).reminder().has_done_at());
  control::CrmRemindListRequest list;
  EXPECT_EQ(ok(call<control::CrmRemindListResponse>("crm.remind.list", list)).reminders_size(), 0);
  list.set_include_done(true);
  EXPECT_EQ(ok(call<control::CrmRemindListResponse>("crm.remind.list", list)).reminders_size(), 1);
  done.set_id(0);
  EXPECT_FALSE(call<control::CrmRemindDoneResponse>("crm.remind.done", done));
  done.set_id(id + 1000);
  auto missing = call<control::CrmRemindDoneResponse>("crm.remind.done", done);
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().error.code, Errc::not_found);
}

TEST_F(ReminderMethodsTest, DueEventsOnceEach) {
  auto bob = h_.person("Bob", "111");
  h_.in(h_.chat_of(bob), kNow - 30h, "are you coming?");
  auto r = ok(add("Bob", "1h", ""));

  auto early = crm::collect_due_events(store_, kNow + 30min, settings_);
  ASSERT_TRUE(early);
  ASSERT_EQ(early->size(), 1u);   // Bob's reply is overdue (24 h); the reminder is not due yet
  EXPECT_EQ((*early)[0].type, crm::kPendingOverdueEvent);
  control::CrmEvent pending;
  ASSERT_TRUE(pending.ParseFromString((*early)[0].payload));
  EXPECT_EQ(pending.account(), "alice");
  EXPECT_EQ(pending.pending_overdue().person().name(), "Bob");
  EXPECT_EQ(pending.pending_overdue().last_message().text(), "are you coming?");

  auto due = crm::collect_due_events(store_, kNow + 2h, settings_);
  ASSERT_TRUE(due);
  ASSERT_EQ(due->size(), 1u);
  EXPECT_EQ((*due)[0].type, crm::kReminderDueEvent);
  control::CrmEvent event;
  ASSERT_TRUE(event.ParseFromString((*due)[0].payload));
  EXPECT_EQ(event.reminder_due().id(), r.reminder().id());
  EXPECT_EQ(event.reminder_due().person().name(), "Bob");
  EXPECT_TRUE(event.reminder_due().notified());

  auto again = crm::collect_due_events(store_, kNow + 3h, settings_);
  ASSERT_TRUE(again);
  EXPECT_TRUE(again->empty());
}

}  // namespace
}  // namespace wacrm::testing
