#include "factcheck/checks.h"

#include <gtest/gtest.h>

#include <string>

#include "catalog.h"
#include "factcheck/extractor.h"

namespace tiaodu::factcheck {
namespace {

// The checks on sentences written for each: what they conclude, and when they say nothing.

std::vector<Finding> FindingsOf(const std::string& text,
                                const std::vector<LedgerFigure>* ledger = nullptr) {
  Document d = Extract(text, testing::SeedCatalog());
  return RunChecks(d.facts, ledger);
}

TEST(FactcheckChecksTest, HalfUlpIsHalfTheLastWrittenDigit) {
  EXPECT_EQ(HalfUlp(0).ToString(), "0.5");
  EXPECT_EQ(HalfUlp(1).ToString(), "0.05");
  EXPECT_EQ(HalfUlp(2).ToString(), "0.005");
}

TEST(FactcheckChecksTest, ShareWithinTheRoundingOfItsDigitsIsConsistent) {
  auto f = FindingsOf("一般公共预算收入完成11.5亿元，其中税收完成10.8亿元，占比93.9%。");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].check, Check::kShare);
  EXPECT_EQ(f[0].verdict, Verdict::kConsistent);
  EXPECT_EQ(f[0].stated.ToString(), "93.9");
  EXPECT_EQ(f[0].computed.ToString(), "93.91");
}

TEST(FactcheckChecksTest, ShareOutsideTheRoundingIsInconsistent) {
  auto f = FindingsOf("一般公共预算收入完成11.5亿元，其中税收完成10.8亿元，占比94%。");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].verdict, Verdict::kConsistent);  // 93.91 rounds to 94 at no decimals
  f = FindingsOf("一般公共预算收入完成11.5亿元，其中税收完成10.8亿元，占比93.7%。");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].verdict, Verdict::kInconsistent);
}

TEST(FactcheckChecksTest, ShareOfANamedWholeUsesThatFigureInAnyUnitOfItsFamily) {
  auto f = FindingsOf("固定资产投资完成58.6亿元，工业投资213000万元，占固定资产投资的36.3%。");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].verdict, Verdict::kConsistent);  // 21.3 / 58.6 = 36.35%
}

TEST(FactcheckChecksTest, ShareOfAWholeOfAnotherTimeGivesNothing) {
  EXPECT_TRUE(
      FindingsOf(
          "2023年固定资产投资完成50亿元。2024年1-6月，工业投资21.3亿元，占固定资产投资的36.3%。")
          .empty());
  EXPECT_EQ(FindingsOf(
                "1-6月，固定资产投资完成58.6亿元。1-6月，工业投资21.3亿元，占固定资产投资的36.3%。")
                .size(),
            1u);
}

TEST(FactcheckChecksTest, ShareWithoutItsWholeGivesNothing) {
  EXPECT_TRUE(FindingsOf("税收完成10.8亿元，占比93.9%。").empty());
  EXPECT_TRUE(FindingsOf("生产性服务业占服务业比重翻一番，达到40%以上。").empty());
}

TEST(FactcheckChecksTest, CompletionNeedsTheStatedPlan) {
  auto f = FindingsOf("年度计划投资5亿元，累计完成投资6亿元，完成年度计划的120%。");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].check, Check::kCompletion);
  EXPECT_EQ(f[0].verdict, Verdict::kConsistent);
  f = FindingsOf("年度计划投资5亿元，累计完成投资6亿元，完成年度计划的110%。");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].verdict, Verdict::kInconsistent);
  EXPECT_EQ(f[0].computed.ToString(), "120");
  // Plans not stated: not checkable.
  EXPECT_TRUE(FindingsOf("省重点项目4个、市重点项目19个，分别完成投资32.2亿元、134."
                         "8亿元，占年度计划的169.6%、165.1%。")
                  .empty());
}

TEST(FactcheckChecksTest, EnumeratedSumAgainstItsTotal) {
  auto f = FindingsOf(
      "第一产业增加值28.7亿元，第二产业增加值118.2亿元，第三产业增加值165.5亿元，三次产业合计312."
      "4亿元。");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].check, Check::kSum);
  EXPECT_EQ(f[0].verdict, Verdict::kConsistent);
  f = FindingsOf(
      "第一产业增加值28.7亿元，第二产业增加值118.2亿元，第三产业增加值165.5亿元，三次产业合计321."
      "4亿元。");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].verdict, Verdict::kInconsistent);
  EXPECT_EQ(f[0].computed.ToString(), "312.4");
}

TEST(FactcheckChecksTest, OverTotalsAreLowerBounds) {
  auto f =
      FindingsOf("谋划14个省重点项目、50个市重点项目，再谋划60个左右项目，力争总数超过100个。");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].verdict, Verdict::kConsistent);
  EXPECT_EQ(f[0].stated.ToString(), "100");
  EXPECT_EQ(f[0].computed.ToString(), "124");
  f = FindingsOf("谋划14个省重点项目、50个市重点项目，共计100个以上。");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].verdict, Verdict::kInconsistent);
  // With an approximate part, falling short of a lower bound proves nothing.
  EXPECT_TRUE(
      FindingsOf("谋划14个省重点项目、50个市重点项目，再谋划20个左右项目，力争总数超过100个。")
          .empty());
}

TEST(FactcheckChecksTest, PartsListedAfterQizhongMayNotExceedTheWhole) {
  auto f = FindingsOf("新签约项目共35个，其中工业项目20个、服务业项目12个、农业项目5个。");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].verdict, Verdict::kInconsistent);
  f = FindingsOf("新签约项目共37个，其中工业项目20个、服务业项目12个、农业项目5个。");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].verdict, Verdict::kConsistent);
  // Fewer than the whole: the list may be partial, so no verdict.
  EXPECT_TRUE(FindingsOf("新签约项目共40个，其中工业项目20个、服务业项目12个。").empty());
}

