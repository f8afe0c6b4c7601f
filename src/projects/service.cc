#include "projects/service.h"

#include <algorithm>
#include <chrono>
#include <future>
#include <set>
#include <tuple>
#include <unordered_map>

#include "auth/audit.h"
#include "auth/rules.h"
#include "base/json_text.h"
#include "base/period.h"
#include "db/settings.h"
#include "projects/rules.h"
#include "projects/sheets.h"

namespace tiaodu::projects {
namespace {

constexpr const char* kSettingsKey = "projects";

std::string MonthKey(int year, int month) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02d", year, month);
  return buf;
}

std::string Snapshot(const Project& p) {
  std::string plans;
  for (const auto& [y, a] : p.annual_plans) plans += (plans.empty() ? "" : ";") + std::to_string(y) + "=" + a.ToString();
  std::string dates;
  for (const auto& [k, d] : p.stage_dates) dates += (dates.empty() ? "" : ";") + k + "=" + FormatIsoDate(d);
  return JsonText()
      .Add("id", p.id).Add("code", p.code).Add("name", p.name).Add("level", p.level)
      .Add("category", p.category).Add("industry", p.industry).Add("chain", p.chain)
      .Add("unit_id", p.unit_id).Add("leader_id", p.leader_id).Add("task_force_id", p.task_force_id)
      .Add("location", p.location).Add("total_investment", p.total_investment.ToString())
      .Add("start_year", p.start_year).Add("end_year", p.end_year)
      .Add("committed_completion", p.committed_completion ? FormatIsoDate(*p.committed_completion) : "")
      .Add("stage", p.stage).Add("stage_dates", dates).Add("annual_plans", plans)
      .Add("archived", p.archived).Add("version", p.version)
      .Build();
}

Result<Decimal> ParseAmount(const std::string& text, const char* field) {
  auto d = Decimal::Parse(text);
  if (!d.ok()) return InvalidArgument("金额不是有效的数值：" + text, {{field, "不是有效的数值"}});
  return *d;
}

Result<CivilDate> ParseDate(const std::string& text, const char* field) {
  auto d = ParseIsoDate(text);
  if (!d.ok()) return InvalidArgument("日期无效：" + text, {{field, "应为 YYYY-MM-DD 格式的有效日期"}});
  return *d;
}

// The project for a change by `actor`: 404 outside scope.
Result<Project> LoadProject(db::Tx& tx, const auth::Actor& actor, int64_t id) {
  auto p = store::FindProject(tx, id);
  if (!p) return NotFound("项目不存在");
  auto unit = store::FindUnit(tx, p->unit_id);
  if (!unit || !actor.InScope(unit->path)) return NotFound("项目不存在");
  return *p;
}

// Resolves references of an input (unit, task force, leader) into `p`.
Status ResolveRefs(db::Tx& tx, const auth::Actor& actor, const ProjectInput& in, Project& p) {
  std::vector<Detail> bad;
  auto unit = store::FindUnitByCode(tx, in.unit_code);
  if (in.unit_code.empty()) bad.push_back({"unit", "必填"});
  else if (!unit || !actor.InScope(unit->path)) bad.push_back({"unit", "责任单位不存在或不在您的管理范围内：" + in.unit_code});
  else p.unit_id = unit->id;
  p.task_force_id.reset();
  if (!in.task_force_code.empty()) {
    auto tf = store::FindUnitByCode(tx, in.task_force_code);
    if (!tf || tf->kind != "task_force") bad.push_back({"task_force", "专班不存在：" + in.task_force_code});
    else p.task_force_id = tf->id;
  }
  if (in.project.leader_id) {
    auto u = store::FindUser(tx, *in.project.leader_id);
    if (!u || u->disabled || u->role != "leader")
      bad.push_back({"leader_id", "联系领导不存在（须为在用的领导账户）"});
    else p.leader_id = u->id;
  } else {
    p.leader_id.reset();
  }
  if (!bad.empty()) return InvalidArgument("项目信息有误", bad);
  return Status::Ok();
}

Status CheckListQuery(const store::ProjectQuery& q) {
  if (!q.status.empty() && q.status != kNormal && q.status != kLagging && q.status != kSeriouslyLagging)
    return InvalidArgument("未知的状态：" + q.status, {{"status", "应为 正常 / 滞后 / 严重滞后"}});
  if (!q.stage.empty() && StageIndex(q.stage) < 0)
    return InvalidArgument("未知的阶段：" + q.stage, {{"stage", "未知的阶段"}});
  return Status::Ok();
}

}  // namespace

Settings SettingsFromText(const std::string& text) {
  Settings s = DefaultSettings();
  bool durations_seen = false;
  size_t pos = 0;
  while (pos < text.size()) {
    size_t end = text.find('\n', pos);
    if (end == std::string::npos) end = text.size();
    std::string line = text.substr(pos, end - pos);
    pos = end + 1;
    size_t eq = line.find('=');
    if (eq == std::string::npos) continue;
    std::string k = line.substr(0, eq), v = line.substr(eq + 1);
    if (k == "lag_gap") s.lag_gap = Decimal::Parse(v).value_or(s.lag_gap);
    else if (k == "serious_gap") s.serious_gap = Decimal::Parse(v).value_or(s.serious_gap);
    else if (k == "serious_overdue_days") s.serious_overdue_days = std::atoi(v.c_str());
    else if (k.rfind("duration.", 0) == 0) {
      if (!durations_seen) s.durations.clear();
      durations_seen = true;
      std::vector<Settings::Step> steps;
      size_t p2 = 0;
      while (p2 < v.size()) {
        size_t e2 = v.find('|', p2);
        if (e2 == std::string::npos) e2 = v.size();
        std::string item = v.substr(p2, e2 - p2);
        size_t colon = item.rfind(':');
        if (colon != std::string::npos) steps.push_back({item.substr(0, colon), std::atoi(item.c_str() + colon + 1)});
        p2 = e2 + 1;
      }
      s.durations[k.substr(9)] = steps;
    }
  }
  return s;
}

std::string SettingsToText(const Settings& s) {
  std::string out = "lag_gap=" + s.lag_gap.ToString() + "\nserious_gap=" + s.serious_gap.ToString() +
                    "\nserious_overdue_days=" + std::to_string(s.serious_overdue_days);
  for (const auto& [cat, steps] : s.durations) {
    out += "\nduration." + cat + "=";
    for (size_t k = 0; k < steps.size(); ++k)
      out += (k ? "|" : "") + steps[k].name + ":" + std::to_string(steps[k].days);
  }
  return out;
}

CivilDate ProjectService::Today() const { return ToCivil(clock_.NowMillis()); }

Status ProjectService::RefreshInTx(db::Tx& tx, int64_t project_id) {
  auto settings = LoadSettings(tx);
  if (!settings.ok()) return settings.status();
  return Refresh(tx, project_id, Today(), *settings);
}

Result<Settings> ProjectService::LoadSettings(db::Tx& tx) {
  auto row = db::GetSetting(tx, kSettingsKey);
  if (!row) return DefaultSettings();
  return SettingsFromText(row->value);
}

// A project's yearly figures as of `today`: one row for every year from its start to this
// year (or its end), every planned year up to this year, and every year with progress.
static std::vector<ProjectYear> ComputeYears(const Project& p, const std::vector<Milestone>& milestones,
                                             const std::vector<Progress>& progress, int open_problems,
                                             const CivilDate& today, const Settings& s) {
  std::vector<ProjectYear> out;
  std::set<int> years;
  for (int y = p.start_year; y <= std::min(p.end_year, today.year); ++y) years.insert(y);
  for (const auto& [y, a] : p.annual_plans)
    if (y <= today.year) years.insert(y);
  for (const Progress& g : progress) years.insert(std::stoi(g.month.substr(0, 4)));
  for (int y : years) {
    const bool current = y == today.year;
    StatusInput in;
    auto plan = p.annual_plans.find(y);
    if (plan != p.annual_plans.end()) in.annual_plan = plan->second;
    const std::string last_month = current ? MonthKey(y, today.month) : MonthKey(y, 12);
    in.ytd = YtdAt(progress, last_month);
    // Progress is reported for completed months: compare with the share of the year before
    // this month (at the end of June: 0.5).
    in.elapsed_share = current ? (today.month > 1 ? ElapsedShareOfYear(Period::Month(y, today.month - 1)) : Decimal())
                               : Decimal::FromInt(1);
    in.milestones = milestones;
    in.today = current ? today : CivilDate{y, 12, 31};
    StatusResult r = ComputeStatus(in, s);
    ProjectYear py;
    py.project_id = p.id;
    py.year = y;
    py.plan = in.annual_plan;
    py.ytd = in.ytd;
    py.cumulative = CumulativeAt(progress, last_month);
    py.completion = r.completion;
    py.status = r.status;
    py.status_reason = r.reason;
    py.open_problems = open_problems;
    int overdue = 0;
    for (const Milestone& m : milestones) overdue += OverdueDays(m, in.today) > 0;
    py.overdue_milestones = overdue;
    py.as_of = FormatIsoDate(in.today);
    py.unit_id = p.unit_id;
    out.push_back(std::move(py));
  }
  return out;
}

Status ProjectService::Refresh(db::Tx& tx, int64_t project_id, const CivilDate& today, const Settings& s) {
  auto p = store::FindProject(tx, project_id);
  if (!p) return NotFound("项目不存在");
  auto milestones = store::Milestones(tx, project_id);
  auto progress = store::ProgressOf(tx, project_id);
  const int open = store::CountOpenProblems(tx, project_id);
  for (const ProjectYear& py : ComputeYears(*p, milestones, progress, open, today, s)) store::UpsertYear(tx, py);
  return Status::Ok();
}

