#include "assessment/service.h"

#include <gtest/gtest.h>

#include <string>

#include "../testing/databases.h"
#include "auth/audit.h"
#include "auth/crypto.h"
#include "base/period.h"
#include "indicators/service.h"
#include "investment/service.h"
#include "org/service.h"
#include "projects/service.h"
#include "supervision/service.h"

namespace tiaodu::assessment {
namespace {

// Specification of the assessment use cases, on both databases. Today is 2024-07-15.
//
// The tree: 南阳市 411300 ─ 宛城区 411302   (W)
//                        ├ 卧龙区 411303   (L)
//                        ├ 唐河县 411328   (T)
//                        ├ 邓州市 411381   (D: no data at all)
//                        └ 市委督查室 (department: never ranked)
//
// The scheme "月度考评" (version 1, red 1, black 1) scores three items with June's data:
//   规上工业增加值增速 (indicator growth, weight 40, points 100/80/60):
//     W 8.0 → 1st 40;  L 6.0, T 6.0 → both 2nd 32
//   重点项目投资完成率 (project completion, weight 30, no table: 100% … 60%):
//     W 6/10 = 60% → 1st 30;  T 5/10 → 2nd 24;  L 3/10 → 3rd 18
//   招商引资合同额完成率 (investment target, weight 30, no table):
//     L 8/10 → 1st 30;  T 5/10 → 2nd 24;  W 2/10 → 3rd 18
//   totals: W 88 (1st, red);  L 80 and T 80 (both 2nd, both black: a tie shares the flag);
//   D unranked, no flag.
class AssessmentServiceTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    ASSERT_TRUE(auth::InitCrypto());
    auto opened = db::Database::Open(testing::FreshDatabaseUrl(GetParam()));
    ASSERT_TRUE(opened.ok()) << opened.status().message();
    db_ = std::move(*opened);
    ASSERT_TRUE(db::Migrate(*db_, clock_.NowMillis()).ok());
    org_ = std::make_unique<org::OrgService>(*db_, clock_);
    indicators_ = std::make_unique<indicators::IndicatorService>(*db_, clock_);
    projects_ = std::make_unique<projects::ProjectService>(*db_, clock_);
    investment_ = std::make_unique<investment::InvestmentService>(*db_, clock_, *projects_);
    supervision_ = std::make_unique<supervision::SupervisionService>(*db_, clock_);
    svc_ = std::make_unique<AssessmentService>(*db_, clock_, *projects_, *supervision_);
    system_.system = true;
    system_.username = "system";
    city_ = Unit({"411300", "南阳市", "city", 0});
    w_ = Unit({"411302", "宛城区", "district", city_.id});
    l_ = Unit({"411303", "卧龙区", "district", city_.id});
    t_ = Unit({"411328", "唐河县", "county", city_.id});
    d_ = Unit({"411381", "邓州市", "county", city_.id});
    dcs_ = Unit({"D411300-DCS", "南阳市委督查室", "department", city_.id});
    supervisor_ = Actor("supervisor", "supervisor", dcs_, city_.path);
    leader_ = Actor("leader", "leader", city_, city_.path);
    leader_wolong_ = Actor("leader_wolong", "leader", l_, l_.path);
    supervisor_wolong_ = Actor("supervisor_wolong", "supervisor", l_, l_.path);
    LoadData();
  }

  org::Unit Unit(const org::NewUnit& n) {
    auto u = org_->Create(system_, n);
    EXPECT_TRUE(u.ok()) << u.status().message();
    return u.ok() ? *u : org::Unit{};
  }
  static auth::Actor Actor(std::string name, std::string role, const org::Unit& unit, std::string scope) {
    auth::Actor a;
    a.user_id = 9;
    a.username = std::move(name);
    a.role = std::move(role);
    a.unit_id = unit.id;
    a.unit_path = std::move(scope);
    return a;
  }
  static Decimal D(const char* text) { return *Decimal::Parse(text); }

