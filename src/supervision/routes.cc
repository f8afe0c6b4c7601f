#include "supervision/routes.h"

#include "base/period.h"
#include "http/json.h"
#include "http/sheets.h"
#include "supervision/rules.h"
#include "supervision/sheets.h"

namespace tiaodu::supervision {

using http::Access;
using http::ErrorResponse;
using http::JsonBody;
using http::JsonResponse;
using http::JsonWriter;
using http::Response;
using http::Route;
using http::RouteContext;

namespace {

constexpr size_t kText = 20000;

const char* EventName(const std::string& k) {
  if (k == "assigned") return "交办";
  if (k == "received") return "签收";
  if (k == "plan") return "办理方案";
  if (k == "feedback") return "进展反馈";
  if (k == "co_feedback") return "配合反馈";
  if (k == "file") return "上传佐证材料";
  if (k == "reported") return "申请办结";
  if (k == "accepted") return "验收办结";
  if (k == "returned") return "退回";
  if (k == "deadline") return "调整期限";
  if (k == "cancelled") return "撤销";
  if (k == "reminder") return "逾期提醒";
  if (k == "escalated") return "逾期升级";
  return "";
}

const char* KindName(const std::string& k) {
  if (k == "weekly") return "周碰头";
  if (k == "monthly") return "月例会";
  if (k == "special") return "专题会";
  return "";
}

void WriteUnit(JsonWriter& w, const UnitRef& u) {
  w.BeginObject().Field("id", u.id).Field("code", u.code).Field("name", u.name).EndObject();
}

// The name of a clock step (签收 …), or the code itself when unknown.
std::string StepName(const std::string& step) {
  if (step == kReceipt) return "签收";
  if (step == kPlan) return "办理方案";
  if (step == kFeedback) return "进展反馈";
  if (step == kComplete) return "办结";
  return step;
}

void WriteStepName(JsonWriter& w, const TaskRecord& t) {
  w.Key("next_due");
  if (!t.next_due) {
    w.Null();
    return;
  }
  w.BeginObject()
      .Field("step", t.next_step)
      .Field("step_name", StepName(t.next_step))
      .Field("due", FormatIsoDate(*t.next_due))
      .EndObject();
}

void WriteTask(JsonWriter& w, const TaskRow& r, bool close = true) {
  const TaskRecord& t = r.task;
  w.BeginObject()
      .Field("id", t.id)
      .Field("code", t.code)
      .Field("title", t.title)
      .Field("source", t.source)
      .Field("source_name", std::string(SourceName(t.source)))
      .Field("source_ref", t.source_ref)
      .Key("meeting");
  if (t.meeting_id) w.BeginObject().Field("id", *t.meeting_id).Field("title", r.meeting_title).EndObject();
  else w.Null();
  w.Key("unit");
  WriteUnit(w, r.unit);
  w.Key("owner_unit");
  WriteUnit(w, r.owner);
  w.Key("co_units").BeginArray();
  for (const UnitRef& u : r.co_units) WriteUnit(w, u);
  w.EndArray().Key("assigned_by");
  w.BeginObject().Field("id", r.assigned_by.id).Field("name", r.assigned_by.name).EndObject();
  w.Field("assigned_at", t.assigned_at)
      .Field("profile", t.profile)
      .Field("completion_class", t.completion_class);
  w.OptDate("deadline", t.deadline);
  w.OptDate("completion_due", t.completion_due);
  WriteStepName(w, t);
  w.Field("state", t.state)
      .Field("state_name", std::string(StateName(t.state)))
      .Field("light", t.light)
      .Field("light_name", std::string(LightName(t.light)))
      .Field("light_reason", t.light_reason)
      .Field("escalation", t.escalation)
      .Key("escalated_to");
  if (r.escalated_to) WriteUnit(w, *r.escalated_to);
  else w.Null();
  w.Key("overdue_steps").BeginArray();
  size_t pos = 0;
  while (pos < t.overdue_steps.size()) {
    size_t comma = t.overdue_steps.find(',', pos);
    if (comma == std::string::npos) comma = t.overdue_steps.size();
    w.String(t.overdue_steps.substr(pos, comma - pos));
    pos = comma + 1;
  }
  w.EndArray();
  w.Key("received_at").OptInt(t.received_at);
  w.Key("planned_at").OptInt(t.planned_at);
  w.Key("reported_at").OptInt(t.reported_at);
  w.Key("closed_at").OptInt(t.closed_at);
  w.Field("version", t.version);
  if (close) w.EndObject();
}

void WriteFile(JsonWriter& w, const FileRow& f) {
  w.BeginObject()
      .Field("id", f.file.id)
      .Field("name", f.file.name)
      .Field("content_type", f.file.content_type)
      .Field("size", f.file.size)
      .Field("sha256", f.file.sha256)
      .Key("user")
      .BeginObject()
      .Field("id", f.user.id)
      .Field("name", f.user.name)
      .EndObject()
      .Field("at", f.file.at)
      .EndObject();
}

Response DetailResponse(const Result<TaskDetail>& d, int status = 200) {
  if (!d.ok()) return ErrorResponse(d.status());
  JsonWriter w;
  WriteTask(w, d->row, false);
  const TaskRecord& t = d->row.task;
  w.Field("description", t.description)
      .Field("plan", t.plan)
      .Field("result", t.result)
      .Field("deadline_reason", t.deadline_reason)
      .Field("cancel_reason", t.cancel_reason);
  w.Key("clock").BeginObject().Field("start", FormatIsoDate(d->clock.start))
      .Field("completion_due", FormatIsoDate(d->clock.completion_due)).Key("steps").BeginArray();
  for (const StepStatus& s : d->clock.steps) {
    w.BeginObject()
        .Field("code", s.code)
        .Field("name", s.name)
        .Field("seq", s.seq)
        .Field("due", FormatIsoDate(s.due))
        .Key("done_at")
        .OptInt(s.done_at)
        .Field("state", s.state)
        .Field("light", s.light)
        .Field("overdue_days", s.overdue_days)
        .EndObject();
  }
  w.EndArray().EndObject();
  w.Key("events").BeginArray();
  for (const EventRow& e : d->events) {
    w.BeginObject()
        .Field("id", e.event.id)
        .Field("kind", e.event.kind)
        .Field("kind_name", EventName(e.event.kind))
        .Field("text", e.event.text)
        .Key("user");
    if (e.user) w.BeginObject().Field("id", e.user->id).Field("name", e.user->name).EndObject();
    else w.Null();
    w.Key("unit");
    if (e.unit) WriteUnit(w, *e.unit);
    else w.Null();
    w.Field("at", e.event.at).EndObject();
  }
  w.EndArray().Key("files").BeginArray();
  for (const FileRow& f : d->files) WriteFile(w, f);
  w.EndArray();
  const TaskCan& c = d->can;
  w.Key("can")
      .BeginObject()
      .Field("receive", c.receive)
      .Field("plan", c.plan)
      .Field("feedback", c.feedback)
      .Field("complete", c.complete)
      .Field("accept", c.accept)
      .Field("return", c.ret)
      .Field("cancel", c.cancel)
      .Field("extend", c.extend)
      .Field("co_feedback", c.co_feedback)
      .Field("upload", c.upload)
      .EndObject();
  w.EndObject();
  return JsonResponse(status, w.Take());
}

void WriteMeeting(JsonWriter& w, const MeetingView& v) {
  const Meeting& m = v.meeting;
  w.BeginObject()
      .Field("id", m.id)
      .Field("kind", m.kind)
      .Field("kind_name", KindName(m.kind))
      .Field("title", m.title)
      .Field("held_on", FormatIsoDate(m.held_on))
      .Field("place", m.place)
      .Field("chair", m.chair)
      .Field("attendees", m.attendees)
      .Field("minutes", m.minutes)
      .Key("unit");
  WriteUnit(w, v.unit);
  w.Field("status", m.status).Key("decisions").BeginArray();
  for (size_t i = 0; i < m.decisions.size(); ++i) {
    const Decision& d = m.decisions[i];
    w.BeginObject().Field("id", d.id).Field("seq", d.seq).Field("text", d.text).Key("owner_unit");
    if (i < v.decision_owners.size() && v.decision_owners[i]) WriteUnit(w, *v.decision_owners[i]);
    else w.Null();
    w.OptDate("deadline", d.deadline);
    w.Key("task");
    if (i < v.decision_tasks.size() && v.decision_tasks[i]) {
      const TaskRecord& t = *v.decision_tasks[i];
      w.BeginObject().Field("id", t.id).Field("code", t.code).Field("state", t.state).Field("light", t.light).EndObject();
    } else {
      w.Null();
    }
    w.EndObject();
  }
  w.EndArray().Field("version", m.version).EndObject();
}

Response MeetingResponse(const Result<MeetingView>& v, int status = 200) {
  if (!v.ok()) return ErrorResponse(v.status());
  JsonWriter w;
  WriteMeeting(w, *v);
  return JsonResponse(status, w.Take());
}

Response SettingsResponse(const Result<SupervisionSettings>& s) {
  if (!s.ok()) return ErrorResponse(s.status());
  const ClockSettings& c = s->clock;
  auto two = [](int v) { return (v < 10 ? "0" : "") + std::to_string(v); };
  JsonWriter w;
  w.BeginObject()
      .Field("yellow_within_days", c.yellow_within_days)
      .Field("red_after_days", c.red_after_days)
      .Field("office_end", two(c.office_end_minutes / 60) + ":" + two(c.office_end_minutes % 60))
      .Field("max_new_deadline_days", c.max_new_deadline_days)
      .Field("max_file_mb", s->max_file_mb)
      .Field("max_files_per_task", s->max_files_per_task)
      .Key("profiles")
      .BeginArray();
  for (const ClockProfile& p : c.profiles) {
    w.BeginObject().Field("code", p.code).Field("name", p.name).Key("steps").BeginArray();
    for (const ClockStep& st : p.steps) {
      w.BeginObject()
          .Field("code", st.code)
          .Field("name", st.name)
          .Field("working_days", st.working_days)
          .Field("repeating", st.repeating)
          .Field("repeat_every", st.repeat_every)
          .EndObject();
    }
    w.EndArray().Key("completion_classes").BeginArray();
    for (int k : p.completion_classes) w.Int(k);
    w.EndArray().EndObject();
  }
  w.EndArray().Field("version", s->version).EndObject();
  return JsonResponse(200, w.Take());
}

Response CalendarResponse(const Result<CalendarView>& v) {
  if (!v.ok()) return ErrorResponse(v.status());
  JsonWriter w;
  w.BeginObject().Field("text", v->text).Key("years").BeginArray();
  for (int y : v->years) w.Int(y);
  w.EndArray().Key("days").BeginArray();
  for (const auto& [date, special] : v->calendar.days) {
    w.BeginObject().Field("date", date).Field("working", special.working).Field("note", special.note).EndObject();
  }
  w.EndArray().Field("version", v->version).EndObject();
  return JsonResponse(200, w.Take());
}

// The common body of the steps: {"<text field>"?, "version"}.
struct StepBody {
  std::string text;
  int version = 0;
};
std::optional<Response> ReadStep(const RouteContext& c, const char* field, bool required, StepBody* out) {
  JsonBody b(c.req.body);
  if (field) b.AllowOnly({field, "version"});
  else b.AllowOnly({"version"});
  if (field) out->text = required ? b.Str(field, kText) : b.OptStr(field, kText).value_or("");
  out->version = b.Version();
  if (!b.ok()) return ErrorResponse(b.status());
  return std::nullopt;
}

using StepCall = std::function<Result<TaskDetail>(const auth::Actor&, int64_t, const std::string&, int)>;

Route StepRoute(const char* path, const char* permission, const char* field, bool required, StepCall call) {
  return {"POST", path, Access::kPermission, permission, "task", [field, required, call](RouteContext& c) {
            auto id = c.Id();
            if (!id.ok()) return ErrorResponse(id.status());
            StepBody body;
            if (auto bad = ReadStep(c, field, required, &body)) return *bad;
            return DetailResponse(call(*c.actor, *id, body.text, body.version));
          }};
}

void ReadAssign(JsonBody& b, AssignInput& in, bool from_decision) {
  if (!from_decision) {
    in.title = b.Str("title", 2000);
    in.description = b.OptStr("description", kText).value_or("");
    in.source = b.Str("source", 32);
    in.source_ref = b.OptStr("source_ref", 1000).value_or("");
    in.owner_unit = b.Str("owner_unit", 64);
  } else {
    in.owner_unit = b.OptStr("owner_unit", 64).value_or("");
  }
  in.deadline = b.OptStr("deadline", 32).value_or("");
  in.deadline_reason = b.OptStr("deadline_reason", kText).value_or("");
  in.profile = b.OptStr("profile", 64).value_or("steps");
  in.completion_class = b.OptInt32("completion_class").value_or(0);
  in.co_units = b.OptStrings("co_units", 64, 30);
}

MeetingInput ReadMeeting(JsonBody& b) {
  MeetingInput in;
  in.kind = b.Str("kind", 32);
  in.title = b.Str("title", 2000);
  in.held_on = b.Str("held_on", 32);
  in.place = b.OptStr("place", 1000).value_or("");
  in.chair = b.OptStr("chair", 1000).value_or("");
  in.attendees = b.OptStr("attendees", kText).value_or("");
  in.minutes = b.OptStr("minutes", 200000).value_or("");
  in.status = b.OptStr("status", 32).value_or("");
  in.decisions_given = b.Present("decisions");
  if (!in.decisions_given) return in;
  for (auto& d : b.Objects("decisions", 100)) {
    d->AllowOnly({"id", "text", "owner_unit", "deadline"});
    MeetingInput::DecisionIn di;
    di.id = d->OptInt("id");
    di.text = d->Str("text", kText);
    di.owner_unit = d->OptStr("owner_unit", 64).value_or("");
    di.deadline = d->OptStr("deadline", 32).value_or("");
    in.decisions.push_back(std::move(di));
  }
  return in;
}

// ---- Exports (`?format=xlsx`): one sheet builder per list, cells as the JSON shows them ----

using Rows = std::vector<std::vector<std::string>>;
using io::CellKind;

std::string Date(const std::optional<CivilDate>& d) {
  return d ? FormatIsoDate(*d) : std::string();
}

io::Sheet MeetingSheet() {
  return http::ListSheet("会议议定事项", {{"会议类型", CellKind::kText, 10},
                                          {"会议名称", CellKind::kText, 30},
                                          {"会议日期", CellKind::kDate, 12},
                                          {"会议地点", CellKind::kText, 16},
                                          {"主持人", CellKind::kText, 12},
                                          {"参会人员", CellKind::kText, 30},
                                          {"召集单位", CellKind::kText, 16},
                                          {"状态", CellKind::kText, 8},
                                          {"事项序号", CellKind::kInteger, 8},
                                          {"议定事项", CellKind::kText, 40},
                                          {"责任单位编码", CellKind::kText, 14},
                                          {"责任单位", CellKind::kText, 16},
                                          {"完成时限", CellKind::kDate, 12},
                                          {"督办任务编号", CellKind::kText, 14},
                                          {"任务状态", CellKind::kText, 10}});
}

// One row per decision; a meeting without decisions is one row with the meeting's fields.
void AddMeeting(Rows& rows, const MeetingView& v) {
  const Meeting& m = v.meeting;
  const std::vector<std::string> head = {KindName(m.kind), m.title, FormatIsoDate(m.held_on),
                                         m.place, m.chair, m.attendees, v.unit.name,
                                         m.status == "published" ? "已印发" : "草稿"};
  if (m.decisions.empty()) {
    rows.push_back(head);
    return;
  }
  for (size_t i = 0; i < m.decisions.size(); ++i) {
    const Decision& d = m.decisions[i];
    const auto& owner = i < v.decision_owners.size() ? v.decision_owners[i] : std::nullopt;
    const auto& task = i < v.decision_tasks.size() ? v.decision_tasks[i] : std::nullopt;
    std::vector<std::string> row = head;
    for (std::string cell : {std::to_string(d.seq), d.text, owner ? owner->code : "",
                             owner ? owner->name : "", Date(d.deadline), task ? task->code : "",
                             task ? std::string(StateName(task->state)) : ""})
      row.push_back(std::move(cell));
    rows.push_back(std::move(row));
  }
}

io::Sheet OnTimeSheet() {
  return http::ListSheet("按时办结率", {{"单位编码", CellKind::kText, 14},
                                        {"单位", CellKind::kText, 18},
                                        {"应办结(件)", CellKind::kInteger, 12},
                                        {"按时办结(件)", CellKind::kInteger, 12},
                                        {"逾期办结(件)", CellKind::kInteger, 12},
                                        {"逾期未办结(件)", CellKind::kInteger, 14},
                                        {"按时办结率(%)", CellKind::kPercent, 14},
                                        {"应完成节点(个)", CellKind::kInteger, 14},
                                        {"按时完成节点(个)", CellKind::kInteger, 16},
                                        {"节点按时率(%)", CellKind::kPercent, 14}});
}

void AddOnTime(Rows& rows, const OnTimeRow& r) {
  rows.push_back({r.unit.code, r.unit.name, std::to_string(r.due), std::to_string(r.on_time),
                  std::to_string(r.late), std::to_string(r.open_overdue), r.rate.value_or(""),
                  std::to_string(r.steps_due), std::to_string(r.steps_on_time),
                  r.step_rate.value_or("")});
}

// The filters of GET /tasks (the JSON list and its export), or the error to answer.
Result<TaskQuery> ReadTaskQuery(const RouteContext& c) {
  TaskQuery q;
  q.unit = c.req.Query("unit");
  q.light = c.req.Query("light");
  q.state = c.req.Query("state");
  q.source = c.req.Query("source");
  q.mine = c.req.Query("mine") == "1";
  q.assigned_by_me = c.req.Query("assigned_by_me") == "1";
  q.overdue = c.req.Query("overdue") == "1";
  q.q = c.req.Query("q");
  if (q.q.size() > 200) return InvalidArgument("查询词过长", {{"q", "不能超过200字节"}});
  if (!c.req.Query("meeting").empty()) {
    try {
      q.meeting_id = std::stoll(c.req.Query("meeting"));
    } catch (...) {
      return InvalidArgument("查询条件有误", {{"meeting", "应为会议编号"}});
    }
  }
  return q;
}

}  // namespace

std::vector<Route> SupervisionRoutes(SupervisionService& svc) {
  std::vector<Route> r;
  // ---- Tasks ----
  r.push_back({"GET", "/api/v1/tasks", Access::kPermission, "task.read", "", [&svc](RouteContext& c) {
    auto query = ReadTaskQuery(c);
    if (!query.ok()) return ErrorResponse(query.status());
    TaskQuery& q = *query;
    if (http::WantsXlsx(c.req)) {
      // The whole filtered list, in the import sheet's layout (at most 200,000 rows).
      auto sheet = svc.ExportTasks(*c.actor, q);
      if (!sheet.ok()) return ErrorResponse(sheet.status());
      return http::SheetResponse(std::move(*sheet), "督办任务");
    }
    q.page = c.Page();
    q.page_size = c.PageSize();
    auto page = svc.ListTasks(*c.actor, q);
    if (!page.ok()) return ErrorResponse(page.status());
    JsonWriter w;
    w.BeginObject().Key("items").BeginArray();
    for (const TaskRow& row : page->items) WriteTask(w, row);
    w.EndArray().Field("total", page->total).Field("page", page->page).Field("page_size", page->page_size).EndObject();
    return JsonResponse(200, w.Take());
  }});
  r.push_back({"GET", "/api/v1/tasks/board", Access::kPermission, "task.read", "", [&svc](RouteContext& c) {
    auto b = svc.GetBoard(*c.actor, c.req.Query("unit"));
    if (!b.ok()) return ErrorResponse(b.status());
    JsonWriter w;
    w.BeginObject().Key("lights").BeginObject().Field("green", b->green).Field("yellow", b->yellow)
        .Field("red", b->red).EndObject().Key("states").BeginObject();
    for (const auto& [s, n] : b->states) w.Field(s, n);
    w.EndObject().Key("by_unit").BeginArray();
    for (const BoardCount& u : b->by_unit) {
      w.BeginObject().Key("unit");
      WriteUnit(w, u.unit);
      w.Field("green", u.green).Field("yellow", u.yellow).Field("red", u.red).Field("open", u.open)
          .Field("closed", u.closed).EndObject();
    }
    w.EndArray().EndObject();
    return JsonResponse(200, w.Take());
  }});
  r.push_back({"GET", "/api/v1/tasks/on-time", Access::kPermission, "task.read", "", [&svc](RouteContext& c) {
    auto rep = svc.OnTime(*c.actor, c.req.Query("period"), c.req.Query("unit"));
    if (!rep.ok()) return ErrorResponse(rep.status());
    if (http::WantsXlsx(c.req)) {
      io::Sheet sheet = OnTimeSheet();
      for (const OnTimeRow& row : rep->rows) AddOnTime(sheet.rows, row);
      return http::SheetResponse(std::move(sheet), "督办按时办结率");
    }
    JsonWriter w;
    w.BeginObject().Field("period", rep->period).Field("from", FormatIsoDate(rep->from))
        .Field("to", FormatIsoDate(rep->to)).Key("unit");
    WriteUnit(w, rep->unit);
    w.Key("rows").BeginArray();
    for (const OnTimeRow& row : rep->rows) {
      w.BeginObject().Key("unit");
      WriteUnit(w, row.unit);
      w.Field("due", row.due).Field("on_time", row.on_time).Field("late", row.late)
          .Field("open_overdue", row.open_overdue).Key("rate");
      if (row.rate) w.String(*row.rate);
      else w.Null();
      w.Field("steps_due", row.steps_due).Field("steps_on_time", row.steps_on_time).Key("step_rate");
      if (row.step_rate) w.String(*row.step_rate);
      else w.Null();
      w.EndObject();
    }
    w.EndArray().EndObject();
    return JsonResponse(200, w.Take());
  }});
  r.push_back({"GET", "/api/v1/tasks/{id}", Access::kPermission, "task.read", "task", [&svc](RouteContext& c) {
    auto id = c.Id();
    if (!id.ok()) return ErrorResponse(id.status());
    return DetailResponse(svc.GetTask(*c.actor, *id));
  }});
  r.push_back({"POST", "/api/v1/tasks", Access::kPermission, "task.assign", "", [&svc](RouteContext& c) {
    JsonBody b(c.req.body);
    b.AllowOnly({"title", "description", "source", "source_ref", "owner_unit", "co_units", "deadline",
                 "deadline_reason", "profile", "completion_class"});
    AssignInput in;
    ReadAssign(b, in, false);
    if (!b.ok()) return ErrorResponse(b.status());
    return DetailResponse(svc.Assign(*c.actor, in), 201);
  }});
  r.push_back({"POST", "/api/v1/tasks/import/file", Access::kPermission, "task.assign", "",
               [&svc](RouteContext& c) {
                 return http::ImportFile(c.req, "督办任务-错误标注",
                                         [&](const io::Table& t, bool dry) -> Result<http::ImportCounts> {
                                           auto res = svc.ImportTasks(*c.actor, t, dry);
                                           if (!res.ok()) return res.status();
                                           return http::ImportCounts{res->rows, res->inserted, res->updated,
                                                                     res->unchanged};
                                         });
               },
               /*raw_body=*/true});
  r.push_back({"GET", "/api/v1/tasks/import/template", Access::kPermission, "task.assign", "",
               [&svc](RouteContext& c) {
                 // Always a workbook (format=xlsx, the documented form, or nothing).
                 auto sheet = svc.TaskTemplate(*c.actor);
                 if (!sheet.ok()) return ErrorResponse(sheet.status());
                 io::WorkbookOptions options;
                 options.title = "督办任务导入模板";
                 options.instructions = TaskInstructions();
                 return http::XlsxResponse(io::WriteXlsx({*sheet}, options), "督办任务导入模板");
               }});
  r.push_back(StepRoute("/api/v1/tasks/{id}/receive", "task.report", nullptr, false,
                        [&svc](const auth::Actor& a, int64_t id, const std::string&, int v) {
                          return svc.Receive(a, id, v);
                        }));
  r.push_back(StepRoute("/api/v1/tasks/{id}/plan", "task.report", "plan", true,
                        [&svc](const auth::Actor& a, int64_t id, const std::string& t, int v) {
                          return svc.Plan(a, id, t, v);
                        }));
  r.push_back(StepRoute("/api/v1/tasks/{id}/feedback", "task.report", "text", true,
                        [&svc](const auth::Actor& a, int64_t id, const std::string& t, int v) {
                          return svc.Feedback(a, id, t, v);
                        }));
  r.push_back(StepRoute("/api/v1/tasks/{id}/report", "task.report", "result", true,
                        [&svc](const auth::Actor& a, int64_t id, const std::string& t, int v) {
                          return svc.Report(a, id, t, v);
                        }));
  r.push_back(StepRoute("/api/v1/tasks/{id}/accept", "task.assign", "comment", false,
                        [&svc](const auth::Actor& a, int64_t id, const std::string& t, int v) {
                          return svc.Accept(a, id, t, v);
                        }));
  r.push_back(StepRoute("/api/v1/tasks/{id}/return", "task.assign", "reason", true,
                        [&svc](const auth::Actor& a, int64_t id, const std::string& t, int v) {
                          return svc.Return(a, id, t, v);
                        }));
  r.push_back(StepRoute("/api/v1/tasks/{id}/cancel", "task.assign", "reason", true,
                        [&svc](const auth::Actor& a, int64_t id, const std::string& t, int v) {
                          return svc.Cancel(a, id, t, v);
                        }));
  r.push_back({"POST", "/api/v1/tasks/{id}/co-feedback", Access::kPermission, "task.report", "task",
               [&svc](RouteContext& c) {
                 auto id = c.Id();
                 if (!id.ok()) return ErrorResponse(id.status());
                 JsonBody b(c.req.body);
                 b.AllowOnly({"text"});
                 std::string text = b.Str("text", kText);
                 if (!b.ok()) return ErrorResponse(b.status());
                 return DetailResponse(svc.CoFeedback(*c.actor, *id, text));
               }});
  r.push_back({"POST", "/api/v1/tasks/{id}/deadline", Access::kPermission, "task.assign", "task",
               [&svc](RouteContext& c) {
                 auto id = c.Id();
                 if (!id.ok()) return ErrorResponse(id.status());
                 JsonBody b(c.req.body);
                 b.AllowOnly({"new_deadline", "reason", "version"});
                 std::string date = b.Str("new_deadline", 32);
                 std::string reason = b.OptStr("reason", kText).value_or("");
                 int v = b.Version();
                 if (!b.ok()) return ErrorResponse(b.status());
                 return DetailResponse(svc.NewDeadline(*c.actor, *id, date, reason, v));
               }});
  r.push_back({"POST", "/api/v1/tasks/{id}/files", Access::kPermission, "task.report", "task",
               [&svc](RouteContext& c) {
                 auto id = c.Id();
                 if (!id.ok()) return ErrorResponse(id.status());
                 std::string name = c.req.Query("name");
                 if (name.empty()) return ErrorResponse(InvalidArgument("请给出文件名", {{"name", "必填（查询参数 name）"}}));
                 auto f = svc.AddFile(*c.actor, *id, name, c.req.Header("content-type"), c.req.body);
                 if (!f.ok()) return ErrorResponse(f.status());
                 JsonWriter w;
                 WriteFile(w, *f);
                 return JsonResponse(201, w.Take());
               },
               /*raw_body=*/true});
  r.push_back({"GET", "/api/v1/tasks/{id}/files/{file_id}", Access::kPermission, "task.read", "task",
               [&svc](RouteContext& c) {
                 auto id = c.Id();
                 if (!id.ok()) return ErrorResponse(id.status());
                 auto fid = c.Id("file_id");
                 if (!fid.ok()) return ErrorResponse(fid.status());
                 auto f = svc.GetFile(*c.actor, *id, *fid);
                 if (!f.ok()) return ErrorResponse(f.status());
                 Response resp;
                 resp.status = 200;
                 resp.content_type = f->first.file.content_type;
                 resp.body = std::move(f->second);
                 resp.SetHeader("Content-Disposition", http::AttachmentDisposition(f->first.file.name));
                 return resp;
               }});
  // ---- Settings, calendar, scheduler ----
  r.push_back({"GET", "/api/v1/supervision/settings", Access::kPermission, "task.read", "", [&svc](RouteContext& c) {
    return SettingsResponse(svc.GetSettings(*c.actor));
  }});
  r.push_back({"PUT", "/api/v1/supervision/settings", Access::kPermission, "task.write", "", [&svc](RouteContext& c) {
    auto current = svc.GetSettings(*c.actor);
    if (!current.ok()) return ErrorResponse(current.status());
    JsonBody b(c.req.body);
    b.AllowOnly({"yellow_within_days", "red_after_days", "office_end", "max_new_deadline_days", "max_file_mb",
                 "max_files_per_task", "profiles", "version"});
    SupervisionSettings s = *current;
    if (auto v = b.OptInt32("yellow_within_days")) s.clock.yellow_within_days = *v;
    if (auto v = b.OptInt32("red_after_days")) s.clock.red_after_days = *v;
    if (auto v = b.OptInt32("max_new_deadline_days")) s.clock.max_new_deadline_days = *v;
    if (auto v = b.OptInt32("max_file_mb")) s.max_file_mb = *v;
    if (auto v = b.OptInt32("max_files_per_task")) s.max_files_per_task = *v;
    if (auto v = b.OptStr("office_end", 8)) {
      const std::string& t = *v;
      if (t.size() != 5 || t[2] != ':' || !std::isdigit(static_cast<unsigned char>(t[0])) ||
          !std::isdigit(static_cast<unsigned char>(t[1])) || !std::isdigit(static_cast<unsigned char>(t[3])) ||
          !std::isdigit(static_cast<unsigned char>(t[4]))) {
        b.Fail("office_end", "应为 HH:MM，例如 17:30");
      } else {
        s.clock.office_end_minutes = std::stoi(t.substr(0, 2)) * 60 + std::stoi(t.substr(3));
      }
    }
    if (b.Present("profiles")) {
      std::vector<ClockProfile> profiles;
      for (auto& p : b.Objects("profiles", 20)) {
        p->AllowOnly({"code", "name", "steps", "completion_classes"});
        ClockProfile cp;
        cp.code = p->Str("code", 64);
        cp.name = p->Str("name", 200);
        for (auto& st : p->Objects("steps", 10)) {
          st->AllowOnly({"code", "name", "working_days", "repeating", "repeat_every"});
          ClockStep step;
          step.code = st->Str("code", 32);
          step.name = st->Str("name", 200);
          step.working_days = st->Int32("working_days");
          step.repeating = st->OptBool("repeating").value_or(false);
          step.repeat_every = st->OptInt32("repeat_every").value_or(0);
          cp.steps.push_back(std::move(step));
        }
        profiles.push_back(std::move(cp));
      }
      // Completion classes are kept from the profile of the same code (an array of numbers).
      for (ClockProfile& p : profiles)
        for (const ClockProfile& old : current->clock.profiles)
          if (old.code == p.code) p.completion_classes = old.completion_classes;
      s.clock.profiles = std::move(profiles);
    }
    s.version = b.Int32("version");
    if (!b.ok()) return ErrorResponse(b.status());
    auto saved = svc.PutSettings(*c.actor, s);
    if (!saved.ok() && saved.status().code() == Code::kInvalidArgument) {
      // The rules name the struct's field; the API's is "office_end" (HH:MM).
      std::vector<Detail> details = saved.status().details();
      for (Detail& d : details)
        if (d.field == "office_end_minutes") d.field = "office_end";
      return ErrorResponse(InvalidArgument(saved.status().message(), std::move(details)));
    }
    return SettingsResponse(saved);
  }});
  r.push_back({"GET", "/api/v1/supervision/calendar", Access::kPermission, "task.read", "", [&svc](RouteContext& c) {
    return CalendarResponse(svc.GetCalendar(*c.actor));
  }});
  r.push_back({"PUT", "/api/v1/supervision/calendar", Access::kPermission, "task.write", "", [&svc](RouteContext& c) {
    JsonBody b(c.req.body);
    b.AllowOnly({"text", "version"});
    std::string text = b.Str("text", 200000);
    int version = b.Int32("version");
    if (!b.ok()) return ErrorResponse(b.status());
    return CalendarResponse(svc.PutCalendar(*c.actor, text, version));
  }});
  r.push_back({"GET", "/api/v1/supervision/working-days", Access::kPermission, "task.read", "",
               [&svc](RouteContext& c) {
                 auto days = svc.WorkingDays(*c.actor, c.req.Query("from"), c.req.Query("to"));
                 if (!days.ok()) return ErrorResponse(days.status());
                 JsonWriter w;
                 w.BeginObject().Key("days").BeginArray();
                 for (const auto& [d, working] : *days)
                   w.BeginObject().Field("date", FormatIsoDate(d)).Field("working", working).EndObject();
                 w.EndArray().EndObject();
                 return JsonResponse(200, w.Take());
               }});
  r.push_back({"GET", "/api/v1/supervision/scheduler", Access::kPermission, "task.read", "", [&svc](RouteContext& c) {
    auto s = svc.Scheduler(*c.actor);
    if (!s.ok()) return ErrorResponse(s.status());
    JsonWriter w;
    w.BeginObject().Key("last_run_at").OptInt(s->last_run_at).Field("last_host", s->last_host)
        .Field("reminders_sent", s->reminders_sent).EndObject();
    return JsonResponse(200, w.Take());
  }});
  // ---- Meetings ----
  r.push_back({"GET", "/api/v1/meetings", Access::kPermission, "task.read", "", [&svc](RouteContext& c) {
    if (http::WantsXlsx(c.req))
      return http::ExportPages(MeetingSheet(), "会议议定事项", [&](int page, int size) {
        return svc.ListMeetings(*c.actor, c.req.Query("kind"), c.req.Query("from"), c.req.Query("to"),
                                c.req.Query("q"), page, size);
      }, AddMeeting);
    auto page = svc.ListMeetings(*c.actor, c.req.Query("kind"), c.req.Query("from"), c.req.Query("to"),
                                 c.req.Query("q"), c.Page(), c.PageSize());
    if (!page.ok()) return ErrorResponse(page.status());
    JsonWriter w;
    w.BeginObject().Key("items").BeginArray();
    for (const MeetingView& m : page->items) WriteMeeting(w, m);
    w.EndArray().Field("total", page->total).Field("page", page->page).Field("page_size", page->page_size).EndObject();
    return JsonResponse(200, w.Take());
  }});
  r.push_back({"GET", "/api/v1/meetings/{id}", Access::kPermission, "task.read", "meeting", [&svc](RouteContext& c) {
    auto id = c.Id();
    if (!id.ok()) return ErrorResponse(id.status());
    return MeetingResponse(svc.GetMeeting(*c.actor, *id));
  }});
  r.push_back({"POST", "/api/v1/meetings", Access::kPermission, "task.write", "", [&svc](RouteContext& c) {
    JsonBody b(c.req.body);
    b.AllowOnly({"kind", "title", "held_on", "place", "chair", "attendees", "minutes", "status", "decisions"});
    MeetingInput in = ReadMeeting(b);
    if (!b.ok()) return ErrorResponse(b.status());
    return MeetingResponse(svc.CreateMeeting(*c.actor, in), 201);
  }});
  r.push_back({"PUT", "/api/v1/meetings/{id}", Access::kPermission, "task.write", "meeting", [&svc](RouteContext& c) {
    auto id = c.Id();
    if (!id.ok()) return ErrorResponse(id.status());
    JsonBody b(c.req.body);
    b.AllowOnly({"kind", "title", "held_on", "place", "chair", "attendees", "minutes", "status", "decisions",
                 "version"});
    MeetingInput in = ReadMeeting(b);
    int v = b.Version();
    if (!b.ok()) return ErrorResponse(b.status());
    return MeetingResponse(svc.UpdateMeeting(*c.actor, *id, in, v));
  }});
  r.push_back({"POST", "/api/v1/meetings/{id}/decisions/{decision_id}/task", Access::kPermission, "task.assign",
               "meeting", [&svc](RouteContext& c) {
                 auto id = c.Id();
                 if (!id.ok()) return ErrorResponse(id.status());
                 auto did = c.Id("decision_id");
                 if (!did.ok()) return ErrorResponse(did.status());
                 JsonBody b(c.req.body.empty() ? std::string("{}") : c.req.body);
                 b.AllowOnly({"owner_unit", "co_units", "deadline", "deadline_reason", "profile",
                              "completion_class"});
                 AssignInput in;
                 ReadAssign(b, in, true);
                 if (!b.ok()) return ErrorResponse(b.status());
                 return DetailResponse(svc.DecisionToTask(*c.actor, *id, *did, in), 201);
               }});
  // ---- Notifications (the caller's own) ----
  r.push_back({"GET", "/api/v1/notifications", Access::kSession, "", "", [&svc](RouteContext& c) {
    auto page = svc.ListNotifications(*c.actor, c.req.Query("unread") == "1", c.Page(), c.PageSize());
    if (!page.ok()) return ErrorResponse(page.status());
    JsonWriter w;
    w.BeginObject().Key("items").BeginArray();
    for (const Notification& n : page->items) {
      w.BeginObject().Field("id", n.id).Field("kind", n.kind).Field("title", n.title).Field("body", n.body)
          .Key("object");
      if (!n.object_kind.empty()) w.BeginObject().Field("kind", n.object_kind).Field("id", n.object_id).EndObject();
      else w.Null();
      w.Field("at", n.at).Field("read", n.read_at.has_value()).EndObject();
    }
    w.EndArray().Field("total", page->total).Field("unread", page->unread).Field("page", page->page)
        .Field("page_size", page->page_size).EndObject();
    return JsonResponse(200, w.Take());
  }});
  r.push_back({"GET", "/api/v1/notifications/unread-count", Access::kSession, "", "", [&svc](RouteContext& c) {
    auto n = svc.UnreadCount(*c.actor);
    if (!n.ok()) return ErrorResponse(n.status());
    JsonWriter w;
    w.BeginObject().Field("unread", *n).EndObject();
    return JsonResponse(200, w.Take());
  }});
  r.push_back({"POST", "/api/v1/notifications/read-all", Access::kSession, "", "", [&svc](RouteContext& c) {
    auto n = svc.MarkAllRead(*c.actor);
    if (!n.ok()) return ErrorResponse(n.status());
    JsonWriter w;
    w.BeginObject().Field("marked", *n).EndObject();
    return JsonResponse(200, w.Take());
  }});
  r.push_back({"POST", "/api/v1/notifications/{id}/read", Access::kSession, "", "notification",
               [&svc](RouteContext& c) {
                 auto id = c.Id();
                 if (!id.ok()) return ErrorResponse(id.status());
                 Status s = svc.MarkRead(*c.actor, *id);
                 if (!s.ok()) return ErrorResponse(s);
                 return JsonResponse(200, "{\"ok\":true}");
               }});
  return r;
}

}  // namespace tiaodu::supervision
