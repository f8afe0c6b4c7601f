#include "benefits/rules.h"

#include <gtest/gtest.h>

#include <optional>
#include <random>
#include <string>
#include <string_view>
#include <vector>

namespace tiaodu::benefits {
namespace {

// ---- Helpers ----

Decimal D(std::string_view text) {
  Result<Decimal> d = Decimal::Parse(text);
  EXPECT_TRUE(d.ok()) << text;
  return d.value_or(Decimal());
}

// The reason of the detail for `field` ("eligibility" or "amount"), or "" when none.
std::string Reason(const Status& s, std::string_view field) {
  for (const Detail& d : s.details()) {
    if (d.field == field) return d.reason;
  }
  return "";
}

std::string ParseError(std::string_view text) {
  Result<Expr> e = ParseExpression(text);
  EXPECT_FALSE(e.ok()) << text << " parsed";
  return e.ok() ? "" : e.status().message();
}

// The error of an eligibility rule (base year 2024, amount 1000).
std::string ConditionError(std::string_view condition) {
  Status s = CheckPolicyRules({std::string(condition), "1000", 2024});
  EXPECT_FALSE(s.ok()) << condition << " accepted";
  EXPECT_EQ(Reason(s, "amount"), "");
  return Reason(s, "eligibility");
}

// The error of an amount formula (no condition, base year 2024).
std::string AmountError(std::string_view amount) {
  Status s = CheckPolicyRules({"", std::string(amount), 2024});
  EXPECT_FALSE(s.ok()) << amount << " accepted";
  return Reason(s, "amount");
}

// A manufacturing 专精特新 firm with figures for 2023 and 2024.
Enterprise Firm() {
  Enterprise e;
  e.id = 7;
  e.name = "南阳某精密机械有限公司";
  e.industry = "C34";
  e.scale = Scale::kAboveDesignated;
  e.certifications = {"专精特新", "高新技术企业"};
  e.unit_code = "411302";
  e.founded = CivilDate{2015, 3, 18};
  e.years[2023] = {D("80000000"), D("3000000"), D("4000000"), D("210")};
  e.years[2024] = {D("100000000"), D("3600000"), D("5000000"), D("230")};
  return e;
}

// Compiles `condition` and `amount` (base year 2024) and evaluates them for `e`.
struct Matching {
  Layout layout;
  Policy policy;
  Evaluation out;

