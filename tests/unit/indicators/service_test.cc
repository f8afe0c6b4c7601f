#include "indicators/service.h"

#include <gtest/gtest.h>

#include <string>

#include "../testing/databases.h"
#include "auth/audit.h"
#include "auth/crypto.h"
#include "io/csv.h"
#include "org/service.h"

namespace tiaodu::indicators {
namespace {

// Specification of the indicator use cases, on both databases.
//
// The tree: 南阳市 411300 ─ 宛城区 411302 ─ 瓦店镇 (town)
//                        └ 卧龙区 411303
//                        └ 统计局 (department of the city)
// A small catalog: budget_revenue, tax_revenue (monthly, ytd, nominal), tax_share (derived),
// gdp (quarterly, comparable), pm25 (monthly, direction down, not additive).
class IndicatorServiceTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    ASSERT_TRUE(auth::InitCrypto());
    auto opened = db::Database::Open(testing::FreshDatabaseUrl(GetParam()));
    ASSERT_TRUE(opened.ok()) << opened.status().message();
    db_ = std::move(*opened);
    ASSERT_TRUE(db::Migrate(*db_, clock_.NowMillis()).ok());
    org_ = std::make_unique<org::OrgService>(*db_, clock_);
    svc_ = std::make_unique<IndicatorService>(*db_, clock_);
    system_.system = true;
    system_.username = "system";
    city_ = Unit({"411300", "南阳市", "city", 0});
    wancheng_ = Unit({"411302", "宛城区", "district", city_.id});
    town_ = Unit({"", "瓦店镇", "town", wancheng_.id});
    wolong_ = Unit({"411303", "卧龙区", "district", city_.id});
    bureau_ = Unit({"", "统计局", "department", city_.id});
    std::vector<Indicator> catalog = {
        Ind("budget_revenue", "一般公共预算收入", "亿元", "month", "ytd", "nominal", "up"),
        Ind("tax_revenue", "税收收入", "亿元", "month", "ytd", "nominal", "up"),
        Ind("gdp", "地区生产总值", "亿元", "quarter", "ytd", "comparable", "up"),
        Ind("pm25", "PM2.5平均浓度", "微克/立方米", "month", "ytd", "none", "down"),
    };
    catalog[3].additive = false;
    Indicator share = Ind("tax_share", "税收占比", "%", "month", "ytd", "none", "up");
    share.formula = "tax_revenue/budget_revenue*100";
    share.additive = false;
    catalog.push_back(share);
    ASSERT_TRUE(svc_->EnsureCatalog(system_, catalog).ok());
    // The city statistician works in the city's statistics bureau: scope = the whole city.
    city_stat_ = Actor("stat", "statistician", bureau_, city_.path);
    district_stat_ = Actor("stat_wancheng", "statistician", wancheng_, wancheng_.path);
    town_reporter_ = Actor("reporter_town", "reporter", town_, town_.path);
  }