  // A key project of `unit` with a 2024 plan of `plan` and `done` invested in `month`.
  projects::Project Project(const std::string& code, const org::Unit& unit, const char* plan) {
    projects::Project p;
    p.code = code;
    p.name = "重点项目" + code;
    p.level = "city";
    p.category = "industry";
    p.unit_id = unit.id;
    p.total_investment = D("50");
    p.start_year = 2024;
    p.end_year = 2025;
    p.stage = "started";
    p.annual_plans[2024] = D(plan);
    return p;
  }
  static projects::Progress Progress(int64_t index, const char* month, const char* amount) {
    projects::Progress g;
    g.project_id = index;
    g.month = month;
    g.amount = *Decimal::Parse(amount);
    g.narrative = "主体施工";
    return g;
  }

  void LoadData() {
    // Approved June figures of an indicator whose growth is reported (comparable prices);
    // 唐河县's July value is only submitted, so it does not count.
    indicators::Indicator ind;
    ind.code = "industrial_va";
    ind.name = "规上工业增加值";
    ind.unit = "亿元";
    ind.periodicity = "month";
    ind.accumulation = "ytd";
    ind.growth_basis = "comparable";
    ind.direction = "up";
    ASSERT_TRUE(indicators_->EnsureCatalog(system_, {ind}).ok());
    auto listed = indicators_->ListIndicators(system_, "", true);
    ASSERT_TRUE(listed.ok()) << listed.status().message();
    int64_t ind_id = 0;
    for (const auto& i : *listed)
      if (i.code == "industrial_va") ind_id = i.id;
    ASSERT_NE(ind_id, 0);
    auto value = [&](const org::Unit& u, const char* period, const char* v, const char* yoy, const char* status) {
      indicators::Value x;
      x.unit_id = u.id;
      x.indicator_id = ind_id;
      x.period = period;
      x.value = D(v);
      x.reported_yoy = D(yoy);
      x.status = status;
      return x;
    };
    auto loaded = indicators_->LoadValues(
        system_, {value(w_, "2024-06", "100", "8.0", indicators::kApproved),
                  value(l_, "2024-06", "90", "6.0", indicators::kApproved),
                  value(t_, "2024-06", "80", "6.0", indicators::kApproved),
                  value(t_, "2024-07", "95", "9.9", indicators::kSubmitted)});
    ASSERT_TRUE(loaded.ok()) << loaded.message();

    // Key projects: plans of 10 each; invested by May: W 6, T 5, L 3.
    auto bulk = projects_->LoadBulk(
        system_, {Project("W2024-001", w_, "10"), Project("L2024-001", l_, "10"), Project("T2024-001", t_, "10")},
        {}, {Progress(0, "2024-03", "2"), Progress(0, "2024-05", "4"), Progress(1, "2024-04", "3"),
             Progress(2, "2024-02", "5")},
        {});
    ASSERT_TRUE(bulk.ok()) << bulk.message();

    // Investment: targets of 10 each; contracts signed by May: W 2, L 8, T 5.
    investment::BulkData inv;
    for (const auto* u : {&w_, &l_, &t_}) {
      investment::Company c;
      c.name = u->name + "招商企业有限公司";
      inv.companies.push_back(c);
      investment::Lead lead;
      lead.company_id = static_cast<int64_t>(inv.leads.size());
      lead.project_name = u->name + "新材料项目";
      lead.amount = D("10");
      lead.source = "business";
      lead.unit_id = u->id;
      lead.stage = "signed";
      inv.leads.push_back(lead);
      investment::Target t;
      t.unit_id = u->id;
      t.year = 2024;
      t.contract_amount = D("10");
      inv.targets.push_back(t);
    }
    auto contract = [](int64_t lead, CivilDate date, const char* amount) {
      investment::Contract c;
      c.lead_id = lead;
      c.date = date;
      c.amount = *Decimal::Parse(amount);
      c.kind = "formal";
      return c;
    };
    inv.contracts = {contract(0, CivilDate{2024, 3, 1}, "2"), contract(1, CivilDate{2024, 5, 20}, "8"),
                     contract(2, CivilDate{2024, 1, 10}, "5"),
                     contract(2, CivilDate{2023, 12, 30}, "100")};  // last year's: not counted
    auto inv_loaded = investment_->LoadBulk(system_, inv);
    ASSERT_TRUE(inv_loaded.ok()) << inv_loaded.message();
  }