  Matching(std::string_view condition, std::string_view amount, const Enterprise& e) {
    Result<Policy> p = CompilePolicy({std::string(condition), std::string(amount), 2024}, layout);
    EXPECT_TRUE(p.ok()) << condition << " / " << amount << ": "
                        << (p.ok()
                                ? ""
                                : Reason(p.status(), "eligibility") + Reason(p.status(), "amount"));
    if (!p.ok()) return;
    policy = std::move(*p);
    Evaluate(policy, layout.Flatten(e), out);
  }
  std::vector<std::string> Met() const { return ConditionTexts(policy, out.met); }
  std::vector<std::string> Failed() const { return ConditionTexts(policy, out.failed); }
};

using Texts = std::vector<std::string>;

// ---- Parsing and printing ----

TEST(RuleParseTest, PrintsTheCanonicalFormOfWhatItParses) {
  EXPECT_EQ(Print(*ParseExpression("revenue>=2000万")), "revenue >= 20000000");
  EXPECT_EQ(Print(*ParseExpression("营业收入 >= 1.5亿")), "revenue >= 150000000");
  EXPECT_EQ(Print(*ParseExpression("industry in [\"C39\",\"C40\"] AND not (scale = “小微”)")),
            "industry in [\"C39\", \"C40\"] and not scale = \"小微\"");
}

TEST(RuleParseTest, AcceptsChineseNamesQuotesAndKeywordSpellings) {
  Result<Expr> b =
      ParseExpression("营业收入 >= 2000万 && “专精特新” in 资质 || !(规模 == \"规上\")");
  ASSERT_TRUE(b.ok()) << b.status().message();
  EXPECT_EQ(Print(*b),
            "revenue >= 20000000 and \"专精特新\" in certifications or not scale = \"规上\"");
}

TEST(RuleParseTest, ReadsADateOnlyWhenWrittenWithoutSpaces) {
  EXPECT_EQ(Print(*ParseExpression("founded >= 2020-01-01")), "founded >= 2020-01-01");
  EXPECT_EQ(Print(*ParseExpression("2020 - 01 - 01")), "2020 - 1 - 1");
}

TEST(RuleParseTest, MalformedExpressionsAreNamedWithLineAndColumn) {
  struct Case {
    const char* text;
    const char* message;
  } cases[] = {
      {"", "第1行第1列：表达式为空"},
      {"revenue >=", "第1行第11列：表达式不完整，此处缺少一个值（属性、数字、文本或括号）"},
      {"(revenue > 1", "第1行第13列：表达式不完整，此处缺少右括号“)”"},
      {"revenue > 1 employees > 2", "第1行第13列：“employees”前缺少 and / or 或运算符"},
      {"revenue（2024）", "第1行第8列：无法识别的字符“（”，请使用半角（英文）符号"},
      {"industry = \"C39", "第1行第12列：引号没有配对（文本应写在一对引号中）"},
      {"founded >= 2023-02-29", "第1行第12列：日期“2023-02-29”不存在"},
      {"revenue > 100元", "第1行第11列：数字后不能紧跟“元”（数字只可带“万”或“亿”，金额单位为元）"},
      {"1 < revenue < 5", "第1行第13列：比较不能连写（如 a < b < c），请用 and 连接两个比较"},
      {"revenu > 1", "第1行第1列：未知属性“revenu”，是否为“revenue”？"},
      {"scale in [\"规上\"] and\n  industry[2024] = \"C39\"",
       "第2行第11列：“industry”不是年度数据，不能带年份"},
      {"sum(revenue) > 1", "第1行第1列：未知函数“sum”（可用：growth、min、max、tiers、if）"},
      {"revenue[abc] > 1", "第1行第9列：此处应为年份（如 2024），而不是“abc”"},
      {"revenue > 1.2345678", "第1行第11列：数字“1.2345678”无效（最多6位小数，不超过约9.2万亿）"},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(ParseError(c.text), c.message) << c.text;
  }
}

TEST(RuleParseTest, HostileNestingAndLengthAreRefusedNotACrash) {
  std::string deep(5000, '(');
  deep += "1";
  deep += std::string(5000, ')');
  EXPECT_NE(ParseError(deep).find("表达式嵌套过深"), std::string::npos);
  // A long flat chain is as deep as it is long.
  std::string chain = "1";
  for (int i = 0; i < 1000; ++i) chain += " + 1";
  EXPECT_NE(ParseError(chain).find("表达式嵌套过深"), std::string::npos);
  // Chains inside nested parentheses add up.
  std::string nested = "1";
  for (int i = 0; i < 45; ++i) nested = "(" + nested + " + 1 + 1 + 1 + 1 + 1 + 1 + 1 + 1 + 1 + 1)";
  EXPECT_NE(ParseError(nested).find("表达式嵌套过深"), std::string::npos);
  std::string words = "revenue > 1";
  while (words.size() <= 20000) words += " or revenue > 1";
  EXPECT_EQ(ParseError(words), "第1行第1列：规则过长（最多20000个字节）");
  // 64 conditions joined by `and` are fine; the 65th is refused by the checker.
  std::string many = "revenue > 0";
  for (int i = 1; i < 64; ++i) many += " and revenue > " + std::to_string(i);
  EXPECT_TRUE(CheckPolicyRules({many, "1", 2024}).ok());
  EXPECT_EQ(
      ConditionError(many + " and employees > 0"),
      "资格条件第1行第" + std::to_string(many.size() + 6) + "列：并列条件过多（最多64个），请合并");
}

// ---- Checking at save time ----

TEST(RuleCheckTest, AcceptsTheRulesOfATypicalPolicy) {
  PolicyRules rules{
      "industry in [\"C34\", \"C35\", \"C39\"] and scale = \"规上\" and \"专精特新\" in "
      "certifications and growth(revenue) >= 10 and rd_spending / revenue * 100 >= 3 and "
      "founded < 2024-01-01 and unit = \"411302\"",
      "min(rd_spending * 0.1, 50万) + tiers(revenue, [[0, 0], [5000万, 10万], [1亿, 30万]])", 2024};
  EXPECT_TRUE(CheckPolicyRules(rules).ok());
}

TEST(RuleCheckTest, TypeMismatchesAreNamedWithBothSides) {
  EXPECT_EQ(ConditionError("scale > 3"),
            "资格条件第1行第1列：类型不符：“scale”是文本，“3”是数值，不能比较");
  EXPECT_EQ(ConditionError("revenue >= \"1000\""),
            "资格条件第1行第1列：类型不符：“revenue”是数值，“\"1000\"”是文本，不能比较");
  EXPECT_EQ(ConditionError("founded >= 2020"),
            "资格条件第1行第1列：类型不符：“founded”是日期，“2020”是数值，不能比较");
  EXPECT_EQ(ConditionError("industry > \"C39\""),
            "资格条件第1行第1列：文本只能比较是否相等（= 或 !=），不能用“>”");
  EXPECT_EQ(ConditionError("revenue > 1 and employees"),
            "资格条件第1行第17列：资格条件应为条件（如 revenue >= 1000万），这里是数值");
  EXPECT_EQ(ConditionError("revenue + scale > 1"),
            "资格条件第1行第11列：“+”两边应为数值，“scale”是文本");
  EXPECT_EQ(ConditionError("industry = scale"),
            "资格条件第1行第1列：“industry”与“scale”不是同一种属性，不能比较");
  EXPECT_EQ(ConditionError("certifications = \"专精特新\""),
            "资格条件第1行第1列：certifications 只能写在 in 的右边，如 \"专精特新\" in "
            "certifications");
}

TEST(RuleCheckTest, CodedValuesAreCheckedAgainstTheirLists) {
  EXPECT_EQ(ConditionError("scale = \"大型\""),
            "资格条件第1行第9列：未知企业规模“大型”（可选：规上、限上、小微）");
  EXPECT_EQ(ConditionError("industry in [\"C39\", \"C3\"]"),
            "资格条件第1行第21列：行业代码“C3”应为门类字母加两位大类代码，如“C39”（GB/T 4754）");
  EXPECT_EQ(ConditionError("\"专精特心\" in certifications")
                .rfind("资格条件第1行第1列：未知资质“专精特心”（可选：专精特新、", 0),
            0u);
  EXPECT_EQ(ConditionError("revenue[1980] > 0"),
            "资格条件第1行第1列：年份1980超出范围（1990—2100）");
  // The scale's code is accepted as well as its Chinese name.
  EXPECT_TRUE(CheckPolicyRules({"scale = \"above_quota\"", "1", 2024}).ok());
  // A caller's own certification list replaces the default one.
  CheckOptions own;
  own.certifications = {"四上企业"};
  EXPECT_TRUE(CheckPolicyRules({"\"四上企业\" in certifications", "1", 2024}, own).ok());
}

TEST(RuleCheckTest, BareFiguresNeedAPolicyBaseYear) {
  Status s = CheckPolicyRules({"revenue > 0", "1", 0});
  EXPECT_EQ(Reason(s, "eligibility"),
            "资格条件第1行第1列：政策未设定基准年度，请写明年份，如 revenue[2024]");
  EXPECT_TRUE(CheckPolicyRules({"revenue[2024] > 0", "1", 0}).ok());
}

TEST(RuleCheckTest, DivisionByAConstantZeroIsRefusedAtSaveTime) {
  EXPECT_EQ(AmountError("rd_spending / 0"), "金额公式第1行第15列：除数为0：“rd_spending / 0”");
  EXPECT_EQ(AmountError("rd_spending / (10 - 5 * 2)"),
            "金额公式第1行第15列：除数为0：“rd_spending / (10 - 5 * 2)”");
  // A divisor that is a figure is checked when evaluating (a data error), not here.
  EXPECT_TRUE(CheckPolicyRules({"", "rd_spending / employees", 2024}).ok());
}

TEST(RuleCheckTest, AmountFormulasMustBeNumbersWithWellFormedTiers) {
  EXPECT_EQ(AmountError(""), "金额公式第1行第1列：金额公式不能为空");
  EXPECT_EQ(AmountError("revenue > 1"),
            "金额公式第1行第1列：金额公式应为数值（元），这里是条件（真/假）");
  EXPECT_EQ(AmountError("tiers(revenue, [[0, 1], [0, 2]])"),
            "金额公式第1行第26列：档位的起点应严格递增");
  EXPECT_EQ(AmountError("tiers(revenue, [[0, rd_spending]])"),
            "金额公式第1行第21列：档位的起点和金额应为数字常量");
  EXPECT_EQ(AmountError("tiers(revenue, [0, 1])"),
            "金额公式第1行第17列：每一档应写为 [起点, 金额]");
  EXPECT_EQ(AmountError("min(revenue)"), "金额公式第1行第1列：min 至少需要两个参数，如 min(a, b)");
  EXPECT_EQ(AmountError("growth(revenue * 2)"),
            "金额公式第1行第1列：growth 的参数应为一项年度数据，如 growth(revenue)");
}

TEST(RuleCheckTest, BothFieldsAreReportedAtOnceAndNothingElse) {
  Status s = CheckPolicyRules({"scale > 3", "rd_spending / 0", 2024});
  ASSERT_EQ(s.code(), Code::kInvalidArgument);
  EXPECT_EQ(s.message(), "规则有误");
  ASSERT_EQ(s.details().size(), 2u);
  EXPECT_EQ(s.details()[0].field, "eligibility");
  EXPECT_EQ(s.details()[1].field, "amount");
  std::vector<RuleError> errors = DiagnosePolicyRules({"revenue > 1 and\n  scale > 3", "1", 2024});
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].pos.line, 2);
  EXPECT_EQ(errors[0].pos.column, 3);
  EXPECT_EQ(errors[0].begin, 18);
  EXPECT_EQ(errors[0].end, 27);
}