bool ListScope(db::Tx& tx, const auth::Actor& actor, const std::string& unit_code, std::string& scope_path,
               std::string& unit_path) {
  scope_path = actor.system ? "/" : actor.unit_path;
  if (unit_code.empty()) return true;
  auto u = store::FindUnitByCode(tx, unit_code);
  if (!u || !actor.InScope(u->path)) return false;
  unit_path = u->path;
  return true;
}

Result<ProjectDetail> ProjectService::LoadDetail(db::Tx& tx, int64_t id, int year) {
  auto row = store::FindProjectRow(tx, id, year);
  if (!row) return NotFound("项目不存在");
  ProjectDetail d;
  d.row = *row;
  d.milestones = store::Milestones(tx, id);
  d.progress = store::ProgressOf(tx, id);
  store::ProblemQuery q;
  q.scope_path = "/";
  q.project_id = id;
  q.page_size = 1000;
  d.problems = store::ListProblems(tx, q, nullptr);
  return d;
}

// ---------------------------------------------------------------------------------------

Result<auth::Page<store::ProjectRow>> ProjectService::List(const auth::Actor& actor, store::ProjectQuery q,
                                                           const std::string& unit_code) {
  TIAODU_RETURN_IF_ERROR(auth::Need(actor, "project.read"));
  if (q.year == 0) q.year = Today().year;
  TIAODU_RETURN_IF_ERROR(CheckListQuery(q));
  auth::Page<store::ProjectRow> page;
  page.page = q.page;
  page.page_size = q.page_size;
  TIAODU_RETURN_IF_ERROR(db_.Read([&](db::Tx& tx) -> Status {
    if (!ListScope(tx, actor, unit_code, q.scope_path, q.unit_path)) return Status::Ok();  // nothing visible
    page.items = store::ListProjects(tx, q, &page.total);
    return Status::Ok();
  }));
  return page;
}

Result<ProjectDetail> ProjectService::Get(const auth::Actor& actor, int64_t id, int year) {
  TIAODU_RETURN_IF_ERROR(auth::Need(actor, "project.read"));
  if (year == 0) year = Today().year;
  ProjectDetail out;
  TIAODU_RETURN_IF_ERROR(db_.Read([&](db::Tx& tx) -> Status {
    auto p = LoadProject(tx, actor, id);
    if (!p.ok()) return p.status();
    auto d = LoadDetail(tx, id, year);
    if (!d.ok()) return d.status();
    out = std::move(*d);
    return Status::Ok();
  }));
  return out;
}

Result<ProjectDetail> ProjectService::Create(const auth::Actor& actor, const ProjectInput& in) {
  TIAODU_RETURN_IF_ERROR(auth::Need(actor, "project.write"));
  Project p = in.project;
  p.stage = "planning";
  p.stage_dates.clear();
  p.archived = false;
  TIAODU_RETURN_IF_ERROR(CheckProject(p));
  const int64_t now = clock_.NowMillis();
  const CivilDate today = Today();
  ProjectDetail out;
  TIAODU_RETURN_IF_ERROR(db_.Write([&](db::Tx& tx) -> Status {
    TIAODU_RETURN_IF_ERROR(ResolveRefs(tx, actor, in, p));
    if (store::FindProjectByCode(tx, p.code)) return Conflict("项目编码已存在：" + p.code);
    p.created_at = p.updated_at = now;
    p.id = store::InsertProject(tx, p);
    auto settings = LoadSettings(tx);
    if (!settings.ok()) return settings.status();
    TIAODU_RETURN_IF_ERROR(Refresh(tx, p.id, today, *settings));
    TIAODU_RETURN_IF_ERROR(auth::AppendAudit(tx, auth::MakeAudit(actor, now, "project.create", "project",
                                                                 std::to_string(p.id), {}, Snapshot(p))));
    auto d = LoadDetail(tx, p.id, today.year);
    if (!d.ok()) return d.status();
    out = std::move(*d);
    return Status::Ok();
  }));
  return out;
}

Result<ProjectDetail> ProjectService::Update(const auth::Actor& actor, int64_t id, const ProjectInput& in) {
  TIAODU_RETURN_IF_ERROR(auth::Need(actor, "project.write"));
  const int64_t now = clock_.NowMillis();
  const CivilDate today = Today();
  ProjectDetail out;
  TIAODU_RETURN_IF_ERROR(db_.Write([&](db::Tx& tx) -> Status {
    auto before = LoadProject(tx, actor, id);
    if (!before.ok()) return before.status();
    if (in.project.version != before->version) return StaleVersion();
    Project p = in.project;
    p.id = id;
    p.code = before->code;
    p.stage = before->stage;
    p.stage_dates = before->stage_dates;
    p.archived = before->archived;
    p.created_at = before->created_at;
    p.updated_at = now;
    TIAODU_RETURN_IF_ERROR(CheckProject(p));
    TIAODU_RETURN_IF_ERROR(ResolveRefs(tx, actor, in, p));
    if (!store::UpdateProject(tx, p)) return StaleVersion();
    auto settings = LoadSettings(tx);
    if (!settings.ok()) return settings.status();
    TIAODU_RETURN_IF_ERROR(Refresh(tx, id, today, *settings));
    auto after = store::FindProject(tx, id);
    TIAODU_RETURN_IF_ERROR(auth::AppendAudit(tx, auth::MakeAudit(actor, now, "project.update", "project",
                                                                 std::to_string(id), Snapshot(*before), Snapshot(*after))));
    auto d = LoadDetail(tx, id, today.year);
    if (!d.ok()) return d.status();
    out = std::move(*d);
    return Status::Ok();
  }));
  return out;
}

Result<ProjectDetail> ProjectService::SetArchived(const auth::Actor& actor, int64_t id, bool archived, int version) {
  TIAODU_RETURN_IF_ERROR(auth::Need(actor, "project.write"));
  const int64_t now = clock_.NowMillis();
  const CivilDate today = Today();
  ProjectDetail out;
  TIAODU_RETURN_IF_ERROR(db_.Write([&](db::Tx& tx) -> Status {
    auto before = LoadProject(tx, actor, id);
    if (!before.ok()) return before.status();
    if (before->version != version) return StaleVersion();
    Project p = *before;
    p.archived = archived;
    p.updated_at = now;
    if (!store::UpdateProject(tx, p)) return StaleVersion();
    auto after = store::FindProject(tx, id);
    TIAODU_RETURN_IF_ERROR(auth::AppendAudit(tx, auth::MakeAudit(actor, now, archived ? "project.archive" : "project.restore",
                                                                 "project", std::to_string(id), Snapshot(*before),
                                                                 Snapshot(*after))));
    auto d = LoadDetail(tx, id, today.year);
    if (!d.ok()) return d.status();
    out = std::move(*d);
    return Status::Ok();
  }));
  return out;
}

Result<ProjectDetail> ProjectService::ChangeStage(const auth::Actor& actor, int64_t id, const std::string& stage,
                                                  const std::string& date, int version) {
  TIAODU_RETURN_IF_ERROR(auth::Need(actor, "project.write"));
  auto d = ParseDate(date, "date");
  if (!d.ok()) return d.status();
  const int64_t now = clock_.NowMillis();
  const CivilDate today = Today();
  ProjectDetail out;
  TIAODU_RETURN_IF_ERROR(db_.Write([&](db::Tx& tx) -> Status {
    auto before = LoadProject(tx, actor, id);
    if (!before.ok()) return before.status();
    if (before->version != version) return StaleVersion();
    TIAODU_RETURN_IF_ERROR(CheckStageChange(*before, stage, *d, today));
    Project p = *before;
    // Stages skipped on the way are reached on the same date.
    for (int k = StageIndex(before->stage) + 1; k <= StageIndex(stage); ++k)
      if (!p.stage_dates.count(kStages[k])) p.stage_dates[kStages[k]] = *d;
    p.stage = stage;
    p.updated_at = now;
    if (!store::UpdateProject(tx, p)) return StaleVersion();
    auto after = store::FindProject(tx, id);
    TIAODU_RETURN_IF_ERROR(auth::AppendAudit(tx, auth::MakeAudit(actor, now, "project.stage", "project", std::to_string(id),
                                                                 Snapshot(*before), Snapshot(*after))));
    auto dd = LoadDetail(tx, id, today.year);
    if (!dd.ok()) return dd.status();
    out = std::move(*dd);
    return Status::Ok();
  }));
  return out;
}

