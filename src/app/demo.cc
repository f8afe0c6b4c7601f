#include "app/demo.h"

#include <algorithm>
#include <chrono>
#include <map>
#include <set>

#include "app/demo_indicators.h"
#include "app/demo_investment.h"
#include "app/demo_projects.h"
#include "app/demo_assessment.h"
#include "app/demo_benefits.h"
#include "app/demo_supervision.h"
#include "app/demo_supervision_province.h"
#include "base/period.h"
#include "auth/crypto.h"
#include "auth/rules.h"

namespace tiaodu::app {
namespace {

struct UnitSeed {
  const char* code;
  const char* name;
  const char* kind;
  const char* parent;  // parent code
};

// Nanyang's administrative units (GB/T 2260) and functional zones (internal codes), then a
// few departments, and towns/streets in each county-level unit (internal codes).
const std::vector<UnitSeed>& Seeds() {
  static const std::vector<UnitSeed> kSeeds = {
      {"411302", "宛城区", "district", "411300"},
      {"411303", "卧龙区", "district", "411300"},
      {"411321", "南召县", "county", "411300"},
      {"411322", "方城县", "county", "411300"},
      {"411323", "西峡县", "county", "411300"},
      {"411324", "镇平县", "county", "411300"},
      {"411325", "内乡县", "county", "411300"},
      {"411326", "淅川县", "county", "411300"},
      {"411327", "社旗县", "county", "411300"},
      {"411328", "唐河县", "county", "411300"},
      {"411329", "新野县", "county", "411300"},
      {"411330", "桐柏县", "county", "411300"},
      {"411381", "邓州市", "county_city", "411300"},
      {"Z411371", "南阳高新技术产业开发区", "zone", "411300"},
      {"Z411372", "南阳市城乡一体化示范区", "zone", "411300"},
      {"Z411373", "南阳官庄工区", "zone", "411300"},
      {"Z411374", "南阳鸭河工区", "zone", "411300"},
      // City departments.
      {"D411300-TJJ", "南阳市统计局", "department", "411300"},
      {"D411300-FGW", "南阳市发展和改革委员会", "department", "411300"},
      {"D411300-ZSJ", "南阳市投资促进中心", "department", "411300"},
      {"D411300-DCS", "南阳市委督查室", "department", "411300"},
      {"D411300-ZDXM", "南阳市重点项目建设推进专班", "task_force", "411300"},
      // District departments and towns/streets.
      {"D411302-TJJ", "宛城区统计局", "department", "411302"},
      {"D411302-FGW", "宛城区发展和改革委员会", "department", "411302"},
      {"T411302-01", "新华街道", "town", "411302"},
      {"T411302-02", "瓦店镇", "town", "411302"},
      {"T411302-03", "红泥湾镇", "town", "411302"},
      {"D411303-TJJ", "卧龙区统计局", "department", "411303"},
      {"T411303-01", "七一街道", "town", "411303"},
      {"T411303-02", "石桥镇", "town", "411303"},
      {"T411303-03", "潦河镇", "town", "411303"},
      {"T411321-01", "城关镇", "town", "411321"},
      {"T411321-02", "云阳镇", "town", "411321"},
      {"T411322-01", "凤瑞街道", "town", "411322"},
      {"T411322-02", "博望镇", "town", "411322"},
      {"T411323-01", "白羽街道", "town", "411323"},
      {"T411323-02", "丁河镇", "town", "411323"},
      {"T411324-01", "涅阳街道", "town", "411324"},
      {"T411324-02", "石佛寺镇", "town", "411324"},
      {"T411325-01", "城关镇", "town", "411325"},
      {"T411325-02", "马山口镇", "town", "411325"},
      {"T411326-01", "龙城街道", "town", "411326"},
      {"T411326-02", "香花镇", "town", "411326"},
      {"T411327-01", "赊店镇", "town", "411327"},
      {"T411327-02", "桥头镇", "town", "411327"},
      {"T411328-01", "滨河街道", "town", "411328"},
      {"T411328-02", "源潭镇", "town", "411328"},
      {"T411329-01", "汉城街道", "town", "411329"},
      {"T411329-02", "歪子镇", "town", "411329"},
      {"T411330-01", "城郊乡", "town", "411330"},
      {"T411330-02", "淮源镇", "town", "411330"},
      {"T411381-01", "花洲街道", "town", "411381"},
      {"T411381-02", "穰东镇", "town", "411381"},
  };
  return kSeeds;
}

struct UserSeed {
  const char* username;
  const char* display_name;
  const char* role;
  const char* unit_code;
};

const std::vector<UserSeed>& DemoUsers() {
  static const std::vector<UserSeed> kUsers = {
      {"leader", "王市长", "leader", "411300"},
      {"leader_wancheng", "李区长", "leader", "411302"},
      {"stat", "赵统计", "statistician", "D411300-TJJ"},
      {"stat_wancheng", "钱统计", "statistician", "411302"},
      {"project", "孙项目", "project_office", "D411300-FGW"},
      {"invest", "周招商", "investment_officer", "D411300-ZSJ"},
      {"invest_wolong", "吴招商", "investment_officer", "411303"},
      {"supervisor", "吴督查", "supervisor", "D411300-DCS"},
      {"reporter_town", "郑填报", "reporter", "T411302-02"},
      {"reporter_fgw", "何办理", "reporter", "D411300-FGW"},
      {"reporter_wancheng", "林办理", "reporter", "411302"},
      {"supervisor_wancheng", "郭督查", "supervisor", "411302"},
      {"sysadmin_wancheng", "冯管理", "sys_admin", "411302"},
      {"secadmin", "陈安全", "security_admin", "411300"},
      {"auditor", "褚审计", "audit_admin", "411300"},
  };
  return kUsers;
}

}  // namespace

std::string RandomPassword() { return "Td" + auth::RandomHex(6) + "#" + auth::RandomHex(2); }

Result<CreatedUser> InitInstallation(Services& s, const std::string& password) {
  auth::Actor sys = SystemActor();
  auto root = s.org->Ensure(sys, {"411300", "南阳市", "city", 0});
  if (!root.ok()) return root.status();
  // Keep an existing admin's password unless one is given explicitly.
  std::optional<auth::User> existing;
  auto page = s.auth->ListUsers(sys, auth::UserQuery{"admin", "sys_admin", 0, 1, 10});
  if (!page.ok()) return page.status();
  for (const auth::User& u : page->items)
    if (u.username == "admin") existing = u;
  CreatedUser out{"admin", "系统管理员", root->name, {}};
  if (existing && password.empty()) return out;
  std::string pw = password.empty() ? RandomPassword() : password;
  TIAODU_RETURN_IF_ERROR(s.indicators->EnsureCatalog(sys, SeedCatalog()));
  auto admin = s.auth->EnsureAdmin(sys, root->id, pw);
  if (!admin.ok()) return admin.status();
  out.password = pw;
  return out;
}

Result<std::vector<CreatedUser>> LoadDemo(Services& s, const std::string& password) {
  auth::Actor sys = SystemActor();
  auto root = s.org->Ensure(sys, {"411300", "南阳市", "city", 0});
  if (!root.ok()) return root.status();
  for (const UnitSeed& u : Seeds()) {
    auto parent = s.org->FindByCode(u.parent);
    if (!parent.ok()) return parent.status();
    auto made = s.org->Ensure(sys, {u.code, u.name, u.kind, parent->id});
    if (!made.ok()) return made.status();
  }
  TIAODU_RETURN_IF_ERROR(s.indicators->EnsureCatalog(sys, SeedCatalog()));
  auto loaded = LoadIndicatorDemo(s);
  if (!loaded.ok()) return loaded.status();
  std::vector<CreatedUser> out;
  for (const UserSeed& u : DemoUsers()) {
    auto unit = s.org->FindByCode(u.unit_code);
    if (!unit.ok()) return unit.status();
    std::string pw = password.empty() ? RandomPassword() : password;
    auto made = s.auth->EnsureUser(sys, {u.username, u.display_name, u.role, unit->id, pw});
    if (!made.ok()) return made.status();
    const auth::RoleInfo* role = auth::FindRole(u.role);
    out.push_back({u.username, role ? role->name_zh : u.role, unit->name,
                   made->second ? pw : std::string()});
  }
  auto projects = LoadProjectDemo(s);
  if (!projects.ok()) return projects.status();
  auto investment = LoadInvestmentDemo(s);
  if (!investment.ok()) return investment.status();
  auto supervision = LoadSupervisionDemo(s);
  if (!supervision.ok()) return supervision.status();
  auto assessment = LoadAssessmentDemo(s);
  if (!assessment.ok()) return assessment.status();
  auto benefits = LoadBenefitsDemo(s);
  if (!benefits.ok()) return benefits.status();
  return out;
}

namespace {

bool HasIndicatorValues(Services& s) {
  indicators::store::ValueQuery q;
  q.page_size = 1;
  auto page = s.indicators->ListValues(SystemActor(), "", "", q);
  return page.ok() && page->total > 0;
}

// Demo values → stored values (published), resolving indicator codes.
Result<std::vector<indicators::Value>> ToValues(Services& s, const std::vector<DemoValue>& demo,
                                                int64_t now) {
  auto catalog = s.indicators->ListIndicators(SystemActor(), "", true);
  if (!catalog.ok()) return catalog.status();
  std::map<std::string, int64_t> ids;
  for (const auto& i : *catalog) ids[i.code] = i.id;
  std::vector<indicators::Value> out;
  out.reserve(demo.size());
  for (const DemoValue& d : demo) {
    auto it = ids.find(d.indicator);
    if (it == ids.end()) return Internal("演示数据引用了未知指标：" + d.indicator);
    indicators::Value v;
    v.unit_id = d.unit_id;
    v.indicator_id = it->second;
    v.period = d.period;
    v.value = d.value;
    v.reported_yoy = d.reported_yoy;
    v.status = indicators::kPublished;
    v.updated_at = now;
    out.push_back(std::move(v));
  }
  return out;
}

}  // namespace

Result<int64_t> LoadIndicatorDemo(Services& s) {
  if (HasIndicatorValues(s)) return 0;
  auth::Actor sys = SystemActor();
  org::UnitQuery q;
  q.page_size = 100000;
  auto units = s.org->List(sys, q);
  if (!units.ok()) return units.status();
  std::vector<DemoUnit> demo_units;
  for (const org::Unit& u : units->items) {
    if (u.kind == "department" || u.kind == "task_force") continue;
    demo_units.push_back({u.id, u.code, u.name, u.parent_id.value_or(0)});
  }
  auto demo_values = GenerateIndicatorValues(demo_units, SeedCatalog(), 2022, 2024, 2024);
  // 2024 targets of the city's children, so the board shows time progress: budget revenue
  // by value (a little above or below the year's outcome), GDP and retail by growth (保6争7,
  // 保5.5争6.5 — the growth targets a Henan prefecture typically sets).
  std::map<int64_t, std::string> code_of;
  int64_t city_id = 0;
  for (const DemoUnit& u : demo_units) {
    code_of[u.id] = u.code;
    if (u.code == "411300") city_id = u.id;
  }
  int k = 0;
  for (const DemoValue& v : demo_values) {
    if (v.period != "2024-12" || v.indicator != "budget_revenue") continue;
    const DemoUnit* unit = nullptr;
    for (const DemoUnit& u : demo_units)
      if (u.id == v.unit_id) unit = &u;
    if (!unit || unit->parent_id != city_id) continue;
    // Targets between 92% and 108% of the outcome, so some units end ahead and some behind.
    static const int kPercent[] = {92, 96, 100, 104, 108, 98, 102};
    auto target = v.value.Mul(Decimal::FromInt(kPercent[k++ % 7])).value_or(v.value).Div(Decimal::FromInt(100));
    if (!target.ok()) continue;
    indicators::IndicatorService::TargetEdit e;
    e.unit = unit->code;
    e.year = 2024;
    e.indicator = "budget_revenue";
    e.value = target->Format(2);
    auto made = s.indicators->PutTarget(sys, e);
    if (!made.ok()) return made.status();
    e.value.reset();
    e.indicator = "gdp";
    e.growth_floor = "6";
    e.growth_stretch = "7";
    if (auto g = s.indicators->PutTarget(sys, e); !g.ok()) return g.status();
    e.indicator = "retail_sales";
    e.growth_floor = "5.5";
    e.growth_stretch = "6.5";
    if (auto g = s.indicators->PutTarget(sys, e); !g.ok()) return g.status();
  }
  auto values = ToValues(s, demo_values, s.clock.NowMillis());
  if (!values.ok()) return values.status();
  TIAODU_RETURN_IF_ERROR(s.indicators->LoadValues(sys, *values));
  return static_cast<int64_t>(values->size());
}

Result<ProvinceLoad> LoadProvince(Services& s, int units, int indicators, int months) {
  if (HasIndicatorValues(s)) return FailedPrecondition("数据库中已有指标数据，请使用新的数据库");
  auth::Actor sys = SystemActor();
  ProvinceLoad out;
  auto t0 = std::chrono::steady_clock::now();
  ProvinceData data = GenerateProvince(units, indicators, months, 2024, 2024);
  auto t1 = std::chrono::steady_clock::now();
  out.generate_seconds = std::chrono::duration<double>(t1 - t0).count();
  TIAODU_RETURN_IF_ERROR(s.indicators->EnsureCatalog(sys, data.catalog));
  // Units: the generator's ids are positions; the database assigns its own.
  std::map<int64_t, int64_t> id_of;
  for (DemoUnit& u : data.units) {
    int64_t parent = u.parent_id ? id_of.at(u.parent_id) : 0;
    auto made = s.org->Ensure(sys, {u.code, u.name, "zone", parent});
    if (!made.ok()) return made.status();
    id_of[u.id] = made->id;
  }
  for (DemoValue& v : data.values) v.unit_id = id_of.at(v.unit_id);
  auto values = ToValues(s, data.values, s.clock.NowMillis());
  if (!values.ok()) return values.status();
  TIAODU_RETURN_IF_ERROR(s.indicators->LoadValues(sys, *values));
  out.load_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t1).count();
  // Key projects: 20,000 with 60 months of progress. The first unit passed gets exactly 500
  // projects: make it a county (a leaf), so that unit's battle map holds those 500.
  std::vector<DemoUnit> project_units;
  for (const DemoUnit& u : data.units)
    if (u.parent_id != 0) project_units.push_back({id_of.at(u.id), u.code, u.name, id_of.at(u.parent_id)});
  auto leaf = std::find_if(project_units.begin(), project_units.end(), [&](const DemoUnit& u) {
    for (const DemoUnit& x : data.units)
      if (x.parent_id != 0 && id_of.at(x.parent_id) == u.id) return false;
    return true;
  });
  if (leaf != project_units.end()) std::rotate(project_units.begin(), leaf, leaf + 1);
  auto t2 = std::chrono::steady_clock::now();
  DemoProjects projects = GenerateProvinceProjects(project_units, 20000, 60, ToCivil(s.clock.NowMillis()), 2024);
  TIAODU_RETURN_IF_ERROR(s.projects->LoadBulk(sys, projects.projects, projects.milestones, projects.progress, projects.problems));
  out.projects = static_cast<int64_t>(projects.projects.size());
  out.project_progress = static_cast<int64_t>(projects.progress.size());
  out.project_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t2).count();
  out.busiest_unit = project_units.front().code;
  // 招商引资: 100,000 leads over the same units (the busiest county gets 5,000), with
  // companies, chains, contracts, inspections and targets.
  auto t3 = std::chrono::steady_clock::now();
  investment::BulkData leads = GenerateProvinceInvestment(project_units, 100000, ToCivil(s.clock.NowMillis()), 2024);
  TIAODU_RETURN_IF_ERROR(s.investment->LoadBulk(sys, leads));
  out.leads = static_cast<int64_t>(leads.leads.size());
  out.lead_contracts = static_cast<int64_t>(leads.contracts.size());
  out.companies = static_cast<int64_t>(leads.companies.size());
  out.investment_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t3).count();
  // 督查督办: 20,000 tasks assigned by a supervisor at the root over the last ~60 working days
  // to the same units (the busiest county gets 500), as they stand at now.
  const int64_t root_id = id_of.at(data.units.front().id);
  auto supervisor = s.auth->EnsureUser(sys, {"supervisor_p000", "省督查员", "supervisor", root_id, RandomPassword()});
  if (!supervisor.ok()) return supervisor.status();
  supervision::BulkData tasks =
      GenerateProvinceSupervision(project_units, root_id, supervisor->first.id, 20000, s.clock.NowMillis(), 2024);
  auto t4 = std::chrono::steady_clock::now();
  TIAODU_RETURN_IF_ERROR(s.supervision->LoadBulk(sys, tasks));
  out.supervision_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t4).count();
  out.tasks = static_cast<int64_t>(tasks.tasks.size());
  for (const auto& e : tasks.events) out.task_events += static_cast<int64_t>(e.size());
  for (const auto& f : tasks.files) out.task_files += static_cast<int64_t>(f.size());
  auto board = s.supervision->GetBoard(sys, data.units.front().code);
  if (!board.ok()) return board.status();
  out.tasks_green = board->green;
  out.tasks_yellow = board->yellow;
  out.tasks_red = board->red;
  out.tasks_open = board->green + board->yellow + board->red;
  for (const auto& [state, n] : board->states)
    out.task_states += (out.task_states.empty() ? "" : " ") + state + ":" + std::to_string(n);
  auto scheme = LoadProvinceAssessment(s, data.units.front().code, data.catalog.front().code);
  if (!scheme.ok()) return scheme.status();
  out.units = static_cast<int64_t>(data.units.size());
  out.indicators = static_cast<int64_t>(data.catalog.size());
  out.values = static_cast<int64_t>(values->size());
  return out;
}