TEST(RuleCheckTest, ColumnsCountCharactersNotBytes) {
  // "营业收入" is 4 characters (12 bytes): the unknown name starts at column 14.
  EXPECT_EQ(ConditionError("营业收入 > 0 and 规模x = \"规上\""),
            "资格条件第1行第14列：未知属性“规模x”，是否为“规模”？");
  EXPECT_EQ(ConditionError("营业收入 > 0 and 注册资本 > 0"),
            "资格条件第1行第14列：未知属性“注册资本”（可用：industry、scale、certifications、unit、"
            "founded、revenue、tax_paid、rd_spending、employees）");
}

// ---- Evaluation ----

TEST(RuleEvaluateTest, AMatchListsEveryConditionItMetAndItsAmount) {
  Matching r(
      "industry in [\"C34\", \"C39\"] and scale = \"规上\" and \"专精特新\" in certifications",
      "100000", Firm());
  EXPECT_EQ(r.out.outcome, Outcome::kMatched);
  EXPECT_EQ(r.Met(), (Texts{"industry in [\"C34\", \"C39\"]", "scale = \"规上\"",
                            "\"专精特新\" in certifications"}));
  EXPECT_EQ(r.out.failed, 0u);
  EXPECT_EQ(r.out.amount, D("100000"));
}

TEST(RuleEvaluateTest, AnEmptyEligibilityMatchesEveryone) {
  Matching r("", "5000", Firm());
  EXPECT_EQ(r.out.outcome, Outcome::kMatched);
  EXPECT_EQ(r.out.amount, D("5000"));
}

TEST(RuleEvaluateTest, FiguresOfTheBaseYearOfAGivenYearAndGrowth) {
  // 2024 revenue 1亿, 2023 8000万: growth 25%.
  EXPECT_EQ(Matching("revenue = 1亿", "1", Firm()).out.outcome, Outcome::kMatched);
  EXPECT_EQ(Matching("revenue[2023] = 8000万", "1", Firm()).out.outcome, Outcome::kMatched);
  EXPECT_EQ(Matching("growth(revenue) = 25", "1", Firm()).out.outcome, Outcome::kMatched);
  EXPECT_EQ(Matching("growth(revenue) >= 25.000001", "1", Firm()).out.outcome, Outcome::kNearMiss);
  EXPECT_EQ(Matching("增速(营业收入[2024]) > 24.9", "1", Firm()).out.outcome, Outcome::kMatched);
  EXPECT_EQ(Matching("rd_spending / revenue * 100 >= 5", "1", Firm()).out.outcome,
            Outcome::kMatched);
}