Result<ProjectDetail> ProjectService::Schedule(const auth::Actor& actor, int64_t id, int version) {
  TIAODU_RETURN_IF_ERROR(auth::Need(actor, "project.write"));
  const int64_t now = clock_.NowMillis();
  const CivilDate today = Today();
  ProjectDetail out;
  TIAODU_RETURN_IF_ERROR(db_.Write([&](db::Tx& tx) -> Status {
    auto before = LoadProject(tx, actor, id);
    if (!before.ok()) return before.status();
    if (before->version != version) return StaleVersion();
    if (!before->committed_completion)
      return FailedPrecondition("请先填写承诺完工日期，再倒排工期");
    auto settings = LoadSettings(tx);
    if (!settings.ok()) return settings.status();
    auto steps = settings->durations.find(before->category);
    if (steps == settings->durations.end() || steps->second.empty())
      return FailedPrecondition("该类别未配置标准工期：" + std::string(CategoryName(before->category)));
    // A project not yet under way is scheduled from today (or its start year, if later); one
    // under way from the start of its start year, so its early steps can lie in the past
    // (and show as overdue until their actual dates are entered).
    CivilDate earliest = CivilDate{before->start_year, 1, 1};
    if (StageIndex(before->stage) < StageIndex("started") && CompareDates(today, earliest) > 0) earliest = today;
    auto plan = BackwardSchedule(steps->second, *before->committed_completion, earliest);
    if (!plan.ok()) return plan.status();
    std::vector<Milestone> ms;
    int seq = 0;
    for (const PlannedMilestone& pm : *plan) {
      Milestone m;
      m.project_id = id;
      m.seq = ++seq;
      m.name = pm.name;
      m.planned = pm.planned;
      ms.push_back(m);
    }
    store::ReplaceMilestones(tx, id, ms);
    Project p = *before;
    p.updated_at = now;
    if (!store::UpdateProject(tx, p)) return StaleVersion();  // bumps the version
    TIAODU_RETURN_IF_ERROR(Refresh(tx, id, today, *settings));
    std::string list;
    for (const auto& pm : *plan) list += (list.empty() ? "" : ";") + pm.name + "=" + FormatIsoDate(pm.planned);
    TIAODU_RETURN_IF_ERROR(auth::AppendAudit(tx, auth::MakeAudit(actor, now, "project.schedule", "project",
                                                                 std::to_string(id), {},
                                                                 JsonText().Add("milestones", list).Build())));
    auto d = LoadDetail(tx, id, today.year);
    if (!d.ok()) return d.status();
    out = std::move(*d);
    return Status::Ok();
  }));
  return out;
}

Result<ProjectDetail> ProjectService::UpdateMilestone(const auth::Actor& actor, int64_t id, int64_t milestone_id,
                                                      std::optional<std::string> planned, bool planned_present,
                                                      std::optional<std::string> actual, bool actual_present,
                                                      int version) {
  TIAODU_RETURN_IF_ERROR(auth::Need(actor, "project.write"));
  std::optional<CivilDate> pd, ad;
  if (planned && !planned->empty()) {
    auto d = ParseDate(*planned, "planned");
    if (!d.ok()) return d.status();
    pd = *d;
  }
  if (actual && !actual->empty()) {
    auto d = ParseDate(*actual, "actual");
    if (!d.ok()) return d.status();
    ad = *d;
  }
  const int64_t now = clock_.NowMillis();
  const CivilDate today = Today();
  if (ad && CompareDates(*ad, today) > 0)
    return InvalidArgument("实际完成日期不能晚于今天", {{"actual", "不能是将来的日期"}});
  ProjectDetail out;
  TIAODU_RETURN_IF_ERROR(db_.Write([&](db::Tx& tx) -> Status {
    auto p = LoadProject(tx, actor, id);
    if (!p.ok()) return p.status();
    auto m = store::FindMilestone(tx, milestone_id);
    if (!m || m->project_id != id) return NotFound("节点不存在");
    if (m->version != version) return StaleVersion();
    Milestone before = *m;
    if (planned_present) m->planned = pd;
    if (actual_present) m->actual = ad;
    if (!store::UpdateMilestone(tx, *m)) return StaleVersion();
    auto settings = LoadSettings(tx);
    if (!settings.ok()) return settings.status();
    TIAODU_RETURN_IF_ERROR(Refresh(tx, id, today, *settings));
    auto text = [](const Milestone& x) {
      return JsonText().Add("name", x.name).Add("planned", x.planned ? FormatIsoDate(*x.planned) : "")
          .Add("actual", x.actual ? FormatIsoDate(*x.actual) : "").Build();
    };
    TIAODU_RETURN_IF_ERROR(auth::AppendAudit(tx, auth::MakeAudit(actor, now, "project.milestone", "project",
                                                                 std::to_string(id), text(before), text(*m))));
    auto d = LoadDetail(tx, id, today.year);
    if (!d.ok()) return d.status();
    out = std::move(*d);
    return Status::Ok();
  }));
  return out;
}

Result<ProjectDetail> ProjectService::ReportProgress(const auth::Actor& actor, int64_t id, const std::string& month,
                                                     const std::string& amount, const std::string& narrative,
                                                     std::optional<int> version) {
  if (!auth::Need(actor, "project.report").ok()) TIAODU_RETURN_IF_ERROR(auth::Need(actor, "project.write"));
  auto a = ParseAmount(amount, "amount");
  if (!a.ok()) return a.status();
  const int64_t now = clock_.NowMillis();
  const CivilDate today = Today();
  ProjectDetail out;
  TIAODU_RETURN_IF_ERROR(db_.Write([&](db::Tx& tx) -> Status {
    auto p = LoadProject(tx, actor, id);
    if (!p.ok()) return p.status();
    if (p->archived) return FailedPrecondition("项目已归档，不能再填报进度");
    Progress r;
    r.project_id = id;
    r.month = month;
    r.amount = *a;
    r.narrative = narrative;
    r.reported_by = actor.user_id;
    r.reported_at = now;
    TIAODU_RETURN_IF_ERROR(CheckProgress(*p, r, today));
    auto existing = store::FindProgress(tx, id, month);
    std::string before;
    if (existing) {
      if (!version) return InvalidArgument("修改已填报的月度进度须提供版本号", {{"version", "必填"}});
      if (*version != existing->version) return StaleVersion();
      r.id = existing->id;
      r.version = existing->version;
      before = JsonText().Add("month", existing->month).Add("amount", existing->amount.ToString())
                   .Add("narrative", existing->narrative).Build();
      if (!store::UpdateProgress(tx, r)) return StaleVersion();
    } else {
      r.id = store::InsertProgress(tx, r);
    }
    auto settings = LoadSettings(tx);
    if (!settings.ok()) return settings.status();
    TIAODU_RETURN_IF_ERROR(Refresh(tx, id, today, *settings));
    TIAODU_RETURN_IF_ERROR(auth::AppendAudit(
        tx, auth::MakeAudit(actor, now, "project.progress", "project", std::to_string(id), before,
                            JsonText().Add("month", r.month).Add("amount", r.amount.ToString())
                                .Add("narrative", r.narrative).Build())));
    auto d = LoadDetail(tx, id, today.year);
    if (!d.ok()) return d.status();
    out = std::move(*d);
    return Status::Ok();
  }));
  return out;
}

// ---------------------------------------------------------------------------------------
// Problems

Result<auth::Page<store::ProblemRow>> ProjectService::ListProblems(const auth::Actor& actor, store::ProblemQuery q,
                                                                   const std::string& unit_code, bool overdue_only) {
  TIAODU_RETURN_IF_ERROR(auth::Need(actor, "project.read"));
  if (!q.state.empty() && q.state != "open" && q.state != "resolved")
    return InvalidArgument("未知的状态：" + q.state, {{"state", "应为 open 或 resolved"}});
  if (overdue_only) q.overdue_before = FormatIsoDate(Today());
  auth::Page<store::ProblemRow> page;
  page.page = q.page;
  page.page_size = q.page_size;
  TIAODU_RETURN_IF_ERROR(db_.Read([&](db::Tx& tx) -> Status {
    if (!ListScope(tx, actor, unit_code, q.scope_path, q.unit_path)) return Status::Ok();
    page.items = store::ListProblems(tx, q, &page.total);
    return Status::Ok();
  }));
  return page;
}

static std::string ProblemSnapshot(const Problem& p) {
  return JsonText().Add("id", p.id).Add("project_id", p.project_id).Add("category", p.category)
      .Add("description", p.description).Add("owner_unit_id", p.owner_unit_id)
      .Add("escalated_to", p.escalated_to).Add("deadline", FormatIsoDate(p.deadline)).Add("state", p.state)
      .Add("resolution", p.resolution).Add("version", p.version).Build();
}

static Result<store::ProblemRow> LoadProblemRow(db::Tx& tx, int64_t id) {
  auto p = store::FindProblem(tx, id);
  if (!p) return NotFound("问题不存在");
  store::ProblemQuery q;
  q.scope_path = "/";
  q.project_id = p->project_id;
  q.page_size = 1000;
  for (auto& row : store::ListProblems(tx, q, nullptr))
    if (row.problem.id == id) return row;
  return NotFound("问题不存在");
}

