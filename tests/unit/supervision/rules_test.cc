#include "supervision/rules.h"

#include <gtest/gtest.h>

#include <string>
#include <string_view>
#include <vector>

#include "base/period.h"
#include "supervision/calendar.h"

namespace tiaodu::supervision {
namespace {

// ---- Helpers ----

CivilDate Date(std::string_view iso) {
  Result<CivilDate> d = ParseIsoDate(iso);
  EXPECT_TRUE(d.ok()) << iso;
  return d.value_or(CivilDate{2000, 1, 1});
}

std::string Iso(const CivilDate& d) { return FormatIsoDate(d); }

// A Beijing-time instant.
int64_t Bj(std::string_view iso, int hour, int minute = 0) {
  return DaysFromCivil(Date(iso)) * 86'400'000 + (hour * 60 + minute) * int64_t{60'000} -
         480 * int64_t{60'000};
}

const Calendar& Cal() { return OfficialCalendar(); }

Task Assigned(int64_t at, std::string profile = "steps", int completion_class = 0) {
  Task t;
  t.id = 1;
  t.assigned_at = at;
  t.profile = std::move(profile);
  t.completion_class = completion_class;
  return t;
}

ClockState Eval(const Task& t, int64_t now, const ClockSettings& s = DefaultSettings()) {
  Result<ClockState> st = Evaluate(t, Cal(), s, now);
  EXPECT_TRUE(st.ok()) << st.status().message();
  return st.value_or(ClockState{});
}

const StepStatus* Step(const ClockState& st, std::string_view code, int seq = 1) {
  for (const StepStatus& s : st.steps) {
    if (s.code == code && s.seq == seq) return &s;
  }
  return nullptr;
}

std::string Due(const ClockState& st, std::string_view code, int seq = 1) {
  const StepStatus* s = Step(st, code, seq);
  return s != nullptr ? Iso(s->due) : "(none)";
}

std::string State(const ClockState& st, std::string_view code, int seq = 1) {
  const StepStatus* s = Step(st, code, seq);
  return s != nullptr ? s->state : "(none)";
}

std::string DetailReason(const Status& s, std::string_view field) {
  for (const Detail& d : s.details()) {
    if (d.field == field) return d.reason;
  }
  return "";
}

// ---- Settings and profiles ----

TEST(DefaultSettings, AreValidAndShipBothReadings) {
  ClockSettings s = DefaultSettings();
  Status ok = CheckSettings(s);
  EXPECT_TRUE(ok.ok()) << ok.message();
  EXPECT_EQ(s.office_end_minutes, 17 * 60 + 30);
  EXPECT_EQ(s.utc_offset_minutes, 480);
  Result<ClockProfile> steps = FindProfile(s, "steps");
  ASSERT_TRUE(steps.ok());
  ASSERT_EQ(steps->steps.size(), 4u);
  EXPECT_EQ(steps->steps[0].code, kReceipt);
  EXPECT_EQ(steps->steps[0].working_days, 0);
  EXPECT_EQ(steps->steps[1].code, kPlan);
  EXPECT_EQ(steps->steps[1].working_days, 3);
  EXPECT_EQ(steps->steps[2].code, kFeedback);
  EXPECT_EQ(steps->steps[2].working_days, 3);
  EXPECT_TRUE(steps->steps[2].repeating);
  EXPECT_EQ(steps->steps[2].repeat_every, 7);
  EXPECT_EQ(steps->steps[3].code, kComplete);
  EXPECT_EQ(steps->steps[3].working_days, 10);
  Result<ClockProfile> urgency = FindProfile(s, "urgency");
  ASSERT_TRUE(urgency.ok());
  EXPECT_EQ(urgency->completion_classes, (std::vector<int>{1, 3, 7, 10}));
  Result<ClockProfile> unknown = FindProfile(s, "weekly");
  ASSERT_FALSE(unknown.ok());
  EXPECT_EQ(unknown.status().code(), Code::kNotFound);
  EXPECT_EQ(unknown.status().message(), "未知的督办时限方案“weekly”");
}

TEST(CheckSettings, RejectsBrokenProfilesAndThresholds) {
  ClockSettings s = DefaultSettings();
  s.red_after_days = -1;
  s.office_end_minutes = 0;
  s.max_new_deadline_days = 0;
  ClockProfile bad;
  bad.code = "Bad Code";
  bad.name = " ";
  bad.steps = {{"review", "审核", 1, false, 0}, {kFeedback, "进展反馈", 3, true, 0}};
  s.profiles.push_back(bad);
  ClockProfile dup = s.profiles[0];
  s.profiles.push_back(dup);
  Status st = CheckSettings(s);
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.message(), "督办时限设置有误");
  EXPECT_EQ(DetailReason(st, "red_after_days"), "红灯逾期天数不能为负数");
  EXPECT_EQ(DetailReason(st, "office_end_minutes"), "下班时间应在00:01至24:00之间");
  EXPECT_EQ(DetailReason(st, "max_new_deadline_days"), "延期上限应为1至3660天");
  EXPECT_EQ(DetailReason(st, "profiles[2].code"),
            "方案代码应为1至32位小写字母、数字、下划线或连字符");
  EXPECT_EQ(DetailReason(st, "profiles[2].name"), "请填写方案名称");
  EXPECT_NE(DetailReason(st, "profiles[2].steps[0].code").find("而非“review”"), std::string::npos);
  EXPECT_EQ(DetailReason(st, "profiles[2].steps[1].repeat_every"),
            "周期性环节的间隔应为1至366个工作日");
  EXPECT_EQ(DetailReason(st, "profiles[2].steps"), "方案须有且只有一个办结（complete）环节");
  EXPECT_EQ(DetailReason(st, "profiles[3].code"), "方案代码“steps”重复");
}

TEST(CheckTaskClock, UrgencyNeedsOneOfItsClasses) {
  ClockSettings s = DefaultSettings();
  EXPECT_TRUE(CheckTaskClock(Assigned(0, "steps"), s).ok());
  EXPECT_TRUE(CheckTaskClock(Assigned(0, "urgency", 7), s).ok());
  Status none = CheckTaskClock(Assigned(0, "urgency", 0), s);
  ASSERT_FALSE(none.ok());
  EXPECT_EQ(DetailReason(none, "completion_class"), "请选择办结时限类别：1、3、7、10个工作日");
  EXPECT_FALSE(CheckTaskClock(Assigned(0, "urgency", 5), s).ok());
  Status not_classed = CheckTaskClock(Assigned(0, "steps", 3), s);
  ASSERT_FALSE(not_classed.ok());
  EXPECT_NE(DetailReason(not_classed, "completion_class").find("不分办结时限类别"),
            std::string::npos);
  Status unknown = CheckTaskClock(Assigned(0, "weekly"), s);
  ASSERT_FALSE(unknown.ok());
  EXPECT_EQ(DetailReason(unknown, "profile"), "未知的督办时限方案“weekly”");
}

TEST(Evaluate, UnknownProfileIsNotFound) {
  Result<ClockState> st = Evaluate(Assigned(Bj("2024-06-17", 10), "weekly"), Cal(),
                                   DefaultSettings(), Bj("2024-06-17", 11));
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.status().code(), Code::kNotFound);
}

// ---- Every 13710 deadline ----

// An ordinary week: assigned Monday morning.
TEST(Deadlines, OrdinaryWeek) {
  ClockState st = Eval(Assigned(Bj("2024-06-17", 10)), Bj("2024-06-17", 11));
  EXPECT_EQ(Iso(st.start), "2024-06-17");
  EXPECT_EQ(Due(st, kReceipt), "2024-06-17");   // the same working day
  EXPECT_EQ(Due(st, kPlan), "2024-06-20");      // 3 working days
  EXPECT_EQ(Due(st, kFeedback), "2024-06-20");  // the first feedback with the plan
  EXPECT_EQ(Due(st, kComplete), "2024-07-01");  // 10 working days, two weekends skipped
  EXPECT_EQ(Iso(st.completion_due), "2024-07-01");
  // Due until the end of the day, Beijing time: 00:00 of the next day (16:00 UTC).
  EXPECT_EQ(Step(st, kReceipt)->due_end, Bj("2024-06-18", 0));
}

// Assigned on a Friday: the weekend is not counted.
TEST(Deadlines, OverAWeekend) {
  ClockState st = Eval(Assigned(Bj("2024-06-14", 10)), Bj("2024-06-14", 11));
  EXPECT_EQ(Due(st, kReceipt), "2024-06-14");
  EXPECT_EQ(Due(st, kPlan), "2024-06-19");
  EXPECT_EQ(Due(st, kComplete), "2024-06-28");
}

// Assigned on a Saturday: counts from Monday.
TEST(Deadlines, AssignedOnAWeekend) {
  ClockState st = Eval(Assigned(Bj("2024-06-15", 10)), Bj("2024-06-15", 11));
  EXPECT_EQ(Iso(st.start), "2024-06-17");
  EXPECT_EQ(Due(st, kReceipt), "2024-06-17");
  EXPECT_EQ(Due(st, kPlan), "2024-06-20");
  EXPECT_EQ(Due(st, kComplete), "2024-07-01");
}

// Assigned the day before 国庆 2024 (10-01..07 off; 10-12, a Saturday, at work).
TEST(Deadlines, TheDayBeforeNationalDay) {
  ClockState st = Eval(Assigned(Bj("2024-09-30", 10)), Bj("2024-09-30", 11));
  EXPECT_EQ(Due(st, kReceipt), "2024-09-30");
  EXPECT_EQ(Due(st, kPlan), "2024-10-10");
  EXPECT_EQ(Due(st, kFeedback), "2024-10-10");
  EXPECT_EQ(Due(st, kComplete), "2024-10-18");  // 10-12 (Saturday, 调休) counted
}

// The same, but after office hours: the clock starts after the holiday.
TEST(Deadlines, TheDayBeforeNationalDayAfterOfficeHours) {
  ClockState st = Eval(Assigned(Bj("2024-09-30", 17, 30)), Bj("2024-09-30", 18));
  EXPECT_EQ(Iso(st.start), "2024-10-08");
  EXPECT_EQ(Due(st, kReceipt), "2024-10-08");
  EXPECT_EQ(Due(st, kPlan), "2024-10-11");
  EXPECT_EQ(Due(st, kComplete), "2024-10-21");
}

// After office hours on an ordinary Friday: Monday.
TEST(Deadlines, FridayEveningCountsFromMonday) {
  ClockState st = Eval(Assigned(Bj("2024-06-14", 20)), Bj("2024-06-14", 21));
  EXPECT_EQ(Due(st, kReceipt), "2024-06-17");
  EXPECT_EQ(Due(st, kPlan), "2024-06-20");
}

// Office end is configurable.
TEST(Deadlines, ConfigurableOfficeEnd) {
  ClockSettings s = DefaultSettings();
  s.office_end_minutes = 18 * 60;
  ClockState st = Eval(Assigned(Bj("2024-06-14", 17, 45)), Bj("2024-06-14", 17, 50), s);
  EXPECT_EQ(Due(st, kReceipt), "2024-06-14");
}

// Assigned on a make-up Sunday (2024-09-29): that Sunday is the receipt day.
TEST(Deadlines, AssignedOnAMakeUpSunday) {
  ClockState st = Eval(Assigned(Bj("2024-09-29", 9)), Bj("2024-09-29", 10));
  EXPECT_EQ(Due(st, kReceipt), "2024-09-29");
  EXPECT_EQ(Due(st, kPlan), "2024-10-09");
  EXPECT_EQ(Due(st, kComplete), "2024-10-17");
}

// 国庆中秋 2025 (10-01..08 off): the plan falls due on the make-up Saturday 10-11.
TEST(Deadlines, DueOnAMakeUpSaturday) {
  ClockState st = Eval(Assigned(Bj("2025-09-30", 9)), Bj("2025-09-30", 10));
  EXPECT_EQ(Due(st, kPlan), "2025-10-11");
  EXPECT_EQ(Due(st, kComplete), "2025-10-21");  // 10-11 counted
}

// 春节 2026 (02-15..23 off; 02-14 and 02-28, Saturdays, at work).
TEST(Deadlines, SpringFestival2026) {
  ClockState st = Eval(Assigned(Bj("2026-02-13", 10)), Bj("2026-02-13", 11));
  EXPECT_EQ(Due(st, kReceipt), "2026-02-13");
  EXPECT_EQ(Due(st, kPlan), "2026-02-25");      // 02-14, 02-24, 02-25
  EXPECT_EQ(Due(st, kComplete), "2026-03-05");  // 02-28 counted
  // Assigned on the make-up Saturday itself.
  ClockState sat = Eval(Assigned(Bj("2026-02-14", 10)), Bj("2026-02-14", 11));
  EXPECT_EQ(Due(sat, kReceipt), "2026-02-14");
  EXPECT_EQ(Due(sat, kPlan), "2026-02-26");
}

// 元旦 2026: assigned 12-31 after hours → 01-04, a make-up Sunday.
TEST(Deadlines, NewYear2026) {
  ClockState st = Eval(Assigned(Bj("2025-12-31", 18)), Bj("2025-12-31", 19));
  EXPECT_EQ(Due(st, kReceipt), "2026-01-04");
  EXPECT_EQ(Due(st, kPlan), "2026-01-07");
}

// Feedback every 7 working days, counted from the day of the previous feedback.
TEST(Deadlines, FeedbackCycles) {
  Task t = Assigned(Bj("2024-06-17", 10));
  t.feedback_at = {Bj("2024-06-19", 15)};
  ClockState st = Eval(t, Bj("2024-06-20", 9));
  EXPECT_EQ(State(st, kFeedback, 1), kDone);
  EXPECT_EQ(Due(st, kFeedback, 2), "2024-06-28");
  EXPECT_EQ(State(st, kFeedback, 2), kPending);
  // A late first feedback: the next counts from the day it was made.
  t.feedback_at = {Bj("2024-06-21", 10)};
  st = Eval(t, Bj("2024-06-21", 11));
  EXPECT_EQ(State(st, kFeedback, 1), kLate);
  EXPECT_EQ(Due(st, kFeedback, 2), "2024-07-02");
  // Several, given out of order; feedback after `now` does not count yet.
  t.feedback_at = {Bj("2024-06-28", 10), Bj("2024-06-19", 15), Bj("2024-07-20", 10)};
  st = Eval(t, Bj("2024-07-01", 9));
  EXPECT_EQ(Due(st, kFeedback, 2), "2024-06-28");
  EXPECT_EQ(State(st, kFeedback, 2), kDone);
  EXPECT_EQ(Due(st, kFeedback, 3), "2024-07-09");
  EXPECT_EQ(Step(st, kFeedback, 4), nullptr);
}

// The urgency classes: 1, 3, 7 or 10 working days to completion.
TEST(Deadlines, UrgencyClasses) {
  int64_t at = Bj("2024-09-30", 10);
  EXPECT_EQ(Due(Eval(Assigned(at, "urgency", 1), at), kComplete), "2024-10-08");
  EXPECT_EQ(Due(Eval(Assigned(at, "urgency", 3), at), kComplete), "2024-10-10");
  EXPECT_EQ(Due(Eval(Assigned(at, "urgency", 7), at), kComplete), "2024-10-15");
  EXPECT_EQ(Due(Eval(Assigned(at, "urgency", 10), at), kComplete), "2024-10-18");
  ClockState st = Eval(Assigned(at, "urgency", 3), at);
  EXPECT_EQ(Due(st, kReceipt), "2024-09-30");
  EXPECT_EQ(Step(st, kPlan), nullptr);
  EXPECT_EQ(Step(st, kFeedback), nullptr);
}

TEST(Deadlines, OriginalCompletionDueIgnoresTheNewDeadline) {
  Task t = Assigned(Bj("2024-06-17", 10));
  t.new_deadline = Date("2024-08-30");
  Result<CivilDate> due = OriginalCompletionDue(t, Cal(), DefaultSettings());
  ASSERT_TRUE(due.ok());
  EXPECT_EQ(Iso(*due), "2024-07-01");
  EXPECT_EQ(Iso(Eval(t, Bj("2024-06-17", 11)).completion_due), "2024-08-30");
}

// ---- Overdue steps and the light ----

// Urgency class 10 (receipt done): only the completion deadline drives the light.
Task CompletionOnly() {
  Task t = Assigned(Bj("2024-06-17", 10), "urgency", 10);  // due 2024-07-01 (Monday)
  t.done_at[kReceipt] = Bj("2024-06-17", 10, 30);
  return t;
}

TEST(Light, CompletionDeadlineBoundaries) {
  Task t = CompletionOnly();
  ClockState st = Eval(t, Bj("2024-06-27", 12));  // 2 working days left
  EXPECT_EQ(st.light, kGreen);
  EXPECT_EQ(st.reason, "按期推进");
  st = Eval(t, Bj("2024-06-28", 12));  // 1 working day left
  EXPECT_EQ(st.light, kYellow);
  EXPECT_EQ(st.reason, "距办结期限（2024-07-01）仅剩1个工作日");
  st = Eval(t, Bj("2024-06-29", 12));  // Saturday: still 1 working day left
  EXPECT_EQ(st.light, kYellow);
  st = Eval(t, Bj("2024-07-01", 0));
  EXPECT_EQ(st.light, kYellow);
  EXPECT_EQ(st.reason, "今日为办结期限（2024-07-01）");
  st = Eval(t, Bj("2024-07-02", 0) - 1);  // the last millisecond of the day
  EXPECT_EQ(st.light, kYellow);
  EXPECT_EQ(st.escalation, 0);
  st = Eval(t, Bj("2024-07-02", 0));  // the deadline has passed
  EXPECT_EQ(st.light, kRed);
  EXPECT_EQ(st.reason, "办结期限2024-07-01已过");
  EXPECT_EQ(st.escalation, 1);
  EXPECT_EQ(OverdueSteps(st), (std::vector<std::string>{kComplete}));
}

TEST(Light, YellowThresholdIsConfigurable) {
  ClockSettings s = DefaultSettings();
  s.yellow_within_days = 0;
  EXPECT_EQ(Eval(CompletionOnly(), Bj("2024-06-28", 12), s).light, kGreen);
  EXPECT_EQ(Eval(CompletionOnly(), Bj("2024-07-01", 12), s).light, kYellow);
  s.yellow_within_days = 3;
  EXPECT_EQ(Eval(CompletionOnly(), Bj("2024-06-26", 12), s).light, kYellow);
  EXPECT_EQ(Eval(CompletionOnly(), Bj("2024-06-25", 12), s).light, kGreen);
}

// Nothing done on a task assigned Monday 2024-06-17: yellow, then red, then escalation.
TEST(Light, LateStepsTurnYellowThenRedAndEscalate) {
  Task t = Assigned(Bj("2024-06-17", 10));
  ClockState st = Eval(t, Bj("2024-06-17", 23, 59));
  EXPECT_EQ(st.light, kGreen);
  EXPECT_TRUE(OverdueSteps(st).empty());

  st = Eval(t, Bj("2024-06-18", 0));  // receipt overdue by 1 working day
  EXPECT_EQ(State(st, kReceipt), kOverdue);
  EXPECT_EQ(Step(st, kReceipt)->overdue_days, 1);
  EXPECT_EQ(st.light, kYellow);
  EXPECT_EQ(st.reason, "“签收”逾期1个工作日（应于2024-06-17前完成）");
  EXPECT_EQ(st.escalation, 0);

  st = Eval(t, Bj("2024-06-19", 9));  // 2 working days: still yellow (red after more than 2)
  EXPECT_EQ(st.light, kYellow);
  EXPECT_EQ(st.escalation, 0);

  st = Eval(t, Bj("2024-06-20", 9));  // 3: red, one level up
  EXPECT_EQ(Step(st, kReceipt)->light, kRed);
  EXPECT_EQ(st.light, kRed);
  EXPECT_EQ(st.escalation, 1);

  st = Eval(t, Bj("2024-06-21", 9));  // plan and feedback (due 06-20) now overdue, yellow
  EXPECT_EQ(OverdueSteps(st), (std::vector<std::string>{kReceipt, kPlan, kFeedback}));
  EXPECT_EQ(Step(st, kPlan)->light, kYellow);
  EXPECT_EQ(st.escalation, 1);
  EXPECT_EQ(st.reason,
            "“签收”逾期4个工作日（应于2024-06-17前完成）；"
            "“办理方案”逾期1个工作日（应于2024-06-20前完成）；"
            "第1次“进展反馈”逾期1个工作日（应于2024-06-20前完成）");

  st = Eval(t, Bj("2024-06-25", 9));  // plan and feedback overdue by 3: red
  EXPECT_EQ(st.escalation, 3);

  st = Eval(t, Bj("2024-07-02", 9));  // and the completion deadline has passed
  EXPECT_EQ(st.escalation, 4);
  EXPECT_EQ(st.light, kRed);
}

TEST(Light, RedThresholdIsConfigurable) {
  ClockSettings s = DefaultSettings();
  s.red_after_days = 0;
  ClockState st = Eval(Assigned(Bj("2024-06-17", 10)), Bj("2024-06-18", 9), s);
  EXPECT_EQ(st.light, kRed);
  EXPECT_EQ(st.escalation, 1);
  s.red_after_days = 5;
  st = Eval(Assigned(Bj("2024-06-17", 10)), Bj("2024-06-21", 9), s);
  EXPECT_EQ(st.light, kYellow);
  EXPECT_EQ(st.escalation, 0);
}

// Overdue over a weekend: the Saturday after a Friday deadline is overdue by 0 working days.
TEST(Light, OverdueOnTheWeekendAfter) {
  Task t = Assigned(Bj("2024-06-14", 10));
  ClockState st = Eval(t, Bj("2024-06-15", 10));
  EXPECT_EQ(State(st, kReceipt), kOverdue);
  EXPECT_EQ(Step(st, kReceipt)->overdue_days, 0);
  EXPECT_EQ(st.light, kYellow);
  EXPECT_EQ(st.reason, "“签收”已逾期（应于2024-06-14前完成）");
  st = Eval(t, Bj("2024-06-17", 10));
  EXPECT_EQ(Step(st, kReceipt)->overdue_days, 1);
}

// Overdue across 国庆: assigned 09-30, not received; overdue days count only working days.
TEST(Light, OverdueAcrossAHoliday) {
  Task t = Assigned(Bj("2024-09-30", 10));
  ClockState st = Eval(t, Bj("2024-10-07", 12));
  EXPECT_EQ(Step(st, kReceipt)->overdue_days, 0);
  EXPECT_EQ(st.light, kYellow);
  st = Eval(t, Bj("2024-10-12", 12));  // 10-08, 09, 10, 11, 12 (make-up Saturday)
  EXPECT_EQ(Step(st, kReceipt)->overdue_days, 5);
  EXPECT_EQ(Step(st, kReceipt)->light, kRed);
}

TEST(Light, StepsDoneOnTimeStayGreen) {
  Task t = Assigned(Bj("2024-06-17", 10));
  t.done_at[kReceipt] = Bj("2024-06-17", 15);
  t.done_at[kPlan] = Bj("2024-06-20", 23, 59);  // the last minute of the day is on time
  t.feedback_at = {Bj("2024-06-20", 16)};
  ClockState st = Eval(t, Bj("2024-06-24", 9));
  EXPECT_EQ(State(st, kReceipt), kDone);
  EXPECT_EQ(State(st, kPlan), kDone);
  EXPECT_EQ(State(st, kFeedback, 1), kDone);
  EXPECT_EQ(Due(st, kFeedback, 2), "2024-07-01");
  EXPECT_EQ(st.light, kGreen);
  // A step done after its day ended is late, but no longer overdue.
  t.done_at[kReceipt] = Bj("2024-06-18", 0);
  st = Eval(t, Bj("2024-06-24", 9));
  EXPECT_EQ(State(st, kReceipt), kLate);
  EXPECT_EQ(st.light, kGreen);
}

// Steps done after `now` are not yet done at `now`.
TEST(Light, FutureCompletionTimesDoNotCount) {
  Task t = Assigned(Bj("2024-06-17", 10));
  t.done_at[kReceipt] = Bj("2024-06-19", 10);
  ClockState st = Eval(t, Bj("2024-06-18", 10));
  EXPECT_EQ(State(st, kReceipt), kOverdue);
}

TEST(Light, CompletedTaskIsGreenAndStopsTheClock) {
  Task t = Assigned(Bj("2024-06-17", 10));
  t.done_at[kReceipt] = Bj("2024-06-17", 11);
  t.done_at[kComplete] = Bj("2024-06-19", 16);  // before the plan was due, plan never made
  ClockState st = Eval(t, Bj("2024-08-01", 9));
  EXPECT_TRUE(st.completed);
  EXPECT_EQ(st.light, kGreen);
  EXPECT_EQ(st.reason, "已办结");
  EXPECT_EQ(st.escalation, 0);
  EXPECT_EQ(State(st, kComplete), kDone);
  EXPECT_EQ(State(st, kPlan), kWaived);
  EXPECT_EQ(State(st, kFeedback, 1), kWaived);
  EXPECT_EQ(Step(st, kFeedback, 2), nullptr);
  EXPECT_TRUE(OverdueSteps(st).empty());
  // Completed late, the plan never made after its deadline.
  t.done_at[kComplete] = Bj("2024-07-03", 10);
  st = Eval(t, Bj("2024-08-01", 9));
  EXPECT_EQ(State(st, kComplete), kLate);
  EXPECT_EQ(State(st, kPlan), kMissed);
  EXPECT_EQ(st.light, kGreen);
}

TEST(Light, NewDeadlineReplacesTheCompletionDeadline) {
  Task t = CompletionOnly();
  t.new_deadline = Date("2024-08-30");
  ClockState st = Eval(t, Bj("2024-07-02", 9));
  EXPECT_EQ(Due(st, kComplete), "2024-08-30");
  EXPECT_EQ(st.light, kGreen);
  st = Eval(t, Bj("2024-08-30", 9));
  EXPECT_EQ(st.light, kYellow);
  st = Eval(t, Bj("2024-08-31", 0));
  EXPECT_EQ(st.light, kRed);
  // A new deadline on a Sunday, seen on the Saturday before: no working day left.
  t.new_deadline = Date("2024-09-01");
  st = Eval(t, Bj("2024-08-31", 10));
  EXPECT_EQ(st.light, kYellow);
  EXPECT_EQ(st.reason, "办结期限（2024-09-01）前已无工作日");
}

TEST(LightName, Chinese) {
  EXPECT_EQ(LightName(kGreen), "绿灯");
  EXPECT_EQ(LightName(kYellow), "黄灯");
  EXPECT_EQ(LightName(kRed), "红灯");
  EXPECT_EQ(LightName("blue"), "blue");
}

// ---- A justified new deadline ----

TEST(CheckNewDeadline, AcceptsAJustifiedLaterDate) {
  Task t = Assigned(Bj("2024-06-17", 10));  // original completion 2024-07-01
  Status ok = CheckNewDeadline(t, Cal(), DefaultSettings(), Date("2024-08-30"),
                               "涉及征迁和多部门协调，需省级审批", Bj("2024-06-25", 10));
  EXPECT_TRUE(ok.ok()) << ok.message();
  // At most 180 days after the original: 2024-12-28.
  EXPECT_TRUE(CheckNewDeadline(t, Cal(), DefaultSettings(), Date("2024-12-28"), "跨年度工程",
                               Bj("2024-06-25", 10))
                  .ok());
}

TEST(CheckNewDeadline, NeedsAReason) {
  Task t = Assigned(Bj("2024-06-17", 10));
  Status st = CheckNewDeadline(t, Cal(), DefaultSettings(), Date("2024-08-30"), "  \n",
                               Bj("2024-06-25", 10));
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.code(), Code::kInvalidArgument);
  EXPECT_EQ(st.message(), "新的办结期限不符合要求");
  EXPECT_EQ(DetailReason(st, "reason"), "复杂事项调整办结期限须说明理由");
  Status long_reason = CheckNewDeadline(t, Cal(), DefaultSettings(), Date("2024-08-30"),
                                        std::string(2001, 'x'), Bj("2024-06-25", 10));
  EXPECT_EQ(DetailReason(long_reason, "reason"), "理由不能超过2000字节");
}

TEST(CheckNewDeadline, MustBeLaterThanTheOriginal) {
  Task t = Assigned(Bj("2024-06-17", 10));
  Status st = CheckNewDeadline(t, Cal(), DefaultSettings(), Date("2024-07-01"), "理由",
                               Bj("2024-06-25", 10));
  EXPECT_EQ(DetailReason(st, "new_deadline"), "新的办结期限应晚于原期限2024-07-01");
  st = CheckNewDeadline(t, Cal(), DefaultSettings(), Date("2024-06-28"), "理由",
                        Bj("2024-06-25", 10));
  EXPECT_EQ(DetailReason(st, "new_deadline"), "新的办结期限应晚于原期限2024-07-01");
}

TEST(CheckNewDeadline, NotInThePast) {
  Task t = Assigned(Bj("2024-06-17", 10));
  Status st = CheckNewDeadline(t, Cal(), DefaultSettings(), Date("2024-07-05"), "理由",
                               Bj("2024-07-10", 10));
  EXPECT_EQ(DetailReason(st, "new_deadline"), "新的办结期限不能早于今天（2024-07-10）");
}

TEST(CheckNewDeadline, WithinTheMaximum) {
  Task t = Assigned(Bj("2024-06-17", 10));
  Status st = CheckNewDeadline(t, Cal(), DefaultSettings(), Date("2024-12-29"), "理由",
                               Bj("2024-06-25", 10));
  EXPECT_EQ(DetailReason(st, "new_deadline"), "新的办结期限最晚为2024-12-28（原期限后180天）");
  ClockSettings s = DefaultSettings();
  s.max_new_deadline_days = 30;
  st = CheckNewDeadline(t, Cal(), s, Date("2024-08-30"), "理由", Bj("2024-06-25", 10));
  EXPECT_EQ(DetailReason(st, "new_deadline"), "新的办结期限最晚为2024-07-31（原期限后30天）");
}

TEST(CheckNewDeadline, InvalidDateAndUnknownProfile) {
  Task t = Assigned(Bj("2024-06-17", 10));
  Status st = CheckNewDeadline(t, Cal(), DefaultSettings(), CivilDate{2024, 2, 30}, "理由",
                               Bj("2024-06-25", 10));
  EXPECT_EQ(DetailReason(st, "new_deadline"), "新的办结期限不是有效日期");
  t.profile = "weekly";
  st = CheckNewDeadline(t, Cal(), DefaultSettings(), Date("2024-08-30"), "理由",
                        Bj("2024-06-25", 10));
  EXPECT_EQ(st.code(), Code::kNotFound);
}

// ---- Evidence files: table-driven, each case a name and content → accepted type or error.

struct FileCase {
  const char* name;
  std::string bytes;
  Code code;                // kOk when accepted
  const char* type_or_msg;  // the stored type, or a fragment of the message
};

TEST(CheckEvidenceFile, TypesAreDecidedByExtensionAndCheckedAgainstTheContent) {
  const std::string png("\x89PNG\r\n\x1A\n\0\0", 10);
  const std::string ole("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1\0", 9);
  const std::vector<FileCase> cases = {
      {"批复.pdf", "%PDF-1.7\n", Code::kOk, "application/pdf"},
      {"现场.JPG", "\xFF\xD8\xFF\xE0", Code::kOk, "image/jpeg"},
      {"现场.jpeg", "\xFF\xD8\xFF\xDB", Code::kOk, "image/jpeg"},
      {"照片.png", png, Code::kOk, "image/png"},
      {"报告.docx", "PK\x03\x04rest", Code::kOk,
       "application/vnd.openxmlformats-officedocument.wordprocessingml.document"},
      {"台账.xlsx", "PK\x03\x04rest", Code::kOk,
       "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"},
      {"旧报告.doc", ole, Code::kOk, "application/msword"},
      {"旧台账.xls", ole, Code::kOk, "application/vnd.ms-excel"},
      {"情况说明.txt", "已完成整改。", Code::kOk, "text/plain; charset=utf-8"},
      {"tool.exe", "MZ\x90", Code::kUnsupportedMedia, "不支持的文件类型：.exe"},
      {"noext", "%PDF-1.4", Code::kUnsupportedMedia, "无扩展名"},
      {"page.html", "<html>", Code::kUnsupportedMedia, ".html"},
      {"fake.pdf", "MZ\x90 renamed", Code::kUnsupportedMedia, "文件内容与扩展名不符"},
      {"fake.docx", "%PDF-1.4", Code::kUnsupportedMedia, "文件内容与扩展名不符"},
      {"gbk.txt", "\xB9\xA4\xD7\xF7", Code::kUnsupportedMedia, "文件内容与扩展名不符"},
      {"nul.txt", std::string("a\0b", 3), Code::kUnsupportedMedia, "文件内容与扩展名不符"},
      {"empty.pdf", "", Code::kInvalidArgument, "文件是空的"},
      {"", "%PDF-1.4", Code::kInvalidArgument, "文件名"},
      {"../etc/passwd.txt", "x", Code::kInvalidArgument, "路径分隔符"},
      {"a\\b.txt", "x", Code::kInvalidArgument, "路径分隔符"},
  };
  for (const FileCase& c : cases) {
    auto r = CheckEvidenceFile(c.name, c.bytes, FileLimits{});
    if (c.code == Code::kOk) {
      ASSERT_TRUE(r.ok()) << c.name << ": " << r.status().message();
      EXPECT_EQ(*r, c.type_or_msg) << c.name;
    } else {
      EXPECT_EQ(r.status().code(), c.code) << c.name;
      EXPECT_NE(r.status().message().find(c.type_or_msg), std::string::npos)
          << c.name << ": " << r.status().message();
    }
  }
}

TEST(CheckEvidenceFile, SizeIsCheckedAgainstTheLimitAndALongNameIsRefused) {
  FileLimits small{1024, 20};
  EXPECT_TRUE(CheckEvidenceFile("a.txt", std::string(1024, 'a'), small).ok());
  auto big = CheckEvidenceFile("a.txt", std::string(1025, 'a'), small);
  EXPECT_EQ(big.status().code(), Code::kPayloadTooLarge);
  EXPECT_EQ(CheckEvidenceFile("a.txt", std::string(10 * 1024 * 1024 + 1, 'a'), FileLimits{}).status().message(),
            "文件超过10MB上限");
  EXPECT_EQ(CheckEvidenceFile(std::string(197, 'n') + ".txt", "x", small).status().code(),
            Code::kInvalidArgument);
}

// ---- Settings text

TEST(SettingsText, RoundTripsTheDefaultsAndAnEditedProfile) {
  ClockSettings s = DefaultSettings();
  s.yellow_within_days = 2;
  s.red_after_days = 3;
  s.office_end_minutes = 18 * 60;
  s.profiles[0].steps[3].working_days = 15;
  ClockSettings back;
  int mb = 0, files = 0;
  ASSERT_TRUE(SettingsFromText(SettingsToText(s, 8, 12), &back, &mb, &files).ok());
  EXPECT_EQ(back.yellow_within_days, 2);
  EXPECT_EQ(back.red_after_days, 3);
  EXPECT_EQ(back.office_end_minutes, 18 * 60);
  EXPECT_EQ(mb, 8);
  EXPECT_EQ(files, 12);
  ASSERT_EQ(back.profiles.size(), s.profiles.size());
  EXPECT_EQ(back.profiles[0].steps[3].working_days, 15);
  EXPECT_TRUE(back.profiles[0].steps[2].repeating);
  EXPECT_EQ(back.profiles[0].steps[2].repeat_every, 7);
  EXPECT_EQ(back.profiles[1].completion_classes, (std::vector<int>{1, 3, 7, 10}));
}

TEST(SettingsText, ABadLineIsNamedAndAnInvalidProfileIsRefused) {
  ClockSettings back;
  int mb = 0, files = 0;
  Status st = SettingsFromText("red_after_days=2\nyellow=x\n", &back, &mb, &files);
  ASSERT_EQ(st.code(), Code::kInvalidArgument);
  EXPECT_EQ(st.details().at(0).field, "line 2");
  st = SettingsFromText("profile=p|只有签收|\nstep=p|receipt|签收|0|0\n", &back, &mb, &files);
  EXPECT_EQ(st.code(), Code::kInvalidArgument);  // no completion step
  EXPECT_EQ(SettingsFromText("max_file_mb=500\n", &back, &mb, &files).code(), Code::kInvalidArgument);
}

}  // namespace
}  // namespace tiaodu::supervision
