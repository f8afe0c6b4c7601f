#include "supervision/calendar.h"

#include <compare>
#include <map>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "base/period.h"

namespace tiaodu::supervision {

// The State Council's arrangements, verified against the published texts (see
// docs/decisions/0012-working-day-calendar.md for where each was read):
//   2024: 国务院办公厅关于2024年部分节假日安排的通知（国办发明电〔2023〕7号，2023年10月25日）
//   2025: 国务院办公厅关于2025年部分节假日安排的通知（国办发明电〔2024〕12号，2024年11月12日）
//   2026: 国务院办公厅关于2026年部分节假日安排的通知（2025年11月4日，新华社全文播发；
//         the copies consulted do not print its number）
// Holidays are listed day by day as the notices give them, weekends within them included;
// "workday" lines are the make-up working days (all on a Saturday or Sunday).
const char* const kOfficialCalendarText =
    R"(# 国务院办公厅关于2024年部分节假日安排的通知（国办发明电〔2023〕7号）
2024-01-01 holiday 元旦
2024-02-10..2024-02-17 holiday 春节
2024-02-04 workday 春节调休上班
2024-02-18 workday 春节调休上班
2024-04-04..2024-04-06 holiday 清明节
2024-04-07 workday 清明节调休上班
2024-05-01..2024-05-05 holiday 劳动节
2024-04-28 workday 劳动节调休上班
2024-05-11 workday 劳动节调休上班
2024-06-10 holiday 端午节
2024-09-15..2024-09-17 holiday 中秋节
2024-09-14 workday 中秋节调休上班
2024-10-01..2024-10-07 holiday 国庆节
2024-09-29 workday 国庆节调休上班
2024-10-12 workday 国庆节调休上班
# 国务院办公厅关于2025年部分节假日安排的通知（国办发明电〔2024〕12号）
2025-01-01 holiday 元旦
2025-01-28..2025-02-04 holiday 春节
2025-01-26 workday 春节调休上班
2025-02-08 workday 春节调休上班
2025-04-04..2025-04-06 holiday 清明节
2025-05-01..2025-05-05 holiday 劳动节
2025-04-27 workday 劳动节调休上班
2025-05-31..2025-06-02 holiday 端午节
2025-10-01..2025-10-08 holiday 国庆节、中秋节
2025-09-28 workday 国庆节、中秋节调休上班
2025-10-11 workday 国庆节、中秋节调休上班
# 国务院办公厅关于2026年部分节假日安排的通知（2025年11月4日）
2026-01-01..2026-01-03 holiday 元旦
2026-01-04 workday 元旦调休上班
2026-02-15..2026-02-23 holiday 春节
2026-02-14 workday 春节调休上班
2026-02-28 workday 春节调休上班
2026-04-04..2026-04-06 holiday 清明节
2026-05-01..2026-05-05 holiday 劳动节
2026-05-09 workday 劳动节调休上班
2026-06-19..2026-06-21 holiday 端午节
2026-09-25..2026-09-27 holiday 中秋节
2026-10-01..2026-10-07 holiday 国庆节
2026-09-20 workday 国庆节调休上班
2026-10-10 workday 国庆节调休上班
)";

namespace {

constexpr int kMaxRangeDays = 31;

bool IsWeekend(const CivilDate& d) {
  Weekday w = DayOfWeek(d);
  return w == Weekday::kSaturday || w == Weekday::kSunday;
}

const char* WeekdayName(const CivilDate& d) {
  static const char* const kNames[] = {"",       "星期一", "星期二", "星期三",
                                       "星期四", "星期五", "星期六", "星期日"};
  return kNames[static_cast<int>(DayOfWeek(d))];
}

bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\r'; }

std::string_view Trim(std::string_view s) {
  while (!s.empty() && IsSpace(s.front())) s.remove_prefix(1);
  while (!s.empty() && IsSpace(s.back())) s.remove_suffix(1);
  return s;
}

// The next whitespace-separated token of `s` (advancing it past the token).
std::string_view NextToken(std::string_view& s) {
  s = Trim(s);
  size_t end = 0;
  while (end < s.size() && !IsSpace(s[end])) ++end;
  std::string_view token = s.substr(0, end);
  s.remove_prefix(end);
  return token;
}

std::string Quote(std::string_view s) { return "“" + std::string(s) + "”"; }

// Working days among Monday–Friday in (from, to], from <= to, ignoring the calendar.
int64_t WeekdaysAfter(const CivilDate& from, const CivilDate& to) {
  int64_t days = DaysBetween(from, to);
  int64_t count = days / 7 * 5;
  CivilDate d = AddDays(from, days / 7 * 7);
  for (int64_t i = 0; i < days % 7; ++i) {
    d = AddDays(d, 1);
    if (!IsWeekend(d)) ++count;
  }
  return count;
}

}  // namespace

const Calendar& OfficialCalendar() {
  static const Calendar* const kCalendar = [] {
    Result<Calendar> cal = ParseCalendar(kOfficialCalendarText);
    // The shipped text is checked by the unit tests; a failure here is a programming error.
    return new Calendar(cal.ok() ? std::move(cal).value() : Calendar{});
  }();
  return *kCalendar;
}

bool IsWorkingDay(const Calendar& cal, const CivilDate& date) {
  if (cal.days.empty()) return !IsWeekend(date);
  auto it = cal.days.find(FormatIsoDate(date));
  if (it != cal.days.end()) return it->second.working;
  return !IsWeekend(date);
}

