#include "projects/rules.h"

#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/period.h"

namespace tiaodu::projects {
namespace {

// ---- Helpers ----

Decimal D(std::string_view text) {
  Result<Decimal> d = Decimal::Parse(text);
  EXPECT_TRUE(d.ok()) << text << ": " << d.status().message();
  return d.value_or(Decimal());
}

CivilDate Date(std::string_view iso) {
  Result<CivilDate> d = ParseIsoDate(iso);
  EXPECT_TRUE(d.ok()) << iso;
  return d.value_or(CivilDate{2000, 1, 1});
}

std::string Iso(const CivilDate& d) { return FormatIsoDate(d); }

// A registry entry as a district would enter it.
Project ValidProject() {
  Project p;
  p.id = 1;
  p.code = "WL2024-001";
  p.name = "卧龙区新能源电池产业园";
  p.level = "city";
  p.category = "industry";
  p.industry = "C38";
  p.unit_id = 10;
  p.total_investment = D("50");
  p.start_year = 2024;
  p.end_year = 2026;
  p.committed_completion = Date("2026-06-30");
  p.annual_plans = {{2024, D("10")}, {2025, D("25")}, {2026, D("15")}};
  return p;
}

bool HasDetail(const Status& s, std::string_view field) {
  for (const Detail& d : s.details()) {
    if (d.field == field) return true;
  }
  return false;
}

std::string DetailReason(const Status& s, std::string_view field) {
  for (const Detail& d : s.details()) {
    if (d.field == field) return d.reason;
  }
  return "";
}

Milestone Ms(std::string name, std::optional<std::string> planned,
             std::optional<std::string> actual = std::nullopt) {
  Milestone m;
  m.name = std::move(name);
  if (planned) m.planned = Date(*planned);
  if (actual) m.actual = Date(*actual);
  return m;
}

Progress Report(std::string month, std::string_view amount) {
  Progress r;
  r.project_id = 1;
  r.month = std::move(month);
  r.amount = D(amount);
  return r;
}

// ---- CheckProject ----

TEST(CheckProjectTest, AcceptsAWellFormedProject) {
  EXPECT_TRUE(CheckProject(ValidProject()).ok());
}

TEST(CheckProjectTest, IndustryAndCommittedCompletionAreOptional) {
  Project p = ValidProject();
  p.industry = "";
  p.committed_completion.reset();
  p.annual_plans.clear();
  EXPECT_TRUE(CheckProject(p).ok());
}

struct FieldCase {
  const char* what;
  void (*mutate)(Project&);
  const char* field;  // nullptr: the project must be accepted
};

class CheckProjectFieldTest : public ::testing::TestWithParam<FieldCase> {};

TEST_P(CheckProjectFieldTest, NamesTheBadFieldOrAcceptsTheEdgeValue) {
  const FieldCase& c = GetParam();
  Project p = ValidProject();
  c.mutate(p);
  Status s = CheckProject(p);
  if (c.field == nullptr) {
    EXPECT_TRUE(s.ok()) << c.what << ": " << s.message()
                        << (s.details().empty()
                                ? ""
                                : " / " + s.details()[0].field + ": " + s.details()[0].reason);
    return;
  }
  ASSERT_FALSE(s.ok()) << c.what;
  EXPECT_EQ(s.code(), Code::kInvalidArgument) << c.what;
  EXPECT_TRUE(HasDetail(s, c.field)) << c.what << ": expected a detail on " << c.field;
  EXPECT_EQ(s.details().size(), 1u) << c.what << ": only the bad field is named";
  for (const Detail& d : s.details()) EXPECT_FALSE(d.reason.empty()) << c.what;
}

INSTANTIATE_TEST_SUITE_P(
    Fields, CheckProjectFieldTest,
    ::testing::Values(
        // code: 1–32 of [A-Za-z0-9-]
        FieldCase{"empty code", [](Project& p) { p.code = ""; }, "code"},
        FieldCase{"33-char code", [](Project& p) { p.code = std::string(33, 'A'); }, "code"},
        FieldCase{"32-char code", [](Project& p) { p.code = std::string(32, 'A'); }, nullptr},
        FieldCase{"code with a space", [](Project& p) { p.code = "WL 2024"; }, "code"},
        FieldCase{"code with an underscore", [](Project& p) { p.code = "WL_2024"; }, "code"},
        FieldCase{"code with Chinese", [](Project& p) { p.code = "卧龙001"; }, "code"},
        FieldCase{"lower-case code", [](Project& p) { p.code = "wl2024-001"; }, nullptr},
        // name: 1–200 bytes
        FieldCase{"empty name", [](Project& p) { p.name = ""; }, "name"},
        FieldCase{"blank name", [](Project& p) { p.name = "   "; }, "name"},
        FieldCase{"201-byte name", [](Project& p) { p.name = std::string(201, 'x'); }, "name"},
        FieldCase{"200-byte name", [](Project& p) { p.name = std::string(200, 'x'); }, nullptr},
        // level, category
        FieldCase{"unknown level", [](Project& p) { p.level = "county"; }, "level"},
        FieldCase{"Chinese level", [](Project& p) { p.level = "市重点"; }, "level"},
        FieldCase{"province level", [](Project& p) { p.level = "province"; }, nullptr},
        FieldCase{"unknown category", [](Project& p) { p.category = "tourism"; }, "category"},
        FieldCase{"urban renewal", [](Project& p) { p.category = "urban_renewal"; }, nullptr},
        // industry: GB/T 4754 section A–T + a division of that section
        FieldCase{"one-digit division", [](Project& p) { p.industry = "C3"; }, "industry"},
        FieldCase{"lower-case section", [](Project& p) { p.industry = "c39"; }, "industry"},
        FieldCase{"section U", [](Project& p) { p.industry = "U01"; }, "industry"},
        FieldCase{"division of another section", [](Project& p) { p.industry = "A39"; },
                  "industry"},
        FieldCase{"first division of A", [](Project& p) { p.industry = "A01"; }, nullptr},
        FieldCase{"last division of C", [](Project& p) { p.industry = "C43"; }, nullptr},
        FieldCase{"section T", [](Project& p) { p.industry = "T97"; }, nullptr},
        // total investment: (0, 10000] 亿元
        FieldCase{"zero investment", [](Project& p) { p.total_investment = D("0"); },
                  "total_investment"},
        FieldCase{"negative investment", [](Project& p) { p.total_investment = D("-5"); },
                  "total_investment"},
        FieldCase{"absurd investment",
                  [](Project& p) {
                    p.total_investment = D("10000.000001");
                    p.annual_plans.clear();
                  },
                  "total_investment"},
        FieldCase{"a total of exactly 10000 is accepted",
                  [](Project& p) { p.total_investment = D("10000"); }, nullptr},
        FieldCase{"a tiny project",
                  [](Project& p) {
                    p.total_investment = D("0.01");
                    p.annual_plans.clear();
                  },
                  nullptr},
        // years: 2000 <= start <= end <= start + 15
        FieldCase{"start year 1999",
                  [](Project& p) {
                    p.start_year = 1999;
                    p.end_year = 2001;
                    p.annual_plans.clear();
                    p.committed_completion.reset();
                  },
                  "start_year"},
        FieldCase{"end year before start year",
                  [](Project& p) {
                    p.end_year = 2023;
                    p.annual_plans.clear();
                    p.committed_completion.reset();
                  },
                  "end_year"},
        FieldCase{"one-year project",
                  [](Project& p) {
                    p.end_year = 2024;
                    p.annual_plans = {{2024, D("50")}};
                    p.committed_completion = Date("2024-12-31");
                  },
                  nullptr},
        FieldCase{"16 years after start", [](Project& p) { p.end_year = 2040; }, "end_year"},
        FieldCase{"15 years after start", [](Project& p) { p.end_year = 2039; }, nullptr},
        // annual plans
        FieldCase{"plan before the start year",
                  [](Project& p) {
                    p.annual_plans = {{2023, D("1")}};
                  },
                  "annual_plans.2023"},
        FieldCase{"plan after the end year",
                  [](Project& p) {
                    p.annual_plans = {{2027, D("1")}};
                  },
                  "annual_plans.2027"},
        FieldCase{"negative plan", [](Project& p) { p.annual_plans[2025] = D("-1"); },
                  "annual_plans.2025"},
        FieldCase{"zero plan", [](Project& p) { p.annual_plans[2025] = D("0"); }, nullptr},
        FieldCase{"plans above the total",
                  [](Project& p) { p.annual_plans[2026] = D("15.000001"); }, "annual_plans"},
        FieldCase{"plans exactly the total", [](Project& p) { p.annual_plans[2026] = D("15"); },
                  nullptr},
        // committed completion: within [start_year, end_year]
        FieldCase{"completion before the start year",
                  [](Project& p) { p.committed_completion = Date("2023-12-31"); },
                  "committed_completion"},
        FieldCase{"completion after the end year",
                  [](Project& p) { p.committed_completion = Date("2027-01-01"); },
                  "committed_completion"},
        FieldCase{"completion on the first day of the start year",
                  [](Project& p) { p.committed_completion = Date("2024-01-01"); }, nullptr},
        FieldCase{"completion on the last day of the end year",
                  [](Project& p) { p.committed_completion = Date("2026-12-31"); }, nullptr},
        FieldCase{"completion an impossible date",
                  [](Project& p) {
                    p.committed_completion = CivilDate{2025, 2, 29};
                  },
                  "committed_completion"}),
    [](const ::testing::TestParamInfo<FieldCase>& info) {
      // "plan after the end year" → "PlanAfterTheEndYear" (ASCII letters and digits only).
      std::string name;
      bool upper = true;
      for (const char* c = info.param.what; *c != '\0'; ++c) {
        bool alnum =
            (*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') || (*c >= '0' && *c <= '9');
        if (!alnum) {
          upper = true;
          continue;
        }
        name += upper && *c >= 'a' && *c <= 'z' ? static_cast<char>(*c - 'a' + 'A') : *c;
        upper = false;
      }
      return name;
    });

TEST(CheckProjectTest, NamesEveryBadFieldAtOnceInChinese) {
  Project p = ValidProject();
  p.code = "";
  p.name = "";
  p.level = "x";
  p.total_investment = D("-1");
  Status s = CheckProject(p);
  ASSERT_EQ(s.code(), Code::kInvalidArgument);
  EXPECT_EQ(s.message(), "项目信息有误");
  EXPECT_TRUE(HasDetail(s, "code"));
  EXPECT_TRUE(HasDetail(s, "name"));
  EXPECT_TRUE(HasDetail(s, "level"));
  EXPECT_TRUE(HasDetail(s, "total_investment"));
  EXPECT_EQ(DetailReason(s, "total_investment"), "总投资应大于0亿元，现为-1亿元");
}

TEST(CheckProjectTest, ReasonsGiveTheFigures) {
  Project p = ValidProject();
  p.annual_plans[2026] = D("20");
  EXPECT_EQ(DetailReason(CheckProject(p), "annual_plans"),
            "年度计划投资合计55亿元，超过总投资50亿元");

  p = ValidProject();
  p.committed_completion = Date("2027-03-31");
  EXPECT_EQ(DetailReason(CheckProject(p), "committed_completion"),
            "承诺完工日期2027-03-31晚于完工年份2026年");

  p = ValidProject();
  p.industry = "A39";
  EXPECT_EQ(DetailReason(CheckProject(p), "industry"), "门类A下的大类代码应为01–05，A39不存在");
}

// ---- Names ----

TEST(NamesTest, StagesLevelsCategoriesAndProblemCategoriesInChinese) {
  const char* stages[] = {"谋划", "签约", "开工", "竣工", "投产", "达效"};
  for (int i = 0; i < kStageCount; ++i) {
    EXPECT_EQ(StageName(kStages[i]), stages[i]);
    EXPECT_EQ(StageIndex(kStages[i]), i);
  }
  EXPECT_EQ(StageIndex("finished"), -1);
  EXPECT_EQ(LevelName("province"), "省重点");
  EXPECT_EQ(LevelName("city"), "市重点");
  EXPECT_EQ(LevelName("district"), "区县重点");
  EXPECT_EQ(CategoryName("industry"), "产业");
  EXPECT_EQ(CategoryName("infrastructure"), "基础设施");
  EXPECT_EQ(CategoryName("social"), "社会民生");
  EXPECT_EQ(CategoryName("urban_renewal"), "城市更新");
  EXPECT_EQ(CategoryName("agriculture"), "农业农村");
  EXPECT_EQ(ProblemCategoryName("land"), "用地");
  EXPECT_EQ(ProblemCategoryName("funding"), "资金");
  EXPECT_EQ(ProblemCategoryName("approval"), "审批手续");
  EXPECT_EQ(ProblemCategoryName("environment"), "环评");
  EXPECT_EQ(ProblemCategoryName("demolition"), "征迁");
  EXPECT_EQ(ProblemCategoryName("utilities"), "水电气");
  EXPECT_EQ(ProblemCategoryName("other"), "其他");
}

TEST(NamesTest, UnknownValuesShowAsStored) {
  EXPECT_EQ(StageName("finished"), "finished");
  EXPECT_EQ(LevelName("county"), "county");
  EXPECT_EQ(CategoryName(""), "");
  EXPECT_EQ(ProblemCategoryName("weather"), "weather");
}

// ---- Stage changes ----

Project SignedProject() {
  Project p = ValidProject();
  p.stage = "signed";
  p.stage_dates = {{"signed", Date("2024-03-15")}};
  return p;
}

TEST(CheckStageChangeTest, MovesForwardOneStage) {
  EXPECT_TRUE(
      CheckStageChange(SignedProject(), "started", Date("2024-04-01"), Date("2024-06-30")).ok());
}

TEST(CheckStageChangeTest, MaySkipStages) {
  Project p = ValidProject();  // planning, no dates
  EXPECT_TRUE(CheckStageChange(p, "started", Date("2024-04-01"), Date("2024-06-30")).ok());
  EXPECT_TRUE(
      CheckStageChange(SignedProject(), "producing", Date("2024-06-01"), Date("2024-06-30")).ok());
}

TEST(CheckStageChangeTest, RefusesGoingBackward) {
  Project p = SignedProject();
  p.stage = "started";
  p.stage_dates["started"] = Date("2024-04-01");
  Status s = CheckStageChange(p, "signed", Date("2024-05-01"), Date("2024-06-30"));
  EXPECT_EQ(s.code(), Code::kFailedPrecondition);
  EXPECT_EQ(s.message(), "项目已处于“开工”阶段，不能退回“签约”阶段");
}

TEST(CheckStageChangeTest, RefusesTheCurrentStageAgain) {
  Status s = CheckStageChange(SignedProject(), "signed", Date("2024-05-01"), Date("2024-06-30"));
  EXPECT_EQ(s.code(), Code::kFailedPrecondition);
}

TEST(CheckStageChangeTest, RefusesAnUnknownStage) {
  Status s = CheckStageChange(SignedProject(), "finished", Date("2024-05-01"), Date("2024-06-30"));
  EXPECT_EQ(s.code(), Code::kInvalidArgument);
  EXPECT_TRUE(HasDetail(s, "stage"));
}

TEST(CheckStageChangeTest, RefusesADateBeforeThePreviousStage) {
  Status s = CheckStageChange(SignedProject(), "started", Date("2024-03-14"), Date("2024-06-30"));
  EXPECT_EQ(s.code(), Code::kInvalidArgument);
  EXPECT_EQ(DetailReason(s, "date"), "“开工”日期2024-03-14早于“签约”日期2024-03-15");
}

TEST(CheckStageChangeTest, AcceptsTheSameDayAsThePreviousStage) {
  // Signed and started the same day.
  EXPECT_TRUE(
      CheckStageChange(SignedProject(), "started", Date("2024-03-15"), Date("2024-06-30")).ok());
}

TEST(CheckStageChangeTest, RefusesAFutureDateButAcceptsToday) {
  Status s = CheckStageChange(SignedProject(), "started", Date("2024-07-01"), Date("2024-06-30"));
  EXPECT_EQ(s.code(), Code::kInvalidArgument);
  EXPECT_EQ(DetailReason(s, "date"), "日期2024-07-01晚于今天2024-06-30");
  EXPECT_TRUE(
      CheckStageChange(SignedProject(), "started", Date("2024-06-30"), Date("2024-06-30")).ok());
}

// ---- Default settings ----

TEST(DefaultSettingsTest, EveryCategoryHasPositiveDurationsEndingWithAcceptance) {
  Settings s = DefaultSettings();
  EXPECT_EQ(s.lag_gap, D("10"));
  EXPECT_EQ(s.serious_gap, D("20"));
  EXPECT_EQ(s.serious_overdue_days, 30);
  for (const char* category :
       {"industry", "infrastructure", "social", "urban_renewal", "agriculture"}) {
    ASSERT_TRUE(s.durations.count(category)) << category;
    const std::vector<Settings::Step>& steps = s.durations.at(category);
    ASSERT_GE(steps.size(), 4u) << category;
    for (const Settings::Step& step : steps) {
      EXPECT_GT(step.days, 0) << category << " " << step.name;
      EXPECT_FALSE(step.name.empty()) << category;
    }
    EXPECT_EQ(steps.front().name, "前期手续") << category;
    EXPECT_EQ(steps.back().name, "竣工验收") << category;
  }
  EXPECT_EQ(s.durations.size(), 5u);
}

TEST(DefaultSettingsTest, IndustryStepsAreTheStandardOnes) {
  const std::vector<Settings::Step> steps = DefaultSettings().durations.at("industry");
  ASSERT_EQ(steps.size(), 6u);
  EXPECT_EQ(steps[0].name, "前期手续");
  EXPECT_EQ(steps[0].days, 60);
  EXPECT_EQ(steps[3].name, "主体施工");
  EXPECT_EQ(steps[3].days, 240);
  EXPECT_EQ(steps[4].name, "设备安装调试");
  EXPECT_EQ(steps[4].days, 90);
}

// ---- Backward scheduling ----

TEST(BackwardScheduleTest, LaysTheIndustryStepsBackFromTheCompletionDate) {
  Result<std::vector<PlannedMilestone>> r = BackwardSchedule(
      DefaultSettings().durations.at("industry"), Date("2024-12-31"), Date("2023-01-01"));
  ASSERT_TRUE(r.ok()) << r.status().message();
  ASSERT_EQ(r->size(), 6u);
  // 510 days in all: 60 + 60 + 30 + 240 + 90 + 30.
  EXPECT_EQ((*r)[5].name, "竣工验收");
  EXPECT_EQ(Iso((*r)[5].planned), "2024-12-31");
  EXPECT_EQ(Iso((*r)[4].planned), "2024-12-01");  // 设备安装调试 ends 30 days earlier
  EXPECT_EQ(Iso((*r)[3].planned), "2024-09-02");  // 主体施工 ends 90 days before that
  EXPECT_EQ(Iso((*r)[2].planned), "2024-01-06");  // 240 days back across the leap February
  EXPECT_EQ(Iso((*r)[1].planned), "2023-12-07");
  EXPECT_EQ(Iso((*r)[0].planned), "2023-10-08");
  EXPECT_EQ((*r)[0].name, "前期手续");
}

TEST(BackwardScheduleTest, CrossesTheLeapDayExactly) {
  std::vector<Settings::Step> steps = {{"甲", 1}, {"乙", 29}, {"丙", 30}};
  Result<std::vector<PlannedMilestone>> r =
      BackwardSchedule(steps, Date("2024-03-30"), Date("2024-01-01"));
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(Iso((*r)[2].planned), "2024-03-30");
  EXPECT_EQ(Iso((*r)[1].planned), "2024-02-29");
  EXPECT_EQ(Iso((*r)[0].planned), "2024-01-31");
}

TEST(BackwardScheduleTest, FebruaryOfACommonYearHas28Days) {
  std::vector<Settings::Step> steps = {{"甲", 28}, {"乙", 30}};
  Result<std::vector<PlannedMilestone>> r =
      BackwardSchedule(steps, Date("2023-03-30"), Date("2023-01-01"));
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(Iso((*r)[1].planned), "2023-03-30");
  EXPECT_EQ(Iso((*r)[0].planned), "2023-02-28");
}

TEST(BackwardScheduleTest, CrossesTheYearBoundary) {
  std::vector<Settings::Step> steps = {{"甲", 20}, {"乙", 15}};
  Result<std::vector<PlannedMilestone>> r =
      BackwardSchedule(steps, Date("2025-01-15"), Date("2024-12-01"));
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(Iso((*r)[1].planned), "2025-01-15");
  EXPECT_EQ(Iso((*r)[0].planned), "2024-12-31");
}

TEST(BackwardScheduleTest, ExactlyEnoughTimeIsAccepted) {
  // 2024-12-11 + 20 + 15 days = 2025-01-15.
  std::vector<Settings::Step> steps = {{"甲", 20}, {"乙", 15}};
  EXPECT_TRUE(BackwardSchedule(steps, Date("2025-01-15"), Date("2024-12-11")).ok());
}

TEST(BackwardScheduleTest, OneDayTooFewIsAFailedPreconditionNamingTheDays) {
  std::vector<Settings::Step> steps = {{"甲", 20}, {"乙", 15}};
  Result<std::vector<PlannedMilestone>> r =
      BackwardSchedule(steps, Date("2025-01-15"), Date("2024-12-12"));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Code::kFailedPrecondition);
  EXPECT_EQ(r.status().message(),
            "距承诺完工日期2025-01-15仅剩34天，按标准工期需35天，请调整完工日期或工期");
}

TEST(BackwardScheduleTest, ADeadlineFarTooCloseIsRefusedNotGivenNegativeDurations) {
  Result<std::vector<PlannedMilestone>> r = BackwardSchedule(
      DefaultSettings().durations.at("industry"), Date("2024-12-31"), Date("2024-09-02"));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Code::kFailedPrecondition);
  EXPECT_EQ(r.status().message(),
            "距承诺完工日期2024-12-31仅剩120天，按标准工期需510天，请调整完工日期或工期");
}

TEST(BackwardScheduleTest, ACompletionDateAlreadyPassedIsRefused) {
  std::vector<Settings::Step> steps = {{"甲", 10}};
  Result<std::vector<PlannedMilestone>> r =
      BackwardSchedule(steps, Date("2024-05-31"), Date("2024-06-30"));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Code::kFailedPrecondition);
  EXPECT_NE(r.status().message().find("2024-05-31"), std::string::npos);
  EXPECT_NE(r.status().message().find("需10天"), std::string::npos);
}