Result<store::ProblemRow> ProjectService::RaiseProblem(const auth::Actor& actor, int64_t project_id,
                                                       const std::string& category, const std::string& description,
                                                       const std::string& owner_code, const std::string& deadline) {
  if (!auth::Need(actor, "project.report").ok()) TIAODU_RETURN_IF_ERROR(auth::Need(actor, "project.write"));
  std::vector<Detail> bad;
  if (ProblemCategoryName(category) == category) bad.push_back({"category", "未知的问题类别：" + category});
  if (description.empty()) bad.push_back({"description", "必填"});
  if (description.size() > 2000) bad.push_back({"description", "过长（最多 2000 字节）"});
  auto dl = ParseIsoDate(deadline);
  if (!dl.ok()) bad.push_back({"deadline", "应为 YYYY-MM-DD 格式的有效日期"});
  const CivilDate today = Today();
  if (dl.ok() && CompareDates(*dl, today) < 0) bad.push_back({"deadline", "解决时限不能早于今天"});
  if (!bad.empty()) return InvalidArgument("问题信息有误", bad);
  const int64_t now = clock_.NowMillis();
  store::ProblemRow out;
  TIAODU_RETURN_IF_ERROR(db_.Write([&](db::Tx& tx) -> Status {
    auto p = LoadProject(tx, actor, project_id);
    if (!p.ok()) return p.status();
    std::optional<store::UnitRef> owner;
    if (owner_code.empty()) owner = store::FindUnit(tx, p->unit_id);
    else owner = store::FindUnitByCode(tx, owner_code);
    if (!owner) return InvalidArgument("责任单位不存在：" + owner_code, {{"owner_unit", "单位不存在"}});
    // Who may be named as owner: a unit in the actor's scope, or a unit above the project's
    // (the level a problem escalates to) and that level's departments.
    auto project_unit = store::FindUnit(tx, p->unit_id);
    bool above = project_unit && project_unit->path.rfind(owner->path, 0) == 0;
    if (!above && owner->kind == "department" && project_unit) {
      auto parent = store::FindUnit(tx, owner->parent_id);
      above = parent && project_unit->path.rfind(parent->path, 0) == 0;
    }
    if (!actor.InScope(owner->path) && !above)
      return InvalidArgument("责任单位须是本单位范围内的单位，或项目所在单位的上级单位及其部门",
                             {{"owner_unit", "不能指定无关单位为责任单位"}});
    Problem pr;
    pr.project_id = project_id;
    pr.category = category;
    pr.description = description;
    pr.owner_unit_id = owner->id;
    pr.deadline = *dl;
    pr.raised_by = actor.user_id;
    pr.raised_at = now;
    pr.id = store::InsertProblem(tx, pr);
    auto settings = LoadSettings(tx);
    if (!settings.ok()) return settings.status();
    TIAODU_RETURN_IF_ERROR(Refresh(tx, project_id, today, *settings));
    TIAODU_RETURN_IF_ERROR(auth::AppendAudit(tx, auth::MakeAudit(actor, now, "project.problem.raise", "project_problem",
                                                                 std::to_string(pr.id), {}, ProblemSnapshot(pr))));
    auto row = LoadProblemRow(tx, pr.id);
    if (!row.ok()) return row.status();
    out = *row;
    return Status::Ok();
  }));
  return out;
}

Result<store::ProblemRow> ProjectService::ResolveProblem(const auth::Actor& actor, int64_t problem_id,
                                                         const std::string& resolution, int version) {
  if (!auth::Need(actor, "project.report").ok()) TIAODU_RETURN_IF_ERROR(auth::Need(actor, "project.write"));
  if (resolution.empty()) return InvalidArgument("请填写解决情况", {{"resolution", "必填"}});
  const int64_t now = clock_.NowMillis();
  const CivilDate today = Today();
  store::ProblemRow out;
  TIAODU_RETURN_IF_ERROR(db_.Write([&](db::Tx& tx) -> Status {
    auto pr = store::FindProblem(tx, problem_id);
    if (!pr) return NotFound("问题不存在");
    auto p = LoadProject(tx, actor, pr->project_id);
    if (!p.ok()) return NotFound("问题不存在");
    if (pr->version != version) return StaleVersion();
    if (pr->state == "resolved") return FailedPrecondition("该问题已解决");
    Problem before = *pr;
    pr->state = "resolved";
    pr->resolution = resolution;
    pr->resolved_at = now;
    if (!store::UpdateProblem(tx, *pr)) return StaleVersion();
    auto settings = LoadSettings(tx);
    if (!settings.ok()) return settings.status();
    TIAODU_RETURN_IF_ERROR(Refresh(tx, pr->project_id, today, *settings));
    TIAODU_RETURN_IF_ERROR(auth::AppendAudit(tx, auth::MakeAudit(actor, now, "project.problem.resolve", "project_problem",
                                                                 std::to_string(problem_id), ProblemSnapshot(before),
                                                                 ProblemSnapshot(*pr))));
    auto row = LoadProblemRow(tx, problem_id);
    if (!row.ok()) return row.status();
    out = *row;
    return Status::Ok();
  }));
  return out;
}

Result<int> ProjectService::EscalateOverdue(const CivilDate& today) {
  const int64_t now = clock_.NowMillis();
  int n = 0;
  auth::Actor system;
  system.system = true;
  system.username = "system";
  system.role = "system";
  TIAODU_RETURN_IF_ERROR(db_.Write([&](db::Tx& tx) -> Status {
    for (Problem& pr : store::ProblemsToEscalate(tx, FormatIsoDate(today))) {
      if (!ShouldEscalate(pr, today)) continue;
      auto owner = store::FindUnit(tx, pr.owner_unit_id);
      if (!owner || owner->parent_id == 0) continue;  // the root has no level above
      Problem before = pr;
      pr.escalated_to = owner->parent_id;
      if (!store::UpdateProblem(tx, pr)) continue;
      pr.version++;
      ++n;
      TIAODU_RETURN_IF_ERROR(auth::AppendAudit(tx, auth::MakeAudit(system, now, "project.problem.escalate",
                                                                   "project_problem", std::to_string(pr.id),
                                                                   ProblemSnapshot(before), ProblemSnapshot(pr))));
    }
    return Status::Ok();
  }));
  return n;
}

// ---------------------------------------------------------------------------------------
// Batches

static BatchView MakeBatchView(db::Tx& tx, const Batch& b) {
  BatchView v;
  v.batch = b;
  std::vector<int64_t> ids;
  for (const auto& e : b.entries) ids.push_back(e.project_id);
  v.projects = store::ProjectsByIds(tx, ids);
  v.frozen = b.closed;
  if (b.closed) {
    v.rates.sign_rate = b.sign_rate;
    v.rates.start_rate = b.start_rate;
    v.rates.produce_rate = b.produce_rate;
    v.rates.effective_rate = b.effective_rate;
  } else {
    v.rates = ComputeBatchRates(b, v.projects);
  }
  return v;
}

Result<std::vector<BatchView>> ProjectService::ListBatches(const auth::Actor& actor) {
  TIAODU_RETURN_IF_ERROR(auth::Need(actor, "project.read"));
  std::vector<BatchView> out;
  TIAODU_RETURN_IF_ERROR(db_.Read([&](db::Tx& tx) {
    out = BatchesInTx(tx);
    return Status::Ok();
  }));
  return out;
}

std::vector<BatchView> ProjectService::BatchesInTx(db::Tx& tx) {
  std::vector<BatchView> out;
  for (const Batch& b : store::ListBatches(tx)) out.push_back(MakeBatchView(tx, b));
  return out;
}

Result<BatchView> ProjectService::GetBatch(const auth::Actor& actor, int64_t id) {
  TIAODU_RETURN_IF_ERROR(auth::Need(actor, "project.read"));
  BatchView out;
  TIAODU_RETURN_IF_ERROR(db_.Read([&](db::Tx& tx) -> Status {
    auto b = store::FindBatch(tx, id);
    if (!b) return NotFound("批次不存在");
    out = MakeBatchView(tx, *b);
    return Status::Ok();
  }));
  return out;
}

static std::string BatchSnapshot(const Batch& b) {
  std::string lists;
  for (const auto& e : b.entries) lists += (lists.empty() ? "" : ";") + e.list + ":" + std::to_string(e.project_id);
  auto r = [](const std::optional<Decimal>& d) { return d ? d->ToString() : std::string(); };
  return JsonText().Add("id", b.id).Add("number", b.number).Add("name", b.name)
      .Add("deadline", FormatIsoDate(b.deadline)).Add("closed", b.closed).Add("lists", lists)
      .Add("start_rate", r(b.start_rate)).Add("produce_rate", r(b.produce_rate))
      .Add("effective_rate", r(b.effective_rate)).Add("version", b.version).Build();
}

Result<BatchView> ProjectService::CreateBatch(const auth::Actor& actor, int number, const std::string& name,
                                              const std::string& deadline) {
  TIAODU_RETURN_IF_ERROR(auth::Need(actor, "project.manage"));
  std::vector<Detail> bad;
  if (number < 1 || number > 1000) bad.push_back({"number", "期数应为 1–1000"});
  if (name.empty() || name.size() > 200) bad.push_back({"name", "必填，最多 200 字节"});
  auto dl = ParseIsoDate(deadline);
  if (!dl.ok()) bad.push_back({"deadline", "应为 YYYY-MM-DD 格式的有效日期"});
  if (!bad.empty()) return InvalidArgument("批次信息有误", bad);
  const int64_t now = clock_.NowMillis();
  BatchView out;
  TIAODU_RETURN_IF_ERROR(db_.Write([&](db::Tx& tx) -> Status {
    for (const Batch& b : store::ListBatches(tx))
      if (b.number == number) return Conflict("第" + std::to_string(number) + "期已存在");
    Batch b;
    b.number = number;
    b.name = name;
    b.deadline = *dl;
    b.id = store::InsertBatch(tx, b, now);
    TIAODU_RETURN_IF_ERROR(auth::AppendAudit(tx, auth::MakeAudit(actor, now, "project.batch.create", "project_batch",
                                                                 std::to_string(b.id), {}, BatchSnapshot(b))));
    out = MakeBatchView(tx, *store::FindBatch(tx, b.id));
    return Status::Ok();
  }));
  return out;
}

