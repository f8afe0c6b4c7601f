#include "supervision/store.h"

#include <soci/soci.h>

#include <set>

#include "base/period.h"
#include "db/values.h"

namespace tiaodu::supervision::store {
namespace {

using db::GetInt;
using db::GetOptInt;
using db::GetText;
using OptId = db::OptIdBind;
using OptDate = db::OptDateBind;
constexpr auto GetOptDate = db::GetOptDate;
constexpr auto InIds = db::IdList;

std::string Roles(const std::vector<std::string>& roles) {
  std::string out;
  for (const std::string& r : roles) {
    std::string quoted;
    for (char c : r)
      if ((c >= 'a' && c <= 'z') || c == '_') quoted.push_back(c);  // role codes only
    out += (out.empty() ? "'" : ", '") + quoted + "'";
  }
  return out.empty() ? "''" : out;
}

UnitRef UnitFromRow(const soci::row& r, size_t i = 0) {
  return UnitRef{GetInt(r, i), GetText(r, i + 1), GetText(r, i + 2), GetText(r, i + 3), GetInt(r, i + 4, 0)};
}

constexpr const char* kTaskCols =
    "t.id, t.code, t.title, t.description, t.source, t.source_ref, t.meeting_id, t.decision_id, t.unit_id, "
    "t.owner_unit_id, t.assigned_by, t.assigned_at, t.profile, t.completion_class, t.deadline, t.deadline_reason, "
    "t.state, t.plan, t.result, t.received_at, t.planned_at, t.reported_at, t.closed_at, t.cancel_reason, t.light, "
    "t.light_reason, t.escalation, t.escalated_to, t.completion_due, t.next_step, t.next_due, t.overdue_steps, "
    "t.version, t.created_at, t.updated_at";
constexpr size_t kTaskColCount = 35;

TaskRecord TaskFromRow(const soci::row& r) {
  TaskRecord t;
  t.id = GetInt(r, 0);
  t.code = GetText(r, 1);
  t.title = GetText(r, 2);
  t.description = GetText(r, 3);
  t.source = GetText(r, 4);
  t.source_ref = GetText(r, 5);
  t.meeting_id = GetOptInt(r, 6);
  t.decision_id = GetOptInt(r, 7);
  t.unit_id = GetInt(r, 8);
  t.owner_unit_id = GetInt(r, 9);
  t.assigned_by = GetInt(r, 10);
  t.assigned_at = GetInt(r, 11);
  t.profile = GetText(r, 12);
  t.completion_class = static_cast<int>(GetInt(r, 13));
  t.deadline = GetOptDate(r, 14);
  t.deadline_reason = GetText(r, 15);
  t.state = GetText(r, 16);
  t.plan = GetText(r, 17);
  t.result = GetText(r, 18);
  t.received_at = GetOptInt(r, 19);
  t.planned_at = GetOptInt(r, 20);
  t.reported_at = GetOptInt(r, 21);
  t.closed_at = GetOptInt(r, 22);
  t.cancel_reason = GetText(r, 23);
  t.light = GetText(r, 24);
  t.light_reason = GetText(r, 25);
  t.escalation = static_cast<int>(GetInt(r, 26));
  t.escalated_to = GetOptInt(r, 27);
  t.completion_due = GetOptDate(r, 28);
  t.next_step = GetText(r, 29);
  t.next_due = GetOptDate(r, 30);
  t.overdue_steps = GetText(r, 31);
  t.version = static_cast<int>(GetInt(r, 32));
  t.created_at = GetInt(r, 33);
  t.updated_at = GetInt(r, 34);
  return t;
}

// Task columns, then the names the list shows.
constexpr const char* kRowExtra =
    ", au.id, au.code, au.name, au.path, au.parent_id, ou.id, ou.code, ou.name, ou.path, ou.parent_id, "
    "eu.id, eu.code, eu.name, eu.path, eu.parent_id, COALESCE(us.display_name, ''), COALESCE(m.title, '')";
constexpr const char* kRowFrom =
    " FROM tasks t JOIN units au ON au.id = t.unit_id JOIN units ou ON ou.id = t.owner_unit_id "
    "LEFT JOIN units eu ON eu.id = t.escalated_to LEFT JOIN users us ON us.id = t.assigned_by "
    "LEFT JOIN meetings m ON m.id = t.meeting_id";

TaskRow RowFromRow(const soci::row& r) {
  TaskRow row;
  row.task = TaskFromRow(r);
  size_t i = kTaskColCount;
  row.unit = UnitFromRow(r, i);
  row.owner = UnitFromRow(r, i + 5);
  if (!db::IsNull(r, i + 10)) row.escalated_to = UnitFromRow(r, i + 10);
  row.assigned_by = UserRef{row.task.assigned_by, GetText(r, i + 15)};
  row.meeting_title = GetText(r, i + 16);
  return row;
}

void LoadCoUnits(db::Tx& tx, std::vector<TaskRow>& rows) {
  if (rows.empty()) return;
  std::vector<int64_t> ids;
  std::map<int64_t, std::vector<TaskRow*>> by_id;
  for (TaskRow& r : rows) {
    ids.push_back(r.task.id);
    by_id[r.task.id].push_back(&r);
    r.co_units.clear();
    r.task.co_unit_ids.clear();
  }
  soci::row r;
  soci::statement st = (tx.sql().prepare << "SELECT c.task_id, u.id, u.code, u.name, u.path, u.parent_id FROM "
                                            "task_co_units c JOIN units u ON u.id = c.unit_id WHERE c.task_id IN (" +
                                                InIds(ids) + ") ORDER BY u.path",
                        soci::into(r));
  st.execute();
  while (st.fetch()) {
    UnitRef u = UnitFromRow(r, 1);
    for (TaskRow* row : by_id[GetInt(r, 0)]) {
      row->co_units.push_back(u);
      row->task.co_unit_ids.push_back(u.id);
    }
  }
}

std::vector<int64_t> CoUnitIds(db::Tx& tx, int64_t task_id) {
  std::vector<int64_t> out;
  soci::row r;
  soci::statement st =
      (tx.sql().prepare << "SELECT unit_id FROM task_co_units WHERE task_id = :t ORDER BY unit_id", soci::use(task_id),
       soci::into(r));
  st.execute();
  while (st.fetch()) out.push_back(GetInt(r, 0));
  return out;
}

std::vector<int64_t> QueryIds(db::Tx& tx, const std::string& sql, int64_t bind) {
  std::vector<int64_t> out;
  soci::row r;
  soci::statement st = (tx.sql().prepare << sql, soci::use(bind), soci::into(r));
  st.execute();
  while (st.fetch()) out.push_back(GetInt(r, 0));
  return out;
}

}  // namespace

// ---- Units and users ----

std::optional<UnitRef> FindUnit(db::Tx& tx, int64_t id) {
  soci::row r;
  tx.sql() << "SELECT id, code, name, path, parent_id FROM units WHERE id = :id", soci::use(id), soci::into(r);
  if (!tx.sql().got_data()) return std::nullopt;
  return UnitFromRow(r);
}

std::optional<UnitRef> FindUnitByCode(db::Tx& tx, const std::string& code) {
  soci::row r;
  tx.sql() << "SELECT id, code, name, path, parent_id FROM units WHERE code = :c AND archived = 0", soci::use(code),
      soci::into(r);
  if (!tx.sql().got_data()) return std::nullopt;
  return UnitFromRow(r);
}

std::vector<UnitRef> UnitsByIds(db::Tx& tx, const std::vector<int64_t>& ids) {
  std::vector<UnitRef> out;
  soci::row r;
  soci::statement st = (tx.sql().prepare << "SELECT id, code, name, path, parent_id FROM units WHERE id IN (" +
                                                InIds(ids) + ") ORDER BY path",
                        soci::into(r));
  st.execute();
  while (st.fetch()) out.push_back(UnitFromRow(r));
  return out;
}

std::vector<UnitRef> AllChildren(db::Tx& tx, int64_t parent_id) {
  std::vector<UnitRef> out;
  soci::row r;
  soci::statement st = (tx.sql().prepare << "SELECT id, code, name, path, parent_id FROM units WHERE parent_id = :p AND "
                                            "archived = 0 ORDER BY sort_order, code",
                        soci::use(parent_id), soci::into(r));
  st.execute();
  while (st.fetch()) out.push_back(UnitFromRow(r));
  return out;
}

std::optional<UnitRef> RootUnit(db::Tx& tx) {
  soci::row r;
  tx.sql() << "SELECT id, code, name, path, parent_id FROM units WHERE parent_id IS NULL ORDER BY id LIMIT 1",
      soci::into(r);
  if (!tx.sql().got_data()) return std::nullopt;
  return UnitFromRow(r);
}

std::optional<UserRef> FindUser(db::Tx& tx, int64_t id) {
  soci::row r;
  tx.sql() << "SELECT id, display_name FROM users WHERE id = :id", soci::use(id), soci::into(r);
  if (!tx.sql().got_data()) return std::nullopt;
  return UserRef{GetInt(r, 0), GetText(r, 1)};
}

std::vector<int64_t> UsersOfUnit(db::Tx& tx, int64_t unit_id, const std::vector<std::string>& roles) {
  return QueryIds(tx,
                  "SELECT id FROM users WHERE unit_id = :u AND disabled = 0 AND role IN (" + Roles(roles) +
                      ") ORDER BY id",
                  unit_id);
}

std::vector<int64_t> UsersActingFor(db::Tx& tx, int64_t unit_id, const std::vector<std::string>& roles) {
  std::vector<int64_t> out;
  soci::row r;
  soci::statement st =
      (tx.sql().prepare << "SELECT us.id FROM users us JOIN units un ON un.id = us.unit_id WHERE us.disabled = 0 AND "
                           "us.role IN (" + Roles(roles) +
                               ") AND (un.id = :u OR (un.parent_id = :p AND un.kind IN ('department', "
                               "'task_force'))) ORDER BY us.id",
       soci::use(unit_id, "u"), soci::use(unit_id, "p"), soci::into(r));
  st.execute();
  while (st.fetch()) out.push_back(GetInt(r, 0));
  return out;
}

// ---- Tasks ----

int NextTaskSeq(db::Tx& tx, int year) {
  // The number after "DB2026-" as a number: as text "DB2026-9999" > "DB2026-10000".
  std::string like = "DB" + std::to_string(year) + "-%";
  soci::row r;
  tx.sql() << "SELECT MAX(CAST(SUBSTR(code, 8) AS INTEGER)) FROM tasks WHERE code LIKE :c", soci::use(like),
      soci::into(r);
  return static_cast<int>(GetInt(r, 0, 0)) + 1;
}

int64_t InsertTask(db::Tx& tx, const TaskRecord& t) {
  long long id = 0;
  OptId meeting(t.meeting_id), decision(t.decision_id), received(t.received_at), planned(t.planned_at),
      reported(t.reported_at), closed(t.closed_at), escalated(t.escalated_to);
  OptDate deadline(t.deadline), completion_due(t.completion_due), next_due(t.next_due);
  tx.sql() << "INSERT INTO tasks (code, title, description, source, source_ref, meeting_id, decision_id, unit_id, "
              "owner_unit_id, assigned_by, assigned_at, profile, completion_class, deadline, deadline_reason, state, "
              "plan, result, received_at, planned_at, reported_at, closed_at, cancel_reason, light, light_reason, "
              "escalation, escalated_to, completion_due, next_step, next_due, overdue_steps, version, created_at, "
              "updated_at) VALUES (:code, :title, :d, :src, :sref, :m, :dec, :u, :o, :by, :at, :pr, :cc, :dl, :dlr, "
              ":st, :plan, :res, :ra, :pa, :rp, :ca, :cr, :li, :lr, :es, :et, :cd, :ns, :nd, :os, 1, :cr2, :up) "
              "RETURNING id",
      soci::use(t.code), soci::use(t.title), soci::use(t.description), soci::use(t.source), soci::use(t.source_ref),
      soci::use(meeting.v, meeting.ind), soci::use(decision.v, decision.ind), soci::use(t.unit_id),
      soci::use(t.owner_unit_id), soci::use(t.assigned_by), soci::use(t.assigned_at), soci::use(t.profile),
      soci::use(t.completion_class), soci::use(deadline.text, deadline.ind), soci::use(t.deadline_reason),
      soci::use(t.state), soci::use(t.plan), soci::use(t.result), soci::use(received.v, received.ind),
      soci::use(planned.v, planned.ind), soci::use(reported.v, reported.ind), soci::use(closed.v, closed.ind),
      soci::use(t.cancel_reason), soci::use(t.light), soci::use(t.light_reason), soci::use(t.escalation),
      soci::use(escalated.v, escalated.ind), soci::use(completion_due.text, completion_due.ind),
      soci::use(t.next_step), soci::use(next_due.text, next_due.ind), soci::use(t.overdue_steps),
      soci::use(t.created_at), soci::use(t.updated_at), soci::into(id);
  for (int64_t u : std::set<int64_t>(t.co_unit_ids.begin(), t.co_unit_ids.end())) {
    long long task_id = id;
    tx.sql() << "INSERT INTO task_co_units (task_id, unit_id) VALUES (:t, :u)", soci::use(task_id), soci::use(u);
  }
  return id;
}

std::optional<TaskRecord> FindTask(db::Tx& tx, int64_t id) {
  soci::row r;
  tx.sql() << std::string("SELECT ") + kTaskCols + " FROM tasks t WHERE t.id = :id", soci::use(id), soci::into(r);
  if (!tx.sql().got_data()) return std::nullopt;
  TaskRecord t = TaskFromRow(r);
  t.co_unit_ids = CoUnitIds(tx, id);
  return t;
}

std::optional<int64_t> FindTaskIdByCode(db::Tx& tx, const std::string& code) {
  long long id = 0;
  tx.sql() << "SELECT id FROM tasks WHERE code = :c", soci::use(code), soci::into(id);
  if (!tx.sql().got_data()) return std::nullopt;
  return id;
}

bool UpdateTask(db::Tx& tx, const TaskRecord& t) {
  OptId received(t.received_at), planned(t.planned_at), reported(t.reported_at), closed(t.closed_at),
      escalated(t.escalated_to);
  OptDate deadline(t.deadline), completion_due(t.completion_due), next_due(t.next_due);
  soci::statement st =
      (tx.sql().prepare << "UPDATE tasks SET title = :title, description = :d, deadline = :dl, deadline_reason = :dlr, "
                           "state = :st, plan = :plan, result = :res, received_at = :ra, planned_at = :pa, "
                           "reported_at = :rp, closed_at = :ca, cancel_reason = :cr, light = :li, light_reason = :lr, "
                           "escalation = :es, escalated_to = :et, completion_due = :cd, next_step = :ns, next_due = :nd, "
                           "overdue_steps = :os, updated_at = :up, version = version + 1 WHERE id = :id AND version = :v",
       soci::use(t.title), soci::use(t.description), soci::use(deadline.text, deadline.ind),
       soci::use(t.deadline_reason), soci::use(t.state), soci::use(t.plan), soci::use(t.result),
       soci::use(received.v, received.ind), soci::use(planned.v, planned.ind), soci::use(reported.v, reported.ind),
       soci::use(closed.v, closed.ind), soci::use(t.cancel_reason), soci::use(t.light), soci::use(t.light_reason),
       soci::use(t.escalation), soci::use(escalated.v, escalated.ind),
       soci::use(completion_due.text, completion_due.ind), soci::use(t.next_step), soci::use(next_due.text, next_due.ind),
       soci::use(t.overdue_steps), soci::use(t.updated_at), soci::use(t.id), soci::use(t.version));
  st.execute(true);
  return st.get_affected_rows() == 1;
}

void UpdateReadModel(db::Tx& tx, const TaskRecord& t) {
  OptId escalated(t.escalated_to);
  OptDate completion_due(t.completion_due), next_due(t.next_due);
  tx.sql() << "UPDATE tasks SET light = :li, light_reason = :lr, escalation = :es, escalated_to = :et, "
              "completion_due = :cd, next_step = :ns, next_due = :nd, overdue_steps = :os WHERE id = :id",
      soci::use(t.light), soci::use(t.light_reason), soci::use(t.escalation), soci::use(escalated.v, escalated.ind),
      soci::use(completion_due.text, completion_due.ind), soci::use(t.next_step),
      soci::use(next_due.text, next_due.ind), soci::use(t.overdue_steps), soci::use(t.id);
}

std::vector<TaskRecord> OpenTasks(db::Tx& tx) {
  std::vector<TaskRecord> out;
  soci::row r;
  soci::statement st = (tx.sql().prepare << std::string("SELECT ") + kTaskCols +
                                                " FROM tasks t WHERE t.state NOT IN ('closed', 'cancelled') ORDER BY t.id",
                        soci::into(r));
  st.execute();
  while (st.fetch()) out.push_back(TaskFromRow(r));
  return out;
}

std::map<int64_t, std::vector<int64_t>> FeedbackTimes(db::Tx& tx, const std::vector<int64_t>& task_ids) {
  std::map<int64_t, std::vector<int64_t>> out;
  if (task_ids.empty()) return out;
  // In chunks, to keep the IN list short.
  for (size_t i = 0; i < task_ids.size(); i += 500) {
    std::vector<int64_t> chunk(task_ids.begin() + i, task_ids.begin() + std::min(task_ids.size(), i + 500));
    soci::row r;
    soci::statement st = (tx.sql().prepare << "SELECT task_id, at FROM task_events WHERE kind = 'feedback' AND task_id "
                                              "IN (" + InIds(chunk) + ") ORDER BY task_id, at",
                          soci::into(r));
    st.execute();
    while (st.fetch()) out[GetInt(r, 0)].push_back(GetInt(r, 1));
  }
  return out;
}

namespace {
std::string TaskWhere(const ListQuery& q) {
  // Scope and unit as sets of unit ids, so the tasks are found through their unit indexes
  // (a LIKE on the joined units' paths would read every task).
  std::string w = " WHERE 1 = 1";
  if (!q.unit_path.empty()) {
    // The service has checked the unit is in the caller's scope: its subtree is enough.
    w += " AND t.owner_unit_id IN (SELECT id FROM units WHERE path LIKE :unit)";
  } else if (!q.scope_path.empty()) {
    w += " AND (t.owner_unit_id IN (SELECT id FROM units WHERE path LIKE :s1) OR t.unit_id IN (SELECT id FROM "
         "units WHERE path LIKE :s2) OR t.id IN (SELECT c.task_id FROM task_co_units c WHERE c.unit_id IN (SELECT "
         "id FROM units WHERE path LIKE :s3)))";
  }
  if (!q.light.empty()) w += " AND t.light = :light";
  if (q.state == "open") w += " AND t.state NOT IN ('closed', 'cancelled')";
  else if (!q.state.empty()) w += " AND t.state = :state";
  if (!q.source.empty()) w += " AND t.source = :source";
  if (q.mine_unit) {
    w += " AND (t.owner_unit_id = :mine OR EXISTS (SELECT 1 FROM task_co_units c2 WHERE c2.task_id = t.id AND "
         "c2.unit_id = :mine2))";
  }
  if (q.assigned_by) w += " AND t.assigned_by = :by";
  if (q.meeting_id) w += " AND t.meeting_id = :meeting";
  if (!q.q.empty()) w += " AND (LOWER(t.title) LIKE :q ESCAPE '\\' OR LOWER(t.code) LIKE :q2 ESCAPE '\\')";
  if (!q.overdue_before.empty()) {
    w += " AND t.state NOT IN ('closed', 'cancelled') AND (t.overdue_steps <> '' OR (t.state <> 'reported' AND "
         "t.completion_due < :od))";
  }
  return w;
}

struct TaskBinds {
  std::string scope, unit, like;
  long long mine = 0, by = 0, meeting = 0;
  explicit TaskBinds(const ListQuery& q)
      : scope(q.scope_path + "%"), unit(q.unit_path + "%"), like(db::ContainsPattern(q.q)),
        mine(q.mine_unit.value_or(0)), by(q.assigned_by.value_or(0)), meeting(q.meeting_id.value_or(0)) {}
  void Bind(soci::details::prepare_temp_type& st, const ListQuery& q) {
    if (!q.unit_path.empty()) st, soci::use(unit, "unit");
    else if (!q.scope_path.empty()) st, soci::use(scope, "s1"), soci::use(scope, "s2"), soci::use(scope, "s3");
    if (!q.light.empty()) st, soci::use(q.light, "light");
    if (!q.state.empty() && q.state != "open") st, soci::use(q.state, "state");
    if (!q.source.empty()) st, soci::use(q.source, "source");
    if (q.mine_unit) st, soci::use(mine, "mine"), soci::use(mine, "mine2");
    if (q.assigned_by) st, soci::use(by, "by");
    if (q.meeting_id) st, soci::use(meeting, "meeting");
    if (!q.q.empty()) st, soci::use(like, "q"), soci::use(like, "q2");
    if (!q.overdue_before.empty()) st, soci::use(q.overdue_before, "od");
  }
};
}  // namespace

std::vector<TaskRow> ListTasks(db::Tx& tx, const ListQuery& q, int64_t* total) {
  const std::string where = TaskWhere(q);
  TaskBinds b(q);
  if (total) {
    *total = db::Count(tx, "SELECT COUNT(*) FROM tasks t" + where,
                       [&](soci::details::prepare_temp_type& st) { b.Bind(st, q); });
  }
  long long limit = q.page_size, offset = static_cast<long long>(q.page - 1) * q.page_size;
  std::vector<TaskRow> out;
  soci::row r;
  auto st = (tx.sql().prepare << std::string("SELECT ") + kTaskCols + kRowExtra + kRowFrom + where +
                                     " ORDER BY CASE t.state WHEN 'closed' THEN 2 WHEN 'cancelled' THEN 3 ELSE 1 END, "
                                     "CASE t.light WHEN 'red' THEN 0 WHEN 'yellow' THEN 1 ELSE 2 END, "
                                     "t.completion_due, t.id DESC LIMIT :lim OFFSET :off",
             soci::into(r));
  b.Bind(st, q);
  st, soci::use(limit, "lim"), soci::use(offset, "off");
  soci::statement stmt(st);
  stmt.execute();
  while (stmt.fetch()) out.push_back(RowFromRow(r));
  LoadCoUnits(tx, out);
  return out;
}

std::optional<TaskRow> FindTaskRow(db::Tx& tx, int64_t id) {
  auto rows = TaskRowsByIds(tx, {id});
  if (rows.empty()) return std::nullopt;
  return rows.front();
}

std::vector<TaskRow> TaskRowsByIds(db::Tx& tx, const std::vector<int64_t>& ids) {
  std::vector<TaskRow> out;
  if (ids.empty()) return out;
  soci::row r;
  soci::statement st = (tx.sql().prepare << std::string("SELECT ") + kTaskCols + kRowExtra + kRowFrom +
                                                " WHERE t.id IN (" + InIds(ids) + ") ORDER BY t.id",
                        soci::into(r));
  st.execute();
  while (st.fetch()) out.push_back(RowFromRow(r));
  LoadCoUnits(tx, out);
  return out;
}

std::vector<CountRow> CountTasks(db::Tx& tx, const std::string& scope_path) {
  std::vector<CountRow> out;
  soci::row r;
  std::string like = scope_path + "%";
  soci::statement st = (tx.sql().prepare << "SELECT ou.path, c.light, c.state, c.n FROM (SELECT t.owner_unit_id, "
                                            "t.light, t.state, COUNT(*) AS n FROM tasks t WHERE t.owner_unit_id IN "
                                            "(SELECT id FROM units WHERE path LIKE :p) GROUP BY t.owner_unit_id, "
                                            "t.light, t.state) c JOIN units ou ON ou.id = c.owner_unit_id",
                        soci::use(like), soci::into(r));
  st.execute();
  while (st.fetch()) out.push_back({GetText(r, 0), GetText(r, 1), GetText(r, 2), static_cast<int>(GetInt(r, 3))});
  return out;
}

std::vector<std::pair<TaskRecord, std::string>> TasksDueBetween(db::Tx& tx, const std::string& path,
                                                                 const std::string& from, const std::string& to) {
  std::vector<std::pair<TaskRecord, std::string>> out;
  soci::row r;
  std::string like = path + "%";
  soci::statement st = (tx.sql().prepare << std::string("SELECT ") + kTaskCols +
                                                ", ou.path FROM tasks t JOIN units ou ON ou.id = t.owner_unit_id "
                                                "WHERE t.owner_unit_id IN (SELECT id FROM units WHERE path LIKE :p) AND "
                                                "t.state <> 'cancelled' AND t.completion_due >= :f AND "
                                                "t.completion_due <= :t ORDER BY t.id",
                        soci::use(like), soci::use(from), soci::use(to), soci::into(r));
  st.execute();
  while (st.fetch()) out.emplace_back(TaskFromRow(r), GetText(r, kTaskColCount));
  return out;
}

// ---- Events and files ----

int64_t InsertEvent(db::Tx& tx, const TaskEvent& e) {
  long long id = 0;
  OptId user(e.user_id), unit(e.unit_id);
  tx.sql() << "INSERT INTO task_events (task_id, kind, text, user_id, unit_id, at) VALUES (:t, :k, :x, :u, :n, :a) "
              "RETURNING id",
      soci::use(e.task_id), soci::use(e.kind), soci::use(e.text), soci::use(user.v, user.ind),
      soci::use(unit.v, unit.ind), soci::use(e.at), soci::into(id);
  return id;
}

std::vector<EventRow> Events(db::Tx& tx, int64_t task_id) {
  std::vector<EventRow> out;
  soci::row r;
  soci::statement st =
      (tx.sql().prepare << "SELECT e.id, e.task_id, e.kind, e.text, e.user_id, e.unit_id, e.at, "
                           "COALESCE(us.display_name, ''), un.code, un.name, un.path, un.parent_id FROM task_events e "
                           "LEFT JOIN users us ON us.id = e.user_id LEFT JOIN units un ON un.id = e.unit_id "
                           "WHERE e.task_id = :t ORDER BY e.at, e.id",
       soci::use(task_id), soci::into(r));
  st.execute();
  while (st.fetch()) {
    EventRow row;
    row.event = TaskEvent{GetInt(r, 0), GetInt(r, 1), GetText(r, 2), GetText(r, 3), GetOptInt(r, 4), GetOptInt(r, 5),
                          GetInt(r, 6)};
    if (row.event.user_id) row.user = UserRef{*row.event.user_id, GetText(r, 7)};
    if (row.event.unit_id)
      row.unit = UnitRef{*row.event.unit_id, GetText(r, 8), GetText(r, 9), GetText(r, 10), GetInt(r, 11, 0)};
    out.push_back(std::move(row));
  }
  return out;
}

int64_t InsertFile(db::Tx& tx, const TaskFile& f, const std::string& bytes) {
  long long id = 0;
  OptId user(f.user_id ? std::optional<int64_t>(f.user_id) : std::nullopt),
      unit(f.unit_id ? std::optional<int64_t>(f.unit_id) : std::nullopt);
  tx.sql() << "INSERT INTO task_files (task_id, name, content_type, size, sha256, data, user_id, unit_id, at) VALUES "
              "(:t, :n, :c, :s, :h, :d, :u, :un, :a) RETURNING id",
      soci::use(f.task_id), soci::use(f.name), soci::use(f.content_type), soci::use(f.size), soci::use(f.sha256),
      soci::use(bytes), soci::use(user.v, user.ind), soci::use(unit.v, unit.ind), soci::use(f.at), soci::into(id);
  return id;
}

namespace {
constexpr const char* kFileCols =
    "f.id, f.task_id, f.name, f.content_type, f.size, f.sha256, f.user_id, f.unit_id, f.at, "
    "COALESCE(us.display_name, '')";
FileRow FileFromRow(const soci::row& r) {
  FileRow row;
  row.file = TaskFile{GetInt(r, 0), GetInt(r, 1), GetText(r, 2), GetText(r, 3), GetInt(r, 4), GetText(r, 5),
                      GetInt(r, 6), GetInt(r, 7), GetInt(r, 8)};
  row.user = UserRef{row.file.user_id, GetText(r, 9)};
  return row;
}
}  // namespace

std::vector<FileRow> Files(db::Tx& tx, int64_t task_id) {
  std::vector<FileRow> out;
  soci::row r;
  soci::statement st = (tx.sql().prepare << std::string("SELECT ") + kFileCols +
                                                " FROM task_files f LEFT JOIN users us ON us.id = f.user_id WHERE "
                                                "f.task_id = :t ORDER BY f.at, f.id",
                        soci::use(task_id), soci::into(r));
  st.execute();
  while (st.fetch()) out.push_back(FileFromRow(r));
  return out;
}

int CountFiles(db::Tx& tx, int64_t task_id) {
  long long n = 0;
  tx.sql() << "SELECT COUNT(*) FROM task_files WHERE task_id = :t", soci::use(task_id), soci::into(n);
  return static_cast<int>(n);
}

std::optional<std::pair<FileRow, std::string>> FileWithData(db::Tx& tx, int64_t task_id, int64_t file_id) {
  soci::row r;
  tx.sql() << std::string("SELECT ") + kFileCols +
                  ", f.data FROM task_files f LEFT JOIN users us ON us.id = f.user_id WHERE f.id = :id AND "
                  "f.task_id = :t",
      soci::use(file_id), soci::use(task_id), soci::into(r);
  if (!tx.sql().got_data()) return std::nullopt;
  return std::make_pair(FileFromRow(r), GetText(r, 10));
}

// ---- Reminders ----

bool MarkReminder(db::Tx& tx, int64_t task_id, const std::string& key, int64_t at) {
  soci::statement st = (tx.sql().prepare << "INSERT INTO task_reminders (task_id, rkey, at) VALUES (:t, :k, :a) "
                                            "ON CONFLICT (task_id, rkey) DO NOTHING",
                        soci::use(task_id), soci::use(key), soci::use(at));
  st.execute(true);
  return st.get_affected_rows() == 1;
}

std::set<std::pair<int64_t, std::string>> ReminderKeys(db::Tx& tx, const std::vector<int64_t>& task_ids) {
  std::set<std::pair<int64_t, std::string>> out;
  for (size_t i = 0; i < task_ids.size(); i += 500) {
    std::vector<int64_t> chunk(task_ids.begin() + i, task_ids.begin() + std::min(task_ids.size(), i + 500));
    soci::row r;
    soci::statement st = (tx.sql().prepare << "SELECT task_id, rkey FROM task_reminders WHERE task_id IN (" +
                                                  InIds(chunk) + ")",
                          soci::into(r));
    st.execute();
    while (st.fetch()) out.emplace(GetInt(r, 0), GetText(r, 1));
  }
  return out;
}

std::map<int64_t, UnitRef> AllUnits(db::Tx& tx) {
  std::map<int64_t, UnitRef> out;
  soci::row r;
  soci::statement st = (tx.sql().prepare << "SELECT id, code, name, path, parent_id FROM units", soci::into(r));
  st.execute();
  while (st.fetch()) {
    UnitRef u = UnitFromRow(r);
    out.emplace(u.id, std::move(u));
  }
  return out;
}

int64_t CountReminders(db::Tx& tx) {
  long long n = 0;
  tx.sql() << "SELECT COUNT(*) FROM task_reminders", soci::into(n);
  return n;
}

// ---- Notifications ----

void InsertNotification(db::Tx& tx, const Notification& n) {
  tx.sql() << "INSERT INTO notifications (user_id, kind, title, body, object_kind, object_id, at) VALUES (:u, :k, "
              ":t, :b, :ok, :oi, :a)",
      soci::use(n.user_id), soci::use(n.kind), soci::use(n.title), soci::use(n.body), soci::use(n.object_kind),
      soci::use(n.object_id), soci::use(n.at);
}

std::vector<Notification> Notifications(db::Tx& tx, int64_t user_id, bool unread_only, int page, int page_size,
                                        int64_t* total) {
  const std::string where = std::string(" WHERE user_id = :u") + (unread_only ? " AND read_at IS NULL" : "");
  long long uid = user_id;
  if (total) {
    *total = db::Count(tx, "SELECT COUNT(*) FROM notifications" + where,
                       [&](soci::details::prepare_temp_type& st) { st, soci::use(uid, "u"); });
  }
  long long limit = page_size, offset = static_cast<long long>(page - 1) * page_size;
  std::vector<Notification> out;
  soci::row r;
  soci::statement st = (tx.sql().prepare << "SELECT id, user_id, kind, title, body, object_kind, object_id, at, read_at "
                                            "FROM notifications" + where +
                                                " ORDER BY id DESC LIMIT :lim OFFSET :off",
                        soci::use(uid, "u"), soci::use(limit, "lim"), soci::use(offset, "off"), soci::into(r));
  st.execute();
  while (st.fetch()) {
    out.push_back(Notification{GetInt(r, 0), GetInt(r, 1), GetText(r, 2), GetText(r, 3), GetText(r, 4), GetText(r, 5),
                               GetInt(r, 6), GetInt(r, 7), GetOptInt(r, 8)});
  }
  return out;
}

int64_t UnreadCount(db::Tx& tx, int64_t user_id) {
  long long n = 0;
  tx.sql() << "SELECT COUNT(*) FROM notifications WHERE user_id = :u AND read_at IS NULL", soci::use(user_id),
      soci::into(n);
  return n;
}

bool MarkRead(db::Tx& tx, int64_t user_id, int64_t id, int64_t at) {
  long long exists = 0;
  tx.sql() << "SELECT COUNT(*) FROM notifications WHERE id = :i AND user_id = :u", soci::use(id), soci::use(user_id),
      soci::into(exists);
  if (exists == 0) return false;
  tx.sql() << "UPDATE notifications SET read_at = :a WHERE id = :i AND user_id = :u AND read_at IS NULL",
      soci::use(at), soci::use(id), soci::use(user_id);
  return true;
}

int64_t MarkAllRead(db::Tx& tx, int64_t user_id, int64_t at) {
  soci::statement st = (tx.sql().prepare << "UPDATE notifications SET read_at = :a WHERE user_id = :u AND read_at IS "
                                            "NULL",
                        soci::use(at), soci::use(user_id));
  st.execute(true);
  return st.get_affected_rows();
}

// ---- Meetings ----

namespace {
constexpr const char* kMeetingCols =
    "m.id, m.kind, m.title, m.held_on, m.place, m.chair, m.attendees, m.minutes, m.unit_id, m.status, "
    "m.created_by, m.version, m.created_at, m.updated_at";
Meeting MeetingFromRow(const soci::row& r) {
  Meeting m;
  m.id = GetInt(r, 0);
  m.kind = GetText(r, 1);
  m.title = GetText(r, 2);
  m.held_on = GetOptDate(r, 3).value_or(CivilDate{});
  m.place = GetText(r, 4);
  m.chair = GetText(r, 5);
  m.attendees = GetText(r, 6);
  m.minutes = GetText(r, 7);
  m.unit_id = GetInt(r, 8);
  m.status = GetText(r, 9);
  m.created_by = GetInt(r, 10);
  m.version = static_cast<int>(GetInt(r, 11));
  m.created_at = GetInt(r, 12);
  m.updated_at = GetInt(r, 13);
  return m;
}

void LoadDecisions(db::Tx& tx, std::vector<Meeting>& meetings) {
  if (meetings.empty()) return;
  std::vector<int64_t> ids;
  std::map<int64_t, Meeting*> by_id;
  for (Meeting& m : meetings) {
    ids.push_back(m.id);
    by_id[m.id] = &m;
    m.decisions.clear();
  }
  soci::row r;
  soci::statement st = (tx.sql().prepare << "SELECT id, meeting_id, seq, text, owner_unit_id, deadline, task_id FROM "
                                            "meeting_decisions WHERE meeting_id IN (" + InIds(ids) +
                                                ") ORDER BY meeting_id, seq, id",
                        soci::into(r));
  st.execute();
  while (st.fetch()) {
    Decision d{GetInt(r, 0), GetInt(r, 1), static_cast<int>(GetInt(r, 2)), GetText(r, 3), GetOptInt(r, 4),
               GetOptDate(r, 5), GetOptInt(r, 6)};
    by_id[d.meeting_id]->decisions.push_back(std::move(d));
  }
}

void InsertDecision(db::Tx& tx, Decision& d) {
  long long id = 0;
  OptId owner(d.owner_unit_id), task(d.task_id);
  OptDate deadline(d.deadline);
  tx.sql() << "INSERT INTO meeting_decisions (meeting_id, seq, text, owner_unit_id, deadline, task_id) VALUES (:m, "
              ":s, :t, :o, :d, :k) RETURNING id",
      soci::use(d.meeting_id), soci::use(d.seq), soci::use(d.text), soci::use(owner.v, owner.ind),
      soci::use(deadline.text, deadline.ind), soci::use(task.v, task.ind), soci::into(id);
  d.id = id;
}
}  // namespace

int64_t InsertMeeting(db::Tx& tx, const Meeting& m) {
  long long id = 0;
  std::string held_on = FormatIsoDate(m.held_on);
  tx.sql() << "INSERT INTO meetings (kind, title, held_on, place, chair, attendees, minutes, unit_id, status, "
              "created_by, version, created_at, updated_at) VALUES (:k, :t, :h, :p, :c, :a, :m, :u, :s, :b, 1, :cr, "
              ":up) RETURNING id",
      soci::use(m.kind), soci::use(m.title), soci::use(held_on), soci::use(m.place), soci::use(m.chair),
      soci::use(m.attendees), soci::use(m.minutes), soci::use(m.unit_id), soci::use(m.status),
      soci::use(m.created_by), soci::use(m.created_at), soci::use(m.updated_at), soci::into(id);
  int seq = 1;
  for (Decision d : m.decisions) {
    d.meeting_id = id;
    d.seq = seq++;
    InsertDecision(tx, d);
  }
  return id;
}

bool UpdateMeeting(db::Tx& tx, const Meeting& m) {
  std::string held_on = FormatIsoDate(m.held_on);
  soci::statement st =
      (tx.sql().prepare << "UPDATE meetings SET kind = :k, title = :t, held_on = :h, place = :p, chair = :c, "
                           "attendees = :a, minutes = :m, status = :s, updated_at = :up, version = version + 1 WHERE "
                           "id = :id AND version = :v",
       soci::use(m.kind), soci::use(m.title), soci::use(held_on), soci::use(m.place), soci::use(m.chair),
       soci::use(m.attendees), soci::use(m.minutes), soci::use(m.status), soci::use(m.updated_at), soci::use(m.id),
       soci::use(m.version));
  st.execute(true);
  return st.get_affected_rows() == 1;
}

std::optional<Meeting> FindMeeting(db::Tx& tx, int64_t id) {
  soci::row r;
  tx.sql() << std::string("SELECT ") + kMeetingCols + " FROM meetings m WHERE m.id = :id", soci::use(id),
      soci::into(r);
  if (!tx.sql().got_data()) return std::nullopt;
  std::vector<Meeting> one{MeetingFromRow(r)};
  LoadDecisions(tx, one);
  return one.front();
}

std::vector<Meeting> ListMeetings(db::Tx& tx, const std::string& scope_path, const std::string& kind,
                                  const std::string& from, const std::string& to, const std::string& q, int page,
                                  int page_size, int64_t* total) {
  std::string where = " WHERE u.path LIKE :scope";
  if (!kind.empty()) where += " AND m.kind = :kind";
  if (!from.empty()) where += " AND m.held_on >= :from";
  if (!to.empty()) where += " AND m.held_on <= :to";
  if (!q.empty()) where += " AND LOWER(m.title) LIKE :q ESCAPE '\\'";
  std::string scope = scope_path + "%", like = db::ContainsPattern(q);
  auto bind = [&](soci::details::prepare_temp_type& st) {
    st, soci::use(scope, "scope");
    if (!kind.empty()) st, soci::use(kind, "kind");
    if (!from.empty()) st, soci::use(from, "from");
    if (!to.empty()) st, soci::use(to, "to");
    if (!q.empty()) st, soci::use(like, "q");
  };
  const std::string joins = " FROM meetings m JOIN units u ON u.id = m.unit_id";
  if (total) *total = db::Count(tx, "SELECT COUNT(*)" + joins + where, bind);
  long long limit = page_size, offset = static_cast<long long>(page - 1) * page_size;
  std::vector<Meeting> out;
  soci::row r;
  auto st = (tx.sql().prepare << std::string("SELECT ") + kMeetingCols + joins + where +
                                     " ORDER BY m.held_on DESC, m.id DESC LIMIT :lim OFFSET :off",
             soci::into(r));
  bind(st);
  st, soci::use(limit, "lim"), soci::use(offset, "off");
  soci::statement stmt(st);
  stmt.execute();
  while (stmt.fetch()) out.push_back(MeetingFromRow(r));
  LoadDecisions(tx, out);
  return out;
}

void SaveDecisions(db::Tx& tx, int64_t meeting_id, std::vector<Decision>& decisions) {
  std::vector<int64_t> keep;
  int seq = 1;
  for (Decision& d : decisions) {
    d.meeting_id = meeting_id;
    d.seq = seq++;
    if (d.id == 0) {
      InsertDecision(tx, d);
    } else {
      OptId owner(d.owner_unit_id);
      OptDate deadline(d.deadline);
      tx.sql() << "UPDATE meeting_decisions SET seq = :s, text = :t, owner_unit_id = :o, deadline = :d WHERE id = :id "
                  "AND meeting_id = :m",
          soci::use(d.seq), soci::use(d.text), soci::use(owner.v, owner.ind), soci::use(deadline.text, deadline.ind),
          soci::use(d.id), soci::use(meeting_id);
    }
    keep.push_back(d.id);
  }
  tx.sql() << "DELETE FROM meeting_decisions WHERE meeting_id = :m AND task_id IS NULL AND id NOT IN (" +
                  InIds(keep) + ")",
      soci::use(meeting_id);
}

void SetDecisionTask(db::Tx& tx, int64_t decision_id, int64_t task_id) {
  tx.sql() << "UPDATE meeting_decisions SET task_id = :t WHERE id = :d", soci::use(task_id), soci::use(decision_id);
}

// ---- Scheduler ----

bool TryTransactionLock(db::Tx& tx, int64_t key) {
  if (!tx.postgres()) return true;
  int got = 0;
  long long k = key;
  tx.sql() << "SELECT CASE WHEN pg_try_advisory_xact_lock(:k) THEN 1 ELSE 0 END", soci::use(k), soci::into(got);
  return got == 1;
}

void RecordRun(db::Tx& tx, const std::string& name, int64_t at, const std::string& host) {
  tx.sql() << "INSERT INTO scheduler_state (name, last_run_at, last_host, runs) VALUES (:n, :a, :h, 1) ON CONFLICT "
              "(name) DO UPDATE SET last_run_at = excluded.last_run_at, last_host = excluded.last_host, runs = "
              "scheduler_state.runs + 1",
      soci::use(name), soci::use(at), soci::use(host);
}

std::optional<SchedulerStatus> LastRun(db::Tx& tx, const std::string& name) {
  soci::row r;
  tx.sql() << "SELECT last_run_at, last_host FROM scheduler_state WHERE name = :n", soci::use(name), soci::into(r);
  if (!tx.sql().got_data()) return std::nullopt;
  SchedulerStatus s;
  s.last_run_at = GetInt(r, 0);
  s.last_host = GetText(r, 1);
  return s;
}

}  // namespace tiaodu::supervision::store