  org::Unit Unit(const org::NewUnit& n) {
    auto u = org_->Create(system_, n);
    EXPECT_TRUE(u.ok()) << u.status().message();
    return u.ok() ? *u : org::Unit{};
  }
  static Indicator Ind(std::string code, std::string name, std::string unit, std::string period,
                       std::string acc, std::string basis, std::string dir) {
    Indicator i;
    i.code = code;
    i.name = name;
    i.unit = unit;
    i.periodicity = period;
    i.accumulation = acc;
    i.growth_basis = basis;
    i.direction = dir;
    return i;
  }
  static auth::Actor Actor(std::string name, std::string role, const org::Unit& unit,
                           std::string scope) {
    auth::Actor a;
    a.user_id = static_cast<int64_t>(std::hash<std::string>()(name) % 100000) + 1;
    a.username = name;
    a.role = role;
    a.unit_id = unit.id;
    a.unit_path = scope;
    return a;
  }
  static ValueEdit Edit(std::string code, std::optional<std::string> value,
                        std::optional<int> version = std::nullopt, std::string note = "") {
    ValueEdit e;
    e.indicator = code;
    e.value_present = true;
    e.value = value;
    e.version = version;
    if (!note.empty()) e.note = note;
    return e;
  }
  const SheetRow& Row(const Sheet& s, const std::string& code) {
    for (const SheetRow& r : s.rows)
      if (r.indicator.code == code) return r;
    ADD_FAILURE() << "no row " << code;
    return s.rows.front();
  }
  // Enters, submits and approves values of one unit at one period.
  void Approved(const org::Unit& unit, const std::string& period,
                std::vector<std::pair<std::string, std::string>> values) {
    std::vector<ValueEdit> edits;
    for (auto& [code, v] : values) edits.push_back(Edit(code, v));
    auto saved = svc_->SaveSheet(city_stat_, unit.code, period, edits);
    ASSERT_TRUE(saved.ok()) << saved.status().message();
    auto sub = svc_->Submit(city_stat_, unit.code, period);
    ASSERT_TRUE(sub.ok()) << sub.status().message() << (sub.status().details().empty() ? "" : sub.status().details()[0].reason);
    auto ok = svc_->Approve(city_stat_, unit.code, period);
    ASSERT_TRUE(ok.ok()) << ok.status().message();
  }
  const BoardCell* Cell(const Board& b, int64_t unit, const std::string& code) {
    for (const auto& i : b.indicators)
      if (i.code == code)
        for (const BoardCell& c : b.cells)
          if (c.figure.unit_id == unit && c.figure.indicator_id == i.id) return &c;
    return nullptr;
  }

  FakeClock clock_{1'700'000'000'000};
  std::unique_ptr<db::Database> db_;
  std::unique_ptr<org::OrgService> org_;
  std::unique_ptr<IndicatorService> svc_;
  auth::Actor system_, city_stat_, district_stat_, town_reporter_;
  org::Unit city_, wancheng_, town_, wolong_, bureau_;
};

TEST_P(IndicatorServiceTest, ASavedDraftShowsItsValidationErrorAndCannotBeSubmitted) {
  auto s = svc_->SaveSheet(district_stat_, "411302", "2025-03",
                           {Edit("budget_revenue", "10"), Edit("tax_revenue", "12.5")});
  ASSERT_TRUE(s.ok()) << s.status().message();
  ASSERT_FALSE(s->findings.empty());
  EXPECT_EQ(s->findings[0].rule, "tax_le_budget");
  EXPECT_EQ(s->findings[0].severity, "error");
  auto sub = svc_->Submit(district_stat_, "411302", "2025-03");
  EXPECT_EQ(sub.status().code(), Code::kFailedPrecondition);
  EXPECT_EQ(Row(*s, "tax_revenue").value->status, kDraft);
}

TEST_P(IndicatorServiceTest, AFixedSheetIsSubmittedApprovedByTheLevelAboveAndShownOnTheBoard) {
  auto s = svc_->SaveSheet(district_stat_, "411302", "2025-03",
                           {Edit("budget_revenue", "10"), Edit("tax_revenue", "12.5")});
  ASSERT_TRUE(s.ok());
  int v = Row(*s, "tax_revenue").value->version;
  (void)v;
  s = svc_->SaveSheet(district_stat_, "411302", "2025-03",
                      {Edit("tax_revenue", "7.5", Row(*s, "tax_revenue").value->version)});
  ASSERT_TRUE(s.ok()) << s.status().message();
  EXPECT_TRUE(s->findings.empty());
  EXPECT_EQ(Row(*s, "tax_share").derived_value->ToString(), "75");
  ASSERT_TRUE(svc_->Submit(district_stat_, "411302", "2025-03").ok());
  // The district may not approve its own figures; the city statistician may.
  EXPECT_EQ(svc_->Approve(district_stat_, "411302", "2025-03").status().code(), Code::kPermissionDenied);
  ASSERT_TRUE(svc_->Approve(city_stat_, "411302", "2025-03").ok());
  auto board = svc_->GetBoard(city_stat_, "411300", "2025-03", {});
  ASSERT_TRUE(board.ok()) << board.status().message();
  const BoardCell* c = Cell(*board, wancheng_.id, "tax_revenue");
  ASSERT_NE(c, nullptr);
  EXPECT_EQ(c->figure.value.ToString(), "7.5");
  EXPECT_EQ(c->figure.rank_value, 1);
  EXPECT_EQ(c->figure.status, kApproved);
  const BoardCell* share = Cell(*board, wancheng_.id, "tax_share");
  ASSERT_NE(share, nullptr);
  EXPECT_EQ(share->figure.value.ToString(), "75");
}