TEST(FactcheckChecksTest, QizhongOpeningASentenceListsPartsOfTheSentenceBefore) {
  auto f = FindingsOf(
      "全年全区地区生产总值完成428.6亿元，比上年增长5.1%。其中，第一产业增加值45.2亿元，增长3.0%；"
      "第二产业增加值150.3亿元，增长6.2%；第三产业增加值233.1亿元，增长4.8%。");
  ASSERT_EQ(f.size(), 0u) << "the parts stand in three sentences (；)";
  f = FindingsOf(
      "全年全区地区生产总值完成428.6亿元，比上年增长5.1%。其中，第一产业增加值45.2亿元，"
      "第二产业增加值150.3亿元，第三产业增加值243.1亿元。");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].check, Check::kSum);
  EXPECT_EQ(f[0].verdict, Verdict::kInconsistent);  // 438.6 > 428.6
  EXPECT_EQ(f[0].stated.ToString(), "428.6");
}

TEST(FactcheckChecksTest, CompletionOfAStatedTarget) {
  auto f = FindingsOf("全年实际到位省外资金156.2亿元，完成年度目标150亿元的104.1%。");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].check, Check::kCompletion);
  EXPECT_EQ(f[0].verdict, Verdict::kConsistent);
  Document d =
      Extract("全年实际到位省外资金156.2亿元，完成年度目标的104.1%。", testing::SeedCatalog());
  ASSERT_EQ(d.facts.size(), 2u);
  EXPECT_TRUE(d.facts[1].completion);
  EXPECT_FALSE(d.facts[1].target);
}

TEST(FactcheckChecksTest, TheSameQuantityStatedTwiceDifferently) {
  auto f = FindingsOf(
      "前三季度，全区地区生产总值完成312.4亿元。前三季度，全区地区生产总值完成321.4亿元。");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].check, Check::kRepeat);
  EXPECT_EQ(f[0].verdict, Verdict::kInconsistent);
  f = FindingsOf("全区地区生产总值完成312.4亿元。全区地区生产总值3124000万元。");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].verdict, Verdict::kConsistent);
}

TEST(FactcheckChecksTest, DifferentTimesSubjectsOrTargetsAreNotRepeats) {
  EXPECT_TRUE(FindingsOf("2023年地区生产总值216亿元。2024年地区生产总值230亿元。").empty());
  EXPECT_TRUE(
      FindingsOf(
          "全区税收完成10.8亿元。风神轮胎贡献区级税收1.33亿元。汉河电缆贡献区级税收1354万元。")
          .empty());
  EXPECT_TRUE(
      FindingsOf("合同引资额完成60亿元。2024年合同引资额80亿元，力争突破100亿元。").empty());
  EXPECT_TRUE(FindingsOf("省重点项目14个。市重点项目50个。").empty());
}

TEST(FactcheckChecksTest, LedgerComparesHeadlineResultsInTheTextsUnit) {
  std::vector<LedgerFigure> ledger = {
      {"gdp", "亿元", *Decimal::Parse("216.04"), *Decimal::Parse("2.2")},
      {"tax_revenue", "亿元", *Decimal::Parse("11.2"), std::nullopt},
      {"disposable_income_urban", "元", Decimal::FromInt(42150), std::nullopt}};
  auto f = FindingsOf(
      "全区地区生产总值完成216亿元，同比增长2.2%；其中税收完成10."
      "8亿元；城镇居民人均可支配收入达到4.2万元。",
      &ledger);
  ASSERT_EQ(f.size(), 4u);
  EXPECT_EQ(f[0].check, Check::kLedger);
  EXPECT_EQ(f[0].verdict, Verdict::kConsistent);  // 216.04 rounds to 216
  EXPECT_EQ(f[1].verdict, Verdict::kConsistent);  // growth 2.2
  EXPECT_EQ(f[2].verdict, Verdict::kInconsistent);
  EXPECT_EQ(f[2].computed.ToString(), "11.2");
  EXPECT_EQ(f[3].verdict, Verdict::kConsistent);  // 42150元 = 4.215万元 ≈ 4.2
}

TEST(FactcheckChecksTest, NoLedgerFigureNoFinding) {
  std::vector<LedgerFigure> ledger = {{"retail_sales", "亿元", Decimal::FromInt(80), std::nullopt}};
  EXPECT_TRUE(FindingsOf("全区地区生产总值完成216亿元。", &ledger).empty());
  EXPECT_TRUE(FindingsOf("力争地区生产总值达到230亿元。", &ledger).empty());
}

TEST(FactcheckChecksTest, LedgerLeavesPlansAndOtherSubjectsAlone) {
  std::vector<LedgerFigure> ledger = {
      {"high_standard_farmland", "万亩", *Decimal::Parse("0.55"), std::nullopt},
      {"key_project_completed", "亿元", *Decimal::Parse("28.19"), std::nullopt},
      {"tax_revenue", "亿元", *Decimal::Parse("10.8"), std::nullopt}};
  // A figure without a verb of result, as plans are written.
  EXPECT_TRUE(FindingsOf("一是推进乡村建设。新建高标准农田9000亩。", &ledger).empty());
  // The investment of three shantytown projects, not the region's total.
  EXPECT_TRUE(
      FindingsOf("加快总投资15亿元的3个棚户区改造，全年完成投资3.4亿元。", &ledger).empty());
  // A company's tax, not the region's.
  EXPECT_TRUE(
      FindingsOf("风神轮胎全年实现利润3.9亿元，贡献区级税收完成1.33亿元。", &ledger).empty());
}

}  // namespace
}  // namespace tiaodu::factcheck
