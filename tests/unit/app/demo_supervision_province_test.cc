#include "app/demo_supervision_province.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "base/period.h"
#include "supervision/calendar.h"
#include "supervision/rules.h"

namespace tiaodu::app {
namespace {

using supervision::BulkData;
using supervision::TaskEvent;
using supervision::TaskRecord;

int64_t Utc(int y, int m, int d, int hh, int mm) { return (DaysFromCivil({y, m, d}) * 1440 + hh * 60 + mm) * 60'000; }

// A Wednesday 06:05 Beijing (before office hours), a Tuesday 15:00, a Saturday after 国庆.
const int64_t kNows[] = {Utc(2026, 11, 24, 22, 5), Utc(2026, 11, 24, 7, 0), Utc(2026, 10, 10, 3, 0)};
constexpr int64_t kRoot = 1, kSupervisor = 77;

// As LoadProvince passes them: no root; the first unit a county; cities under the root (id 1).
std::vector<DemoUnit> Units() {
  std::vector<DemoUnit> out;
  for (int c = 1; c <= 3; ++c) out.push_back({1 + c, "P00" + std::to_string(c), "示范市0" + std::to_string(c), kRoot});
  for (int i = 0; i < 12; ++i)
    out.push_back({10 + i, "P1" + std::to_string(10 + i), "示范县" + std::to_string(i), 2 + i % 3});
  std::rotate(out.begin(), out.begin() + 3, out.begin() + 4);  // the first county first
  return out;
}

std::string Fingerprint(const BulkData& d) {
  std::string s;
  for (size_t i = 0; i < d.tasks.size(); ++i) {
    const TaskRecord& t = d.tasks[i];
    s += t.code + t.title + t.state + std::to_string(t.owner_unit_id) + std::to_string(t.assigned_at) + "|";
    for (const TaskEvent& e : d.events[i]) s += e.kind + std::to_string(e.at) + e.text;
  }
  return s;
}

TEST(DemoProvinceSupervisionTest, CountsOwnersAndDeterminism) {
  const std::vector<DemoUnit> units = Units();
  BulkData d = GenerateProvinceSupervision(units, kRoot, kSupervisor, 2000, kNows[0], 7);
  ASSERT_EQ(d.tasks.size(), 2000u);
  ASSERT_EQ(d.events.size(), 2000u);
  ASSERT_EQ(d.files.size(), 2000u);
  EXPECT_TRUE(d.meetings.empty());
  std::map<int64_t, int> per_owner;
  for (const TaskRecord& t : d.tasks) ++per_owner[t.owner_unit_id];
  EXPECT_EQ(per_owner[units.front().id], 500);
  for (const DemoUnit& u : units) EXPECT_GT(per_owner[u.id], 0) << u.code;
  EXPECT_EQ(Fingerprint(GenerateProvinceSupervision(units, kRoot, kSupervisor, 2000, kNows[0], 7)), Fingerprint(d));
  EXPECT_NE(Fingerprint(GenerateProvinceSupervision(units, kRoot, kSupervisor, 2000, kNows[0], 8)), Fingerprint(d));
  EXPECT_EQ(GenerateProvinceSupervision(units, kRoot, kSupervisor, 300, kNows[0], 7).tasks.size(), 300u);
  EXPECT_TRUE(GenerateProvinceSupervision({}, kRoot, kSupervisor, 10, kNows[0], 7).tasks.empty());
  EXPECT_TRUE(GenerateProvinceSupervision(units, kRoot, kSupervisor, 0, kNows[0], 7).tasks.empty());
}

TEST(DemoProvinceSupervisionTest, RecordsMatchTheirTimelinesAndStatesSpread) {
  const std::vector<DemoUnit> units = Units();
  std::map<int64_t, int64_t> parent;
  for (const DemoUnit& u : units) parent[u.id] = u.parent_id;
  const supervision::Calendar& cal = supervision::OfficialCalendar();
  const supervision::ClockSettings settings = supervision::DefaultSettings();
  for (int64_t now : kNows) {
    SCOPED_TRACE(FormatIsoUtc(now));
    BulkData d = GenerateProvinceSupervision(units, kRoot, kSupervisor, 3000, now, 11);
    std::set<std::string> codes;
    std::map<std::string, int> states, lights;
    std::string prev_code;
    int64_t prev_at = 0;
    const CivilDate today = ToCivil(now, 480);
    for (size_t i = 0; i < d.tasks.size(); ++i) {
      const TaskRecord& t = d.tasks[i];
      const std::vector<TaskEvent>& ev = d.events[i];
      ASSERT_TRUE(codes.insert(t.code).second) << t.code;
      EXPECT_EQ(t.code.substr(0, 7), "DB" + std::to_string(ToCivil(t.assigned_at, 480).year) + "-");
      if (t.code.substr(0, 7) == prev_code.substr(0, 7)) {
        EXPECT_LT(prev_code, t.code);  // codes sort as numbers
      }
      prev_code = t.code;
      EXPECT_GE(t.assigned_at, prev_at);
      prev_at = t.assigned_at;
      EXPECT_LE(t.assigned_at, now);
      // Within the last ~60 working days (61 with an evening assignment the day before).
      EXPECT_LE(supervision::WorkingDaysBetween(cal, ToCivil(t.assigned_at, 480), today), 61);
      EXPECT_EQ(t.unit_id, kRoot);
      EXPECT_EQ(t.assigned_by, kSupervisor);
      EXPECT_EQ(t.profile, "steps");
      EXPECT_FALSE(t.title.empty());
      if (t.deadline) {
        EXPECT_FALSE(t.deadline_reason.empty());
      }
      for (int64_t co : t.co_unit_ids) {
        EXPECT_NE(co, t.owner_unit_id);
        EXPECT_EQ(parent[co], parent[t.owner_unit_id]);
      }
      ASSERT_FALSE(ev.empty());
      EXPECT_EQ(ev.front().kind, "assigned");
      EXPECT_EQ(ev.front().at, t.assigned_at);
      std::optional<int64_t> received, planned, reported, closed;
      for (size_t k = 0; k < ev.size(); ++k) {
        EXPECT_LE(ev[k].at, now);
        if (k > 0) {
          EXPECT_LT(ev[k - 1].at, ev[k].at);
        }
        if (k > 0 && ev[k].kind != "accepted" && ev[k].kind != "cancelled") {
          EXPECT_EQ(ev[k].unit_id, t.owner_unit_id);
          EXPECT_FALSE(ev[k].user_id.has_value());
        }
        if (ev[k].kind == "received") received = ev[k].at;
        if (ev[k].kind == "plan") planned = ev[k].at;
        if (ev[k].kind == "reported") reported = ev[k].at;
        if (ev[k].kind == "accepted" || ev[k].kind == "cancelled") closed = ev[k].at;
      }
      EXPECT_EQ(t.received_at, received);
      EXPECT_EQ(t.planned_at, planned);
      EXPECT_EQ(t.reported_at, reported);
      EXPECT_EQ(t.closed_at, closed);
      EXPECT_EQ(t.updated_at, ev.back().at);
      const std::string& last = ev.back().kind;
      const std::string expect = last == "accepted"    ? "closed"
                                 : last == "cancelled" ? "cancelled"
                                 : reported            ? "reported"
                                 : planned             ? "in_progress"
                                 : received            ? "received"
                                                       : "assigned";
      EXPECT_EQ(t.state, expect) << t.code;
      EXPECT_EQ(d.files[i].size(), reported ? 1u : 0u);
      for (const auto& [f, bytes] : d.files[i]) {
        EXPECT_TRUE(supervision::CheckEvidenceFile(f.name, bytes, {}).ok());
        EXPECT_EQ(f.unit_id, t.owner_unit_id);
      }
      ++states[t.state];
      std::vector<int64_t> feedback;
      for (const TaskEvent& e : ev)
        if (e.kind == "feedback") feedback.push_back(e.at);
      supervision::Task c;
      c.assigned_at = t.assigned_at;
      c.new_deadline = t.deadline;
      c.new_deadline_reason = t.deadline_reason;
      if (t.received_at) c.done_at[supervision::kReceipt] = *t.received_at;
      if (t.planned_at) c.done_at[supervision::kPlan] = *t.planned_at;
      if (t.reported_at) c.done_at[supervision::kComplete] = *t.reported_at;
      c.feedback_at = feedback;
      auto st = supervision::Evaluate(c, cal, settings, now);
      ASSERT_TRUE(st.ok());
      if (t.state != "closed" && t.state != "cancelled") ++lights[st->light];
    }
    // Like real work: mostly in progress, some not received, some waiting, a good share closed.
    const int open = states["assigned"] + states["received"] + states["in_progress"] + states["reported"];
    EXPECT_GT(states["assigned"], 30);
    EXPECT_GT(states["received"], 10);
    EXPECT_GT(states["in_progress"], 900);
    EXPECT_GT(states["reported"], 100);
    EXPECT_GT(states["closed"], 600);
    EXPECT_GT(states["cancelled"], 5);
    EXPECT_GT(states["in_progress"], states["closed"] / 2);
    EXPECT_GT(lights["green"], open / 2);
    EXPECT_GT(lights["yellow"], open / 40);
    EXPECT_GT(lights["red"], open / 20);
    EXPECT_LT(lights["red"], open / 3);
  }
}

}  // namespace
}  // namespace tiaodu::app
