// Plain structs of the supervision domain (督查督办) under the 13710 clock: the working-day
// calendar, the clock profiles (steps and their durations in working days), a task's clock
// inputs, and the evaluated state of the clock (deadlines, overdue steps, light, escalation).
// Dates are civil dates in Beijing time; instants are milliseconds since the Unix epoch (UTC).
// See docs/decisions/0012-working-day-calendar.md and 0013-13710-rule.md.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "base/clock.h"

namespace tiaodu::supervision {

// Lights (the API answers these codes; LightName gives 绿灯/黄灯/红灯).
inline constexpr const char* kGreen = "green";
inline constexpr const char* kYellow = "yellow";
inline constexpr const char* kRed = "red";

// Step codes of the shipped profiles.
inline constexpr const char* kReceipt = "receipt";    // 签收
inline constexpr const char* kPlan = "plan";          // 办理方案
inline constexpr const char* kFeedback = "feedback";  // 进展反馈 (repeating)
inline constexpr const char* kComplete = "complete";  // 办结

// Step states in a ClockState.
inline constexpr const char* kPending = "pending";  // not done, not yet due
inline constexpr const char* kDone = "done";        // done before its deadline ended
inline constexpr const char* kLate = "late";        // done, but after its deadline ended
inline constexpr const char* kOverdue = "overdue";  // not done and its deadline has ended
inline constexpr const char* kMissed =
    "missed";  // never done; the task was completed after its deadline
inline constexpr const char* kWaived =
    "waived";  // never done; the task was completed before it was due

// The working-day calendar: weekends (Saturday, Sunday) are off and Monday–Friday are
// working days, except the dates listed here. Editable data: the shipped State Council
// arrangements (OfficialCalendar in calendar.h) plus whatever the administrator adds.
struct Calendar {
  struct Special {
    bool working = false;  // false: a holiday (放假); true: a make-up working day (调休上班)
    std::string note;      // "春节", "国庆节调休上班", ...
  };
  // ISO date "2026-02-15" → what that date is. One entry per date, so a date cannot be both.
  std::map<std::string, Special> days;
};

// One step of the 13710 clock.
struct ClockStep {
  std::string code;  // kReceipt | kPlan | kFeedback | kComplete
  std::string name;  // 签收 | 办理方案 | 进展反馈 | 办结
  // Working days after the clock's start day; the start day itself is not counted (as
  // periods are counted in law, 民法典第二百零一条), so 0 is the start day itself and 3 is
  // the third working day after it.
  int working_days = 0;
  // A repeating step (进展反馈): the first is due `working_days` after the start, each next
  // one `repeat_every` working days after the day the previous one was made.
  bool repeating = false;
  int repeat_every = 0;
};

// A named set of steps. Exactly one step is kComplete.
struct ClockProfile {
  std::string code;  // "steps" | "urgency" | an administrator's own
  std::string name;
  std::vector<ClockStep> steps;
  // Classes of matters by urgency, in working days to completion (e.g. 1, 3, 7, 10). When
  // not empty, a task chooses one (Task::completion_class) and it replaces the kComplete
  // step's working_days.
  std::vector<int> completion_classes;
};

// What the clock needs of a task (the rest of the task lives with the service).
struct Task {
  int64_t id = 0;
  int64_t assigned_at = 0;  // millis UTC: when it was assigned (交办)
  std::string profile = "steps";
  int completion_class = 0;  // working days, for a profile with completion_classes; 0 = none
  // A justified new completion deadline for a complex matter (see CheckNewDeadline).
  std::optional<CivilDate> new_deadline;
  std::string new_deadline_reason;
  // When each single step was done (millis UTC), by step code: receipt, plan, complete.
  std::map<std::string, int64_t> done_at;
  // When each progress feedback was made (millis UTC), in any order.
  std::vector<int64_t> feedback_at;
};

// Configuration (settings key "supervision").
struct ClockSettings {
  int utc_offset_minutes = 480;           // Beijing time
  int office_end_minutes = 17 * 60 + 30;  // 17:30: assigned at or after it → next working day
  // Yellow when the completion deadline is this many working days away or nearer (0 = only
  // on the day itself).
  int yellow_within_days = 1;
  // A step overdue by more than this many working days is red (up to it, yellow).
  int red_after_days = 2;
  // A new deadline may be at most this many calendar days after the original one.
  int max_new_deadline_days = 180;
  std::vector<ClockProfile> profiles;
};

// DESIGN 4.4's default ("steps") and the urgency classes ("urgency"), with the defaults
// above. See docs/decisions/0013-13710-rule.md.
ClockSettings DefaultSettings();

// One occurrence of a step in the evaluated clock (a repeating step has one per cycle).
struct StepStatus {
  std::string code;
  std::string name;
  int seq = 1;          // 1 for single steps; the nth feedback
  CivilDate due{};      // the last day (Beijing time)
  int64_t due_end = 0;  // the instant that day ends (00:00 Beijing of the next day)
  std::optional<int64_t> done_at;
  std::string state = kPending;  // kPending | kDone | kLate | kOverdue | kMissed | kWaived
  int overdue_days =
      0;  // kOverdue: working days after `due` up to today (0 on a weekend right after)
  std::string light = kGreen;  // of this step: yellow or red when overdue
};

struct ClockState {
  CivilDate start{};           // the day the clock counts from
  CivilDate completion_due{};  // the completion deadline in force (original or new)
  bool completed = false;
  std::vector<StepStatus> steps;  // in profile order; feedback cycles in order
  std::string light = kGreen;
  std::string reason;  // Chinese: why the light is what it is
  int escalation = 0;  // levels up the unit tree: one per red step
};

// ---------------------------------------------------------------------------------------
// Records of the service (tasks, their events and evidence, meetings, notifications).

// Task states (the API answers these codes; StateName gives the Chinese).
inline constexpr const char* kAssigned = "assigned";        // 已交办
inline constexpr const char* kReceived = "received";        // 已签收
inline constexpr const char* kInProgress = "in_progress";   // 办理中
inline constexpr const char* kReported = "reported";        // 待验收
inline constexpr const char* kClosed = "closed";            // 已办结
inline constexpr const char* kCancelled = "cancelled";      // 已撤销

// A supervised task as stored. The clock inputs (assigned_at, profile, completion_class,
// deadline, received_at/planned_at/reported_at, feedback events) and the read model the
// scheduler refreshes (light, escalation, completion_due, next_due).
struct TaskRecord {
  int64_t id = 0;
  std::string code;         // "DB2026-0007"
  std::string title;
  std::string description;
  std::string source;       // "meeting" | "instruction" | "higher"
  std::string source_ref;   // 批示件 / 上级文号 / 会议名称
  std::optional<int64_t> meeting_id;
  std::optional<int64_t> decision_id;
  int64_t unit_id = 0;        // the assigning unit (交办单位)
  int64_t owner_unit_id = 0;  // 牵头单位
  std::vector<int64_t> co_unit_ids;  // 配合单位
  int64_t assigned_by = 0;
  int64_t assigned_at = 0;
  std::string profile = "steps";
  int completion_class = 0;
  std::optional<CivilDate> deadline;  // an explicit completion deadline (at assignment or new)
  std::string deadline_reason;
  std::string state = kAssigned;
  std::string plan;     // 办理方案
  std::string result;   // 办结情况
  std::optional<int64_t> received_at, planned_at, reported_at, closed_at;
  std::string cancel_reason;
  // Read model (refreshed on every change and by the scheduler).
  std::string light = kGreen;
  std::string light_reason;
  int escalation = 0;
  std::optional<int64_t> escalated_to;
  std::optional<CivilDate> completion_due;
  std::string next_step;              // code of the next step due, "" when none
  std::optional<CivilDate> next_due;
  std::string overdue_steps;          // codes joined by ','
  int version = 1;
  int64_t created_at = 0;
  int64_t updated_at = 0;
};

// Event kinds of a task's timeline.
struct TaskEvent {
  int64_t id = 0;
  int64_t task_id = 0;
  std::string kind;  // assigned received plan feedback co_feedback file reported accepted
                     // returned deadline cancelled reminder escalated
  std::string text;
  std::optional<int64_t> user_id;
  std::optional<int64_t> unit_id;
  int64_t at = 0;
};

// An evidence file's metadata (the bytes are stored apart, base64 in the database, so that
// several stateless servers share them; see docs/decisions/0014-evidence-files.md).
struct TaskFile {
  int64_t id = 0;
  int64_t task_id = 0;
  std::string name;
  std::string content_type;
  int64_t size = 0;
  std::string sha256;  // hex
  int64_t user_id = 0;
  int64_t unit_id = 0;
  int64_t at = 0;
};

struct Decision {
  int64_t id = 0;
  int64_t meeting_id = 0;
  int seq = 0;
  std::string text;
  std::optional<int64_t> owner_unit_id;
  std::optional<CivilDate> deadline;
  std::optional<int64_t> task_id;
};

struct Meeting {
  int64_t id = 0;
  std::string kind = "weekly";  // "weekly" 周碰头 | "monthly" 月例会 | "special" 专题会
  std::string title;
  CivilDate held_on{};
  std::string place, chair, attendees, minutes;
  int64_t unit_id = 0;  // the convening unit
  std::string status = "draft";  // "draft" | "published"
  int64_t created_by = 0;
  std::vector<Decision> decisions;
  int version = 1;
  int64_t created_at = 0;
  int64_t updated_at = 0;
};

struct Notification {
  int64_t id = 0;
  int64_t user_id = 0;
  std::string kind;  // assigned reminder overdue escalated returned reported accepted deadline cancelled
  std::string title;
  std::string body;
  std::string object_kind;  // "task" or ""
  int64_t object_id = 0;
  int64_t at = 0;
  std::optional<int64_t> read_at;
};

}  // namespace tiaodu::supervision
