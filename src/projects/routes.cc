#include "projects/routes.h"

#include <set>

#include "base/period.h"
#include "http/json.h"
#include "http/sheets.h"
#include "io/upload.h"
#include "io/xlsx_writer.h"
#include "projects/rules.h"
#include "projects/sheets.h"

namespace tiaodu::projects {

using http::Access;
using http::ErrorResponse;
using http::JsonBody;
using http::JsonResponse;
using http::JsonWriter;
using http::Response;
using http::Route;
using http::RouteContext;

namespace {

// What an import route answers of an import's result.
Result<http::ImportCounts> Counts(const Result<ImportResult>& r) {
  if (!r.ok()) return r.status();
  return http::ImportCounts{r->rows, r->inserted, r->updated, r->unchanged};
}

// An import template as a download named after its title, with its 填写说明.
Response TemplateResponse(const Result<io::Sheet>& sheet, const std::string& title,
                          const std::vector<std::string>& instructions) {
  if (!sheet.ok()) return ErrorResponse(sheet.status());
  io::WorkbookOptions options;
  options.title = title;
  options.instructions = instructions;
  return http::XlsxResponse(io::WriteXlsx({*sheet}, options), title);
}

void WriteUnit(JsonWriter& w, int64_t id, const std::string& code, const std::string& name) {
  w.BeginObject().Field("id", id).Field("code", code).Field("name", name).EndObject();
}

void WriteRow(JsonWriter& w, const store::ProjectRow& r, bool close = true) {
  const Project& p = r.project;
  const ProjectYear& y = r.year;
  w.BeginObject()
      .Field("id", p.id)
      .Field("code", p.code)
      .Field("name", p.name)
      .Field("level", p.level)
      .Field("level_name", std::string(LevelName(p.level)))
      .Field("category", p.category)
      .Field("category_name", std::string(CategoryName(p.category)))
      .Field("industry", p.industry)
      .Field("chain", p.chain)
      .Key("unit");
  WriteUnit(w, p.unit_id, r.unit_code, r.unit_name);
  w.Key("leader");
  if (p.leader_id) w.BeginObject().Field("id", *p.leader_id).Field("name", r.leader_name).EndObject();
  else w.Null();
  w.Key("task_force");
  if (p.task_force_id) WriteUnit(w, *p.task_force_id, r.task_force_code, r.task_force_name);
  else w.Null();
  w.Field("location", p.location);
  w.OptDecimal("total_investment", p.total_investment);
  w.Field("start_year", p.start_year).Field("end_year", p.end_year);
  w.OptDate("committed_completion", p.committed_completion);
  w.Field("stage", p.stage).Field("stage_name", std::string(StageName(p.stage)));
  w.Key("stage_dates").BeginObject();
  for (const auto& [k, d] : p.stage_dates) w.Field(k, FormatIsoDate(d));
  w.EndObject().Key("annual_plans").BeginObject();
  for (const auto& [yr, a] : p.annual_plans) w.Field(std::to_string(yr), a.ToString());
  w.EndObject().Field("year", y.year);
  w.OptDecimal("plan", y.plan);
  w.OptDecimal("ytd", y.ytd);
  w.OptDecimal("cumulative", y.cumulative);
  w.OptDecimal("completion", y.completion);
  w.Field("status", y.status)
      .Field("status_reason", y.status_reason)
      .Field("open_problems", y.open_problems)
      .Field("overdue_milestones", y.overdue_milestones)
      .Field("as_of", y.as_of)
      .Field("archived", p.archived)
      .Field("version", p.version);
  if (close) w.EndObject();
}

void WriteMilestone(JsonWriter& w, const Milestone& m, const CivilDate& today) {
  w.BeginObject().Field("id", m.id).Field("seq", m.seq).Field("name", m.name);
  w.OptDate("planned", m.planned);
  w.OptDate("actual", m.actual);
  w.Field("overdue_days", OverdueDays(m, today)).Field("version", m.version).EndObject();
}

void WriteProblem(JsonWriter& w, const store::ProblemRow& r, const CivilDate& today) {
  const Problem& p = r.problem;
  w.BeginObject().Field("id", p.id).Key("project").BeginObject()
      .Field("id", p.project_id).Field("code", r.project_code).Field("name", r.project_name).EndObject()
      .Field("category", p.category)
      .Field("category_name", std::string(ProblemCategoryName(p.category)))
      .Field("description", p.description)
      .Key("owner_unit");
  WriteUnit(w, p.owner_unit_id, r.owner_code, r.owner_name);
  w.Key("escalated_to");
  if (p.escalated_to) WriteUnit(w, *p.escalated_to, r.escalated_code, r.escalated_name);
  else w.Null();
  w.Field("deadline", FormatIsoDate(p.deadline))
      .Field("overdue", p.state == "open" && CompareDates(p.deadline, today) < 0)
      .Field("state", p.state)
      .Field("resolution", p.resolution)
      .Field("raised_at", p.raised_at)
      .Field("resolved_at", p.resolved_at)
      .Field("version", p.version)
      .EndObject();
}

// GET /projects/problems?format=xlsx: the sheet, and one problem's row (cells as in
// WriteProblem).
io::Sheet ProblemSheet() {
  using io::CellKind;
  return http::ListSheet("项目问题清单", {{"项目编码", CellKind::kText, 14},
                                          {"项目名称", CellKind::kText, 30},
                                          {"问题类别", CellKind::kText, 10},
                                          {"问题描述", CellKind::kText, 40},
                                          {"责任单位编码", CellKind::kText, 14},
                                          {"责任单位", CellKind::kText, 16},
                                          {"已上报至", CellKind::kText, 16},
                                          {"解决时限", CellKind::kDate, 12},
                                          {"逾期", CellKind::kText, 6},
                                          {"状态", CellKind::kText, 8},
                                          {"解决情况", CellKind::kText, 30},
                                          {"提出时间", CellKind::kText, 17},
                                          {"解决时间", CellKind::kText, 17}});
}

void AddProblem(std::vector<std::vector<std::string>>& rows, const store::ProblemRow& r,
                const CivilDate& today) {
  const Problem& p = r.problem;
  const bool overdue = p.state == "open" && CompareDates(p.deadline, today) < 0;
  rows.push_back({r.project_code, r.project_name, std::string(ProblemCategoryName(p.category)),
                  p.description, r.owner_code, r.owner_name, p.escalated_to ? r.escalated_name : "",
                  FormatIsoDate(p.deadline), overdue ? "是" : "否",
                  p.state == "resolved" ? "已解决" : "未解决", p.resolution,
                  http::SheetTime(p.raised_at), http::SheetTime(p.resolved_at)});
}

Response DetailResponse(const Result<ProjectDetail>& d, const CivilDate& today, int status = 200) {
  if (!d.ok()) return ErrorResponse(d.status());
  JsonWriter w;
  WriteRow(w, d->row, false);
  w.Key("milestones").BeginArray();
  for (const Milestone& m : d->milestones) WriteMilestone(w, m, today);
  w.EndArray().Key("progress").BeginArray();
  for (const Progress& g : d->progress) {
    w.BeginObject().Field("id", g.id).Field("month", g.month);
    w.OptDecimal("amount", g.amount);
    w.OptDecimal("ytd", YtdAt(d->progress, g.month));
    w.OptDecimal("cumulative", CumulativeAt(d->progress, g.month));
    w.Field("narrative", g.narrative).Field("reported_by", g.reported_by).Field("reported_at", g.reported_at)
        .Field("version", g.version).EndObject();
  }
  w.EndArray().Key("problems").BeginArray();
  for (const auto& pr : d->problems) WriteProblem(w, pr, today);
  w.EndArray().EndObject();
  return JsonResponse(status, w.Take());
}

void WriteBatch(JsonWriter& w, const BatchView& v) {
  const Batch& b = v.batch;
  w.BeginObject().Field("id", b.id).Field("number", b.number).Field("name", b.name)
      .Field("deadline", FormatIsoDate(b.deadline)).Field("closed", b.closed).Key("lists").BeginObject();
  std::map<int64_t, const Project*> by_id;
  for (const Project& p : v.projects) by_id[p.id] = &p;
  for (const char* list : {"sign", "start", "produce"}) {
    w.Key(list).BeginArray();
    for (const auto& e : b.entries) {
      if (e.list != list) continue;
      auto it = by_id.find(e.project_id);
      if (it == by_id.end()) continue;
      const Project& p = *it->second;
      w.BeginObject().Field("id", p.id).Field("code", p.code).Field("name", p.name).Field("stage", p.stage)
          .Field("stage_name", std::string(StageName(p.stage)));
      w.Key("stage_dates").BeginObject();
      for (const auto& [k, d] : p.stage_dates) w.Field(k, FormatIsoDate(d));
      w.EndObject().EndObject();
    }
    w.EndArray();
  }
  w.EndObject().Key("rates").BeginObject();
  w.OptDecimal("sign_rate", v.rates.sign_rate);
  w.OptDecimal("start_rate", v.rates.start_rate);
  w.OptDecimal("produce_rate", v.rates.produce_rate);
  w.OptDecimal("effective_rate", v.rates.effective_rate);
  w.EndObject().Field("frozen", v.frozen).Field("version", b.version).EndObject();
}

Response BatchResponse(const Result<BatchView>& v, int status = 200) {
  if (!v.ok()) return ErrorResponse(v.status());
  JsonWriter w;
  WriteBatch(w, *v);
  return JsonResponse(status, w.Take());
}

// Reads the editable fields of a project body.
void ReadProjectFields(JsonBody& b, ProjectInput& in) {
  Project& p = in.project;
  if (auto v = b.OptStr("code", 64)) p.code = *v;
  if (auto v = b.OptStr("name", 200)) p.name = *v;
  if (auto v = b.OptStr("level", 16)) p.level = *v;
  if (auto v = b.OptStr("category", 32)) p.category = *v;
  if (b.Present("industry")) p.industry = b.OptStr("industry", 8).value_or("");
  if (b.Present("chain")) p.chain = b.OptStr("chain", 100).value_or("");
  if (auto v = b.OptStr("unit", 32)) in.unit_code = *v;
  if (b.Present("task_force")) in.task_force_code = b.OptStr("task_force", 32).value_or("");
  if (b.Present("leader_id")) p.leader_id = b.OptInt("leader_id");
  if (b.Present("location")) p.location = b.OptStr("location", 200).value_or("");
  if (auto v = b.OptNumberText("total_investment")) {
    auto d = Decimal::Parse(*v);
    if (!d.ok()) b.Fail("total_investment", "不是有效的数值");
    else p.total_investment = *d;
  }
  if (auto v = b.OptInt32("start_year")) p.start_year = *v;
  if (auto v = b.OptInt32("end_year")) p.end_year = *v;
  if (b.Present("committed_completion")) {
    auto v = b.OptStr("committed_completion", 16);
    if (!v || v->empty()) {
      p.committed_completion.reset();
    } else if (auto d = ParseIsoDate(*v); d.ok()) {
      p.committed_completion = *d;
    } else {
      b.Fail("committed_completion", "应为 YYYY-MM-DD 格式的有效日期");
    }
  }
}

// annual_plans in a request: an array of {"year", "amount"} (JsonBody reads arrays of
// objects; the response writes a {"2024": "3.5"} map for reading convenience).
std::map<int, Decimal> ReadPlanArray(JsonBody& b, bool* present) {
  std::map<int, Decimal> out;
  *present = b.Present("annual_plans");
  if (!*present) return out;
  for (auto& item : b.Objects("annual_plans", 30)) {
    item->AllowOnly({"year", "amount"});
    int year = item->Int32("year");
    auto amount = item->OptNumberText("amount");
    if (!amount) {
      item->Fail("amount", "必填");
      continue;
    }
    auto d = Decimal::Parse(*amount);
    if (!d.ok()) {
      item->Fail("amount", "不是有效的数值");
      continue;
    }
    if (out.count(year)) item->Fail("year", "年份重复");
    out[year] = *d;
  }
  return out;
}
}  // namespace

std::vector<Route> ProjectRoutes(ProjectService& svc) {
  std::vector<Route> r;

  r.push_back({"GET", "/api/v1/projects", Access::kPermission, "project.read", "", [&svc](RouteContext& c) {
    store::ProjectQuery q;
    q.level = c.req.Query("level");
    q.category = c.req.Query("category");
    q.stage = c.req.Query("stage");
    q.status = c.req.Query("status");
    q.chain = c.req.Query("chain");
    q.q = c.req.Query("q");
    q.sort = c.req.Query("sort", "code");
    q.include_archived = c.req.Query("include_archived") == "1";
    std::string leader = c.req.Query("leader");
    if (!leader.empty()) {
      char* end = nullptr;
      long long v = std::strtoll(leader.c_str(), &end, 10);
      if (*end || v <= 0) return ErrorResponse(InvalidArgument("leader 应为用户编号", {{"leader", "应为正整数"}}));
      q.leader_id = v;
    }
    std::string year = c.req.Query("year");
    if (!year.empty()) {
      auto p = Period::Parse(year);
      if (!p.ok() || p->kind() != PeriodKind::kYear) return ErrorResponse(InvalidArgument("年份无效", {{"year", "应为四位年份"}}));
      q.year = p->year();
    }
    static const std::set<std::string> kSorts = {"code", "name", "completion", "-completion", "plan", "-plan", "status"};
    if (!kSorts.count(q.sort)) return ErrorResponse(InvalidArgument("未知的排序：" + q.sort, {{"sort", "未知的排序"}}));
    if (c.req.Query("format") == "xlsx") {
      // The whole filtered list, in the import sheet's layout (at most 200,000 rows).
      auto sheet = svc.ExportSheet(*c.actor, q, c.req.Query("unit"));
      if (!sheet.ok()) return ErrorResponse(sheet.status());
      return http::XlsxResponse(io::WriteXlsx({*sheet}), "重点项目");
    }
    q.page = c.Page();
    q.page_size = c.PageSize(50);
    auto page = svc.List(*c.actor, q, c.req.Query("unit"));
    if (!page.ok()) return ErrorResponse(page.status());
    JsonWriter w;
    w.BeginObject().Key("items").BeginArray();
    for (const auto& row : page->items) WriteRow(w, row);
    w.EndArray().Field("total", page->total).Field("page", page->page).Field("page_size", page->page_size).EndObject();
    return JsonResponse(200, w.Take());
  }});

  r.push_back({"GET", "/api/v1/projects/{id}", Access::kPermission, "project.read", "project", [&svc](RouteContext& c) {
    auto id = c.Id();
    if (!id.ok()) return ErrorResponse(id.status());
    int year = 0;
    std::string y = c.req.Query("year");
    if (!y.empty()) {
      auto p = Period::Parse(y);
      if (!p.ok() || p->kind() != PeriodKind::kYear) return ErrorResponse(InvalidArgument("年份无效", {{"year", "应为四位年份"}}));
      year = p->year();
    }
    return DetailResponse(svc.Get(*c.actor, *id, year), svc.Today());
  }});

  r.push_back({"POST", "/api/v1/projects", Access::kPermission, "project.write", "", [&svc](RouteContext& c) {
    JsonBody b(c.req.body);
    // (An initializer_list must not be captured: its array would not outlive this line.)
    b.AllowOnly({"code", "name", "level", "category", "industry", "chain", "unit", "task_force", "leader_id",
                 "location", "total_investment", "start_year", "end_year", "committed_completion", "annual_plans"});
    ProjectInput in;
    ReadProjectFields(b, in);
    bool present = false;
    in.project.annual_plans = ReadPlanArray(b, &present);
    for (const char* f : {"code", "name", "level", "category", "unit", "total_investment", "start_year", "end_year"})
      if (!b.Has(f)) b.Fail(f, "必填");
    if (!b.ok()) return ErrorResponse(b.status());
    return DetailResponse(svc.Create(*c.actor, in), svc.Today(), 201);
  }});

  // Import from an uploaded file (.xlsx or CSV as the raw body), all or nothing; with
  // annotate=1 a rejected upload comes back as the sheet with its bad cells marked (422).
  r.push_back({"POST", "/api/v1/projects/import/file", Access::kPermission, "project.write", "",
               [&svc](RouteContext& c) {
                 return http::ImportFile(c.req, "重点项目-错误标注",
                                         [&](const io::Table& t, bool dry) { return Counts(svc.Import(*c.actor, t, dry)); });
               },
               /*raw_body=*/true});

  r.push_back({"GET", "/api/v1/projects/import/template", Access::kPermission, "project.write", "",
               [&svc](RouteContext& c) {
                 // Always a workbook (format=xlsx, the documented form, or nothing).
                 return TemplateResponse(svc.TemplateSheet(*c.actor), "重点项目导入模板", ProjectInstructions());
               }});

  // ---- Monthly progress in bulk: the list across projects (JSON, or ?format=xlsx in the
  // import layout), the import and its template. The import and the template take
  // project.report or project.write (the service checks which); the gate asks for project.read.
  r.push_back({"GET", "/api/v1/projects/progress", Access::kPermission, "project.read", "", [&svc](RouteContext& c) {
    store::ProgressQuery q;
    const std::string month = c.req.Query("month");
    q.from_month = month.empty() ? c.req.Query("from") : month;
    q.to_month = month.empty() ? c.req.Query("to") : month;
    q.include_archived = c.req.Query("include_archived") == "1";
    const std::string project = c.req.Query("project");
    if (!project.empty()) {
      char* end = nullptr;
      long long v = std::strtoll(project.c_str(), &end, 10);
      if (*end || v <= 0) return ErrorResponse(InvalidArgument("project 应为项目编号", {{"project", "应为正整数"}}));
      q.project_id = v;
    }
    if (http::WantsXlsx(c.req)) {
      auto sheet = svc.ProgressExportSheet(*c.actor, q, c.req.Query("unit"));
      if (!sheet.ok()) return ErrorResponse(sheet.status());
      return http::XlsxResponse(io::WriteXlsx({*sheet}), "重点项目月度进展");
    }
    q.page = c.Page();
    q.page_size = c.PageSize(50);
    auto page = svc.ListProgress(*c.actor, q, c.req.Query("unit"));
    if (!page.ok()) return ErrorResponse(page.status());
    JsonWriter w;
    w.BeginObject().Key("items").BeginArray();
    for (const auto& row : page->items) {
      const Progress& g = row.progress;
      w.BeginObject().Field("id", g.id).Key("project").BeginObject().Field("id", g.project_id)
          .Field("code", row.project_code).Field("name", row.project_name).EndObject().Key("unit");
      WriteUnit(w, row.unit_id, row.unit_code, row.unit_name);
      w.Field("month", g.month);
      w.OptDecimal("amount", g.amount);
      w.OptDecimal("ytd", row.ytd);
      w.OptDecimal("cumulative", row.cumulative);
      w.Field("narrative", g.narrative).Field("reported_by", g.reported_by).Field("reporter", row.reporter_name)
          .Field("reported_at", g.reported_at).Field("version", g.version).EndObject();
    }
    w.EndArray().Field("total", page->total).Field("page", page->page).Field("page_size", page->page_size).EndObject();
    return JsonResponse(200, w.Take());
  }});

  r.push_back({"POST", "/api/v1/projects/progress/import/file", Access::kPermission, "project.read", "",
               [&svc](RouteContext& c) {
                 return http::ImportFile(c.req, "月度进展-错误标注", [&](const io::Table& t, bool dry) {
                   return Counts(svc.ImportProgress(*c.actor, t, dry));
                 });
               },
               /*raw_body=*/true});

  r.push_back({"GET", "/api/v1/projects/progress/import/template", Access::kPermission, "project.read", "",
               [&svc](RouteContext& c) {
                 return TemplateResponse(svc.ProgressTemplateSheet(*c.actor), "重点项目月度进展导入模板",
                                         ProgressInstructions());
               }});

  r.push_back({"PUT", "/api/v1/projects/{id}", Access::kPermission, "project.write", "project", [&svc](RouteContext& c) {
    auto id = c.Id();
    if (!id.ok()) return ErrorResponse(id.status());
    auto current = svc.Get(*c.actor, *id, 0);
    if (!current.ok()) return ErrorResponse(current.status());
    JsonBody b(c.req.body);
    b.AllowOnly({"name", "level", "category", "industry", "chain", "unit", "task_force", "leader_id", "location",
                 "total_investment", "start_year", "end_year", "committed_completion", "annual_plans", "version"});
    ProjectInput in;
    in.project = current->row.project;
    in.unit_code = current->row.unit_code;
    in.task_force_code = current->row.task_force_code;
    ReadProjectFields(b, in);
    bool present = false;
    auto plans = ReadPlanArray(b, &present);
    if (present) in.project.annual_plans = plans;
    in.project.version = b.Version();
    if (!b.ok()) return ErrorResponse(b.status());
    return DetailResponse(svc.Update(*c.actor, *id, in), svc.Today());
  }});

  for (bool archive : {true, false}) {
    r.push_back({"POST", archive ? "/api/v1/projects/{id}/archive" : "/api/v1/projects/{id}/restore",
                 Access::kPermission, "project.write", "project", [&svc, archive](RouteContext& c) {
      auto id = c.Id();
      if (!id.ok()) return ErrorResponse(id.status());
      JsonBody b(c.req.body);
      b.AllowOnly({"version"});
      int v = b.Version();
      if (!b.ok()) return ErrorResponse(b.status());
      return DetailResponse(svc.SetArchived(*c.actor, *id, archive, v), svc.Today());
    }});
  }

  r.push_back({"POST", "/api/v1/projects/{id}/stage", Access::kPermission, "project.write", "project", [&svc](RouteContext& c) {
    auto id = c.Id();
    if (!id.ok()) return ErrorResponse(id.status());
    JsonBody b(c.req.body);
    b.AllowOnly({"stage", "date", "version"});
    std::string stage = b.Str("stage", 32), date = b.Str("date", 16);
    int v = b.Version();
    if (!b.ok()) return ErrorResponse(b.status());
    return DetailResponse(svc.ChangeStage(*c.actor, *id, stage, date, v), svc.Today());
  }});

  r.push_back({"POST", "/api/v1/projects/{id}/schedule", Access::kPermission, "project.write", "project", [&svc](RouteContext& c) {
    auto id = c.Id();
    if (!id.ok()) return ErrorResponse(id.status());
    JsonBody b(c.req.body);
    b.AllowOnly({"version"});
    int v = b.Version();
    if (!b.ok()) return ErrorResponse(b.status());
    return DetailResponse(svc.Schedule(*c.actor, *id, v), svc.Today());
  }});

  r.push_back({"PUT", "/api/v1/projects/{id}/milestones/{mid}", Access::kPermission, "project.write", "project",
               [&svc](RouteContext& c) {
    auto id = c.Id();
    if (!id.ok()) return ErrorResponse(id.status());
    auto mid = c.Id("mid");
    if (!mid.ok()) return ErrorResponse(mid.status());
    JsonBody b(c.req.body);
    b.AllowOnly({"planned", "actual", "version"});
    bool pp = b.Present("planned"), ap = b.Present("actual");
    auto planned = b.OptStr("planned", 16);
    auto actual = b.OptStr("actual", 16);
    int v = b.Version();
    if (!b.ok()) return ErrorResponse(b.status());
    return DetailResponse(svc.UpdateMilestone(*c.actor, *id, *mid, planned, pp, actual, ap, v), svc.Today());
  }});

  // Progress: reporters (project.report) and the project office (project.write) — the
  // service checks which; the gate asks for project.read.
  r.push_back({"PUT", "/api/v1/projects/{id}/progress", Access::kPermission, "project.read", "project",
               [&svc](RouteContext& c) {
    auto id = c.Id();
    if (!id.ok()) return ErrorResponse(id.status());
    JsonBody b(c.req.body);
    b.AllowOnly({"month", "amount", "narrative", "version"});
    std::string month = b.Str("month", 16);
    auto amount = b.OptNumberText("amount");
    if (!amount) b.Fail("amount", "必填");
    std::string narrative = b.OptStr("narrative", 2000).value_or("");
    std::optional<int> version;
    if (b.Has("version")) version = b.Version();
    if (!b.ok()) return ErrorResponse(b.status());
    return DetailResponse(svc.ReportProgress(*c.actor, *id, month, *amount, narrative, version), svc.Today());
  }});

  // ---- Problems ----
  r.push_back({"GET", "/api/v1/projects/problems", Access::kPermission, "project.read", "", [&svc](RouteContext& c) {
    store::ProblemQuery q;
    q.state = c.req.Query("state");
    std::string project = c.req.Query("project");
    if (!project.empty()) {
      char* end = nullptr;
      long long v = std::strtoll(project.c_str(), &end, 10);
      if (*end || v <= 0) return ErrorResponse(InvalidArgument("project 应为项目编号", {{"project", "应为正整数"}}));
      q.project_id = v;
    }
    if (http::WantsXlsx(c.req)) {
      const CivilDate today = svc.Today();
      return http::ExportPages(ProblemSheet(), "项目问题清单", [&](int page, int size) {
        q.page = page;
        q.page_size = size;
        return svc.ListProblems(*c.actor, q, c.req.Query("unit"), c.req.Query("overdue") == "1");
      }, [&](auto& rows, const store::ProblemRow& row) { AddProblem(rows, row, today); });
    }
    q.page = c.Page();
    q.page_size = c.PageSize(50);
    auto page = svc.ListProblems(*c.actor, q, c.req.Query("unit"), c.req.Query("overdue") == "1");
    if (!page.ok()) return ErrorResponse(page.status());
    const CivilDate today = svc.Today();
    JsonWriter w;
    w.BeginObject().Key("items").BeginArray();
    for (const auto& row : page->items) WriteProblem(w, row, today);
    w.EndArray().Field("total", page->total).Field("page", page->page).Field("page_size", page->page_size).EndObject();
    return JsonResponse(200, w.Take());
  }});

  r.push_back({"POST", "/api/v1/projects/{id}/problems", Access::kPermission, "project.read", "project",
               [&svc](RouteContext& c) {
    auto id = c.Id();
    if (!id.ok()) return ErrorResponse(id.status());
    JsonBody b(c.req.body);
    b.AllowOnly({"category", "description", "owner_unit", "deadline"});
    std::string category = b.Str("category", 32), description = b.Str("description", 2000);
    std::string owner = b.OptStr("owner_unit", 32).value_or(""), deadline = b.Str("deadline", 16);
    if (!b.ok()) return ErrorResponse(b.status());
    auto row = svc.RaiseProblem(*c.actor, *id, category, description, owner, deadline);
    if (!row.ok()) return ErrorResponse(row.status());
    JsonWriter w;
    WriteProblem(w, *row, svc.Today());
    return JsonResponse(201, w.Take());
  }});

  r.push_back({"POST", "/api/v1/projects/problems/{id}/resolve", Access::kPermission, "project.read", "project_problem",
               [&svc](RouteContext& c) {
    auto id = c.Id();
    if (!id.ok()) return ErrorResponse(id.status());
    JsonBody b(c.req.body);
    b.AllowOnly({"resolution", "version"});
    std::string resolution = b.Str("resolution", 2000);
    int v = b.Version();
    if (!b.ok()) return ErrorResponse(b.status());
    auto row = svc.ResolveProblem(*c.actor, *id, resolution, v);
    if (!row.ok()) return ErrorResponse(row.status());
    JsonWriter w;
    WriteProblem(w, *row, svc.Today());
    return JsonResponse(200, w.Take());
  }});

  // ---- Batches ----
  r.push_back({"GET", "/api/v1/projects/batches", Access::kPermission, "project.read", "", [&svc](RouteContext& c) {
    auto list = svc.ListBatches(*c.actor);
    if (!list.ok()) return ErrorResponse(list.status());
    JsonWriter w;
    w.BeginObject().Key("items").BeginArray();
    for (const auto& v : *list) WriteBatch(w, v);
    w.EndArray().Field("total", static_cast<int64_t>(list->size())).EndObject();
    return JsonResponse(200, w.Take());
  }});
  r.push_back({"GET", "/api/v1/projects/batches/{id}", Access::kPermission, "project.read", "project_batch",
               [&svc](RouteContext& c) {
    auto id = c.Id();
    if (!id.ok()) return ErrorResponse(id.status());
    return BatchResponse(svc.GetBatch(*c.actor, *id));
  }});
  r.push_back({"POST", "/api/v1/projects/batches", Access::kPermission, "project.manage", "", [&svc](RouteContext& c) {
    JsonBody b(c.req.body);
    b.AllowOnly({"number", "name", "deadline"});
    int number = b.Int32("number");
    std::string name = b.Str("name", 200), deadline = b.Str("deadline", 16);
    if (!b.ok()) return ErrorResponse(b.status());
    return BatchResponse(svc.CreateBatch(*c.actor, number, name, deadline), 201);
  }});
  r.push_back({"PUT", "/api/v1/projects/batches/{id}/lists", Access::kPermission, "project.manage", "project_batch",
               [&svc](RouteContext& c) {
    auto id = c.Id();
    if (!id.ok()) return ErrorResponse(id.status());
    JsonBody b(c.req.body);
    b.AllowOnly({"sign", "start", "produce", "version"});
    std::vector<Batch::Entry> entries;
    for (const char* list : {"sign", "start", "produce"}) {
      if (!b.Present(list)) continue;
      for (auto& item : b.Objects(list, 1000)) {
        item->AllowOnly({"id"});
        entries.push_back({item->Int("id"), list});
      }
    }
    int v = b.Version();
    if (!b.ok()) return ErrorResponse(b.status());
    return BatchResponse(svc.SetBatchLists(*c.actor, *id, entries, v));
  }});
  r.push_back({"POST", "/api/v1/projects/batches/{id}/close", Access::kPermission, "project.manage", "project_batch",
               [&svc](RouteContext& c) {
    auto id = c.Id();
    if (!id.ok()) return ErrorResponse(id.status());
    JsonBody b(c.req.body);
    b.AllowOnly({"version"});
    int v = b.Version();
    if (!b.ok()) return ErrorResponse(b.status());
    return BatchResponse(svc.CloseBatch(*c.actor, *id, v));
  }});

  // ---- Battle map, portfolio ----
  r.push_back({"GET", "/api/v1/projects/battle-map", Access::kPermission, "project.read", "", [&svc](RouteContext& c) {
    int year = 0;
    std::string y = c.req.Query("year");
    if (!y.empty()) {
      auto p = Period::Parse(y);
      if (!p.ok() || p->kind() != PeriodKind::kYear) return ErrorResponse(InvalidArgument("年份无效", {{"year", "应为四位年份"}}));
      year = p->year();
    }
    auto groups = svc.BattleMap(*c.actor, c.req.Query("unit"), year);
    if (!groups.ok()) return ErrorResponse(groups.status());
    const CivilDate today = svc.Today();
    JsonWriter w;
    w.BeginObject().Field("today", FormatIsoDate(today)).Key("groups").BeginArray();
    for (const auto& g : *groups) {
      w.BeginObject().Key("unit");
      WriteUnit(w, g.unit.id, g.unit.code, g.unit.name);
      w.Key("projects").BeginArray();
      for (size_t k = 0; k < g.projects.size(); ++k) {
        const auto& row = g.projects[k];
        w.BeginObject().Field("id", row.project.id).Field("code", row.project.code).Field("name", row.project.name)
            .Field("level", row.project.level).Field("status", row.year.status).Field("status_reason", row.year.status_reason)
            .Field("stage", row.project.stage).Field("stage_name", std::string(StageName(row.project.stage)));
        w.OptDecimal("plan", row.year.plan);
        w.OptDecimal("ytd", row.year.ytd);
        w.OptDecimal("completion", row.year.completion);
        w.OptDate("committed_completion", row.project.committed_completion);
        w.Field("open_problems", row.year.open_problems).Key("milestones").BeginArray();
        for (const Milestone& m : g.milestones[k]) WriteMilestone(w, m, today);
        w.EndArray().EndObject();
      }
      w.EndArray().EndObject();
    }
    w.EndArray().EndObject();
    return JsonResponse(200, w.Take());
  }});

  r.push_back({"GET", "/api/v1/projects/portfolio", Access::kPermission, "project.read", "", [&svc](RouteContext& c) {
    auto p = svc.Portfolio(*c.actor, c.req.Query("unit"), c.req.Query("month"), c.req.Query("level"));
    if (!p.ok()) return ErrorResponse(p.status());
    JsonWriter w;
    w.BeginObject().Field("projects", p->projects);
    w.OptDecimal("plan", p->plan);
    w.OptDecimal("done", p->done);
    std::optional<Decimal> share;
    if (p->plan.Sign() > 0)
      if (auto s = p->done.Div(p->plan); s.ok()) share = s->Mul(Decimal::FromInt(100)).value_or(Decimal());
    w.OptDecimal("completion", share);
    w.EndObject();
    return JsonResponse(200, w.Take());
  }});

  r.push_back({"GET", "/api/v1/projects/options", Access::kPermission, "project.read", "", [&svc](RouteContext& c) {
    auto o = svc.FormOptions(*c.actor);
    if (!o.ok()) return ErrorResponse(o.status());
    JsonWriter w;
    w.BeginObject().Key("leaders").BeginArray();
    for (const auto& u : o->leaders) w.BeginObject().Field("id", u.id).Field("name", u.name).EndObject();
    w.EndArray().Key("task_forces").BeginArray();
    for (const auto& u : o->task_forces) WriteUnit(w, u.id, u.code, u.name);
    w.EndArray().Key("chains").BeginArray();
    for (const auto& ch : o->chains) w.String(ch);
    w.EndArray().EndObject();
    return JsonResponse(200, w.Take());
  }});

  // ---- Settings ----
  auto settings_response = [](const Result<SettingsView>& s) {
    if (!s.ok()) return ErrorResponse(s.status());
    JsonWriter w;
    w.BeginObject().Field("lag_gap", s->settings.lag_gap.ToString())
        .Field("serious_gap", s->settings.serious_gap.ToString())
        .Field("serious_overdue_days", s->settings.serious_overdue_days)
        .Key("durations").BeginObject();
    for (const auto& [cat, steps] : s->settings.durations) {
      w.Key(cat).BeginArray();
      for (const auto& st : steps) w.BeginObject().Field("name", st.name).Field("days", st.days).EndObject();
      w.EndArray();
    }
    w.EndObject().Field("version", s->version).EndObject();
    return JsonResponse(200, w.Take());
  };
  r.push_back({"GET", "/api/v1/projects/settings", Access::kPermission, "project.read", "",
               [&svc, settings_response](RouteContext& c) { return settings_response(svc.GetSettings(*c.actor)); }});
  r.push_back({"PUT", "/api/v1/projects/settings", Access::kPermission, "project.manage", "",
               [&svc, settings_response](RouteContext& c) {
    auto current = svc.GetSettings(*c.actor);
    if (!current.ok()) return ErrorResponse(current.status());
    JsonBody b(c.req.body);
    b.AllowOnly({"lag_gap", "serious_gap", "serious_overdue_days", "durations", "version"});
    Settings s = current->settings;
    for (auto [name, field] : {std::pair{"lag_gap", &s.lag_gap}, std::pair{"serious_gap", &s.serious_gap}}) {
      if (auto t = b.OptNumberText(name)) {
        auto d = Decimal::Parse(*t);
        if (!d.ok()) b.Fail(name, "不是有效的数值");
        else *field = *d;
      }
    }
    if (auto v = b.OptInt32("serious_overdue_days")) s.serious_overdue_days = *v;
    if (b.Present("durations")) {
      // durations: [{"category", "steps": [{"name", "days"}]}]
      s.durations.clear();
      for (auto& cat : b.Objects("durations", 10)) {
        cat->AllowOnly({"category", "steps"});
        std::string code = cat->Str("category", 32);
        std::vector<Settings::Step> steps;
        for (auto& st : cat->Objects("steps", 30)) {
          st->AllowOnly({"name", "days"});
          steps.push_back({st->Str("name", 100), st->Int32("days")});
        }
        s.durations[code] = steps;
      }
    }
    int v = b.Version();
    if (!b.ok()) return ErrorResponse(b.status());
    return settings_response(svc.PutSettings(*c.actor, s, v));
  }});

  return r;
}

}  // namespace tiaodu::projects