TEST(RuleEvaluateTest, DatesCompareByDay) {
  EXPECT_EQ(Matching("founded = 2015-03-18", "1", Firm()).out.outcome, Outcome::kMatched);
  EXPECT_EQ(Matching("founded > 2015-03-18", "1", Firm()).out.outcome, Outcome::kNearMiss);
  EXPECT_EQ(Matching("founded >= 2015-03-18 and founded < 2015-03-19", "1", Firm()).out.outcome,
            Outcome::kMatched);
}

TEST(RuleEvaluateTest, AnEnterpriseWithoutTheFigureIsDataMissingNeitherMatchedNorDropped) {
  Enterprise e = Firm();
  e.years[2024].rd_spending.reset();
  Matching r("scale = \"规上\" and rd_spending >= 100万", "100000", e);
  EXPECT_EQ(r.out.outcome, Outcome::kDataMissing);
  EXPECT_EQ(r.out.missing_attributes, Texts{"rd_spending[2024]"});
  EXPECT_EQ(ConditionTexts(r.policy, r.out.missing), Texts{"rd_spending >= 100万"});
  EXPECT_EQ(r.Met(), Texts{"scale = \"规上\""});
  EXPECT_FALSE(r.out.amount.has_value());
  EXPECT_EQ(AttributeLabel(r.out.missing_attributes[0]), "2024年研发投入（rd_spending[2024]）");
}

TEST(RuleEvaluateTest, GrowthWithoutThePreviousYearNamesThatYear) {
  Enterprise e = Firm();
  e.years.erase(2023);
  Matching r("growth(revenue) >= 10", "1", e);
  EXPECT_EQ(r.out.outcome, Outcome::kDataMissing);
  EXPECT_EQ(r.out.missing_attributes, Texts{"revenue[2023]"});
}

TEST(RuleEvaluateTest, MissingTextAttributesAreDataMissingToo) {
  Enterprise e = Firm();
  e.industry.clear();
  e.scale.reset();
  e.founded.reset();
  Matching r("industry = \"C34\" and scale = \"规上\" and founded < 2020-01-01", "1", e);
  EXPECT_EQ(r.out.outcome, Outcome::kDataMissing);
  EXPECT_EQ(r.out.missing_attributes, (Texts{"founded", "industry", "scale"}));
  EXPECT_EQ(AttributeLabel("scale"), "企业规模（scale）");
  // No certification is never "missing": it is simply not held.
  Enterprise none = Firm();
  none.certifications.clear();
  EXPECT_EQ(Matching("\"专精特新\" in certifications", "1", none).out.outcome, Outcome::kNearMiss);
}

TEST(RuleEvaluateTest, AFailingConditionOutweighsMissingData) {
  Enterprise e = Firm();
  e.years[2024].rd_spending.reset();
  // One condition fails and another lacks data: not a near-miss (it might fail too).
  Matching r("scale = \"小微\" and rd_spending >= 100万", "1", e);
  EXPECT_EQ(r.out.outcome, Outcome::kNotMatched);
  EXPECT_EQ(r.Failed(), Texts{"scale = \"小微\""});
  EXPECT_EQ(r.out.missing_attributes, Texts{"rd_spending[2024]"});
}

TEST(RuleEvaluateTest, OrIsDecidedByAKnownTrueSideDespiteMissingData) {
  Enterprise e = Firm();
  e.years[2024].rd_spending.reset();
  EXPECT_EQ(Matching("(rd_spending > 1 or scale = \"规上\")", "1", e).out.outcome,
            Outcome::kMatched);
  EXPECT_EQ(Matching("(rd_spending > 1 or scale = \"小微\")", "1", e).out.outcome,
            Outcome::kDataMissing);
  EXPECT_EQ(Matching("not (rd_spending > 1 and scale = \"小微\")", "1", e).out.outcome,
            Outcome::kMatched);
}

TEST(RuleEvaluateTest, ANearMissNamesTheSingleFailingCondition) {
  Matching r("industry in [\"C34\"] and employees >= 300 and \"专精特新\" in certifications",
             "200000", Firm());
  EXPECT_EQ(r.out.outcome, Outcome::kNearMiss);
  EXPECT_EQ(r.Failed(), Texts{"employees >= 300"});
  EXPECT_EQ(r.Met(), (Texts{"industry in [\"C34\"]", "\"专精特新\" in certifications"}));
  // What it would have received.
  EXPECT_EQ(r.out.amount, D("200000"));
}

TEST(RuleEvaluateTest, AParenthesisedOrCountsAsOneCondition) {
  Matching r("scale = \"规上\" and (employees >= 300 or revenue >= 2亿)", "1", Firm());
  EXPECT_EQ(r.out.outcome, Outcome::kNearMiss);
  EXPECT_EQ(r.Failed(), Texts{"(employees >= 300 or revenue >= 2亿)"});
}

TEST(RuleEvaluateTest, TwoFailingConditionsAreNotAMatch) {
  Matching r("scale = \"小微\" and employees >= 300 and revenue > 0", "1", Firm());
  EXPECT_EQ(r.out.outcome, Outcome::kNotMatched);
  EXPECT_EQ(r.Failed(), (Texts{"scale = \"小微\"", "employees >= 300"}));
  EXPECT_FALSE(r.out.amount.has_value());
}