TEST(BackwardScheduleTest, NoStepsOrANonPositiveDurationIsInvalid) {
  EXPECT_EQ(BackwardSchedule({}, Date("2025-01-15"), Date("2024-01-01")).status().code(),
            Code::kInvalidArgument);
  std::vector<Settings::Step> zero = {{"甲", 10}, {"乙", 0}};
  Result<std::vector<PlannedMilestone>> r =
      BackwardSchedule(zero, Date("2025-01-15"), Date("2024-01-01"));
  EXPECT_EQ(r.status().code(), Code::kInvalidArgument);
  EXPECT_TRUE(HasDetail(r.status(), "durations.1"));
  std::vector<Settings::Step> negative = {{"甲", -5}};
  EXPECT_EQ(BackwardSchedule(negative, Date("2025-01-15"), Date("2024-01-01")).status().code(),
            Code::kInvalidArgument);
}

// ---- Overdue milestones ----

TEST(OverdueDaysTest, CountsDaysPastThePlannedDateUntilDone) {
  CivilDate today = Date("2024-06-15");
  EXPECT_EQ(OverdueDays(Ms("主体封顶", "2024-06-14"), today), 1);
  EXPECT_EQ(OverdueDays(Ms("主体封顶", "2024-06-15"), today), 0);  // due today: not yet late
  EXPECT_EQ(OverdueDays(Ms("主体封顶", "2024-07-01"), today), 0);
  EXPECT_EQ(OverdueDays(Ms("主体封顶", "2024-05-01", "2024-06-10"), today), 0);  // done, late
  EXPECT_EQ(OverdueDays(Ms("主体封顶", std::nullopt), today), 0);                // not planned
}

