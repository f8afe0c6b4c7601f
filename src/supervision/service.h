// SupervisionService: the use cases of 督查督办 — tasks on the 13710 clock from assignment
// to acceptance (闭环), their evidence files, meetings whose decisions become tasks, the
// working-day calendar and clock settings, in-app notifications, the on-time rate, and the
// scheduler's tick that advances every clock. Checks permission and data scope, validates,
// runs each change in one transaction with its audit record and its notifications. The
// database and clock must outlive it. Thread-safe.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "auth/model.h"
#include "base/clock.h"
#include "base/result.h"
#include "db/database.h"
#include "io/table.h"
#include "io/xlsx_writer.h"
#include "supervision/model.h"

namespace tiaodu::supervision {

struct ServiceEnv;  // the settings and calendar in force (service.cc)

struct UnitRef {
  int64_t id = 0;
  std::string code{}, name{}, path{};
  int64_t parent_id = 0;
};

struct UserRef {
  int64_t id = 0;
  std::string name;
};

// A task with the names the API shows.
struct TaskRow {
  TaskRecord task;
  UnitRef unit, owner;
  std::vector<UnitRef> co_units;
  std::optional<UnitRef> escalated_to;
  UserRef assigned_by;
  std::string meeting_title;
};

struct EventRow {
  TaskEvent event;
  std::optional<UserRef> user;
  std::optional<UnitRef> unit;
};

struct FileRow {
  TaskFile file;
  UserRef user;
};

// What the caller may do with a task now (the web shows these buttons).
struct TaskCan {
  bool receive = false, plan = false, feedback = false, complete = false, accept = false,
       ret = false, cancel = false, extend = false, co_feedback = false, upload = false;
};

struct TaskDetail {
  TaskRow row;
  ClockState clock;
  std::vector<EventRow> events;
  std::vector<FileRow> files;
  TaskCan can;
};

struct TaskQuery {
  std::string unit{};   // owner unit code: its subtree ("" = all in scope)
  std::string light{};  // green | yellow | red | ""
  std::string state{};  // a state code, "open", or ""
  std::string source{};
  bool mine = false;            // owner or co-unit = the caller's unit
  bool assigned_by_me = false;
  std::optional<int64_t> meeting_id{};
  std::string q{};
  bool overdue = false;
  int page = 1;
  int page_size = 50;
};

struct AssignInput {
  std::string title, description, source, source_ref;
  std::string owner_unit;              // code
  std::vector<std::string> co_units;   // codes
  std::string deadline;                // ISO or ""
  std::string deadline_reason;
  std::string profile = "steps";
  int completion_class = 0;
};

// What an import of tasks did (or, in a dry run, would do).
struct TaskImportResult {
  int rows = 0, inserted = 0, updated = 0, unchanged = 0;
};

struct BoardCount {
  UnitRef unit;
  int green = 0, yellow = 0, red = 0, open = 0, closed = 0;
};
struct Board {
  int green = 0, yellow = 0, red = 0;
  std::vector<std::pair<std::string, int>> states;  // state → count (all tasks in scope)
  std::vector<BoardCount> by_unit;
};

struct OnTimeRow {
  UnitRef unit;
  int due = 0, on_time = 0, late = 0, open_overdue = 0;
  int steps_due = 0, steps_on_time = 0;
  std::optional<std::string> rate{}, step_rate{};  // percent, one decimal place
};
struct OnTimeReport {
  std::string period;
  CivilDate from{}, to{};
  UnitRef unit;
  std::vector<OnTimeRow> rows;
};

// Settings as the API shows them: the clock, plus the evidence limits.
struct SupervisionSettings {
  ClockSettings clock;
  int max_file_mb = 10;
  int max_files_per_task = 20;
  int version = 0;  // 0: never saved (defaults)
};

struct CalendarView {
  Calendar calendar;
  std::string text;
  std::vector<int> years;
  int version = 0;
};

struct MeetingInput {
  std::string kind, title, held_on, place, chair, attendees, minutes, status;
  struct DecisionIn {
    std::optional<int64_t> id;  // an existing decision (on update)
    std::string text;
    std::string owner_unit;  // code or ""
    std::string deadline;    // ISO or ""
  };
  std::vector<DecisionIn> decisions;
  bool decisions_given = true;  // false: an update keeps the meeting's decisions as they are
};

struct MeetingView {
  Meeting meeting;
  UnitRef unit;
  std::vector<std::optional<UnitRef>> decision_owners;  // parallel to meeting.decisions
  std::vector<std::optional<TaskRecord>> decision_tasks;
};

struct NotificationPage {
  std::vector<Notification> items;
  int64_t total = 0;
  int64_t unread = 0;
  int page = 1, page_size = 50;
};

struct TickResult {
  bool ran = false;  // false: another process holds the scheduler lock
  int evaluated = 0;
  int changed = 0;     // tasks whose light, escalation or due changed
  int reminders = 0;   // reminder / overdue / escalation notices sent (keys new this tick)
  int notifications = 0;
};

struct SchedulerStatus {
  std::optional<int64_t> last_run_at;
  std::string last_host;
  int64_t reminders_sent = 0;
};

// Demo data in bulk. TaskRecord::meeting_id and decision_id are positions: meeting_id in
// `meetings`, decision_id in that meeting's decisions. events[i] and files[i] belong to
// tasks[i] (files: metadata and bytes). Units and users are real ids.
struct BulkData {
  std::vector<Meeting> meetings;
  std::vector<TaskRecord> tasks;
  std::vector<std::vector<TaskEvent>> events;
  std::vector<std::vector<std::pair<TaskFile, std::string>>> files;
};

class SupervisionService {
 public:
  SupervisionService(db::Database& db, const Clock& clock) : db_(db), clock_(clock) {}