TEST(RuleEvaluateTest, DivisionByAZeroFigureIsADataError) {
  Enterprise e = Firm();
  e.years[2024].employees = D("0");
  Matching cond("revenue / employees >= 10000", "1", e);
  EXPECT_EQ(cond.out.outcome, Outcome::kDataError);
  EXPECT_EQ(cond.out.error, "除数为0：revenue / employees");
  Matching amount("", "rd_spending / employees * 100", e);
  EXPECT_EQ(amount.out.outcome, Outcome::kDataError);
  EXPECT_EQ(amount.out.error, "除数为0：rd_spending / employees");
  e.years[2023].revenue = D("0");
  EXPECT_EQ(Matching("growth(revenue) > 0", "1", e).out.error,
            "上年数值为0，无法计算增速：growth(revenue)");
}

TEST(RuleEvaluateTest, OutcomesHaveStableNamesAndChineseLabels) {
  EXPECT_STREQ(OutcomeName(Outcome::kDataMissing), "data_missing");
  EXPECT_STREQ(OutcomeLabel(Outcome::kDataMissing), "数据缺失");
  EXPECT_STREQ(OutcomeName(Outcome::kNearMiss), "near_miss");
  EXPECT_STREQ(OutcomeLabel(Outcome::kNearMiss), "差一项");
}

TEST(RuleEvaluateTest, AnErrorOnTheUndecidingSideOfAnOrIsNoError) {
  Enterprise e = Firm();
  e.years[2024].employees = D("0");
  Matching r("(revenue / employees > 1 or scale = \"规上\") and revenue > 0", "1", e);
  EXPECT_EQ(r.out.outcome, Outcome::kMatched);
  EXPECT_EQ(r.out.error, "");
}

TEST(RuleEvaluateTest, TheDataErrorNamedIsTheOneOfTheConditionThatCouldNotBeComputed) {
  Enterprise e = Firm();
  e.years[2024].employees = D("0");
  e.years[2024].rd_spending = D("0");
  Matching r("(revenue / employees > 1 or scale = \"规上\") and tax_paid / rd_spending > 1", "1",
             e);
  EXPECT_EQ(r.out.outcome, Outcome::kDataError);
  EXPECT_EQ(r.out.errored, 2u);
  EXPECT_EQ(r.out.error, "除数为0：tax_paid / rd_spending");
}

TEST(RuleEvaluateTest, ARuleOfOneConditionMakesEveryNonMatchANearMiss) {
  Enterprise e = Firm();
  e.certifications.clear();
  Matching r("\"专精特新\" in certifications", "1", e);
  EXPECT_EQ(r.out.outcome, Outcome::kNearMiss);
  EXPECT_EQ(r.Failed(), Texts{"\"专精特新\" in certifications"});
}

TEST(RuleEvaluateTest, TextValuesNoRuleNamesAreUnequalToEveryLiteral) {
  Enterprise e = Firm();
  e.industry = "C99";  // never mentioned in a rule: gets no id, but is not missing
  EXPECT_EQ(Matching("industry != \"C34\"", "1", e).out.outcome, Outcome::kMatched);
  EXPECT_EQ(Matching("industry in [\"C34\", \"C39\"]", "1", e).out.outcome, Outcome::kNearMiss);
}

// A firm registered in a town (41130201) of 宛城区 (411302), in 南阳市 (4113).
Enterprise TownFirm() {
  Enterprise e = Firm();
  e.unit_code = "41130201";
  e.unit_ancestors = {"4113", "411302"};
  return e;
}

TEST(RuleEvaluateTest, AUnitMeansThatUnitAndEveryUnitUnderIt) {
  Enterprise town = TownFirm();
  EXPECT_EQ(Matching("unit = \"411302\"", "1", town).out.outcome, Outcome::kMatched);
  EXPECT_EQ(Matching("unit = \"41130201\"", "1", town).out.outcome, Outcome::kMatched);
  EXPECT_EQ(Matching("\"4113\" = unit", "1", town).out.outcome, Outcome::kMatched);
  EXPECT_EQ(Matching("unit = \"411303\"", "1", town).out.outcome, Outcome::kNearMiss);
  // A unit below the firm's does not hold the firm.
  EXPECT_EQ(Matching("unit = \"4113020101\"", "1", town).out.outcome, Outcome::kNearMiss);
  EXPECT_EQ(Matching("unit = \"41130201\"", "1", Firm()).out.outcome, Outcome::kNearMiss);
}

TEST(RuleEvaluateTest, UnitNotEqualExcludesTheWholeSubtree) {
  Enterprise town = TownFirm();
  EXPECT_EQ(Matching("unit != \"411302\"", "1", town).out.outcome, Outcome::kNearMiss);
  EXPECT_EQ(Matching("not unit = \"411302\"", "1", town).out.outcome, Outcome::kNearMiss);
  EXPECT_EQ(Matching("unit != \"411303\"", "1", town).out.outcome, Outcome::kMatched);
}

TEST(RuleEvaluateTest, UnitInAListHoldsForTheSubtreeOfAnyListedUnit) {
  Enterprise town = TownFirm();
  EXPECT_EQ(Matching("unit in [\"411303\", \"411302\"]", "1", town).out.outcome,
            Outcome::kMatched);
  EXPECT_EQ(Matching("unit in [\"411303\", \"411321\"]", "1", town).out.outcome,
            Outcome::kNearMiss);
  EXPECT_EQ(Matching("not unit in [\"411302\"] and revenue > 0", "1", town).Failed(),
            Texts{"not unit in [\"411302\"]"});
}

