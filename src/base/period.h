// Period: the time slot an indicator value belongs to — a month ("2024-06"), a quarter
// ("2024Q2"), a half year ("2024H1") or a year ("2024") — and civil-date helpers (leap years,
// day counts, ISO dates) used by deadlines and by the elapsed share of the year (时间过半).
//
// Publication rule (design 4.1): most indicators are year-to-date values at month ends, and
// January is not published on its own: the first release of a year is 1-2月, stored at
// YYYY-02. A January Period can still be parsed and represented (a few indicators, e.g. air
// quality, are monthly, not YTD), but IsPublishableMonth() is false for it and
// NormalizeYtdMonth() rejects it rather than silently relabelling January data as 1-2月.
//
// Period and CivilDate are small values; all functions are pure and thread-safe.
#pragma once

#include <compare>
#include <cstdint>
#include <string>
#include <string_view>

#include "base/clock.h"  // CivilDate
#include "base/decimal.h"
#include "base/result.h"

namespace tiaodu {

enum class PeriodKind { kMonth, kQuarter, kHalf, kYear };

class Period {
 public:
  static constexpr int kMinYear = 1000;  // four-digit years only
  static constexpr int kMaxYear = 9999;

  // A placeholder (year 0) for structs filled in later; not a valid period.
  Period() = default;

  // Validated construction: year in [kMinYear, kMaxYear]; index 1-12 for a month, 1-4 for a
  // quarter, 1-2 for a half, 1 for a year.
  static Result<Period> Make(PeriodKind kind, int year, int index);
  // Unchecked shorthands for constants in code and tests; assert validity.
  static Period Month(int year, int month);
  static Period Quarter(int year, int quarter);
  static Period Half(int year, int half);
  static Period Year(int year);
  // The month containing a date (the date itself is not validated).
  static Period MonthOf(const CivilDate& date) { return Month(date.year, date.month); }

  // Parses "2024-06" (also "2024-6"), "2024Q2"/"2024q2", "2024H1"/"2024h1", "2024".
  // Surrounding ASCII spaces are ignored. Bad input is InvalidArgument with a Chinese message.
  static Result<Period> Parse(std::string_view text);

  PeriodKind kind() const { return kind_; }
  int year() const { return year_; }
  // Month 1-12, quarter 1-4, half 1-2, or 1 for a year.
  int index() const { return index_; }

  // ISO-like form accepted by Parse: "2024-06", "2024Q2", "2024H1", "2024".
  std::string ToString() const;
  // "2024年6月", "2024年第二季度", "2024年上半年" / "2024年下半年", "2024年".
  std::string FormatZh() const;
  // The label of the year-to-date value ending with this period, as bulletins print it:
  // months "2024年1-6月" (and "2024年1-2月" for the first release; "2024年1月" for January,
  // which is not normally published); quarters "2024年一季度", "2024年上半年",
  // "2024年前三季度", "2024年全年"; halves "2024年上半年", "2024年全年"; a year "2024年全年".
  std::string FormatYtdZh() const;

  // First and last calendar month covered (quarter 2 → 4 and 6, half 1 → 1 and 6).
  int StartMonth() const;
  int EndMonth() const;
  CivilDate StartDate() const;
  CivilDate EndDate() const;  // the last day, e.g. 2024-06-30

  // Same kind and index, one year earlier (the base of 同比).
  Period SamePeriodLastYear() const;
  // The previous period in publication order. For months this is the previous published
  // month: January is skipped, so 2024-03 → 2024-02, 2024-02 → 2023-12 (and 2024-01 →
  // 2023-12). Quarters/halves/years step back by one (2024Q1 → 2023Q4).
  Period Previous() const;
  // The inverse of Previous(): 2023-12 → 2024-02, 2024-01 → 2024-02, 2024Q4 → 2025Q1.
  Period Next() const;

  // Whether every month of `other` lies within this period (2024H1 contains 2024Q2 and
  // 2024-03; a period contains itself).
  bool Contains(const Period& other) const;
  bool Contains(const CivilDate& date) const;

  friend bool operator==(const Period&, const Period&) = default;
  // Chronological by end: year, then end month, then kind (month < quarter < half < year),
  // so 2024-06 < 2024Q2 < 2024H1 < 2024-07 < 2024.
  friend std::strong_ordering operator<=>(const Period& a, const Period& b);

 private:
  Period(PeriodKind kind, int year, int index) : kind_(kind), year_(year), index_(index) {}
  PeriodKind kind_ = PeriodKind::kYear;
  int year_ = 0;
  int index_ = 1;
};

// False only for January: January is published together with February as 1-2月.
// Non-month periods are always publishable.
bool IsPublishableMonth(const Period& p);
// The period under which a year-to-date monthly value is stored. January is rejected
// (InvalidArgument "1月数据不单独发布，请填报1-2月累计数（期别YYYY-02）") instead of being
// mapped to YYYY-02, because a January-only figure is not the 1-2月 cumulative figure.
// Other months are returned unchanged; non-month periods are InvalidArgument.
Result<Period> NormalizeYtdMonth(const Period& p);

// Months elapsed at the end of the period ÷ 12, exactly where possible and otherwise rounded
// to 6 places: 2024-06 → 0.5, 2024Q3 → 0.75, 2024H1 → 0.5, 2024 → 1, 2024-01 → 0.083333.
Decimal ElapsedShareOfYear(const Period& p);
// Days elapsed by the end of `date` ÷ days in its year (366 in leap years), rounded to 6
// places: 2023-12-31 → 1, 2024-06-30 → 182/366 = 0.497268. The date must be valid.
Decimal ElapsedShareOfYearAt(const CivilDate& date);

// ---- Civil dates (proleptic Gregorian calendar) ----

enum class Weekday { kMonday = 1, kTuesday, kWednesday, kThursday, kFriday, kSaturday, kSunday };

bool IsLeapYear(int year);
int DaysInYear(int year);
// 28-31; 0 for a month outside 1-12.
int DaysInMonth(int year, int month);
// Month 1-12 and day within the month (year 1-9999).
bool IsValidDate(const CivilDate& date);
// Parses "2024-06-30" (exactly YYYY-MM-DD), checking month and day ranges and leap years.
Result<CivilDate> ParseIsoDate(std::string_view text);
// "2024-06-30".
std::string FormatIsoDate(const CivilDate& date);
// 1 for 1 January .. 365/366 for 31 December.
int DayOfYear(const CivilDate& date);
Weekday DayOfWeek(const CivilDate& date);
// Days since 1970-01-01 (negative before), and back.
int64_t DaysFromCivil(const CivilDate& date);
CivilDate CivilFromDays(int64_t days);
CivilDate AddDays(const CivilDate& date, int64_t days);
// to − from in days (positive when `to` is later).
int64_t DaysBetween(const CivilDate& from, const CivilDate& to);
// Three-way comparison of dates (CivilDate itself declares no operators).
std::strong_ordering CompareDates(const CivilDate& a, const CivilDate& b);

}  // namespace tiaodu
