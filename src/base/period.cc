#include "base/period.h"

#include <cassert>
#include <cstdio>
#include <string>
#include <string_view>

namespace tiaodu {

namespace {

constexpr std::string_view kChineseDigits[] = {"零", "一", "二", "三", "四"};

std::string_view TrimSpaces(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

// Parses a non-empty run of 1..max_len digits that must make up all of s; -1 otherwise.
int ParseSmallInt(std::string_view s, size_t max_len) {
  if (s.empty() || s.size() > max_len) return -1;
  int v = 0;
  for (char c : s) {
    if (!IsDigit(c)) return -1;
    v = v * 10 + (c - '0');
  }
  return v;
}

int MaxIndex(PeriodKind kind) {
  switch (kind) {
    case PeriodKind::kMonth:
      return 12;
    case PeriodKind::kQuarter:
      return 4;
    case PeriodKind::kHalf:
      return 2;
    case PeriodKind::kYear:
      return 1;
  }
  return 1;
}

int64_t FloorDiv(int64_t a, int64_t b) { return a / b - ((a % b != 0) && ((a < 0) != (b < 0))); }

std::string YearZh(int year) { return std::to_string(year) + "年"; }

}  // namespace

// ---- Period ----

Result<Period> Period::Make(PeriodKind kind, int year, int index) {
  if (year < kMinYear || year > kMaxYear) {
    return InvalidArgument("年份应在" + std::to_string(kMinYear) + "-" + std::to_string(kMaxYear) +
                           "之间");
  }
  if (index < 1 || index > MaxIndex(kind)) {
    switch (kind) {
      case PeriodKind::kMonth:
        return InvalidArgument("月份应在1-12之间");
      case PeriodKind::kQuarter:
        return InvalidArgument("季度应在1-4之间");
      case PeriodKind::kHalf:
        return InvalidArgument("半年应为H1（上半年）或H2（下半年）");
      case PeriodKind::kYear:
        return InvalidArgument("年度期别的序号应为1");
    }
  }
  return Period(kind, year, index);
}

Period Period::Month(int year, int month) {
  assert(month >= 1 && month <= 12);
  return Period(PeriodKind::kMonth, year, month);
}
Period Period::Quarter(int year, int quarter) {
  assert(quarter >= 1 && quarter <= 4);
  return Period(PeriodKind::kQuarter, year, quarter);
}
Period Period::Half(int year, int half) {
  assert(half >= 1 && half <= 2);
  return Period(PeriodKind::kHalf, year, half);
}
Period Period::Year(int year) { return Period(PeriodKind::kYear, year, 1); }

Result<Period> Period::Parse(std::string_view text) {
  std::string_view s = TrimSpaces(text);
  auto bad_format = [&] {
    return InvalidArgument("期别格式不正确：“" + std::string(text) +
                           "”（应为2024-06、2024Q2、2024H1或2024）");
  };
  if (s.size() < 4) return bad_format();
  int year = ParseSmallInt(s.substr(0, 4), 4);
  if (year < 0) return bad_format();
  std::string_view rest = s.substr(4);
  if (rest.empty()) return Make(PeriodKind::kYear, year, 1);
  PeriodKind kind;
  switch (rest.front()) {
    case '-':
      kind = PeriodKind::kMonth;
      break;
    case 'Q':
    case 'q':
      kind = PeriodKind::kQuarter;
      break;
    case 'H':
    case 'h':
      kind = PeriodKind::kHalf;
      break;
    default:
      return bad_format();
  }
  int index = ParseSmallInt(rest.substr(1), kind == PeriodKind::kMonth ? 2 : 1);
  if (index < 0) return bad_format();
  return Make(kind, year, index);
}

std::string Period::ToString() const {
  char buf[16];
  switch (kind_) {
    case PeriodKind::kMonth:
      std::snprintf(buf, sizeof buf, "%04d-%02d", year_, index_);
      break;
    case PeriodKind::kQuarter:
      std::snprintf(buf, sizeof buf, "%04dQ%d", year_, index_);
      break;
    case PeriodKind::kHalf:
      std::snprintf(buf, sizeof buf, "%04dH%d", year_, index_);
      break;
    case PeriodKind::kYear:
      std::snprintf(buf, sizeof buf, "%04d", year_);
      break;
  }
  return buf;
}

std::string Period::FormatZh() const {
  switch (kind_) {
    case PeriodKind::kMonth:
      return YearZh(year_) + std::to_string(index_) + "月";
    case PeriodKind::kQuarter:
      return YearZh(year_) + "第" +
             std::string(kChineseDigits[index_ >= 1 && index_ <= 4 ? index_ : 0]) + "季度";
    case PeriodKind::kHalf:
      return YearZh(year_) + (index_ == 1 ? "上半年" : "下半年");
    case PeriodKind::kYear:
      return YearZh(year_);
  }
  return YearZh(year_);
}

std::string Period::FormatYtdZh() const {
  switch (kind_) {
    case PeriodKind::kMonth:
      if (index_ == 1) return YearZh(year_) + "1月";
      return YearZh(year_) + "1-" + std::to_string(index_) + "月";
    case PeriodKind::kQuarter:
      switch (index_) {
        case 1:
          return YearZh(year_) + "一季度";
        case 2:
          return YearZh(year_) + "上半年";
        case 3:
          return YearZh(year_) + "前三季度";
        default:
          return YearZh(year_) + "全年";
      }
    case PeriodKind::kHalf:
      return YearZh(year_) + (index_ == 1 ? "上半年" : "全年");
    case PeriodKind::kYear:
      return YearZh(year_) + "全年";
  }
  return YearZh(year_);
}

int Period::StartMonth() const {
  switch (kind_) {
    case PeriodKind::kMonth:
      return index_;
    case PeriodKind::kQuarter:
      return 3 * index_ - 2;
    case PeriodKind::kHalf:
      return 6 * index_ - 5;
    case PeriodKind::kYear:
      return 1;
  }
  return 1;
}

int Period::EndMonth() const {
  switch (kind_) {
    case PeriodKind::kMonth:
      return index_;
    case PeriodKind::kQuarter:
      return 3 * index_;
    case PeriodKind::kHalf:
      return 6 * index_;
    case PeriodKind::kYear:
      return 12;
  }
  return 12;
}

CivilDate Period::StartDate() const { return CivilDate{year_, StartMonth(), 1}; }

CivilDate Period::EndDate() const {
  int m = EndMonth();
  return CivilDate{year_, m, DaysInMonth(year_, m)};
}

Period Period::SamePeriodLastYear() const { return Period(kind_, year_ - 1, index_); }

Period Period::Previous() const {
  if (kind_ == PeriodKind::kMonth) {
    if (index_ <= 2) return Period(kind_, year_ - 1, 12);
    return Period(kind_, year_, index_ - 1);
  }
  if (index_ == 1) return Period(kind_, year_ - 1, MaxIndex(kind_));
  return Period(kind_, year_, index_ - 1);
}

Period Period::Next() const {
  if (kind_ == PeriodKind::kMonth) {
    if (index_ == 12) return Period(kind_, year_ + 1, 2);
    if (index_ == 1) return Period(kind_, year_, 2);
    return Period(kind_, year_, index_ + 1);
  }
  if (index_ == MaxIndex(kind_)) return Period(kind_, year_ + 1, 1);
  return Period(kind_, year_, index_ + 1);
}

bool Period::Contains(const Period& other) const {
  return other.year_ == year_ && other.StartMonth() >= StartMonth() &&
         other.EndMonth() <= EndMonth();
}

bool Period::Contains(const CivilDate& date) const {
  return date.year == year_ && date.month >= StartMonth() && date.month <= EndMonth();
}

std::strong_ordering operator<=>(const Period& a, const Period& b) {
  if (auto c = a.year_ <=> b.year_; c != 0) return c;
  if (auto c = a.EndMonth() <=> b.EndMonth(); c != 0) return c;
  return static_cast<int>(a.kind_) <=> static_cast<int>(b.kind_);
}

bool IsPublishableMonth(const Period& p) {
  return !(p.kind() == PeriodKind::kMonth && p.index() == 1);
}

Result<Period> NormalizeYtdMonth(const Period& p) {
  if (p.kind() != PeriodKind::kMonth) {
    return InvalidArgument("累计数的期别应为月份，而不是“" + p.ToString() + "”");
  }
  if (p.index() == 1) {
    return InvalidArgument("1月数据不单独发布，请填报1-2月累计数（期别" +
                           Period::Month(p.year(), 2).ToString() + "）");
  }
  return p;
}

Decimal ElapsedShareOfYear(const Period& p) {
  return Decimal::FromInt(p.EndMonth()).Div(Decimal::FromInt(12)).value();
}

Decimal ElapsedShareOfYearAt(const CivilDate& date) {
  assert(IsValidDate(date));
  return Decimal::FromInt(DayOfYear(date)).Div(Decimal::FromInt(DaysInYear(date.year))).value();
}

// ---- Civil dates ----

bool IsLeapYear(int year) { return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0; }

int DaysInYear(int year) { return IsLeapYear(year) ? 366 : 365; }

int DaysInMonth(int year, int month) {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (month < 1 || month > 12) return 0;
  if (month == 2 && IsLeapYear(year)) return 29;
  return kDays[month - 1];
}

bool IsValidDate(const CivilDate& date) {
  return date.year >= 1 && date.year <= 9999 && date.month >= 1 && date.month <= 12 &&
         date.day >= 1 && date.day <= DaysInMonth(date.year, date.month);
}

Result<CivilDate> ParseIsoDate(std::string_view text) {
  std::string_view s = TrimSpaces(text);
  auto bad_format = [&] {
    return InvalidArgument("日期格式不正确：“" + std::string(text) + "”（应为YYYY-MM-DD）");
  };
  if (s.size() != 10 || s[4] != '-' || s[7] != '-') return bad_format();
  int year = ParseSmallInt(s.substr(0, 4), 4);
  int month = ParseSmallInt(s.substr(5, 2), 2);
  int day = ParseSmallInt(s.substr(8, 2), 2);
  if (year < 0 || month < 0 || day < 0) return bad_format();
  if (year < 1) return InvalidArgument("日期的年份不能为0000");
  if (month < 1 || month > 12)
    return InvalidArgument("日期的月份应在1-12之间：“" + std::string(text) + "”");
  if (day < 1 || day > DaysInMonth(year, month)) {
    return InvalidArgument(std::to_string(year) + "年" + std::to_string(month) + "月没有" +
                           std::to_string(day) + "日");
  }
  return CivilDate{year, month, day};
}

std::string FormatIsoDate(const CivilDate& date) {
  // The 13710 clock formats every day it steps over: four-digit years without printf, in a
  // string short enough to need no allocation.
  if (date.year >= 1000 && date.year <= 9999 && date.month >= 1 && date.month <= 12 && date.day >= 1 &&
      date.day <= 31) {
    char buf[10];
    int y = date.year;
    for (int i = 3; i >= 0; --i, y /= 10) buf[i] = static_cast<char>('0' + y % 10);
    buf[4] = '-';
    buf[5] = static_cast<char>('0' + date.month / 10);
    buf[6] = static_cast<char>('0' + date.month % 10);
    buf[7] = '-';
    buf[8] = static_cast<char>('0' + date.day / 10);
    buf[9] = static_cast<char>('0' + date.day % 10);
    return std::string(buf, 10);
  }
  char buf[32];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", date.year, date.month, date.day);
  return buf;
}

int DayOfYear(const CivilDate& date) {
  int days = date.day;
  for (int m = 1; m < date.month; ++m) days += DaysInMonth(date.year, m);
  return days;
}

// Howard Hinnant's days_from_civil / civil_from_days.
int64_t DaysFromCivil(const CivilDate& date) {
  const int64_t y = static_cast<int64_t>(date.year) - (date.month <= 2);
  const int64_t era = FloorDiv(y, 400);
  const int64_t yoe = y - era * 400;                          // [0, 399]
  const int64_t mp = (date.month + 9) % 12;                   // March = 0
  const int64_t doy = (153 * mp + 2) / 5 + date.day - 1;      // [0, 365]
  const int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;  // [0, 146096]
  return era * 146097 + doe - 719468;
}

CivilDate CivilFromDays(int64_t days) {
  const int64_t z = days + 719468;
  const int64_t era = FloorDiv(z, 146097);
  const int64_t doe = z - era * 146097;
  const int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const int64_t mp = (5 * doy + 2) / 153;
  const int64_t d = doy - (153 * mp + 2) / 5 + 1;
  const int64_t m = mp < 10 ? mp + 3 : mp - 9;
  const int64_t y = yoe + era * 400 + (m <= 2);
  return CivilDate{static_cast<int>(y), static_cast<int>(m), static_cast<int>(d)};
}

Weekday DayOfWeek(const CivilDate& date) {
  // 1970-01-01 was a Thursday (ISO weekday 4).
  int64_t offset = (DaysFromCivil(date) + 3) % 7;  // 0 = Monday
  if (offset < 0) offset += 7;
  return static_cast<Weekday>(offset + 1);
}

CivilDate AddDays(const CivilDate& date, int64_t days) {
  return CivilFromDays(DaysFromCivil(date) + days);
}

int64_t DaysBetween(const CivilDate& from, const CivilDate& to) {
  return DaysFromCivil(to) - DaysFromCivil(from);
}

std::strong_ordering CompareDates(const CivilDate& a, const CivilDate& b) {
  if (auto c = a.year <=> b.year; c != 0) return c;
  if (auto c = a.month <=> b.month; c != 0) return c;
  return a.day <=> b.day;
}

}  // namespace tiaodu