Result<BatchView> ProjectService::SetBatchLists(const auth::Actor& actor, int64_t id,
                                                const std::vector<Batch::Entry>& entries, int version) {
  TIAODU_RETURN_IF_ERROR(auth::Need(actor, "project.manage"));
  const int64_t now = clock_.NowMillis();
  BatchView out;
  TIAODU_RETURN_IF_ERROR(db_.Write([&](db::Tx& tx) -> Status {
    auto b = store::FindBatch(tx, id);
    if (!b) return NotFound("批次不存在");
    if (b->version != version) return StaleVersion();
    if (b->closed) return FailedPrecondition("批次已关闭，名单不能再修改");
    std::vector<Detail> bad;
    std::set<std::pair<int64_t, std::string>> seen;
    for (const auto& e : entries) {
      if (e.list != "sign" && e.list != "start" && e.list != "produce") bad.push_back({"list", "未知的名单：" + e.list});
      else if (!LoadProject(tx, actor, e.project_id).ok()) bad.push_back({e.list, "项目不存在：" + std::to_string(e.project_id)});
      else if (!seen.insert({e.project_id, e.list}).second) bad.push_back({e.list, "项目重复：" + std::to_string(e.project_id)});
    }
    if (!bad.empty()) return InvalidArgument("名单有误", bad);
    Batch before = *b;
    b->entries = entries;
    if (!store::UpdateBatch(tx, *b)) return StaleVersion();
    auto after = store::FindBatch(tx, id);
    TIAODU_RETURN_IF_ERROR(auth::AppendAudit(tx, auth::MakeAudit(actor, now, "project.batch.lists", "project_batch",
                                                                 std::to_string(id), BatchSnapshot(before), BatchSnapshot(*after))));
    out = MakeBatchView(tx, *after);
    return Status::Ok();
  }));
  return out;
}

Result<BatchView> ProjectService::CloseBatch(const auth::Actor& actor, int64_t id, int version) {
  TIAODU_RETURN_IF_ERROR(auth::Need(actor, "project.manage"));
  const int64_t now = clock_.NowMillis();
  BatchView out;
  TIAODU_RETURN_IF_ERROR(db_.Write([&](db::Tx& tx) -> Status {
    auto b = store::FindBatch(tx, id);
    if (!b) return NotFound("批次不存在");
    if (b->version != version) return StaleVersion();
    if (b->closed) return FailedPrecondition("批次已关闭");
    Batch before = *b;
    BatchView live = MakeBatchView(tx, *b);
    b->closed = true;
    b->sign_rate = live.rates.sign_rate;
    b->start_rate = live.rates.start_rate;
    b->produce_rate = live.rates.produce_rate;
    b->effective_rate = live.rates.effective_rate;
    if (!store::UpdateBatch(tx, *b)) return StaleVersion();
    auto after = store::FindBatch(tx, id);
    TIAODU_RETURN_IF_ERROR(auth::AppendAudit(tx, auth::MakeAudit(actor, now, "project.batch.close", "project_batch",
                                                                 std::to_string(id), BatchSnapshot(before), BatchSnapshot(*after))));
    out = MakeBatchView(tx, *after);
    return Status::Ok();
  }));
  return out;
}

// ---------------------------------------------------------------------------------------
// Battle map, portfolio

Result<std::vector<BattleMapGroup>> ProjectService::BattleMap(const auth::Actor& actor, const std::string& unit_code,
                                                              int year) {
  TIAODU_RETURN_IF_ERROR(auth::Need(actor, "project.read"));
  if (year == 0) year = Today().year;
  std::vector<BattleMapGroup> out;
  TIAODU_RETURN_IF_ERROR(db_.Read([&](db::Tx& tx) -> Status {
    store::ProjectQuery q;
    q.scope_path = actor.system ? "/" : actor.unit_path;
    q.year = year;
    q.page_size = 5000;
    q.sort = "code";
    q.with_plans = false;
    if (!unit_code.empty()) {
      auto u = store::FindUnitByCode(tx, unit_code);
      if (!u || !actor.InScope(u->path)) return NotFound("单位不存在或不在您的管理范围内：" + unit_code);
      q.unit_path = u->path;
    }
    auto rows = store::ListProjects(tx, q, nullptr);
    std::vector<int64_t> ids;
    for (const auto& r : rows) ids.push_back(r.project.id);
    std::map<int64_t, std::vector<Milestone>> ms;
    for (Milestone& m : store::MilestonesOf(tx, ids)) ms[m.project_id].push_back(std::move(m));
    std::map<int64_t, size_t> group_of;
    for (auto& r : rows) {
      auto it = group_of.find(r.project.unit_id);
      if (it == group_of.end()) {
        BattleMapGroup g;
        g.unit = *store::FindUnit(tx, r.project.unit_id);
        out.push_back(std::move(g));
        it = group_of.emplace(r.project.unit_id, out.size() - 1).first;
      }
      out[it->second].milestones.push_back(ms[r.project.id]);
      out[it->second].projects.push_back(std::move(r));
    }
    std::sort(out.begin(), out.end(), [](const BattleMapGroup& a, const BattleMapGroup& b) { return a.unit.path < b.unit.path; });
    return Status::Ok();
  }));
  return out;
}

Result<store::Portfolio> ProjectService::Portfolio(const auth::Actor& actor, const std::string& unit_code,
                                                   const std::string& month, const std::string& level) {
  TIAODU_RETURN_IF_ERROR(auth::Need(actor, "project.read"));
  auto p = Period::Parse(month);
  if (!p.ok() || p->kind() != PeriodKind::kMonth) return InvalidArgument("月份无效：" + month, {{"month", "应为 YYYY-MM"}});
  for (size_t pos = 0; !level.empty() && pos <= level.size();) {
    size_t end = level.find(',', pos);
    if (end == std::string::npos) end = level.size();
    std::string one = level.substr(pos, end - pos);
    if (one != "province" && one != "city" && one != "district")
      return InvalidArgument("未知的项目级别：" + one, {{"level", "应为 province / city / district，可用逗号分隔多个"}});
    pos = end + 1;
  }
  store::Portfolio out;
  TIAODU_RETURN_IF_ERROR(db_.Read([&](db::Tx& tx) -> Status {
    std::string path = actor.system ? "/" : actor.unit_path;
    if (!unit_code.empty()) {
      auto u = store::FindUnitByCode(tx, unit_code);
      if (!u || !actor.InScope(u->path)) return NotFound("单位不存在或不在您的管理范围内：" + unit_code);
      path = u->path;
    }
    out = store::PortfolioOf(tx, path, p->year(), MonthKey(p->year(), 1), MonthKey(p->year(), p->index()), level);
    return Status::Ok();
  }));
  return out;
}

// ---------------------------------------------------------------------------------------
// Spreadsheets: import, export, template

namespace {

// The columns of an import sheet, found by their headers (-1 = absent).
struct ImportColumns {
  int code = -1, name = -1, level = -1, category = -1, industry = -1, chain = -1, unit = -1, leader = -1,
      task_force = -1, location = -1, total = -1, start = -1, end = -1, committed = -1;
  std::vector<std::pair<int, int>> plans;  // (year, column), in column order
};

// One data row as typed, before any reference is resolved.
struct ParsedRow {
  const io::Row* row = nullptr;
  std::string code, name, level, category, industry, chain, unit_code, leader, task_force, location;
  std::optional<Decimal> total;
  int start_year = 0, end_year = 0;
  std::optional<CivilDate> committed;
  std::vector<std::pair<int, std::optional<Decimal>>> plans;  // (year, amount or none)
  std::set<int> bad_columns;  // columns already named in an error of this row
};

// A four-digit year; 0 when the text is not one.
int ParseYearCell(const std::string& t) {
  if (t.size() != 4) return 0;
  int y = 0;
  for (char c : t) {
    if (c < '0' || c > '9') return 0;
    y = y * 10 + (c - '0');
  }
  return y;
}

// "2027-12-31" (also 2027/12/31, 2027.12.31, one-digit months and days, and a date-time at
// midnight as a spreadsheet may give it).
std::optional<CivilDate> ParseDateCell(std::string t) {
  for (const char* midnight : {" 00:00:00", "T00:00:00"})
    if (t.size() > 10 && t.ends_with(midnight)) t.resize(t.size() - 9);
  int parts[3] = {0, 0, 0};
  int k = 0, digits = 0;
  for (char c : t) {
    if (c >= '0' && c <= '9') {
      if (++digits > 4) return std::nullopt;
      parts[k] = parts[k] * 10 + (c - '0');
    } else if ((c == '-' || c == '/' || c == '.') && digits > 0 && k < 2) {
      ++k;
      digits = 0;
    } else {
      return std::nullopt;
    }
  }
  if (k != 2 || digits == 0 || parts[0] < 1000) return std::nullopt;
  CivilDate d{parts[0], parts[1], parts[2]};
  if (!IsValidDate(d)) return std::nullopt;
  return d;
}

// Control characters other than tab and line breaks have no place in a project's text.
bool HasControl(const std::string& s) {
  for (unsigned char c : s)
    if ((c < 0x20 && c != '\t' && c != '\n' && c != '\r') || c == 0x7f) return true;
  return false;
}

bool SameDate(const std::optional<CivilDate>& a, const std::optional<CivilDate>& b) {
  if (!a || !b) return !a && !b;
  return CompareDates(*a, *b) == 0;
}

// The fields an import sets, compared.
bool SameFields(const Project& a, const Project& b) {
  return a.name == b.name && a.level == b.level && a.category == b.category && a.industry == b.industry &&
         a.chain == b.chain && a.unit_id == b.unit_id && a.leader_id == b.leader_id &&
         a.task_force_id == b.task_force_id && a.location == b.location &&
         a.total_investment == b.total_investment && a.start_year == b.start_year && a.end_year == b.end_year &&
         SameDate(a.committed_completion, b.committed_completion) && a.annual_plans == b.annual_plans;
}

constexpr size_t kMaxImportRows = 50000;
constexpr size_t kMaxImportErrors = 200;
constexpr size_t kMaxExportRows = 200000;

}  // namespace