  // ---- Tasks ----
  Result<auth::Page<TaskRow>> ListTasks(const auth::Actor& actor, const TaskQuery& q);
  Result<Board> GetBoard(const auth::Actor& actor, const std::string& unit_code);
  Result<TaskDetail> GetTask(const auth::Actor& actor, int64_t id);
  Result<TaskDetail> Assign(const auth::Actor& actor, const AssignInput& in);
  Result<TaskDetail> Receive(const auth::Actor& actor, int64_t id, int version);
  Result<TaskDetail> Plan(const auth::Actor& actor, int64_t id, const std::string& plan, int version);
  Result<TaskDetail> Feedback(const auth::Actor& actor, int64_t id, const std::string& text, int version);
  Result<TaskDetail> CoFeedback(const auth::Actor& actor, int64_t id, const std::string& text);
  Result<TaskDetail> Report(const auth::Actor& actor, int64_t id, const std::string& result, int version);
  Result<TaskDetail> Accept(const auth::Actor& actor, int64_t id, const std::string& comment, int version);
  Result<TaskDetail> Return(const auth::Actor& actor, int64_t id, const std::string& reason, int version);
  Result<TaskDetail> Cancel(const auth::Actor& actor, int64_t id, const std::string& reason, int version);
  Result<TaskDetail> NewDeadline(const auth::Actor& actor, int64_t id, const std::string& date,
                                 const std::string& reason, int version);

  // ---- Spreadsheets (the layout: supervision/sheets.h) ----
  // Imports a sheet of tasks — a batch 交办 (task.assign). A row without 任务编号 assigns a
  // new task exactly as Assign does (the checks of BuildTask, its code, event, notifications
  // and audit record). A row with a code is checked against that task (in the caller's
  // scope): identical editable fields → unchanged; a different 办结时限 → a new deadline as
  // NewDeadline sets it (the supervisor of the task, an open task not awaiting acceptance, a
  // reason in 办结时限理由, CheckNewDeadline), audited "task.deadline"; any other difference
  // is refused with its reason (nothing else of a task can be edited once assigned). All or
  // nothing: any bad cell → InvalidArgument with one Detail per problem, field
  // "第3行 F列（责任单位编码）"; nothing written. One transaction, plus one "task.import"
  // audit record when anything was written.
  Result<TaskImportResult> ImportTasks(const auth::Actor& actor, const io::Table& table, bool dry_run);
  // The whole filtered list (ListTasks' filters, every page, at most 200,000 rows) in the
  // import layout. task.read.
  Result<io::Sheet> ExportTasks(const auth::Actor& actor, TaskQuery q);
  // The import template: drop-downs for 来源 and 督办时限方案, one example row (a deadline
  // ten working days from today). Its 填写说明: TaskInstructions(). task.assign.
  Result<io::Sheet> TaskTemplate(const auth::Actor& actor);

  // Evidence: checks size, count and type (extension and content), then stores the bytes.
  Result<FileRow> AddFile(const auth::Actor& actor, int64_t task_id, const std::string& name,
                          const std::string& content_type, const std::string& bytes);
  // The file and its bytes.
  Result<std::pair<FileRow, std::string>> GetFile(const auth::Actor& actor, int64_t task_id,
                                                  int64_t file_id);