  static SchemeItem Item(const char* kind, const char* name, const char* weight, const char* indicator = "",
                         std::vector<int> points = {}) {
    SchemeItem it;
    it.kind = kind;
    it.name = name;
    it.indicator = indicator;
    it.weight = *Decimal::Parse(weight);
    it.points = std::move(points);
    return it;
  }
  static std::vector<SchemeItem> Items(const char* w1 = "40", const char* w2 = "30", const char* w3 = "30") {
    return {Item(item_kind::kIndicatorGrowth, "规上工业增加值增速", w1, "industrial_va", {100, 80, 60}),
            Item(item_kind::kProjectCompletion, "重点项目投资完成率", w2),
            Item(item_kind::kInvestmentTarget, "招商引资合同额完成率", w3)};
  }
  Scheme NewScheme() {
    SchemeInput in;
    in.name = "月度考评";
    in.parent_code = "411300";
    in.items = Items();
    in.red_flags = 1;
    in.black_flags = 1;
    auto s = svc_->CreateScheme(supervisor_, in);
    EXPECT_TRUE(s.ok()) << s.status().message();
    return s.ok() ? *s : Scheme{};
  }
  League LeagueOf(const auth::Actor& actor, int64_t scheme, const std::string& period) {
    auto l = svc_->GetLeague(actor, scheme, period);
    EXPECT_TRUE(l.ok()) << l.status().message();
    return l.ok() ? *l : League{};
  }
  static const LeagueRow& Row(const League& l, const std::string& code) {
    for (const LeagueRow& r : l.rows)
      if (r.unit_code == code) return r;
    static LeagueRow none;
    ADD_FAILURE() << "no row for " << code;
    return none;
  }
  int64_t Count(const std::string& table) {
    int64_t n = -1;
    EXPECT_TRUE(db_->Read([&](db::Tx& tx) -> Status {
                     tx.sql() << "SELECT COUNT(*) FROM " + table, soci::into(n);
                     return Status::Ok();
                   }).ok());
    return n;
  }
  int64_t AuditCount() {
    auto page = auth::QueryAudit(*db_, {});
    return page.ok() ? page->total : -1;
  }
  // Rows of every assessment table and audit records, to show that a refused change wrote nothing.
  std::vector<int64_t> Footprint() {
    return {Count("assessment_schemes"), Count("assessment_scheme_versions"), Count("assessment_items"),
            Count("assessment_published"), Count("assessment_results"), AuditCount()};
  }

  FakeClock clock_{(DaysFromCivil(CivilDate{2024, 7, 15}) * 24 + 4) * 3'600'000LL};
  std::unique_ptr<db::Database> db_;
  std::unique_ptr<org::OrgService> org_;
  std::unique_ptr<indicators::IndicatorService> indicators_;
  std::unique_ptr<projects::ProjectService> projects_;
  std::unique_ptr<investment::InvestmentService> investment_;
  std::unique_ptr<supervision::SupervisionService> supervision_;
  std::unique_ptr<AssessmentService> svc_;
  auth::Actor system_, supervisor_, leader_, leader_wolong_, supervisor_wolong_;
  org::Unit city_, w_, l_, t_, d_, dcs_;
};

TEST_P(AssessmentServiceTest, EachItemRanksTheUnitsByItsOwnDataAndPointsFollowTheRank) {
  Scheme s = NewScheme();
  League l = LeagueOf(supervisor_, s.id, "2024-06");
  EXPECT_EQ(l.scheme_version, 1);
  EXPECT_FALSE(l.published);
  ASSERT_EQ(l.rows.size(), 4u);  // the department is not ranked
  const LeagueRow& w = Row(l, "411302");
  const LeagueRow& lw = Row(l, "411303");
  const LeagueRow& t = Row(l, "411328");
  // Indicator growth: W 8.0 first, L and T tie at 6.0 (both second, 80% of 40).
  EXPECT_EQ(w.items[0].measure->ToString(), "8");
  EXPECT_EQ(w.items[0].rank, 1);
  EXPECT_EQ(w.items[0].points.ToString(), "40");
  EXPECT_EQ(lw.items[0].rank, 2);
  EXPECT_EQ(t.items[0].rank, 2);
  EXPECT_EQ(t.items[0].points.ToString(), "32");
  // Project completion: invested Jan..June over the year's plan.
  EXPECT_EQ(w.items[1].measure->ToString(), "60");
  EXPECT_EQ(w.items[1].points.ToString(), "30");
  EXPECT_EQ(t.items[1].points.ToString(), "24");
  EXPECT_EQ(lw.items[1].rank, 3);
  EXPECT_EQ(lw.items[1].points.ToString(), "18");
  EXPECT_EQ(w.items[1].basis, "完成 6.00 / 计划 10.00 亿元");
  // Investment target: this year's contracts over the target (last year's contract ignored).
  EXPECT_EQ(lw.items[2].measure->ToString(), "80");
  EXPECT_EQ(lw.items[2].points.ToString(), "30");
  EXPECT_EQ(t.items[2].measure->ToString(), "50");
  EXPECT_EQ(w.items[2].points.ToString(), "18");
  // Totals are the sums of the points.
  EXPECT_EQ(w.total.ToString(), "88");
  EXPECT_EQ(lw.total.ToString(), "80");
  EXPECT_EQ(t.total.ToString(), "80");
}