TEST_P(IndicatorServiceTest, AReporterCannotEnterOrSubmitForAnotherUnit) {
  auto s = svc_->SaveSheet(town_reporter_, "411303", "2025-03", {Edit("budget_revenue", "1")});
  EXPECT_EQ(s.status().code(), Code::kNotFound);
  EXPECT_EQ(svc_->Submit(town_reporter_, "411302", "2025-03").status().code(), Code::kNotFound);
  EXPECT_TRUE(svc_->SaveSheet(town_reporter_, town_.code, "2025-03", {Edit("budget_revenue", "1")}).ok());
}

TEST_P(IndicatorServiceTest, ASubmittedValueIsEditableOnlyAfterWithdrawal) {
  auto s = svc_->SaveSheet(district_stat_, "411302", "2025-03", {Edit("budget_revenue", "10")});
  ASSERT_TRUE(svc_->Submit(district_stat_, "411302", "2025-03").ok());
  s = svc_->GetSheet(district_stat_, "411302", "2025-03");
  int version = Row(*s, "budget_revenue").value->version;
  auto edit = svc_->SaveSheet(district_stat_, "411302", "2025-03", {Edit("budget_revenue", "11", version)});
  EXPECT_EQ(edit.status().code(), Code::kFailedPrecondition);
  ASSERT_TRUE(svc_->Withdraw(district_stat_, "411302", "2025-03").ok());
  s = svc_->GetSheet(district_stat_, "411302", "2025-03");
  version = Row(*s, "budget_revenue").value->version;
  EXPECT_TRUE(svc_->SaveSheet(district_stat_, "411302", "2025-03", {Edit("budget_revenue", "11", version)}).ok());
}

TEST_P(IndicatorServiceTest, AnApprovedValueChangesOnlyByARevisionWithAReason) {
  Approved(wancheng_, "2025-03", {{"budget_revenue", "10"}});
  auto s = svc_->GetSheet(city_stat_, "411302", "2025-03");
  const Value v = *Row(*s, "budget_revenue").value;
  EXPECT_EQ(svc_->SaveSheet(city_stat_, "411302", "2025-03", {Edit("budget_revenue", "12", v.version)})
                .status().code(),
            Code::kFailedPrecondition);
  EXPECT_EQ(svc_->Revise(city_stat_, v.id, "12", std::nullopt, false, "", v.version).status().code(),
            Code::kInvalidArgument);
  auto r = svc_->Revise(city_stat_, v.id, "12", std::nullopt, false, "统计局反馈口径调整", v.version);
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ(r->value.revision, 1);
  EXPECT_EQ(r->value.status, kApproved);
  auto revisions = svc_->Revisions(city_stat_, v.id);
  ASSERT_EQ(revisions->size(), 1u);
  EXPECT_EQ((*revisions)[0].old_value.ToString(), "10");
  EXPECT_EQ((*revisions)[0].reason, "统计局反馈口径调整");
  auto board = svc_->GetBoard(city_stat_, "411300", "2025-03", {"budget_revenue"});
  EXPECT_EQ(Cell(*board, wancheng_.id, "budget_revenue")->figure.value.ToString(), "12");
}

