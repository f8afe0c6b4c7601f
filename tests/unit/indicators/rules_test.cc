#include "indicators/rules.h"

#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace tiaodu::indicators {
namespace {

// ---- Helpers ----

Decimal D(std::string_view text) {
  Result<Decimal> d = Decimal::Parse(text);
  EXPECT_TRUE(d.ok()) << text << ": " << d.status().message();
  return d.value_or(Decimal());
}

std::optional<Decimal> OD(std::string_view text) { return D(text); }

// A catalog entry shaped like the rows of data/indicators.csv.
Indicator Ind(std::string code, std::string name, std::string periodicity = "month",
              std::string accumulation = "ytd", std::string growth_basis = "nominal",
              std::string direction = "up", std::string unit = "亿元") {
  Indicator ind;
  ind.code = std::move(code);
  ind.name = std::move(name);
  ind.unit = std::move(unit);
  ind.periodicity = std::move(periodicity);
  ind.accumulation = std::move(accumulation);
  ind.growth_basis = std::move(growth_basis);
  ind.direction = std::move(direction);
  return ind;
}

Indicator Tax() { return Ind("tax_revenue", "税收收入"); }
Indicator Budget() { return Ind("budget_revenue", "一般公共预算收入"); }
Indicator Retail() { return Ind("retail_sales", "社会消费品零售总额"); }
Indicator Gdp() { return Ind("gdp", "地区生产总值", "quarter", "ytd", "comparable"); }
Indicator Grain() {
  return Ind("grain_output", "粮食总产量", "year", "annual", "nominal", "up", "万吨");
}
Indicator Pm25() {
  Indicator ind = Ind("pm25", "PM2.5平均浓度", "month", "point", "none", "down", "微克/立方米");
  ind.additive = false;
  return ind;
}
Indicator TaxShare() {
  Indicator ind = Ind("tax_share", "税收占一般公共预算收入比重", "month", "ytd", "none", "up", "%");
  ind.formula = "tax_revenue/budget_revenue*100";
  ind.additive = false;
  return ind;
}

ValidationInput Input(std::string period, std::vector<Indicator> catalog) {
  ValidationInput in;
  in.period = std::move(period);
  for (Indicator& ind : catalog) in.indicators[ind.code] = ind;
  return in;
}

std::optional<Decimal> NoValues(const std::string&) { return std::nullopt; }

std::optional<Decimal> Eval(std::string_view text,
                            const std::map<std::string, Decimal>& values = {}) {
  Result<Expr> e = Expr::Parse(text);
  EXPECT_TRUE(e.ok()) << text << ": " << e.status().message();
  if (!e.ok()) return std::nullopt;
  return e->Eval([&](const std::string& code) -> std::optional<Decimal> {
    auto it = values.find(code);
    if (it == values.end()) return std::nullopt;
    return it->second;
  });
}

// ---- Catalog ----

TEST(CheckIndicatorTest, AcceptsEveryUnitOfTheStartingCatalog) {
  for (const char* unit :
       {"亿元", "%", "元", "万美元", "亿千瓦时", "个", "万吨", "万亩", "头", "微克/立方米"}) {
    Indicator ind = Retail();
    ind.unit = unit;
    EXPECT_TRUE(CheckIndicator(ind).ok()) << unit;
  }
  EXPECT_TRUE(CheckIndicator(TaxShare()).ok());
}

TEST(CheckIndicatorTest, NamesEachBadFieldInTheDetails) {
  Indicator ind = Retail();
  ind.code = "Retail-Sales";
  ind.unit = "箱";
  ind.periodicity = "week";
  ind.accumulation = "sum";
  ind.growth_basis = "real";
  ind.direction = "sideways";
  ind.rank_by = "name";
  ind.decimals = 7;
  ind.formula = "retail_sales +";
  Status s = CheckIndicator(ind);
  ASSERT_EQ(s.code(), Code::kInvalidArgument);
  std::vector<std::string> fields;
  for (const Detail& d : s.details()) fields.push_back(d.field);
  EXPECT_EQ(fields,
            (std::vector<std::string>{"code", "unit", "periodicity", "accumulation", "growth_basis",
                                      "direction", "rank_by", "decimals", "formula"}));
  EXPECT_NE(s.message().find("社会消费品零售总额"), std::string::npos) << s.message();
}

TEST(CheckIndicatorTest, RefusesAFormulaThatReadsItsOwnIndicator) {
  Indicator ind = TaxShare();
  ind.formula = "tax_share*2";
  Status s = CheckIndicator(ind);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.details().at(0).field, "formula");
}

// ---- Periods ----