TEST(RuleEvaluateTest, AnEnterpriseWithoutAUnitIsDataMissingForUnitRules) {
  Enterprise e = TownFirm();
  e.unit_code.clear();  // ancestors without a unit are ignored
  Matching eq("unit = \"411302\"", "1", e);
  EXPECT_EQ(eq.out.outcome, Outcome::kDataMissing);
  EXPECT_EQ(eq.out.missing_attributes, Texts{"unit"});
  EXPECT_EQ(Matching("unit in [\"4113\"]", "1", e).out.outcome, Outcome::kDataMissing);
  EXPECT_EQ(Matching("unit != \"4113\"", "1", e).out.outcome, Outcome::kDataMissing);
}

TEST(RuleEvaluateTest, UnitSubtreeTestsWorkInBranchesAndAmounts) {
  Enterprise town = TownFirm();
  Matching r("revenue > 0", "if(unit = \"411302\", 20万, 5万)", town);
  EXPECT_EQ(r.out.amount, D("200000"));
  Matching o("unit = \"411303\" or unit in [\"4113\"]", "1", town);
  EXPECT_EQ(o.out.outcome, Outcome::kMatched);
}

TEST(RuleEvaluateTest, PoliciesOfOneRunShareTheLayout) {
  Layout layout;
  Result<Policy> a = CompilePolicy({"industry = \"C34\" and revenue > 0", "1", 2024}, layout);
  Result<Policy> b =
      CompilePolicy({"industry = \"C39\" and revenue[2023] > 0", "rd_spending", 2023}, layout);
  ASSERT_TRUE(a.ok() && b.ok());
  Facts f = layout.Flatten(Firm());
  Evaluation out;
  Evaluate(*a, f, out);
  EXPECT_EQ(out.outcome, Outcome::kMatched);
  Evaluate(*b, f, out);
  EXPECT_EQ(out.outcome, Outcome::kNearMiss);
  EXPECT_EQ(out.amount, D("4000000"));  // rd_spending of its base year 2023
}

// ---- Amount formulas ----

TEST(RuleAmountTest, AShareOfAFigureWithACap) {
  // 10% of R&D spending (500万 → 50万), capped at 30万.
  EXPECT_EQ(Matching("", "min(rd_spending * 0.1, 300000)", Firm()).out.amount, D("300000"));
  EXPECT_EQ(Matching("", "min(rd_spending * 0.1, 600000)", Firm()).out.amount, D("500000"));
  EXPECT_EQ(Matching("", "max(rd_spending * 0.01, 80000)", Firm()).out.amount, D("80000"));
}

TEST(RuleAmountTest, TiersStartAtTheirLowerBoundInclusive) {
  const char* tiers = "tiers(revenue, [[5000万, 100000], [1亿, 300000], [2亿, 500000]])";
  auto amount = [&](const char* revenue) {
    Enterprise e = Firm();
    e.years[2024].revenue = D(revenue);
    return Matching("", tiers, e).out.amount;
  };
  EXPECT_EQ(amount("49999999.99"), D("0"));    // below the first tier: 0
  EXPECT_EQ(amount("50000000"), D("100000"));  // a lower bound belongs to its tier
  EXPECT_EQ(amount("99999999.99"), D("100000"));
  EXPECT_EQ(amount("100000000"), D("300000"));
  EXPECT_EQ(amount("200000000"), D("500000"));
  EXPECT_EQ(amount("900000000"), D("500000"));  // the last tier has no upper bound
}

TEST(RuleAmountTest, ArithmeticIsExactAndTheResultRoundsToTheFen) {
  // 500万 / 3 = 1666666.666667 → 1666666.67 元.
  EXPECT_EQ(Matching("", "rd_spending / 3", Firm()).out.amount, D("1666666.67"));
  EXPECT_EQ(Matching("", "(tax_paid - tax_paid[2023]) * 0.5 + 1000", Firm()).out.amount,
            D("301000"));
  EXPECT_EQ(
      Matching("", "if(\"高新技术企业\" in certifications, 200000, 50000)", Firm()).out.amount,
      D("200000"));
}

TEST(RuleAmountTest, AMissingFigureInTheFormulaIsDataMissing) {
  Enterprise e = Firm();
  e.years[2024].rd_spending.reset();
  Matching r("scale = \"规上\"", "min(rd_spending * 0.1, 500000)", e);
  EXPECT_EQ(r.out.outcome, Outcome::kDataMissing);
  EXPECT_TRUE(r.out.amount_missing);
  EXPECT_EQ(r.out.missing, 0u);
  EXPECT_EQ(r.out.missing_attributes, Texts{"rd_spending[2024]"});
}

TEST(RuleAmountTest, ANegativeAmountIsADataError) {
  Matching r("", "tax_paid[2023] - tax_paid", Firm());
  EXPECT_EQ(r.out.outcome, Outcome::kDataError);
  EXPECT_EQ(r.out.error, "金额为负数：tax_paid[2023] - tax_paid");
}

// ---- Budget cap ----

std::vector<AwardRequest> Requests() {
  return {{3, D("300000")}, {1, D("100000")}, {2, D("300000")}, {4, D("50000")}};
}

std::vector<std::pair<int64_t, Decimal>> Granted(const std::vector<Award>& awards) {
  std::vector<std::pair<int64_t, Decimal>> out;
  for (const Award& a : awards) out.emplace_back(a.enterprise_id, a.granted);
  return out;
}

