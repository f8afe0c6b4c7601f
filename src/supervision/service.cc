#include "supervision/service.h"

#include <algorithm>
#include <functional>
#include <map>
#include <set>

#include "auth/audit.h"
#include "auth/crypto.h"
#include "auth/rules.h"
#include "base/json_text.h"
#include "base/period.h"
#include "db/settings.h"
#include "supervision/calendar.h"
#include "supervision/rules.h"
#include "supervision/sheets.h"
#include "supervision/store.h"

namespace tiaodu::supervision {

// What a change needs besides the task: the calendar and the settings in force.
struct ServiceEnv {
  SupervisionSettings settings;
  CalendarView calendar;
};

namespace {

using Env = ServiceEnv;

constexpr const char* kSettingsKey = "supervision";
constexpr const char* kCalendarKey = "supervision.calendar";
constexpr const char* kSchedulerName = "supervision";
constexpr int64_t kAdvisoryLockKey = 13710;
constexpr size_t kMaxTitleBytes = 600;      // 200 Chinese characters
constexpr size_t kMaxTextBytes = 20000;
constexpr size_t kMaxShortBytes = 600;

SupervisionSettings LoadSettings(db::Tx& tx) {
  SupervisionSettings s;
  s.clock = DefaultSettings();
  if (auto row = db::GetSetting(tx, kSettingsKey)) {
    SupervisionSettings parsed;
    if (SettingsFromText(row->value, &parsed.clock, &parsed.max_file_mb, &parsed.max_files_per_task).ok()) s = parsed;
    s.version = row->version;
  }
  return s;
}

CalendarView LoadCalendar(db::Tx& tx) {
  CalendarView v;
  v.calendar = OfficialCalendar();
  v.text = kOfficialCalendarText;
  if (auto row = db::GetSetting(tx, kCalendarKey)) {
    if (auto cal = ParseCalendar(row->value); cal.ok()) {
      v.calendar = *cal;
      v.text = row->value;
    }
    v.version = row->version;
  }
  v.years = CoveredYears(v.calendar);
  return v;
}

Env LoadEnv(db::Tx& tx) { return Env{LoadSettings(tx), LoadCalendar(tx)}; }

int64_t DayEndMillis(const CivilDate& d, int offset_minutes) {
  return (DaysFromCivil(d) + 1) * 86400000LL - static_cast<int64_t>(offset_minutes) * 60000LL;
}

std::string Iso(const CivilDate& d) { return FormatIsoDate(d); }
std::string ChineseDate(const CivilDate& d) {
  return std::to_string(d.year) + "年" + std::to_string(d.month) + "月" + std::to_string(d.day) + "日";
}

bool Open(const TaskRecord& t) { return t.state != kClosed && t.state != kCancelled; }

Task ClockInput(const TaskRecord& t, const std::vector<int64_t>& feedback) {
  Task c;
  c.id = t.id;
  c.assigned_at = t.assigned_at;
  c.profile = t.profile;
  c.completion_class = t.completion_class;
  c.new_deadline = t.deadline;
  c.new_deadline_reason = t.deadline_reason;
  if (t.received_at) c.done_at[kReceipt] = *t.received_at;
  if (t.planned_at) c.done_at[kPlan] = *t.planned_at;
  if (t.reported_at) c.done_at[kComplete] = *t.reported_at;
  c.feedback_at = feedback;
  return c;
}

// Evaluates the clock and writes the read-model fields of t (escalated_to walks up the
// owner's parents). A cancelled task keeps no light.
using UnitMap = std::map<int64_t, UnitRef>;

// The unit by id: from `units` when given (the scheduler's copy), else from the database.
std::optional<UnitRef> LookUpUnit(db::Tx& tx, const UnitMap* units, int64_t id) {
  if (!units) return store::FindUnit(tx, id);
  auto it = units->find(id);
  if (it == units->end()) return std::nullopt;
  return it->second;
}

ClockState Refresh(db::Tx& tx, TaskRecord& t, const Env& env, int64_t now, const std::vector<int64_t>& feedback,
                   const UnitMap* units = nullptr) {
  auto st = Evaluate(ClockInput(t, feedback), env.calendar.calendar, env.settings.clock, now);
  ClockState state = st.ok() ? *st : ClockState{};
  if (!st.ok()) {
    t.light = kGreen;
    t.light_reason = st.status().message();
    return state;
  }
  t.completion_due = state.completion_due;
  t.overdue_steps.clear();
  for (const std::string& code : OverdueSteps(state)) t.overdue_steps += (t.overdue_steps.empty() ? "" : ",") + code;
  t.next_step.clear();
  t.next_due.reset();
  for (const StepStatus& s : state.steps) {
    if (s.state != kPending && s.state != kOverdue) continue;
    if (!t.next_due || CompareDates(s.due, *t.next_due) < 0) {
      t.next_due = s.due;
      t.next_step = s.code;
    }
  }
  if (t.state == kCancelled) {
    t.light = kGreen;
    t.light_reason = "任务已撤销";
    t.escalation = 0;
    t.escalated_to.reset();
    t.overdue_steps.clear();
    t.next_step.clear();
    t.next_due.reset();
    return state;
  }
  t.light = state.light;
  t.light_reason = t.state == kReported ? "已申请办结，待验收" : state.reason;
  t.escalation = state.escalation;
  t.escalated_to.reset();
  int64_t unit = t.owner_unit_id;
  for (int level = 0; level < t.escalation; ++level) {
    auto u = LookUpUnit(tx, units, unit);
    if (!u || u->parent_id == 0) break;
    unit = u->parent_id;
    t.escalated_to = unit;
  }
  return state;
}

bool SameReadModel(const TaskRecord& a, const TaskRecord& b) {
  return a.light == b.light && a.light_reason == b.light_reason && a.escalation == b.escalation &&
         a.escalated_to == b.escalated_to && a.next_step == b.next_step &&
         a.overdue_steps == b.overdue_steps &&
         (a.completion_due ? Iso(*a.completion_due) : "") == (b.completion_due ? Iso(*b.completion_due) : "") &&
         (a.next_due ? Iso(*a.next_due) : "") == (b.next_due ? Iso(*b.next_due) : "");
}

std::string TaskSnapshot(const TaskRecord& t) {
  std::string co;
  for (int64_t u : t.co_unit_ids) co += (co.empty() ? "" : ",") + std::to_string(u);
  return JsonText()
      .Add("id", t.id)
      .Add("code", t.code)
      .Add("title", t.title)
      .Add("source", t.source)
      .Add("owner_unit_id", t.owner_unit_id)
      .Add("co_unit_ids", co)
      .Add("deadline", t.deadline ? Iso(*t.deadline) : "")
      .Add("deadline_reason", t.deadline_reason)
      .Add("state", t.state)
      .Add("received_at", t.received_at)
      .Add("planned_at", t.planned_at)
      .Add("reported_at", t.reported_at)
      .Add("closed_at", t.closed_at)
      .Add("version", t.version)
      .Build();
}

std::string MeetingSnapshot(const Meeting& m) {
  std::string decisions;
  for (const Decision& d : m.decisions) decisions += (decisions.empty() ? "" : " | ") + d.text;
  return JsonText()
      .Add("id", m.id)
      .Add("kind", m.kind)
      .Add("title", m.title)
      .Add("held_on", Iso(m.held_on))
      .Add("status", m.status)
      .Add("decisions", decisions)
      .Add("version", m.version)
      .Build();
}

// Notifications to be written with a change.
struct Outbox {
  std::vector<std::pair<std::vector<int64_t>, Notification>> notes;
  void Add(std::vector<int64_t> users, std::string kind, std::string title, std::string body, int64_t task_id) {
    Notification n;
    n.kind = std::move(kind);
    n.title = std::move(title);
    n.body = std::move(body);
    n.object_kind = "task";
    n.object_id = task_id;
    notes.emplace_back(std::move(users), std::move(n));
  }
  int Flush(db::Tx& tx, int64_t now, int64_t except_user = 0) {
    int sent = 0;
    for (auto& [users, n] : notes) {
      std::set<int64_t> unique(users.begin(), users.end());
      for (int64_t u : unique) {
        if (u == except_user) continue;
        n.user_id = u;
        n.at = now;
        store::InsertNotification(tx, n);
        ++sent;
      }
    }
    notes.clear();
    return sent;
  }
};

std::vector<int64_t> Handlers(db::Tx& tx, const TaskRecord& t) {
  return store::UsersOfUnit(tx, t.owner_unit_id, {"reporter"});
}

std::vector<int64_t> Join(std::vector<int64_t> a, const std::vector<int64_t>& b) {
  a.insert(a.end(), b.begin(), b.end());
  return a;
}

bool Visible(const auth::Actor& a, const TaskRow& r) {
  if (a.InScope(r.owner.path) || a.InScope(r.unit.path)) return true;
  for (const UnitRef& u : r.co_units)
    if (a.InScope(u.path)) return true;
  return false;
}

bool IsOwner(const auth::Actor& a, const TaskRecord& t) {
  return !a.system && auth::HasPermission(a.role, "task.report") && a.unit_id == t.owner_unit_id;
}
bool IsCoUnit(const auth::Actor& a, const TaskRecord& t) {
  return !a.system && auth::HasPermission(a.role, "task.report") &&
         std::find(t.co_unit_ids.begin(), t.co_unit_ids.end(), a.unit_id) != t.co_unit_ids.end();
}
bool IsSupervisor(const auth::Actor& a, const TaskRow& r) {
  return (a.system || auth::HasPermission(a.role, "task.assign")) && a.InScope(r.unit.path);
}

TaskCan CanOf(const auth::Actor& a, const TaskRow& r) {
  const TaskRecord& t = r.task;
  TaskCan c;
  const bool owner = IsOwner(a, t), co = IsCoUnit(a, t), sup = IsSupervisor(a, r), open = Open(t);
  c.receive = owner && t.state == kAssigned;
  c.plan = owner && (t.state == kReceived || t.state == kInProgress);
  c.feedback = owner && (t.state == kReceived || t.state == kInProgress);
  c.complete = owner && t.state == kInProgress;
  c.accept = sup && t.state == kReported;
  c.ret = sup && t.state == kReported;
  c.cancel = sup && open;
  c.extend = sup && open && t.state != kReported;
  c.co_feedback = co && open;
  c.upload = (owner || co) && open;
  return c;
}

Status CheckText(std::vector<Detail>& d, const char* field, const std::string& v, size_t max, bool required,
                 const char* label) {
  bool blank = v.find_first_not_of(" \t\r\n") == std::string::npos;
  if (required && blank) d.push_back({field, std::string("请填写") + label});
  else if (v.size() > max) d.push_back({field, std::string(label) + "不能超过" + std::to_string(max / 3) + "字"});
  return Status::Ok();
}

std::string Trim(const std::string& s) {
  size_t b = s.find_first_not_of(" \t\r\n");
  if (b == std::string::npos) return "";
  size_t e = s.find_last_not_of(" \t\r\n");
  return s.substr(b, e - b + 1);
}

std::optional<UnitRef> ScopeRoot(db::Tx& tx, const auth::Actor& a) {
  if (a.system) return store::RootUnit(tx);
  auto own = store::FindUnit(tx, a.unit_id);
  while (own && own->path != a.unit_path && own->parent_id != 0) own = store::FindUnit(tx, own->parent_id);
  return own;
}

// The unit named by code (in scope), or the actor's scope root when none is named.
Result<UnitRef> UnitOrScopeRoot(db::Tx& tx, const auth::Actor& actor, const std::string& unit_code) {
  if (!unit_code.empty()) {
    auto u = store::FindUnitByCode(tx, unit_code);
    if (!u || !actor.InScope(u->path)) return NotFound("单位不存在或不在您的管理范围内：" + unit_code);
    return *u;
  }
  auto root = ScopeRoot(tx, actor);
  if (!root) return NotFound("没有可查看的单位");
  return *root;
}

}  // namespace

CivilDate SupervisionService::Today() const { return ToCivil(clock_.NowMillis(), 480); }

// ---------------------------------------------------------------------------------------
// Loading a task with its clock, timeline and what the caller may do.

namespace {

Result<TaskRow> LoadVisible(db::Tx& tx, const auth::Actor& actor, int64_t id) {
  auto row = store::FindTaskRow(tx, id);
  if (!row || !Visible(actor, *row)) return NotFound("督办任务不存在");
  return *row;
}

TaskDetail MakeDetail(db::Tx& tx, const auth::Actor& actor, TaskRow row, const Env& env, int64_t now) {
  TaskDetail d;
  auto feedback = store::FeedbackTimes(tx, {row.task.id});
  auto st = Evaluate(ClockInput(row.task, feedback[row.task.id]), env.calendar.calendar, env.settings.clock, now);
  if (st.ok()) d.clock = *st;
  d.events = store::Events(tx, row.task.id);
  d.files = store::Files(tx, row.task.id);
  d.can = CanOf(actor, row);
  d.row = std::move(row);
  return d;
}

}  // namespace

Result<TaskDetail> SupervisionService::GetTask(const auth::Actor& actor, int64_t id) {
  TIAODU_RETURN_IF_ERROR(auth::Need(actor, "task.read"));
  TaskDetail out;
  const int64_t now = clock_.NowMillis();
  TIAODU_RETURN_IF_ERROR(db_.Read([&](db::Tx& tx) -> Status {
    auto row = LoadVisible(tx, actor, id);
    if (!row.ok()) return row.status();
    out = MakeDetail(tx, actor, *row, LoadEnv(tx), now);
    return Status::Ok();
  }));
  return out;
}

Result<auth::Page<TaskRow>> SupervisionService::ListTasks(const auth::Actor& actor, const TaskQuery& in) {
  TIAODU_RETURN_IF_ERROR(auth::Need(actor, "task.read"));
  std::vector<Detail> d;
  static const std::set<std::string> kLights = {"", kGreen, kYellow, kRed};
  static const std::set<std::string> kStates = {"", "open", kAssigned, kReceived, kInProgress, kReported, kClosed, kCancelled};
  static const std::set<std::string> kSources = {"", "meeting", "instruction", "higher"};
  if (!kLights.count(in.light)) d.push_back({"light", "应为 green、yellow 或 red"});
  if (!kStates.count(in.state)) d.push_back({"state", "未知的任务状态"});
  if (!kSources.count(in.source)) d.push_back({"source", "应为 meeting、instruction 或 higher"});
  if (!d.empty()) return InvalidArgument("查询条件有误", std::move(d));
  auth::Page<TaskRow> page;
  page.page = in.page;
  page.page_size = in.page_size;
  TIAODU_RETURN_IF_ERROR(db_.Read([&](db::Tx& tx) -> Status {
    store::ListQuery q;
    q.scope_path = actor.system ? "" : actor.unit_path;
    if (!in.unit.empty()) {
      auto u = store::FindUnitByCode(tx, in.unit);
      if (!u || !actor.InScope(u->path)) return NotFound("单位不存在或不在您的管理范围内：" + in.unit);
      q.unit_path = u->path;
    }
    q.light = in.light;
    q.state = in.state;
    q.source = in.source;
    q.q = in.q;
    if (in.mine) q.mine_unit = actor.unit_id;
    if (in.assigned_by_me) q.assigned_by = actor.user_id;
    q.meeting_id = in.meeting_id;
    if (in.overdue) q.overdue_before = Iso(Today());
    q.page = in.page;
    q.page_size = in.page_size;
    page.items = store::ListTasks(tx, q, &page.total);
    return Status::Ok();
  }));
  return page;
}

Result<Board> SupervisionService::GetBoard(const auth::Actor& actor, const std::string& unit_code) {
  TIAODU_RETURN_IF_ERROR(auth::Need(actor, "task.read"));
  Board b;
  TIAODU_RETURN_IF_ERROR(db_.Read([&](db::Tx& tx) -> Status {
    auto root = UnitOrScopeRoot(tx, actor, unit_code);
    if (!root.ok()) return root.status();
    auto counts = store::CountTasks(tx, root->path);
    std::map<std::string, int> states;
    std::vector<UnitRef> children = store::AllChildren(tx, root->id);
    std::vector<BoardCount> rows;
    for (const UnitRef& c : children) rows.push_back(BoardCount{c});
    for (const store::CountRow& c : counts) {
      states[c.state] += c.n;
      const bool open = c.state != kClosed && c.state != kCancelled;
      if (open) {
        if (c.light == kRed) b.red += c.n;
        else if (c.light == kYellow) b.yellow += c.n;
        else b.green += c.n;
      }
      for (BoardCount& row : rows) {
        if (c.owner_path.compare(0, row.unit.path.size(), row.unit.path) != 0) continue;
        if (open) {
          row.open += c.n;
          if (c.light == kRed) row.red += c.n;
          else if (c.light == kYellow) row.yellow += c.n;
          else row.green += c.n;
        } else if (c.state == kClosed) {
          row.closed += c.n;
        }
      }
    }
    b.by_unit = std::move(rows);  // every child, with zeros where it has no task
    for (const auto& [s, n] : states) b.states.emplace_back(s, n);
    return Status::Ok();
  }));
  return b;
}

// ---------------------------------------------------------------------------------------
// Assignment

namespace {

// Validates an assignment and builds the record (no id yet). The assigning unit is the
// actor's own unit; whoever's scope holds it may accept, return or cancel.
Result<TaskRecord> BuildTask(db::Tx& tx, const auth::Actor& actor, const AssignInput& in, const Env& env,
                             int64_t now) {
  std::vector<Detail> d;
  TaskRecord t;
  t.title = Trim(in.title);
  t.description = in.description;
  t.source = in.source;
  t.source_ref = Trim(in.source_ref);
  (void)CheckText(d, "title", t.title, kMaxTitleBytes, true, "任务标题");
  (void)CheckText(d, "description", t.description, kMaxTextBytes, false, "任务内容");
  (void)CheckText(d, "source_ref", t.source_ref, kMaxShortBytes, false, "来源文号");
  if (in.source != "meeting" && in.source != "instruction" && in.source != "higher")
    d.push_back({"source", "任务来源应为 会议议定(meeting)、领导批示(instruction) 或 上级交办(higher)"});
  std::optional<UnitRef> owner;
  if (in.owner_unit.empty()) {
    d.push_back({"owner_unit", "请选择牵头单位"});
  } else {
    owner = store::FindUnitByCode(tx, in.owner_unit);
    if (!owner) d.push_back({"owner_unit", "未知单位“" + in.owner_unit + "”"});
    else if (!actor.InScope(owner->path))
      d.push_back({"owner_unit", "单位“" + owner->name + "”不在您的管理范围内"});
  }
  std::set<int64_t> co;
  for (const std::string& code : in.co_units) {
    auto u = store::FindUnitByCode(tx, code);
    if (!u) d.push_back({"co_units", "未知单位“" + code + "”"});
    else if (!actor.InScope(u->path)) d.push_back({"co_units", "单位“" + u->name + "”不在您的管理范围内"});
    else if (owner && u->id == owner->id) d.push_back({"co_units", "牵头单位不能同时是配合单位"});
    else if (!co.insert(u->id).second) d.push_back({"co_units", "配合单位“" + u->name + "”重复"});
  }
  if (co.size() > 30) d.push_back({"co_units", "配合单位最多30个"});
  t.profile = in.profile.empty() ? "steps" : in.profile;
  t.completion_class = in.completion_class;
  t.assigned_at = now;
  Task clock = ClockInput(t, {});
  if (Status s = CheckTaskClock(clock, env.settings.clock); !s.ok()) {
    if (s.details().empty()) d.push_back({"profile", s.message()});
    for (const Detail& x : s.details()) d.push_back(x);
  }
  if (!in.deadline.empty()) {
    auto date = ParseIsoDate(in.deadline);
    const CivilDate today = ToCivil(now, env.settings.clock.utc_offset_minutes);
    if (!date.ok()) {
      d.push_back({"deadline", "办结期限不是有效日期（应为 2026-12-31 格式）"});
    } else if (CompareDates(*date, today) < 0) {
      d.push_back({"deadline", "办结期限不能早于今天（" + Iso(today) + "）"});
    } else if (auto original = OriginalCompletionDue(clock, env.calendar.calendar, env.settings.clock);
               original.ok()) {
      if (CompareDates(*date, *original) > 0) {
        const CivilDate latest = AddDays(*original, env.settings.clock.max_new_deadline_days);
        if (Trim(in.deadline_reason).empty()) {
          d.push_back({"deadline_reason", "办结期限晚于13710时限（" + Iso(*original) + "），须说明理由（复杂事项）"});
        } else if (CompareDates(*date, latest) > 0) {
          d.push_back({"deadline", "办结期限最晚为" + Iso(latest)});
        }
      }
      t.deadline = *date;
      t.deadline_reason = Trim(in.deadline_reason);
      (void)CheckText(d, "deadline_reason", t.deadline_reason, kMaxTextBytes, false, "理由");
    }
  }
  if (!d.empty()) return InvalidArgument("交办任务的信息有误", std::move(d));
  // The assigning unit is the actor's own (市委督查室); a system actor acts for the root.
  if (actor.system) {
    auto root = ScopeRoot(tx, actor);
    if (!root) return PermissionDenied("没有单位，不能交办任务");
    t.unit_id = root->id;
  } else {
    t.unit_id = actor.unit_id;
  }
  t.owner_unit_id = owner->id;
  t.co_unit_ids.assign(co.begin(), co.end());
  t.assigned_by = actor.user_id;
  t.state = kAssigned;
  t.created_at = t.updated_at = now;
  return t;
}

}  // namespace

Result<TaskDetail> SupervisionService::Assign(const auth::Actor& actor, const AssignInput& in) {
  TIAODU_RETURN_IF_ERROR(auth::Need(actor, "task.assign"));
  TaskDetail out;
  const int64_t now = clock_.NowMillis();
  TIAODU_RETURN_IF_ERROR(db_.Write([&](db::Tx& tx) -> Status {
    Env env = LoadEnv(tx);
    auto t = BuildTask(tx, actor, in, env, now);
    if (!t.ok()) return t.status();
    auto id = AssignTx(tx, actor, *t, env, now);
    if (!id.ok()) return id.status();
    auto row = store::FindTaskRow(tx, *id);
    out = MakeDetail(tx, actor, *row, env, now);
    return Status::Ok();
  }));
  return out;
}

Result<int64_t> SupervisionService::AssignTx(db::Tx& tx, const auth::Actor& actor, TaskRecord t, const Env& env,
                                             int64_t now) {
  const CivilDate today = ToCivil(now, env.settings.clock.utc_offset_minutes);
  char code[32];
  std::snprintf(code, sizeof(code), "DB%04d-%04d", today.year, store::NextTaskSeq(tx, today.year));
  t.code = code;
  ClockState state = Refresh(tx, t, env, now, {});
  t.id = store::InsertTask(tx, t);
  TaskEvent e{0, t.id, "assigned", "", actor.system ? std::nullopt : std::optional<int64_t>(actor.user_id),
              t.unit_id, now};
  e.text = std::string(SourceName(t.source)) + (t.source_ref.empty() ? "" : "（" + t.source_ref + "）") +
           "；办结期限" + ChineseDate(state.completion_due);
  store::InsertEvent(tx, e);
  Outbox out;
  std::vector<int64_t> to = Join(store::UsersOfUnit(tx, t.owner_unit_id, {"reporter", "leader"}), {});
  for (int64_t u : t.co_unit_ids) to = Join(to, store::UsersOfUnit(tx, u, {"reporter"}));
  out.Add(to, "assigned", "新交办任务：" + t.code,
          t.title + "（办结期限" + ChineseDate(state.completion_due) + "，请于当日签收）", t.id);
  out.Flush(tx, now);
  TIAODU_RETURN_IF_ERROR(auth::AppendAudit(
      tx, auth::MakeAudit(actor, now, "task.assign", "task", std::to_string(t.id), {}, TaskSnapshot(t))));
  return t.id;
}

// ---------------------------------------------------------------------------------------
// Steps: one transaction each — load, check who and when, change, refresh the clock, write
// the events, notifications and audit record.

Result<TaskDetail> SupervisionService::Change(const auth::Actor& actor, int64_t id, std::optional<int> version,
                                              const char* permission, const char* event, const ChangeFn& fn) {
  TIAODU_RETURN_IF_ERROR(auth::Need(actor, permission));
  TaskDetail out;
  const int64_t now = clock_.NowMillis();
  TIAODU_RETURN_IF_ERROR(db_.Write([&](db::Tx& tx) -> Status {
    auto row = LoadVisible(tx, actor, id);
    if (!row.ok()) return row.status();
    if (version && *version != row->task.version) return StaleVersion();
    Env env = LoadEnv(tx);
    TIAODU_RETURN_IF_ERROR(ApplyChange(tx, actor, *row, env, now, event, fn));
    auto fresh = store::FindTaskRow(tx, id);
    out = MakeDetail(tx, actor, *fresh, env, now);
    return Status::Ok();
  }));
  return out;
}

Status SupervisionService::ApplyChange(db::Tx& tx, const auth::Actor& actor, const TaskRow& row, const Env& env,
                                       int64_t now, const char* event, const ChangeFn& fn) {
  const TaskRecord& before = row.task;
  TaskRecord t = row.task;
  ChangeContext ctx{tx, row, env, now, {}, {}};
  TIAODU_RETURN_IF_ERROR(fn(t, ctx));
  t.updated_at = now;
  for (TaskEvent& e : ctx.events) {
    e.task_id = t.id;
    e.at = now;
    store::InsertEvent(tx, e);
  }
  auto feedback = store::FeedbackTimes(tx, {t.id});
  Refresh(tx, t, env, now, feedback[t.id]);
  if (!store::UpdateTask(tx, t)) return StaleVersion();
  Outbox box;
  for (auto& [users, n] : ctx.notes) box.Add(users, n.kind, n.title, n.body, t.id);
  box.Flush(tx, now, actor.user_id);
  return auth::AppendAudit(tx, auth::MakeAudit(actor, now, event, "task", std::to_string(t.id),
                                               TaskSnapshot(before), TaskSnapshot(t)));
}

namespace {
std::optional<int64_t> ActorId(const auth::Actor& a) {
  return a.system ? std::nullopt : std::optional<int64_t>(a.user_id);
}
TaskEvent Event(const auth::Actor& a, const char* kind, std::string text) {
  TaskEvent e;
  e.kind = kind;
  e.text = std::move(text);
  e.user_id = ActorId(a);
  if (!a.system) e.unit_id = a.unit_id;
  return e;
}
Notification Note(const char* kind, std::string title, std::string body) {
  Notification n;
  n.kind = kind;
  n.title = std::move(title);
  n.body = std::move(body);
  return n;
}
Status NotOwner() { return PermissionDenied("只有牵头单位的填报员可以办理此任务"); }
Status NotSupervisor() { return PermissionDenied("只有交办单位的督查人员可以验收、退回或撤销此任务"); }
Status StateError(const TaskRecord& t) {
  if (t.state == kClosed) return FailedPrecondition("任务已办结");
  if (t.state == kCancelled) return FailedPrecondition("任务已撤销");
  if (t.state == kReported) return FailedPrecondition("任务已申请办结，等待验收");
  if (t.state == kAssigned) return FailedPrecondition("任务尚未签收");
  return FailedPrecondition("当前状态不能执行此操作");
}
}  // namespace

Result<TaskDetail> SupervisionService::Receive(const auth::Actor& actor, int64_t id, int version) {
  return Change(actor, id, version, "task.report", "task.receive", [&](TaskRecord& t, ChangeContext& c) -> Status {
    if (!IsOwner(actor, t)) return NotOwner();
    if (t.state != kAssigned) return t.state == kReceived || t.state == kInProgress ? FailedPrecondition("任务已签收") : StateError(t);
    t.state = kReceived;
    t.received_at = c.now;
    c.events.push_back(Event(actor, "received", ""));
    return Status::Ok();
  });
}

Result<TaskDetail> SupervisionService::Plan(const auth::Actor& actor, int64_t id, const std::string& plan, int version) {
  return Change(actor, id, version, "task.report", "task.plan", [&](TaskRecord& t, ChangeContext& c) -> Status {
    if (!IsOwner(actor, t)) return NotOwner();
    std::vector<Detail> d;
    (void)CheckText(d, "plan", plan, kMaxTextBytes, true, "办理方案");
    if (!d.empty()) return InvalidArgument("办理方案有误", std::move(d));
    if (t.state != kReceived && t.state != kInProgress) return StateError(t);
    t.plan = plan;
    if (!t.planned_at) t.planned_at = c.now;
    t.state = kInProgress;
    c.events.push_back(Event(actor, "plan", plan));
    return Status::Ok();
  });
}

Result<TaskDetail> SupervisionService::Feedback(const auth::Actor& actor, int64_t id, const std::string& text,
                                                int version) {
  return Change(actor, id, version, "task.report", "task.feedback", [&](TaskRecord& t, ChangeContext& c) -> Status {
    if (!IsOwner(actor, t)) return NotOwner();
    std::vector<Detail> d;
    (void)CheckText(d, "text", text, kMaxTextBytes, true, "进展情况");
    if (!d.empty()) return InvalidArgument("进展反馈有误", std::move(d));
    if (t.state != kReceived && t.state != kInProgress) return StateError(t);
    c.events.push_back(Event(actor, "feedback", text));
    return Status::Ok();
  });
}

Result<TaskDetail> SupervisionService::CoFeedback(const auth::Actor& actor, int64_t id, const std::string& text) {
  return Change(actor, id, std::nullopt, "task.report", "task.co_feedback",
                [&](TaskRecord& t, ChangeContext& c) -> Status {
                  if (!IsCoUnit(actor, t)) return PermissionDenied("只有配合单位的填报员可以提交配合反馈");
                  std::vector<Detail> d;
                  (void)CheckText(d, "text", text, kMaxTextBytes, true, "配合情况");
                  if (!d.empty()) return InvalidArgument("配合反馈有误", std::move(d));
                  if (!Open(t)) return StateError(t);
                  c.events.push_back(Event(actor, "co_feedback", text));
                  c.notes.emplace_back(Handlers(c.tx, t), Note("feedback", "配合单位反馈：" + t.code, text));
                  return Status::Ok();
                });
}

Result<TaskDetail> SupervisionService::Report(const auth::Actor& actor, int64_t id, const std::string& result,
                                              int version) {
  return Change(actor, id, version, "task.report", "task.report", [&](TaskRecord& t, ChangeContext& c) -> Status {
    if (!IsOwner(actor, t)) return NotOwner();
    std::vector<Detail> d;
    (void)CheckText(d, "result", result, kMaxTextBytes, true, "办结情况");
    if (!d.empty()) return InvalidArgument("办结情况有误", std::move(d));
    if (t.state == kReceived) return FailedPrecondition("请先提交办理方案");
    if (t.state != kInProgress) return StateError(t);
    if (store::CountFiles(c.tx, t.id) == 0) {
      return FailedPrecondition("请先上传佐证材料：没有佐证材料的任务不能申请办结");
    }
    t.result = result;
    t.reported_at = c.now;
    t.state = kReported;
    c.events.push_back(Event(actor, "reported", result));
    std::vector<int64_t> to = store::UsersActingFor(c.tx, t.unit_id, {"supervisor"});
    if (t.assigned_by) to.push_back(t.assigned_by);
    c.notes.emplace_back(to, Note("reported", "任务申请办结待验收：" + t.code, t.title));
    return Status::Ok();
  });
}

Result<TaskDetail> SupervisionService::Accept(const auth::Actor& actor, int64_t id, const std::string& comment,
                                              int version) {
  return Change(actor, id, version, "task.assign", "task.accept", [&](TaskRecord& t, ChangeContext& c) -> Status {
    if (!IsSupervisor(actor, c.row)) return NotSupervisor();
    if (comment.size() > kMaxTextBytes) return InvalidArgument("验收意见过长", {{"comment", "不能超过6000字"}});
    if (t.state != kReported) return t.state == kClosed ? StateError(t) : FailedPrecondition("任务尚未申请办结，不能验收");
    t.state = kClosed;
    t.closed_at = c.now;
    c.events.push_back(Event(actor, "accepted", comment));
    c.notes.emplace_back(Handlers(c.tx, t), Note("accepted", "任务已验收办结：" + t.code, t.title));
    return Status::Ok();
  });
}

Result<TaskDetail> SupervisionService::Return(const auth::Actor& actor, int64_t id, const std::string& reason,
                                              int version) {
  return Change(actor, id, version, "task.assign", "task.return", [&](TaskRecord& t, ChangeContext& c) -> Status {
    if (!IsSupervisor(actor, c.row)) return NotSupervisor();
    std::vector<Detail> d;
    (void)CheckText(d, "reason", reason, kMaxTextBytes, true, "退回理由");
    if (!d.empty()) return InvalidArgument("请说明退回理由", std::move(d));
    if (t.state != kReported) return FailedPrecondition("任务尚未申请办结，不能退回");
    t.state = kInProgress;
    t.reported_at.reset();  // the completion no longer counts: the clock runs on
    c.events.push_back(Event(actor, "returned", reason));
    c.notes.emplace_back(Handlers(c.tx, t), Note("returned", "任务被退回：" + t.code, reason));
    return Status::Ok();
  });
}

Result<TaskDetail> SupervisionService::Cancel(const auth::Actor& actor, int64_t id, const std::string& reason,
                                              int version) {
  return Change(actor, id, version, "task.assign", "task.cancel", [&](TaskRecord& t, ChangeContext& c) -> Status {
    if (!IsSupervisor(actor, c.row)) return NotSupervisor();
    std::vector<Detail> d;
    (void)CheckText(d, "reason", reason, kMaxTextBytes, true, "撤销理由");
    if (!d.empty()) return InvalidArgument("请说明撤销理由", std::move(d));
    if (!Open(t)) return StateError(t);
    t.state = kCancelled;
    t.cancel_reason = reason;
    t.closed_at = c.now;
    c.events.push_back(Event(actor, "cancelled", reason));
    c.notes.emplace_back(Handlers(c.tx, t), Note("cancelled", "任务已撤销：" + t.code, reason));
    return Status::Ok();
  });
}

Result<TaskDetail> SupervisionService::NewDeadline(const auth::Actor& actor, int64_t id, const std::string& date,
                                                   const std::string& reason, int version) {
  return Change(actor, id, version, "task.assign", "task.deadline", NewDeadlineChange(actor, date, reason));
}

SupervisionService::ChangeFn SupervisionService::NewDeadlineChange(const auth::Actor& actor, std::string date,
                                                                    std::string reason) {
  return [&actor, date = std::move(date), reason = std::move(reason)](TaskRecord& t, ChangeContext& c) -> Status {
    if (!IsSupervisor(actor, c.row)) return NotSupervisor();
    auto parsed = ParseIsoDate(date);
    if (!parsed.ok()) {
      return InvalidArgument("新的办结期限有误", {{"new_deadline", "不是有效日期（应为 2026-12-31 格式）"}});
    }
    if (!Open(t) || t.state == kReported) return StateError(t);
    Task clock = ClockInput(t, {});
    clock.new_deadline.reset();
    TIAODU_RETURN_IF_ERROR(
        CheckNewDeadline(clock, c.env.calendar.calendar, c.env.settings.clock, *parsed, reason, c.now));
    t.deadline = *parsed;
    t.deadline_reason = Trim(reason);
    c.events.push_back(Event(actor, "deadline", "办结期限调整为" + ChineseDate(*parsed) + "：" + t.deadline_reason));
    c.notes.emplace_back(Handlers(c.tx, t),
                         Note("deadline", "办结期限已调整：" + t.code, "新的办结期限为" + ChineseDate(*parsed)));
    return Status::Ok();
  };
}

// ---------------------------------------------------------------------------------------
// Spreadsheets: the import of tasks (a batch 交办), its template and the export of the list.

namespace {

constexpr size_t kMaxImportRows = 5000;
constexpr size_t kMaxImportErrors = 200;
constexpr size_t kMaxExportRows = 200000;
constexpr int kExportPage = 500;

// The columns of an import sheet, found by their headers (-1 = absent).
struct SheetCols {
  int code = -1, title = -1, description = -1, source = -1, source_ref = -1, owner = -1, co = -1, deadline = -1,
      reason = -1, profile = -1, cls = -1;
};

// One data row as typed, before any reference is resolved.
struct SheetRow {
  const io::Row* row = nullptr;
  std::string code, title, description, source, source_ref, owner, reason, profile;
  std::vector<std::string> co_units;
  std::optional<CivilDate> deadline;
  int completion_class = 0;
  std::set<int> bad;  // columns already named in an error of this row
};

// Text as a sheet gives it back: without carriage returns, trimmed (as io::Table::Cell).
std::string SheetText(const std::string& s) {
  std::string out;
  for (char ch : s)
    if (ch != '\r') out += ch;
  while (out.starts_with("\u3000")) out.erase(0, 3);
  while (out.ends_with("\u3000")) out.resize(out.size() - 3);
  return Trim(out);
}

bool ControlChars(const std::string& s) {
  return std::any_of(s.begin(), s.end(), [](unsigned char ch) {
    return (ch < 0x20 && ch != '\t' && ch != '\n' && ch != '\r') || ch == 0x7f;
  });
}

// Problems in cells, in the order of rows and columns (the first kMaxImportErrors are listed).
class CellErrors {
 public:
  explicit CellErrors(const SheetCols& c) : c_(c) {}
  // `col` < 0: the row as a whole.
  void Add(SheetRow& r, int col, const std::string& name, std::string reason) {
    if (col >= 0 && !r.bad.insert(col).second) return;
    if (col < 0) r.bad.insert(-1);
    std::string where = "第" + std::to_string(r.row->line) + "行";
    if (col >= 0) where += " " + io::ColumnLetter(col) + "列（" + name + "）";
    if (errors_.size() < kMaxImportErrors) errors_.push_back({r.row->line, col, {where, std::move(reason)}});
    ++count_;
  }
  // A service check's details (field names of AssignInput / CheckNewDeadline) on their cells;
  // those on a cell already named for what was typed are left out.
  void AddDetails(SheetRow& r, const Status& s) {
    const std::vector<Detail> none = {{"", s.message()}};
    for (const Detail& d : s.details().empty() ? none : s.details()) {
      auto [col, name] = Where(d.field);
      if (col >= 0 && r.bad.count(col)) continue;
      Add(r, col, name, d.reason);
    }
  }
  size_t count() const { return count_; }
  Status Fail() {
    std::stable_sort(errors_.begin(), errors_.end(), [](const Error& a, const Error& b) {
      return a.line != b.line ? a.line < b.line : a.col < b.col;
    });
    std::vector<Detail> d;
    for (Error& e : errors_) d.push_back(std::move(e.detail));
    if (count_ > errors_.size())
      d.push_back({"其余", "另有 " + std::to_string(count_ - errors_.size()) + " 处错误未列出"});
    return InvalidArgument("导入失败：共 " + std::to_string(count_) + " 处错误，未写入任何数据", std::move(d));
  }