TEST_P(AssessmentServiceTest, TiedTotalsShareARankAndTheFlagAtTheBorder) {
  Scheme s = NewScheme();
  League l = LeagueOf(supervisor_, s.id, "2024-06");
  ASSERT_EQ(l.rows.size(), 4u);
  EXPECT_EQ(l.rows[0].unit_code, "411302");
  EXPECT_EQ(l.rows[0].rank, 1);
  EXPECT_EQ(l.rows[0].flag, Flag::kRed);
  // One black flag, but L and T tie at the bottom of the ranked units: both get it.
  EXPECT_EQ(Row(l, "411303").rank, 2);
  EXPECT_EQ(Row(l, "411328").rank, 2);
  EXPECT_EQ(Row(l, "411303").flag, Flag::kBlack);
  EXPECT_EQ(Row(l, "411328").flag, Flag::kBlack);
}

TEST_P(AssessmentServiceTest, AUnitWithoutAnyDataIsListedLastUnrankedAndWithoutAFlag) {
  Scheme s = NewScheme();
  League l = LeagueOf(supervisor_, s.id, "2024-06");
  ASSERT_EQ(l.rows.size(), 4u);
  const LeagueRow& d = l.rows.back();
  EXPECT_EQ(d.unit_code, "411381");
  EXPECT_EQ(d.rank, 0);
  EXPECT_EQ(d.flag, Flag::kNone);
  EXPECT_EQ(d.total.ToString(), "0");
  for (const ItemScore& it : d.items) {
    EXPECT_FALSE(it.measure.has_value());
    EXPECT_EQ(it.rank, 0);
  }
}

TEST_P(AssessmentServiceTest, OnlyApprovedIndicatorFiguresAreScored) {
  Scheme s = NewScheme();
  // July: 唐河县's July figure is only submitted; nobody has an approved July growth.
  League l = LeagueOf(supervisor_, s.id, "2024-07");
  for (const LeagueRow& r : l.rows) EXPECT_FALSE(r.items[0].measure.has_value()) << r.unit_code;
}

TEST_P(AssessmentServiceTest, EachRowCarriesThePreviousMonthsRank) {
  Scheme s = NewScheme();
  // May has no indicator figures: W 30+18, L 18+30, T 24+24 — all 48, all first.
  League may = LeagueOf(supervisor_, s.id, "2024-05");
  EXPECT_EQ(Row(may, "411302").rank, 1);
  EXPECT_EQ(Row(may, "411328").total.ToString(), "48");
  League june = LeagueOf(supervisor_, s.id, "2024-06");
  EXPECT_EQ(Row(june, "411302").previous_rank, 1);
  EXPECT_EQ(Row(june, "411303").previous_rank, 1);
  EXPECT_EQ(Row(june, "411381").previous_rank, 0);
}

