#include "assessment/rules.h"

#include <gtest/gtest.h>

namespace tiaodu::assessment {
namespace {

// Specification of the assessment arithmetic: ranks with ties, points by rank, totals,
// flags, versions and the checks on a scheme.

std::optional<Decimal> D(const char* text) { return *Decimal::Parse(text); }

SchemeItem Item(const char* kind, const char* weight, std::vector<int> points = {}) {
  SchemeItem it;
  it.kind = kind;
  it.name = "项目";
  it.indicator = "retail_sales";
  it.rate = "start";
  it.weight = *Decimal::Parse(weight);
  it.points = std::move(points);
  return it;
}

TEST(CompetitionRanks, EqualMeasuresShareARankAndTheNextRankIsSkipped) {
  EXPECT_EQ(CompetitionRanks({D("8.1"), D("9.5"), D("8.1"), D("7.0")}, true), (std::vector<int>{2, 1, 2, 4}));
}

TEST(CompetitionRanks, LowerIsBetterRanksTheSmallestFirst) {
  EXPECT_EQ(CompetitionRanks({D("35"), D("42"), D("28")}, false), (std::vector<int>{2, 3, 1}));
}

TEST(CompetitionRanks, UnitsWithoutAMeasureGetRankZeroAndDoNotPushOthersDown) {
  EXPECT_EQ(CompetitionRanks({std::nullopt, D("5"), D("6")}, true), (std::vector<int>{0, 2, 1}));
}

TEST(PointsFor, ATableGivesAShareOfTheWeightByRankAndItsLastEntryBeyondIt) {
  SchemeItem it = Item(item_kind::kProjectCompletion, "20", {100, 90, 80});
  EXPECT_EQ(PointsFor(it, 1, 10).ToString(), "20");
  EXPECT_EQ(PointsFor(it, 2, 10).ToString(), "18");
  EXPECT_EQ(PointsFor(it, 7, 10).ToString(), "16");
}

TEST(PointsFor, WithoutATableTheShareFallsLinearlyFromAllForTheFirstToSixtyPercentForTheLast) {
  SchemeItem it = Item(item_kind::kProjectCompletion, "10");
  EXPECT_EQ(PointsFor(it, 1, 5).ToString(), "10");
  EXPECT_EQ(PointsFor(it, 3, 5).ToString(), "8");
  EXPECT_EQ(PointsFor(it, 5, 5).ToString(), "6");
  // 10 × (100 − 40 × 1/3)% = 8.666… → 8.67 (rounded half up to 0.01)
  EXPECT_EQ(PointsFor(it, 2, 4).ToString(), "8.67");
  EXPECT_EQ(PointsFor(it, 1, 1).ToString(), "10");
}

TEST(PointsFor, NoDataEarnsNothing) {
  EXPECT_TRUE(PointsFor(Item(item_kind::kOnTimeRate, "10"), 0, 5).IsZero());
}

TEST(ScoreLeague, TotalsAddTheItemsPointsAndTiedUnitsShareARank) {
  std::vector<SchemeItem> items = {Item(item_kind::kIndicatorGrowth, "60", {100, 50}),
                                   Item(item_kind::kOnTimeRate, "40", {100, 50})};
  std::vector<UnitInput> units = {{1, "A", "甲"}, {2, "B", "乙"}, {3, "C", "丙"}};
  // Growth: A 9, B 7, C 7 → A 60, B and C 30; on time: A 50, B 100, C 100 → B and C 40, A 20.
  auto rows = ScoreLeague(items, units, {{D("9"), D("7"), D("7")}, {D("50"), D("100"), D("100")}}, {false, false}, 1, 1);
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_EQ(rows[0].unit_code, "A");
  EXPECT_EQ(rows[0].total.ToString(), "80");
  EXPECT_EQ(rows[1].total.ToString(), "70");
  EXPECT_EQ(rows[1].rank, 2);
  EXPECT_EQ(rows[2].rank, 2);
  EXPECT_EQ(rows[1].unit_code, "B");  // ties by code
}

TEST(ScoreLeague, TopRanksGetRedFlagsAndTheBottomBlackOnesWithTiesAtTheBorderSharingTheFlag) {
  std::vector<SchemeItem> items = {Item(item_kind::kProjectCompletion, "100", {100, 90, 80, 70, 60})};
  std::vector<UnitInput> units = {{1, "A", "甲"}, {2, "B", "乙"}, {3, "C", "丙"}, {4, "D", "丁"}, {5, "E", "戊"}};
  auto rows = ScoreLeague(items, units, {{D("95"), D("80"), D("80"), D("40"), D("40")}}, {false}, 1, 1);
  std::map<std::string, Flag> flags;
  for (const auto& r : rows) flags[r.unit_code] = r.flag;
  EXPECT_EQ(flags["A"], Flag::kRed);
  EXPECT_EQ(flags["B"], Flag::kNone);
  EXPECT_EQ(flags["C"], Flag::kNone);
  EXPECT_EQ(flags["D"], Flag::kBlack);  // D and E tie for last: both black
  EXPECT_EQ(flags["E"], Flag::kBlack);
}

TEST(ScoreLeague, AUnitIsNeverBothRedAndBlackInASmallTable) {
  std::vector<SchemeItem> items = {Item(item_kind::kProjectCompletion, "100")};
  auto rows = ScoreLeague(items, {{1, "A", "甲"}, {2, "B", "乙"}}, {{D("50"), D("50")}}, {false}, 2, 2);
  for (const auto& r : rows) EXPECT_EQ(r.flag, Flag::kRed);
}

TEST(ScoreLeague, AUnitWithNoDataAtAllStaysUnrankedAtTheEndWithoutAFlag) {
  std::vector<SchemeItem> items = {Item(item_kind::kProjectCompletion, "100")};
  auto rows = ScoreLeague(items, {{1, "A", "甲"}, {2, "B", "乙"}, {3, "C", "丙"}},
                          {{std::nullopt, D("60"), D("30")}}, {false}, 1, 1);
  ASSERT_EQ(rows.back().unit_code, "A");
  EXPECT_EQ(rows.back().rank, 0);
  EXPECT_EQ(rows.back().flag, Flag::kNone);
  EXPECT_EQ(rows[1].unit_code, "C");
  EXPECT_EQ(rows[1].flag, Flag::kBlack);
}

TEST(ScoreLeague, LowerIsBetterItemsRankTheSmallestMeasureFirst) {
  std::vector<SchemeItem> items = {Item(item_kind::kIndicatorGrowth, "100", {100, 50})};
  auto rows = ScoreLeague(items, {{1, "A", "甲"}, {2, "B", "乙"}}, {{D("40"), D("30")}}, {true}, 1, 0);
  EXPECT_EQ(rows[0].unit_code, "B");
  EXPECT_EQ(rows[0].flag, Flag::kRed);
}

TEST(VersionFor, AMonthUsesTheNewestVersionInForceThenAndNothingBeforeTheFirst) {
  Scheme s;
  s.versions = {SchemeVersion{1, "2024-01"}, SchemeVersion{2, "2024-07"}, SchemeVersion{3, "2024-07"}};
  EXPECT_EQ(VersionFor(s, "2023-12"), nullptr);
  EXPECT_EQ(VersionFor(s, "2024-06")->number, 1);
  EXPECT_EQ(VersionFor(s, "2024-07")->number, 3);
  EXPECT_EQ(VersionFor(s, "2025-01")->number, 3);
}

TEST(CheckItems, WeightsMustAddUpToAHundred) {
  EXPECT_TRUE(CheckItems({Item(item_kind::kOnTimeRate, "40"), Item(item_kind::kProjectCompletion, "60")}).ok());
  Status s = CheckItems({Item(item_kind::kOnTimeRate, "40"), Item(item_kind::kProjectCompletion, "50")});
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.details()[0].reason.find("90"), std::string::npos);
}

TEST(CheckItems, NamesTheBadItemForUnknownKindsMissingIndicatorsBadRatesAndRisingPoints) {
  SchemeItem unknown = Item("gdp_magic", "25");
  SchemeItem no_indicator = Item(item_kind::kIndicatorGrowth, "25");
  no_indicator.indicator = "";
  SchemeItem bad_rate = Item(item_kind::kBatchRate, "25");
  bad_rate.rate = "sign";
  SchemeItem rising = Item(item_kind::kOnTimeRate, "25", {80, 90});
  Status s = CheckItems({unknown, no_indicator, bad_rate, rising});
  ASSERT_FALSE(s.ok());
  std::set<std::string> fields;
  for (const auto& d : s.details()) fields.insert(d.field);
  EXPECT_TRUE(fields.count("items[0].kind"));
  EXPECT_TRUE(fields.count("items[1].indicator"));
  EXPECT_TRUE(fields.count("items[2].rate"));
  EXPECT_TRUE(fields.count("items[3].points"));
}

TEST(CheckItems, AnEmptySchemeOrANonPositiveWeightIsRefused) {
  EXPECT_FALSE(CheckItems({}).ok());
  EXPECT_FALSE(CheckItems({Item(item_kind::kOnTimeRate, "0"), Item(item_kind::kProjectCompletion, "100")}).ok());
}

TEST(PointsText, RoundTripsAndRefusesAnythingElse) {
  EXPECT_EQ(PointsText({100, 90, 80}), "100,90,80");
  EXPECT_EQ(*ParsePointsText("100,90,80"), (std::vector<int>{100, 90, 80}));
  EXPECT_TRUE(ParsePointsText("")->empty());
  EXPECT_FALSE(ParsePointsText("100,,80").has_value());
  EXPECT_FALSE(ParsePointsText("a").has_value());
}

}  // namespace
}  // namespace tiaodu::assessment