TEST(PeriodKeyTest, MonthlyYtdIndicatorKeepsTheMonthAndRefusesJanuary) {
  EXPECT_EQ(*PeriodKey(Retail(), "2024-06"), "2024-06");
  EXPECT_EQ(*PeriodKey(Retail(), "2024-6"), "2024-06");
  EXPECT_EQ(*PeriodKey(Retail(), "2024-02"), "2024-02");
  Result<std::string> jan = PeriodKey(Retail(), "2024-01");
  ASSERT_FALSE(jan.ok());
  EXPECT_EQ(jan.status().code(), Code::kInvalidArgument);
  EXPECT_NE(jan.status().message().find("社会消费品零售总额"), std::string::npos);
  EXPECT_NE(jan.status().message().find("1月数据不单独发布，请填报1-2月累计数（期别2024-02）"),
            std::string::npos)
      << jan.status().message();
}

TEST(PeriodKeyTest, MonthlyPointIndicatorAcceptsJanuary) {
  EXPECT_EQ(*PeriodKey(Pm25(), "2024-01"), "2024-01");
}

TEST(PeriodKeyTest, MonthlyIndicatorRefusesQuarterAndYearInput) {
  EXPECT_FALSE(PeriodKey(Retail(), "2024Q2").ok());
  EXPECT_FALSE(PeriodKey(Retail(), "2024").ok());
}

TEST(PeriodKeyTest, QuarterlyIndicatorStoresAtTheQuarterEnd) {
  EXPECT_EQ(*PeriodKey(Gdp(), "2024Q2"), "2024-06");
  EXPECT_EQ(*PeriodKey(Gdp(), "2024q4"), "2024-12");
  EXPECT_EQ(*PeriodKey(Gdp(), "2024-06"), "2024-06");
  EXPECT_EQ(*PeriodKey(Gdp(), "2024-03"), "2024-03");
  Result<std::string> may = PeriodKey(Gdp(), "2024-05");
  ASSERT_FALSE(may.ok());
  EXPECT_NE(may.status().message().find("地区生产总值"), std::string::npos);
  EXPECT_FALSE(PeriodKey(Gdp(), "2024H1").ok());
}

TEST(PeriodKeyTest, YearlyIndicatorStoresAtDecember) {
  EXPECT_EQ(*PeriodKey(Grain(), "2024"), "2024-12");
  EXPECT_EQ(*PeriodKey(Grain(), "2024-12"), "2024-12");
  EXPECT_FALSE(PeriodKey(Grain(), "2024-06").ok());
  EXPECT_FALSE(PeriodKey(Grain(), "2024Q4").ok());
}

TEST(PeriodKeyTest, MalformedInputIsRefusedNamingTheIndicator) {
  Result<std::string> k = PeriodKey(Retail(), "2024年6月");
  ASSERT_FALSE(k.ok());
  EXPECT_EQ(k.status().code(), Code::kInvalidArgument);
  EXPECT_NE(k.status().message().find("社会消费品零售总额"), std::string::npos);
  EXPECT_FALSE(PeriodKey(Retail(), "2024-13").ok());
  EXPECT_FALSE(PeriodKey(Retail(), "").ok());
}

TEST(HasPeriodTest, KeysFollowThePeriodicity) {
  EXPECT_TRUE(HasPeriod(Retail(), "2024-05"));
  EXPECT_FALSE(HasPeriod(Retail(), "2024-01"));
  EXPECT_TRUE(HasPeriod(Pm25(), "2024-01"));
  EXPECT_TRUE(HasPeriod(Gdp(), "2024-06"));
  EXPECT_FALSE(HasPeriod(Gdp(), "2024-05"));
  EXPECT_TRUE(HasPeriod(Grain(), "2024-12"));
  EXPECT_FALSE(HasPeriod(Grain(), "2024-06"));
  EXPECT_FALSE(HasPeriod(Retail(), "2024Q2"));
  EXPECT_FALSE(HasPeriod(Retail(), "junk"));
}

TEST(PreviousKeyInYearTest, StepsBackWithinTheYearOnly) {
  EXPECT_EQ(PreviousKeyInYear(Retail(), "2024-03"), "2024-02");
  EXPECT_EQ(PreviousKeyInYear(Retail(), "2024-12"), "2024-11");
  EXPECT_EQ(PreviousKeyInYear(Retail(), "2024-02"), "");  // 1-2月 is the first release
  EXPECT_EQ(PreviousKeyInYear(Pm25(), "2024-02"), "2024-01");
  EXPECT_EQ(PreviousKeyInYear(Pm25(), "2024-01"), "");
  EXPECT_EQ(PreviousKeyInYear(Gdp(), "2024-06"), "2024-03");
  EXPECT_EQ(PreviousKeyInYear(Gdp(), "2024-03"), "");
  EXPECT_EQ(PreviousKeyInYear(Grain(), "2024-12"), "");
}

TEST(SameKeyLastYearTest, StepsBackOneYear) {
  EXPECT_EQ(SameKeyLastYear("2024-06"), "2023-06");
  EXPECT_EQ(SameKeyLastYear("2024-02"), "2023-02");
  EXPECT_EQ(SameKeyLastYear("junk"), "");
}