TEST_P(AssessmentServiceTest, ANewVersionScoresTheCurrentMonthWhileAPastMonthKeepsTheOldOne) {
  Scheme s = NewScheme();
  League june_before = LeagueOf(supervisor_, s.id, "2024-06");
  SchemeInput edit;
  edit.items = Items("20", "50", "30");
  edit.note = "加大项目建设权重";
  auto updated = svc_->UpdateScheme(supervisor_, s.id, edit, s.version);
  ASSERT_TRUE(updated.ok()) << updated.status().message();
  ASSERT_EQ(updated->versions.size(), 2u);
  EXPECT_EQ(updated->versions[1].effective_from, "2024-07");  // default: the current month
  EXPECT_EQ(updated->versions[0].items[0].weight.ToString(), "40");  // the old version unchanged

  League july = LeagueOf(supervisor_, s.id, "2024-07");
  EXPECT_EQ(july.scheme_version, 2);
  EXPECT_EQ(july.items[1].weight.ToString(), "50");
  EXPECT_EQ(Row(july, "411302").items[1].points.ToString(), "50");  // first in completion: all 50

  League june = LeagueOf(supervisor_, s.id, "2024-06");
  EXPECT_EQ(june.scheme_version, 1);
  EXPECT_EQ(june.items[1].weight.ToString(), "30");
  ASSERT_EQ(june.rows.size(), june_before.rows.size());
  for (size_t i = 0; i < june.rows.size(); ++i) {
    EXPECT_EQ(june.rows[i].unit_code, june_before.rows[i].unit_code);
    EXPECT_EQ(june.rows[i].total, june_before.rows[i].total);
    EXPECT_EQ(june.rows[i].rank, june_before.rows[i].rank);
  }
}

TEST_P(AssessmentServiceTest, APublishedMonthIsFrozenAgainstLaterDataChanges) {
  Scheme s = NewScheme();
  auto published = svc_->Publish(supervisor_, s.id, "2024-06");
  ASSERT_TRUE(published.ok()) << published.status().message();
  EXPECT_TRUE(published->published);
  EXPECT_EQ(Row(*published, "411302").items[1].basis, "完成 6.00 / 计划 10.00 亿元");
  // A late report: 卧龙区 invests 7 more in June, which would move it to first in completion.
  ASSERT_TRUE(projects_->LoadBulk(system_, {Project("L2024-002", l_, "1")}, {}, {Progress(0, "2024-06", "7")}, {}).ok());
  League after = LeagueOf(supervisor_, s.id, "2024-06");
  EXPECT_TRUE(after.published);
  EXPECT_EQ(Row(after, "411303").items[1].measure->ToString(), "30");
  EXPECT_EQ(Row(after, "411303").total.ToString(), "80");
  EXPECT_EQ(Row(after, "411302").flag, Flag::kRed);
  // The unpublished July sees the new data.
  League july = LeagueOf(supervisor_, s.id, "2024-07");
  EXPECT_EQ(Row(july, "411303").items[1].rank, 1);
}

TEST_P(AssessmentServiceTest, AMonthIsPublishedOnceAndNeverInTheFuture) {
  Scheme s = NewScheme();
  ASSERT_TRUE(svc_->Publish(supervisor_, s.id, "2024-06").ok());
  auto before = Footprint();
  EXPECT_EQ(svc_->Publish(supervisor_, s.id, "2024-06").status().code(), Code::kConflict);
  EXPECT_EQ(svc_->Publish(supervisor_, s.id, "2024-08").status().code(), Code::kInvalidArgument);
  EXPECT_EQ(svc_->Publish(supervisor_, s.id, "2024-13").status().code(), Code::kInvalidArgument);
  EXPECT_EQ(Footprint(), before);
  // The current month may be published.
  EXPECT_TRUE(svc_->Publish(supervisor_, s.id, "2024-07").ok());
}

TEST_P(AssessmentServiceTest, ANewVersionCannotTakeEffectInAPublishedMonth) {
  Scheme s = NewScheme();
  ASSERT_TRUE(svc_->Publish(supervisor_, s.id, "2024-06").ok());
  s = *svc_->GetScheme(supervisor_, s.id);
  auto before = Footprint();
  for (const char* month : {"2024-06", "2024-05"}) {
    SchemeInput edit;
    edit.items = Items("20", "50", "30");
    edit.effective_from = month;
    auto r = svc_->UpdateScheme(supervisor_, s.id, edit, s.version);
    ASSERT_EQ(r.status().code(), Code::kInvalidArgument) << month;
    ASSERT_FALSE(r.status().details().empty());
    EXPECT_EQ(r.status().details()[0].field, "effective_from");
  }
  EXPECT_EQ(Footprint(), before);
  SchemeInput edit;
  edit.items = Items("20", "50", "30");
  edit.effective_from = "2024-07";
  EXPECT_TRUE(svc_->UpdateScheme(supervisor_, s.id, edit, s.version).ok());
}

