#include "factcheck/extractor.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "catalog.h"

namespace tiaodu::factcheck {
namespace {

// Sentences written for each pattern the extractor knows, and ones that must give nothing.

std::vector<Fact> FactsOf(const std::string& text) {
  return Extract(text, testing::SeedCatalog()).facts;
}

std::string V(const std::optional<Decimal>& d) { return d ? d->ToString() : "-"; }

std::string Describe(const std::vector<Fact>& facts) {
  std::string out;
  for (const Fact& f : facts)
    out += "\n  " + (f.indicator ? *f.indicator : std::string("null")) + " [" + f.label + "] " +
           V(f.value) + f.unit + " g=" + V(f.growth_pct) +
           " r=" + (f.rank ? std::to_string(*f.rank) : "-") + (f.target ? " target" : "");
  return out;
}

TEST(FactcheckExtractorTest, FindsTheIndicatorByTheLongestNameOrAlias) {
  auto facts = FactsOf(
      "全区一般公共预算收入完成11.5亿元，城镇居民人均可支配收入4.2万元，规上工业增加值51.7亿元。");
  ASSERT_EQ(facts.size(), 3u) << Describe(facts);
  EXPECT_EQ(facts[0].indicator, "budget_revenue");  // not 公共预算收入
  EXPECT_EQ(facts[0].label, "一般公共预算收入");
  EXPECT_EQ(facts[1].indicator, "disposable_income_urban");  // not 人均可支配收入
  EXPECT_EQ(V(facts[1].value), "4.2");
  EXPECT_EQ(facts[1].unit, "万元");  // as written, not converted to the catalog's 元
  EXPECT_EQ(facts[2].indicator, "industrial_va");
}

TEST(FactcheckExtractorTest, ReadsValuesWithTheirUnitsAsWritten) {
  const std::pair<const char*, const char*> cases[] = {
      {"全年粮食总产量达到31.2万吨。", "31.2万吨"},
      {"生猪存栏8500头。", "8500头"},
      {"新建高标准农田9000亩。", "9000亩"},
      {"新增城镇就业1.2万人。", "1.2万人"},
      {"实际使用外资1200万美元。", "1200万美元"},
      {"为584家企业兑现奖补资金727.6万元。", "584家"},
      {"兑现奖补资金727.6万元。", "727.6万元"},
      {"新签约项目十二个。", "12个"},
      {"新增规上企业两千家。", "2000家"},
      {"新签约项目1.2万个。", "12000个"},
      {"开工率100%。", "100%"},
      {"完成转移登记4956户。", "4956户"},
  };
  for (const auto& [text, want] : cases) {
    SCOPED_TRACE(text);
    auto facts = FactsOf(text);
    ASSERT_FALSE(facts.empty());
    EXPECT_EQ(V(facts[0].value) + facts[0].unit, want) << Describe(facts);
  }
}

TEST(FactcheckExtractorTest, GrowthAttachesToTheFigureBeforeOrStandsAlone) {
  auto facts = FactsOf(
      "全区地区生产总值完成216亿元，同比增长2.2%；固定资产投资完成58.6亿元，同比下降3.2%。");
  ASSERT_EQ(facts.size(), 2u) << Describe(facts);
  EXPECT_EQ(V(facts[0].growth_pct), "2.2");
  EXPECT_EQ(V(facts[1].growth_pct), "-3.2");

  facts = FactsOf("一季度，规上工业增加值增长8.1%，社零额回落1.5%。");
  ASSERT_EQ(facts.size(), 2u) << Describe(facts);
  EXPECT_EQ(facts[0].indicator, "industrial_va");
  EXPECT_FALSE(facts[0].value.has_value());
  EXPECT_EQ(V(facts[0].growth_pct), "8.1");
  EXPECT_EQ(facts[1].indicator, "retail_sales");
  EXPECT_EQ(V(facts[1].growth_pct), "-1.5");
}

TEST(FactcheckExtractorTest, PercentagePointChangesAreNotGrowthRates) {
  auto facts = FactsOf("城镇化率达到46.3%，比上年提高2.1个百分点。");
  ASSERT_EQ(facts.size(), 2u) << Describe(facts);
  EXPECT_EQ(V(facts[1].value) + facts[1].unit, "2.1个百分点");
  EXPECT_FALSE(facts[1].growth_pct.has_value());
  EXPECT_EQ(facts[1].label, "城镇化率提高");
}

TEST(FactcheckExtractorTest, ReadsRanksInTheirUsualForms) {
  const std::pair<const char*, int> cases[] = {
      {"城镇居民人均可支配收入4.2万元，全市排名第二。", 2},
      {"征收契税3418万元，居全市第一。", 1},
      {"地区生产总值86亿元，增速居全市首位。", 1},
      {"新签约项目26个，排名第2位。", 2},
      {"营商环境评价中，我区排名全省第十一。", 11},
      {"县域城市治理排名中，我区位列第九。", 9},
  };
  for (const auto& [text, rank] : cases) {
    SCOPED_TRACE(text);
    auto facts = FactsOf(text);
    ASSERT_EQ(facts.size(), 1u) << Describe(facts);
    EXPECT_EQ(facts[0].rank, rank) << Describe(facts);
  }
}

TEST(FactcheckExtractorTest, OrdinalsThatAreNotRanksGiveNothing) {
  for (const char* text :
       {"我区位列第一方阵。", "第九期“三个一批”项目建设顺利推进。", "坚持第一议题制度。",
        "山阳区第十一届人民代表大会第五次会议上，大家争第一、创一流。"}) {
    SCOPED_TRACE(text);
    EXPECT_TRUE(FactsOf(text).empty()) << Describe(FactsOf(text));
  }
}

TEST(FactcheckExtractorTest, SharesAndPlanCompletionsAreMarked) {
  auto facts = FactsOf("一般公共预算收入完成11.5亿元，其中税收完成10.8亿元，占比93.9%。");
  ASSERT_EQ(facts.size(), 3u) << Describe(facts);
  EXPECT_TRUE(facts[2].share);
  EXPECT_TRUE(facts[2].share_of.empty());
  EXPECT_TRUE(facts[1].after_qizhong);

  facts = FactsOf("工业投资21.3亿元，占固定资产投资的36.3%。");
  ASSERT_EQ(facts.size(), 2u) << Describe(facts);
  EXPECT_TRUE(facts[1].share);
  EXPECT_EQ(facts[1].share_of, "固定资产投资");

  facts = FactsOf("重点项目完成投资32.2亿元，占年度计划的169.6%。");
  ASSERT_EQ(facts.size(), 2u) << Describe(facts);
  EXPECT_TRUE(facts[1].completion);
  EXPECT_FALSE(facts[1].target);
}

TEST(FactcheckExtractorTest, CountsOfProjectsTakeTheNameAfterTheCount) {
  auto facts = FactsOf(
      "总投资221.66亿元的14个省重点项目、总投资228.47亿元的50个市重点项目，再谋划60个左右项目。");
  ASSERT_EQ(facts.size(), 5u) << Describe(facts);
  EXPECT_EQ(facts[1].indicator, "key_projects");
  EXPECT_EQ(facts[1].label, "省重点项目");
  EXPECT_FALSE(facts[2].indicator.has_value());  // 228.47亿元 is an investment, not a count
  EXPECT_EQ(facts[3].label, "市重点项目");
  EXPECT_EQ(facts[4].label, "项目");
  EXPECT_FALSE(facts[4].indicator.has_value());
  EXPECT_TRUE(facts[4].approximate);
}

TEST(FactcheckExtractorTest, TargetsAreKeptApartFromResults) {
  auto facts = FactsOf(
      "2023年合同引资额完成60亿元。2024年至少要招引10个亿元以上项目，合同引资额80亿元，力争突破100"
      "亿元。");
  ASSERT_EQ(facts.size(), 4u) << Describe(facts);
  EXPECT_FALSE(facts[0].target);
  EXPECT_TRUE(facts[1].target);
  EXPECT_TRUE(facts[2].target);
  EXPECT_EQ(facts[3].indicator, "contract_investment");  // continues the figure before
  EXPECT_TRUE(facts[3].target);
  for (const char* text : {"确保粮食总产量稳定在30万吨。", "预计全年地区生产总值增长6%。",
                           "目标是新增四上企业40家。", "计划投资5亿元。"}) {
    SCOPED_TRACE(text);
    auto t = FactsOf(text);
    ASSERT_EQ(t.size(), 1u) << Describe(t);
    EXPECT_TRUE(t[0].target);
  }
  // A programme's name is not a plan: 实施…培育计划，…认定7家 is a result.
  auto r = FactsOf("实施优质中小企业梯次培育计划，累计获得省级创新型中小企业认定7家。");
  ASSERT_EQ(r.size(), 1u) << Describe(r);
  EXPECT_FALSE(r[0].target);
}

TEST(FactcheckExtractorTest, AParagraphOpenedWithYaoIsAPlan) {
  auto facts = FactsOf(
      "一年来，全区新建高标准农田8000亩。\n"
      "（八）实施乡村振兴提效行动。要重点办好两件实事：一是推进乡村建设。新建高标准农田9000亩，"
      "投入4.43亿元。\n"
      "全区主要经济指标稳中有进，税收完成10.8亿元。\n");
  ASSERT_EQ(facts.size(), 4u) << Describe(facts);
  EXPECT_FALSE(facts[0].target);  // another paragraph
  EXPECT_TRUE(facts[1].target);
  EXPECT_TRUE(facts[2].target);
  EXPECT_FALSE(facts[3].target);  // 主要 is not 要
}

TEST(FactcheckExtractorTest, GrowthBandIsATarget) {
  auto facts = FactsOf("实现示范区“保8争9”目标，在工作中有哪些保障措施？");
  ASSERT_EQ(facts.size(), 1u) << Describe(facts);
  EXPECT_EQ(facts[0].label, "保8争9");
  EXPECT_EQ(V(facts[0].growth_pct), "8");
  EXPECT_TRUE(facts[0].target);
}

TEST(FactcheckExtractorTest, WordsWithNumeralsThatAreNotFiguresGiveNothing) {
  for (const char* text :
       {"坚持以习近平新时代中国特色社会主义思想为指导，全面贯彻党的二十大精神。",
        "实施“十四五”规划，推进“三区一中心一高地”建设。",
        "要重点抓好九个方面的工作，着力打造三个产业驱动轴。",
        "认真执行“13710”工作制度，推动全区党员干部践行“24字行为准则”。",
        "2024年3月6日在山阳区召开会议，时间为2024-03-11。", "形成3个20-30亿级产业，聚焦5g网络。",
        "在AA资质基础上，积极向AA+迈进，985、211院校录取人数再创新高。"}) {
    SCOPED_TRACE(text);
    auto facts = FactsOf(text);
    for (const Fact& f : facts) EXPECT_NE(f.unit, "亿元") << Describe(facts);
    EXPECT_LE(facts.size(), 1u) << Describe(facts);
  }
  EXPECT_TRUE(FactsOf("要重点抓好九个方面的工作，着力打造三个产业驱动轴。").empty());
  EXPECT_TRUE(FactsOf("2024年3月6日在山阳区召开会议，时间为2024-03-11。").empty());
}

TEST(FactcheckExtractorTest, PageNoiseLinesAreRecognisedByTheirShape) {
  EXPECT_EQ(ClassifyLine("首页 > 基础信息公开 > 政策解读"), LineKind::kNoise);
  EXPECT_EQ(ClassifyLine("本文地址:/baogao/huazhong/10615.html"), LineKind::kNoise);
  EXPECT_EQ(
      ClassifyLine("Warning: mysql_connect(): Too many connections in /www/db.php on line 12"),
      LineKind::kNoise);
  EXPECT_EQ(ClassifyLine("Copyright © 2024 某县人民政府 版权所有 豫ICP备05012345号"),
            LineKind::kNoise);
  EXPECT_EQ(
      ClassifyLine("本文仅代表作者观点，不代表本站立场。未经许可，不得转载；若侵权，请联系本站。"),
      LineKind::kNoise);
  EXPECT_EQ(ClassifyLine("限时特惠 399元 立即咨询 >> 点击领取 500元 优惠券"), LineKind::kNoise);
  EXPECT_EQ(ClassifyLine("网站首页 | 政务公开 | 政务服务 | 互动交流"), LineKind::kNoise);
  EXPECT_EQ(ClassifyLine("留言与评论(共有 条评论)"), LineKind::kNoise);
  EXPECT_EQ(ClassifyLine("责任编辑:徐斐"), LineKind::kNoise);
  EXPECT_EQ(ClassifyLine("限时抢购！全场5折，新客仅需99元！"), LineKind::kNoise);
  EXPECT_EQ(ClassifyLine("在线访谈 攻坚克难挑大梁 逆势而上作示范"), LineKind::kHeading);
  EXPECT_EQ(ClassifyLine("一季度我县经济实现“开门红”"), LineKind::kHeading);
  EXPECT_EQ(ClassifyLine("全区地区生产总值完成216亿元，同比增长2.2%。"), LineKind::kContent);
  // One mention of a chrome word in a long sentence is still content.
  EXPECT_EQ(ClassifyLine("全年政务网站点击量达到120万次，网上办件量同比增长35.2%"
                         "，群众满意度持续提升，营商环境进一步优化。"),
            LineKind::kContent);
}

TEST(FactcheckExtractorTest, NoiseAndHeadingsGiveNoFacts) {
  auto facts = FactsOf(
      "网站首页 | 政务公开\n限时特惠 399元 立即咨询 >> 点击领取 500元\n一季度GDP增长6.2%\n"
      "Warning: include(/www/a.php): failed to open stream on line 3\n"
      "全县地区生产总值完成86亿元，同比增长6.3%。\n豫ICP备05012345号 版权所有\n");
  ASSERT_EQ(facts.size(), 1u) << Describe(facts);
  EXPECT_EQ(V(facts[0].value), "86");
}

TEST(FactcheckExtractorTest, AShortLineBetweenTwoNoiseLinesIsPartOfTheNoise) {
  auto facts = FactsOf(
      "网站首页 | 政务公开\n\n热门推送：今日新增岗位356个。\n豫ICP备05012345号 版权所有\n"
      "全县地区生产总值完成86亿元，同比增长6.3%。\n");
  ASSERT_EQ(facts.size(), 1u) << Describe(facts);
  EXPECT_EQ(V(facts[0].value), "86");
  // Between a noise line and text it stays text.
  EXPECT_EQ(
      FactsOf("网站首页 | 政务公开\n今日新增岗位356个。\n全县地区生产总值完成86亿元。\n").size(),
      2u);
}

TEST(FactcheckExtractorTest, DetectsRegionAndPeriodWhereTheTextStatesThem) {
  Document d = Extract(
      "山阳区人民政府区长 侯向阳\n一、2023年工作回顾\n2023年，全区地区生产总值完成216亿元。\n",
      testing::SeedCatalog());
  EXPECT_EQ(d.region, "山阳区");
  EXPECT_EQ(d.period, "2023");
  d = Extract("桐柏县统计局 2024年6月经济运行简报\n1-6月，全县规上工业增加值增长7.8%。\n",
              testing::SeedCatalog());
  EXPECT_EQ(d.region, "桐柏县");
  EXPECT_EQ(d.period, "2024-06");
  d = Extract("欢迎走进南阳市政府门户网站。嘉宾是市城乡一体化示范区党工委副书记。\n",
              testing::SeedCatalog());
  EXPECT_EQ(d.region, "南阳市城乡一体化示范区");
  d = Extract("全区地区生产总值完成216亿元。", testing::SeedCatalog());
  EXPECT_EQ(d.region, "");
  EXPECT_EQ(d.period, "");
  d = Extract("全区地区生产总值完成216亿元。", testing::SeedCatalog(), {"山阳区", "2023"});
  EXPECT_EQ(d.region, "山阳区");
  EXPECT_EQ(d.period, "2023");
}

TEST(FactcheckExtractorTest, OffsetPointsAtTheFigureAndQuoteIsItsSentence) {
  const std::string text =
      "各位代表：\n全区地区生产总值完成216亿元，同比增长2.2%；税收完成10.8亿元。";
  auto facts = FactsOf(text);
  ASSERT_EQ(facts.size(), 2u);
  EXPECT_EQ(text.substr(facts[0].offset, 3), "216");
  EXPECT_EQ(facts[0].quote, "全区地区生产总值完成216亿元，同比增长2.2%；");
  EXPECT_EQ(text.substr(facts[1].offset, 4), "10.8");
  EXPECT_EQ(facts[1].quote, "税收完成10.8亿元。");
}

TEST(FactcheckExtractorTest, HeadlineStatementsAreTheRegionsOwnFigures) {
  auto facts = FactsOf("全区税收完成10.8亿元；风神轮胎贡献区级税收1.33亿元。");
  ASSERT_EQ(facts.size(), 2u) << Describe(facts);
  EXPECT_TRUE(facts[0].headline);
  EXPECT_FALSE(facts[1].headline);
}

TEST(FactcheckExtractorTest, EmptyAndBrokenTextsGiveNothing) {
  EXPECT_TRUE(FactsOf("").empty());
  EXPECT_TRUE(FactsOf("\n\n  \n").empty());
  EXPECT_TRUE(FactsOf("\xe5\x85").empty());
  EXPECT_TRUE(FactsOf("216\xff亿元").empty());
}

}  // namespace
}  // namespace tiaodu::factcheck