TEST(OverdueDaysTest, CountsAcrossTheYearEndAndALeapFebruary) {
  EXPECT_EQ(OverdueDays(Ms("竣工验收", "2023-12-31"), Date("2024-03-01")), 61);
  EXPECT_EQ(OverdueDays(Ms("竣工验收", "2022-12-31"), Date("2023-03-01")), 60);
}

// ---- YTD and cumulative ----

std::vector<Progress> TwoYears() {
  return {Report("2023-11", "1.5"), Report("2023-12", "2"),    Report("2024-01", "0.5"),
          Report("2024-02", "1"),   Report("2024-03", "0.25"), Report("2024-05", "3")};
}

TEST(ProgressSumsTest, YtdAddsOnlyTheMonthsOfThatYearUpToTheMonth) {
  std::vector<Progress> p = TwoYears();
  EXPECT_EQ(YtdAt(p, "2024-01"), D("0.5"));
  EXPECT_EQ(YtdAt(p, "2024-03"), D("1.75"));
  EXPECT_EQ(YtdAt(p, "2024-04"), D("1.75"));  // a month without a report adds nothing
  EXPECT_EQ(YtdAt(p, "2024-12"), D("4.75"));
  EXPECT_EQ(YtdAt(p, "2023-12"), D("3.5"));
  EXPECT_EQ(YtdAt(p, "2023-10"), D("0"));
}

