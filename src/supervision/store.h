// SQL of the supervision domain (tasks, co-units, events, evidence files, reminders sent,
// meetings and decisions, notifications, the scheduler's state), and nothing else. Runs
// inside a caller's Tx. Dates are ISO text; instants millis UTC.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "db/database.h"
#include "supervision/service.h"

namespace tiaodu::supervision::store {

// ---- Units and users ----
std::optional<UnitRef> FindUnit(db::Tx& tx, int64_t id);
std::optional<UnitRef> FindUnitByCode(db::Tx& tx, const std::string& code);
std::vector<UnitRef> UnitsByIds(db::Tx& tx, const std::vector<int64_t>& ids);
// Every child of the unit (departments and task forces included), in display order.
std::vector<UnitRef> AllChildren(db::Tx& tx, int64_t parent_id);
// The root of the unit tree.
std::optional<UnitRef> RootUnit(db::Tx& tx);
std::optional<UserRef> FindUser(db::Tx& tx, int64_t id);
// Active users of these roles whose own unit is `unit_id`.
std::vector<int64_t> UsersOfUnit(db::Tx& tx, int64_t unit_id, const std::vector<std::string>& roles);
// Active users of these roles who act for `unit_id`: its own users and those of its
// departments and task forces (whose scope is the unit, decision 0006).
std::vector<int64_t> UsersActingFor(db::Tx& tx, int64_t unit_id, const std::vector<std::string>& roles);

// ---- Tasks ----
// The next free sequence number of codes "DB<year>-NNNN".
int NextTaskSeq(db::Tx& tx, int year);
int64_t InsertTask(db::Tx& tx, const TaskRecord& t);  // with its co-units
std::optional<TaskRecord> FindTask(db::Tx& tx, int64_t id);
// The id of the task with this code ("DB2026-0007").
std::optional<int64_t> FindTaskIdByCode(db::Tx& tx, const std::string& code);
// Writes every field where id and version match and bumps the version; false when stale.
bool UpdateTask(db::Tx& tx, const TaskRecord& t);
// Writes only the read model (light, escalation, dues, overdue steps); no version change.
void UpdateReadModel(db::Tx& tx, const TaskRecord& t);
// Open tasks (not closed or cancelled), for the scheduler.
std::vector<TaskRecord> OpenTasks(db::Tx& tx);
// Times of the owner's progress feedback per task.
std::map<int64_t, std::vector<int64_t>> FeedbackTimes(db::Tx& tx, const std::vector<int64_t>& task_ids);

struct ListQuery {
  std::string scope_path;  // the actor's scope ("" = everything: the system actor)
  std::string unit_path;   // owner unit's subtree
  std::string light, state, source, q;
  std::optional<int64_t> mine_unit;     // owner or co-unit
  std::optional<int64_t> assigned_by;
  std::optional<int64_t> meeting_id;
  std::string overdue_before;  // ISO: completion_due < this, or overdue steps
  int page = 1, page_size = 50;
};
std::vector<TaskRow> ListTasks(db::Tx& tx, const ListQuery& q, int64_t* total);
std::optional<TaskRow> FindTaskRow(db::Tx& tx, int64_t id);
// Rows of the tasks with these ids (any order).
std::vector<TaskRow> TaskRowsByIds(db::Tx& tx, const std::vector<int64_t>& ids);

// Counts of tasks in scope grouped by owner unit path, light and state.
struct CountRow {
  std::string owner_path;
  std::string light, state;
  int n = 0;
};
std::vector<CountRow> CountTasks(db::Tx& tx, const std::string& scope_path);

// Tasks owned in a subtree whose completion deadline lies in [from, to] (ISO), with their
// owner unit's path.
std::vector<std::pair<TaskRecord, std::string>> TasksDueBetween(db::Tx& tx, const std::string& path,
                                                                 const std::string& from, const std::string& to);

// ---- Events and files ----
int64_t InsertEvent(db::Tx& tx, const TaskEvent& e);
std::vector<EventRow> Events(db::Tx& tx, int64_t task_id);
int64_t InsertFile(db::Tx& tx, const TaskFile& f, const std::string& bytes);
std::vector<FileRow> Files(db::Tx& tx, int64_t task_id);
int CountFiles(db::Tx& tx, int64_t task_id);
// The file's metadata and bytes.
std::optional<std::pair<FileRow, std::string>> FileWithData(db::Tx& tx, int64_t task_id, int64_t file_id);

// ---- Reminders sent ----
// Records that the reminder `key` of a task was sent; false when it already was.
bool MarkReminder(db::Tx& tx, int64_t task_id, const std::string& key, int64_t at);
// The keys already recorded for these tasks (task id, key), read in chunks.
std::set<std::pair<int64_t, std::string>> ReminderKeys(db::Tx& tx, const std::vector<int64_t>& task_ids);
// Every unit by id (the scheduler walks escalations up the tree without a query per level).
std::map<int64_t, UnitRef> AllUnits(db::Tx& tx);
int64_t CountReminders(db::Tx& tx);

// ---- Notifications ----
void InsertNotification(db::Tx& tx, const Notification& n);
std::vector<Notification> Notifications(db::Tx& tx, int64_t user_id, bool unread_only, int page, int page_size,
                                        int64_t* total);
int64_t UnreadCount(db::Tx& tx, int64_t user_id);
bool MarkRead(db::Tx& tx, int64_t user_id, int64_t id, int64_t at);
int64_t MarkAllRead(db::Tx& tx, int64_t user_id, int64_t at);

// ---- Meetings ----
int64_t InsertMeeting(db::Tx& tx, const Meeting& m);  // with its decisions
bool UpdateMeeting(db::Tx& tx, const Meeting& m);     // fields only; version checked and bumped
std::optional<Meeting> FindMeeting(db::Tx& tx, int64_t id);  // with its decisions
std::vector<Meeting> ListMeetings(db::Tx& tx, const std::string& scope_path, const std::string& kind,
                                  const std::string& from, const std::string& to, const std::string& q, int page,
                                  int page_size, int64_t* total);
// Inserts decisions without an id, updates those with one, deletes the meeting's others.
void SaveDecisions(db::Tx& tx, int64_t meeting_id, std::vector<Decision>& decisions);
void SetDecisionTask(db::Tx& tx, int64_t decision_id, int64_t task_id);

// ---- Scheduler ----
// PostgreSQL: pg_try_advisory_xact_lock(key) — false when another transaction holds it.
// SQLite: always true (a write transaction already excludes every other writer).
bool TryTransactionLock(db::Tx& tx, int64_t key);
void RecordRun(db::Tx& tx, const std::string& name, int64_t at, const std::string& host);
std::optional<SchedulerStatus> LastRun(db::Tx& tx, const std::string& name);

}  // namespace tiaodu::supervision::store