Result<ImportResult> ProjectService::Import(const auth::Actor& actor, const io::Table& table, bool dry_run) {
  TIAODU_RETURN_IF_ERROR(auth::Need(actor, "project.write"));
  ImportColumns c;
  c.code = table.Column({header::kCode, "项目编号", "code"});
  c.name = table.Column({header::kName, "name"});
  c.level = table.Column({header::kLevel, "项目级别", "level"});
  c.category = table.Column({header::kCategory, "项目类别", "category"});
  c.industry = table.Column({header::kIndustry, "行业", "industry"});
  c.chain = table.Column({header::kChain, "chain"});
  c.unit = table.Column({header::kUnit, "单位编码", "unit"});
  c.leader = table.Column({header::kLeader, "leader"});
  c.task_force = table.Column({header::kTaskForce, "专班", "task_force"});
  c.location = table.Column({header::kLocation, "location"});
  c.total = table.Column({header::kTotal, "总投资（亿元）", "总投资", "total_investment"});
  c.start = table.Column({header::kStartYear, "start_year"});
  c.end = table.Column({header::kEndYear, "完工年份", "end_year"});
  c.committed = table.Column({header::kCommitted, "committed_completion"});
  std::vector<Detail> bad;
  std::set<int> plan_years;
  const io::Row header_row{1, table.header};
  for (size_t k = 0; k < table.header.size(); ++k) {
    int y = PlanYearOfHeader(io::Table::Cell(header_row, static_cast<int>(k)));
    if (!y) continue;
    if (!plan_years.insert(y).second)
      bad.push_back({"第1行 " + io::ColumnLetter(static_cast<int>(k)) + "列（表头）",
                     "“" + std::to_string(y) + "年计划投资”列重复"});
    else
      c.plans.emplace_back(y, static_cast<int>(k));
  }
  const std::pair<int, const char*> required[] = {
      {c.code, header::kCode},  {c.name, header::kName},   {c.level, header::kLevel},
      {c.category, header::kCategory}, {c.unit, header::kUnit}, {c.total, header::kTotal},
      {c.start, header::kStartYear},   {c.end, header::kEndYear}};
  for (const auto& [col, name] : required)
    if (col < 0) bad.push_back({"第1行（表头）", std::string("缺少“") + name + "”列"});
  if (!bad.empty()) return InvalidArgument("导入失败：表头不完整，未写入任何数据", bad);
  if (table.rows.empty()) return InvalidArgument("导入失败：文件中没有数据行");
  if (table.rows.size() > kMaxImportRows)
    return InvalidArgument("导入失败：一次最多导入 " + std::to_string(kMaxImportRows) + " 个项目");

  auto where = [](const io::Row& row, int col, const std::string& name) {
    return "第" + std::to_string(row.line) + "行 " + io::ColumnLetter(col) + "列（" + name + "）";
  };
  // Problems in cells, reported in the order of rows and columns (the first kMaxImportErrors).
  struct CellError {
    int line, col;
    Detail detail;
  };
  std::vector<CellError> errors;
  size_t error_count = 0;
  auto add_error = [&](int line, int col, Detail d) {
    if (errors.size() < kMaxImportErrors) errors.push_back({line, col, std::move(d)});
    ++error_count;
  };
  auto fail = [&](ParsedRow& r, int col, const std::string& name, std::string reason) {
    if (!r.bad_columns.insert(col).second) return;
    add_error(r.row->line, col, {where(*r.row, col, name), std::move(reason)});
  };
  auto text = [](const io::Row& row, int col) { return col < 0 ? std::string() : io::Table::Cell(row, col); };

  // 1. Every cell as typed (no database).
  std::vector<ParsedRow> parsed(table.rows.size());
  std::vector<std::string> codes;
  codes.reserve(table.rows.size());
  for (size_t k = 0; k < table.rows.size(); ++k) {
    const io::Row& row = table.rows[k];
    ParsedRow& r = parsed[k];
    r.row = &row;
    r.code = text(row, c.code);
    r.name = text(row, c.name);
    r.industry = text(row, c.industry);
    r.chain = text(row, c.chain);
    r.unit_code = text(row, c.unit);
    r.leader = text(row, c.leader);
    r.task_force = text(row, c.task_force);
    r.location = text(row, c.location);
    if (r.code.empty()) fail(r, c.code, header::kCode, "必填");
    codes.push_back(r.code);
    if (r.name.empty()) fail(r, c.name, header::kName, "必填");
    const std::string level = text(row, c.level), category = text(row, c.category);
    r.level = LevelFromSheet(level);
    if (level.empty()) fail(r, c.level, header::kLevel, "必填");
    else if (r.level.empty()) fail(r, c.level, header::kLevel, "应为 省级、市级 或 区级，现为“" + level + "”");
    r.category = CategoryFromSheet(category);
    if (category.empty()) fail(r, c.category, header::kCategory, "必填");
    else if (r.category.empty())
      fail(r, c.category, header::kCategory, "应为 产业、基础设施、社会民生、城市更新 或 农业农村，现为“" + category + "”");
    if (r.unit_code.empty()) fail(r, c.unit, header::kUnit, "必填");
    if (r.chain.size() > 100) fail(r, c.chain, header::kChain, "过长（最多 100 字节）");
    if (r.location.size() > 200) fail(r, c.location, header::kLocation, "过长（最多 200 字节）");
    for (const auto& [col, value, name] : {std::tuple{c.name, &r.name, header::kName},
                                           std::tuple{c.chain, &r.chain, header::kChain},
                                           std::tuple{c.location, &r.location, header::kLocation}})
      if (HasControl(*value)) fail(r, col, name, "含有控制字符");
    const std::string total = text(row, c.total);
    if (total.empty()) {
      fail(r, c.total, "总投资", "必填");
    } else if (auto d = Decimal::Parse(total); d.ok()) {
      r.total = *d;
    } else {
      fail(r, c.total, "总投资", "不是有效的数值（单位亿元，只填数字）：" + total);
    }
    for (auto [col, out, name] : {std::tuple{c.start, &r.start_year, header::kStartYear},
                                  std::tuple{c.end, &r.end_year, header::kEndYear}}) {
      const std::string t = text(row, col);
      if (t.empty()) fail(r, col, name, "必填");
      else if (!(*out = ParseYearCell(t))) fail(r, col, name, "应为四位年份，如 2026，现为“" + t + "”");
    }
    if (c.committed >= 0) {
      const std::string t = text(row, c.committed);
      if (!t.empty()) {
        r.committed = ParseDateCell(t);
        if (!r.committed) fail(r, c.committed, header::kCommitted, "应为有效日期，如 2027-12-31，现为“" + t + "”");
      }
    }
    for (const auto& [year, col] : c.plans) {
      const std::string t = text(row, col);
      if (t.empty()) {
        r.plans.emplace_back(year, std::nullopt);
      } else if (auto d = Decimal::Parse(t); d.ok()) {
        r.plans.emplace_back(year, *d);
      } else {
        fail(r, col, std::to_string(year) + "年计划投资", "不是有效的数值（单位亿元，只填数字）：" + t);
      }
    }
  }

  // 2. References, the project rules, and what changes — in one transaction with the writes.
  using SteadyClock = std::chrono::steady_clock;
  const auto t0 = SteadyClock::now();
  auto t_checked = t0;
  const int64_t now = clock_.NowMillis();
  const CivilDate today = Today();
  ImportResult result;
  result.rows = static_cast<int>(table.rows.size());
  auto work = [&](db::Tx& tx) -> Status {
    std::unordered_map<std::string, store::UnitRef> units_by_code;
    std::unordered_map<int64_t, const store::UnitRef*> units_by_id;
    for (store::UnitRef& u : store::AllUnits(tx)) {
      std::string code = u.code;
      units_by_code.emplace(std::move(code), std::move(u));
    }
    for (const auto& [code, u] : units_by_code) units_by_id[u.id] = &u;
    const std::vector<store::LeaderRef> leaders = store::Leaders(tx);
    std::unordered_map<std::string, const store::LeaderRef*> leader_by_username;
    std::unordered_map<std::string, std::vector<const store::LeaderRef*>> leaders_by_name;
    for (const auto& l : leaders) {
      leader_by_username[l.username] = &l;
      leaders_by_name[l.name].push_back(&l);
    }
    // The leader a cell names: "姓名（用户名）", a username, or a display name no other leader
    // has (disabled accounts included: the caller decides). nullptr with the reason otherwise.
    auto find_leader = [&](const std::string& t, std::string* why) -> const store::LeaderRef* {
      const store::LeaderRef* l = nullptr;
      auto by_username = [&](const std::string& u) {
        auto it = leader_by_username.find(u);
        if (it != leader_by_username.end()) l = it->second;
      };
      for (std::string_view open : {"（", "("}) {
        const size_t at = t.find(open);
        if (l || at == std::string::npos) continue;
        std::string inner = t.substr(at + open.size());
        for (std::string_view close : {"）", ")"})
          if (inner.ends_with(close)) by_username(inner.substr(0, inner.size() - close.size()));
      }
      if (!l) by_username(t);
      if (!l) {
        auto it = leaders_by_name.find(t);
        if (it != leaders_by_name.end() && it->second.size() > 1) {
          *why = "有多位领导名为“" + t + "”，请填写“姓名（用户名）”";
          return nullptr;
        }
        if (it != leaders_by_name.end()) l = it->second.front();
      }
      if (!l) *why = "联系领导不存在（须为在用的领导账户）：" + t;
      return l;
    };
    const std::map<std::string, Project> existing = store::ProjectsByCodes(tx, codes);
    auto settings = LoadSettings(tx);
    if (!settings.ok()) return settings.status();

    std::unordered_map<std::string, int> first_line;  // code → its first row
    std::vector<Project> inserts;
    std::vector<const Project*> befores;
    std::vector<Project> updates;
    for (ParsedRow& r : parsed) {
      const io::Row& row = *r.row;
      const Project* before = nullptr;
      if (!r.code.empty()) {
        auto [it, fresh] = first_line.emplace(r.code, row.line);
        if (!fresh) {
          fail(r, c.code, header::kCode, "与第" + std::to_string(it->second) + "行的项目编码重复：" + r.code);
          continue;
        }
        auto e = existing.find(r.code);
        if (e != existing.end()) {
          before = &e->second;
          auto u = units_by_id.find(before->unit_id);
          if (u == units_by_id.end() || !actor.InScope(u->second->path)) {
            fail(r, c.code, header::kCode, "已有此编码的项目不在您的管理范围内，不能修改：" + r.code);
            continue;
          }
        }
      }
      Project p = before ? *before : Project();
      p.code = r.code;
      p.name = r.name;
      p.level = r.level;
      p.category = r.category;
      if (c.industry >= 0) p.industry = r.industry;
      if (c.chain >= 0) p.chain = r.chain;
      if (c.location >= 0) p.location = r.location;
      if (r.total) p.total_investment = *r.total;
      p.start_year = r.start_year;
      p.end_year = r.end_year;
      if (c.committed >= 0) p.committed_completion = r.committed;
      for (const auto& [year, amount] : r.plans) {
        if (amount) p.annual_plans[year] = *amount;
        else p.annual_plans.erase(year);
      }
      if (!r.unit_code.empty()) {
        auto u = units_by_code.find(r.unit_code);
        if (u == units_by_code.end() || !actor.InScope(u->second.path))
          fail(r, c.unit, header::kUnit, "责任单位不存在或不在您的管理范围内：" + r.unit_code);
        else
          p.unit_id = u->second.id;
      }
      if (c.task_force >= 0) {
        p.task_force_id.reset();
        if (!r.task_force.empty()) {
          auto u = units_by_code.find(r.task_force);
          if (u == units_by_code.end() || u->second.kind != "task_force")
            fail(r, c.task_force, header::kTaskForce, "专班不存在：" + r.task_force);
          else
            p.task_force_id = u->second.id;
        }
      }
      if (c.leader >= 0) {
        p.leader_id.reset();
        if (!r.leader.empty()) {
          std::string why;
          const store::LeaderRef* l = find_leader(r.leader, &why);
          // A disabled account is no new choice, but a project keeps the leader it has.
          if (l && l->disabled && !(before && before->leader_id == l->id)) {
            why = "联系领导的账户已停用：" + r.leader;
            l = nullptr;
          }
          if (l) p.leader_id = l->id;
          else fail(r, c.leader, header::kLeader, why);
        }
      }
      if (Status s = CheckProject(p); !s.ok()) {
        // Not what follows from a cell already named (a year that is no year makes every
        // plan fall outside the years).
        const bool years_typed_bad = r.bad_columns.count(c.start) || r.bad_columns.count(c.end);
        bool years_bad = years_typed_bad;
        for (const Detail& d : s.details()) years_bad |= d.field == "start_year" || d.field == "end_year";
        for (const Detail& d : s.details()) {
          if (years_typed_bad && (d.field == "start_year" || d.field == "end_year")) continue;
          if (years_bad && d.field == "committed_completion") continue;
          if (d.field.starts_with("annual_plans.") && years_bad) {
            auto plan = p.annual_plans.find(std::atoi(d.field.c_str() + 13));
            if (plan == p.annual_plans.end() || !plan->second.IsNegative()) continue;
          }
          if (d.field == "annual_plans" && r.bad_columns.count(c.total)) continue;
          int col = -1;
          std::string name;
          if (d.field == "code") col = c.code, name = header::kCode;
          else if (d.field == "name") col = c.name, name = header::kName;
          else if (d.field == "level") col = c.level, name = header::kLevel;
          else if (d.field == "category") col = c.category, name = header::kCategory;
          else if (d.field == "industry") col = c.industry, name = header::kIndustry;
          else if (d.field == "total_investment") col = c.total, name = "总投资";
          else if (d.field == "start_year") col = c.start, name = header::kStartYear;
          else if (d.field == "end_year") col = c.end, name = header::kEndYear;
          else if (d.field == "committed_completion") col = c.committed, name = header::kCommitted;
          else if (d.field.starts_with("annual_plans")) {
            int year = d.field.size() > 13 ? std::atoi(d.field.c_str() + 13) : 0;
            for (const auto& [y, pc] : c.plans)
              if (y == year || (year == 0 && col < 0)) col = pc, name = std::to_string(y) + "年计划投资";
            if (col < 0 && year == 0) col = c.total, name = "总投资";
          }
          if (col < 0) {
            // A plan of a year the sheet has no column for (kept from before).
            add_error(row.line, -1, {"第" + std::to_string(row.line) + "行", d.reason});
            r.bad_columns.insert(-1);
            continue;
          }
          if (r.bad_columns.count(col)) continue;  // already named for what was typed
          fail(r, col, name, d.reason);
        }
      }
      if (!r.bad_columns.empty() || error_count) continue;  // nothing more to plan
      if (before && SameFields(*before, p)) {
        result.unchanged++;
      } else if (before) {
        p.updated_at = now;
        befores.push_back(before);
        updates.push_back(std::move(p));
      } else {
        p.stage = "planning";
        p.stage_dates.clear();
        p.archived = false;
        p.version = 1;
        p.created_at = p.updated_at = now;
        inserts.push_back(std::move(p));
      }
    }
    if (error_count) {
      std::stable_sort(errors.begin(), errors.end(), [](const CellError& a, const CellError& b) {
        return a.line != b.line ? a.line < b.line : a.col < b.col;
      });
      for (CellError& e : errors) bad.push_back(std::move(e.detail));
      if (error_count > errors.size())
        bad.push_back({"其余", "另有 " + std::to_string(error_count - errors.size()) + " 处错误未列出"});
      return InvalidArgument("导入失败：共 " + std::to_string(error_count) + " 处错误，未写入任何数据", bad);
    }
    result.inserted = static_cast<int>(inserts.size());
    result.updated = static_cast<int>(updates.size());
    t_checked = SteadyClock::now();
    if (dry_run || (inserts.empty() && updates.empty())) return Status::Ok();

    // 3. The writes: a few multi-row statements.
    store::InsertProjects(tx, inserts);
    if (!store::UpdateProjects(tx, updates)) return StaleVersion();
    // The audit records need only the projects (now with their ids): their snapshots and the
    // hash chain after the current head are built on a second thread while the yearly figures
    // are computed and written here; then they are inserted. The same records, in the same
    // order, as AppendAuditBatch would write.
    const store::AuditHead head = store::LockAuditChain(tx);
    std::future<std::vector<auth::AuditEntry>> audit_built = std::async(std::launch::async, [&] {
      std::vector<auth::AuditEntry> audit;
      audit.reserve(inserts.size() + updates.size() + 1);
      for (const Project& p : inserts)
        audit.push_back(auth::MakeAudit(actor, now, "project.create", "project", std::to_string(p.id), {}, Snapshot(p)));
      for (size_t k = 0; k < updates.size(); ++k) {
        Project after = updates[k];
        after.version = befores[k]->version + 1;
        audit.push_back(auth::MakeAudit(actor, now, "project.update", "project", std::to_string(after.id),
                                        Snapshot(*befores[k]), Snapshot(after)));
      }
      audit.push_back(auth::MakeAudit(actor, now, "project.import", "project", "*", {},
                                      JsonText()
                                          .Add("rows", result.rows)
                                          .Add("inserted", result.inserted)
                                          .Add("updated", result.updated)
                                          .Add("unchanged", result.unchanged)
                                          .Build()));
      store::ChainAudit(head, audit);
      return audit;
    });
    std::vector<ProjectYear> fresh_years;
    for (const Project& p : inserts)
      for (ProjectYear& y : ComputeYears(p, {}, {}, 0, today, *settings)) fresh_years.push_back(std::move(y));
    store::UpsertYears(tx, fresh_years, true);
    if (!updates.empty()) {
      std::vector<int64_t> ids;
      for (const Project& p : updates) ids.push_back(p.id);
      std::unordered_map<int64_t, std::vector<Milestone>> milestones;
      for (size_t start = 0; start < ids.size(); start += 500) {
        std::vector<int64_t> chunk(ids.begin() + start, ids.begin() + std::min(ids.size(), start + 500));
        for (Milestone& m : store::MilestonesOf(tx, chunk)) milestones[m.project_id].push_back(std::move(m));
      }
      std::unordered_map<int64_t, std::vector<Progress>> progress;
      for (Progress& g : store::ProgressOfMany(tx, ids)) progress[g.project_id].push_back(std::move(g));
      const std::map<int64_t, int> open = store::OpenProblemCounts(tx, ids);
      std::vector<ProjectYear> years;
      for (const Project& p : updates) {
        auto o = open.find(p.id);
        for (ProjectYear& y : ComputeYears(p, milestones[p.id], progress[p.id], o == open.end() ? 0 : o->second,
                                           today, *settings))
          years.push_back(std::move(y));
      }
      store::UpsertYears(tx, years, false);
    }
    store::InsertAudit(tx, audit_built.get());
    return Status::Ok();
  };
  Status s = dry_run ? db_.Read(work) : db_.Write(work);
  if (!s.ok()) return s;
  auto ms = [](auto d) { return std::chrono::duration<double, std::milli>(d).count(); };
  result.check_ms = ms(t_checked - t0);
  result.write_ms = ms(SteadyClock::now() - t_checked);
  return result;
}

