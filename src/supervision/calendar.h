// Working-day arithmetic over an editable holiday calendar, the State Council's holiday
// arrangements for 2024–2026 as shipped data, and the calendar's text format.
// Pure functions; thread-safe. See docs/decisions/0012-working-day-calendar.md.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "base/clock.h"
#include "base/result.h"
#include "supervision/model.h"

namespace tiaodu::supervision {

// The official arrangements (国务院办公厅关于2024/2025/2026年部分节假日安排的通知):
// every holiday date and every make-up working day, parsed from kOfficialCalendarText.
const Calendar& OfficialCalendar();
// The same data in the text format (ParseCalendar), with the documents cited in comments.
extern const char* const kOfficialCalendarText;

// Listed holidays are off, listed make-up working days are on; otherwise Monday–Friday.
bool IsWorkingDay(const Calendar& cal, const CivilDate& date);
// n = 0: `date` itself if it is a working day, else the next working day. n > 0: the n-th
// working day after that day. A negative n is treated as 0.
CivilDate AddWorkingDays(const Calendar& cal, const CivilDate& date, int n);
// The number of working days d with from < d <= to (so that AddWorkingDays(from, k) == to
// for a working day `from` and k = the result); negative, counted the same way, when `to`
// is before `from`; 0 when they are equal.
int64_t WorkingDaysBetween(const Calendar& cal, const CivilDate& from, const CivilDate& to);

// The day the clock of a task assigned at `millis` counts from: its Beijing date (shifted by
// offset_minutes) if that is a working day and the time is before office_end_minutes; else
// the next working day after it.
CivilDate ClockStartDay(const Calendar& cal, int64_t millis, int office_end_minutes,
                        int offset_minutes = 480);

// Years that have at least one listed date (a year without any probably lacks its
// arrangements: weekends alone will be used).
std::vector<int> CoveredYears(const Calendar& cal);

// The text format, one date (or range) a line:
//   2026-02-15..2026-02-23 holiday 春节
//   2026-02-14 workday 春节调休上班
// "holiday" (放假) or "workday" (调休上班), then an optional note. Blank lines and lines
// starting with '#' are skipped; CRLF and a UTF-8 BOM are accepted. A range is at most 31
// days. Errors: InvalidArgument "节假日日历有N行错误" with one Detail per bad line (field
// "line 3", reason in Chinese): bad date, bad range, unknown kind, a working weekday marked
// as a make-up working day, a date listed twice.
Result<Calendar> ParseCalendar(std::string_view text);
// One line per date in date order ("2026-02-14 workday 春节调休上班"); ParseCalendar of it
// gives the same calendar.
std::string FormatCalendar(const Calendar& cal);

}  // namespace tiaodu::supervision