TEST(ProgressSumsTest, CumulativeAddsEveryMonthUpToTheMonthAcrossYears) {
  std::vector<Progress> p = TwoYears();
  EXPECT_EQ(CumulativeAt(p, "2023-11"), D("1.5"));
  EXPECT_EQ(CumulativeAt(p, "2024-03"), D("5.25"));
  EXPECT_EQ(CumulativeAt(p, "2024-12"), D("8.25"));
  EXPECT_EQ(CumulativeAt(p, "2025-06"), D("8.25"));
}

TEST(ProgressSumsTest, ReportsNeedNotBeInOrderAndAMalformedMonthSumsToZero) {
  std::vector<Progress> p = {Report("2024-05", "3"), Report("2024-01", "0.5")};
  EXPECT_EQ(YtdAt(p, "2024-06"), D("3.5"));
  EXPECT_EQ(YtdAt(p, "2024-13"), D("0"));
  EXPECT_EQ(CumulativeAt(p, "June"), D("0"));
}

// ---- CheckProgress ----

TEST(CheckProgressTest, AcceptsTheCurrentMonthAndAPastOne) {
  Project p = ValidProject();
  CivilDate today = Date("2024-06-15");
  EXPECT_TRUE(CheckProgress(p, Report("2024-06", "1.2"), today).ok());
  EXPECT_TRUE(CheckProgress(p, Report("2024-01", "0"), today).ok());
}