TEST(KeyLabelZhTest, LabelsAsBulletinsPrintThem) {
  EXPECT_EQ(KeyLabelZh(Retail(), "2024-06"), "2024年1-6月");
  EXPECT_EQ(KeyLabelZh(Retail(), "2024-02"), "2024年1-2月");
  EXPECT_EQ(KeyLabelZh(Pm25(), "2024-06"), "2024年6月");
  EXPECT_EQ(KeyLabelZh(Grain(), "2024-12"), "2024年");
  EXPECT_EQ(KeyLabelZh(Gdp(), "2024-06"), "2024年上半年");
  EXPECT_EQ(KeyLabelZh(Gdp(), "2024-09"), "2024年前三季度");
}

// ---- YTD and monthly ----

TEST(YtdMonthlyTest, MonthlyIsTheDifferenceOfYtdValues) {
  EXPECT_EQ(MonthlyFromYtd(D("350.5"), D("300.25"), false), D("50.25"));
}

TEST(YtdMonthlyTest, FirstReleaseOfTheYearIsItsOwnMonthlyValue) {
  // 1-2月, stored at 2024-02, has no previous value in the year.
  EXPECT_EQ(MonthlyFromYtd(D("120"), std::nullopt, true), D("120"));
}

TEST(YtdMonthlyTest, MonthlyIsUnknownWithoutThePreviousYtd) {
  EXPECT_EQ(MonthlyFromYtd(D("350.5"), std::nullopt, false), std::nullopt);
}

TEST(YtdMonthlyTest, YtdIsPreviousYtdPlusMonthly) {
  Result<Decimal> ytd = YtdFromMonthly(D("50.25"), D("300.25"), false);
  ASSERT_TRUE(ytd.ok());
  EXPECT_EQ(*ytd, D("350.5"));
  EXPECT_EQ(*YtdFromMonthly(D("120"), std::nullopt, true), D("120"));
}

TEST(YtdMonthlyTest, YtdFromMonthlyNeedsThePreviousYtdAfterTheFirstRelease) {
  Result<Decimal> ytd = YtdFromMonthly(D("50"), std::nullopt, false);
  ASSERT_FALSE(ytd.ok());
  EXPECT_EQ(ytd.status().code(), Code::kInvalidArgument);
}

TEST(YtdMonthlyTest, RoundTripsBothWays) {
  Decimal previous = D("1234.567");
  Decimal ytd = D("1500.001");
  std::optional<Decimal> monthly = MonthlyFromYtd(ytd, previous, false);
  ASSERT_TRUE(monthly);
  EXPECT_EQ(*YtdFromMonthly(*monthly, previous, false), ytd);
}

// ---- Growth ----

TEST(ComputeYoyTest, PositiveGrowth) { EXPECT_EQ(ComputeYoy(D("105"), D("100")), D("5")); }

TEST(ComputeYoyTest, NegativeGrowth) { EXPECT_EQ(ComputeYoy(D("95.5"), D("100")), D("-4.5")); }

TEST(ComputeYoyTest, ZeroOrNegativeBaseHasNoGrowth) {
  EXPECT_EQ(ComputeYoy(D("10"), D("0")), std::nullopt);
  EXPECT_EQ(ComputeYoy(D("10"), D("-5")), std::nullopt);
}

TEST(ComputeYoyTest, RoundsToSixPlacesHalfAwayFromZero) {
  EXPECT_EQ(ComputeYoy(D("8"), D("7")), D("14.285714"));         // 14.2857142…
  EXPECT_EQ(ComputeYoy(D("5"), D("3")), D("66.666667"));         // 66.666666…
  EXPECT_EQ(ComputeYoy(D("1"), D("3")), D("-66.666667"));        // −66.666666…
  EXPECT_EQ(ComputeYoy(D("258.4"), D("245.1")), D("5.426357"));  // 5.4263565…
}

TEST(ComputeYoyTest, LargeValuesDoNotOverflow) {
  EXPECT_EQ(ComputeYoy(D("9000000000000"), D("8000000000000")), D("12.5"));
}

TEST(ChooseGrowthTest, ComparableIndicatorShowsTheReportedGrowth) {
  Growth g = ChooseGrowth(Gdp(), OD("5.2"), OD("7.9"));
  EXPECT_EQ(g.yoy, D("5.2"));
  EXPECT_EQ(g.source, "reported");
}

TEST(ChooseGrowthTest, ComparableIndicatorIsNeverDerivedFromNominalValues) {
  Growth g = ChooseGrowth(Gdp(), std::nullopt, OD("7.9"));
  EXPECT_EQ(g.yoy, std::nullopt);
  EXPECT_EQ(g.source, "");
}

