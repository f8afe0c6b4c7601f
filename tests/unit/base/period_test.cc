#include "base/period.h"

#include <gtest/gtest.h>

#include <ostream>
#include <string>
#include <string_view>
#include <vector>

namespace tiaodu {

// Readable failure output (found by ADL, hence outside the anonymous namespace).
void PrintTo(const Period& p, std::ostream* os) { *os << p.ToString(); }

namespace {

Period P(std::string_view text) {
  Result<Period> p = Period::Parse(text);
  EXPECT_TRUE(p.ok()) << text << ": " << p.status().message();
  return p.value_or(Period::Year(1000));
}

CivilDate Date(std::string_view text) {
  Result<CivilDate> d = ParseIsoDate(text);
  EXPECT_TRUE(d.ok()) << text << ": " << d.status().message();
  return d.value_or(CivilDate{1970, 1, 1});
}

TEST(PeriodTest, ParsesAllKindsAndPrintsIsoForm) {
  struct Case {
    std::string_view text;
    PeriodKind kind;
    int year;
    int index;
    std::string_view iso;
  };
  const Case cases[] = {
      {"2024-06", PeriodKind::kMonth, 2024, 6, "2024-06"},
      {"2024-6", PeriodKind::kMonth, 2024, 6, "2024-06"},
      {"2024-12", PeriodKind::kMonth, 2024, 12, "2024-12"},
      {"2024-01", PeriodKind::kMonth, 2024, 1, "2024-01"},
      {"2024Q2", PeriodKind::kQuarter, 2024, 2, "2024Q2"},
      {"2024q4", PeriodKind::kQuarter, 2024, 4, "2024Q4"},
      {"2024H1", PeriodKind::kHalf, 2024, 1, "2024H1"},
      {"2023h2", PeriodKind::kHalf, 2023, 2, "2023H2"},
      {"2024", PeriodKind::kYear, 2024, 1, "2024"},
      {" 2024-06 ", PeriodKind::kMonth, 2024, 6, "2024-06"},
  };
  for (const Case& c : cases) {
    Result<Period> p = Period::Parse(c.text);
    ASSERT_TRUE(p.ok()) << c.text << ": " << p.status().message();
    EXPECT_EQ(p->kind(), c.kind) << c.text;
    EXPECT_EQ(p->year(), c.year) << c.text;
    EXPECT_EQ(p->index(), c.index) << c.text;
    EXPECT_EQ(p->ToString(), c.iso) << c.text;
    // The ISO form parses back to the same period.
    EXPECT_EQ(P(p->ToString()), *p) << c.text;
  }
}

TEST(PeriodTest, RejectsBadTextWithChineseMessage) {
  struct Case {
    std::string_view text;
    std::string_view message_part;
  };
  const Case cases[] = {
      {"", "期别格式不正确"},
      {"24-06", "期别格式不正确"},
      {"2024-", "期别格式不正确"},
      {"2024-006", "期别格式不正确"},
      {"2024/06", "期别格式不正确"},
      {"2024M06", "期别格式不正确"},
      {"2024Q", "期别格式不正确"},
      {"2024Q12", "期别格式不正确"},
      {"2024-0a", "期别格式不正确"},
      {"20240", "期别格式不正确"},
      {"二〇二四", "期别格式不正确"},
      {"2024-13", "月份应在1-12之间"},
      {"2024-00", "月份应在1-12之间"},
      {"2024Q5", "季度应在1-4之间"},
      {"2024Q0", "季度应在1-4之间"},
      {"2024H3", "半年应为H1"},
      {"0999", "年份应在"},
  };
  for (const Case& c : cases) {
    Result<Period> p = Period::Parse(c.text);
    ASSERT_FALSE(p.ok()) << "accepted: " << c.text;
    EXPECT_EQ(p.status().code(), Code::kInvalidArgument);
    EXPECT_NE(p.status().message().find(c.message_part), std::string::npos)
        << c.text << " → " << p.status().message();
  }
}

TEST(PeriodTest, MakeValidatesIndexPerKind) {
  EXPECT_TRUE(Period::Make(PeriodKind::kMonth, 2024, 12).ok());
  EXPECT_FALSE(Period::Make(PeriodKind::kMonth, 2024, 13).ok());
  EXPECT_FALSE(Period::Make(PeriodKind::kQuarter, 2024, 5).ok());
  EXPECT_FALSE(Period::Make(PeriodKind::kHalf, 2024, 0).ok());
  EXPECT_FALSE(Period::Make(PeriodKind::kYear, 2024, 2).ok());
  EXPECT_FALSE(Period::Make(PeriodKind::kYear, 10000, 1).ok());
}

TEST(PeriodTest, FormatsInChinese) {
  struct Case {
    std::string_view iso;
    std::string_view zh;
  };
  const Case cases[] = {
      {"2024-06", "2024年6月"},     {"2024-12", "2024年12月"},    {"2024Q1", "2024年第一季度"},
      {"2024Q2", "2024年第二季度"}, {"2024Q3", "2024年第三季度"}, {"2024Q4", "2024年第四季度"},
      {"2024H1", "2024年上半年"},   {"2024H2", "2024年下半年"},   {"2024", "2024年"},
  };
  for (const Case& c : cases) EXPECT_EQ(P(c.iso).FormatZh(), c.zh) << c.iso;
}

TEST(PeriodTest, FormatsYearToDateLabelsWithOneToTwoMonthRule) {
  struct Case {
    std::string_view iso;
    std::string_view ytd;
  };
  const Case cases[] = {
      {"2024-06", "2024年1-6月"},   {"2024-02", "2024年1-2月"}, {"2024-12", "2024年1-12月"},
      {"2024-01", "2024年1月"},     {"2024Q1", "2024年一季度"}, {"2024Q2", "2024年上半年"},
      {"2024Q3", "2024年前三季度"}, {"2024Q4", "2024年全年"},   {"2024H1", "2024年上半年"},
      {"2024H2", "2024年全年"},     {"2024", "2024年全年"},
  };
  for (const Case& c : cases) EXPECT_EQ(P(c.iso).FormatYtdZh(), c.ytd) << c.iso;
}

TEST(PeriodTest, JanuaryIsNotPublishableAndIsNotRelabelled) {
  EXPECT_FALSE(IsPublishableMonth(P("2024-01")));
  EXPECT_TRUE(IsPublishableMonth(P("2024-02")));
  EXPECT_TRUE(IsPublishableMonth(P("2024-12")));
  EXPECT_TRUE(IsPublishableMonth(P("2024Q1")));

  Result<Period> jan = NormalizeYtdMonth(P("2024-01"));
  ASSERT_FALSE(jan.ok());
  EXPECT_EQ(jan.status().code(), Code::kInvalidArgument);
  EXPECT_NE(jan.status().message().find("1-2月"), std::string::npos);
  EXPECT_NE(jan.status().message().find("2024-02"), std::string::npos);

  Result<Period> feb = NormalizeYtdMonth(P("2024-02"));
  ASSERT_TRUE(feb.ok());
  EXPECT_EQ(*feb, P("2024-02"));
  EXPECT_FALSE(NormalizeYtdMonth(P("2024Q1")).ok());
}

TEST(PeriodTest, PreviousSkipsJanuaryAndNextIsItsInverse) {
  struct Case {
    std::string_view period;
    std::string_view previous;
  };
  const Case cases[] = {
      {"2024-03", "2024-02"}, {"2024-02", "2023-12"}, {"2024-12", "2024-11"}, {"2024Q1", "2023Q4"},
      {"2024Q3", "2024Q2"},   {"2024H1", "2023H2"},   {"2024H2", "2024H1"},   {"2024", "2023"},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(P(c.period).Previous(), P(c.previous)) << c.period;
    EXPECT_EQ(P(c.previous).Next(), P(c.period)) << c.previous;
  }
  // January is off the publication sequence in both directions.
  EXPECT_EQ(P("2024-01").Previous(), P("2023-12"));
  EXPECT_EQ(P("2024-01").Next(), P("2024-02"));
}

TEST(PeriodTest, SamePeriodLastYearKeepsKindAndIndex) {
  EXPECT_EQ(P("2024-02").SamePeriodLastYear(), P("2023-02"));
  EXPECT_EQ(P("2024Q3").SamePeriodLastYear(), P("2023Q3"));
  EXPECT_EQ(P("2024H2").SamePeriodLastYear(), P("2023H2"));
  EXPECT_EQ(P("2024").SamePeriodLastYear(), P("2023"));
}

TEST(PeriodTest, StartAndEndMonthsAndDates) {
  struct Case {
    std::string_view period;
    int start, end;
    std::string_view start_date, end_date;
  };
  const Case cases[] = {
      {"2024-06", 6, 6, "2024-06-01", "2024-06-30"},
      {"2024-02", 2, 2, "2024-02-01", "2024-02-29"},  // leap year
      {"2023-02", 2, 2, "2023-02-01", "2023-02-28"},
      {"2024Q1", 1, 3, "2024-01-01", "2024-03-31"},
      {"2024Q2", 4, 6, "2024-04-01", "2024-06-30"},
      {"2024Q4", 10, 12, "2024-10-01", "2024-12-31"},
      {"2024H1", 1, 6, "2024-01-01", "2024-06-30"},
      {"2024H2", 7, 12, "2024-07-01", "2024-12-31"},
      {"2024", 1, 12, "2024-01-01", "2024-12-31"},
  };
  for (const Case& c : cases) {
    Period p = P(c.period);
    EXPECT_EQ(p.StartMonth(), c.start) << c.period;
    EXPECT_EQ(p.EndMonth(), c.end) << c.period;
    EXPECT_EQ(FormatIsoDate(p.StartDate()), c.start_date) << c.period;
    EXPECT_EQ(FormatIsoDate(p.EndDate()), c.end_date) << c.period;
  }
}

TEST(PeriodTest, ContainsPeriodsAndDates) {
  EXPECT_TRUE(P("2024H1").Contains(P("2024Q2")));
  EXPECT_TRUE(P("2024H1").Contains(P("2024-03")));
  EXPECT_TRUE(P("2024").Contains(P("2024H2")));
  EXPECT_TRUE(P("2024Q2").Contains(P("2024Q2")));
  EXPECT_FALSE(P("2024H1").Contains(P("2024Q3")));
  EXPECT_FALSE(P("2024Q2").Contains(P("2024H1")));
  EXPECT_FALSE(P("2024").Contains(P("2023-06")));
  EXPECT_FALSE(P("2024-06").Contains(P("2024Q2")));
  EXPECT_TRUE(P("2024Q2").Contains(Date("2024-06-30")));
  EXPECT_FALSE(P("2024Q2").Contains(Date("2024-07-01")));
  EXPECT_FALSE(P("2024Q2").Contains(Date("2023-05-01")));
}

TEST(PeriodTest, OrdersChronologicallyByEnd) {
  std::vector<Period> sorted = {P("2023-12"), P("2023"),   P("2024-02"), P("2024Q1"), P("2024-06"),
                                P("2024Q2"),  P("2024H1"), P("2024-07"), P("2024")};
  for (size_t i = 0; i + 1 < sorted.size(); ++i) {
    EXPECT_LT(sorted[i], sorted[i + 1])
        << sorted[i].ToString() << " < " << sorted[i + 1].ToString();
    EXPECT_GT(sorted[i + 1], sorted[i]);
    EXPECT_NE(sorted[i], sorted[i + 1]);
  }
  EXPECT_EQ(P("2024Q2"), P("2024q2"));
}

TEST(PeriodTest, ElapsedShareOfYearByMonths) {
  struct Case {
    std::string_view period;
    std::string_view share;
  };
  const Case cases[] = {
      {"2024-06", "0.5"},      {"2024Q3", "0.75"},      {"2024H1", "0.5"},       {"2024", "1"},
      {"2024-02", "0.166667"}, {"2024-01", "0.083333"}, {"2024-05", "0.416667"}, {"2024Q1", "0.25"},
      {"2024H2", "1"},         {"2024-12", "1"},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(ElapsedShareOfYear(P(c.period)).ToString(), c.share) << c.period;
  }
}

TEST(PeriodTest, ElapsedShareOfYearAtCountsDaysAndLeapYears) {
  struct Case {
    std::string_view date;
    std::string_view share;
  };
  const Case cases[] = {
      {"2024-06-30", "0.497268"},  // 182 / 366
      {"2023-06-30", "0.49589"},   // 181 / 365 = 0.4958904...
      {"2023-12-31", "1"},        {"2024-12-31", "1"},
      {"2023-01-01", "0.00274"},   // 1 / 365 = 0.0027397...
      {"2024-02-29", "0.163934"},  // 60 / 366
      {"2023-02-28", "0.161644"},  // 59 / 365
  };
  for (const Case& c : cases) {
    EXPECT_EQ(ElapsedShareOfYearAt(Date(c.date)).ToString(), c.share) << c.date;
  }
}

// ---- Civil dates ----

TEST(CivilDateTest, LeapYearsFollowGregorianRules) {
  EXPECT_TRUE(IsLeapYear(2024));
  EXPECT_TRUE(IsLeapYear(2000));
  EXPECT_FALSE(IsLeapYear(1900));
  EXPECT_FALSE(IsLeapYear(2100));
  EXPECT_FALSE(IsLeapYear(2023));
  EXPECT_EQ(DaysInYear(2024), 366);
  EXPECT_EQ(DaysInYear(2023), 365);
  EXPECT_EQ(DaysInMonth(2024, 2), 29);
  EXPECT_EQ(DaysInMonth(1900, 2), 28);
  EXPECT_EQ(DaysInMonth(2000, 2), 29);
  EXPECT_EQ(DaysInMonth(2024, 4), 30);
  EXPECT_EQ(DaysInMonth(2024, 12), 31);
  EXPECT_EQ(DaysInMonth(2024, 13), 0);
}

TEST(CivilDateTest, ParsesAndValidatesIsoDates) {
  struct Case {
    std::string_view text;
    bool ok;
    std::string_view message_part;
  };
  const Case cases[] = {
      {"2024-06-30", true, ""},
      {"2024-02-29", true, ""},
      {"2000-02-29", true, ""},
      {"2023-02-29", false, "2023年2月没有29日"},
      {"1900-02-29", false, "1900年2月没有29日"},
      {"2024-04-31", false, "2024年4月没有31日"},
      {"2024-06-00", false, "没有0日"},
      {"2024-13-01", false, "月份应在1-12之间"},
      {"2024-00-10", false, "月份应在1-12之间"},
      {"0000-01-01", false, "0000"},
      {"2024-6-30", false, "日期格式不正确"},
      {"2024/06/30", false, "日期格式不正确"},
      {"2024-06-3a", false, "日期格式不正确"},
      {"20240630", false, "日期格式不正确"},
      {"", false, "日期格式不正确"},
  };
  for (const Case& c : cases) {
    Result<CivilDate> d = ParseIsoDate(c.text);
    EXPECT_EQ(d.ok(), c.ok) << c.text;
    if (d.ok()) {
      EXPECT_EQ(FormatIsoDate(*d), c.text);
      EXPECT_TRUE(IsValidDate(*d));
    } else {
      EXPECT_NE(d.status().message().find(c.message_part), std::string::npos)
          << c.text << " → " << d.status().message();
    }
  }
  EXPECT_FALSE(IsValidDate(CivilDate{2023, 2, 29}));
  EXPECT_FALSE(IsValidDate(CivilDate{2024, 0, 1}));
}

TEST(CivilDateTest, DayOfYearAndDayOfWeek) {
  EXPECT_EQ(DayOfYear(Date("2024-01-01")), 1);
  EXPECT_EQ(DayOfYear(Date("2024-06-30")), 182);
  EXPECT_EQ(DayOfYear(Date("2024-12-31")), 366);
  EXPECT_EQ(DayOfYear(Date("2023-12-31")), 365);
  struct Case {
    std::string_view date;
    Weekday weekday;
  };
  const Case cases[] = {
      {"1970-01-01", Weekday::kThursday}, {"1969-12-31", Weekday::kWednesday},
      {"2024-06-30", Weekday::kSunday},   {"2000-02-29", Weekday::kTuesday},
      {"1900-03-01", Weekday::kThursday}, {"2024-07-01", Weekday::kMonday},
  };
  for (const Case& c : cases) EXPECT_EQ(DayOfWeek(Date(c.date)), c.weekday) << c.date;
}

TEST(CivilDateTest, AddsDaysAcrossMonthsYearsAndLeapDays) {
  struct Case {
    std::string_view from;
    int64_t days;
    std::string_view to;
  };
  const Case cases[] = {
      {"2024-02-28", 1, "2024-02-29"},  {"2024-02-28", 2, "2024-03-01"},
      {"2023-02-28", 1, "2023-03-01"},  {"2023-12-31", 60, "2024-02-29"},
      {"2024-01-01", -1, "2023-12-31"}, {"1970-01-01", -1, "1969-12-31"},
      {"2024-06-30", 0, "2024-06-30"},  {"2024-02-28", 367, "2025-03-01"},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(FormatIsoDate(AddDays(Date(c.from), c.days)), c.to) << c.from << " + " << c.days;
    EXPECT_EQ(DaysBetween(Date(c.from), Date(c.to)), c.days) << c.from << " → " << c.to;
  }
  EXPECT_EQ(DaysFromCivil(Date("1970-01-01")), 0);
  EXPECT_EQ(DaysFromCivil(Date("2024-06-30")), 19904);
  EXPECT_EQ(FormatIsoDate(CivilFromDays(19904)), "2024-06-30");
}

TEST(CivilDateTest, ComparesDates) {
  EXPECT_TRUE(CompareDates(Date("2024-06-30"), Date("2024-07-01")) < 0);
  EXPECT_TRUE(CompareDates(Date("2024-07-01"), Date("2024-06-30")) > 0);
  EXPECT_TRUE(CompareDates(Date("2023-12-31"), Date("2024-01-01")) < 0);
  EXPECT_TRUE(CompareDates(Date("2024-06-30"), Date("2024-06-30")) == 0);
}

TEST(PeriodTest, MonthOfDate) {
  EXPECT_EQ(Period::MonthOf(Date("2024-06-30")), P("2024-06"));
  EXPECT_EQ(Period::MonthOf(Date("2024-01-15")), P("2024-01"));
}

}  // namespace
}  // namespace tiaodu