TEST_P(IndicatorServiceTest, TwoEditsOfOneValueWithTheSameVersionLeaveOneAndRefuseTheOther) {
  auto s = svc_->SaveSheet(district_stat_, "411302", "2025-03", {Edit("budget_revenue", "10")});
  int version = Row(*s, "budget_revenue").value->version;
  EXPECT_TRUE(svc_->SaveSheet(district_stat_, "411302", "2025-03", {Edit("budget_revenue", "11", version)}).ok());
  EXPECT_EQ(svc_->SaveSheet(city_stat_, "411302", "2025-03", {Edit("budget_revenue", "12", version)}).status().code(),
            Code::kConflict);
  s = svc_->GetSheet(district_stat_, "411302", "2025-03");
  EXPECT_EQ(Row(*s, "budget_revenue").value->value.ToString(), "11");
}

TEST_P(IndicatorServiceTest, JanuaryIsRefusedForYearToDateIndicatorsAndDerivedOnesAreNeverEntered) {
  auto jan = svc_->SaveSheet(district_stat_, "411302", "2025-01", {Edit("budget_revenue", "1")});
  EXPECT_EQ(jan.status().code(), Code::kInvalidArgument);
  auto derived = svc_->SaveSheet(district_stat_, "411302", "2025-03", {Edit("tax_share", "50")});
  EXPECT_EQ(derived.status().code(), Code::kInvalidArgument);
}

TEST_P(IndicatorServiceTest, MonthlyValuesAreDerivedFromYearToDateAndGrowthFromLastYear) {
  Approved(wancheng_, "2024-03", {{"budget_revenue", "8"}});
  Approved(wancheng_, "2025-02", {{"budget_revenue", "6"}});
  Approved(wancheng_, "2025-03", {{"budget_revenue", "10"}});
  auto board = svc_->GetBoard(city_stat_, "411300", "2025-03", {"budget_revenue"});
  const BoardCell* c = Cell(*board, wancheng_.id, "budget_revenue");
  ASSERT_NE(c, nullptr);
  EXPECT_EQ(c->figure.monthly->ToString(), "4");
  EXPECT_EQ(c->figure.yoy->ToString(), "25");
  EXPECT_EQ(c->figure.yoy_source, "computed");
  // Entering a month's own value stores the year-to-date sum.
  ValueEdit m;
  m.indicator = "budget_revenue";
  m.monthly = "3";
  auto s = svc_->SaveSheet(district_stat_, "411302", "2025-04", {m});
  ASSERT_TRUE(s.ok()) << s.status().message();
  EXPECT_EQ(Row(*s, "budget_revenue").value->value.ToString(), "13");
}

TEST_P(IndicatorServiceTest, LeagueTablesRankSiblingsWithTiesAndDirection) {
  Approved(wancheng_, "2025-03", {{"budget_revenue", "10"}, {"pm25", "40"}});
  Approved(wolong_, "2025-03", {{"budget_revenue", "10"}, {"pm25", "35"}});
  auto board = svc_->GetBoard(city_stat_, "411300", "2025-03", {});
  EXPECT_EQ(Cell(*board, wancheng_.id, "budget_revenue")->figure.rank_value, 1);
  EXPECT_EQ(Cell(*board, wolong_.id, "budget_revenue")->figure.rank_value, 1);
  EXPECT_EQ(Cell(*board, wolong_.id, "pm25")->figure.rank_value, 1);  // lower is better
  EXPECT_EQ(Cell(*board, wancheng_.id, "pm25")->figure.rank_value, 2);
}

TEST_P(IndicatorServiceTest, AnImportWithOneBadRowWritesNothingAndNamesTheRow) {
  auto table = io::ParseCsv(
      "单位编码,指标编码,期别,数值\n411302,budget_revenue,2025-03,10\n411302,tax_revenue,2025-03,abc\n");
  ASSERT_TRUE(table.ok());
  auto r = svc_->Import(district_stat_, *table, false);
  ASSERT_EQ(r.status().code(), Code::kInvalidArgument);
  ASSERT_EQ(r.status().details().size(), 1u);
  EXPECT_NE(r.status().details()[0].field.find("第3行"), std::string::npos) << r.status().details()[0].field;
  auto s = svc_->GetSheet(district_stat_, "411302", "2025-03");
  EXPECT_FALSE(Row(*s, "budget_revenue").value.has_value());
}