TEST(ChooseGrowthTest, NominalIndicatorShowsTheComputedGrowthFallingBackToReported) {
  Growth g = ChooseGrowth(Retail(), OD("5.2"), OD("5.31"));
  EXPECT_EQ(g.yoy, D("5.31"));
  EXPECT_EQ(g.source, "computed");
  g = ChooseGrowth(Retail(), OD("5.2"), std::nullopt);
  EXPECT_EQ(g.yoy, D("5.2"));
  EXPECT_EQ(g.source, "reported");
  g = ChooseGrowth(Retail(), std::nullopt, std::nullopt);
  EXPECT_EQ(g.yoy, std::nullopt);
  EXPECT_EQ(g.source, "");
}

// ---- Expressions ----

TEST(ExprTest, EvaluatesWithPrecedenceAndParentheses) {
  EXPECT_EQ(Eval("1+2*3"), D("7"));
  EXPECT_EQ(Eval("(1+2)*3"), D("9"));
  EXPECT_EQ(Eval("10-4-3"), D("3"));  // left-associative
  EXPECT_EQ(Eval("24/4/2"), D("3"));  // left-associative
  EXPECT_EQ(Eval("-2*-3"), D("6"));
  EXPECT_EQ(Eval("-(1.5+0.25)"), D("-1.75"));
  EXPECT_EQ(Eval("1/3"), D("0.333333"));
  EXPECT_EQ(Eval(" 2 × 3 ÷ 4 − 1 "), D("0.5"));
  EXPECT_EQ(Eval("（1+1）*2"), D("4"));
}

TEST(ExprTest, ReadsIndicatorValuesByCode) {
  std::map<std::string, Decimal> v = {{"tax_revenue", D("8")}, {"budget_revenue", D("10")}};
  EXPECT_EQ(Eval("tax_revenue/budget_revenue*100", v), D("80"));
}

TEST(ExprTest, ListsItsCodesSortedWithoutDuplicates) {
  Result<Expr> e = Expr::Parse("tax_revenue/budget_revenue + tax_revenue*0 + a1_b");
  ASSERT_TRUE(e.ok());
  EXPECT_EQ(e->codes(), (std::vector<std::string>{"a1_b", "budget_revenue", "tax_revenue"}));
  EXPECT_EQ(e->text(), "tax_revenue/budget_revenue + tax_revenue*0 + a1_b");
}

TEST(ExprTest, MissingValueDivisionByZeroAndOverflowGiveNoValue) {
  EXPECT_EQ(Eval("tax_revenue*2"), std::nullopt);
  EXPECT_EQ(Eval("1/0"), std::nullopt);
  EXPECT_EQ(Eval("1/(2-2)"), std::nullopt);
  EXPECT_EQ(Eval("9000000000000*9000000000000"), std::nullopt);
}

TEST(ExprTest, RefusesMalformedExpressions) {
  const char* bad[] = {
      "",     "   ",       "1+",    "*2",          "(1+2",
      "1+2)", "1 2",       "Tax",   "tax-Revenue", "1.",
      ".5",   "1..2",      "a $ b", "1,000",       "tax_revenue < 3",
      "()",   "1.2345678", "_x",
  };
  for (const char* text : bad) {
    Result<Expr> e = Expr::Parse(text);
    EXPECT_FALSE(e.ok()) << "accepted: " << text;
    if (!e.ok()) {
      EXPECT_EQ(e.status().code(), Code::kInvalidArgument) << text;
      EXPECT_FALSE(e.status().message().empty());
    }
  }
}

TEST(ExprTest, RefusesMoreThan200Characters) {
  std::string ok_text = "1" + std::string(99, ' ') + "+" + std::string(98, ' ') + "1";
  ASSERT_EQ(ok_text.size(), 200u);
  EXPECT_TRUE(Expr::Parse(ok_text).ok());
  std::string long_text = "1" + std::string(99, ' ') + "+" + std::string(99, ' ') + "1";
  ASSERT_EQ(long_text.size(), 201u);
  Result<Expr> e = Expr::Parse(long_text);
  ASSERT_FALSE(e.ok());
  EXPECT_EQ(e.status().code(), Code::kInvalidArgument);
}

TEST(ExprTest, RefusesNestingDeeperThan20) {
  std::string twenty = std::string(20, '(') + "1" + std::string(20, ')');
  EXPECT_EQ(Eval(twenty), D("1"));
  std::string deeper = std::string(21, '(') + "1" + std::string(21, ')');
  Result<Expr> e = Expr::Parse(deeper);
  ASSERT_FALSE(e.ok());
  EXPECT_EQ(e.status().code(), Code::kInvalidArgument);
  EXPECT_FALSE(Expr::Parse(std::string(21, '-') + "1").ok());
}

