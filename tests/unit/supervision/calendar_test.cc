#include "supervision/calendar.h"

#include <gtest/gtest.h>

#include <string>
#include <string_view>
#include <vector>

#include "base/period.h"

namespace tiaodu::supervision {
namespace {

CivilDate Date(std::string_view iso) {
  Result<CivilDate> d = ParseIsoDate(iso);
  EXPECT_TRUE(d.ok()) << iso;
  return d.value_or(CivilDate{2000, 1, 1});
}

std::string Iso(const CivilDate& d) { return FormatIsoDate(d); }

// A Beijing-time instant.
int64_t Bj(std::string_view iso, int hour, int minute = 0) {
  return DaysFromCivil(Date(iso)) * 86'400'000 + (hour * 60 + minute) * int64_t{60'000} -
         480 * int64_t{60'000};
}

const Calendar& Cal() { return OfficialCalendar(); }

std::string DetailReason(const Status& s, std::string_view field) {
  for (const Detail& d : s.details()) {
    if (d.field == field) return d.reason;
  }
  return "";
}

// ---- The shipped arrangements ----

TEST(OfficialCalendar, ParsesAndCoversTheThreeYears) {
  Result<Calendar> parsed = ParseCalendar(kOfficialCalendarText);
  ASSERT_TRUE(parsed.ok()) << parsed.status().message();
  EXPECT_EQ(CoveredYears(Cal()), (std::vector<int>{2024, 2025, 2026}));
}

// The number of holiday dates and make-up working days of each year, as the notices give them.
TEST(OfficialCalendar, HolidayAndMakeUpDayCountsMatchTheNotices) {
  struct Count {
    int year, holidays, workdays;
  };
  // 2024: 元旦1 春节8 清明3 劳动5 端午1 中秋3 国庆7; 8 make-up days.
  // 2025: 元旦1 春节8 清明3 劳动5 端午3 国庆中秋8; 5 make-up days.
  // 2026: 元旦3 春节9 清明3 劳动5 端午3 中秋3 国庆7; 6 make-up days.
  for (Count c : {Count{2024, 28, 8}, Count{2025, 28, 5}, Count{2026, 33, 6}}) {
    int holidays = 0, workdays = 0;
    for (const auto& [iso, special] : Cal().days) {
      if (Date(iso).year != c.year) continue;
      (special.working ? workdays : holidays)++;
    }
    EXPECT_EQ(holidays, c.holidays) << c.year;
    EXPECT_EQ(workdays, c.workdays) << c.year;
  }
}

// Working days a year: 2024 has 251, 2025 and 2026 have 248 (weekdays − weekday holidays +
// make-up days), the figures published with the arrangements' commentary.
TEST(OfficialCalendar, WorkingDaysPerYear) {
  EXPECT_EQ(WorkingDaysBetween(Cal(), Date("2023-12-31"), Date("2024-12-31")), 251);
  EXPECT_EQ(WorkingDaysBetween(Cal(), Date("2024-12-31"), Date("2025-12-31")), 248);
  EXPECT_EQ(WorkingDaysBetween(Cal(), Date("2025-12-31"), Date("2026-12-31")), 248);
}

TEST(OfficialCalendar, EveryMakeUpDayIsAWeekendDay) {
  for (const auto& [iso, special] : Cal().days) {
    if (!special.working) continue;
    Weekday w = DayOfWeek(Date(iso));
    EXPECT_TRUE(w == Weekday::kSaturday || w == Weekday::kSunday) << iso;
  }
}

// ---- IsWorkingDay ----

TEST(IsWorkingDay, WeekdaysWeekendsHolidaysAndMakeUpDays) {
  EXPECT_TRUE(IsWorkingDay(Cal(), Date("2024-06-14")));   // a Friday
  EXPECT_FALSE(IsWorkingDay(Cal(), Date("2024-06-15")));  // a Saturday
  EXPECT_FALSE(IsWorkingDay(Cal(), Date("2024-06-16")));  // a Sunday
  EXPECT_FALSE(IsWorkingDay(Cal(), Date("2024-06-10")));  // 端午 (Monday)
  EXPECT_FALSE(IsWorkingDay(Cal(), Date("2024-10-01")));  // 国庆
  EXPECT_FALSE(IsWorkingDay(Cal(), Date("2024-10-07")));  // 国庆's last day, a Monday
  EXPECT_TRUE(IsWorkingDay(Cal(), Date("2024-10-08")));
  EXPECT_TRUE(IsWorkingDay(Cal(), Date("2024-09-29")));   // 调休: a Sunday at work
  EXPECT_TRUE(IsWorkingDay(Cal(), Date("2024-10-12")));   // 调休: a Saturday at work
  EXPECT_FALSE(IsWorkingDay(Cal(), Date("2024-10-13")));  // the Sunday after it is off
  EXPECT_TRUE(IsWorkingDay(Cal(), Date("2026-01-04")));   // 元旦调休, a Sunday
  EXPECT_TRUE(IsWorkingDay(Cal(), Date("2026-02-14")));   // 春节调休, a Saturday
  EXPECT_FALSE(IsWorkingDay(Cal(), Date("2026-02-23")));  // 春节's last day, a Monday
  EXPECT_FALSE(IsWorkingDay(Cal(), Date("2025-10-08")));  // 国庆中秋's eighth day
}

TEST(IsWorkingDay, AnEmptyCalendarHasOnlyWeekends) {
  Calendar empty;
  EXPECT_TRUE(IsWorkingDay(empty, Date("2024-10-01")));
  EXPECT_FALSE(IsWorkingDay(empty, Date("2024-10-12")));
}

// ---- AddWorkingDays ----

TEST(AddWorkingDays, ZeroIsTheSameDayOrTheNextWorkingDay) {
  EXPECT_EQ(Iso(AddWorkingDays(Cal(), Date("2024-06-14"), 0)), "2024-06-14");
  EXPECT_EQ(Iso(AddWorkingDays(Cal(), Date("2024-06-15"), 0)), "2024-06-17");
  EXPECT_EQ(Iso(AddWorkingDays(Cal(), Date("2024-10-01"), 0)), "2024-10-08");
  EXPECT_EQ(Iso(AddWorkingDays(Cal(), Date("2024-10-12"), 0)), "2024-10-12");
  EXPECT_EQ(Iso(AddWorkingDays(Cal(), Date("2024-06-14"), -3)), "2024-06-14");
}

TEST(AddWorkingDays, SkipsWeekendsAndHolidaysAndCountsMakeUpDays) {
  // Over a weekend.
  EXPECT_EQ(Iso(AddWorkingDays(Cal(), Date("2024-06-14"), 1)), "2024-06-17");
  EXPECT_EQ(Iso(AddWorkingDays(Cal(), Date("2024-06-14"), 10)), "2024-06-28");
  // Over 国庆 2024, the make-up Saturday 10-12 counted.
  EXPECT_EQ(Iso(AddWorkingDays(Cal(), Date("2024-09-30"), 1)), "2024-10-08");
  EXPECT_EQ(Iso(AddWorkingDays(Cal(), Date("2024-09-30"), 5)), "2024-10-12");
  EXPECT_EQ(Iso(AddWorkingDays(Cal(), Date("2024-09-30"), 10)), "2024-10-18");
  // Over 春节 2026, from the Friday before the make-up Saturday.
  EXPECT_EQ(Iso(AddWorkingDays(Cal(), Date("2026-02-13"), 1)), "2026-02-14");
  EXPECT_EQ(Iso(AddWorkingDays(Cal(), Date("2026-02-13"), 2)), "2026-02-24");
  EXPECT_EQ(Iso(AddWorkingDays(Cal(), Date("2026-02-13"), 6)), "2026-02-28");
  // A year boundary: 2025-12-31 → 元旦 2026-01-01..03 off, 01-04 (Sunday) on.
  EXPECT_EQ(Iso(AddWorkingDays(Cal(), Date("2025-12-31"), 1)), "2026-01-04");
}

TEST(WorkingDaysBetween, CountsTheWorkingDaysAfterFromUpToTo) {
  EXPECT_EQ(WorkingDaysBetween(Cal(), Date("2024-09-30"), Date("2024-10-18")), 10);
  EXPECT_EQ(WorkingDaysBetween(Cal(), Date("2024-10-18"), Date("2024-09-30")), -10);
  EXPECT_EQ(WorkingDaysBetween(Cal(), Date("2024-09-30"), Date("2024-09-30")), 0);
  EXPECT_EQ(WorkingDaysBetween(Cal(), Date("2024-06-14"), Date("2024-06-17")), 1);
  EXPECT_EQ(WorkingDaysBetween(Cal(), Date("2024-06-14"), Date("2024-06-16")), 0);
  EXPECT_EQ(WorkingDaysBetween(Cal(), Date("2024-06-15"), Date("2024-06-16")), 0);
  EXPECT_EQ(WorkingDaysBetween(Cal(), Date("2024-10-11"), Date("2024-10-12")), 1);
}

// AddWorkingDays and WorkingDaysBetween agree on every working day of the three years.
TEST(WorkingDaysBetween, InvertsAddWorkingDays) {
  for (CivilDate d = Date("2024-01-01"); d.year <= 2026; d = AddDays(d, 1)) {
    if (!IsWorkingDay(Cal(), d)) continue;
    for (int n : {0, 1, 3, 7, 10, 30}) {
      ASSERT_EQ(WorkingDaysBetween(Cal(), d, AddWorkingDays(Cal(), d, n)), n)
          << Iso(d) << " + " << n;
    }
  }
}

// ---- ClockStartDay ----

TEST(ClockStartDay, BeforeOfficeEndOnAWorkingDayIsThatDay) {
  EXPECT_EQ(Iso(ClockStartDay(Cal(), Bj("2024-06-14", 9), 17 * 60 + 30)), "2024-06-14");
  EXPECT_EQ(Iso(ClockStartDay(Cal(), Bj("2024-06-14", 17, 29), 17 * 60 + 30)), "2024-06-14");
  // Just after midnight Beijing time (still the previous day in UTC).
  EXPECT_EQ(Iso(ClockStartDay(Cal(), Bj("2024-06-14", 0, 5), 17 * 60 + 30)), "2024-06-14");
}

TEST(ClockStartDay, AtOrAfterOfficeEndIsTheNextWorkingDay) {
  EXPECT_EQ(Iso(ClockStartDay(Cal(), Bj("2024-06-14", 17, 30), 17 * 60 + 30)), "2024-06-17");
  EXPECT_EQ(Iso(ClockStartDay(Cal(), Bj("2024-06-13", 21), 17 * 60 + 30)), "2024-06-14");
  // The day before 国庆, after hours → the first working day after the holiday.
  EXPECT_EQ(Iso(ClockStartDay(Cal(), Bj("2024-09-30", 18), 17 * 60 + 30)), "2024-10-08");
  // Configurable office end.
  EXPECT_EQ(Iso(ClockStartDay(Cal(), Bj("2024-06-14", 17, 45), 18 * 60)), "2024-06-14");
}

TEST(ClockStartDay, OnANonWorkingDayIsTheNextWorkingDay) {
  EXPECT_EQ(Iso(ClockStartDay(Cal(), Bj("2024-06-15", 9), 17 * 60 + 30)), "2024-06-17");
  EXPECT_EQ(Iso(ClockStartDay(Cal(), Bj("2024-10-03", 9), 17 * 60 + 30)), "2024-10-08");
  // A make-up Sunday is a working day.
  EXPECT_EQ(Iso(ClockStartDay(Cal(), Bj("2024-09-29", 9), 17 * 60 + 30)), "2024-09-29");
}

// ---- Text format ----

TEST(ParseCalendar, ReadsDatesRangesNotesCommentsCrlfAndBom) {
  Result<Calendar> cal = ParseCalendar(
      "\xEF\xBB\xBF# 本县补充\r\n"
      "\r\n"
      "2027-02-05..2027-02-07 holiday 春节\r\n"
      "2027-02-13 workday 调休\r\n"
      "  2027-03-01   holiday   \n"
      "2027-03-08 holiday 三八 妇女节");
  ASSERT_TRUE(cal.ok()) << cal.status().message();
  ASSERT_EQ(cal->days.size(), 6u);
  EXPECT_FALSE(cal->days.at("2027-02-06").working);
  EXPECT_EQ(cal->days.at("2027-02-06").note, "春节");
  EXPECT_TRUE(cal->days.at("2027-02-13").working);
  EXPECT_EQ(cal->days.at("2027-03-01").note, "");
  EXPECT_EQ(cal->days.at("2027-03-08").note, "三八 妇女节");
}

TEST(ParseCalendar, EmptyTextIsAnEmptyCalendar) {
  Result<Calendar> cal = ParseCalendar("");
  ASSERT_TRUE(cal.ok());
  EXPECT_TRUE(cal->days.empty());
}

TEST(ParseCalendar, BadDate) {
  Result<Calendar> cal = ParseCalendar("2026-02-30 holiday 春节");
  ASSERT_FALSE(cal.ok());
  EXPECT_EQ(cal.status().code(), Code::kInvalidArgument);
  EXPECT_EQ(cal.status().message(), "节假日日历有1行错误");
  EXPECT_EQ(DetailReason(cal.status(), "line 1"),
            "第1行：日期“2026-02-30”无效，应为YYYY-MM-DD（如2026-02-15）或"
            "YYYY-MM-DD..YYYY-MM-DD");
  EXPECT_FALSE(ParseCalendar("2026/02/15 holiday").ok());
  EXPECT_FALSE(ParseCalendar("2026-02-15..2026-02-3x holiday").ok());
}

TEST(ParseCalendar, BadKind) {
  Result<Calendar> cal = ParseCalendar("2026-02-15 holliday 春节\n2026-02-16\n");
  ASSERT_FALSE(cal.ok());
  EXPECT_EQ(DetailReason(cal.status(), "line 1"),
            "第1行：类型应为holiday（放假）或workday（调休上班），而非“holliday”");
  EXPECT_EQ(DetailReason(cal.status(), "line 2"),
            "第2行：缺少类型，应为holiday（放假）或workday（调休上班）");
}

TEST(ParseCalendar, AWeekdayCannotBeAMakeUpDay) {
  Result<Calendar> cal = ParseCalendar("2026-02-16 workday 调休");
  ASSERT_FALSE(cal.ok());
  EXPECT_EQ(DetailReason(cal.status(), "line 1"),
            "第1行：2026-02-16是星期一，本就是工作日，不能标为调休上班日");
}

TEST(ParseCalendar, ADateListedTwice) {
  Result<Calendar> cal = ParseCalendar(
      "2026-02-15 holiday 春节\n"
      "# a comment\n"
      "2026-02-14..2026-02-16 holiday 春节\n");
  ASSERT_FALSE(cal.ok());
  EXPECT_EQ(DetailReason(cal.status(), "line 3"), "第3行：2026-02-15已在第1行列出");
}

TEST(ParseCalendar, BadRanges) {
  Result<Calendar> reversed = ParseCalendar("2026-02-23..2026-02-15 holiday 春节");
  ASSERT_FALSE(reversed.ok());
  EXPECT_EQ(DetailReason(reversed.status(), "line 1"),
            "第1行：日期范围“2026-02-23..2026-02-15”的结束日期早于开始日期");
  Result<Calendar> too_long = ParseCalendar("2026-01-01..2026-02-15 holiday 寒假");
  ASSERT_FALSE(too_long.ok());
  EXPECT_EQ(DetailReason(too_long.status(), "line 1"),
            "第1行：日期范围“2026-01-01..2026-02-15”超过31天");
}

TEST(ParseCalendar, ReportsEveryBadLine) {
  Result<Calendar> cal = ParseCalendar(
      "2026-02-15 holiday 春节\n"
      "2026-13-01 holiday\n"
      "2026-02-17 rest\n"
      "2026-02-18 holiday\n"
      "2026-02-19 workday\n");
  ASSERT_FALSE(cal.ok());
  EXPECT_EQ(cal.status().message(), "节假日日历有3行错误");
  ASSERT_EQ(cal.status().details().size(), 3u);
  EXPECT_EQ(cal.status().details()[0].field, "line 2");
  EXPECT_EQ(cal.status().details()[1].field, "line 3");
  EXPECT_EQ(cal.status().details()[2].field, "line 5");
}

TEST(FormatCalendar, RoundTrips) {
  std::string text = FormatCalendar(Cal());
  EXPECT_NE(text.find("2024-10-12 workday 国庆节调休上班\n"), std::string::npos);
  EXPECT_NE(text.find("2026-02-15 holiday 春节\n"), std::string::npos);
  Result<Calendar> again = ParseCalendar(text);
  ASSERT_TRUE(again.ok()) << again.status().message();
  EXPECT_EQ(FormatCalendar(*again), text);
  EXPECT_EQ(again->days.size(), Cal().days.size());
}

}  // namespace
}  // namespace tiaodu::supervision