Result<io::Sheet> ProjectService::ExportSheet(const auth::Actor& actor, store::ProjectQuery q,
                                              const std::string& unit_code) {
  TIAODU_RETURN_IF_ERROR(auth::Need(actor, "project.read"));
  TIAODU_RETURN_IF_ERROR(CheckListQuery(q));
  if (q.year == 0) q.year = Today().year;
  q.page = 1;
  q.page_size = static_cast<int>(kMaxExportRows);
  q.with_plans = true;
  std::vector<store::ProjectRow> rows;
  std::vector<store::LeaderRef> leaders;
  TIAODU_RETURN_IF_ERROR(db_.Read([&](db::Tx& tx) -> Status {
    leaders = store::Leaders(tx);
    if (!ListScope(tx, actor, unit_code, q.scope_path, q.unit_path)) return Status::Ok();  // nothing visible
    rows = store::ListProjects(tx, q, nullptr);
    return Status::Ok();
  }));
  std::set<int> years{q.year};
  for (const auto& r : rows)
    for (const auto& [y, a] : r.project.annual_plans) years.insert(y);
  const std::vector<int> plan_years(years.begin(), years.end());
  const auto labels = LeaderLabels(leaders);
  io::Sheet sheet;
  sheet.name = "重点项目";
  sheet.columns = ProjectColumns(plan_years);
  sheet.rows.reserve(rows.size());
  for (const auto& r : rows) {
    auto l = r.project.leader_id ? labels.find(*r.project.leader_id) : labels.end();
    sheet.rows.push_back(ProjectCells(r, plan_years, l == labels.end() ? r.leader_name : l->second));
  }
  return sheet;
}