  // The on-time rate of `unit_code` (default: the caller's scope root) and each child.
  Result<OnTimeReport> OnTime(const auth::Actor& actor, const std::string& period,
                              const std::string& unit_code);
  // The same for `root` inside a caller's transaction, without permission checks (assessment).
  Result<OnTimeReport> OnTimeInTx(db::Tx& tx, const UnitRef& root, const std::string& period);

  // ---- Settings and calendar ----
  Result<SupervisionSettings> GetSettings(const auth::Actor& actor);
  Result<SupervisionSettings> PutSettings(const auth::Actor& actor, const SupervisionSettings& s);
  Result<CalendarView> GetCalendar(const auth::Actor& actor);
  Result<CalendarView> PutCalendar(const auth::Actor& actor, const std::string& text, int version);
  // Each day of [from, to] (at most 400) and whether it is a working day.
  Result<std::vector<std::pair<CivilDate, bool>>> WorkingDays(const auth::Actor& actor, const std::string& from,
                                                              const std::string& to);

  // ---- Meetings ----
  Result<auth::Page<MeetingView>> ListMeetings(const auth::Actor& actor, const std::string& kind,
                                               const std::string& from, const std::string& to,
                                               const std::string& q, int page, int page_size);
  Result<MeetingView> GetMeeting(const auth::Actor& actor, int64_t id);
  Result<MeetingView> CreateMeeting(const auth::Actor& actor, const MeetingInput& in);
  Result<MeetingView> UpdateMeeting(const auth::Actor& actor, int64_t id, const MeetingInput& in, int version);
  // The decision becomes a task; `in` overrides the decision's owner and deadline where set
  // (its title is ignored: the task's title is the decision's text).
  Result<TaskDetail> DecisionToTask(const auth::Actor& actor, int64_t meeting_id, int64_t decision_id,
                                    const AssignInput& in);

  // ---- Notifications (the caller's own) ----
  Result<NotificationPage> ListNotifications(const auth::Actor& actor, bool unread_only, int page,
                                             int page_size);
  Result<int64_t> UnreadCount(const auth::Actor& actor);
  Status MarkRead(const auth::Actor& actor, int64_t id);
  Result<int64_t> MarkAllRead(const auth::Actor& actor);

  // ---- Scheduler ----
  // Evaluates every open task's clock at the clock's now, refreshes the read model, and
  // sends each reminder, overdue notice and escalation exactly once (each has a key stored in
  // the same transaction as its notifications). On PostgreSQL it first takes a transaction
  // advisory lock and returns ran=false when another process holds it. `host` is recorded.
  Result<TickResult> Tick(const std::string& host);
  Result<SchedulerStatus> Scheduler(const auth::Actor& actor);

  // Loads BulkData in one transaction (system actor only), then ticks once.
  Status LoadBulk(const auth::Actor& system, const BulkData& data);

  CivilDate Today() const;

 private:
  // What a step's change sees and adds: events and notifications written with it.
  struct ChangeContext {
    db::Tx& tx;
    const TaskRow& row;
    const ServiceEnv& env;
    int64_t now;
    std::vector<TaskEvent> events;
    std::vector<std::pair<std::vector<int64_t>, Notification>> notes;
  };
  using ChangeFn = std::function<Status(TaskRecord&, ChangeContext&)>;
  // Loads the task in scope, checks the version, applies fn, refreshes the clock and writes
  // the task, its events, notifications and audit record in one transaction.
  Result<TaskDetail> Change(const auth::Actor& actor, int64_t id, std::optional<int> version,
                            const char* permission, const char* event, const ChangeFn& fn);
  // The body of Change once the task is loaded: applies fn, refreshes the clock and writes
  // the task, its events, notifications and audit record `event`.
  Status ApplyChange(db::Tx& tx, const auth::Actor& actor, const TaskRow& row, const ServiceEnv& env, int64_t now,
                     const char* event, const ChangeFn& fn);
  // The change NewDeadline makes (its checks included).
  ChangeFn NewDeadlineChange(const auth::Actor& actor, std::string date, std::string reason);
  // Inserts a validated task (code, read model, event, notifications, audit); its id.
  Result<int64_t> AssignTx(db::Tx& tx, const auth::Actor& actor, TaskRecord t, const ServiceEnv& env, int64_t now);

  db::Database& db_;
  const Clock& clock_;
};

}  // namespace tiaodu::supervision