 private:
  struct Error {
    int line, col;
    Detail detail;
  };
  std::pair<int, std::string> Where(const std::string& field) const {
    if (field == "title") return {c_.title, header::kTitle};
    if (field == "description") return {c_.description, header::kDescription};
    if (field == "source") return {c_.source, header::kSource};
    if (field == "source_ref") return {c_.source_ref, header::kSourceRef};
    if (field == "owner_unit") return {c_.owner, header::kOwner};
    if (field == "co_units") return {c_.co, header::kCoUnits};
    if (field == "deadline" || field == "new_deadline") return {c_.deadline, header::kDeadline};
    if (field == "deadline_reason" || field == "reason") return {c_.reason, header::kReason};
    if (field == "profile") return {c_.profile, header::kProfile};
    if (field == "completion_class") return {c_.cls, header::kClass};
    return {-1, ""};
  }
  const SheetCols& c_;
  std::vector<Error> errors_;
  size_t count_ = 0;
};

// The profile a cell names, by code or by name; "steps" for an empty cell; "" when unknown.
std::string ProfileOf(const ClockSettings& s, const std::string& text) {
  if (text.empty()) return "steps";
  for (const ClockProfile& p : s.profiles)
    if (p.code == text || p.name == text) return p.code;
  return "";
}

std::vector<std::string> ProfileCodes(const ClockSettings& s) {
  std::vector<std::string> out;
  for (const ClockProfile& p : s.profiles) out.push_back(p.code);
  return out;
}

// Why a task's field cannot take the sheet's value: nothing of an assigned task but its
// deadline is editable (the JSON routes have no such change).
std::string NotEditable(const TaskRecord& t, const std::string& name, const std::string& stored) {
  std::string why = Open(t) ? "任务交办后不能修改" + name + "（如需变更，请撤销后重新交办）"
                            : "任务" + std::string(StateName(t.state)) + "，不能修改";
  return why + "；系统中为“" + stored + "”";
}

}  // namespace

Result<TaskImportResult> SupervisionService::ImportTasks(const auth::Actor& actor, const io::Table& table,
                                                         bool dry_run) {
  TIAODU_RETURN_IF_ERROR(auth::Need(actor, "task.assign"));
  SheetCols c;
  c.code = table.Column({header::kCode, "code"});
  c.title = table.Column({header::kTitle, "任务事项", "title"});
  c.description = table.Column({header::kDescription, "description"});
  c.source = table.Column({header::kSource, "任务来源", "source"});
  c.source_ref = table.Column({header::kSourceRef, "source_ref"});
  c.owner = table.Column({header::kOwner, "牵头单位编码", "owner_unit"});
  c.co = table.Column({header::kCoUnits, "配合单位编码", "co_units"});
  c.deadline = table.Column({header::kDeadline, "办结期限", "deadline"});
  c.reason = table.Column({header::kReason, "deadline_reason"});
  c.profile = table.Column({header::kProfile, "profile"});
  c.cls = table.Column({header::kClass, "紧急程度", "completion_class"});
  std::vector<Detail> missing;
  for (const auto& [col, name] : {std::pair{c.title, header::kTitle}, std::pair{c.source, header::kSource},
                                  std::pair{c.owner, header::kOwner}, std::pair{c.deadline, header::kDeadline}})
    if (col < 0) missing.push_back({"第1行（表头）", std::string("缺少“") + name + "”列"});
  if (!missing.empty()) return InvalidArgument("导入失败：表头不完整，未写入任何数据", std::move(missing));
  if (table.rows.empty()) return InvalidArgument("导入失败：文件中没有数据行");
  if (table.rows.size() > kMaxImportRows)
    return InvalidArgument("导入失败：一次最多导入 " + std::to_string(kMaxImportRows) + " 个任务");

  CellErrors errors(c);
  auto text = [](const io::Row& row, int col) { return col < 0 ? std::string() : io::Table::Cell(row, col); };
  // 1. Every cell as typed (no database).
  std::vector<SheetRow> rows(table.rows.size());
  for (size_t k = 0; k < table.rows.size(); ++k) {
    const io::Row& row = table.rows[k];
    SheetRow& r = rows[k];
    r.row = &row;
    r.code = text(row, c.code);
    r.title = text(row, c.title);
    r.description = text(row, c.description);
    r.source_ref = text(row, c.source_ref);
    r.owner = text(row, c.owner);
    r.co_units = SplitUnitCodes(text(row, c.co));
    r.reason = text(row, c.reason);
    r.profile = text(row, c.profile);
    for (const auto& [col, value, name] :
         {std::tuple{c.code, &r.code, header::kCode}, std::tuple{c.title, &r.title, header::kTitle},
          std::tuple{c.description, &r.description, header::kDescription},
          std::tuple{c.source_ref, &r.source_ref, header::kSourceRef}, std::tuple{c.owner, &r.owner, header::kOwner},
          std::tuple{c.reason, &r.reason, header::kReason}})
      if (ControlChars(*value)) errors.Add(r, col, name, "含有控制字符");
    if (r.title.empty()) errors.Add(r, c.title, header::kTitle, "必填");
    const std::string source = text(row, c.source);
    r.source = SourceFromSheet(source);
    if (source.empty()) errors.Add(r, c.source, header::kSource, "必填");
    else if (r.source.empty())
      errors.Add(r, c.source, header::kSource, "应为 会议议定、领导批示 或 上级交办，现为“" + source + "”");
    if (r.owner.empty()) errors.Add(r, c.owner, header::kOwner, "必填");
    const std::string deadline = text(row, c.deadline);
    if (!deadline.empty()) {
      r.deadline = DateFromSheet(deadline);
      if (!r.deadline) errors.Add(r, c.deadline, header::kDeadline, "应为有效日期，如 2026-12-31，现为“" + deadline + "”");
    }
    const std::string cls = text(row, c.cls);
    if (!cls.empty()) {
      const bool digits = cls.size() <= 3 && std::all_of(cls.begin(), cls.end(), [](char ch) { return ch >= '0' && ch <= '9'; });
      if (digits) r.completion_class = std::stoi(cls);
      else errors.Add(r, c.cls, header::kClass, "应为工作日数（整数），如 7，现为“" + cls + "”");
    }
  }

  // 2. The tasks named, the checks of Assign and NewDeadline, and what changes — in one
  // transaction with the writes.
  const int64_t now = clock_.NowMillis();
  TaskImportResult result;
  result.rows = static_cast<int>(table.rows.size());
  auto work = [&](db::Tx& tx) -> Status {
    const Env env = LoadEnv(tx);
    std::map<std::string, int> first_line;  // code → its first row
    std::vector<TaskRecord> inserts;
    struct Extension {
      TaskRow row;
      std::string date, reason;
    };
    std::vector<Extension> extensions;
    for (SheetRow& r : rows) {
      const std::string profile = c.profile < 0 ? "" : ProfileOf(env.settings.clock, r.profile);
      if (c.profile >= 0 && profile.empty())
        errors.Add(r, c.profile, header::kProfile, "未知的督办时限方案“" + r.profile + "”");
      if (r.code.empty()) {
        // A new task, exactly as POST /tasks assigns it.
        if (!r.deadline && !r.bad.count(c.deadline)) errors.Add(r, c.deadline, header::kDeadline, "必填");
        AssignInput in;
        in.title = r.title;
        in.description = r.description;
        in.source = r.source;
        in.source_ref = r.source_ref;
        in.owner_unit = r.owner;
        in.co_units = r.co_units;
        in.deadline = r.deadline ? Iso(*r.deadline) : "";
        in.deadline_reason = r.reason;
        in.profile = profile.empty() ? "steps" : profile;
        in.completion_class = r.completion_class;
        auto t = BuildTask(tx, actor, in, env, now);
        if (t.ok()) {
          if (r.bad.empty()) inserts.push_back(std::move(*t));
          continue;
        }
        // A deadline measured against a profile or class that is itself wrong says nothing.
        std::vector<Detail> details = t.status().details();
        const bool clock_bad = std::any_of(details.begin(), details.end(), [](const Detail& d) {
          return d.field == "profile" || d.field == "completion_class";
        });
        if (clock_bad)
          std::erase_if(details, [](const Detail& d) { return d.field == "deadline" || d.field == "deadline_reason"; });
        errors.AddDetails(r, InvalidArgument(t.status().message(), std::move(details)));
        continue;
      }
      auto [first, fresh] = first_line.emplace(r.code, r.row->line);
      if (!fresh) {
        errors.Add(r, c.code, header::kCode, "与第" + std::to_string(first->second) + "行的任务编号重复：" + r.code);
        continue;
      }
      auto id = store::FindTaskIdByCode(tx, r.code);
      std::optional<TaskRow> row = id ? store::FindTaskRow(tx, *id) : std::nullopt;
      if (!row || !Visible(actor, *row)) {
        errors.Add(r, c.code, header::kCode,
                   "没有编号为“" + r.code + "”的任务（或不在您的管理范围内）；新任务请将任务编号留空");
        continue;
      }
      // An existing task: only its deadline may change, as POST /tasks/{id}/deadline changes it.
      const TaskRecord& t = row->task;
      auto differs = [&](int col, const char* name, bool same, const std::string& stored) {
        if (col >= 0 && !same && !r.bad.count(col)) errors.Add(r, col, name, NotEditable(t, name, stored));
      };
      differs(c.title, header::kTitle, SheetText(r.title) == SheetText(t.title), t.title);
      differs(c.description, header::kDescription, r.description == SheetText(t.description), t.description);
      differs(c.source, header::kSource, r.source == t.source, std::string(SourceName(t.source)));
      differs(c.source_ref, header::kSourceRef, r.source_ref == SheetText(t.source_ref), t.source_ref);
      differs(c.owner, header::kOwner, r.owner == row->owner.code, row->owner.code);
      std::set<std::string> co(r.co_units.begin(), r.co_units.end()), stored_co;
      std::string stored_co_text;
      for (const UnitRef& u : row->co_units) {
        stored_co.insert(u.code);
        stored_co_text += (stored_co_text.empty() ? "" : "、") + u.code;
      }
      differs(c.co, header::kCoUnits, co == stored_co && co.size() == r.co_units.size(), stored_co_text);
      if (!profile.empty()) differs(c.profile, header::kProfile, profile == t.profile, t.profile);
      differs(c.cls, header::kClass, r.completion_class == t.completion_class,
              t.completion_class ? std::to_string(t.completion_class) : "");
      const std::optional<CivilDate> in_force = t.completion_due ? t.completion_due : t.deadline;
      const std::string stored_reason = t.deadline_reason;
      bool extend = false;
      if (r.bad.count(c.deadline)) {
        // already named
      } else if (!r.deadline) {
        if (in_force) errors.Add(r, c.deadline, header::kDeadline, "必填；系统中为“" + Iso(*in_force) + "”");
      } else if (!in_force || CompareDates(*r.deadline, *in_force) != 0) {
        // A new deadline: the supervisor of the task, an open task, the rule of CheckNewDeadline.
        if (!Open(t) || t.state == kReported) {
          errors.Add(r, c.deadline, header::kDeadline,
                     StateError(t).message() + "，不能调整办结时限" +
                         (in_force ? "；系统中为“" + Iso(*in_force) + "”" : ""));
        } else if (!IsSupervisor(actor, *row)) {
          errors.Add(r, c.deadline, header::kDeadline, "只有交办单位的督查人员可以调整此任务的办结时限");
        } else if (c.reason < 0) {
          errors.Add(r, c.deadline, header::kDeadline, "调整办结时限须说明理由：请增加“办结时限理由”列");
        } else {
          Task clock = ClockInput(t, {});
          clock.new_deadline.reset();
          Status s = CheckNewDeadline(clock, env.calendar.calendar, env.settings.clock, *r.deadline, r.reason, now);
          if (!s.ok()) errors.AddDetails(r, s);
          else extend = true;
        }
      } else if (c.reason >= 0 && r.reason != SheetText(stored_reason) && !r.bad.count(c.reason)) {
        errors.Add(r, c.reason, header::kReason,
                   "办结时限未调整，理由不能单独修改；系统中为“" + stored_reason + "”");
      }
      if (!r.bad.empty()) continue;
      if (extend) extensions.push_back({*row, Iso(*r.deadline), r.reason});
      else result.unchanged++;
    }
    if (errors.count()) return errors.Fail();
    result.inserted = static_cast<int>(inserts.size());
    result.updated = static_cast<int>(extensions.size());
    if (dry_run || (inserts.empty() && extensions.empty())) return Status::Ok();

    // 3. The writes, each as its JSON route writes it (event, notifications, audit record).
    for (const TaskRecord& t : inserts) {
      auto id = AssignTx(tx, actor, t, env, now);
      if (!id.ok()) return id.status();
    }
    for (const Extension& e : extensions)
      TIAODU_RETURN_IF_ERROR(
          ApplyChange(tx, actor, e.row, env, now, "task.deadline", NewDeadlineChange(actor, e.date, e.reason)));
    return auth::AppendAudit(tx, auth::MakeAudit(actor, now, "task.import", "task", "*", {},
                                                 JsonText()
                                                     .Add("rows", result.rows)
                                                     .Add("inserted", result.inserted)
                                                     .Add("updated", result.updated)
                                                     .Add("unchanged", result.unchanged)
                                                     .Build()));
  };
  Status s = dry_run ? db_.Read(work) : db_.Write(work);
  if (!s.ok()) return s;
  return result;
}

Result<io::Sheet> SupervisionService::ExportTasks(const auth::Actor& actor, TaskQuery q) {
  TIAODU_RETURN_IF_ERROR(auth::Need(actor, "task.read"));
  io::Sheet sheet;
  sheet.name = "督办任务";
  TIAODU_RETURN_IF_ERROR(db_.Read([&](db::Tx& tx) {
    sheet.columns = TaskColumns(ProfileCodes(LoadSettings(tx).clock));
    return Status::Ok();
  }));
  q.page_size = kExportPage;
  for (q.page = 1;; ++q.page) {
    auto page = ListTasks(actor, q);
    if (!page.ok()) return page.status();
    for (const TaskRow& row : page->items) {
      if (sheet.rows.size() >= kMaxExportRows) return sheet;
      sheet.rows.push_back(TaskCells(row));
    }
    if (page->items.empty() || static_cast<int64_t>(sheet.rows.size()) >= page->total) return sheet;
  }
}

Result<io::Sheet> SupervisionService::TaskTemplate(const auth::Actor& actor) {
  TIAODU_RETURN_IF_ERROR(auth::Need(actor, "task.assign"));
  io::Sheet sheet;
  sheet.name = "督办任务";
  std::vector<std::string> example(kImportedColumns);
  const int64_t now = clock_.NowMillis();
  TIAODU_RETURN_IF_ERROR(db_.Read([&](db::Tx& tx) {
    const Env env = LoadEnv(tx);
    sheet.columns = TaskColumns(ProfileCodes(env.settings.clock));
    // The owner: a unit under the caller's scope root (its first child), or the root itself.
    std::string owner;
    if (auto root = ScopeRoot(tx, actor)) {
      owner = root->code;
      for (const UnitRef& u : store::AllChildren(tx, root->id))
        if (u.code != owner && actor.InScope(u.path)) {
          owner = u.code;
          break;
        }
    }
    Task clock;
    clock.assigned_at = now;
    auto due = OriginalCompletionDue(clock, env.calendar.calendar, env.settings.clock);
    example = {"", "推进光电产业园项目用地报批", "成立工作专班，按节点完成组卷上报", "领导批示", "市长批示〔" +
               std::to_string(Today().year) + "〕15号", owner, "", due.ok() ? Iso(*due) : "", "", "steps", ""};
    return Status::Ok();
  }));
  example.resize(sheet.columns.size());
  sheet.rows = {example};
  return sheet;
}

// ---------------------------------------------------------------------------------------
// Evidence files

Result<FileRow> SupervisionService::AddFile(const auth::Actor& actor, int64_t task_id, const std::string& name,
                                            const std::string& content_type, const std::string& bytes) {
  (void)content_type;  // the type is decided from the extension and checked against the content
  TIAODU_RETURN_IF_ERROR(auth::Need(actor, "task.report"));
  FileRow out;
  const int64_t now = clock_.NowMillis();
  TIAODU_RETURN_IF_ERROR(db_.Write([&](db::Tx& tx) -> Status {
    auto row = LoadVisible(tx, actor, task_id);
    if (!row.ok()) return row.status();
    const TaskRecord& t = row->task;
    if (!IsOwner(actor, t) && !IsCoUnit(actor, t)) {
      return PermissionDenied("只有牵头单位或配合单位的填报员可以上传佐证材料");
    }
    if (!Open(t)) return StateError(t);
    SupervisionSettings s = LoadSettings(tx);
    FileLimits limits{static_cast<int64_t>(s.max_file_mb) * 1024 * 1024, s.max_files_per_task};
    auto type = CheckEvidenceFile(name, bytes, limits);
    if (!type.ok()) return type.status();
    if (store::CountFiles(tx, t.id) >= limits.max_files) {
      return FailedPrecondition("每个任务最多上传" + std::to_string(limits.max_files) + "个佐证材料");
    }
    TaskFile f{0, t.id, name, *type, static_cast<int64_t>(bytes.size()), auth::Sha256Hex(bytes), actor.user_id,
               actor.unit_id, now};
    f.id = store::InsertFile(tx, f, auth::Base64Encode(bytes));
    TaskEvent e = Event(actor, "file", name);
    e.task_id = t.id;
    e.at = now;
    store::InsertEvent(tx, e);
    TIAODU_RETURN_IF_ERROR(auth::AppendAudit(
        tx, auth::MakeAudit(actor, now, "task.file.add", "task", std::to_string(t.id), {},
                            JsonText().Add("file_id", f.id).Add("name", name).Add("size", f.size)
                                .Add("sha256", f.sha256).Build())));
    out.file = f;
    out.user = store::FindUser(tx, actor.user_id).value_or(UserRef{actor.user_id, actor.username});
    return Status::Ok();
  }));
  return out;
}

Result<std::pair<FileRow, std::string>> SupervisionService::GetFile(const auth::Actor& actor, int64_t task_id,
                                                                    int64_t file_id) {
  TIAODU_RETURN_IF_ERROR(auth::Need(actor, "task.read"));
  std::pair<FileRow, std::string> out;
  TIAODU_RETURN_IF_ERROR(db_.Read([&](db::Tx& tx) -> Status {
    auto row = LoadVisible(tx, actor, task_id);
    if (!row.ok()) return row.status();
    auto f = store::FileWithData(tx, task_id, file_id);
    if (!f) return NotFound("附件不存在");
    auto bytes = auth::Base64Decode(f->second);
    if (!bytes.ok()) return bytes.status();
    out = {f->first, *bytes};
    return Status::Ok();
  }));
  return out;
}

// ---------------------------------------------------------------------------------------
// On-time rate

namespace {

struct PeriodRange {
  std::string label;
  CivilDate from, to;
};

// A month, quarter or year (base/period.h); halves are not among the periods of the rate.
Result<PeriodRange> ParseRange(const std::string& p) {
  auto period = Period::Parse(p);
  if (!period.ok() || period->kind() == PeriodKind::kHalf) {
    return InvalidArgument("统计期间格式错误", {{"period", "应为 2026-06、2026Q2 或 2026"}});
  }
  return PeriodRange{period->ToString(), period->StartDate(), period->EndDate()};
}

std::optional<std::string> Percent(int part, int whole) {
  if (whole == 0) return std::nullopt;
  const int64_t tenths = (static_cast<int64_t>(part) * 1000 + whole / 2) / whole;
  return std::to_string(tenths / 10) + "." + std::to_string(tenths % 10);
}

}  // namespace

Result<OnTimeReport> SupervisionService::OnTime(const auth::Actor& actor, const std::string& period,
                                                const std::string& unit_code) {
  TIAODU_RETURN_IF_ERROR(auth::Need(actor, "task.read"));
  Result<OnTimeReport> out = NotFound("");
  TIAODU_RETURN_IF_ERROR(db_.Read([&](db::Tx& tx) -> Status {
    auto root = UnitOrScopeRoot(tx, actor, unit_code);
    if (!root.ok()) return root.status();
    out = OnTimeInTx(tx, *root, period);
    return out.status();
  }));
  return out;
}

Result<OnTimeReport> SupervisionService::OnTimeInTx(db::Tx& tx, const UnitRef& root_unit, const std::string& period) {
  auto range = ParseRange(period);
  if (!range.ok()) return range.status();
  OnTimeReport rep;
  rep.period = range->label;
  rep.from = range->from;
  rep.to = range->to;
  const int64_t now = clock_.NowMillis();
  const UnitRef* root = &root_unit;
  rep.unit = *root;
  Env env = LoadEnv(tx);
  const int offset = env.settings.clock.utc_offset_minutes;
  const CivilDate today = ToCivil(now, offset);
  auto tasks = store::TasksDueBetween(tx, root->path, Iso(range->from), Iso(range->to));
  std::vector<int64_t> ids;
  for (const auto& [t, path] : tasks) ids.push_back(t.id);
  auto feedback = store::FeedbackTimes(tx, ids);
  std::vector<OnTimeRow> rows{OnTimeRow{*root}};
  for (const UnitRef& c : store::AllChildren(tx, root->id)) rows.push_back(OnTimeRow{c});
  for (const auto& [t, path] : tasks) {
    if (!t.completion_due) continue;
    const int64_t due_end = DayEndMillis(*t.completion_due, offset);
    const bool reported = t.reported_at.has_value();
    const bool passed = CompareDates(*t.completion_due, today) < 0;
    if (!reported && !passed) continue;  // not yet due
    int on_time = 0, late = 0, open_overdue = 0;
    if (reported && *t.reported_at < due_end) on_time = 1;
    else if (reported) late = 1;
    else open_overdue = 1;
    int steps_due = 0, steps_on_time = 0;
    auto st = Evaluate(ClockInput(t, feedback[t.id]), env.calendar.calendar, env.settings.clock, now);
    if (st.ok()) {
      for (const StepStatus& s : st->steps) {
        if (s.state == kDone) ++steps_on_time;
        if (s.state == kDone || s.state == kLate || s.state == kMissed || s.state == kOverdue) ++steps_due;
      }
    }
    for (OnTimeRow& row : rows) {
      if (path.compare(0, row.unit.path.size(), row.unit.path) != 0) continue;
      row.due += 1;
      row.on_time += on_time;
      row.late += late;
      row.open_overdue += open_overdue;
      row.steps_due += steps_due;
      row.steps_on_time += steps_on_time;
    }
  }
  for (OnTimeRow& row : rows) {
    row.rate = Percent(row.on_time, row.due);
    row.step_rate = Percent(row.steps_on_time, row.steps_due);
  }
  rep.rows = std::move(rows);
  return rep;
}

// ---------------------------------------------------------------------------------------
// Settings and calendar

Result<SupervisionSettings> SupervisionService::GetSettings(const auth::Actor& actor) {
  TIAODU_RETURN_IF_ERROR(auth::Need(actor, "task.read"));
  SupervisionSettings out;
  TIAODU_RETURN_IF_ERROR(db_.Read([&](db::Tx& tx) -> Status {
    out = LoadSettings(tx);
    return Status::Ok();
  }));
  return out;
}

Result<SupervisionSettings> SupervisionService::PutSettings(const auth::Actor& actor, const SupervisionSettings& s) {
  TIAODU_RETURN_IF_ERROR(auth::Need(actor, "task.write"));
  TIAODU_RETURN_IF_ERROR(CheckSettings(s.clock));
  std::vector<Detail> d;
  if (s.max_file_mb < 1 || s.max_file_mb > 10) d.push_back({"max_file_mb", "附件大小上限应为1至10MB（服务器请求体上限为11MB）"});
  if (s.max_files_per_task < 1 || s.max_files_per_task > 200)
    d.push_back({"max_files_per_task", "每个任务的附件数应为1至200个"});
  if (!d.empty()) return InvalidArgument("督办设置有误", std::move(d));
  const int64_t now = clock_.NowMillis();
  SupervisionSettings out;
  TIAODU_RETURN_IF_ERROR(db_.Write([&](db::Tx& tx) -> Status {
    SupervisionSettings before = LoadSettings(tx);
    if (before.version != s.version) return StaleVersion();
    const std::string text = SettingsToText(s.clock, s.max_file_mb, s.max_files_per_task);
    if (!db::PutSetting(tx, kSettingsKey, text, s.version, now)) return StaleVersion();
    TIAODU_RETURN_IF_ERROR(auth::AppendAudit(
        tx, auth::MakeAudit(actor, now, "task.settings", "settings", kSettingsKey,
                            JsonText().Add("text", SettingsToText(before.clock, before.max_file_mb,
                                                                  before.max_files_per_task)).Build(),
                            JsonText().Add("text", text).Build())));
    out = LoadSettings(tx);
    return Status::Ok();
  }));
  (void)Tick("settings");  // lights follow the new thresholds at once
  return out;
}

Result<CalendarView> SupervisionService::GetCalendar(const auth::Actor& actor) {
  TIAODU_RETURN_IF_ERROR(auth::Need(actor, "task.read"));
  CalendarView out;
  TIAODU_RETURN_IF_ERROR(db_.Read([&](db::Tx& tx) -> Status {
    out = LoadCalendar(tx);
    return Status::Ok();
  }));
  return out;
}

Result<CalendarView> SupervisionService::PutCalendar(const auth::Actor& actor, const std::string& text, int version) {
  TIAODU_RETURN_IF_ERROR(auth::Need(actor, "task.write"));
  if (text.size() > 200000) return InvalidArgument("节假日日历过长", {{"text", "不能超过200000字节"}});
  auto parsed = ParseCalendar(text);
  if (!parsed.ok()) return parsed.status();
  const int64_t now = clock_.NowMillis();
  CalendarView out;
  TIAODU_RETURN_IF_ERROR(db_.Write([&](db::Tx& tx) -> Status {
    CalendarView before = LoadCalendar(tx);
    if (before.version != version) return StaleVersion();
    if (!db::PutSetting(tx, kCalendarKey, text, version, now)) return StaleVersion();
    TIAODU_RETURN_IF_ERROR(auth::AppendAudit(
        tx, auth::MakeAudit(actor, now, "task.calendar", "settings", kCalendarKey,
                            JsonText().Add("days", static_cast<int64_t>(before.calendar.days.size())).Build(),
                            JsonText().Add("days", static_cast<int64_t>(parsed->days.size())).Build())));
    out = LoadCalendar(tx);
    return Status::Ok();
  }));
  (void)Tick("calendar");
  return out;
}

Result<std::vector<std::pair<CivilDate, bool>>> SupervisionService::WorkingDays(const auth::Actor& actor,
                                                                                 const std::string& from,
                                                                                 const std::string& to) {
  TIAODU_RETURN_IF_ERROR(auth::Need(actor, "task.read"));
  auto f = ParseIsoDate(from);
  auto t = ParseIsoDate(to);
  std::vector<Detail> d;
  if (!f.ok()) d.push_back({"from", "不是有效日期"});
  if (!t.ok()) d.push_back({"to", "不是有效日期"});
  if (f.ok() && t.ok()) {
    const int64_t span = DaysFromCivil(*t) - DaysFromCivil(*f);
    if (span < 0) d.push_back({"to", "结束日期不能早于开始日期"});
    else if (span >= 400) d.push_back({"to", "一次最多查询400天"});
  }
  if (!d.empty()) return InvalidArgument("日期范围有误", std::move(d));
  std::vector<std::pair<CivilDate, bool>> out;
  TIAODU_RETURN_IF_ERROR(db_.Read([&](db::Tx& tx) -> Status {
    CalendarView cal = LoadCalendar(tx);
    for (CivilDate day = *f; CompareDates(day, *t) <= 0; day = AddDays(day, 1))
      out.emplace_back(day, IsWorkingDay(cal.calendar, day));
    return Status::Ok();
  }));
  return out;
}

// ---------------------------------------------------------------------------------------
// Meetings

namespace {

Result<Meeting> BuildMeeting(db::Tx& tx, const auth::Actor& actor, const MeetingInput& in) {
  std::vector<Detail> d;
  Meeting m;
  m.kind = in.kind;
  if (m.kind != "weekly" && m.kind != "monthly" && m.kind != "special")
    d.push_back({"kind", "会议类型应为 周碰头(weekly)、月例会(monthly) 或 专题会(special)"});
  m.title = Trim(in.title);
  (void)CheckText(d, "title", m.title, kMaxTitleBytes, true, "会议名称");
  auto held = ParseIsoDate(in.held_on);
  if (!held.ok()) d.push_back({"held_on", "会议日期不是有效日期（应为 2026-11-24 格式）"});
  else m.held_on = *held;
  m.place = Trim(in.place);
  m.chair = Trim(in.chair);
  m.attendees = in.attendees;
  m.minutes = in.minutes;
  (void)CheckText(d, "place", m.place, kMaxShortBytes, false, "会议地点");
  (void)CheckText(d, "chair", m.chair, kMaxShortBytes, false, "主持人");
  (void)CheckText(d, "attendees", m.attendees, kMaxTextBytes, false, "参会人员");
  (void)CheckText(d, "minutes", m.minutes, 200000, false, "会议纪要");
  m.status = in.status.empty() ? "draft" : in.status;
  if (m.status != "draft" && m.status != "published") d.push_back({"status", "应为 draft 或 published"});
  if (in.decisions.size() > 100) d.push_back({"decisions", "议定事项最多100项"});
  int i = 0;
  for (const MeetingInput::DecisionIn& di : in.decisions) {
    ++i;
    const std::string field = "decisions[" + std::to_string(i - 1) + "]";
    Decision dec;
    if (di.id) dec.id = *di.id;
    dec.text = Trim(di.text);
    if (dec.text.empty()) d.push_back({field + ".text", "请填写第" + std::to_string(i) + "项议定事项"});
    else if (dec.text.size() > kMaxTextBytes) d.push_back({field + ".text", "议定事项过长"});
    if (!di.owner_unit.empty()) {
      auto u = store::FindUnitByCode(tx, di.owner_unit);
      if (!u) d.push_back({field + ".owner_unit", "未知单位“" + di.owner_unit + "”"});
      else if (!actor.InScope(u->path)) d.push_back({field + ".owner_unit", "单位“" + u->name + "”不在您的管理范围内"});
      else dec.owner_unit_id = u->id;
    }
    if (!di.deadline.empty()) {
      auto dl = ParseIsoDate(di.deadline);
      if (!dl.ok()) d.push_back({field + ".deadline", "不是有效日期"});
      else dec.deadline = *dl;
    }
    m.decisions.push_back(std::move(dec));
  }
  if (!d.empty()) return InvalidArgument("会议纪要的信息有误", std::move(d));
  return m;
}

MeetingView MakeMeetingView(db::Tx& tx, Meeting m) {
  MeetingView v;
  v.unit = store::FindUnit(tx, m.unit_id).value_or(UnitRef{m.unit_id});
  for (const Decision& d : m.decisions) {
    v.decision_owners.push_back(d.owner_unit_id ? store::FindUnit(tx, *d.owner_unit_id) : std::nullopt);
    v.decision_tasks.push_back(d.task_id ? store::FindTask(tx, *d.task_id) : std::nullopt);
  }
  v.meeting = std::move(m);
  return v;
}

Result<Meeting> LoadMeeting(db::Tx& tx, const auth::Actor& actor, int64_t id) {
  auto m = store::FindMeeting(tx, id);
  if (!m) return NotFound("会议不存在");
  auto u = store::FindUnit(tx, m->unit_id);
  if (!u || !actor.InScope(u->path)) return NotFound("会议不存在");
  return *m;
}

}  // namespace

Result<auth::Page<MeetingView>> SupervisionService::ListMeetings(const auth::Actor& actor, const std::string& kind,
                                                                 const std::string& from, const std::string& to,
                                                                 const std::string& q, int page, int page_size) {
  TIAODU_RETURN_IF_ERROR(auth::Need(actor, "task.read"));
  std::vector<Detail> d;
  static const std::set<std::string> kKinds = {"", "weekly", "monthly", "special"};
  if (!kKinds.count(kind)) d.push_back({"kind", "应为 weekly、monthly 或 special"});
  if (!from.empty() && !ParseIsoDate(from).ok()) d.push_back({"from", "不是有效日期（应为 2026-11-01 格式）"});
  if (!to.empty() && !ParseIsoDate(to).ok()) d.push_back({"to", "不是有效日期（应为 2026-11-30 格式）"});
  if (q.size() > 200) d.push_back({"q", "不能超过200字节"});
  if (!d.empty()) return InvalidArgument("查询条件有误", std::move(d));
  auth::Page<MeetingView> out;
  out.page = page;
  out.page_size = page_size;
  TIAODU_RETURN_IF_ERROR(db_.Read([&](db::Tx& tx) -> Status {
    for (Meeting& m :
         store::ListMeetings(tx, actor.system ? "" : actor.unit_path, kind, from, to, q, page, page_size, &out.total))
      out.items.push_back(MakeMeetingView(tx, std::move(m)));
    return Status::Ok();
  }));
  return out;
}

Result<MeetingView> SupervisionService::GetMeeting(const auth::Actor& actor, int64_t id) {
  TIAODU_RETURN_IF_ERROR(auth::Need(actor, "task.read"));
  MeetingView out;
  TIAODU_RETURN_IF_ERROR(db_.Read([&](db::Tx& tx) -> Status {
    auto m = LoadMeeting(tx, actor, id);
    if (!m.ok()) return m.status();
    out = MakeMeetingView(tx, *m);
    return Status::Ok();
  }));
  return out;
}

Result<MeetingView> SupervisionService::CreateMeeting(const auth::Actor& actor, const MeetingInput& in) {
  TIAODU_RETURN_IF_ERROR(auth::Need(actor, "task.write"));
  MeetingView out;
  const int64_t now = clock_.NowMillis();
  TIAODU_RETURN_IF_ERROR(db_.Write([&](db::Tx& tx) -> Status {
    for (const auto& d : in.decisions)
      if (d.id) return InvalidArgument("新会议的议定事项不能带编号", {{"decisions", "不能指定 id"}});
    auto m = BuildMeeting(tx, actor, in);
    if (!m.ok()) return m.status();
    auto root = ScopeRoot(tx, actor);
    if (!root) return PermissionDenied("您的账号没有所属单位");
    m->unit_id = root->id;
    m->created_by = actor.user_id;
    m->created_at = m->updated_at = now;
    m->id = store::InsertMeeting(tx, *m);
    TIAODU_RETURN_IF_ERROR(auth::AppendAudit(
        tx, auth::MakeAudit(actor, now, "meeting.create", "meeting", std::to_string(m->id), {}, MeetingSnapshot(*m))));
    out = MakeMeetingView(tx, *store::FindMeeting(tx, m->id));
    return Status::Ok();
  }));
  return out;
}

Result<MeetingView> SupervisionService::UpdateMeeting(const auth::Actor& actor, int64_t id, const MeetingInput& in,
                                                      int version) {
  TIAODU_RETURN_IF_ERROR(auth::Need(actor, "task.write"));
  MeetingView out;
  const int64_t now = clock_.NowMillis();
  TIAODU_RETURN_IF_ERROR(db_.Write([&](db::Tx& tx) -> Status {
    auto before = LoadMeeting(tx, actor, id);
    if (!before.ok()) return before.status();
    if (before->version != version) return StaleVersion();
    MeetingInput input = in;
    if (!in.decisions_given) {
      input.decisions.clear();
      for (const Decision& d : before->decisions) {
        std::string owner;
        if (d.owner_unit_id)
          if (auto u = store::FindUnit(tx, *d.owner_unit_id)) owner = u->code;
        input.decisions.push_back({d.id, d.text, owner, d.deadline ? Iso(*d.deadline) : ""});
      }
    }
    auto m = BuildMeeting(tx, actor, input);
    if (!m.ok()) return m.status();
    std::map<int64_t, const Decision*> existing;
    for (const Decision& d : before->decisions) existing[d.id] = &d;
    std::set<int64_t> kept;
    for (Decision& d : m->decisions) {
      if (d.id == 0) continue;
      auto it = existing.find(d.id);
      if (it == existing.end()) return InvalidArgument("议定事项不属于该会议", {{"decisions", "未知的议定事项 id"}});
      d.task_id = it->second->task_id;
      kept.insert(d.id);
    }
    for (const Decision& d : before->decisions) {
      if (d.task_id && !kept.count(d.id)) {
        auto task = store::FindTask(tx, *d.task_id);
        return FailedPrecondition("第" + std::to_string(d.seq) + "项议定事项已转为任务" + (task ? task->code : "") +
                                  "，不能删除");
      }
    }
    m->id = id;
    m->version = version;
    m->unit_id = before->unit_id;
    m->updated_at = now;
    if (!store::UpdateMeeting(tx, *m)) return StaleVersion();
    store::SaveDecisions(tx, id, m->decisions);
    auto after = store::FindMeeting(tx, id);
    TIAODU_RETURN_IF_ERROR(auth::AppendAudit(tx, auth::MakeAudit(actor, now, "meeting.update", "meeting",
                                                                 std::to_string(id), MeetingSnapshot(*before),
                                                                 MeetingSnapshot(*after))));
    out = MakeMeetingView(tx, *after);
    return Status::Ok();
  }));
  return out;
}

Result<TaskDetail> SupervisionService::DecisionToTask(const auth::Actor& actor, int64_t meeting_id,
                                                      int64_t decision_id, const AssignInput& in) {
  TIAODU_RETURN_IF_ERROR(auth::Need(actor, "task.assign"));
  TaskDetail out;
  const int64_t now = clock_.NowMillis();
  TIAODU_RETURN_IF_ERROR(db_.Write([&](db::Tx& tx) -> Status {
    auto m = LoadMeeting(tx, actor, meeting_id);
    if (!m.ok()) return m.status();
    const Decision* dec = nullptr;
    for (const Decision& d : m->decisions)
      if (d.id == decision_id) dec = &d;
    if (!dec) return NotFound("议定事项不存在");
    if (dec->task_id) {
      auto task = store::FindTask(tx, *dec->task_id);
      return Conflict("该议定事项已转为任务" + (task ? task->code : std::to_string(*dec->task_id)));
    }
    AssignInput a = in;
    a.title = dec->text.size() > kMaxTitleBytes ? dec->text.substr(0, 0) : dec->text;
    if (dec->text.size() > kMaxTitleBytes) {
      // Cut at a character boundary within the limit; the whole text is the description.
      size_t cut = kMaxTitleBytes;
      while (cut > 0 && (static_cast<unsigned char>(dec->text[cut]) & 0xC0) == 0x80) --cut;
      a.title = dec->text.substr(0, cut);
    }
    if (a.description.empty()) a.description = dec->text;
    a.source = "meeting";
    if (a.source_ref.empty()) a.source_ref = m->title;
    if (a.owner_unit.empty() && dec->owner_unit_id) {
      if (auto u = store::FindUnit(tx, *dec->owner_unit_id)) a.owner_unit = u->code;
    }
    if (a.deadline.empty() && dec->deadline) a.deadline = Iso(*dec->deadline);
    Env env = LoadEnv(tx);
    auto t = BuildTask(tx, actor, a, env, now);
    if (!t.ok()) return t.status();
    t->meeting_id = m->id;
    t->decision_id = dec->id;
    auto id = AssignTx(tx, actor, *t, env, now);
    if (!id.ok()) return id.status();
    store::SetDecisionTask(tx, dec->id, *id);
    auto row = store::FindTaskRow(tx, *id);
    out = MakeDetail(tx, actor, *row, env, now);
    return Status::Ok();
  }));
  return out;
}

// ---------------------------------------------------------------------------------------
// Notifications

Result<NotificationPage> SupervisionService::ListNotifications(const auth::Actor& actor, bool unread_only, int page,
                                                                int page_size) {
  if (actor.system || actor.user_id == 0) return PermissionDenied();
  NotificationPage out;
  out.page = page;
  out.page_size = page_size;
  TIAODU_RETURN_IF_ERROR(db_.Read([&](db::Tx& tx) -> Status {
    out.items = store::Notifications(tx, actor.user_id, unread_only, page, page_size, &out.total);
    out.unread = store::UnreadCount(tx, actor.user_id);
    return Status::Ok();
  }));
  return out;
}

Result<int64_t> SupervisionService::UnreadCount(const auth::Actor& actor) {
  if (actor.system || actor.user_id == 0) return PermissionDenied();
  int64_t n = 0;
  TIAODU_RETURN_IF_ERROR(db_.Read([&](db::Tx& tx) -> Status {
    n = store::UnreadCount(tx, actor.user_id);
    return Status::Ok();
  }));
  return n;
}

Status SupervisionService::MarkRead(const auth::Actor& actor, int64_t id) {
  if (actor.system || actor.user_id == 0) return PermissionDenied();
  const int64_t now = clock_.NowMillis();
  return db_.Write([&](db::Tx& tx) -> Status {
    if (!store::MarkRead(tx, actor.user_id, id, now)) return NotFound("消息不存在");
    return Status::Ok();
  });
}

Result<int64_t> SupervisionService::MarkAllRead(const auth::Actor& actor) {
  if (actor.system || actor.user_id == 0) return PermissionDenied();
  const int64_t now = clock_.NowMillis();
  int64_t n = 0;
  TIAODU_RETURN_IF_ERROR(db_.Write([&](db::Tx& tx) -> Status {
    n = store::MarkAllRead(tx, actor.user_id, now);
    return Status::Ok();
  }));
  return n;
}

// ---------------------------------------------------------------------------------------
// Scheduler

Result<TickResult> SupervisionService::Tick(const std::string& host) {
  const int64_t now = clock_.NowMillis();
  TickResult res;
  TIAODU_RETURN_IF_ERROR(db_.Write([&](db::Tx& tx) -> Status {
    res = TickResult{};
    // One process at a time: the others skip this round (the lock ends with the transaction).
    if (!store::TryTransactionLock(tx, kAdvisoryLockKey)) return Status::Ok();
    res.ran = true;
    Env env = LoadEnv(tx);
    const int offset = env.settings.clock.utc_offset_minutes;
    const CivilDate today = ToCivil(now, offset);
    std::vector<TaskRecord> tasks = store::OpenTasks(tx);
    std::vector<int64_t> ids;
    for (const TaskRecord& t : tasks) ids.push_back(t.id);
    auto feedback = store::FeedbackTimes(tx, ids);
    // Read once per tick: the units (for escalations) and the keys of reminders already sent,
    // so that a tick with nothing new writes nothing but its run record.
    const UnitMap units = store::AllUnits(tx);
    const auto sent = store::ReminderKeys(tx, ids);
    auto mark = [&](int64_t task_id, const std::string& key) {
      if (sent.count({task_id, key})) return false;
      return store::MarkReminder(tx, task_id, key, now);
    };
    auth::Actor system;
    system.system = true;
    system.username = "system";
    system.role = "system";
    for (TaskRecord& t : tasks) {
      ++res.evaluated;
      const TaskRecord before = t;
      ClockState st = Refresh(tx, t, env, now, feedback[t.id], &units);
      if (!SameReadModel(before, t)) {
        store::UpdateReadModel(tx, t);
        ++res.changed;
      }
      if (t.state == kReported) continue;  // waiting for the supervisor: nothing to remind
      Outbox box;
      std::vector<int64_t> handlers;
      bool handlers_loaded = false;
      auto owners = [&]() -> const std::vector<int64_t>& {
        if (!handlers_loaded) {
          handlers = Handlers(tx, t);
          handlers_loaded = true;
        }
        return handlers;
      };
      for (const StepStatus& s : st.steps) {
        const std::string step_key = s.code + ":" + std::to_string(s.seq) + ":" + Iso(s.due);
        if (s.state == kPending && s.code != kReceipt && CompareDates(s.due, today) == 0) {
          if (mark(t.id, "due:" + step_key)) {
            ++res.reminders;
            box.Add(owners(), "reminder", "今日到期：" + t.code + "「" + s.name + "」",
                    t.title + "（" + s.name + "今日到期，请按时办理）", t.id);
          }
        } else if (s.state == kOverdue) {
          if (mark(t.id, "overdue:" + s.light + ":" + step_key)) {
            ++res.reminders;
            const std::string what = "「" + s.name + "」已逾期" +
                                     (s.overdue_days > 0 ? std::to_string(s.overdue_days) + "个工作日" : "") + "（" +
                                     std::string(LightName(s.light)) + "）";
            std::vector<int64_t> to = owners();
            if (t.assigned_by) to.push_back(t.assigned_by);
            box.Add(to, "overdue", "逾期提醒：" + t.code + what, t.title, t.id);
            TaskEvent e{0, t.id, "reminder", s.name + "（期限" + ChineseDate(s.due) + "）已逾期，" +
                                                 std::string(LightName(s.light)),
                        std::nullopt, std::nullopt, now};
            store::InsertEvent(tx, e);
          }
        }
      }
      // Escalation: one notice per level reached, to the leaders and supervisors acting for
      // the unit that many levels above the owner.
      int64_t unit = t.owner_unit_id;
      for (int level = 1; level <= t.escalation; ++level) {
        auto u = LookUpUnit(tx, &units, unit);
        if (!u || u->parent_id == 0) break;
        unit = u->parent_id;
        if (!mark(t.id, "escalate:" + std::to_string(level))) continue;
        ++res.reminders;
        auto above = LookUpUnit(tx, &units, unit);
        const std::string name = above ? above->name : "";
        box.Add(store::UsersActingFor(tx, unit, {"leader", "supervisor"}), "escalated",
                "逾期升级：" + t.code + " 已升级至" + name, t.title + "（" + t.light_reason + "）", t.id);
        TaskEvent e{0, t.id, "escalated", "逾期升级至" + name + "（第" + std::to_string(level) + "级）", std::nullopt,
                    unit, now};
        store::InsertEvent(tx, e);
        TIAODU_RETURN_IF_ERROR(auth::AppendAudit(
            tx, auth::MakeAudit(system, now, "task.escalate", "task", std::to_string(t.id), {},
                                JsonText().Add("level", level).Add("unit_id", unit).Build())));
      }
      res.notifications += box.Flush(tx, now);
    }
    store::RecordRun(tx, kSchedulerName, now, host);
    return Status::Ok();
  }));
  return res;
}

Result<SchedulerStatus> SupervisionService::Scheduler(const auth::Actor& actor) {
  TIAODU_RETURN_IF_ERROR(auth::Need(actor, "task.read"));
  SchedulerStatus out;
  TIAODU_RETURN_IF_ERROR(db_.Read([&](db::Tx& tx) -> Status {
    if (auto s = store::LastRun(tx, kSchedulerName)) out = *s;
    out.reminders_sent = store::CountReminders(tx);
    return Status::Ok();
  }));
  return out;
}

// ---------------------------------------------------------------------------------------
// Bulk

Status SupervisionService::LoadBulk(const auth::Actor& system, const BulkData& data) {
  if (!system.system) return PermissionDenied();
  const int64_t now = clock_.NowMillis();
  TIAODU_RETURN_IF_ERROR(db_.Write([&](db::Tx& tx) -> Status {
    Env env = LoadEnv(tx);
    std::vector<int64_t> meeting_ids;
    std::vector<std::vector<int64_t>> decision_ids;
    for (const Meeting& m : data.meetings) {
      meeting_ids.push_back(store::InsertMeeting(tx, m));
      auto saved = store::FindMeeting(tx, meeting_ids.back());
      std::vector<int64_t> ids;
      for (const Decision& d : saved->decisions) ids.push_back(d.id);
      decision_ids.push_back(std::move(ids));
    }
    for (size_t i = 0; i < data.tasks.size(); ++i) {
      TaskRecord t = data.tasks[i];
      std::optional<size_t> decision_pos;
      if (t.meeting_id) {
        const size_t mpos = static_cast<size_t>(*t.meeting_id);
        if (mpos >= meeting_ids.size()) return InvalidArgument("演示任务引用了不存在的会议");
        t.meeting_id = meeting_ids[mpos];
        if (t.decision_id) {
          const size_t dpos = static_cast<size_t>(*t.decision_id);
          if (dpos >= decision_ids[mpos].size()) return InvalidArgument("演示任务引用了不存在的议定事项");
          t.decision_id = decision_ids[mpos][dpos];
          decision_pos = dpos;
        }
      }
      std::vector<int64_t> feedback;
      if (i < data.events.size())
        for (const TaskEvent& e : data.events[i])
          if (e.kind == "feedback") feedback.push_back(e.at);
      if (t.code.empty()) {
        char code[32];
        const CivilDate d = ToCivil(t.assigned_at, 480);
        std::snprintf(code, sizeof(code), "DB%04d-%04d", d.year, store::NextTaskSeq(tx, d.year));
        t.code = code;
      }
      if (t.created_at == 0) t.created_at = t.assigned_at;
      if (t.updated_at == 0) t.updated_at = t.created_at;
      Refresh(tx, t, env, now, feedback);
      t.id = store::InsertTask(tx, t);
      if (t.decision_id) store::SetDecisionTask(tx, *t.decision_id, t.id);
      if (i < data.events.size()) {
        for (TaskEvent e : data.events[i]) {
          e.task_id = t.id;
          store::InsertEvent(tx, e);
        }
      }
      if (i < data.files.size()) {
        for (const auto& [meta, bytes] : data.files[i]) {
          TaskFile f = meta;
          f.task_id = t.id;
          f.size = static_cast<int64_t>(bytes.size());
          f.sha256 = auth::Sha256Hex(bytes);
          store::InsertFile(tx, f, auth::Base64Encode(bytes));
        }
      }
    }
    return Status::Ok();
  }));
  auto tick = Tick("demo");
  return tick.ok() ? Status::Ok() : tick.status();
}

}  // namespace tiaodu::supervision