TEST(CheckProgressTest, RefusesAFutureMonth) {
  Status s = CheckProgress(ValidProject(), Report("2024-07", "1"), Date("2024-06-30"));
  EXPECT_EQ(s.code(), Code::kInvalidArgument);
  EXPECT_EQ(DetailReason(s, "month"), "不能填报未来月份：2024-07晚于本月2024-06");
}

TEST(CheckProgressTest, RefusesAMonthBeforeTheStartYear) {
  Status s = CheckProgress(ValidProject(), Report("2023-12", "1"), Date("2024-06-30"));
  EXPECT_EQ(s.code(), Code::kInvalidArgument);
  EXPECT_EQ(DetailReason(s, "month"), "2023-12早于项目开工年份2024年");
}

TEST(CheckProgressTest, RefusesAMalformedMonth) {
  for (const char* month : {"2024-13", "2024-6", "2024/06", "", "2024Q2"}) {
    Status s = CheckProgress(ValidProject(), Report(month, "1"), Date("2024-06-30"));
    EXPECT_TRUE(HasDetail(s, "month")) << month;
  }
}

TEST(CheckProgressTest, RefusesANegativeAmount) {
  Status s = CheckProgress(ValidProject(), Report("2024-05", "-0.1"), Date("2024-06-30"));
  EXPECT_EQ(s.code(), Code::kInvalidArgument);
  EXPECT_TRUE(HasDetail(s, "amount"));
}