TEST(ComparisonTest, ParsesEveryOperator) {
  std::map<std::string, Decimal> v = {{"a", D("1")}, {"b", D("2")}};
  auto lookup = [&](const std::string& c) -> std::optional<Decimal> { return v.at(c); };
  struct Case {
    const char* text;
    const char* op;
    bool holds;
  };
  const Case cases[] = {
      {"a <= b", "<=", true}, {"a >= b", ">=", false}, {"a < b", "<", true},
      {"a > b", ">", false},  {"a = b", "=", false},   {"a == b", "=", false},
      {"a != b", "!=", true}, {"a ≤ b", "<=", true},   {"a ≥ b", ">=", false},
      {"a ≠ b", "!=", true},  {"a*2 = b", "=", true},
  };
  for (const Case& c : cases) {
    Result<Comparison> cmp = Comparison::Parse(c.text);
    ASSERT_TRUE(cmp.ok()) << c.text << ": " << cmp.status().message();
    EXPECT_EQ(cmp->op, c.op) << c.text;
    EXPECT_EQ(cmp->Holds(lookup), c.holds) << c.text;
  }
}

TEST(ComparisonTest, RefusesMissingOrRepeatedOperatorsAndBadSides) {
  for (const char* text : {"tax_revenue", "a < b < c", "a <= ", "<= b", "a <> b", "a => b"}) {
    EXPECT_FALSE(Comparison::Parse(text).ok()) << "accepted: " << text;
  }
}

TEST(ComparisonTest, HoldsIsUnknownWhenAValueIsMissing) {
  Result<Comparison> cmp = Comparison::Parse("tax_revenue <= budget_revenue");
  ASSERT_TRUE(cmp.ok());
  EXPECT_EQ(cmp->Holds(NoValues), std::nullopt);
  EXPECT_EQ(cmp->left.codes(), std::vector<std::string>{"tax_revenue"});
}

// ---- League tables ----

TEST(RankTest, TiesShareARankAndTheNextRankSkips) {
  std::vector<std::optional<Decimal>> keys = {D("10"), D("8"), D("8"), D("5")};
  EXPECT_EQ(Rank(keys, "up"), (std::vector<std::optional<int>>{1, 2, 2, 4}));
}

TEST(RankTest, DirectionDownRanksTheSmallestFirst) {
  // PM2.5: lower is better.
  std::vector<std::optional<Decimal>> keys = {D("35"), D("28"), D("41"), D("28")};
  EXPECT_EQ(Rank(keys, "down"), (std::vector<std::optional<int>>{3, 1, 4, 1}));
}

TEST(RankTest, DirectionNoneGivesNoRanks) {
  std::vector<std::optional<Decimal>> keys = {D("1"), D("2")};
  EXPECT_EQ(Rank(keys, "none"), (std::vector<std::optional<int>>{std::nullopt, std::nullopt}));
}

TEST(RankTest, EntriesWithoutAKeyAreUnrankedAndDoNotTakeARank) {
  std::vector<std::optional<Decimal>> keys = {std::nullopt, D("3"), D("7"), std::nullopt};
  EXPECT_EQ(Rank(keys, "up"), (std::vector<std::optional<int>>{std::nullopt, 2, 1, std::nullopt}));
  EXPECT_TRUE(Rank({}, "up").empty());
}

// ---- Targets and time progress ----

TEST(ProgressStatusTest, AheadExactlyAtTheAheadMargin) {
  Settings s;  // margins 0.03 / 0.03
  EXPECT_EQ(ProgressStatus(D("0.53"), D("0.5"), s), "ahead");
  EXPECT_EQ(ProgressStatus(D("0.529999"), D("0.5"), s), "on_track");
}

TEST(ProgressStatusTest, OnTrackExactlyAtTheBehindMarginAndBehindJustBelow) {
  Settings s;
  EXPECT_EQ(ProgressStatus(D("0.47"), D("0.5"), s), "on_track");
  EXPECT_EQ(ProgressStatus(D("0.469999"), D("0.5"), s), "behind");
  EXPECT_EQ(ProgressStatus(D("0.5"), D("0.5"), s), "on_track");
}

TEST(ProgressStatusTest, MarginsComeFromTheSettings) {
  Settings s;
  s.ahead_margin = D("0.1");
  s.behind_margin = D("0");
  EXPECT_EQ(ProgressStatus(D("0.55"), D("0.5"), s), "on_track");
  EXPECT_EQ(ProgressStatus(D("0.499999"), D("0.5"), s), "behind");
}

TEST(GrowthTargetStatusTest, Bao8Zheng9) {
  EXPECT_EQ(GrowthTargetStatus(D("7.9"), D("8"), D("9"), "up"), "behind");
  EXPECT_EQ(GrowthTargetStatus(D("8"), D("8"), D("9"), "up"), "on_track");
  EXPECT_EQ(GrowthTargetStatus(D("8.9"), D("8"), D("9"), "up"), "on_track");
  EXPECT_EQ(GrowthTargetStatus(D("9"), D("8"), D("9"), "up"), "ahead");
}

