#include "factcheck/service.h"

#include <gtest/gtest.h>

#include <string>

#include "../testing/databases.h"
#include "app/demo_indicators.h"
#include "auth/crypto.h"
#include "base/clock.h"
#include "indicators/service.h"
#include "indicators/store.h"
#include "org/service.h"

namespace tiaodu::factcheck {
namespace {

// Specification of FactcheckService on both databases: the catalog comes from the database, the
// ledger is the approved or published values of the region and period the text states (or the
// caller gives), and only callers who may read that region's indicators see it compared.
//
// The tree: 南阳市 ─ 卧龙区 ─ 七里园乡 (town)
//                  └ 统计局 (department of the city)
// 卧龙区 at 2024-06: GDP 258.4亿元 (approved), retail sales 212.6亿元 +6.3% (published),
// tax revenue 9.9亿元 (submitted, not yet the ledger).
class FactcheckServiceTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    ASSERT_TRUE(auth::InitCrypto());
    auto opened = db::Database::Open(testing::FreshDatabaseUrl(GetParam()));
    ASSERT_TRUE(opened.ok()) << opened.status().message();
    db_ = std::move(*opened);
    ASSERT_TRUE(db::Migrate(*db_, clock_.NowMillis()).ok());
    system_.system = true;
    system_.username = "system";
    org::OrgService org(*db_, clock_);
    auto unit = [&](const org::NewUnit& n) {
      auto u = org.Create(system_, n);
      EXPECT_TRUE(u.ok()) << u.status().message();
      return u.ok() ? *u : org::Unit{};
    };
    city_ = unit({"411300", "南阳市", "city", 0});
    wolong_ = unit({"411303", "卧龙区", "district", city_.id});
    town_ = unit({"", "七里园乡", "town", wolong_.id});
    bureau_ = unit({"", "统计局", "department", city_.id});
    indicators::IndicatorService ind(*db_, clock_);
    ASSERT_TRUE(ind.EnsureCatalog(system_, app::SeedCatalog()).ok());
    Put("gdp", "258.4", std::nullopt, indicators::kApproved);
    Put("retail_sales", "212.6", "6.3", indicators::kPublished);
    Put("tax_revenue", "9.9", std::nullopt, indicators::kSubmitted);
    svc_ = std::make_unique<FactcheckService>(*db_);
  }

  void Put(const std::string& code, const std::string& value, std::optional<std::string> yoy,
           const char* status) {
    Status st = db_->Write([&](db::Tx& tx) {
      auto ind = indicators::store::FindIndicatorByCode(tx, code);
      if (!ind) return NotFound(code);
      indicators::Value v;
      v.unit_id = wolong_.id;
      v.indicator_id = ind->id;
      v.period = "2024-06";
      v.value = *Decimal::Parse(value);
      if (yoy) v.reported_yoy = *Decimal::Parse(*yoy);
      v.status = status;
      v.updated_at = clock_.NowMillis();
      indicators::store::InsertValues(tx, {v});
      return Status::Ok();
    });
    ASSERT_TRUE(st.ok()) << st.message();
  }

  auth::Actor Actor(const std::string& role, const org::Unit& scope) const {
    auth::Actor a;
    a.user_id = 7;
    a.username = role;
    a.role = role;
    a.unit_id = scope.id;
    a.unit_path = scope.path;
    return a;
  }

  static std::vector<Finding> Ledger(const Document& d) {
    std::vector<Finding> out;
    for (const Finding& f : d.findings)
      if (f.check == Check::kLedger) out.push_back(f);
    return out;
  }

  FakeClock clock_{1'719'763'200'000};  // 2024-06-30
  std::unique_ptr<db::Database> db_;
  std::unique_ptr<FactcheckService> svc_;
  auth::Actor system_;
  org::Unit city_, wolong_, town_, bureau_;
};

const char kWolong[] =
    "卧龙区人民政府关于上半年经济运行情况的通报\n"
    "2024年1-6月，全区地区生产总值完成258.4亿元；社会消费品零售总额完成215.0亿元，同比增长6.3%；"
    "税收收入完成9.9亿元。\n";

TEST_P(FactcheckServiceTest, ComparesHeadlineResultsWithTheApprovedAndPublishedLedger) {
  auto doc = svc_->Check(Actor("statistician", city_), kWolong, {});
  ASSERT_TRUE(doc.ok()) << doc.status().message();
  EXPECT_EQ(doc->region, "卧龙区");
  EXPECT_EQ(doc->period, "2024-06");
  auto ledger = Ledger(*doc);
  ASSERT_EQ(ledger.size(), 3u);  // the submitted tax revenue is not the ledger yet
  EXPECT_EQ(ledger[0].verdict, Verdict::kConsistent);
  EXPECT_EQ(ledger[0].stated.ToString(), "258.4");
  EXPECT_EQ(ledger[1].verdict, Verdict::kInconsistent);
  EXPECT_EQ(ledger[1].computed.ToString(), "212.6");
  EXPECT_EQ(ledger[2].verdict, Verdict::kConsistent);  // growth 6.3
  EXPECT_EQ(ledger[2].stated.ToString(), "6.3");
}