TEST(CheckProgressTest, RefusesAnAmountAboveTheTotalInvestmentButAcceptsTheTotal) {
  CivilDate today = Date("2024-06-30");
  Status s = CheckProgress(ValidProject(), Report("2024-05", "50.000001"), today);
  EXPECT_EQ(DetailReason(s, "amount"),
            "月度完成投资50.000001亿元超过项目总投资50亿元，请核对单位是否为亿元");
  EXPECT_TRUE(CheckProgress(ValidProject(), Report("2024-05", "50"), today).ok());
}

TEST(CheckProgressTest, RefusesANarrativeOver2000Bytes) {
  CivilDate today = Date("2024-06-30");
  Progress r = Report("2024-05", "1");
  r.narrative = std::string(2000, 'x');
  EXPECT_TRUE(CheckProgress(ValidProject(), r, today).ok());
  r.narrative += "x";
  EXPECT_TRUE(HasDetail(CheckProgress(ValidProject(), r, today), "narrative"));
}

TEST(CheckProgressTest, NamesEveryBadFieldAtOnce) {
  Progress r = Report("2025-01", "-1");
  r.narrative = std::string(2001, 'x');
  Status s = CheckProgress(ValidProject(), r, Date("2024-06-30"));
  EXPECT_EQ(s.details().size(), 3u);
}

// ---- ComputeStatus ----

// Half of the year gone (50.0%), annual plan 10亿元.
StatusInput HalfYear(std::string_view ytd) {
  StatusInput in;
  in.annual_plan = D("10");
  in.ytd = D(ytd);
  in.elapsed_share = D("0.5");
  in.today = Date("2024-06-30");
  return in;
}

TEST(ComputeStatusTest, OnScheduleIsNormalWithTheCompletion) {
  StatusResult r = ComputeStatus(HalfYear("6"), DefaultSettings());
  EXPECT_EQ(r.status, kNormal);
  EXPECT_EQ(r.reason, "按计划推进");
  ASSERT_TRUE(r.completion.has_value());
  EXPECT_EQ(*r.completion, D("60"));
}

TEST(ComputeStatusTest, GapExactlyTheLagGapIsLagging) {
  StatusResult r = ComputeStatus(HalfYear("4"), DefaultSettings());  // 40% vs 50%
  EXPECT_EQ(r.status, kLagging);
  EXPECT_EQ(r.reason, "年度计划完成40.0%，低于时间进度50.0%（差10.0个百分点）");
  EXPECT_EQ(*r.completion, D("40"));
}

TEST(ComputeStatusTest, GapJustBelowTheLagGapIsNormal) {
  StatusResult r = ComputeStatus(HalfYear("4.000001"), DefaultSettings());  // gap 9.99999
  EXPECT_EQ(r.status, kNormal);
  EXPECT_EQ(r.reason, "按计划推进");
}

TEST(ComputeStatusTest, GapExactlyTheSeriousGapIsSeriouslyLagging) {
  StatusResult r = ComputeStatus(HalfYear("3"), DefaultSettings());  // 30% vs 50%
  EXPECT_EQ(r.status, kSeriouslyLagging);
  EXPECT_EQ(r.reason, "年度计划完成30.0%，低于时间进度50.0%（差20.0个百分点）");
}

TEST(ComputeStatusTest, GapJustBelowTheSeriousGapIsOnlyLagging) {
  EXPECT_EQ(ComputeStatus(HalfYear("3.000001"), DefaultSettings()).status, kLagging);
}

TEST(ComputeStatusTest, CompletionIsExactNotRoundedToTheDisplay) {
  StatusInput in = HalfYear("1");
  in.annual_plan = D("3");
  StatusResult r = ComputeStatus(in, DefaultSettings());
  EXPECT_EQ(*r.completion, D("33.333333"));
  EXPECT_EQ(r.status, kLagging);  // gap 16.666667
  EXPECT_EQ(r.reason, "年度计划完成33.3%，低于时间进度50.0%（差16.7个百分点）");
}

TEST(ComputeStatusTest, UsesTheConfiguredThresholds) {
  Settings s = DefaultSettings();
  s.lag_gap = D("5");
  s.serious_gap = D("8");
  EXPECT_EQ(ComputeStatus(HalfYear("4.5"), s).status, kLagging);           // gap 5
  EXPECT_EQ(ComputeStatus(HalfYear("4.2"), s).status, kSeriouslyLagging);  // gap 8
}

TEST(ComputeStatusTest, MilestoneOverdueOneDayIsLagging) {
  StatusInput in = HalfYear("6");
  in.milestones = {Ms("主体封顶", "2024-06-29")};
  StatusResult r = ComputeStatus(in, DefaultSettings());
  EXPECT_EQ(r.status, kLagging);
  EXPECT_EQ(r.reason, "节点“主体封顶”逾期1天（计划2024-06-29）");
}