CivilDate AddWorkingDays(const Calendar& cal, const CivilDate& date, int n) {
  CivilDate d = date;
  // Terminates: only finitely many dates are listed, and every week outside them has
  // five working days.
  while (!IsWorkingDay(cal, d)) d = AddDays(d, 1);
  for (int i = 0; i < n; ++i) {
    d = AddDays(d, 1);
    while (!IsWorkingDay(cal, d)) d = AddDays(d, 1);
  }
  return d;
}

int64_t WorkingDaysBetween(const Calendar& cal, const CivilDate& from, const CivilDate& to) {
  std::strong_ordering order = CompareDates(from, to);
  if (order == 0) return 0;
  if (order > 0) return -WorkingDaysBetween(cal, to, from);
  int64_t count = WeekdaysAfter(from, to);
  // Correct for the listed dates in (from, to]: ISO keys sort as dates do.
  auto it = cal.days.upper_bound(FormatIsoDate(from));
  auto end = cal.days.upper_bound(FormatIsoDate(to));
  for (; it != end; ++it) {
    Result<CivilDate> d = ParseIsoDate(it->first);
    if (!d.ok()) continue;  // not produced by ParseCalendar; ignored as IsWorkingDay would
    bool weekday = !IsWeekend(*d);
    if (weekday && !it->second.working) --count;
    if (!weekday && it->second.working) ++count;
  }
  return count;
}

CivilDate ClockStartDay(const Calendar& cal, int64_t millis, int office_end_minutes,
                        int offset_minutes) {
  constexpr int64_t kDayMillis = 86'400'000;
  CivilDate day = ToCivil(millis, offset_minutes);
  int64_t local = millis + int64_t{offset_minutes} * 60'000;
  int64_t minute_of_day = ((local % kDayMillis) + kDayMillis) % kDayMillis / 60'000;
  if (IsWorkingDay(cal, day) && minute_of_day < office_end_minutes) return day;
  return AddWorkingDays(cal, AddDays(day, 1), 0);
}

std::vector<int> CoveredYears(const Calendar& cal) {
  std::set<int> years;
  for (const auto& [iso, special] : cal.days) {
    Result<CivilDate> d = ParseIsoDate(iso);
    if (d.ok()) years.insert(d->year);
  }
  return {years.begin(), years.end()};
}

Result<Calendar> ParseCalendar(std::string_view text) {
  Calendar cal;
  std::vector<Detail> errors;
  std::map<std::string, int> line_of;  // ISO date → the line that listed it
  if (text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);
  int line_no = 0;
  for (bool more = true; more;) {
    ++line_no;
    size_t nl = text.find('\n');
    more = nl != std::string_view::npos;
    std::string_view line = text.substr(0, nl);
    if (more) text.remove_prefix(nl + 1);
    std::string field = "line " + std::to_string(line_no);
    auto fail = [&](std::string reason) {
      errors.push_back({field, "第" + std::to_string(line_no) + "行：" + std::move(reason)});
    };

    line = Trim(line);
    if (line.empty() || line.front() == '#') continue;
    std::string_view rest = line;
    std::string_view dates = NextToken(rest);
    std::string_view kind = NextToken(rest);
    std::string note(Trim(rest));

    // Dates: "YYYY-MM-DD" or "YYYY-MM-DD..YYYY-MM-DD".
    std::string_view first_text = dates, last_text = dates;
    if (size_t dots = dates.find(".."); dots != std::string_view::npos) {
      first_text = dates.substr(0, dots);
      last_text = dates.substr(dots + 2);
    }
    Result<CivilDate> first = ParseIsoDate(first_text);
    Result<CivilDate> last = ParseIsoDate(last_text);
    bool ok = true;
    if (!first.ok() || !last.ok()) {
      fail("日期" + Quote(!first.ok() ? first_text : last_text) +
           "无效，应为YYYY-MM-DD（如2026-02-15）或YYYY-MM-DD..YYYY-MM-DD");
      ok = false;
    } else if (CompareDates(*first, *last) > 0) {
      fail("日期范围" + Quote(dates) + "的结束日期早于开始日期");
      ok = false;
    } else if (DaysBetween(*first, *last) >= kMaxRangeDays) {
      fail("日期范围" + Quote(dates) + "超过" + std::to_string(kMaxRangeDays) + "天");
      ok = false;
    }
    bool working = false;
    if (kind == "workday") {
      working = true;
    } else if (kind != "holiday") {
      fail(kind.empty() ? "缺少类型，应为holiday（放假）或workday（调休上班）"
                        : "类型应为holiday（放假）或workday（调休上班），而非" + Quote(kind));
      ok = false;
    }
    if (ok) {
      for (CivilDate d = *first; CompareDates(d, *last) <= 0; d = AddDays(d, 1)) {
        std::string iso = FormatIsoDate(d);
        if (working && !IsWeekend(d)) {
          fail(iso + "是" + WeekdayName(d) + "，本就是工作日，不能标为调休上班日");
          break;
        }
        if (auto seen = line_of.find(iso); seen != line_of.end()) {
          fail(iso + "已在第" + std::to_string(seen->second) + "行列出");
          break;
        }
        line_of[iso] = line_no;
        cal.days[iso] = Calendar::Special{working, note};
      }
    }
  }
  if (!errors.empty()) {
    std::string message = "节假日日历有" + std::to_string(errors.size()) + "行错误";
    return InvalidArgument(std::move(message), std::move(errors));
  }
  return cal;
}

std::string FormatCalendar(const Calendar& cal) {
  std::string out;
  for (const auto& [iso, special] : cal.days) {
    out += iso;
    out += special.working ? " workday" : " holiday";
    if (!special.note.empty()) {
      out += ' ';
      out += special.note;
    }
    out += '\n';
  }
  return out;
}

}  // namespace tiaodu::supervision