TEST_P(FactcheckServiceTest, GivenRegionAndPeriodReplaceWhatTheTextStates) {
  const char text[] = "全区地区生产总值完成258.4亿元。";
  auto doc = svc_->Check(Actor("leader", city_), text, {});
  ASSERT_TRUE(doc.ok());
  EXPECT_TRUE(Ledger(*doc).empty());
  doc = svc_->Check(Actor("leader", city_), text, {"卧龙区", "2024-06"});
  ASSERT_TRUE(doc.ok());
  ASSERT_EQ(Ledger(*doc).size(), 1u);
  EXPECT_EQ(Ledger(*doc)[0].verdict, Verdict::kConsistent);
  // Another period: no approved figure, so no finding.
  doc = svc_->Check(Actor("leader", city_), text, {"卧龙区", "2023"});
  ASSERT_TRUE(doc.ok());
  EXPECT_TRUE(Ledger(*doc).empty());
}

TEST_P(FactcheckServiceTest, NoLedgerForCallersWhoMayNotReadTheRegionsIndicators) {
  // project office: no indicator.read; a town reporter: 卧龙区 is above the scope.
  for (const auto& actor : {Actor("project_office", city_), Actor("reporter", town_)}) {
    SCOPED_TRACE(actor.role);
    auto doc = svc_->Check(actor, kWolong, {});
    ASSERT_TRUE(doc.ok()) << doc.status().message();
    EXPECT_TRUE(Ledger(*doc).empty());
    EXPECT_EQ(doc->facts.size(), 3u);
  }
  auto doc = svc_->Check(Actor("statistician", wolong_), kWolong, {});
  ASSERT_TRUE(doc.ok());
  EXPECT_EQ(Ledger(*doc).size(), 3u);
}

TEST_P(FactcheckServiceTest, TheCatalogOfTheDatabaseDrivesTheExtractor) {
  indicators::IndicatorService ind(*db_, clock_);
  indicators::Indicator tourism;
  tourism.code = "tourism_revenue";
  tourism.name = "旅游综合收入";
  tourism.aliases = {"旅游收入"};
  tourism.unit = "亿元";
  tourism.periodicity = "year";
  tourism.accumulation = "annual";
  tourism.growth_basis = "nominal";
  tourism.direction = "up";
  auto catalog = app::SeedCatalog();
  catalog.push_back(tourism);
  ASSERT_TRUE(ind.EnsureCatalog(system_, catalog).ok());
  auto doc =
      svc_->Check(Actor("leader", city_), "全年全区旅游收入完成12.3亿元，同比增长8.5%。", {});
  ASSERT_TRUE(doc.ok());
  ASSERT_EQ(doc->facts.size(), 1u);
  EXPECT_EQ(doc->facts[0].indicator, "tourism_revenue");
  EXPECT_EQ(doc->facts[0].growth_pct->ToString(), "8.5");
}

TEST_P(FactcheckServiceTest, RefusesCallersWithoutThePermissionAndTextsItCannotRead) {
  auto denied = svc_->Check(Actor("audit_admin", city_), kWolong, {});
  ASSERT_FALSE(denied.ok());
  EXPECT_EQ(denied.status().code(), Code::kPermissionDenied);
  const std::pair<std::string, const char*> bad[] = {
      {"", "请提供要核查的报告文本"},
      {" \n ", "请提供要核查的报告文本"},
      {"\xe5\x85\xff", "文本不是有效的 UTF-8 编码，请另存为 UTF-8 后重试"},
      {"{}", "文本中没有中文内容，请提供中文报告文本"},
      {std::string(kMaxTextBytes + 1, 'a'), "文本过长：最多 2 MB"},
  };
  for (const auto& [text, message] : bad) {
    auto r = svc_->Check(Actor("leader", city_), text, {});
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.status().code(), Code::kInvalidArgument);
    EXPECT_EQ(r.status().message(), message);
  }
  auto period = svc_->Check(Actor("leader", city_), kWolong, {"", "2024年"});
  ASSERT_FALSE(period.ok());
  EXPECT_EQ(period.status().details().at(0).field, "period");
}

TEST(FactcheckLedgerPeriodTest, YearsMeanTheirDecemberAndMonthsThemselves) {
  EXPECT_EQ(LedgerPeriod("2023"), "2023-12");
  EXPECT_EQ(LedgerPeriod("2024-06"), "2024-06");
  EXPECT_EQ(LedgerPeriod(""), "");
  EXPECT_EQ(LedgerPeriod("2024年"), "");
  EXPECT_EQ(LedgerPeriod("24-06"), "");
}

INSTANTIATE_TEST_SUITE_P(Databases, FactcheckServiceTest,
                         ::testing::ValuesIn(testing::DatabaseKinds()));

}  // namespace
}  // namespace tiaodu::factcheck