TEST(ComputeStatusTest, MilestoneOverdueJustBelowTheSeriousDaysIsLagging) {
  StatusInput in = HalfYear("6");
  in.milestones = {Ms("主体封顶", "2024-06-01")};  // 29 days
  EXPECT_EQ(ComputeStatus(in, DefaultSettings()).status, kLagging);
}

TEST(ComputeStatusTest, MilestoneOverdueExactlyTheSeriousDaysIsSeriouslyLagging) {
  StatusInput in = HalfYear("6");
  in.milestones = {Ms("主体封顶", "2024-05-31")};  // 30 days
  StatusResult r = ComputeStatus(in, DefaultSettings());
  EXPECT_EQ(r.status, kSeriouslyLagging);
  EXPECT_EQ(r.reason, "节点“主体封顶”逾期30天（计划2024-05-31）");
}

TEST(ComputeStatusTest, FinishedOrFutureMilestonesDoNotCount) {
  StatusInput in = HalfYear("6");
  in.milestones = {Ms("主体封顶", "2024-03-01", "2024-04-15"), Ms("竣工验收", "2024-12-31"),
                   Ms("设备安装调试", "2024-06-30")};
  EXPECT_EQ(ComputeStatus(in, DefaultSettings()).status, kNormal);
}

TEST(ComputeStatusTest, TheMostOverdueMilestoneIsNamedAndTheOthersCounted) {
  StatusInput in = HalfYear("6");
  in.milestones = {Ms("施工许可", "2024-06-20"), Ms("土地征收/供地", "2024-04-30"),
                   Ms("主体封顶", "2024-06-25")};
  StatusResult r = ComputeStatus(in, DefaultSettings());
  EXPECT_EQ(r.status, kSeriouslyLagging);
  EXPECT_EQ(r.reason, "节点“土地征收/供地”逾期61天（计划2024-04-30），另有2个节点逾期");
}

TEST(ComputeStatusTest, TheWorseRuleWinsWhenMilestonesAreWorse) {
  StatusInput in = HalfYear("4");                  // plan: 滞后
  in.milestones = {Ms("主体封顶", "2024-05-01")};  // 60 days: 严重滞后
  StatusResult r = ComputeStatus(in, DefaultSettings());
  EXPECT_EQ(r.status, kSeriouslyLagging);
  EXPECT_EQ(r.reason,
            "节点“主体封顶”逾期60天（计划2024-05-01）；"
            "年度计划完成40.0%，低于时间进度50.0%（差10.0个百分点）");
}

TEST(ComputeStatusTest, TheWorseRuleWinsWhenThePlanIsWorse) {
  StatusInput in = HalfYear("2");                  // plan: 严重滞后 (gap 30)
  in.milestones = {Ms("主体封顶", "2024-06-20")};  // 10 days: 滞后
  StatusResult r = ComputeStatus(in, DefaultSettings());
  EXPECT_EQ(r.status, kSeriouslyLagging);
  EXPECT_EQ(r.reason,
            "年度计划完成20.0%，低于时间进度50.0%（差30.0个百分点）；"
            "节点“主体封顶”逾期10天（计划2024-06-20）");
}

TEST(ComputeStatusTest, APlanBehindAloneWinsOverOnTimeMilestones) {
  StatusInput in = HalfYear("3");
  in.milestones = {Ms("主体封顶", "2024-09-30")};
  EXPECT_EQ(ComputeStatus(in, DefaultSettings()).status, kSeriouslyLagging);
}

TEST(ComputeStatusTest, WithoutAPlanOnlyTheMilestoneRuleSpeaks) {
  StatusInput in = HalfYear("0");
  in.annual_plan.reset();
  StatusResult r = ComputeStatus(in, DefaultSettings());
  EXPECT_EQ(r.status, kNormal);
  EXPECT_EQ(r.reason, "按计划推进");
  EXPECT_FALSE(r.completion.has_value());

  in.milestones = {Ms("开工", "2024-06-20")};
  r = ComputeStatus(in, DefaultSettings());
  EXPECT_EQ(r.status, kLagging);
  EXPECT_EQ(r.reason, "节点“开工”逾期10天（计划2024-06-20）");
}

TEST(ComputeStatusTest, AZeroPlanIsLikeNoPlan) {
  StatusInput in = HalfYear("0");
  in.annual_plan = D("0");
  StatusResult r = ComputeStatus(in, DefaultSettings());
  EXPECT_EQ(r.status, kNormal);
  EXPECT_FALSE(r.completion.has_value());
}

TEST(ComputeStatusTest, AtTheYearEndAnythingShortOfNinetyPercentLags) {
  StatusInput in = HalfYear("9");
  in.elapsed_share = D("1");
  in.today = Date("2024-12-31");
  EXPECT_EQ(ComputeStatus(in, DefaultSettings()).status, kLagging);  // 90% vs 100%
  in.ytd = D("12");
  StatusResult r = ComputeStatus(in, DefaultSettings());
  EXPECT_EQ(r.status, kNormal);  // above the plan
  EXPECT_EQ(*r.completion, D("120"));
}

// ---- 三个一批 ----

Project At(int64_t id, std::vector<std::pair<std::string, std::string>> dates) {
  Project p = ValidProject();
  p.id = id;
  p.stage = "planning";
  for (const auto& [stage, date] : dates) {
    p.stage_dates[stage] = Date(date);
    p.stage = stage;
  }
  return p;
}

