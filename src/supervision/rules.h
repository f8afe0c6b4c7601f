// The 13710 clock as pure functions: each step's deadline for a task and its profile, which
// steps are overdue at an instant, the light (绿/黄/红), the escalation level, and the check
// of a justified new deadline for a complex matter. No I/O, no clock: "now" is passed in.
// Thread-safe. See docs/decisions/0013-13710-rule.md.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "base/clock.h"
#include "base/result.h"
#include "supervision/model.h"

namespace tiaodu::supervision {

// Checks settings as an administrator may edit them. InvalidArgument with details:
// offset and office end within a day; thresholds >= 0; max_new_deadline_days 1..3660;
// each profile: code 1–32 of [a-z0-9_-], unique, a name, steps with known codes, each code
// at most once, working_days 0..366, exactly one kComplete step, repeating only with
// repeat_every 1..366; completion classes 0..366, unique.
Status CheckSettings(const ClockSettings& s);

// The profile with that code, or NotFound "未知的督办时限方案“x”".
Result<ClockProfile> FindProfile(const ClockSettings& s, std::string_view code);

// Checks a task's clock inputs against the settings: a known profile; for a profile with
// completion classes, a completion_class among them ("请选择办结时限类别：1、3、7、10个工作日").
Status CheckTaskClock(const Task& task, const ClockSettings& s);

// The original completion deadline (before any new deadline): the kComplete step's working
// days (or the chosen class) after the clock's start day.
Result<CivilDate> OriginalCompletionDue(const Task& task, const Calendar& cal,
                                        const ClockSettings& s);

// Evaluates the clock at `now`:
//   start = ClockStartDay(assigned_at); each single step is due AddWorkingDays(start, days),
//   the completion step at the new deadline when one is set; feedback cycles: the first due
//   AddWorkingDays(start, days), each next AddWorkingDays(the day of the previous feedback,
//   repeat_every); feedback made after `now` (or after completion) is ignored; once the task
//   is completed the cycle then in force, like any step never done, is kMissed (its day
//   had ended) or kWaived, and nothing more falls due.
//   A step is due until the end of its day (00:00 Beijing of the next day).
//   Light: red when a step is overdue by more than red_after_days working days or the
//   completion deadline has passed; yellow when a step is overdue (up to that) or the
//   completion deadline is within yellow_within_days working days; otherwise green (also
//   once completed). Escalation: one level per red step.
// Errors: an unknown profile (NotFound).
Result<ClockState> Evaluate(const Task& task, const Calendar& cal, const ClockSettings& s,
                            int64_t now);

// The codes of the steps overdue in a state, in order, without repeats.
std::vector<std::string> OverdueSteps(const ClockState& state);

// Checks a new completion deadline for a complex matter, asked for at `now`: a reason
// (non-blank, at most 2000 bytes), a valid date later than the original completion
// deadline, not before today, and at most max_new_deadline_days calendar days after the
// original. InvalidArgument with details on "new_deadline" and "reason".
Status CheckNewDeadline(const Task& task, const Calendar& cal, const ClockSettings& s,
                        const CivilDate& new_deadline, std::string_view reason, int64_t now);

// 绿灯 / 黄灯 / 红灯 (the code itself for an unknown one).
std::string_view LightName(std::string_view light);
// 已交办 / 已签收 / 办理中 / 待验收 / 已办结 / 已撤销 ("" for an unknown one).
std::string_view StateName(std::string_view state);
// 会议议定 / 领导批示 / 上级交办 ("" for an unknown one).
std::string_view SourceName(std::string_view source);

// ---- Evidence files ----

struct FileLimits {
  int64_t max_bytes = 10 * 1024 * 1024;
  int max_files = 20;
};

// Checks an evidence file before it is stored: a name (1–200 bytes of UTF-8, no path
// separators or control characters), not empty, at most max_bytes (PayloadTooLarge
// "文件超过10MB上限"), an allowed extension — pdf jpg jpeg png docx xlsx doc xls txt —
// (UnsupportedMedia "不支持的文件类型：.exe（允许 …）") whose content matches it: %PDF, the
// JPEG and PNG signatures, a zip archive for docx/xlsx, an OLE2 compound file for doc/xls,
// valid UTF-8 without NUL for txt (UnsupportedMedia "文件内容与扩展名不符"). Answers the
// content type to store (from the extension; the client's is not trusted).
Result<std::string> CheckEvidenceFile(std::string_view name, std::string_view bytes, const FileLimits& limits);

// ---- Settings text ----

// The clock settings as stored (settings key "supervision"): one "key=value" a line —
// utc_offset_minutes, office_end (HH:MM), yellow_within_days, red_after_days,
// max_new_deadline_days, max_file_mb, max_files_per_task — then per profile
// "profile=code|name|classes" (classes "1,3,7,10" or empty) and per step
// "step=profile|code|name|working_days|repeat_every" (repeat_every 0 = not repeating).
std::string SettingsToText(const ClockSettings& s, int max_file_mb, int max_files);
// Parses that text; keys not given keep DefaultSettings()'s values (and 10 MB, 20 files).
// Errors: InvalidArgument naming the line.
Status SettingsFromText(std::string_view text, ClockSettings* s, int* max_file_mb, int* max_files);

}  // namespace tiaodu::supervision