TEST(GrowthTargetStatusTest, WithoutAStretchTheFloorIsOnTrack) {
  EXPECT_EQ(GrowthTargetStatus(D("12"), D("8"), std::nullopt, "up"), "on_track");
  EXPECT_EQ(GrowthTargetStatus(D("7"), D("8"), std::nullopt, "up"), "behind");
  EXPECT_EQ(GrowthTargetStatus(D("7"), std::nullopt, std::nullopt, "up"), "");
}

TEST(GrowthTargetStatusTest, DirectionDownFlipsTheComparisons) {
  // Lower is better: floor −3 (at most −3%), stretch −5.
  EXPECT_EQ(GrowthTargetStatus(D("-5"), D("-3"), D("-5"), "down"), "ahead");
  EXPECT_EQ(GrowthTargetStatus(D("-3"), D("-3"), D("-5"), "down"), "on_track");
  EXPECT_EQ(GrowthTargetStatus(D("-2.9"), D("-3"), D("-5"), "down"), "behind");
}

TEST(ElapsedShareTest, MonthsElapsedOverTwelve) {
  EXPECT_EQ(ElapsedShare("2024-06"), D("0.5"));
  EXPECT_EQ(ElapsedShare("2024-02"), D("0.166667"));
  EXPECT_EQ(ElapsedShare("2024-09"), D("0.75"));
  EXPECT_EQ(ElapsedShare("2024-12"), D("1"));
  EXPECT_EQ(ElapsedShare("2024"), D("1"));
}

// ---- Validation: one rule at a time ----

TEST(CheckTaxWithinBudgetTest, FiresWhenTaxExceedsBudgetRevenue) {
  ValidationInput in = Input("2024-06", {Tax(), Budget()});
  in.values = {{"tax_revenue", D("12.5")}, {"budget_revenue", D("10")}};
  std::vector<Finding> f = CheckTaxWithinBudget(in);
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].rule, "tax_le_budget");
  EXPECT_EQ(f[0].severity, "error");
  EXPECT_EQ(f[0].indicator, "tax_revenue");
  EXPECT_NE(f[0].message.find("税收收入（12.50亿元）大于一般公共预算收入（10.00亿元）"),
            std::string::npos)
      << f[0].message;
}

TEST(CheckTaxWithinBudgetTest, SilentWhenTaxIsWithinBudgetOrAValueIsMissing) {
  ValidationInput in = Input("2024-06", {Tax(), Budget()});
  in.values = {{"tax_revenue", D("10")}, {"budget_revenue", D("10")}};
  EXPECT_TRUE(CheckTaxWithinBudget(in).empty());
  in.values = {{"tax_revenue", D("12")}};
  EXPECT_TRUE(CheckTaxWithinBudget(in).empty());
}

TEST(CheckYtdNotDecreasingTest, FiresWhenTheYtdValueFallsWithinTheYear) {
  ValidationInput in = Input("2024-06", {Retail()});
  in.values = {{"retail_sales", D("90")}};
  in.previous_ytd = {{"retail_sales", D("100")}};
  std::vector<Finding> f = CheckYtdNotDecreasing(in);
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].rule, "ytd_not_decreasing");
  EXPECT_EQ(f[0].severity, "error");
  EXPECT_EQ(f[0].indicator, "retail_sales");
  EXPECT_NE(f[0].message.find("2024年1-6月累计数（90.00亿元）小于2024年1-5月累计数（100.00亿元）"),
            std::string::npos)
      << f[0].message;
}

TEST(CheckYtdNotDecreasingTest, SilentWhenRisingAtTheFirstReleaseOrNotAdditiveYtd) {
  ValidationInput in = Input("2024-06", {Retail(), Pm25()});
  in.values = {{"retail_sales", D("100")}, {"pm25", D("20")}};
  in.previous_ytd = {{"retail_sales", D("100")}, {"pm25", D("40")}};
  EXPECT_TRUE(CheckYtdNotDecreasing(in).empty());
  // 1-2月: no previous value of the year; whatever the caller passes is not compared.
  in = Input("2024-02", {Retail()});
  in.values = {{"retail_sales", D("50")}};
  in.previous_ytd = {{"retail_sales", D("600")}};
  EXPECT_TRUE(CheckYtdNotDecreasing(in).empty());
  // A ytd indicator that is not additive (an average) may fall.
  Indicator avg = Retail();
  avg.additive = false;
  in = Input("2024-06", {avg});
  in.values = {{"retail_sales", D("90")}};
  in.previous_ytd = {{"retail_sales", D("100")}};
  EXPECT_TRUE(CheckYtdNotDecreasing(in).empty());
}

TEST(CheckNotNegativeTest, FiresOnANegativeAmount) {
  ValidationInput in = Input("2024-06", {Retail()});
  in.values = {{"retail_sales", D("-1")}};
  std::vector<Finding> f = CheckNotNegative(in);
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].rule, "negative_value");
  EXPECT_EQ(f[0].severity, "error");
  EXPECT_NE(f[0].message.find("社会消费品零售总额（-1.00亿元）"), std::string::npos)
      << f[0].message;
}