Batch BatchOf(std::vector<Batch::Entry> entries) {
  Batch b;
  b.number = 2;
  b.name = "2024年第二期";
  b.deadline = Date("2024-06-30");
  b.entries = std::move(entries);
  return b;
}

TEST(ComputeBatchRatesTest, CountsOnlyStagesReachedOnOrBeforeTheDeadline) {
  std::vector<Project> projects = {
      At(1, {{"signed", "2024-06-30"}}),   // on the deadline: counts
      At(2, {{"signed", "2024-07-01"}}),   // a day late: does not
      At(3, {{"started", "2024-05-01"}}),  // skipped 签约: counts
      At(4, {}),                           // still 谋划
  };
  BatchRates r =
      ComputeBatchRates(BatchOf({{1, "sign"}, {2, "sign"}, {3, "sign"}, {4, "sign"}}), projects);
  ASSERT_TRUE(r.sign_rate.has_value());
  EXPECT_EQ(*r.sign_rate, D("50"));
  EXPECT_FALSE(r.start_rate.has_value());  // empty list: no rate
  EXPECT_FALSE(r.produce_rate.has_value());
  EXPECT_FALSE(r.effective_rate.has_value());
}

TEST(ComputeBatchRatesTest, StartRateIsExactThirds) {
  std::vector<Project> projects = {At(1, {{"started", "2024-04-01"}}),
                                   At(2, {{"signed", "2024-04-01"}}),
                                   At(3, {{"started", "2024-08-01"}})};
  BatchRates r = ComputeBatchRates(BatchOf({{1, "start"}, {2, "start"}, {3, "start"}}), projects);
  ASSERT_TRUE(r.start_rate.has_value());
  EXPECT_EQ(*r.start_rate, D("33.333333"));
  EXPECT_EQ(r.start_rate->Format(1), "33.3");
}

TEST(ComputeBatchRatesTest, EffectiveRateIsOverTheProduceList) {
  std::vector<Project> projects = {
      At(1, {{"producing", "2024-03-01"}, {"effective", "2024-06-20"}}),
      At(2, {{"producing", "2024-06-01"}}), At(3, {{"producing", "2024-07-02"}}),
      At(4, {{"producing", "2024-01-01"}, {"effective", "2024-02-01"}}),  // on the start list
  };
  BatchRates r = ComputeBatchRates(
      BatchOf({{1, "produce"}, {2, "produce"}, {3, "produce"}, {4, "start"}}), projects);
  EXPECT_EQ(*r.produce_rate, D("66.666667"));
  EXPECT_EQ(*r.effective_rate, D("33.333333"));
  EXPECT_EQ(*r.start_rate, D("100"));
  EXPECT_FALSE(r.sign_rate.has_value());
}

TEST(ComputeBatchRatesTest, ReachingEffectiveAfterTheDeadlineCountsOnlyAsProducing) {
  std::vector<Project> projects = {
      At(1, {{"producing", "2024-05-01"}, {"effective", "2024-07-15"}})};
  BatchRates r = ComputeBatchRates(BatchOf({{1, "produce"}}), projects);
  EXPECT_EQ(*r.produce_rate, D("100"));
  EXPECT_EQ(*r.effective_rate, D("0"));
}

TEST(ComputeBatchRatesTest, AProjectMissingFromTheListCountsAsNotReached) {
  std::vector<Project> projects = {At(1, {{"started", "2024-04-01"}})};
  BatchRates r = ComputeBatchRates(BatchOf({{1, "start"}, {99, "start"}}), projects);
  EXPECT_EQ(*r.start_rate, D("50"));
}

TEST(ComputeBatchRatesTest, AnEmptyBatchHasNoRates) {
  BatchRates r = ComputeBatchRates(BatchOf({}), {});
  EXPECT_FALSE(r.sign_rate.has_value());
  EXPECT_FALSE(r.start_rate.has_value());
  EXPECT_FALSE(r.produce_rate.has_value());
  EXPECT_FALSE(r.effective_rate.has_value());
}

// ---- Problems ----

Problem OpenProblem(std::string_view deadline) {
  Problem p;
  p.id = 7;
  p.project_id = 1;
  p.category = "land";
  p.description = "用地指标未落实";
  p.owner_unit_id = 10;
  p.deadline = Date(deadline);
  return p;
}

TEST(ShouldEscalateTest, AnOpenProblemPastItsDeadlineEscalates) {
  EXPECT_TRUE(ShouldEscalate(OpenProblem("2024-06-14"), Date("2024-06-15")));
  EXPECT_TRUE(ShouldEscalate(OpenProblem("2023-12-31"), Date("2024-01-01")));
}

TEST(ShouldEscalateTest, ADeadlineOfTodayDoesNotEscalateYet) {
  EXPECT_FALSE(ShouldEscalate(OpenProblem("2024-06-15"), Date("2024-06-15")));
  EXPECT_FALSE(ShouldEscalate(OpenProblem("2024-07-01"), Date("2024-06-15")));
}

TEST(ShouldEscalateTest, AResolvedProblemDoesNotEscalate) {
  Problem p = OpenProblem("2024-06-01");
  p.state = "resolved";
  EXPECT_FALSE(ShouldEscalate(p, Date("2024-06-15")));
}

TEST(ShouldEscalateTest, AnAlreadyEscalatedProblemDoesNotEscalateAgain) {
  Problem p = OpenProblem("2024-06-01");
  p.escalated_to = 3;
  EXPECT_FALSE(ShouldEscalate(p, Date("2024-06-15")));
}

}  // namespace
}  // namespace tiaodu::projects
