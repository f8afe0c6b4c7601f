#include "app/demo_supervision.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "auth/crypto.h"
#include "base/period.h"
#include "supervision/calendar.h"
#include "supervision/rules.h"

namespace tiaodu::app {
namespace {

using supervision::BulkData;
using supervision::Decision;
using supervision::Meeting;
using supervision::TaskEvent;
using supervision::TaskFile;
using supervision::TaskRecord;

int64_t Utc(int y, int m, int d, int hh, int mm) {
  return (DaysFromCivil({y, m, d}) * 1440 + hh * 60 + mm) * 60'000;
}

// Tuesday 10:00 Beijing; a Saturday that is a make-up working day (国庆节调休上班) at 17:40,
// with 国庆 and 中秋 in the last three months; a Monday at 08:30 sharp (nothing can have
// happened today yet), with the turn of the year and 元旦 behind it.
const int64_t kNow = Utc(2026, 11, 24, 2, 0);
const int64_t kNows[] = {kNow, Utc(2026, 10, 10, 9, 40), Utc(2026, 1, 5, 0, 30)};

// The demo's units as app/demo.cc seeds them (ids in that order), with departments and towns.
std::vector<DemoUnit> Units() {
  const char* rows[][3] = {
      {"411300", "南阳市", ""},
      {"411302", "宛城区", "411300"},
      {"411303", "卧龙区", "411300"},
      {"411321", "南召县", "411300"},
      {"411322", "方城县", "411300"},
      {"411323", "西峡县", "411300"},
      {"411324", "镇平县", "411300"},
      {"411325", "内乡县", "411300"},
      {"411326", "淅川县", "411300"},
      {"411327", "社旗县", "411300"},
      {"411328", "唐河县", "411300"},
      {"411329", "新野县", "411300"},
      {"411330", "桐柏县", "411300"},
      {"411381", "邓州市", "411300"},
      {"Z411371", "南阳高新技术产业开发区", "411300"},
      {"Z411372", "南阳市城乡一体化示范区", "411300"},
      {"Z411373", "南阳官庄工区", "411300"},
      {"Z411374", "南阳鸭河工区", "411300"},
      {"D411300-TJJ", "南阳市统计局", "411300"},
      {"D411300-FGW", "南阳市发展和改革委员会", "411300"},
      {"D411300-ZSJ", "南阳市投资促进中心", "411300"},
      {"D411300-DCS", "南阳市委督查室", "411300"},
      {"D411300-ZDXM", "南阳市重点项目建设推进专班", "411300"},
      {"D411302-TJJ", "宛城区统计局", "411302"},
      {"D411302-FGW", "宛城区发展和改革委员会", "411302"},
      {"T411302-01", "新华街道", "411302"},
      {"T411302-02", "瓦店镇", "411302"},
      {"T411302-03", "红泥湾镇", "411302"},
      {"D411303-TJJ", "卧龙区统计局", "411303"},
      {"T411303-01", "七一街道", "411303"},
      {"T411303-02", "石桥镇", "411303"},
      {"T411321-01", "城关镇", "411321"},
      {"T411381-02", "穰东镇", "411381"},
  };
  std::vector<DemoUnit> units;
  std::map<std::string, int64_t> ids;
  int64_t id = 1;
  for (const auto& row : rows) {
    ids[row[0]] = id;
    units.push_back({id++, row[0], row[1], row[2][0] ? ids.at(row[2]) : 0});
  }
  return units;
}

const std::map<std::string, int64_t> kUsers = {
    {"admin", 1},
    {"leader", 2},
    {"leader_wancheng", 3},
    {"stat", 4},
    {"project", 5},
    {"invest", 6},
    {"supervisor", 7},
    {"reporter_town", 8},
    {"reporter_fgw", 9},
    {"reporter_wancheng", 10},
    {"supervisor_wancheng", 11},
    {"sysadmin_wancheng", 12},
};

struct Fixture {
  std::vector<DemoUnit> units = Units();
  std::map<std::string, int64_t> id_of;  // code → id
  std::map<int64_t, const DemoUnit*> by_id;
  Fixture() {
    for (const DemoUnit& u : units) id_of[u.code] = u.id;
    for (const DemoUnit& u : units) by_id[u.id] = &u;
  }
  int64_t Id(const std::string& code) const { return id_of.at(code); }
};

const Fixture& F() {
  static const Fixture f;
  return f;
}

BulkData Demo(int64_t now = kNow) { return GenerateNanyangSupervision(F().units, kUsers, now); }

std::string Iso(const CivilDate& d) { return FormatIsoDate(d); }
int Cmp(const CivilDate& a, const CivilDate& b) {
  auto c = CompareDates(a, b);
  return c < 0 ? -1 : c > 0 ? 1 : 0;
}
std::string Chinese(const CivilDate& d) {
  return std::to_string(d.year) + "年" + std::to_string(d.month) + "月" + std::to_string(d.day) +
         "日";
}
std::string When(int64_t at) { return FormatIsoUtc(at); }
CivilDate Day(int64_t at) { return ToCivil(at, 480); }
int MinuteOfDay(int64_t at) { return static_cast<int>((at / 60'000 + 480) % 1440); }
bool IsOpen(const TaskRecord& t) {
  return t.state != supervision::kClosed && t.state != supervision::kCancelled;
}

bool ValidUtf8(std::string_view s) {
  for (size_t i = 0; i < s.size();) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    size_t n = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 0;
    if (n == 0 || i + n > s.size()) return false;
    for (size_t k = 1; k < n; ++k)
      if ((static_cast<unsigned char>(s[i + k]) & 0xC0) != 0x80) return false;
    i += n;
  }
  return true;
}

// The clock inputs of a stored task, as the service maps them.
supervision::Task ClockOf(const TaskRecord& t, const std::vector<TaskEvent>& events) {
  supervision::Task c;
  c.assigned_at = t.assigned_at;
  c.profile = t.profile;
  c.completion_class = t.completion_class;
  c.new_deadline = t.deadline;
  c.new_deadline_reason = t.deadline_reason;
  if (t.received_at) c.done_at[supervision::kReceipt] = *t.received_at;
  if (t.planned_at) c.done_at[supervision::kPlan] = *t.planned_at;
  if (t.reported_at) c.done_at[supervision::kComplete] = *t.reported_at;
  for (const TaskEvent& e : events)
    if (e.kind == "feedback") c.feedback_at.push_back(e.at);
  return c;
}

supervision::ClockState Clock(const TaskRecord& t, const std::vector<TaskEvent>& events,
                              int64_t now) {
  auto st = supervision::Evaluate(ClockOf(t, events), supervision::OfficialCalendar(),
                                  supervision::DefaultSettings(), now);
  EXPECT_TRUE(st.ok()) << t.code;
  return st.ok() ? *st : supervision::ClockState{};
}

std::string Fingerprint(const BulkData& d) {
  std::string s;
  for (const Meeting& m : d.meetings) {
    s += m.kind + m.title + Iso(m.held_on) + m.place + m.chair + m.attendees + m.minutes +
         std::to_string(m.unit_id) + std::to_string(m.created_at) + "|";
    for (const Decision& x : m.decisions)
      s += x.text + std::to_string(x.owner_unit_id.value_or(0)) +
           (x.deadline ? Iso(*x.deadline) : "-");
  }
  for (size_t i = 0; i < d.tasks.size(); ++i) {
    const TaskRecord& t = d.tasks[i];
    s += t.code + t.title + t.description + t.source + t.source_ref +
         std::to_string(t.meeting_id.value_or(-1)) + std::to_string(t.decision_id.value_or(-1)) +
         std::to_string(t.owner_unit_id) + std::to_string(t.assigned_at) + t.state + t.plan +
         t.result + (t.deadline ? Iso(*t.deadline) : "-") + t.deadline_reason;
    for (const TaskEvent& e : d.events[i]) s += e.kind + e.text + std::to_string(e.at);
    for (const auto& [f, bytes] : d.files[i]) s += f.name + f.sha256 + bytes;
  }
  return s;
}

// ---- Determinism ----

TEST(DemoSupervisionTest, TheSameInputsGiveTheSameData) {
  EXPECT_EQ(Fingerprint(Demo()), Fingerprint(Demo()));
  EXPECT_NE(Fingerprint(Demo()), Fingerprint(Demo(kNows[1])));
}

// ---- Meetings ----

void MeetingsAreTheCitysAndWanchengsOfTheLastThreeMonthsAt(const BulkData& d, int64_t now) {
  const CivilDate today = Day(now);
  std::map<std::string, int> city_kinds;
  int wancheng = 0;
  EXPECT_GE(d.meetings.size(), 11u) << When(now);
  EXPECT_LE(d.meetings.size(), 14u) << When(now);
  for (size_t i = 0; i < d.meetings.size(); ++i) {
    const Meeting& m = d.meetings[i];
    SCOPED_TRACE(m.title);
    if (i > 0) {
      EXPECT_LE(Cmp(d.meetings[i - 1].held_on, m.held_on), 0) << "in date order";
    }
    if (m.title.starts_with("宛城区")) {
      ++wancheng;
      EXPECT_EQ(m.unit_id, F().Id("411302"));
      EXPECT_EQ(m.created_by, kUsers.at("supervisor_wancheng"));
      EXPECT_EQ(m.kind, "weekly");
    } else {
      ++city_kinds[m.kind];
      EXPECT_EQ(m.unit_id, F().Id("411300"));
      EXPECT_EQ(m.created_by, kUsers.at("supervisor"));
    }
    EXPECT_EQ(m.status, "published");
    EXPECT_TRUE(supervision::IsWorkingDay(supervision::OfficialCalendar(), m.held_on))
        << Iso(m.held_on);
    EXPECT_LT(Cmp(m.held_on, today), 0);
    EXPECT_GE(DaysBetween(m.held_on, today), 1);
    EXPECT_LE(DaysBetween(m.held_on, today), 100);
    EXPECT_EQ(Iso(Day(m.created_at)), Iso(m.held_on));
    EXPECT_LE(m.created_at, now);
    EXPECT_FALSE(m.place.empty());
    EXPECT_FALSE(m.chair.empty());
    EXPECT_FALSE(m.attendees.empty());
    EXPECT_NE(m.minutes.find("会议听取了"), std::string::npos);
    EXPECT_NE(m.minutes.find("会议议定如下事项："), std::string::npos);
    EXPECT_GE(m.decisions.size(), 2u);
    EXPECT_LE(m.decisions.size(), 5u);
    for (size_t k = 0; k < m.decisions.size(); ++k) {
      const Decision& x = m.decisions[k];
      EXPECT_EQ(x.seq, static_cast<int>(k + 1));
      EXPECT_EQ(x.id, 0);
      EXPECT_FALSE(x.task_id.has_value());
      ASSERT_TRUE(x.owner_unit_id.has_value());
      EXPECT_TRUE(F().by_id.count(*x.owner_unit_id));
      EXPECT_NE(m.minutes.find(x.text), std::string::npos) << x.text;
      if (x.deadline) {
        EXPECT_GT(Cmp(*x.deadline, m.held_on), 0);
      }
    }
  }
  EXPECT_EQ(city_kinds["weekly"], 6) << When(now);
  EXPECT_EQ(city_kinds["monthly"], 3) << When(now);
  EXPECT_EQ(city_kinds["special"], 2) << When(now);
  EXPECT_EQ(wancheng, 2) << When(now);
}

TEST(DemoSupervisionTest, MeetingsAreTheCitysAndWanchengsOfTheLastThreeMonths) {
  for (int64_t now : kNows) MeetingsAreTheCitysAndWanchengsOfTheLastThreeMonthsAt(Demo(now), now);
}

void MostDecisionsBecameTasksAndAFewNotYetAt(const BulkData& d, int64_t now) {
  std::set<std::pair<int64_t, int64_t>> linked;
  size_t decisions = 0;
  for (const Meeting& m : d.meetings) decisions += m.decisions.size();
  for (const TaskRecord& t : d.tasks) {
    SCOPED_TRACE(t.title);
    EXPECT_EQ(t.meeting_id.has_value(), t.decision_id.has_value());
    EXPECT_EQ(t.source == "meeting", t.meeting_id.has_value());
    if (!t.meeting_id) continue;
    ASSERT_GE(*t.meeting_id, 0);
    ASSERT_LT(*t.meeting_id, static_cast<int64_t>(d.meetings.size()));
    const Meeting& m = d.meetings[*t.meeting_id];
    ASSERT_GE(*t.decision_id, 0);
    ASSERT_LT(*t.decision_id, static_cast<int64_t>(m.decisions.size()));
    const Decision& x = m.decisions[*t.decision_id];
    EXPECT_TRUE(linked.insert({*t.meeting_id, *t.decision_id}).second) << "one task per decision";
    EXPECT_EQ(t.title, x.text);
    EXPECT_EQ(t.owner_unit_id, x.owner_unit_id.value_or(0));
    EXPECT_EQ(t.deadline.has_value(), x.deadline.has_value());
    if (t.deadline && x.deadline) {
      EXPECT_EQ(Iso(*t.deadline), Iso(*x.deadline));
    }
    EXPECT_EQ(t.source_ref, m.title);
    EXPECT_GT(t.assigned_at, m.created_at);
    EXPECT_EQ(t.unit_id, m.unit_id == F().Id("411302") ? F().Id("411302") : F().Id("D411300-DCS"));
  }
  EXPECT_GE(linked.size(), decisions * 3 / 4) << When(now);
  EXPECT_GE(decisions - linked.size(), 3u) << When(now);
  EXPECT_LE(decisions - linked.size(), 6u) << When(now);
}

TEST(DemoSupervisionTest, MostDecisionsBecameTasksAndAFewNotYet) {
  for (int64_t now : kNows) MostDecisionsBecameTasksAndAFewNotYetAt(Demo(now), now);
}

// ---- Tasks ----

void TasksAreTheCitysSixtyAndWanchengsFifteenAt(const BulkData& d, int64_t now) {
  ASSERT_EQ(d.events.size(), d.tasks.size());
  ASSERT_EQ(d.files.size(), d.tasks.size());
  int city = 0, wancheng = 0, with_co = 0, urgency = 0;
  std::map<std::string, int> sources;
  std::set<std::string> titles;
  for (const TaskRecord& t : d.tasks) {
    SCOPED_TRACE(t.title);
    EXPECT_TRUE(titles.insert(t.title).second) << "titles unique";
    EXPECT_FALSE(t.description.empty());
    EXPECT_FALSE(t.source_ref.empty());
    ++sources[t.source];
    ASSERT_TRUE(F().by_id.count(t.owner_unit_id));
    const DemoUnit& owner = *F().by_id.at(t.owner_unit_id);
    if (t.assigned_by == kUsers.at("supervisor")) {
      ++city;
      EXPECT_EQ(t.unit_id, F().Id("D411300-DCS"));
      // City departments and county-level units (incl. zones).
      EXPECT_EQ(owner.parent_id, F().Id("411300")) << owner.code;
      EXPECT_NE(owner.code, "D411300-DCS");
    } else {
      ++wancheng;
      EXPECT_EQ(t.assigned_by, kUsers.at("supervisor_wancheng"));
      EXPECT_EQ(t.unit_id, F().Id("411302"));
      EXPECT_EQ(owner.parent_id, F().Id("411302")) << owner.code;
    }
    std::set<int64_t> co(t.co_unit_ids.begin(), t.co_unit_ids.end());
    EXPECT_EQ(co.size(), t.co_unit_ids.size());
    EXPECT_FALSE(co.count(t.owner_unit_id));
    for (int64_t u : co) {
      EXPECT_TRUE(F().by_id.count(u));
    }
    with_co += !co.empty();
    if (t.source == "instruction") {
      EXPECT_NE(t.source_ref.find("批示〔"), std::string::npos) << t.source_ref;
    }
    if (t.source == "higher") {
      EXPECT_NE(t.source_ref.find("督〔"), std::string::npos) << t.source_ref;
    }
    if (t.profile == "urgency") {
      ++urgency;
      EXPECT_TRUE(t.completion_class == 3 || t.completion_class == 7);
    } else {
      EXPECT_EQ(t.profile, "steps");
      EXPECT_EQ(t.completion_class, 0);
    }
    EXPECT_TRUE(supervision::CheckTaskClock(ClockOf(t, {}), supervision::DefaultSettings()).ok());
    EXPECT_EQ(t.version, 1);
    EXPECT_EQ(t.id, 0);
  }
  EXPECT_GE(city, 55) << When(now);
  EXPECT_LE(city, 66) << When(now);
  EXPECT_GE(wancheng, 13) << When(now);
  EXPECT_LE(wancheng, 17) << When(now);
  EXPECT_GE(sources["meeting"], 25) << When(now);
  EXPECT_GE(sources["instruction"], 15) << When(now);
  EXPECT_GE(sources["higher"], 10) << When(now);
  EXPECT_EQ(sources.size(), 3u);
  EXPECT_GE(with_co, 15);
  EXPECT_EQ(urgency, 2);
}

TEST(DemoSupervisionTest, TasksAreTheCitysSixtyAndWanchengsFifteen) {
  for (int64_t now : kNows) TasksAreTheCitysSixtyAndWanchengsFifteenAt(Demo(now), now);
}

void CodesAreUniqueAndIncreaseWithAssignmentAt(const BulkData& d, int64_t now) {
  std::map<int, int> last_seq;
  for (size_t i = 0; i < d.tasks.size(); ++i) {
    const TaskRecord& t = d.tasks[i];
    ASSERT_EQ(t.code.size(), 11u) << t.code;
    EXPECT_TRUE(t.code.starts_with("DB")) << t.code;
    EXPECT_EQ(t.code[6], '-') << t.code;
    int year = std::stoi(t.code.substr(2, 4));
    int seq = std::stoi(t.code.substr(7));
    EXPECT_EQ(year, Day(t.assigned_at).year) << t.code;
    EXPECT_EQ(seq, last_seq[year] + 1) << t.code << ": numbered 0001… per year";
    last_seq[year] = seq;
    if (i > 0) {
      EXPECT_LE(d.tasks[i - 1].assigned_at, t.assigned_at) << t.code;
      EXPECT_LT(d.tasks[i - 1].code, t.code);
    }
  }
  if (now == kNows[2]) {
    EXPECT_EQ(last_seq.size(), 2u) << "2025 and 2026";
  }
}

TEST(DemoSupervisionTest, CodesAreUniqueAndIncreaseWithAssignment) {
  for (int64_t now : kNows) CodesAreUniqueAndIncreaseWithAssignmentAt(Demo(now), now);
}

void AssignmentsSpreadOverSixtyWorkingDaysInOfficeHoursAt(const BulkData& d, int64_t now) {
  const auto& cal = supervision::OfficialCalendar();
  const CivilDate today = Day(now);
  int64_t oldest = 0, newest = 1000;
  int after_office_end = 0;
  for (const TaskRecord& t : d.tasks) {
    CivilDate on = Day(t.assigned_at);
    EXPECT_TRUE(supervision::IsWorkingDay(cal, on)) << t.code;
    EXPECT_LE(t.assigned_at, now);
    int64_t age = supervision::WorkingDaysBetween(cal, on, today);
    oldest = std::max(oldest, age);
    newest = std::min(newest, age);
    after_office_end += MinuteOfDay(t.assigned_at) >= 17 * 60 + 30;
    EXPECT_EQ(t.created_at, t.assigned_at);
  }
  EXPECT_GE(oldest, 50) << When(now);
  EXPECT_LE(oldest, 66) << When(now);
  EXPECT_LE(newest, 1) << When(now);
  EXPECT_GE(after_office_end, 5) << When(now);
}

TEST(DemoSupervisionTest, AssignmentsSpreadOverSixtyWorkingDaysInOfficeHours) {
  for (int64_t now : kNows) AssignmentsSpreadOverSixtyWorkingDaysInOfficeHoursAt(Demo(now), now);
}

// ---- Timelines ----

void EventsAreOrderedByTheRightPeopleAndMatchTheRecordAt(const BulkData& d, int64_t now) {
  const auto& cal = supervision::OfficialCalendar();
  const std::map<int64_t, int64_t> reporter = {{F().Id("D411300-FGW"), kUsers.at("reporter_fgw")},
                                               {F().Id("411302"), kUsers.at("reporter_wancheng")},
                                               {F().Id("T411302-02"), kUsers.at("reporter_town")}};
  const std::set<std::string> owner_kinds = {"received", "plan", "feedback", "file", "reported"};
  const std::set<std::string> supervisor_kinds = {"assigned", "returned", "accepted", "cancelled",
                                                  "deadline"};
  for (size_t i = 0; i < d.tasks.size(); ++i) {
    const TaskRecord& t = d.tasks[i];
    const std::vector<TaskEvent>& ev = d.events[i];
    const bool extended =
        std::any_of(ev.begin(), ev.end(), [](const TaskEvent& e) { return e.kind == "deadline"; });
    SCOPED_TRACE(t.code + " " + t.title + " at " + When(now));
    ASSERT_FALSE(ev.empty());
    EXPECT_EQ(ev.front().kind, "assigned");
    EXPECT_EQ(ev.front().at, t.assigned_at);
    std::optional<int64_t> received, planned, reported, accepted, cancelled;
    std::optional<std::string> cancel_text, result;
    size_t file_events = 0;
    for (size_t k = 0; k < ev.size(); ++k) {
      const TaskEvent& e = ev[k];
      if (k > 0) {
        EXPECT_LT(ev[k - 1].at, e.at) << e.kind;
      }
      EXPECT_LE(e.at, now) << e.kind;
      EXPECT_TRUE(supervision::IsWorkingDay(cal, Day(e.at))) << e.kind << " " << When(e.at);
      EXPECT_GE(MinuteOfDay(e.at), 8 * 60 + 30) << e.kind << " " << When(e.at);
      EXPECT_LE(MinuteOfDay(e.at), 18 * 60) << e.kind << " " << When(e.at);
      EXPECT_FALSE(e.text.empty()) << e.kind;
      if (owner_kinds.count(e.kind)) {
        EXPECT_EQ(e.unit_id, t.owner_unit_id) << e.kind;
        auto it = reporter.find(t.owner_unit_id);
        EXPECT_EQ(e.user_id,
                  it == reporter.end() ? std::nullopt : std::optional<int64_t>(it->second))
            << e.kind;
      } else {
        ASSERT_TRUE(supervisor_kinds.count(e.kind)) << e.kind;
        EXPECT_EQ(e.unit_id, t.unit_id) << e.kind;
        EXPECT_EQ(e.user_id, t.assigned_by) << e.kind;
      }
      if (e.kind == "assigned") {
        // As the service words it: the source and the completion deadline in force then.
        EXPECT_EQ(k, 0u);
        auto due =
            supervision::OriginalCompletionDue(ClockOf(t, {}), cal, supervision::DefaultSettings());
        ASSERT_TRUE(due.ok());
        EXPECT_NE(e.text.find("（" + t.source_ref + "）；办结期限"), std::string::npos) << e.text;
        if (!extended) {
          EXPECT_TRUE(e.text.ends_with("；办结期限" + Chinese(t.deadline ? *t.deadline : *due)))
              << e.text;
        }
      }
      if (e.kind == "received") {
        EXPECT_FALSE(received);
        received = e.at;
      }
      if (e.kind == "plan") {
        EXPECT_TRUE(received) << "plan after receipt";
        planned = e.at;
        EXPECT_EQ(e.text, t.plan);
      }
      if (e.kind == "feedback") {
        EXPECT_TRUE(planned) << "feedback after the plan";
      }
      if (e.kind == "file") {
        ASSERT_LT(file_events, d.files[i].size());
        EXPECT_EQ(d.files[i][file_events].first.at, e.at);
        EXPECT_EQ(d.files[i][file_events].first.name, e.text);
        ++file_events;
      }
      if (e.kind == "reported") {
        EXPECT_TRUE(planned) << "report after the plan";
        EXPECT_GT(file_events, 0u) << "evidence before the report";
        reported = e.at;
        result = e.text;
      }
      if (e.kind == "returned") {
        EXPECT_TRUE(reported);
        reported.reset();
      }
      if (e.kind == "accepted") {
        EXPECT_TRUE(reported);
        accepted = e.at;
      }
      if (e.kind == "cancelled") {
        cancelled = e.at;
        cancel_text = e.text;
      }
      if (e.kind == "deadline") {
        ASSERT_TRUE(t.deadline.has_value());
        EXPECT_NE(e.text.find(t.deadline_reason), std::string::npos);
      }
    }
    EXPECT_EQ(file_events, d.files[i].size());
    EXPECT_EQ(t.received_at, received);
    EXPECT_EQ(t.planned_at, planned);
    EXPECT_EQ(t.reported_at, reported);
    EXPECT_EQ(t.closed_at, accepted ? accepted : cancelled);
    EXPECT_EQ(t.result, result.value_or("")) << "the last report's";
    EXPECT_EQ(t.updated_at, ev.back().at);
    const char* state = cancelled  ? supervision::kCancelled
                        : accepted ? supervision::kClosed
                        : reported ? supervision::kReported
                        : planned  ? supervision::kInProgress
                        : received ? supervision::kReceived
                                   : supervision::kAssigned;
    EXPECT_EQ(t.state, state);
    if (cancelled) {
      EXPECT_EQ(ev.back().kind, "cancelled");
      EXPECT_EQ(t.cancel_reason, *cancel_text);
    } else {
      EXPECT_TRUE(t.cancel_reason.empty());
    }
    if (accepted) {
      EXPECT_EQ(ev.back().kind, "accepted");
    }
  }
}

TEST(DemoSupervisionTest, EventsAreOrderedByTheRightPeopleAndMatchTheRecord) {
  for (int64_t now : kNows) EventsAreOrderedByTheRightPeopleAndMatchTheRecordAt(Demo(now), now);
}

void EveryStateOccursWithOneReturnAndOneOrTwoCancelledAt(const BulkData& d, int64_t now) {
  std::map<std::string, int> states;
  int returned_then_reported = 0, extended = 0;
  for (size_t i = 0; i < d.tasks.size(); ++i) {
    ++states[d.tasks[i].state];
    bool returned = false;
    for (const TaskEvent& e : d.events[i]) {
      if (e.kind == "returned") returned = true;
      if (e.kind == "reported" && returned) ++returned_then_reported;
      if (e.kind == "deadline") ++extended;
    }
  }
  SCOPED_TRACE(When(now));
  EXPECT_GE(states[supervision::kAssigned], 3);
  EXPECT_GE(states[supervision::kReceived], 3);
  EXPECT_GE(states[supervision::kInProgress], 10);
  EXPECT_GE(states[supervision::kReported], 3);
  EXPECT_GE(states[supervision::kClosed], 15);
  EXPECT_GE(states[supervision::kCancelled], 1);
  EXPECT_LE(states[supervision::kCancelled], 2);
  EXPECT_EQ(states.size(), 6u);
  EXPECT_EQ(returned_then_reported, 1);
  EXPECT_GE(extended, 1);
}

TEST(DemoSupervisionTest, EveryStateOccursWithOneReturnAndOneOrTwoCancelled) {
  for (int64_t now : kNows) EveryStateOccursWithOneReturnAndOneOrTwoCancelledAt(Demo(now), now);
}

void ComplexMattersHaveALaterDeadlineWithAReasonAt(const BulkData& d, int64_t now) {
  const auto& cal = supervision::OfficialCalendar();
  const auto settings = supervision::DefaultSettings();
  int complex = 0;
  for (const TaskRecord& t : d.tasks) {
    if (!t.deadline) {
      EXPECT_TRUE(t.deadline_reason.empty()) << t.code;
      continue;
    }
    auto original = supervision::OriginalCompletionDue(ClockOf(t, {}), cal, settings);
    ASSERT_TRUE(original.ok());
    if (Cmp(*t.deadline, *original) <= 0) continue;
    ++complex;
    EXPECT_FALSE(t.deadline_reason.empty()) << t.code << " " << Iso(*t.deadline);
    EXPECT_LE(DaysBetween(*original, *t.deadline), settings.max_new_deadline_days) << t.code;
  }
  EXPECT_GE(complex, 5) << When(now);
}

TEST(DemoSupervisionTest, ComplexMattersHaveALaterDeadlineWithAReason) {
  for (int64_t now : kNows) ComplexMattersHaveALaterDeadlineWithAReasonAt(Demo(now), now);
}

// ---- Evidence ----

void ReportedAndClosedTasksCarryValidEvidenceAt(const BulkData& d, int64_t now) {
  int pdfs = 0, txts = 0;
  for (size_t i = 0; i < d.tasks.size(); ++i) {
    const TaskRecord& t = d.tasks[i];
    SCOPED_TRACE(t.code + " " + t.title);
    if (t.state == supervision::kReported || t.state == supervision::kClosed) {
      ASSERT_FALSE(d.files[i].empty()) << "evidence";
      EXPECT_LT(d.files[i].front().first.at, *t.reported_at);
    }
    for (const auto& [f, bytes] : d.files[i]) {
      EXPECT_EQ(f.size, static_cast<int64_t>(bytes.size()));
      EXPECT_EQ(f.sha256, auth::Sha256Hex(bytes));
      auto type = supervision::CheckEvidenceFile(f.name, bytes, {});
      ASSERT_TRUE(type.ok()) << f.name << ": " << type.status().message();
      EXPECT_EQ(f.content_type, *type);
      EXPECT_EQ(f.unit_id, t.owner_unit_id);
      EXPECT_EQ(f.user_id, t.owner_unit_id == F().Id("D411300-FGW") ? kUsers.at("reporter_fgw")
                           : t.owner_unit_id == F().Id("411302")    ? kUsers.at("reporter_wancheng")
                           : t.owner_unit_id == F().Id("T411302-02") ? kUsers.at("reporter_town")
                                                                     : 0);
      EXPECT_LT(bytes.size(), 20'000u);
      if (f.name.ends_with(".pdf")) {
        ++pdfs;
        EXPECT_TRUE(bytes.starts_with("%PDF-1.4\n"));
        EXPECT_TRUE(bytes.ends_with("%%EOF\n"));
        // The cross-reference table points at each object.
        size_t sx = bytes.rfind("startxref\n");
        ASSERT_NE(sx, std::string::npos);
        size_t xref = std::stoul(bytes.substr(sx + 10));
        ASSERT_EQ(bytes.compare(xref, 5, "xref\n"), 0);
        size_t count = std::stoul(bytes.substr(xref + 7));
        EXPECT_EQ(count, 8u);
        for (size_t n = 1; n < count; ++n) {
          size_t off = std::stoul(bytes.substr(xref + 5 + 4 + 20 * n, 10));
          std::string head = std::to_string(n) + " 0 obj\n";
          EXPECT_EQ(bytes.compare(off, head.size(), head), 0) << "object " << n;
        }
        // The stream's length is right.
        size_t len_at = bytes.find("/Length ");
        size_t len = std::stoul(bytes.substr(len_at + 8));
        size_t begin = bytes.find("stream\n", len_at) + 7;
        EXPECT_EQ(bytes.compare(begin + len, 9, "endstream"), 0);
        EXPECT_NE(bytes.find("/STSong-Light"), std::string::npos);
      } else {
        ++txts;
        EXPECT_TRUE(f.name.ends_with(".txt")) << f.name;
        EXPECT_TRUE(ValidUtf8(bytes));
        EXPECT_NE(bytes.find(t.title), std::string::npos);
        EXPECT_NE(bytes.find("情况说明"), std::string::npos);
      }
    }
  }
  EXPECT_GE(pdfs, 5) << When(now);
  EXPECT_GE(txts, 5) << When(now);
}

TEST(DemoSupervisionTest, ReportedAndClosedTasksCarryValidEvidence) {
  for (int64_t now : kNows) ReportedAndClosedTasksCarryValidEvidenceAt(Demo(now), now);
}

// ---- The clock at now ----

void OpenTasksAreGreenYellowAndRedAt(const BulkData& d, int64_t now) {
  std::map<std::string, int> open_lights;
  int on_time = 0, late = 0, late_steps = 0, escalated = 0;
  for (size_t i = 0; i < d.tasks.size(); ++i) {
    const TaskRecord& t = d.tasks[i];
    if (t.state == supervision::kCancelled) continue;
    supervision::ClockState st = Clock(t, d.events[i], now);
    EXPECT_EQ(st.completed, t.reported_at.has_value()) << t.code;
    for (const auto& step : st.steps)
      late_steps += step.state == supervision::kLate && step.code != supervision::kComplete;
    if (IsOpen(t) && !t.reported_at) {
      ++open_lights[st.light];
      escalated += st.escalation > 0;
    } else {
      EXPECT_EQ(st.light, supervision::kGreen) << t.code;
      for (const auto& step : st.steps) {
        if (step.code != supervision::kComplete) continue;
        (step.state == supervision::kDone ? on_time : late)++;
      }
    }
  }
  SCOPED_TRACE(When(now));
  EXPECT_GE(open_lights[supervision::kGreen], 5);
  EXPECT_GE(open_lights[supervision::kYellow], 4);
  EXPECT_GE(open_lights[supervision::kRed], 4);
  EXPECT_GE(escalated, 4);
  EXPECT_GE(on_time, 15);
  EXPECT_GE(late, 2);
  EXPECT_GE(late_steps, 1);
}

TEST(DemoSupervisionTest, OpenTasksAreGreenYellowAndRedAtNow) {
  for (int64_t now : kNows) OpenTasksAreGreenYellowAndRedAt(Demo(now), now);
}

// ---- The demo users' work ----

void TheDemoReportersHaveOpenTasksAt(const BulkData& d, int64_t now) {
  std::map<int64_t, int> open, to_receive;
  for (const TaskRecord& t : d.tasks) {
    if (!IsOpen(t)) continue;
    ++open[t.owner_unit_id];
    to_receive[t.owner_unit_id] += t.state == supervision::kAssigned;
  }
  SCOPED_TRACE(When(now));
  EXPECT_GE(open[F().Id("D411300-FGW")], 5);
  EXPECT_GE(to_receive[F().Id("D411300-FGW")], 1);
  EXPECT_GE(open[F().Id("T411302-02")], 3);
  EXPECT_GE(to_receive[F().Id("T411302-02")], 1);
  EXPECT_GE(open[F().Id("411302")], 2);
}

TEST(DemoSupervisionTest, TheDemoReportersHaveOpenTasks) {
  for (int64_t now : kNows) TheDemoReportersHaveOpenTasksAt(Demo(now), now);
}

// ---- Any time ----

// Every guarantee at ~130 instants over 2024–2026 (the years the shipped calendar covers),
// at times of day from before office hours to after them, weekends and holidays included.
TEST(DemoSupervisionTest, EveryGuaranteeHoldsAtAnyTime) {
  const int kMinutes[] = {10,  30,  120, 360, 575,
                          630, 780, 960, 1430};  // UTC: 08:10 … 07:50 Beijing
  int n = 0;
  for (int64_t day = DaysFromCivil({2024, 3, 1}); day <= DaysFromCivil({2026, 12, 31});
       day += 8, ++n) {
    const int64_t now = (day * 1440 + kMinutes[n % std::size(kMinutes)]) * 60'000;
    SCOPED_TRACE(When(now));
    const BulkData d = Demo(now);
    MeetingsAreTheCitysAndWanchengsOfTheLastThreeMonthsAt(d, now);
    MostDecisionsBecameTasksAndAFewNotYetAt(d, now);
    TasksAreTheCitysSixtyAndWanchengsFifteenAt(d, now);
    CodesAreUniqueAndIncreaseWithAssignmentAt(d, now);
    AssignmentsSpreadOverSixtyWorkingDaysInOfficeHoursAt(d, now);
    EventsAreOrderedByTheRightPeopleAndMatchTheRecordAt(d, now);
    EveryStateOccursWithOneReturnAndOneOrTwoCancelledAt(d, now);
    ComplexMattersHaveALaterDeadlineWithAReasonAt(d, now);
    ReportedAndClosedTasksCarryValidEvidenceAt(d, now);
    OpenTasksAreGreenYellowAndRedAt(d, now);
    TheDemoReportersHaveOpenTasksAt(d, now);
    if (HasFailure()) break;
  }
}

// ---- Missing units and users ----

TEST(DemoSupervisionTest, WithoutWanchengsSupervisorOrSomeUnitsTheRestStaysValid) {
  std::map<std::string, int64_t> users = kUsers;
  users.erase("supervisor_wancheng");
  std::vector<DemoUnit> units;
  for (const DemoUnit& u : F().units)
    if (u.code != "D411300-ZSJ" && u.code != "411328") units.push_back(u);
  BulkData d = GenerateNanyangSupervision(units, users, kNow);
  EXPECT_GE(d.tasks.size(), 40u);
  std::set<int64_t> ids;
  for (const DemoUnit& u : units) ids.insert(u.id);
  for (const Meeting& m : d.meetings) {
    EXPECT_EQ(m.unit_id, F().Id("411300"));
    for (const Decision& x : m.decisions) {
      EXPECT_TRUE(ids.count(*x.owner_unit_id));
    }
  }
  for (const TaskRecord& t : d.tasks) {
    EXPECT_EQ(t.assigned_by, kUsers.at("supervisor"));
    EXPECT_TRUE(ids.count(t.owner_unit_id)) << t.title;
    for (int64_t c : t.co_unit_ids) {
      EXPECT_TRUE(ids.count(c)) << t.title;
    }
    if (t.meeting_id) {
      ASSERT_LT(*t.meeting_id, static_cast<int64_t>(d.meetings.size()));
      ASSERT_LT(*t.decision_id, static_cast<int64_t>(d.meetings[*t.meeting_id].decisions.size()));
      EXPECT_EQ(d.meetings[*t.meeting_id].decisions[*t.decision_id].text, t.title);
    }
  }
  EXPECT_TRUE(GenerateNanyangSupervision({}, kUsers, kNow).tasks.empty());
}

}  // namespace
}  // namespace tiaodu::app
