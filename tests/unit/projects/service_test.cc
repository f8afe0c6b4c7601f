#include "projects/service.h"

#include <gtest/gtest.h>

#include <string>

#include "../testing/databases.h"
#include "auth/audit.h"
#include "auth/crypto.h"
#include "auth/service.h"
#include "base/period.h"
#include "org/service.h"

namespace tiaodu::projects {
namespace {

// Specification of the key-project use cases, on both databases. Today is 2026-07-15
// (Beijing time): half of the year has elapsed for progress reported through June.
//
// The tree: 南阳市 411300 ─ 宛城区 411302 ─ 瓦店镇 (town)
//                        └ 卧龙区 411303
//                        └ 发改委 (department of the city)
class ProjectServiceTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    ASSERT_TRUE(auth::InitCrypto());
    auto opened = db::Database::Open(testing::FreshDatabaseUrl(GetParam()));
    ASSERT_TRUE(opened.ok()) << opened.status().message();
    db_ = std::move(*opened);
    ASSERT_TRUE(db::Migrate(*db_, clock_.NowMillis()).ok());
    org_ = std::make_unique<org::OrgService>(*db_, clock_);
    svc_ = std::make_unique<ProjectService>(*db_, clock_);
    system_.system = true;
    system_.username = "system";
    city_ = Unit({"411300", "南阳市", "city", 0});
    wancheng_ = Unit({"411302", "宛城区", "district", city_.id});
    town_ = Unit({"", "瓦店镇", "town", wancheng_.id});
    wolong_ = Unit({"411303", "卧龙区", "district", city_.id});
    fgw_ = Unit({"", "发改委", "department", city_.id});
    office_ = Actor("project", "project_office", fgw_, city_.path);
    town_reporter_ = Actor("reporter_town", "reporter", town_, town_.path);
    wolong_reporter_ = Actor("reporter_wolong", "reporter", wolong_, wolong_.path);
  }

  static int64_t MillisOf(CivilDate d) { return DaysFromCivil(d) * 86'400'000LL + 4 * 3'600'000LL; }

  org::Unit Unit(const org::NewUnit& n) {
    auto u = org_->Create(system_, n);
    EXPECT_TRUE(u.ok()) << u.status().message();
    return u.ok() ? *u : org::Unit{};
  }
  static auth::Actor Actor(std::string name, std::string role, const org::Unit& unit, std::string scope) {
    auth::Actor a;
    a.user_id = 7;
    a.username = name;
    a.role = role;
    a.unit_id = unit.id;
    a.unit_path = scope;
    return a;
  }
  ProjectInput Input(std::string code, const org::Unit& unit) {
    ProjectInput in;
    Project& p = in.project;
    p.code = code;
    p.name = "瓦店镇农产品冷链物流园项目";
    p.level = "city";
    p.category = "industry";
    p.industry = "C13";
    p.total_investment = Decimal::FromInt(12);
    p.start_year = 2025;
    p.end_year = 2027;
    p.committed_completion = CivilDate{2027, 12, 31};
    p.annual_plans[2026] = Decimal::FromInt(4);
    in.unit_code = unit.code;
    return in;
  }
  ProjectDetail Create(const ProjectInput& in) {
    auto d = svc_->Create(office_, in);
    EXPECT_TRUE(d.ok()) << d.status().message() << (d.status().details().empty() ? "" : " " + d.status().details()[0].field + ": " + d.status().details()[0].reason);
    return d.ok() ? *d : ProjectDetail{};
  }
  int64_t CountProjects() {
    auto page = svc_->List(office_, {}, "");
    return page.ok() ? page->total : -1;
  }

  FakeClock clock_{MillisOf(CivilDate{2026, 7, 15})};
  std::unique_ptr<db::Database> db_;
  std::unique_ptr<org::OrgService> org_;
  std::unique_ptr<ProjectService> svc_;
  auth::Actor system_, office_, town_reporter_, wolong_reporter_;
  org::Unit city_, wancheng_, town_, wolong_, fgw_;
};

TEST_P(ProjectServiceTest, BadInputIsRefusedWithItsFieldAndNothingIsWritten) {
  ProjectInput in = Input("WD-001", town_);
  in.project.start_year = 2028;  // completion before start
  EXPECT_EQ(svc_->Create(office_, in).status().code(), Code::kInvalidArgument);
  in = Input("WD-001", town_);
  in.project.total_investment = Decimal::FromInt(-3);
  EXPECT_EQ(svc_->Create(office_, in).status().code(), Code::kInvalidArgument);
  in = Input("WD-001", town_);
  in.unit_code = "999999";
  auto unknown = svc_->Create(office_, in);
  ASSERT_EQ(unknown.status().code(), Code::kInvalidArgument);
  EXPECT_EQ(unknown.status().details()[0].field, "unit");
  in = Input("WD-001", town_);
  in.project.leader_id = 4242;
  EXPECT_EQ(svc_->Create(office_, in).status().code(), Code::kInvalidArgument);
  EXPECT_EQ(CountProjects(), 0);
}