TEST_P(AssessmentServiceTest, TheFlagsBoardCountsPublishedMonthsOnly) {
  Scheme s = NewScheme();
  ASSERT_TRUE(svc_->Publish(supervisor_, s.id, "2024-05").ok());
  ASSERT_TRUE(svc_->Publish(supervisor_, s.id, "2024-06").ok());
  auto board = svc_->Flags(leader_, s.id, 2024, "");
  ASSERT_TRUE(board.ok()) << board.status().message();
  EXPECT_EQ(board->periods, (std::vector<std::string>{"2024-05", "2024-06"}));
  ASSERT_EQ(board->rows.size(), 4u);
  for (const auto& row : board->rows) {
    if (row.unit.code == "411302") {
      // May: all tied first → all red; June: first → red.
      EXPECT_EQ(row.red, 2);
      EXPECT_EQ(row.black, 0);
    } else if (row.unit.code == "411303") {
      EXPECT_EQ(row.red, 1);
      EXPECT_EQ(row.black, 1);
      EXPECT_EQ(row.cells[1].flag, Flag::kBlack);
      EXPECT_EQ(row.cells[1].rank, 2);
    } else if (row.unit.code == "411381") {
      EXPECT_EQ(row.red + row.black, 0);
    }
  }
  auto one = svc_->Flags(leader_, s.id, 2024, "411328");
  ASSERT_EQ(one->rows.size(), 1u);
  EXPECT_EQ(one->rows[0].unit.code, "411328");
  EXPECT_TRUE(svc_->Flags(leader_, s.id, 2023, "")->periods.empty());
}

TEST_P(AssessmentServiceTest, ACountyLeaderSeesOnlyItsOwnRowWithItsRankAmongAll) {
  Scheme s = NewScheme();
  // The scheme's rules are visible to the units it judges.
  auto mine = svc_->DefaultScheme(leader_wolong_);
  ASSERT_TRUE(mine.ok()) << mine.status().message();
  EXPECT_EQ(mine->id, s.id);
  League l = LeagueOf(leader_wolong_, 0, "2024-06");
  ASSERT_EQ(l.rows.size(), 1u);
  EXPECT_EQ(l.rows[0].unit_code, "411303");
  EXPECT_EQ(l.rows[0].rank, 2);
  EXPECT_EQ(l.rows[0].flag, Flag::kBlack);
  EXPECT_EQ(LeagueOf(leader_, 0, "2024-06").rows.size(), 4u);
  ASSERT_TRUE(svc_->Publish(supervisor_, s.id, "2024-06").ok());
  auto board = svc_->Flags(leader_wolong_, s.id, 2024, "");
  ASSERT_EQ(board->rows.size(), 1u);
  EXPECT_EQ(board->rows[0].unit.code, "411303");
  // Asking for another county's row gives nothing.
  EXPECT_TRUE(svc_->Flags(leader_wolong_, s.id, 2024, "411302")->rows.empty());
}

TEST_P(AssessmentServiceTest, OnlyTheCitysAssessmentOfficeChangesOrPublishesTheScheme) {
  Scheme s = NewScheme();
  auto before = Footprint();
  SchemeInput edit;
  edit.name = "改名";
  EXPECT_EQ(svc_->UpdateScheme(leader_, s.id, edit, s.version).status().code(), Code::kPermissionDenied);
  EXPECT_EQ(svc_->Publish(leader_, s.id, "2024-06").status().code(), Code::kPermissionDenied);
  // A county's supervisor has assessment.manage, but not over the city's scheme.
  EXPECT_EQ(svc_->UpdateScheme(supervisor_wolong_, s.id, edit, s.version).status().code(),
            Code::kPermissionDenied);
  EXPECT_EQ(svc_->Publish(supervisor_wolong_, s.id, "2024-06").status().code(), Code::kPermissionDenied);
  SchemeInput county_scheme;
  county_scheme.name = "南阳市考评（卧龙区自建）";
  county_scheme.parent_code = "411300";
  county_scheme.items = Items();
  EXPECT_EQ(svc_->CreateScheme(supervisor_wolong_, county_scheme).status().code(), Code::kInvalidArgument);
  EXPECT_EQ(Footprint(), before);
  // An actor without assessment.read reads nothing.
  auth::Actor reporter = Actor("reporter", "reporter", w_, w_.path);
  EXPECT_EQ(svc_->GetLeague(reporter, s.id, "2024-06").status().code(), Code::kPermissionDenied);
}