TEST(BudgetTest, WithoutABudgetOrWhenItSufficesEveryoneGetsTheFullAmount) {
  using G = std::vector<std::pair<int64_t, Decimal>>;
  G full{{2, D("300000")}, {3, D("300000")}, {1, D("100000")}, {4, D("50000")}};
  EXPECT_EQ(Granted(ApplyBudget(Requests(), std::nullopt, BudgetMode::kOrder)), full);
  EXPECT_EQ(Granted(ApplyBudget(Requests(), D("750000"), BudgetMode::kProRata)), full);
}

TEST(BudgetTest, InOrderTheLargestComeFirstTiesBySmallerIdAndTheLastIsPartial) {
  std::vector<Award> a = ApplyBudget(Requests(), D("650000"), BudgetMode::kOrder);
  using G = std::vector<std::pair<int64_t, Decimal>>;
  EXPECT_EQ(Granted(a), (G{{2, D("300000")}, {3, D("300000")}, {1, D("50000")}, {4, D("0")}}));
  EXPECT_EQ(a[2].requested, D("100000"));
  // No skipping ahead: enterprise 4 (5万) would fit in what 1 leaves, but comes after it.
}

TEST(BudgetTest, ProRataScalesEveryoneAndSumsToTheBudgetExactly) {
  // 750000 requested, 500000 available: 2/3 each; 分 left over go to the largest remainders.
  std::vector<Award> a = ApplyBudget(Requests(), D("500000"), BudgetMode::kProRata);
  using G = std::vector<std::pair<int64_t, Decimal>>;
  EXPECT_EQ(Granted(a),
            (G{{2, D("200000")}, {3, D("200000")}, {1, D("66666.67")}, {4, D("33333.33")}}));
  Decimal sum;
  for (const Award& x : a) sum += x.granted;
  EXPECT_EQ(sum, D("500000"));
}

TEST(BudgetTest, ProRataRemainderTiesGoToTheLargerRequestThenTheSmallerId) {
  // Three equal requests of 1.00 with a budget of 2.00: 0.66 each and 2 分 over → ids 1, 2.
  std::vector<Award> a =
      ApplyBudget({{3, D("1")}, {1, D("1")}, {2, D("1")}}, D("2"), BudgetMode::kProRata);
  using G = std::vector<std::pair<int64_t, Decimal>>;
  EXPECT_EQ(Granted(a), (G{{1, D("0.67")}, {2, D("0.67")}, {3, D("0.66")}}));
}

TEST(BudgetTest, InOrderAnExactFitIsGrantedInFullAndAZeroBudgetGrantsNothing) {
  using G = std::vector<std::pair<int64_t, Decimal>>;
  EXPECT_EQ(Granted(ApplyBudget(Requests(), D("700000"), BudgetMode::kOrder)),
            (G{{2, D("300000")}, {3, D("300000")}, {1, D("100000")}, {4, D("0")}}));
  EXPECT_EQ(Granted(ApplyBudget(Requests(), D("0"), BudgetMode::kOrder)),
            (G{{2, D("0")}, {3, D("0")}, {1, D("0")}, {4, D("0")}}));
  EXPECT_EQ(Granted(ApplyBudget(Requests(), D("0"), BudgetMode::kProRata)),
            (G{{2, D("0")}, {3, D("0")}, {1, D("0")}, {4, D("0")}}));
  EXPECT_TRUE(ApplyBudget({}, D("100"), BudgetMode::kProRata).empty());
}