namespace {

// The units the demo generators work on: governments, zones and towns (not departments or
// task forces), as DemoUnits.
Result<std::vector<DemoUnit>> ReportingUnits(Services& s, std::vector<int64_t>* task_forces) {
  org::UnitQuery q;
  q.page_size = 100000;
  auto units = s.org->List(SystemActor(), q);
  if (!units.ok()) return units.status();
  std::vector<DemoUnit> out;
  for (const org::Unit& u : units->items) {
    if (u.kind == "task_force" && task_forces) task_forces->push_back(u.id);
    if (u.kind == "department" || u.kind == "task_force") continue;
    out.push_back({u.id, u.code, u.name, u.parent_id.value_or(0)});
  }
  return out;
}

}  // namespace

Result<int64_t> LoadProjectDemo(Services& s) {
  auth::Actor sys = SystemActor();
  auto existing = s.projects->List(sys, {}, "");
  if (!existing.ok()) return existing.status();
  if (existing->total > 0) return 0;
  std::vector<int64_t> task_forces;
  auto units = ReportingUnits(s, &task_forces);
  if (!units.ok()) return units.status();
  std::vector<int64_t> leaders;
  auto users = s.auth->ListUsers(sys, auth::UserQuery{"", "leader", 0, 1, 500});
  if (!users.ok()) return users.status();
  for (const auth::User& u : users->items) leaders.push_back(u.id);
  const CivilDate today = ToCivil(s.clock.NowMillis());
  DemoProjects demo = GenerateNanyangProjects(*units, leaders, task_forces, today, 2024);
  TIAODU_RETURN_IF_ERROR(s.projects->LoadBulk(sys, demo.projects, demo.milestones, demo.progress, demo.problems));
  // 第九期“三个一批”: this quarter's lists — projects about to sign, to start, to produce.
  auto all = s.projects->List(sys, [] { projects::store::ProjectQuery q; q.page_size = 500; return q; }(), "");
  if (!all.ok()) return all.status();
  std::vector<projects::Batch::Entry> entries;
  int sign = 0, start = 0, produce = 0;
  for (const auto& row : all->items) {
    const std::string& stage = row.project.stage;
    if (stage == "planning" && sign < 8) { entries.push_back({row.project.id, "sign"}); ++sign; }
    else if ((stage == "signed" || (stage == "started" && start % 2 == 0)) && start < 10) { entries.push_back({row.project.id, "start"}); ++start; }
    else if ((stage == "completed" || stage == "producing") && produce < 8) { entries.push_back({row.project.id, "produce"}); ++produce; }
  }
  const int quarter_end_month = ((today.month - 1) / 3 + 1) * 3;
  CivilDate deadline{today.year, quarter_end_month, DaysInMonth(today.year, quarter_end_month)};
  auto batch = s.projects->CreateBatch(sys, 9, "第九期“三个一批”项目建设", FormatIsoDate(deadline));
  if (!batch.ok()) return batch.status();
  auto lists = s.projects->SetBatchLists(sys, batch->batch.id, entries, batch->batch.version);
  if (!lists.ok()) return lists.status();
  return static_cast<int64_t>(demo.projects.size());
}