TEST_P(ProjectServiceTest, ProgressFarBelowPlanMakesTheProjectLagAndSaysWhy) {
  ProjectDetail d = Create(Input("WD-001", town_));
  auto r = svc_->ReportProgress(town_reporter_, d.row.project.id, "2026-06", "0.8", "主体钢结构施工中", std::nullopt);
  ASSERT_TRUE(r.ok()) << r.status().message();
  // 0.8 of 4 = 20% against half the year: 30 points behind → 严重滞后.
  EXPECT_EQ(r->row.year.status, kSeriouslyLagging);
  EXPECT_NE(r->row.year.status_reason.find("20.0%"), std::string::npos) << r->row.year.status_reason;
  EXPECT_EQ(r->row.year.ytd.ToString(), "0.8");
  EXPECT_EQ(r->row.year.completion->ToString(), "20");
  store::ProjectQuery q;
  q.status = kSeriouslyLagging;
  auto lagging = svc_->List(office_, q, "411302");
  ASSERT_TRUE(lagging.ok());
  EXPECT_EQ(lagging->total, 1);
}

TEST_P(ProjectServiceTest, AReporterSeesAndReportsOnlyTheProjectsOfTheirOwnUnit) {
  ProjectDetail mine = Create(Input("WD-001", town_));
  ProjectDetail other = Create(Input("WL-001", wolong_));
  auto visible = svc_->List(town_reporter_, {}, "");
  ASSERT_TRUE(visible.ok());
  ASSERT_EQ(visible->total, 1);
  EXPECT_EQ(visible->items[0].project.code, "WD-001");
  EXPECT_EQ(svc_->ReportProgress(town_reporter_, other.row.project.id, "2026-06", "1", "", std::nullopt).status().code(),
            Code::kNotFound);
  EXPECT_TRUE(svc_->ReportProgress(town_reporter_, mine.row.project.id, "2026-06", "1", "", std::nullopt).ok());
}

TEST_P(ProjectServiceTest, ProgressForAFutureMonthOrAnAbsurdAmountIsRefused) {
  ProjectDetail d = Create(Input("WD-001", town_));
  EXPECT_EQ(svc_->ReportProgress(town_reporter_, d.row.project.id, "2026-08", "1", "", std::nullopt).status().code(),
            Code::kInvalidArgument);
  EXPECT_EQ(svc_->ReportProgress(town_reporter_, d.row.project.id, "2026-06", "-1", "", std::nullopt).status().code(),
            Code::kInvalidArgument);
  EXPECT_EQ(svc_->ReportProgress(town_reporter_, d.row.project.id, "2026-06", "5000", "", std::nullopt).status().code(),
            Code::kInvalidArgument);
  auto detail = svc_->Get(office_, d.row.project.id, 0);
  EXPECT_TRUE(detail->progress.empty());
}

TEST_P(ProjectServiceTest, TwoEditsWithTheSameVersionLeaveOneAndRefuseTheOther) {
  ProjectDetail d = Create(Input("WD-001", town_));
  ProjectInput a = Input("WD-001", town_);
  a.project.version = d.row.project.version;
  a.project.name = "甲";
  ProjectInput b = a;
  b.project.name = "乙";
  EXPECT_TRUE(svc_->Update(office_, d.row.project.id, a).ok());
  EXPECT_EQ(svc_->Update(office_, d.row.project.id, b).status().code(), Code::kConflict);
  EXPECT_EQ(svc_->Get(office_, d.row.project.id, 0)->row.project.name, "甲");
}

TEST_P(ProjectServiceTest, BackwardSchedulingFillsMilestonesOrRefusesATooShortDeadline) {
  ProjectDetail d = Create(Input("WD-001", town_));
  auto s = svc_->Schedule(office_, d.row.project.id, d.row.project.version);
  ASSERT_TRUE(s.ok()) << s.status().message();
  ASSERT_FALSE(s->milestones.empty());
  EXPECT_EQ(FormatIsoDate(*s->milestones.back().planned), "2027-12-31");
  ProjectInput soon = Input("WD-002", town_);
  soon.project.committed_completion = CivilDate{2026, 9, 30};
  soon.project.end_year = 2026;
  soon.project.start_year = 2026;
  ProjectDetail d2 = Create(soon);
  auto tight = svc_->Schedule(office_, d2.row.project.id, d2.row.project.version);
  EXPECT_EQ(tight.status().code(), Code::kFailedPrecondition);
  EXPECT_TRUE(svc_->Get(office_, d2.row.project.id, 0)->milestones.empty());
}