TEST_P(IndicatorServiceTest, ReimportingTheSameFileChangesNothing) {
  auto table = io::ParseCsv("单位编码,指标名称,期别,数值\n411302,一般公共预算收入,2025-03,10\n411302,税收收入,2025-03,7\n");
  ASSERT_TRUE(table.ok());
  auto first = svc_->Import(district_stat_, *table, false);
  ASSERT_TRUE(first.ok()) << first.status().message();
  EXPECT_EQ(first->inserted, 2);
  auto second = svc_->Import(district_stat_, *table, false);
  ASSERT_TRUE(second.ok());
  EXPECT_EQ(second->inserted, 0);
  EXPECT_EQ(second->unchanged, 2);
}

TEST_P(IndicatorServiceTest, ATargetGivesTimeProgressOnTheBoard) {
  IndicatorService::TargetEdit t;
  t.unit = "411302";
  t.indicator = "budget_revenue";
  t.year = 2025;
  t.value = "40";
  ASSERT_TRUE(svc_->PutTarget(city_stat_, t).ok());
  Approved(wancheng_, "2025-06", {{"budget_revenue", "22"}});  // 55% at half the year
  auto board = svc_->GetBoard(city_stat_, "411300", "2025-06", {"budget_revenue"});
  const BoardCell* c = Cell(*board, wancheng_.id, "budget_revenue");
  ASSERT_NE(c, nullptr);
  EXPECT_EQ(c->figure.progress->ToString(), "55");
  EXPECT_EQ(c->figure.elapsed->ToString(), "50");
  EXPECT_EQ(c->figure.progress_status, "ahead");
}

TEST_P(IndicatorServiceTest, PublishingMarksTheSubtreeAndEveryStepIsAudited) {
  Approved(wancheng_, "2025-03", {{"budget_revenue", "10"}});
  auto n = svc_->Publish(city_stat_, "411300", "2025-03");
  ASSERT_TRUE(n.ok()) << n.status().message();
  EXPECT_EQ(*n, 1);
  auto board = svc_->GetBoard(city_stat_, "411300", "2025-03", {"budget_revenue"});
  EXPECT_EQ(Cell(*board, wancheng_.id, "budget_revenue")->figure.status, kPublished);
  auto audit = auth::QueryAudit(*db_, {});
  ASSERT_TRUE(audit.ok());
  std::set<std::string> events;
  for (const auto& e : audit->items) events.insert(e.event);
  for (const char* e : {"indicator.value.save", "indicator.submit", "indicator.approve", "indicator.publish"})
    EXPECT_TRUE(events.count(e)) << e;
}

TEST_P(IndicatorServiceTest, RecomputingAPeriodReproducesTheFiguresWrittenAtApproval) {
  Approved(wancheng_, "2025-03", {{"budget_revenue", "10"}});
  Approved(wolong_, "2025-03", {{"budget_revenue", "12"}});
  auto before = svc_->GetBoard(city_stat_, "411300", "2025-03", {});
  ASSERT_TRUE(svc_->RecomputePeriod("2025-03").ok());
  ASSERT_TRUE(svc_->RecomputeLeagueTables("2025-03").ok());
  auto after = svc_->GetBoard(city_stat_, "411300", "2025-03", {});
  ASSERT_EQ(before->cells.size(), after->cells.size());
  EXPECT_EQ(Cell(*after, wolong_.id, "budget_revenue")->figure.rank_value, 1);
  EXPECT_EQ(Cell(*after, wancheng_.id, "budget_revenue")->figure.rank_value, 2);
}

INSTANTIATE_TEST_SUITE_P(Databases, IndicatorServiceTest,
                         ::testing::ValuesIn(testing::DatabaseKinds()));

}  // namespace
}  // namespace tiaodu::indicators