Result<int64_t> LoadInvestmentDemo(Services& s) {
  auth::Actor sys = SystemActor();
  investment::store::LeadQuery existing_query;
  existing_query.page_size = 1;
  auto existing = s.investment->ListLeads(sys, existing_query, "");
  if (!existing.ok()) return existing.status();
  if (existing->total > 0) return 0;
  auto units = ReportingUnits(s, nullptr);
  if (!units.ok()) return units.status();
  auto users = s.auth->ListUsers(sys, auth::UserQuery{"", "investment_officer", 0, 1, 500});
  if (!users.ok()) return users.status();
  std::vector<int64_t> officers;
  for (const auth::User& u : users->items) officers.push_back(u.id);
  investment::BulkData demo = GenerateNanyangInvestment(*units, officers, ToCivil(s.clock.NowMillis()), 2024);
  // Each lead goes to the officer with the narrowest scope that holds its unit (卧龙区's own
  // officer for 卧龙区, the city's for the others), when there is one.
  org::UnitQuery q;
  q.page_size = 100000;
  auto all = s.org->List(sys, q);
  if (!all.ok()) return all.status();
  std::map<int64_t, std::string> path_of;
  for (const org::Unit& u : all->items) path_of[u.id] = u.path;
  for (investment::Lead& l : demo.leads) {
    const std::string& path = path_of[l.unit_id];
    const auth::User* best = nullptr;
    for (const auth::User& u : users->items) {
      if (u.scope_path.empty() || !path.starts_with(u.scope_path)) continue;
      if (!best || u.scope_path.size() > best->scope_path.size()) best = &u;
    }
    if (best) l.officer_id = best->id;
  }
  TIAODU_RETURN_IF_ERROR(s.investment->LoadBulk(sys, demo));
  return static_cast<int64_t>(demo.leads.size());
}

Result<int64_t> LoadSupervisionDemo(Services& s) {
  auth::Actor sys = SystemActor();
  supervision::TaskQuery existing;
  existing.page_size = 1;
  auto tasks = s.supervision->ListTasks(sys, existing);
  if (!tasks.ok()) return tasks.status();
  if (tasks->total > 0) return 0;
  org::UnitQuery q;
  q.page_size = 100000;
  auto all = s.org->List(sys, q);
  if (!all.ok()) return all.status();
  std::vector<DemoUnit> units;
  for (const org::Unit& u : all->items) units.push_back({u.id, u.code, u.name, u.parent_id.value_or(0)});
  std::map<std::string, int64_t> users;
  auto page = s.auth->ListUsers(sys, auth::UserQuery{"", "", 0, 1, 500});
  if (!page.ok()) return page.status();
  for (const auth::User& u : page->items) users[u.username] = u.id;
  supervision::BulkData demo = GenerateNanyangSupervision(units, users, s.clock.NowMillis());
  TIAODU_RETURN_IF_ERROR(s.supervision->LoadBulk(sys, demo));
  return static_cast<int64_t>(demo.tasks.size());
}

}  // namespace tiaodu::app