TEST_P(ProjectServiceTest, AnOverdueProblemEscalatesOneLevelUpOnce) {
  ProjectDetail d = Create(Input("WD-001", town_));
  auto p = svc_->RaiseProblem(town_reporter_, d.row.project.id, "land", "冷库用地指标未落实", "", "2026-07-20");
  ASSERT_TRUE(p.ok()) << p.status().message();
  EXPECT_EQ(p->problem.owner_unit_id, town_.id);
  EXPECT_EQ(*svc_->EscalateOverdue(CivilDate{2026, 7, 20}), 0);  // due today: not yet overdue
  EXPECT_EQ(*svc_->EscalateOverdue(CivilDate{2026, 7, 21}), 1);
  EXPECT_EQ(*svc_->EscalateOverdue(CivilDate{2026, 7, 22}), 0);  // once
  auto list = svc_->ListProblems(office_, {}, "411302", false);
  ASSERT_EQ(list->items.size(), 1u);
  EXPECT_EQ(list->items[0].problem.escalated_to, wancheng_.id);
  auto resolved = svc_->ResolveProblem(town_reporter_, p->problem.id, "已调剂用地指标", list->items[0].problem.version);
  ASSERT_TRUE(resolved.ok()) << resolved.status().message();
  EXPECT_EQ(resolved->problem.state, "resolved");
}

TEST_P(ProjectServiceTest, BatchRatesAreLiveUntilTheBatchClosesAndFrozenAfter) {
  ProjectDetail a = Create(Input("WD-001", town_));
  ProjectDetail b = Create(Input("WD-002", town_));
  auto batch = svc_->CreateBatch(office_, 9, "第九期“三个一批”", "2026-09-30");
  ASSERT_TRUE(batch.ok()) << batch.status().message();
  auto lists = svc_->SetBatchLists(office_, batch->batch.id,
                                   {{a.row.project.id, "start"}, {b.row.project.id, "start"}}, batch->batch.version);
  ASSERT_TRUE(lists.ok()) << lists.status().message();
  EXPECT_EQ(lists->rates.start_rate->ToString(), "0");
  ASSERT_TRUE(svc_->ChangeStage(office_, a.row.project.id, "started", "2026-07-01", a.row.project.version).ok());
  auto live = svc_->GetBatch(office_, batch->batch.id);
  EXPECT_EQ(live->rates.start_rate->ToString(), "50");
  auto closed = svc_->CloseBatch(office_, batch->batch.id, live->batch.version);
  ASSERT_TRUE(closed.ok()) << closed.status().message();
  auto bd = svc_->Get(office_, b.row.project.id, 0);
  ASSERT_TRUE(svc_->ChangeStage(office_, b.row.project.id, "started", "2026-07-10", bd->row.project.version).ok());
  auto frozen = svc_->GetBatch(office_, batch->batch.id);
  EXPECT_TRUE(frozen->frozen);
  EXPECT_EQ(frozen->rates.start_rate->ToString(), "50");
}

TEST_P(ProjectServiceTest, TheBattleMapGroupsProjectsByUnitWithTheirMilestones) {
  ProjectDetail a = Create(Input("WD-001", town_));
  Create(Input("WL-001", wolong_));
  ASSERT_TRUE(svc_->Schedule(office_, a.row.project.id, a.row.project.version).ok());
  auto map = svc_->BattleMap(office_, "", 0);
  ASSERT_TRUE(map.ok()) << map.status().message();
  ASSERT_EQ(map->size(), 2u);
  size_t with_milestones = 0;
  for (const auto& g : *map)
    for (const auto& ms : g.milestones) with_milestones += !ms.empty();
  EXPECT_EQ(with_milestones, 1u);
  auto wancheng = svc_->BattleMap(office_, "411302", 0);
  ASSERT_EQ(wancheng->size(), 1u);
  EXPECT_EQ((*wancheng)[0].unit.id, town_.id);
}

TEST_P(ProjectServiceTest, EveryChangeIsAudited) {
  ProjectDetail d = Create(Input("WD-001", town_));
  ASSERT_TRUE(svc_->ReportProgress(town_reporter_, d.row.project.id, "2026-06", "2", "", std::nullopt).ok());
  auto audit = auth::QueryAudit(*db_, {});
  std::set<std::string> events;
  for (const auto& e : audit->items) events.insert(e.event);
  EXPECT_TRUE(events.count("project.create"));
  EXPECT_TRUE(events.count("project.progress"));
}

INSTANTIATE_TEST_SUITE_P(Databases, ProjectServiceTest, ::testing::ValuesIn(testing::DatabaseKinds()));

}  // namespace
}  // namespace tiaodu::projects