TEST(CheckNotNegativeTest, SilentOnZeroAndOnPercentages) {
  Indicator rate = Ind("unemployment_change", "失业率变动", "month", "point", "none", "down", "%");
  ValidationInput in = Input("2024-06", {Retail(), rate});
  in.values = {{"retail_sales", D("0")}, {"unemployment_change", D("-0.3")}};
  EXPECT_TRUE(CheckNotNegative(in).empty());
}

TEST(CheckYoyMatchesTest, FiresWhenReportedAndComputedGrowthDifferBeyondTolerance) {
  ValidationInput in = Input("2024-06", {Retail()});
  in.values = {{"retail_sales", D("108")}};
  in.last_year = {{"retail_sales", D("100")}};
  in.reported_yoy = {{"retail_sales", D("6.3")}};
  std::vector<Finding> f = CheckYoyMatches(in, Settings());
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].rule, "yoy_mismatch");
  EXPECT_EQ(f[0].severity, "warning");
  EXPECT_NE(f[0].message.find("6.3%"), std::string::npos) << f[0].message;
  EXPECT_NE(f[0].message.find("8.0%"), std::string::npos) << f[0].message;
  EXPECT_NE(f[0].message.find("相差1.7个百分点，超过允许误差0.15个百分点"), std::string::npos)
      << f[0].message;
}

TEST(CheckYoyMatchesTest, SilentWithinToleranceForComparableOrWithoutReportedGrowth) {
  ValidationInput in = Input("2024-06", {Retail(), Gdp()});
  in.values = {{"retail_sales", D("108")}, {"gdp", D("108")}};
  in.last_year = {{"retail_sales", D("100")}, {"gdp", D("100")}};
  // Computed 8%; the default tolerance is 0.15 points; GDP's growth is comparable-price.
  in.reported_yoy = {{"retail_sales", D("7.85")}, {"gdp", D("5")}};
  EXPECT_TRUE(CheckYoyMatches(in, Settings()).empty());
  in.reported_yoy = {{"retail_sales", D("7.84")}};
  EXPECT_EQ(CheckYoyMatches(in, Settings()).size(), 1u);
  in.reported_yoy = {{"retail_sales", std::nullopt}};
  EXPECT_TRUE(CheckYoyMatches(in, Settings()).empty());
}

TEST(CheckGrowthSwingTest, FiresOnAnAbruptSwingOfComputedGrowth) {
  ValidationInput in = Input("2024-06", {Retail()});
  in.values = {{"retail_sales", D("125")}};
  in.last_year = {{"retail_sales", D("100")}};
  in.previous_growth = {{"retail_sales", D("6")}};
  std::vector<Finding> f = CheckGrowthSwing(in, Settings());
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].rule, "growth_swing");
  EXPECT_EQ(f[0].severity, "warning");
  EXPECT_NE(f[0].message.find("由上期的6.0%变为25.0%，变动19个百分点"), std::string::npos)
      << f[0].message;
}

TEST(CheckGrowthSwingTest, ComparableIndicatorUsesTheReportedGrowth) {
  ValidationInput in = Input("2024-06", {Gdp()});
  in.values = {{"gdp", D("200")}};
  in.last_year = {{"gdp", D("100")}};  // nominal +100%: ignored for comparable prices
  in.reported_yoy = {{"gdp", D("5.5")}};
  in.previous_growth = {{"gdp", D("5.2")}};
  EXPECT_TRUE(CheckGrowthSwing(in, Settings()).empty());
  in.reported_yoy = {{"gdp", D("16")}};
  EXPECT_EQ(CheckGrowthSwing(in, Settings()).size(), 1u);
}

TEST(CheckGrowthSwingTest, SilentAtTheThresholdOrWithoutThePreviousGrowth) {
  ValidationInput in = Input("2024-06", {Retail()});
  in.values = {{"retail_sales", D("116")}};
  in.last_year = {{"retail_sales", D("100")}};
  in.previous_growth = {{"retail_sales", D("6")}};  // exactly 10 points
  EXPECT_TRUE(CheckGrowthSwing(in, Settings()).empty());
  in.previous_growth.clear();
  EXPECT_TRUE(CheckGrowthSwing(in, Settings()).empty());
}

TEST(CheckChildrenSumTest, FiresWhenEveryChildReportedAndTheSumIsOffByMoreThanTolerance) {
  ValidationInput in = Input("2024-06", {Retail()});
  in.values = {{"retail_sales", D("100")}};
  in.children_sum = {{"retail_sales", D("98.9")}};
  in.children_count = {{"retail_sales", 3}};
  in.children_total = 3;
  std::vector<Finding> f = CheckChildrenSum(in, Settings());
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].rule, "children_sum");
  EXPECT_EQ(f[0].severity, "warning");
  EXPECT_NE(f[0].message.find("合计（98.90亿元）与本单位填报数（100.00亿元）相差1.10亿元"),
            std::string::npos)
      << f[0].message;
}

