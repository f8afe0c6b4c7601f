#include "supervision/service.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <map>
#include <set>
#include <string>
#include <thread>

#include "fixture.h"
#include "auth/crypto.h"
#include "auth/service.h"
#include "base/period.h"
#include "org/service.h"

namespace tiaodu::supervision {
namespace {

// Specification of the supervision use cases (督查督办 on the 13710 clock), on both
// databases, with a controlled clock. The week starts Monday 2026-11-23 (no holiday near).
//
// The tree: 南阳市 411300 ─ 宛城区 411302 ─ 瓦店镇 T411302-02
//                        ├ 卧龙区 411303
//                        ├ 市委督查室 (department)   supervisor
//                        └ 市发改委 (department)     reporter_fgw
// Users: leader (city), leader_wancheng and supervisor_wancheng (宛城区), reporter_town.
class SupervisionServiceTest : public SupervisionFixture {};

TEST_P(SupervisionServiceTest, AnAssignedTaskGetsACodeThe13710DeadlinesAndTellsTheOwnerUnit) {
  TaskDetail d = Assign("D411300-FGW");
  EXPECT_EQ(d.row.task.code, "DB2026-0001");
  EXPECT_EQ(d.row.task.state, kAssigned);
  EXPECT_EQ(d.row.unit.code, "D411300-DCS");  // the assigning unit: the supervisor's own
  EXPECT_EQ(d.row.owner.code, "D411300-FGW");
  // Receipt today; plan and first feedback 3 working days later; completion 10 (Mon 12-07).
  EXPECT_EQ(FormatIsoDate(d.clock.start), "2026-11-23");
  EXPECT_EQ(FormatIsoDate(d.clock.completion_due), "2026-12-07");
  ASSERT_GE(d.clock.steps.size(), 4u);
  EXPECT_EQ(FormatIsoDate(d.clock.steps[1].due), "2026-11-26");
  EXPECT_EQ(d.row.task.light, kGreen);
  EXPECT_EQ(CountKind(reporter_fgw_, "assigned"), 1);
  EXPECT_EQ(CountKind(reporter_town_, "assigned"), 0);
  EXPECT_EQ(Assign("T411302-02").row.task.code, "DB2026-0002");
}

TEST_P(SupervisionServiceTest, ATaskAssignedAfterOfficeHoursCountsFromTheNextWorkingDay) {
  clock_.Set(Beijing({2026, 11, 27}, 17, 45));  // Friday 17:45
  TaskDetail d = Assign("D411300-FGW");
  EXPECT_EQ(FormatIsoDate(d.clock.start), "2026-11-30");
  EXPECT_EQ(FormatIsoDate(d.clock.completion_due), "2026-12-14");
}

TEST_P(SupervisionServiceTest, BadAssignmentsAreRefusedWithTheFieldNamedAndNothingIsWritten) {
  auto check = [&](AssignInput in, const std::string& field) {
    auto r = svc_->Assign(supervisor_, in);
    ASSERT_EQ(r.status().code(), Code::kInvalidArgument) << field;
    bool named = false;
    for (const Detail& d : r.status().details()) named |= d.field == field;
    EXPECT_TRUE(named) << field << ": " << r.status().message();
  };
  AssignInput past = Input("D411300-FGW");
  past.deadline = "2026-11-20";
  check(past, "deadline");
  check(Input("D999999"), "owner_unit");
  AssignInput co = Input("D411300-FGW");
  co.co_units = {"D411300-FGW"};
  check(co, "co_units");
  AssignInput late = Input("D411300-FGW");
  late.deadline = "2027-02-26";  // beyond the 13710 completion (12-07) without a reason
  check(late, "deadline_reason");
  AssignInput profile = Input("D411300-FGW");
  profile.profile = "urgency";  // needs a completion class
  check(profile, "completion_class");
  AssignInput empty = Input("D411300-FGW", "  ");
  check(empty, "title");
  // Out of scope: 宛城区's supervisor can't assign to 卧龙区.
  auto r = svc_->Assign(supervisor_wancheng_, Input("411303"));
  EXPECT_EQ(r.status().code(), Code::kInvalidArgument);
  EXPECT_EQ(svc_->ListTasks(supervisor_, {})->total, 0);
  EXPECT_TRUE(Inbox(reporter_fgw_).empty());
  // With a reason, a complex matter's longer deadline is accepted and is the one in force.
  late.deadline_reason = "涉及省级用地审批，需跨年度办理";
  auto ok = svc_->Assign(supervisor_, late);
  ASSERT_TRUE(ok.ok()) << ok.status().message();
  EXPECT_EQ(FormatIsoDate(ok->clock.completion_due), "2027-02-26");
}

TEST_P(SupervisionServiceTest, AClosedLoopNeedsEvidenceAndTheSupervisorsAcceptanceAndAReturnReopensIt) {
  const int64_t id = Assign("D411300-FGW").row.task.id;
  EXPECT_EQ(svc_->Plan(reporter_fgw_, id, "方案", Version(id)).status().code(), Code::kFailedPrecondition);
  ASSERT_TRUE(svc_->Receive(reporter_fgw_, id, Version(id)).ok());
  EXPECT_EQ(svc_->Report(reporter_fgw_, id, "已办结", Version(id)).status().code(), Code::kFailedPrecondition);
  ASSERT_TRUE(svc_->Plan(reporter_fgw_, id, "成立专班，倒排工期", Version(id)).ok());
  ASSERT_TRUE(svc_->Feedback(reporter_fgw_, id, "已完成组卷", Version(id)).ok());
  auto no_evidence = svc_->Report(reporter_fgw_, id, "已办结", Version(id));
  EXPECT_EQ(no_evidence.status().code(), Code::kFailedPrecondition);
  EXPECT_NE(no_evidence.status().message().find("佐证材料"), std::string::npos);
  ASSERT_TRUE(svc_->AddFile(reporter_fgw_, id, "批复.pdf", "application/pdf", "%PDF-1.7 test").ok());
  ASSERT_TRUE(svc_->Report(reporter_fgw_, id, "用地已批复", Version(id)).ok());
  EXPECT_EQ(CountKind(supervisor_, "reported"), 1);
  // Only the assigning side accepts; the owner can't accept its own work.
  EXPECT_EQ(svc_->Accept(reporter_fgw_, id, "", Version(id)).status().code(), Code::kPermissionDenied);
  EXPECT_EQ(svc_->Return(supervisor_, id, "", Version(id)).status().code(), Code::kInvalidArgument);
  auto back = svc_->Return(supervisor_, id, "佐证材料不全，请补充批复文件", Version(id));
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(back->row.task.state, kInProgress);
  EXPECT_FALSE(back->row.task.reported_at.has_value());
  EXPECT_EQ(CountKind(reporter_fgw_, "returned"), 1);
  ASSERT_TRUE(svc_->Report(reporter_fgw_, id, "已补充批复文件", Version(id)).ok());
  auto closed = svc_->Accept(supervisor_, id, "同意办结", Version(id));
  ASSERT_TRUE(closed.ok()) << closed.status().message();
  EXPECT_EQ(closed->row.task.state, kClosed);
  EXPECT_FALSE(closed->can.accept);
  std::vector<std::string> kinds;
  for (const EventRow& e : closed->events) kinds.push_back(e.event.kind);
  EXPECT_EQ(kinds, (std::vector<std::string>{"assigned", "received", "plan", "feedback", "file", "reported",
                                             "returned", "reported", "accepted"}));
  EXPECT_EQ(CountKind(reporter_fgw_, "accepted"), 1);
}

TEST_P(SupervisionServiceTest, AStaleVersionIsRefusedAndChangesNothing) {
  const int64_t id = Assign("D411300-FGW").row.task.id;
  const int v = Version(id);
  ASSERT_TRUE(svc_->Receive(reporter_fgw_, id, v).ok());
  EXPECT_EQ(svc_->Plan(reporter_fgw_, id, "方案", v).status().code(), Code::kConflict);
  EXPECT_EQ(svc_->GetTask(supervisor_, id)->row.task.state, kReceived);
}

TEST_P(SupervisionServiceTest, OnlyTheOwnerUnitHandlesATaskAndOthersOutsideItsScopeDoNotSeeIt) {
  const int64_t id = Assign("D411300-FGW").row.task.id;
  EXPECT_EQ(svc_->GetTask(reporter_town_, id).status().code(), Code::kNotFound);
  EXPECT_EQ(svc_->ListTasks(reporter_town_, {})->total, 0);
  EXPECT_EQ(svc_->Receive(reporter_town_, id, Version(id)).status().code(), Code::kNotFound);
  // A co-unit gives its own feedback but does not receive or report.
  AssignInput in = Input("D411300-FGW");
  in.co_units = {"T411302-02"};
  const int64_t shared = svc_->Assign(supervisor_, in)->row.task.id;
  EXPECT_EQ(svc_->Receive(reporter_town_, shared, Version(shared)).status().code(), Code::kPermissionDenied);
  ASSERT_TRUE(svc_->CoFeedback(reporter_town_, shared, "已配合完成现场踏勘").ok());
  EXPECT_EQ(svc_->ListTasks(reporter_town_, {})->total, 1);
}

TEST_P(SupervisionServiceTest, EvidenceFilesAreCheckedBySizeTypeAndContentAndReadBackIntact) {
  const int64_t id = Assign("D411300-FGW").row.task.id;
  EXPECT_EQ(svc_->AddFile(reporter_fgw_, id, "a.pdf", "", std::string(10 * 1024 * 1024 + 1, 'x')).status().code(),
            Code::kPayloadTooLarge);
  EXPECT_EQ(svc_->AddFile(reporter_fgw_, id, "tool.exe", "", "MZ\x90").status().code(), Code::kUnsupportedMedia);
  EXPECT_EQ(svc_->AddFile(reporter_fgw_, id, "fake.pdf", "", "not a pdf").status().code(), Code::kUnsupportedMedia);
  EXPECT_EQ(svc_->AddFile(leader_, id, "a.pdf", "", "%PDF-1.4").status().code(), Code::kPermissionDenied);
  EXPECT_TRUE(svc_->GetTask(supervisor_, id)->files.empty());
  std::string bytes("\x89PNG\r\n\x1A\n\0\0binary\xff", 17);
  auto f = svc_->AddFile(reporter_fgw_, id, "现场照片.png", "", bytes);
  ASSERT_TRUE(f.ok()) << f.status().message();
  EXPECT_EQ(f->file.content_type, "image/png");
  auto back = svc_->GetFile(leader_, id, f->file.id);
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(back->second, bytes);
  EXPECT_EQ(back->first.file.sha256, auth::Sha256Hex(bytes));
  EXPECT_EQ(svc_->GetFile(reporter_town_, id, f->file.id).status().code(), Code::kNotFound);
}

// The controlled clock walks a task of 瓦店镇 that nobody receives: yellow the day after, red
// when more than 2 working days late, escalated to 宛城区 — each notice sent exactly once.
TEST_P(SupervisionServiceTest, AnUnreceivedTaskTurnsYellowThenRedAndEscalatesOneLevelUp) {
  const int64_t id = Assign("T411302-02").row.task.id;
  ASSERT_TRUE(svc_->Tick("test")->ran);
  EXPECT_EQ(svc_->GetTask(supervisor_, id)->row.task.light, kGreen);

  clock_.Set(Beijing({2026, 11, 24}, 8, 30));  // Tuesday: receipt 1 working day late
  auto t1 = svc_->Tick("test");
  EXPECT_EQ(t1->reminders, 1);
  TaskRow row = svc_->GetTask(supervisor_, id)->row;
  EXPECT_EQ(row.task.light, kYellow);
  EXPECT_EQ(row.task.overdue_steps, "receipt");
  EXPECT_EQ(CountKind(reporter_town_, "overdue"), 1);
  EXPECT_EQ(CountKind(supervisor_, "overdue"), 1);
  EXPECT_EQ(svc_->ListTasks(supervisor_, TaskQuery{.light = "yellow"})->total, 1);
  EXPECT_EQ(svc_->Tick("test")->reminders, 0);  // the same state sends nothing again

  clock_.Set(Beijing({2026, 11, 27}, 9));  // Friday: 4 working days late → red, escalated
  ASSERT_TRUE(svc_->Tick("test").ok());
  row = svc_->GetTask(supervisor_, id)->row;
  EXPECT_EQ(row.task.light, kRed);
  EXPECT_EQ(row.task.escalation, 1);
  ASSERT_TRUE(row.escalated_to.has_value());
  EXPECT_EQ(row.escalated_to->code, "411302");
  EXPECT_EQ(CountKind(leader_wancheng_, "escalated"), 1);
  EXPECT_EQ(CountKind(supervisor_wancheng_, "escalated"), 1);
  EXPECT_EQ(CountKind(leader_, "escalated"), 0);
  EXPECT_EQ(CountKind(reporter_town_, "overdue"), 4);  // receipt yellow and red, plan and feedback yellow
  EXPECT_EQ(svc_->ListTasks(supervisor_, TaskQuery{.unit = "411302", .light = "red"})->total, 1);
  std::set<std::string> kinds;
  // Held in a local: a range-for over a member of the temporary would read freed memory.
  auto detail = svc_->GetTask(supervisor_, id);
  for (const EventRow& e : detail->events) kinds.insert(e.event.kind);
  EXPECT_TRUE(kinds.count("reminder"));
  EXPECT_TRUE(kinds.count("escalated"));
  EXPECT_EQ(svc_->Tick("test")->reminders, 0);
  // Receiving it late takes the receipt step out of the red; the plan is still late.
  ASSERT_TRUE(svc_->Receive(reporter_town_, id, Version(id)).ok());
  EXPECT_EQ(svc_->GetTask(supervisor_, id)->row.task.overdue_steps, "plan,feedback");
}

// A restart loses no reminder and sends none twice: what fell due while the server was down
// is sent at the first tick after it, once; a tick whose commit fails sends nothing.
TEST_P(SupervisionServiceTest, ARestartMidWayLosesNoReminderAndSendsNoneTwice) {
  const int64_t id = Assign("T411302-02").row.task.id;
  clock_.Set(Beijing({2026, 11, 24}, 9));
  ASSERT_EQ(svc_->Tick("a")->reminders, 1);  // receipt yellow
  Close();                                   // the server stops...
  clock_.Set(Beijing({2026, 11, 27}, 9));   // ...and is down for three days
  Open();
  db_->SetCommitFault([] { return true; });  // the first tick dies mid-write
  EXPECT_FALSE(svc_->Tick("b").ok());
  db_->SetCommitFault(nullptr);
  EXPECT_EQ(CountKind(reporter_town_, "overdue"), 1);
  auto caught_up = svc_->Tick("b");
  ASSERT_TRUE(caught_up.ok());
  EXPECT_EQ(caught_up->reminders, 4);  // receipt red, plan and feedback yellow, escalation
  EXPECT_EQ(svc_->Tick("b")->reminders, 0);
  std::multiset<std::string> titles;
  for (const Notification& n : Inbox(reporter_town_)) titles.insert(n.title);
  for (const std::string& t : titles) EXPECT_EQ(titles.count(t), 1u) << t;
  EXPECT_EQ(CountKind(reporter_town_, "overdue"), 4);
  EXPECT_EQ(CountKind(leader_wancheng_, "escalated"), 1);
  EXPECT_EQ(svc_->GetTask(supervisor_, id)->row.task.light, kRed);
  EXPECT_EQ(svc_->Scheduler(supervisor_)->last_host, "b");
}

// Two server processes tick at the same moment: the notices go out once.
TEST_P(SupervisionServiceTest, TwoSchedulersTickingTogetherSendEachReminderOnce) {
  Assign("T411302-02");
  Assign("D411300-FGW");
  clock_.Set(Beijing({2026, 11, 27}, 9));
  auto second = db::Database::Open(url_);
  ASSERT_TRUE(second.ok());
  SupervisionService other(**second, clock_);
  Result<TickResult> a = TickResult{}, b = TickResult{};
  std::thread t1([&] { a = svc_->Tick("one"); });
  std::thread t2([&] { b = other.Tick("two"); });
  t1.join();
  t2.join();
  ASSERT_TRUE(a.ok()) << a.status().message();
  ASSERT_TRUE(b.ok()) << b.status().message();
  EXPECT_EQ(a->reminders + b->reminders, 8);  // each: receipt red, plan and feedback yellow, escalation
  EXPECT_EQ(svc_->Tick("one")->reminders, 0);
  EXPECT_EQ(CountKind(reporter_town_, "overdue"), 3);
  EXPECT_EQ(CountKind(reporter_fgw_, "overdue"), 3);
  EXPECT_EQ(CountKind(leader_wancheng_, "escalated"), 1);
}

TEST_P(SupervisionServiceTest, AMeetingDecisionBecomesATaskInOneStepAndOnlyOnce) {
  MeetingInput in;
  in.kind = "weekly";
  in.title = "市政府第45次周碰头会";
  in.held_on = "2026-11-23";
  in.minutes = "会议听取了重点项目推进情况汇报。";
  in.decisions = {{std::nullopt, "市发改委牵头协调光电产业园用电增容", "D411300-FGW", "2026-12-04"},
                  {std::nullopt, "瓦店镇做好征迁扫尾", "T411302-02", ""}};
  auto m = svc_->CreateMeeting(supervisor_, in);
  ASSERT_TRUE(m.ok()) << m.status().message();
  ASSERT_EQ(m->meeting.decisions.size(), 2u);
  const int64_t did = m->meeting.decisions[0].id;
  auto task = svc_->DecisionToTask(supervisor_, m->meeting.id, did, {});
  ASSERT_TRUE(task.ok()) << task.status().message();
  EXPECT_EQ(task->row.task.source, "meeting");
  EXPECT_EQ(task->row.task.title, "市发改委牵头协调光电产业园用电增容");
  EXPECT_EQ(task->row.owner.code, "D411300-FGW");
  EXPECT_EQ(FormatIsoDate(task->clock.completion_due), "2026-12-04");
  EXPECT_EQ(task->row.meeting_title, "市政府第45次周碰头会");
  EXPECT_EQ(svc_->DecisionToTask(supervisor_, m->meeting.id, did, {}).status().code(), Code::kConflict);
  // The converted decision can't be removed from the minutes.
  MeetingInput edit = in;
  edit.decisions = {{m->meeting.decisions[1].id, "瓦店镇做好征迁扫尾工作", "T411302-02", ""}};
  EXPECT_EQ(svc_->UpdateMeeting(supervisor_, m->meeting.id, edit, m->meeting.version).status().code(),
            Code::kFailedPrecondition);
  auto again = svc_->GetMeeting(leader_, m->meeting.id);
  ASSERT_TRUE(again->decision_tasks[0].has_value());
  EXPECT_EQ(again->decision_tasks[0]->code, task->row.task.code);
}

TEST_P(SupervisionServiceTest, TheOnTimeRateCountsTasksByTheirCompletionDeadline) {
  const int64_t on_time = Assign("D411300-FGW").row.task.id;  // due 12-07
  const int64_t late = Assign("T411302-02").row.task.id;
  Assign("T411302-02");  // never done: open and overdue after 12-07
  ReportWithEvidence(on_time, reporter_fgw_);
  clock_.Set(Beijing({2026, 12, 9}, 10));
  ReportWithEvidence(late, reporter_town_);
  auto rep = svc_->OnTime(leader_, "2026-12", "");
  ASSERT_TRUE(rep.ok()) << rep.status().message();
  ASSERT_FALSE(rep->rows.empty());
  const OnTimeRow& city = rep->rows[0];
  EXPECT_EQ(city.unit.code, "411300");
  EXPECT_EQ(city.due, 3);
  EXPECT_EQ(city.on_time, 1);
  EXPECT_EQ(city.late, 1);
  EXPECT_EQ(city.open_overdue, 1);
  EXPECT_EQ(city.rate, "33.3");
  for (const OnTimeRow& r : rep->rows) {
    if (r.unit.code == "411302") {
      EXPECT_EQ(r.due, 2);
      EXPECT_EQ(r.on_time, 0);
    }
  }
  EXPECT_EQ(svc_->OnTime(leader_, "2026-13", "").status().code(), Code::kInvalidArgument);
}

TEST_P(SupervisionServiceTest, NotificationsAreReadOnlyByTheirOwner) {
  Assign("D411300-FGW");
  auto mine = Inbox(reporter_fgw_);
  ASSERT_EQ(mine.size(), 1u);
  EXPECT_EQ(*svc_->UnreadCount(reporter_fgw_), 1);
  EXPECT_EQ(svc_->MarkRead(reporter_town_, mine[0].id).code(), Code::kNotFound);
  EXPECT_EQ(*svc_->UnreadCount(reporter_fgw_), 1);
  ASSERT_TRUE(svc_->MarkRead(reporter_fgw_, mine[0].id).ok());
  EXPECT_EQ(*svc_->UnreadCount(reporter_fgw_), 0);
}

TEST_P(SupervisionServiceTest, AnEditedCalendarMovesTheDeadlines) {
  auto cal = svc_->GetCalendar(supervisor_);
  ASSERT_TRUE(cal.ok());
  EXPECT_EQ(svc_->PutCalendar(supervisor_, "2026-11-26 holidy 错字", cal->version).status().code(),
            Code::kInvalidArgument);
  ASSERT_TRUE(svc_->PutCalendar(supervisor_, cal->text + "\n2026-11-26 holiday 临时放假\n", cal->version).ok());
  TaskDetail d = Assign("D411300-FGW");
  EXPECT_EQ(FormatIsoDate(d.clock.steps[1].due), "2026-11-27");  // the plan skips the new holiday
  EXPECT_EQ(svc_->PutCalendar(supervisor_, cal->text, cal->version).status().code(), Code::kConflict);
}

INSTANTIATE_TEST_SUITE_P(Databases, SupervisionServiceTest, ::testing::ValuesIn(testing::DatabaseKinds()));

}  // namespace
}  // namespace tiaodu::supervision