TEST(BudgetTest, ProRataNeverGrantsMoreThanRequestedOrThanTheBudget) {
  std::mt19937 rng(42);
  for (int round = 0; round < 200; ++round) {
    std::vector<AwardRequest> r;
    int n = 1 + static_cast<int>(rng() % 30);
    for (int i = 0; i < n; ++i) {
      r.push_back(
          {static_cast<int64_t>(rng() % 1000), Decimal::FromRaw((rng() % 10'000'000) * 10'000)});
    }
    Decimal budget = Decimal::FromRaw((rng() % 50'000'000) * 10'000);
    Decimal requested, granted;
    for (const Award& a : ApplyBudget(r, budget, BudgetMode::kProRata)) {
      EXPECT_LE(a.granted, a.requested);
      EXPECT_GE(a.granted, Decimal());
      requested += a.requested;
      granted += a.granted;
    }
    EXPECT_EQ(granted, std::min(requested, budget)) << "round " << round;
  }
}

TEST(BudgetTest, TheResultDoesNotDependOnTheInputOrder) {
  std::vector<AwardRequest> r = Requests();
  std::vector<AwardRequest> reversed(r.rbegin(), r.rend());
  for (BudgetMode m : {BudgetMode::kOrder, BudgetMode::kProRata}) {
    EXPECT_EQ(Granted(ApplyBudget(r, D("420000.5"), m)),
              Granted(ApplyBudget(reversed, D("420000.5"), m)));
  }
}

// ---- Round trip of random trees ----

// Builds random well-formed trees of every kind the parser produces.
class TreeMaker {
 public:
  explicit TreeMaker(uint32_t seed) : rng_(seed) {}

  Expr Any(int depth) {
    int k = Pick(depth <= 0 ? 5 : 11);
    switch (k) {
      case 0:
        return Number();
      case 1: {
        Expr e;
        e.kind = ExprKind::kText;
        static const char* kTexts[] = {"C39", "规上", "专精特新", "411302", "a b"};
        e.text = kTexts[Pick(5)];
        return e;
      }
      case 2: {
        Expr e;
        e.kind = ExprKind::kDate;
        e.date = CivilDate{2000 + Pick(30), 1 + Pick(12), 1 + Pick(28)};
        return e;
      }
      case 3: {
        Expr e;
        e.kind = ExprKind::kAttribute;
        static const char* kAttrs[] = {"industry", "scale", "certifications", "unit", "founded"};
        e.text = kAttrs[Pick(5)];
        return e;
      }
      case 4: {
        Expr e;
        e.kind = ExprKind::kFigure;
        static const char* kFigs[] = {"revenue", "tax_paid", "rd_spending", "employees"};
        e.text = kFigs[Pick(4)];
        e.year = Pick(2) ? 0 : 2015 + Pick(10);
        return e;
      }
      case 5:
      case 6: {
        Expr e;
        e.kind = ExprKind::kBinary;
        static const Op kOps[] = {Op::kOr, Op::kAnd, Op::kEq,  Op::kNe,  Op::kLt,  Op::kLe, Op::kGt,
                                  Op::kGe, Op::kIn,  Op::kAdd, Op::kSub, Op::kMul, Op::kDiv};
        e.op = kOps[Pick(13)];
        e.args.push_back(Any(depth - 1));
        e.args.push_back(Any(depth - 1));
        return e;
      }
      case 7: {
        Expr e;
        e.kind = ExprKind::kUnary;
        e.op = Pick(2) ? Op::kNot : Op::kNeg;
        e.args.push_back(Any(depth - 1));
        return e;
      }
      case 8: {
        Expr e;
        e.kind = ExprKind::kList;
        int n = Pick(4);
        for (int i = 0; i < n; ++i) e.args.push_back(Any(depth - 1));
        return e;
      }
      default: {
        Expr e;
        e.kind = ExprKind::kCall;
        static const char* kFns[] = {"growth", "min", "max", "tiers", "if"};
        e.text = kFns[Pick(5)];
        int n = Pick(4);
        for (int i = 0; i < n; ++i) e.args.push_back(Any(depth - 1));
        return e;
      }
    }
  }

 private:
  int Pick(int n) { return static_cast<int>(rng_() % static_cast<uint32_t>(n)); }
  Expr Number() {
    Expr e;
    e.kind = ExprKind::kNumber;
    static const char* kNumbers[] = {"0",    "1",        "10",         "0.5",
                                     "2000", "20000000", "123.456789", "2024"};
    e.number = *Decimal::Parse(kNumbers[Pick(8)]);
    return e;
  }
  std::mt19937 rng_;
};

TEST(RuleRoundTripTest, RandomTreesPrintAndParseBackToTheSameTree) {
  for (uint32_t seed = 1; seed <= 3000; ++seed) {
    TreeMaker maker(seed);
    Expr tree = maker.Any(1 + static_cast<int>(seed % 6));
    std::string text = Print(tree);
    Result<Expr> back = ParseExpression(text);
    ASSERT_TRUE(back.ok()) << "seed " << seed << ": " << text << ": " << back.status().message();
    ASSERT_TRUE(SameTree(tree, *back)) << "seed " << seed << ": " << text << " → " << Print(*back);
    EXPECT_EQ(Print(*back), text);
  }
}

TEST(RuleRoundTripTest, RandomTextIsAnsweredWithAnErrorOrARuleNeverACrash) {
  static const char* kPieces[] = {"revenue",
                                  "growth(",
                                  "tiers(",
                                  "[[",
                                  "]]",
                                  "[",
                                  "]",
                                  "(",
                                  ")",
                                  ",",
                                  " and ",
                                  " or ",
                                  "not ",
                                  " in ",
                                  "certifications",
                                  "\"专精特新\"",
                                  "“规上”",
                                  "scale",
                                  "=",
                                  ">=",
                                  "<",
                                  "!=",
                                  "-",
                                  "+",
                                  "*",
                                  "/",
                                  "0",
                                  "1.5",
                                  "2000万",
                                  "2024-02-29",
                                  "[2023]",
                                  "min(",
                                  "if(",
                                  "\"",
                                  "\xe4\xb8",
                                  "\xff",
                                  "（",
                                  "营业收入",
                                  " ",
                                  "\n",
                                  "founded",
                                  "industry",
                                  "\"C39\""};
  std::mt19937 rng(2026);
  int accepted = 0;
  for (int round = 0; round < 5000; ++round) {
    std::string text;
    int n = 1 + static_cast<int>(rng() % 12);
    for (int i = 0; i < n; ++i) text += kPieces[rng() % std::size(kPieces)];
    for (const PolicyRules& rules : {PolicyRules{text, "1", 2024}, PolicyRules{"", text, 2024}}) {
      Layout layout;
      Result<Policy> p = CompilePolicy(rules, layout);
      if (!p.ok()) {
        ASSERT_EQ(p.status().details().size(), 1u) << text;
        EXPECT_NE(p.status().details()[0].reason.find("列："), std::string::npos) << text;
        continue;
      }
      ++accepted;
      Evaluation out;
      Evaluate(*p, layout.Flatten(Firm()), out);
      Evaluate(*p, layout.Flatten(Enterprise()), out);
    }
  }
  EXPECT_GT(accepted, 50);  // the pieces do form valid rules now and then
}

TEST(RuleRoundTripTest, ACheckedRuleMeansTheSameAfterPrinting) {
  const char* text =
      "industry in [\"C34\"] and (scale = \"规上\" or employees >= 300) and not founded > "
      "2020-01-01 and growth(revenue) - 5 * 2 >= 10";
  Enterprise e = Firm();
  Matching original(text, "1", e);
  Matching printed(Print(*ParseExpression(text)), "1", e);
  EXPECT_EQ(original.out.outcome, Outcome::kMatched);
  EXPECT_EQ(printed.out.outcome, original.out.outcome);
}

}  // namespace
}  // namespace tiaodu::benefits