TEST(CheckChildrenSumTest, SilentWithinToleranceWithMissingChildrenOrNonAdditive) {
  ValidationInput in = Input("2024-06", {Retail(), Pm25()});
  in.values = {{"retail_sales", D("100")}, {"pm25", D("30")}};
  in.children_sum = {{"retail_sales", D("99")}, {"pm25", D("90")}};  // 1% = tolerance
  in.children_count = {{"retail_sales", 3}, {"pm25", 3}};
  in.children_total = 3;
  EXPECT_TRUE(CheckChildrenSum(in, Settings()).empty());
  in.children_sum = {{"retail_sales", D("50")}};
  in.children_count = {{"retail_sales", 2}};  // one child has not reported
  EXPECT_TRUE(CheckChildrenSum(in, Settings()).empty());
  in.children_total = 0;
  in.children_count = {{"retail_sales", 0}};
  EXPECT_TRUE(CheckChildrenSum(in, Settings()).empty());
}

TEST(ValidationTest, DerivedIndicatorsAreNotCheckedByTheValueRules) {
  ValidationInput in = Input("2024-06", {TaxShare()});
  in.values = {{"tax_share", D("-5")}};
  in.previous_ytd = {{"tax_share", D("80")}};
  in.last_year = {{"tax_share", D("1")}};
  in.reported_yoy = {{"tax_share", D("0")}};
  in.previous_growth = {{"tax_share", D("0")}};
  in.children_sum = {{"tax_share", D("500")}};
  in.children_count = {{"tax_share", 2}};
  in.children_total = 2;
  EXPECT_TRUE(Validate(in, Settings()).empty());
}

TEST(CheckCustomRulesTest, FiresWithTheRulesSeverityAndMessage) {
  ValidationInput in = Input("2024-06", {Tax(), Budget()});
  in.values = {{"tax_revenue", D("12.5")}, {"budget_revenue", D("10")}};
  Rule rule;
  rule.id = 12;
  rule.expression = "tax_revenue <= budget_revenue";
  rule.severity = "warning";
  rule.message = "税收收入不应超过一般公共预算收入";
  in.rules = {rule};
  std::vector<Finding> f = CheckCustomRules(in);
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].rule, "rule:12");
  EXPECT_EQ(f[0].severity, "warning");
  EXPECT_EQ(f[0].indicator, "tax_revenue");
  EXPECT_NE(f[0].message.find("税收收入不应超过一般公共预算收入"), std::string::npos);
  EXPECT_NE(f[0].message.find("12.50亿元"), std::string::npos) << f[0].message;
}

TEST(CheckCustomRulesTest, SilentWhenTheRuleHoldsAValueIsMissingOrTheRuleIsDisabled) {
  ValidationInput in = Input("2024-06", {Tax(), Budget()});
  Rule rule;
  rule.id = 1;
  rule.expression = "tax_revenue <= budget_revenue";
  in.rules = {rule};
  in.values = {{"tax_revenue", D("8")}, {"budget_revenue", D("10")}};
  EXPECT_TRUE(CheckCustomRules(in).empty());
  in.values = {{"tax_revenue", D("12")}};  // budget revenue not entered yet
  EXPECT_TRUE(CheckCustomRules(in).empty());
  in.values = {{"tax_revenue", D("12")}, {"budget_revenue", D("10")}};
  in.rules[0].enabled = false;
  EXPECT_TRUE(CheckCustomRules(in).empty());
}

TEST(CheckCustomRulesTest, MayReadDerivedIndicators) {
  ValidationInput in = Input("2024-06", {Tax(), Budget(), TaxShare()});
  in.values = {{"tax_revenue", D("9")}, {"budget_revenue", D("10")}};
  Rule rule;
  rule.id = 3;
  rule.expression = "tax_share <= 85";
  in.rules = {rule};
  std::vector<Finding> f = CheckCustomRules(in);
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].severity, "error");
  EXPECT_EQ(f[0].indicator, "tax_share");
}

TEST(ValidateTest, ListsErrorsBeforeWarnings) {
  ValidationInput in = Input("2024-06", {Tax(), Budget(), Retail()});
  in.values = {{"retail_sales", D("125")}, {"tax_revenue", D("12")}, {"budget_revenue", D("10")}};
  in.last_year = {{"retail_sales", D("100")}};
  in.previous_growth = {{"retail_sales", D("5")}};
  std::vector<Finding> f = Validate(in, Settings());
  ASSERT_EQ(f.size(), 2u);
  EXPECT_EQ(f[0].rule, "tax_le_budget");
  EXPECT_EQ(f[1].rule, "growth_swing");
  EXPECT_TRUE(HasErrors(f));
  f.erase(f.begin());
  EXPECT_FALSE(HasErrors(f));
  EXPECT_FALSE(HasErrors({}));
}

}  // namespace
}  // namespace tiaodu::indicators