Result<io::Sheet> ProjectService::TemplateSheet(const auth::Actor& actor) {
  TIAODU_RETURN_IF_ERROR(auth::Need(actor, "project.write"));
  const int year = Today().year;
  store::Options options;
  std::vector<store::LeaderRef> leaders;
  TIAODU_RETURN_IF_ERROR(db_.Read([&](db::Tx& tx) {
    options = store::FormOptions(tx, actor.system ? "/" : actor.unit_path);
    leaders = store::Leaders(tx);
    return Status::Ok();
  }));
  io::Sheet sheet;
  sheet.name = "重点项目";
  sheet.columns = ProjectColumns({year});
  const auto labels = LeaderLabels(leaders);
  for (io::SheetColumn& col : sheet.columns) {
    if (col.header == header::kLeader)
      for (const auto& l : options.leaders) col.choices.push_back(labels.count(l.id) ? labels.at(l.id) : l.name);
    if (col.header == header::kTaskForce)
      for (const auto& t : options.task_forces) col.choices.push_back(t.code);
  }
  const std::string y = std::to_string(year), next = std::to_string(year + 1);
  std::vector<std::string> example = {"EX" + y + "-001", "卧龙区新能源汽车零部件产业园项目", "市级", "产业", "C36",
                                      "新能源汽车", "411303", "卧龙区", "", "", "卧龙区光武路与车站路交叉口东南",
                                      "12.5", y, next, next + "-12-31", "4"};
  example.resize(sheet.columns.size());
  sheet.rows = {example};
  return sheet;
}

// ---------------------------------------------------------------------------------------
// Settings, refresh, bulk

Result<store::Options> ProjectService::FormOptions(const auth::Actor& actor) {
  TIAODU_RETURN_IF_ERROR(auth::Need(actor, "project.read"));
  store::Options out;
  TIAODU_RETURN_IF_ERROR(db_.Read([&](db::Tx& tx) {
    out = store::FormOptions(tx, actor.system ? "/" : actor.unit_path);
    return Status::Ok();
  }));
  return out;
}

Result<SettingsView> ProjectService::GetSettings(const auth::Actor& actor) {
  TIAODU_RETURN_IF_ERROR(auth::Need(actor, "project.read"));
  SettingsView v;
  TIAODU_RETURN_IF_ERROR(db_.Read([&](db::Tx& tx) {
    auto row = db::GetSetting(tx, kSettingsKey);
    v.settings = row ? SettingsFromText(row->value) : DefaultSettings();
    v.version = row ? row->version : 1;
    return Status::Ok();
  }));
  return v;
}

Result<SettingsView> ProjectService::PutSettings(const auth::Actor& actor, const Settings& s, int version) {
  TIAODU_RETURN_IF_ERROR(auth::Need(actor, "project.manage"));
  std::vector<Detail> bad;
  if (s.lag_gap.IsNegative() || s.lag_gap > Decimal::FromInt(100)) bad.push_back({"lag_gap", "应为 0–100"});
  if (s.serious_gap < s.lag_gap || s.serious_gap > Decimal::FromInt(100))
    bad.push_back({"serious_gap", "应不小于滞后阈值且不超过 100"});
  if (s.serious_overdue_days < 1 || s.serious_overdue_days > 3650) bad.push_back({"serious_overdue_days", "应为 1–3650"});
  for (const auto& [cat, steps] : s.durations) {
    if (CategoryName(cat) == cat) bad.push_back({"durations", "未知的项目类别：" + cat});
    for (const auto& st : steps)
      if (st.name.empty() || st.days < 1 || st.days > 3650 || st.name.find_first_of("|:\n") != std::string::npos)
        bad.push_back({"durations", "节点名称或工期无效：" + st.name});
  }
  if (!bad.empty()) return InvalidArgument("配置有误", bad);
  const int64_t now = clock_.NowMillis();
  SettingsView out;
  TIAODU_RETURN_IF_ERROR(db_.Write([&](db::Tx& tx) -> Status {
    auto row = db::GetSetting(tx, kSettingsKey);
    if (version != (row ? row->version : 1)) return StaleVersion();
    std::string before = row ? row->value : SettingsToText(DefaultSettings());
    if (!db::PutSetting(tx, kSettingsKey, SettingsToText(s), row ? row->version : 0, now)) return StaleVersion();
    auto after = db::GetSetting(tx, kSettingsKey);
    out.settings = SettingsFromText(after->value);
    out.version = after->version;
    return auth::AppendAudit(tx, auth::MakeAudit(actor, now, "project.settings", "settings", kSettingsKey,
                                                 JsonText().Add("value", before).Build(),
                                                 JsonText().Add("value", after->value).Build()));
  }));
  auto n = RefreshAll(Today());
  if (!n.ok()) return n.status();
  return out;
}

Result<int> ProjectService::RefreshAll(const CivilDate& today) {
  // In transactions of 200 projects, so that other writers wait milliseconds, not seconds.
  std::vector<int64_t> ids;
  TIAODU_RETURN_IF_ERROR(db_.Read([&](db::Tx& tx) {
    ids = store::AllProjectIds(tx);
    return Status::Ok();
  }));
  constexpr size_t kChunk = 200;
  for (size_t start = 0; start < ids.size(); start += kChunk) {
    TIAODU_RETURN_IF_ERROR(db_.Write([&](db::Tx& tx) -> Status {
      auto settings = LoadSettings(tx);
      if (!settings.ok()) return settings.status();
      for (size_t k = start; k < ids.size() && k < start + kChunk; ++k) {
        Status s = Refresh(tx, ids[k], today, *settings);
        if (!s.ok() && s.code() != Code::kNotFound) return s;  // deleted meanwhile: nothing to do
      }
      return Status::Ok();
    }));
  }
  return static_cast<int>(ids.size());
}

Status ProjectService::LoadBulk(const auth::Actor& system, const std::vector<Project>& projects,
                                const std::vector<Milestone>& milestones, const std::vector<Progress>& progress,
                                const std::vector<Problem>& problems) {
  if (!system.system) return PermissionDenied();
  const int64_t now = clock_.NowMillis();
  const CivilDate today = Today();
  return db_.Write([&](db::Tx& tx) -> Status {
    std::vector<int64_t> ids;
    ids.reserve(projects.size());
    for (const Project& p : projects) {
      TIAODU_RETURN_IF_ERROR(CheckProject(p));
      if (store::FindProjectByCode(tx, p.code)) return Conflict("项目编码已存在：" + p.code);
      Project copy = p;
      copy.created_at = copy.updated_at = now;
      ids.push_back(store::InsertProject(tx, copy));
    }
    std::map<int64_t, std::vector<Milestone>> ms;
    for (Milestone m : milestones) {
      m.project_id = ids.at(static_cast<size_t>(m.project_id));
      ms[m.project_id].push_back(m);
    }
    for (const auto& [pid, list] : ms) store::ReplaceMilestones(tx, pid, list);
    std::vector<Progress> pg = progress;
    for (Progress& g : pg) g.project_id = ids.at(static_cast<size_t>(g.project_id));
    store::InsertProgressBulk(tx, pg);
    for (Problem pr : problems) {
      pr.project_id = ids.at(static_cast<size_t>(pr.project_id));
      int64_t pid = store::InsertProblem(tx, pr);
      if (pr.escalated_to || pr.state != "open") {
        pr.id = pid;
        pr.version = 1;
        store::UpdateProblem(tx, pr);
      }
    }
    auto settings = LoadSettings(tx);
    if (!settings.ok()) return settings.status();
    for (int64_t id : ids) TIAODU_RETURN_IF_ERROR(Refresh(tx, id, today, *settings));
    return auth::AppendAudit(tx, auth::MakeAudit(system, now, "project.load", "project", "*", {},
                                                 JsonText().Add("projects", static_cast<int64_t>(projects.size()))
                                                     .Add("progress", static_cast<int64_t>(progress.size())).Build()));
  });
}

}  // namespace tiaodu::projects