TEST_P(AssessmentServiceTest, AnEditOnAStaleVersionIsRefusedAndWritesNothing) {
  Scheme s = NewScheme();
  SchemeInput rename;
  rename.name = "县区经济月度考评";
  auto first = svc_->UpdateScheme(supervisor_, s.id, rename, s.version);
  ASSERT_TRUE(first.ok()) << first.status().message();
  EXPECT_EQ(first->version, s.version + 1);
  EXPECT_EQ(first->versions.size(), 1u);  // a rename adds no version
  auto before = Footprint();
  SchemeInput edit;
  edit.items = Items("20", "50", "30");
  EXPECT_EQ(svc_->UpdateScheme(supervisor_, s.id, edit, s.version).status().code(), Code::kConflict);
  EXPECT_EQ(Footprint(), before);
  EXPECT_EQ(svc_->GetScheme(supervisor_, s.id)->versions.size(), 1u);
}

TEST_P(AssessmentServiceTest, ABadSchemeIsRefusedNamingTheItemAndWritesNothing) {
  Scheme s = NewScheme();
  auto before = Footprint();
  SchemeInput in;
  in.name = "错误方案";
  in.parent_code = "411300";
  in.items = Items("40", "30", "20");  // 90
  auto r = svc_->CreateScheme(supervisor_, in);
  ASSERT_EQ(r.status().code(), Code::kInvalidArgument);
  EXPECT_EQ(r.status().details()[0].field, "items");
  EXPECT_NE(r.status().details()[0].reason.find("90"), std::string::npos);

  in.items = Items();
  (*in.items)[0].indicator = "no_such_indicator";
  r = svc_->CreateScheme(supervisor_, in);
  ASSERT_EQ(r.status().code(), Code::kInvalidArgument);
  EXPECT_EQ(r.status().details()[0].field, "items[0].indicator");

  in.items = Items();
  (*in.items)[2].points = {80, 90};
  (*in.items)[1].kind = "gdp_share";
  r = svc_->CreateScheme(supervisor_, in);
  ASSERT_EQ(r.status().code(), Code::kInvalidArgument);
  std::vector<std::string> fields;
  for (const Detail& d : r.status().details()) fields.push_back(d.field);
  EXPECT_EQ(fields, (std::vector<std::string>{"items[1].kind", "items[2].points"}));

  in.items = Items();
  in.red_flags = 51;
  EXPECT_EQ(svc_->CreateScheme(supervisor_, in).status().code(), Code::kInvalidArgument);
  EXPECT_EQ(Footprint(), before);

  // The same on an edit: no version is added.
  SchemeInput edit;
  edit.items = Items();
  (*edit.items)[0].indicator = "no_such_indicator";
  EXPECT_EQ(svc_->UpdateScheme(supervisor_, s.id, edit, s.version).status().code(), Code::kInvalidArgument);
  edit.items = Items("50", "30", "30");
  EXPECT_EQ(svc_->UpdateScheme(supervisor_, s.id, edit, s.version).status().code(), Code::kInvalidArgument);
  EXPECT_EQ(Footprint(), before);
}

TEST_P(AssessmentServiceTest, CreatingAndEditingASchemeIsAuditedOncePerChange) {
  const int64_t before = AuditCount();
  Scheme s = NewScheme();
  EXPECT_EQ(AuditCount(), before + 1);
  SchemeInput edit;
  edit.items = Items("20", "50", "30");
  ASSERT_TRUE(svc_->UpdateScheme(supervisor_, s.id, edit, s.version).ok());
  EXPECT_EQ(AuditCount(), before + 2);
  ASSERT_TRUE(svc_->Publish(supervisor_, s.id, "2024-06").ok());
  EXPECT_EQ(AuditCount(), before + 3);
}

INSTANTIATE_TEST_SUITE_P(Databases, AssessmentServiceTest, ::testing::ValuesIn(testing::DatabaseKinds()));

}  // namespace
}  // namespace tiaodu::assessment
