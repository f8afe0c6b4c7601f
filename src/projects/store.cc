#include "projects/store.h"

#include <soci/soci.h>

#include <map>

#include "auth/audit.h"
#include "auth/crypto.h"
#include "base/period.h"
#include "db/values.h"

namespace tiaodu::projects::store {
namespace {

using db::GetInt;
using db::GetOptInt;
using db::GetText;
using OptRaw = db::OptDecimalBind;
using OptText = db::OptDateBind;
constexpr auto OptDec = db::GetOptDecimal;
constexpr auto OptDate = db::GetOptDate;
constexpr auto InIds = db::IdList;
constexpr auto StageDatesText = db::DatesToText;
constexpr auto ParseStageDates = db::DatesFromText;








constexpr const char* kProjectCols =
    "p.id, p.code, p.name, p.level, p.category, p.industry, p.chain, p.unit_id, p.leader_id, "
    "p.task_force_id, p.location, p.total_investment, p.start_year, p.end_year, "
    "p.committed_completion, p.stage, p.stage_dates, p.archived, p.version, p.created_at, "
    "p.updated_at";
constexpr int kProjectColCount = 21;

Project ProjectFromRow(const soci::row& r) {
  Project p;
  p.id = GetInt(r, 0);
  p.code = GetText(r, 1);
  p.name = GetText(r, 2);
  p.level = GetText(r, 3);
  p.category = GetText(r, 4);
  p.industry = GetText(r, 5);
  p.chain = GetText(r, 6);
  p.unit_id = GetInt(r, 7);
  p.leader_id = GetOptInt(r, 8);
  p.task_force_id = GetOptInt(r, 9);
  p.location = GetText(r, 10);
  p.total_investment = Decimal::FromRaw(GetInt(r, 11));
  p.start_year = static_cast<int>(GetInt(r, 12));
  p.end_year = static_cast<int>(GetInt(r, 13));
  p.committed_completion = OptDate(r, 14);
  p.stage = GetText(r, 15);
  p.stage_dates = ParseStageDates(GetText(r, 16));
  p.archived = GetInt(r, 17) != 0;
  p.version = static_cast<int>(GetInt(r, 18));
  p.created_at = GetInt(r, 19);
  p.updated_at = GetInt(r, 20);
  return p;
}

void LoadPlans(db::Tx& tx, Project& p) {
  soci::row r;
  soci::statement st = (tx.sql().prepare << "SELECT year, amount FROM project_plans WHERE project_id = :p ORDER BY year",
                        soci::use(p.id), soci::into(r));
  st.execute();
  while (st.fetch()) p.annual_plans[static_cast<int>(GetInt(r, 0))] = Decimal::FromRaw(GetInt(r, 1));
}

void WritePlans(db::Tx& tx, const Project& p) {
  tx.sql() << "DELETE FROM project_plans WHERE project_id = :p", soci::use(p.id);
  for (const auto& [year, amount] : p.annual_plans) {
    long long raw = amount.raw();
    int y = year;
    tx.sql() << "INSERT INTO project_plans (project_id, year, amount) VALUES (:p, :y, :a)",
        soci::use(p.id), soci::use(y), soci::use(raw);
  }
}

constexpr const char* kYearCols =
    "y.plan, y.ytd, y.cumulative, y.completion, y.status, y.status_reason, y.open_problems, "
    "y.overdue_milestones, y.as_of";

ProjectYear YearFromRow(const soci::row& r, std::size_t o, int64_t project_id, int year) {
  ProjectYear y;
  y.project_id = project_id;
  y.year = year;
  if (db::IsNull(r, o + 4)) return y;  // no row yet
  y.plan = OptDec(r, o);
  y.ytd = Decimal::FromRaw(GetInt(r, o + 1));
  y.cumulative = Decimal::FromRaw(GetInt(r, o + 2));
  y.completion = OptDec(r, o + 3);
  y.status = GetText(r, o + 4);
  y.status_reason = GetText(r, o + 5);
  y.open_problems = static_cast<int>(GetInt(r, o + 6));
  y.overdue_milestones = static_cast<int>(GetInt(r, o + 7));
  y.as_of = GetText(r, o + 8);
  return y;
}

std::string RowSelect(int year) {
  return std::string("SELECT ") + kProjectCols + ", " + kYearCols +
         ", u.code, u.name, COALESCE(lu.display_name, ''), COALESCE(tf.code, ''), "
         "COALESCE(tf.name, '') FROM projects p JOIN units u ON u.id = p.unit_id "
         "LEFT JOIN project_years y ON y.project_id = p.id AND y.year = " +
         std::to_string(year) +
         " LEFT JOIN users lu ON lu.id = p.leader_id LEFT JOIN units tf ON tf.id = p.task_force_id";
}

ProjectRow RowFrom(const soci::row& r, int year) {
  ProjectRow row;
  row.project = ProjectFromRow(r);
  row.year = YearFromRow(r, kProjectColCount, row.project.id, year);
  const std::size_t o = kProjectColCount + 9;
  row.unit_code = GetText(r, o);
  row.unit_name = GetText(r, o + 1);
  row.leader_name = GetText(r, o + 2);
  row.task_force_code = GetText(r, o + 3);
  row.task_force_name = GetText(r, o + 4);
  return row;
}

}  // namespace

std::optional<UnitRef> FindUnit(db::Tx& tx, int64_t id) {
  soci::row r;
  tx.sql() << "SELECT id, code, name, kind, path, parent_id FROM units WHERE id = :id", soci::use(id), soci::into(r);
  if (!tx.sql().got_data()) return std::nullopt;
  return UnitRef{GetInt(r, 0), GetText(r, 1), GetText(r, 2), GetText(r, 3), GetText(r, 4), GetInt(r, 5, 0)};
}

std::optional<UnitRef> FindUnitByCode(db::Tx& tx, const std::string& code) {
  soci::row r;
  tx.sql() << "SELECT id, code, name, kind, path, parent_id FROM units WHERE code = :c", soci::use(code), soci::into(r);
  if (!tx.sql().got_data()) return std::nullopt;
  return UnitRef{GetInt(r, 0), GetText(r, 1), GetText(r, 2), GetText(r, 3), GetText(r, 4), GetInt(r, 5, 0)};
}

std::optional<UserRef> FindUser(db::Tx& tx, int64_t id) {
  soci::row r;
  tx.sql() << "SELECT id, display_name, role, disabled FROM users WHERE id = :id", soci::use(id), soci::into(r);
  if (!tx.sql().got_data()) return std::nullopt;
  return UserRef{GetInt(r, 0), GetText(r, 1), GetText(r, 2), GetInt(r, 3) != 0};
}

Options FormOptions(db::Tx& tx, const std::string& scope_path) {
  Options out;
  std::string like = scope_path + "%";
  {
    soci::row r;
    soci::statement st = (tx.sql().prepare << "SELECT us.id, us.display_name, us.role, us.disabled FROM users us JOIN "
                                              "units un ON un.id = us.unit_id WHERE us.role = 'leader' AND "
                                              "us.disabled = 0 AND un.path LIKE :p ORDER BY un.path, us.id",
                          soci::use(like), soci::into(r));
    st.execute();
    while (st.fetch()) out.leaders.push_back(UserRef{GetInt(r, 0), GetText(r, 1), GetText(r, 2), GetInt(r, 3) != 0});
  }
  {
    soci::row r;
    soci::statement st = (tx.sql().prepare << "SELECT id, code, name, kind, path, parent_id FROM units WHERE kind = "
                                              "'task_force' AND archived = 0 AND path LIKE :p ORDER BY path",
                          soci::use(like), soci::into(r));
    st.execute();
    while (st.fetch())
      out.task_forces.push_back(UnitRef{GetInt(r, 0), GetText(r, 1), GetText(r, 2), GetText(r, 3), GetText(r, 4), GetInt(r, 5, 0)});
  }
  {
    std::string name;
    soci::statement st = (tx.sql().prepare << "SELECT name FROM (SELECT DISTINCT chain AS name FROM projects WHERE chain "
                                              "<> '' UNION SELECT name FROM chains) c ORDER BY name",
                          soci::into(name));
    st.execute();
    while (st.fetch()) out.chains.push_back(name);
  }
  return out;
}

std::optional<Project> FindProject(db::Tx& tx, int64_t id) {
  soci::row r;
  tx.sql() << std::string("SELECT ") + kProjectCols + " FROM projects p WHERE p.id = :id", soci::use(id), soci::into(r);
  if (!tx.sql().got_data()) return std::nullopt;
  Project p = ProjectFromRow(r);
  LoadPlans(tx, p);
  return p;
}

std::optional<Project> FindProjectByCode(db::Tx& tx, const std::string& code) {
  soci::row r;
  tx.sql() << std::string("SELECT ") + kProjectCols + " FROM projects p WHERE p.code = :c", soci::use(code), soci::into(r);
  if (!tx.sql().got_data()) return std::nullopt;
  Project p = ProjectFromRow(r);
  LoadPlans(tx, p);
  return p;
}

int64_t InsertProject(db::Tx& tx, const Project& p) {
  long long id = 0;
  OptRaw leader(p.leader_id ? std::optional<Decimal>(Decimal::FromRaw(*p.leader_id)) : std::nullopt);
  OptRaw tf(p.task_force_id ? std::optional<Decimal>(Decimal::FromRaw(*p.task_force_id)) : std::nullopt);
  OptText cc(p.committed_completion);
  long long total = p.total_investment.raw();
  std::string dates = StageDatesText(p.stage_dates);
  int archived = p.archived;
  tx.sql() << "INSERT INTO projects (code, name, level, category, industry, chain, unit_id, leader_id, "
              "task_force_id, location, total_investment, start_year, end_year, committed_completion, "
              "stage, stage_dates, archived, version, created_at, updated_at) VALUES (:c, :n, :l, :ca, "
              ":i, :ch, :u, :le, :tf, :lo, :t, :sy, :ey, :cc, :st, :sd, :ar, 1, :cr, :up) RETURNING id",
      soci::use(p.code), soci::use(p.name), soci::use(p.level), soci::use(p.category), soci::use(p.industry),
      soci::use(p.chain), soci::use(p.unit_id), soci::use(leader.raw, leader.ind), soci::use(tf.raw, tf.ind),
      soci::use(p.location), soci::use(total), soci::use(p.start_year), soci::use(p.end_year),
      soci::use(cc.text, cc.ind), soci::use(p.stage), soci::use(dates), soci::use(archived),
      soci::use(p.created_at), soci::use(p.updated_at), soci::into(id);
  Project copy = p;
  copy.id = id;
  WritePlans(tx, copy);
  return id;
}

bool UpdateProject(db::Tx& tx, const Project& p) {
  OptRaw leader(p.leader_id ? std::optional<Decimal>(Decimal::FromRaw(*p.leader_id)) : std::nullopt);
  OptRaw tf(p.task_force_id ? std::optional<Decimal>(Decimal::FromRaw(*p.task_force_id)) : std::nullopt);
  OptText cc(p.committed_completion);
  long long total = p.total_investment.raw();
  std::string dates = StageDatesText(p.stage_dates);
  int archived = p.archived;
  soci::statement st =
      (tx.sql().prepare << "UPDATE projects SET name = :n, level = :l, category = :ca, industry = :i, "
                           "chain = :ch, unit_id = :u, leader_id = :le, task_force_id = :tf, location = :lo, "
                           "total_investment = :t, start_year = :sy, end_year = :ey, committed_completion = :cc, "
                           "stage = :st, stage_dates = :sd, archived = :ar, updated_at = :up, "
                           "version = version + 1 WHERE id = :id AND version = :v",
       soci::use(p.name), soci::use(p.level), soci::use(p.category), soci::use(p.industry), soci::use(p.chain),
       soci::use(p.unit_id), soci::use(leader.raw, leader.ind), soci::use(tf.raw, tf.ind), soci::use(p.location),
       soci::use(total), soci::use(p.start_year), soci::use(p.end_year), soci::use(cc.text, cc.ind),
       soci::use(p.stage), soci::use(dates), soci::use(archived), soci::use(p.updated_at), soci::use(p.id),
       soci::use(p.version));
  st.execute(true);
  if (st.get_affected_rows() != 1) return false;
  WritePlans(tx, p);
  return true;
}

std::vector<ProjectRow> ListProjects(db::Tx& tx, const ProjectQuery& q, int64_t* total) {
  // The unit filter as a set of unit ids: the units table is small, and the projects are then
  // found through their unit index instead of a scan joined to every unit.
  // When the filter holds every unit (a province-level user, no unit chosen) it is left out,
  // so an ordered page can walk the code index and stop after a page.
  std::string scope = q.scope_path + "%", unit_like = q.unit_path + "%", like = db::ContainsPattern(q.q);
  const std::string& narrowest = q.unit_path.empty() ? scope : unit_like;
  long long outside = 0, inside = 0;
  tx.sql() << "SELECT COUNT(*) FROM units WHERE path NOT LIKE :p", soci::use(narrowest), soci::into(outside);
  tx.sql() << "SELECT COUNT(*) FROM units WHERE path LIKE :p", soci::use(narrowest), soci::into(inside);
  const bool everything = outside == 0;
  // Many units (a province's or a city's): walk the projects in page order and test the unit
  // of each ("+" keeps SQLite off the unit index); few units (a county): go through the unit
  // index and sort what it finds.
  const char* unit_term = inside > 20 ? " WHERE +p.unit_id IN" : " WHERE p.unit_id IN";
  // 滞后 / 严重滞后 within a subtree: the few projects come straight from the index on
  // project_years (year, status, unit_id).
  const bool by_status = !q.status.empty() && q.status != kNormal;
  const std::string units_in = "(SELECT id FROM units WHERE path LIKE :scope" +
                               std::string(!everything && !q.unit_path.empty() ? " AND path LIKE :unit" : "") + ")";
  std::string where;
  if (by_status)
    where = " WHERE p.id IN (SELECT project_id FROM project_years WHERE year = " + std::to_string(q.year) +
            " AND status = :status" + (everything ? std::string() : " AND unit_id IN " + units_in) + ")";
  else
    where = everything ? " WHERE 1 = 1" : std::string(unit_term) + " " + units_in;
  long long leader = q.leader_id.value_or(0), unit_exact = q.unit_id_exact.value_or(0);
  if (!q.include_archived) where += " AND p.archived = 0";
  if (q.unit_id_exact) where += " AND p.unit_id = :uexact";
  if (!q.level.empty()) where += " AND p.level = :level";
  if (!q.category.empty()) where += " AND p.category = :cat";
  if (!q.stage.empty()) where += " AND p.stage = :stage";
  if (!q.status.empty() && !by_status) where += " AND (y.status = :status OR y.status IS NULL)";
  if (!q.chain.empty()) where += " AND p.chain = :chain";
  if (q.leader_id) where += " AND p.leader_id = :leader";
  if (!q.q.empty()) where += " AND (LOWER(p.name) LIKE :q ESCAPE '\\' OR LOWER(p.code) LIKE :q2 ESCAPE '\\')";
  auto bind = [&](soci::details::prepare_temp_type& st) {
    if (!everything) st, soci::use(scope, "scope");
    if (!everything && !q.unit_path.empty()) st, soci::use(unit_like, "unit");
    if (q.unit_id_exact) st, soci::use(unit_exact, "uexact");
    if (!q.level.empty()) st, soci::use(q.level, "level");
    if (!q.category.empty()) st, soci::use(q.category, "cat");
    if (!q.stage.empty()) st, soci::use(q.stage, "stage");
    if (!q.status.empty()) st, soci::use(q.status, "status");
    if (!q.chain.empty()) st, soci::use(q.chain, "chain");
    if (q.leader_id) st, soci::use(leader, "leader");
    if (!q.q.empty()) st, soci::use(like, "q"), soci::use(like, "q2");
  };
  const std::string join_year = " LEFT JOIN project_years y ON y.project_id = p.id AND y.year = " + std::to_string(q.year);
  if (total)
    *total = db::Count(
        tx, "SELECT COUNT(*) FROM projects p" + (q.status.empty() || by_status ? std::string() : join_year) + where,
        bind);
  std::string order = "p.code";
  if (q.sort == "name") order = "p.name, p.code";
  else if (q.sort == "completion") order = "COALESCE(y.completion, 0), p.code";
  else if (q.sort == "-completion") order = "COALESCE(y.completion, 0) DESC, p.code";
  else if (q.sort == "plan") order = "COALESCE(y.plan, 0), p.code";
  else if (q.sort == "-plan") order = "COALESCE(y.plan, 0) DESC, p.code";
  else if (q.sort == "status")
    order = "CASE COALESCE(y.status, '正常') WHEN '严重滞后' THEN 0 WHEN '滞后' THEN 1 ELSE 2 END, p.code";
  long long limit = q.page_size, offset = static_cast<long long>(q.page - 1) * q.page_size;
  std::vector<ProjectRow> out;
  soci::row r;
  auto st = (tx.sql().prepare << RowSelect(q.year) + where + " ORDER BY " + order + " LIMIT :lim OFFSET :off",
             soci::into(r));
  bind(st);
  st, soci::use(limit, "lim"), soci::use(offset, "off");
  soci::statement stmt(st);
  stmt.execute();
  while (stmt.fetch()) out.push_back(RowFrom(r, q.year));
  if (q.with_plans && !out.empty()) {
    // Every page's plans in one query, not one per row.
    std::map<int64_t, Project*> by_id;
    for (ProjectRow& row : out) by_id[row.project.id] = &row.project;
    std::vector<int64_t> ids;
    for (const auto& [id, p] : by_id) ids.push_back(id);
    soci::row pr;
    soci::statement ps = (tx.sql().prepare << "SELECT project_id, year, amount FROM project_plans WHERE project_id IN (" +
                                                  InIds(ids) + ") ORDER BY project_id, year",
                          soci::into(pr));
    ps.execute();
    while (ps.fetch())
      by_id.at(GetInt(pr, 0))->annual_plans[static_cast<int>(GetInt(pr, 1))] = Decimal::FromRaw(GetInt(pr, 2));
  }
  return out;
}

std::optional<ProjectRow> FindProjectRow(db::Tx& tx, int64_t id, int year) {
  soci::row r;
  tx.sql() << RowSelect(year) + " WHERE p.id = :id", soci::use(id), soci::into(r);
  if (!tx.sql().got_data()) return std::nullopt;
  ProjectRow row = RowFrom(r, year);
  LoadPlans(tx, row.project);
  return row;
}

std::vector<int64_t> AllProjectIds(db::Tx& tx) {
  std::vector<int64_t> out;
  long long id = 0;
  soci::statement st = (tx.sql().prepare << "SELECT id FROM projects WHERE archived = 0 ORDER BY id", soci::into(id));
  st.execute();
  while (st.fetch()) out.push_back(id);
  return out;
}

void UpsertYear(db::Tx& tx, const ProjectYear& y) {
  int year = y.year;
  tx.sql() << "DELETE FROM project_years WHERE project_id = :p AND year = :y", soci::use(y.project_id), soci::use(year);
  OptRaw plan(y.plan), completion(y.completion);
  long long ytd = y.ytd.raw(), cum = y.cumulative.raw();
  tx.sql() << "INSERT INTO project_years (project_id, year, plan, ytd, cumulative, completion, status, "
              "status_reason, open_problems, overdue_milestones, as_of, unit_id) VALUES (:p, :y, :pl, :ytd, :cum, "
              ":c, :s, :r, :op, :om, :a, :u)",
      soci::use(y.project_id), soci::use(year), soci::use(plan.raw, plan.ind), soci::use(ytd), soci::use(cum),
      soci::use(completion.raw, completion.ind), soci::use(y.status), soci::use(y.status_reason),
      soci::use(y.open_problems), soci::use(y.overdue_milestones), soci::use(y.as_of), soci::use(y.unit_id);
}

// ---- Milestones ----

namespace {
Milestone MilestoneFromRow(const soci::row& r) {
  Milestone m;
  m.id = GetInt(r, 0);
  m.project_id = GetInt(r, 1);
  m.seq = static_cast<int>(GetInt(r, 2));
  m.name = GetText(r, 3);
  m.planned = OptDate(r, 4);
  m.actual = OptDate(r, 5);
  m.version = static_cast<int>(GetInt(r, 6));
  return m;
}
constexpr const char* kMilestoneCols = "id, project_id, seq, name, planned, actual, version";
}  // namespace

std::vector<Milestone> Milestones(db::Tx& tx, int64_t project_id) {
  return MilestonesOf(tx, {project_id});
}

std::vector<Milestone> MilestonesOf(db::Tx& tx, const std::vector<int64_t>& ids) {
  std::vector<Milestone> out;
  soci::row r;
  soci::statement st = (tx.sql().prepare << std::string("SELECT ") + kMilestoneCols +
                                                " FROM project_milestones WHERE project_id IN (" + InIds(ids) +
                                                ") ORDER BY project_id, seq",
                        soci::into(r));
  st.execute();
  while (st.fetch()) out.push_back(MilestoneFromRow(r));
  return out;
}

void ReplaceMilestones(db::Tx& tx, int64_t project_id, const std::vector<Milestone>& ms) {
  tx.sql() << "DELETE FROM project_milestones WHERE project_id = :p", soci::use(project_id);
  for (const Milestone& m : ms) {
    OptText planned(m.planned), actual(m.actual);
    tx.sql() << "INSERT INTO project_milestones (project_id, seq, name, planned, actual, version) VALUES "
                "(:p, :s, :n, :pl, :ac, 1)",
        soci::use(project_id), soci::use(m.seq), soci::use(m.name), soci::use(planned.text, planned.ind),
        soci::use(actual.text, actual.ind);
  }
}

std::optional<Milestone> FindMilestone(db::Tx& tx, int64_t id) {
  soci::row r;
  tx.sql() << std::string("SELECT ") + kMilestoneCols + " FROM project_milestones WHERE id = :id", soci::use(id),
      soci::into(r);
  if (!tx.sql().got_data()) return std::nullopt;
  return MilestoneFromRow(r);
}

bool UpdateMilestone(db::Tx& tx, const Milestone& m) {
  OptText planned(m.planned), actual(m.actual);
  soci::statement st =
      (tx.sql().prepare << "UPDATE project_milestones SET planned = :pl, actual = :ac, version = version + 1 "
                           "WHERE id = :id AND version = :v",
       soci::use(planned.text, planned.ind), soci::use(actual.text, actual.ind), soci::use(m.id),
       soci::use(m.version));
  st.execute(true);
  return st.get_affected_rows() == 1;
}

// ---- Progress ----

namespace {
Progress ProgressFromRow(const soci::row& r) {
  Progress p;
  p.id = GetInt(r, 0);
  p.project_id = GetInt(r, 1);
  p.month = GetText(r, 2);
  p.amount = Decimal::FromRaw(GetInt(r, 3));
  p.narrative = GetText(r, 4);
  p.reported_by = GetInt(r, 5);
  p.reported_at = GetInt(r, 6);
  p.version = static_cast<int>(GetInt(r, 7));
  return p;
}
constexpr const char* kProgressCols = "id, project_id, month, amount, narrative, reported_by, reported_at, version";
}  // namespace

std::vector<Progress> ProgressOf(db::Tx& tx, int64_t project_id) {
  std::vector<Progress> out;
  soci::row r;
  soci::statement st = (tx.sql().prepare << std::string("SELECT ") + kProgressCols +
                                                " FROM project_progress WHERE project_id = :p ORDER BY month",
                        soci::use(project_id), soci::into(r));
  st.execute();
  while (st.fetch()) out.push_back(ProgressFromRow(r));
  return out;
}

std::optional<Progress> FindProgress(db::Tx& tx, int64_t project_id, const std::string& month) {
  soci::row r;
  tx.sql() << std::string("SELECT ") + kProgressCols + " FROM project_progress WHERE project_id = :p AND month = :m",
      soci::use(project_id), soci::use(month), soci::into(r);
  if (!tx.sql().got_data()) return std::nullopt;
  return ProgressFromRow(r);
}

int64_t InsertProgress(db::Tx& tx, const Progress& p) {
  long long id = 0, amount = p.amount.raw();
  tx.sql() << "INSERT INTO project_progress (project_id, month, amount, narrative, reported_by, reported_at, "
              "version) VALUES (:p, :m, :a, :n, :b, :t, 1) RETURNING id",
      soci::use(p.project_id), soci::use(p.month), soci::use(amount), soci::use(p.narrative),
      soci::use(p.reported_by), soci::use(p.reported_at), soci::into(id);
  return id;
}

bool UpdateProgress(db::Tx& tx, const Progress& p) {
  long long amount = p.amount.raw();
  soci::statement st =
      (tx.sql().prepare << "UPDATE project_progress SET amount = :a, narrative = :n, reported_by = :b, "
                           "reported_at = :t, version = version + 1 WHERE id = :id AND version = :v",
       soci::use(amount), soci::use(p.narrative), soci::use(p.reported_by), soci::use(p.reported_at),
       soci::use(p.id), soci::use(p.version));
  st.execute(true);
  return st.get_affected_rows() == 1;
}

void InsertProgressBulk(db::Tx& tx, const std::vector<Progress>& ps) {
  const size_t kChunk = 5000;
  for (size_t start = 0; start < ps.size(); start += kChunk) {
    size_t n = std::min(kChunk, ps.size() - start);
    std::vector<long long> project(n), amount(n), by(n), at(n);
    std::vector<std::string> month(n), narrative(n);
    for (size_t k = 0; k < n; ++k) {
      const Progress& p = ps[start + k];
      project[k] = p.project_id;
      amount[k] = p.amount.raw();
      by[k] = p.reported_by;
      at[k] = p.reported_at;
      month[k] = p.month;
      narrative[k] = p.narrative;
    }
    tx.sql() << "INSERT INTO project_progress (project_id, month, amount, narrative, reported_by, reported_at, "
                "version) VALUES (:p, :m, :a, :n, :b, :t, 1)",
        soci::use(project), soci::use(month), soci::use(amount), soci::use(narrative), soci::use(by), soci::use(at);
  }
}

std::vector<ProgressRow> ListProgress(db::Tx& tx, const ProgressQuery& q, int64_t* total) {
  std::string where = " WHERE u.path LIKE :scope";
  const std::string scope = q.scope_path + "%", unit_like = q.unit_path + "%";
  const long long project = q.project_id.value_or(0);
  if (!q.unit_path.empty()) where += " AND u.path LIKE :unit";
  if (!q.from_month.empty()) where += " AND g.month >= :from";
  if (!q.to_month.empty()) where += " AND g.month <= :to";
  if (q.project_id) where += " AND g.project_id = :project";
  if (!q.include_archived) where += " AND p.archived = 0";
  const std::string from =
      " FROM project_progress g JOIN projects p ON p.id = g.project_id JOIN units u ON u.id = p.unit_id";
  auto bind = [&](soci::details::prepare_temp_type& st) {
    st, soci::use(scope, "scope");
    if (!q.unit_path.empty()) st, soci::use(unit_like, "unit");
    if (!q.from_month.empty()) st, soci::use(q.from_month, "from");
    if (!q.to_month.empty()) st, soci::use(q.to_month, "to");
    if (q.project_id) st, soci::use(project, "project");
  };
  if (total) *total = db::Count(tx, "SELECT COUNT(*)" + from + where, bind);
  long long limit = q.page_size, offset = static_cast<long long>(q.page - 1) * q.page_size;
  std::vector<ProgressRow> out;
  soci::row r;
  auto st = (tx.sql().prepare << "SELECT g.id, g.project_id, g.month, g.amount, g.narrative, g.reported_by, "
                                 "g.reported_at, g.version, p.code, p.name, u.code, u.name, "
                                 "COALESCE(us.display_name, ''), p.archived, u.id" + from +
                                     " LEFT JOIN users us ON us.id = g.reported_by" + where +
                                     " ORDER BY p.code, g.month LIMIT :lim OFFSET :off",
             soci::into(r));
  bind(st);
  st, soci::use(limit, "lim"), soci::use(offset, "off");
  soci::statement stmt(st);
  stmt.execute();
  while (stmt.fetch()) {
    ProgressRow row;
    row.progress = ProgressFromRow(r);
    row.project_code = GetText(r, 8);
    row.project_name = GetText(r, 9);
    row.unit_code = GetText(r, 10);
    row.unit_name = GetText(r, 11);
    row.reporter_name = GetText(r, 12);
    row.archived = GetInt(r, 13) != 0;
    row.unit_id = GetInt(r, 14);
    out.push_back(std::move(row));
  }
  return out;
}

Portfolio PortfolioOf(db::Tx& tx, const std::string& unit_path, int year, const std::string& from_month,
                      const std::string& to_month, const std::string& level) {
  Portfolio out;
  std::string like = unit_path + "%";
  // level: one level or several separated by commas ("province,city"); only known words pass.
  std::string levels;
  size_t pos = 0;
  while (pos <= level.size() && !level.empty()) {
    size_t end = level.find(',', pos);
    if (end == std::string::npos) end = level.size();
    std::string one = level.substr(pos, end - pos);
    if (one == "province" || one == "city" || one == "district") levels += (levels.empty() ? "'" : ",'") + one + "'";
    pos = end + 1;
  }
  std::string level_clause = levels.empty() ? "" : " AND p.level IN (" + levels + ")";
  {
    long long n = 0, plan = 0;
    soci::indicator ind;
    auto st = (tx.sql().prepare << "SELECT COUNT(*), SUM(pl.amount) FROM projects p JOIN units u ON u.id = "
                                   "p.unit_id LEFT JOIN project_plans pl ON pl.project_id = p.id AND pl.year = :y "
                                   "WHERE p.archived = 0 AND u.path LIKE :l" + level_clause,
               soci::into(n), soci::into(plan, ind));
    st, soci::use(year, "y"), soci::use(like, "l");
    soci::statement stmt(st);
    stmt.execute(true);
    out.projects = n;
    out.plan = Decimal::FromRaw(ind == soci::i_ok ? plan : 0);
  }
  {
    long long done = 0;
    soci::indicator ind;
    auto st = (tx.sql().prepare << "SELECT SUM(g.amount) FROM project_progress g JOIN projects p ON p.id = "
                                   "g.project_id JOIN units u ON u.id = p.unit_id WHERE p.archived = 0 AND "
                                   "u.path LIKE :l AND g.month >= :f AND g.month <= :t" + level_clause,
               soci::into(done, ind));
    st, soci::use(like, "l"), soci::use(from_month, "f"), soci::use(to_month, "t");
    soci::statement stmt(st);
    stmt.execute(true);
    out.done = Decimal::FromRaw(ind == soci::i_ok ? done : 0);
  }
  return out;
}

// ---- Problems ----

namespace {
constexpr const char* kProblemCols =
    "pr.id, pr.project_id, pr.category, pr.description, pr.owner_unit_id, pr.escalated_to, pr.deadline, "
    "pr.state, pr.resolution, pr.raised_by, pr.raised_at, pr.resolved_at, pr.version";
Problem ProblemFromRow(const soci::row& r) {
  Problem p;
  p.id = GetInt(r, 0);
  p.project_id = GetInt(r, 1);
  p.category = GetText(r, 2);
  p.description = GetText(r, 3);
  p.owner_unit_id = GetInt(r, 4);
  p.escalated_to = GetOptInt(r, 5);
  p.deadline = OptDate(r, 6).value_or(CivilDate{});
  p.state = GetText(r, 7);
  p.resolution = GetText(r, 8);
  p.raised_by = GetInt(r, 9);
  p.raised_at = GetInt(r, 10);
  p.resolved_at = GetInt(r, 11);
  p.version = static_cast<int>(GetInt(r, 12));
  return p;
}
}  // namespace

std::optional<Problem> FindProblem(db::Tx& tx, int64_t id) {
  soci::row r;
  tx.sql() << std::string("SELECT ") + kProblemCols + " FROM project_problems pr WHERE pr.id = :id", soci::use(id),
      soci::into(r);
  if (!tx.sql().got_data()) return std::nullopt;
  return ProblemFromRow(r);
}

int64_t InsertProblem(db::Tx& tx, const Problem& p) {
  long long id = 0;
  std::string deadline = FormatIsoDate(p.deadline);
  tx.sql() << "INSERT INTO project_problems (project_id, category, description, owner_unit_id, deadline, state, "
              "resolution, raised_by, raised_at, resolved_at, version) VALUES (:p, :c, :d, :o, :dl, 'open', '', "
              ":b, :t, 0, 1) RETURNING id",
      soci::use(p.project_id), soci::use(p.category), soci::use(p.description), soci::use(p.owner_unit_id),
      soci::use(deadline), soci::use(p.raised_by), soci::use(p.raised_at), soci::into(id);
  return id;
}

bool UpdateProblem(db::Tx& tx, const Problem& p) {
  OptRaw esc(p.escalated_to ? std::optional<Decimal>(Decimal::FromRaw(*p.escalated_to)) : std::nullopt);
  std::string deadline = FormatIsoDate(p.deadline);
  soci::statement st =
      (tx.sql().prepare << "UPDATE project_problems SET escalated_to = :e, deadline = :dl, state = :s, "
                           "resolution = :r, resolved_at = :ra, version = version + 1 WHERE id = :id AND "
                           "version = :v",
       soci::use(esc.raw, esc.ind), soci::use(deadline), soci::use(p.state), soci::use(p.resolution),
       soci::use(p.resolved_at), soci::use(p.id), soci::use(p.version));
  st.execute(true);
  return st.get_affected_rows() == 1;
}

std::vector<ProblemRow> ListProblems(db::Tx& tx, const ProblemQuery& q, int64_t* total) {
  std::string where = " WHERE (ou.path LIKE :scope OR eu.path LIKE :scope2 OR pu.path LIKE :scope3)";
  std::string scope = q.scope_path + "%", unit_like = q.unit_path + "%";
  long long project = q.project_id.value_or(0);
  if (!q.unit_path.empty()) where += " AND (ou.path LIKE :unit OR eu.path LIKE :unit2 OR pu.path LIKE :unit3)";
  if (!q.state.empty()) where += " AND pr.state = :state";
  if (q.project_id) where += " AND pr.project_id = :project";
  if (!q.overdue_before.empty()) where += " AND pr.state = 'open' AND pr.deadline < :od";
  const std::string from =
      " FROM project_problems pr JOIN projects p ON p.id = pr.project_id JOIN units pu ON pu.id = p.unit_id "
      "JOIN units ou ON ou.id = pr.owner_unit_id LEFT JOIN units eu ON eu.id = pr.escalated_to";
  auto bind = [&](soci::details::prepare_temp_type& st) {
    st, soci::use(scope, "scope"), soci::use(scope, "scope2"), soci::use(scope, "scope3");
    if (!q.unit_path.empty()) st, soci::use(unit_like, "unit"), soci::use(unit_like, "unit2"), soci::use(unit_like, "unit3");
    if (!q.state.empty()) st, soci::use(q.state, "state");
    if (q.project_id) st, soci::use(project, "project");
    if (!q.overdue_before.empty()) st, soci::use(q.overdue_before, "od");
  };
  if (total) *total = db::Count(tx, "SELECT COUNT(*)" + from + where, bind);
  long long limit = q.page_size, offset = static_cast<long long>(q.page - 1) * q.page_size;
  std::vector<ProblemRow> out;
  soci::row r;
  auto st = (tx.sql().prepare << std::string("SELECT ") + kProblemCols +
                                     ", p.code, p.name, ou.code, ou.name, COALESCE(eu.code, ''), COALESCE(eu.name, '')" +
                                     from + where + " ORDER BY pr.state, pr.deadline, pr.id LIMIT :lim OFFSET :off",
             soci::into(r));
  bind(st);
  st, soci::use(limit, "lim"), soci::use(offset, "off");
  soci::statement stmt(st);
  stmt.execute();
  while (stmt.fetch()) {
    ProblemRow row;
    row.problem = ProblemFromRow(r);
    row.project_code = GetText(r, 13);
    row.project_name = GetText(r, 14);
    row.owner_code = GetText(r, 15);
    row.owner_name = GetText(r, 16);
    row.escalated_code = GetText(r, 17);
    row.escalated_name = GetText(r, 18);
    out.push_back(std::move(row));
  }
  return out;
}

std::vector<Problem> ProblemsToEscalate(db::Tx& tx, const std::string& today) {
  std::vector<Problem> out;
  soci::row r;
  soci::statement st = (tx.sql().prepare << std::string("SELECT ") + kProblemCols +
                                                " FROM project_problems pr WHERE pr.state = 'open' AND "
                                                "pr.escalated_to IS NULL AND pr.deadline < :t ORDER BY pr.id",
                        soci::use(today), soci::into(r));
  st.execute();
  while (st.fetch()) out.push_back(ProblemFromRow(r));
  return out;
}

int CountOpenProblems(db::Tx& tx, int64_t project_id) {
  long long n = 0;
  tx.sql() << "SELECT COUNT(*) FROM project_problems WHERE project_id = :p AND state = 'open'", soci::use(project_id),
      soci::into(n);
  return static_cast<int>(n);
}

// ---- Batches ----

namespace {
constexpr const char* kBatchCols =
    "id, number, name, deadline, closed, sign_rate, start_rate, produce_rate, effective_rate, version";
Batch BatchFromRow(const soci::row& r) {
  Batch b;
  b.id = GetInt(r, 0);
  b.number = static_cast<int>(GetInt(r, 1));
  b.name = GetText(r, 2);
  b.deadline = OptDate(r, 3).value_or(CivilDate{});
  b.closed = GetInt(r, 4) != 0;
  b.sign_rate = OptDec(r, 5);
  b.start_rate = OptDec(r, 6);
  b.produce_rate = OptDec(r, 7);
  b.effective_rate = OptDec(r, 8);
  b.version = static_cast<int>(GetInt(r, 9));
  return b;
}
void LoadEntries(db::Tx& tx, Batch& b) {
  soci::row r;
  soci::statement st = (tx.sql().prepare << "SELECT project_id, list FROM project_batch_entries WHERE batch_id = :b "
                                            "ORDER BY list, project_id",
                        soci::use(b.id), soci::into(r));
  st.execute();
  while (st.fetch()) b.entries.push_back({GetInt(r, 0), GetText(r, 1)});
}
}  // namespace

std::optional<Batch> FindBatch(db::Tx& tx, int64_t id) {
  soci::row r;
  tx.sql() << std::string("SELECT ") + kBatchCols + " FROM project_batches WHERE id = :id", soci::use(id), soci::into(r);
  if (!tx.sql().got_data()) return std::nullopt;
  Batch b = BatchFromRow(r);
  LoadEntries(tx, b);
  return b;
}

std::vector<Batch> ListBatches(db::Tx& tx) {
  std::vector<Batch> out;
  soci::row r;
  soci::statement st =
      (tx.sql().prepare << std::string("SELECT ") + kBatchCols + " FROM project_batches ORDER BY number DESC", soci::into(r));
  st.execute();
  while (st.fetch()) out.push_back(BatchFromRow(r));
  for (Batch& b : out) LoadEntries(tx, b);
  return out;
}

int64_t InsertBatch(db::Tx& tx, const Batch& b, int64_t now) {
  long long id = 0;
  std::string deadline = FormatIsoDate(b.deadline);
  tx.sql() << "INSERT INTO project_batches (number, name, deadline, closed, version, created_at) VALUES (:n, :na, "
              ":d, 0, 1, :c) RETURNING id",
      soci::use(b.number), soci::use(b.name), soci::use(deadline), soci::use(now), soci::into(id);
  return id;
}

bool UpdateBatch(db::Tx& tx, const Batch& b) {
  std::string deadline = FormatIsoDate(b.deadline);
  int closed = b.closed;
  OptRaw s(b.sign_rate), st_(b.start_rate), p(b.produce_rate), e(b.effective_rate);
  soci::statement st =
      (tx.sql().prepare << "UPDATE project_batches SET name = :n, deadline = :d, closed = :c, sign_rate = :s, "
                           "start_rate = :st, produce_rate = :p, effective_rate = :e, version = version + 1 "
                           "WHERE id = :id AND version = :v",
       soci::use(b.name), soci::use(deadline), soci::use(closed), soci::use(s.raw, s.ind),
       soci::use(st_.raw, st_.ind), soci::use(p.raw, p.ind), soci::use(e.raw, e.ind), soci::use(b.id),
       soci::use(b.version));
  st.execute(true);
  if (st.get_affected_rows() != 1) return false;
  tx.sql() << "DELETE FROM project_batch_entries WHERE batch_id = :b", soci::use(b.id);
  for (const Batch::Entry& en : b.entries)
    tx.sql() << "INSERT INTO project_batch_entries (batch_id, project_id, list) VALUES (:b, :p, :l)",
        soci::use(b.id), soci::use(en.project_id), soci::use(en.list);
  return true;
}

std::vector<Project> ProjectsByIds(db::Tx& tx, const std::vector<int64_t>& ids) {
  std::vector<Project> out;
  if (ids.empty()) return out;
  soci::row r;
  soci::statement st = (tx.sql().prepare << std::string("SELECT ") + kProjectCols +
                                                " FROM projects p WHERE p.id IN (" + InIds(ids) + ") ORDER BY p.code",
                        soci::into(r));
  st.execute();
  while (st.fetch()) out.push_back(ProjectFromRow(r));
  return out;
}

// ---- Bulk reads and writes of imports ----

namespace {

// Rows per multi-row statement: well under SQLite's and PostgreSQL's statement limits.
constexpr size_t kBulkRows = 500;

// A text literal: quotes doubled; NUL bytes (which no SQL text can carry) dropped. Both
// databases take '' as a quote inside a literal and nothing else as special
// (PostgreSQL's standard_conforming_strings is on).
void AppendLit(std::string& sql, std::string_view s) {
  sql.push_back('\'');
  for (char c : s) {
    if (c == '\'') sql.push_back('\'');
    if (c != '\0') sql.push_back(c);
  }
  sql.push_back('\'');
}
void AppendInt(std::string& sql, int64_t v) { sql += std::to_string(v); }
void AppendOptInt(std::string& sql, const std::optional<int64_t>& v) {
  if (v) AppendInt(sql, *v);
  else sql += "NULL";
}

// PostgreSQL array literals, for binding a whole column as one parameter of
// `INSERT … SELECT * FROM unnest(CAST(:a AS bigint[]), …)`: one statement, parsed and planned
// once, for any number of rows. Elements are appended with a leading ',' except the first.
void ArrayInt(std::string& a, int64_t v) {
  a += a.size() > 1 ? "," : "";
  a += std::to_string(v);
}
void ArrayOptInt(std::string& a, const std::optional<int64_t>& v) {
  if (v) return ArrayInt(a, *v);
  a += a.size() > 1 ? ",NULL" : "NULL";
}
// Text as a quoted element: '"' and '\' escaped with a backslash (NUL dropped, as AppendLit).
void ArrayText(std::string& a, std::string_view s) {
  a += a.size() > 1 ? ",\"" : "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') a.push_back('\\');
    if (c != '\0') a.push_back(c);
  }
  a.push_back('"');
}

bool ValidCode(const std::string& code) {
  if (code.empty() || code.size() > 32) return false;
  for (char c : code)
    if (!((c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '-')) return false;
  return true;
}

// Plans of the projects, added to their maps.
void LoadPlansOf(db::Tx& tx, std::map<int64_t, Project*>& by_id) {
  std::vector<int64_t> ids;
  for (const auto& [id, p] : by_id) ids.push_back(id);
  for (size_t start = 0; start < ids.size(); start += kBulkRows) {
    std::vector<int64_t> chunk(ids.begin() + start, ids.begin() + std::min(ids.size(), start + kBulkRows));
    soci::row r;
    soci::statement st = (tx.sql().prepare << "SELECT project_id, year, amount FROM project_plans WHERE project_id IN (" +
                                                  InIds(chunk) + ")",
                          soci::into(r));
    st.execute();
    while (st.fetch())
      by_id.at(GetInt(r, 0))->annual_plans[static_cast<int>(GetInt(r, 1))] = Decimal::FromRaw(GetInt(r, 2));
  }
}

void InsertPlans(db::Tx& tx, const std::vector<const Project*>& ps) {
  if (!tx.postgres()) {
    // SQLite: one prepared statement stepped once per row (no round trips to save).
    std::vector<long long> project, year, amount;
    for (const Project* p : ps)
      for (const auto& [y, a] : p->annual_plans) {
        project.push_back(p->id);
        year.push_back(y);
        amount.push_back(a.raw());
      }
    if (project.empty()) return;
    tx.sql() << "INSERT INTO project_plans (project_id, year, amount) VALUES (:p, :y, :a)", soci::use(project),
        soci::use(year), soci::use(amount);
    return;
  }
  // PostgreSQL: the three columns as arrays, one statement.
  std::string project = "{", year = "{", amount = "{";
  for (const Project* p : ps)
    for (const auto& [y, a] : p->annual_plans) {
      ArrayInt(project, p->id);
      ArrayInt(year, y);
      ArrayInt(amount, a.raw());
    }
  if (project.size() == 1) return;
  project += '}';
  year += '}';
  amount += '}';
  tx.sql() << "INSERT INTO project_plans (project_id, year, amount) SELECT * FROM unnest(CAST(:p AS bigint[]), "
              "CAST(:y AS integer[]), CAST(:a AS bigint[]))",
      soci::use(project), soci::use(year), soci::use(amount);
}

}  // namespace

std::vector<UnitRef> AllUnits(db::Tx& tx) {
  std::vector<UnitRef> out;
  soci::row r;
  soci::statement st =
      (tx.sql().prepare << "SELECT id, code, name, kind, path, parent_id FROM units", soci::into(r));
  st.execute();
  while (st.fetch())
    out.push_back(UnitRef{GetInt(r, 0), GetText(r, 1), GetText(r, 2), GetText(r, 3), GetText(r, 4), GetInt(r, 5, 0)});
  return out;
}

std::vector<LeaderRef> Leaders(db::Tx& tx) {
  std::vector<LeaderRef> out;
  soci::row r;
  soci::statement st = (tx.sql().prepare << "SELECT id, username, display_name, disabled FROM users WHERE role = "
                                            "'leader' ORDER BY id",
                        soci::into(r));
  st.execute();
  while (st.fetch()) out.push_back(LeaderRef{GetInt(r, 0), GetText(r, 1), GetText(r, 2), GetInt(r, 3) != 0});
  return out;
}

std::map<std::string, Project> ProjectsByCodes(db::Tx& tx, const std::vector<std::string>& codes) {
  std::map<std::string, Project> out;
  std::vector<const std::string*> valid;
  for (const std::string& c : codes)
    if (ValidCode(c)) valid.push_back(&c);
  for (size_t start = 0; start < valid.size(); start += kBulkRows) {
    std::string in;
    for (size_t k = start; k < valid.size() && k < start + kBulkRows; ++k) {
      if (!in.empty()) in += ',';
      AppendLit(in, *valid[k]);
    }
    soci::row r;
    soci::statement st = (tx.sql().prepare << std::string("SELECT ") + kProjectCols +
                                                  " FROM projects p WHERE p.code IN (" + in + ")",
                          soci::into(r));
    st.execute();
    while (st.fetch()) {
      Project p = ProjectFromRow(r);
      std::string code = p.code;
      out.emplace(std::move(code), std::move(p));
    }
  }
  std::map<int64_t, Project*> by_id;
  for (auto& [code, p] : out) by_id[p.id] = &p;
  LoadPlansOf(tx, by_id);
  return out;
}

void InsertProjects(db::Tx& tx, std::vector<Project>& ps) {
  std::map<std::string, Project*> by_code;
  if (!tx.postgres() && !ps.empty()) {
    // SQLite: one prepared statement stepped once per row; then the new ids by code (the
    // write transaction holds the database: every id above the old maximum is ours).
    long long before = 0;
    tx.sql() << "SELECT COALESCE(MAX(id), 0) FROM projects", soci::into(before);
    const size_t n = ps.size();
    std::vector<std::string> code(n), name(n), level(n), category(n), industry(n), chain(n), location(n), cc(n),
        stage(n), dates(n);
    std::vector<long long> unit(n), leader(n), tf(n), total(n), created(n), updated(n);
    std::vector<int> start_year(n), end_year(n), archived(n);
    std::vector<soci::indicator> leader_ind(n), tf_ind(n), cc_ind(n);
    for (size_t k = 0; k < n; ++k) {
      const Project& p = ps[k];
      by_code[p.code] = &ps[k];
      code[k] = p.code;
      name[k] = p.name;
      level[k] = p.level;
      category[k] = p.category;
      industry[k] = p.industry;
      chain[k] = p.chain;
      unit[k] = p.unit_id;
      leader[k] = p.leader_id.value_or(0);
      leader_ind[k] = p.leader_id ? soci::i_ok : soci::i_null;
      tf[k] = p.task_force_id.value_or(0);
      tf_ind[k] = p.task_force_id ? soci::i_ok : soci::i_null;
      location[k] = p.location;
      total[k] = p.total_investment.raw();
      start_year[k] = p.start_year;
      end_year[k] = p.end_year;
      if (p.committed_completion) cc[k] = FormatIsoDate(*p.committed_completion);
      cc_ind[k] = p.committed_completion ? soci::i_ok : soci::i_null;
      stage[k] = p.stage;
      dates[k] = StageDatesText(p.stage_dates);
      archived[k] = p.archived ? 1 : 0;
      created[k] = p.created_at;
      updated[k] = p.updated_at;
    }
    tx.sql() << "INSERT INTO projects (code, name, level, category, industry, chain, unit_id, leader_id, "
                "task_force_id, location, total_investment, start_year, end_year, committed_completion, "
                "stage, stage_dates, archived, version, created_at, updated_at) VALUES (:c, :n, :l, :ca, "
                ":i, :ch, :u, :le, :tf, :lo, :t, :sy, :ey, :cc, :st, :sd, :ar, 1, :cr, :up)",
        soci::use(code), soci::use(name), soci::use(level), soci::use(category), soci::use(industry),
        soci::use(chain), soci::use(unit), soci::use(leader, leader_ind), soci::use(tf, tf_ind),
        soci::use(location), soci::use(total), soci::use(start_year), soci::use(end_year), soci::use(cc, cc_ind),
        soci::use(stage), soci::use(dates), soci::use(archived), soci::use(created), soci::use(updated);
    soci::row r;
    soci::statement st =
        (tx.sql().prepare << "SELECT id, code FROM projects WHERE id > :b", soci::use(before), soci::into(r));
    st.execute();
    while (st.fetch()) {
      auto it = by_code.find(GetText(r, 1));
      if (it != by_code.end()) {
        it->second->id = GetInt(r, 0);
        it->second->version = 1;
      }
    }
  } else {
  for (size_t start = 0; start < ps.size(); start += kBulkRows) {
    std::string sql =
        "INSERT INTO projects (code, name, level, category, industry, chain, unit_id, leader_id, "
        "task_force_id, location, total_investment, start_year, end_year, committed_completion, "
        "stage, stage_dates, archived, version, created_at, updated_at) VALUES ";
    by_code.clear();
    for (size_t k = start; k < ps.size() && k < start + kBulkRows; ++k) {
      Project& p = ps[k];
      by_code[p.code] = &p;
      if (k > start) sql += ',';
      sql += '(';
      AppendLit(sql, p.code);
      sql += ',';
      AppendLit(sql, p.name);
      sql += ',';
      AppendLit(sql, p.level);
      sql += ',';
      AppendLit(sql, p.category);
      sql += ',';
      AppendLit(sql, p.industry);
      sql += ',';
      AppendLit(sql, p.chain);
      sql += ',';
      AppendInt(sql, p.unit_id);
      sql += ',';
      AppendOptInt(sql, p.leader_id);
      sql += ',';
      AppendOptInt(sql, p.task_force_id);
      sql += ',';
      AppendLit(sql, p.location);
      sql += ',';
      AppendInt(sql, p.total_investment.raw());
      sql += ',';
      AppendInt(sql, p.start_year);
      sql += ',';
      AppendInt(sql, p.end_year);
      sql += ',';
      if (p.committed_completion) AppendLit(sql, FormatIsoDate(*p.committed_completion));
      else sql += "NULL";
      sql += ',';
      AppendLit(sql, p.stage);
      sql += ',';
      AppendLit(sql, StageDatesText(p.stage_dates));
      sql += ',';
      AppendInt(sql, p.archived ? 1 : 0);
      sql += ",1,";
      AppendInt(sql, p.created_at);
      sql += ',';
      AppendInt(sql, p.updated_at);
      sql += ')';
    }
    sql += " RETURNING id, code";
    soci::row r;
    soci::statement st = (tx.sql().prepare << sql, soci::into(r));
    st.execute();
    while (st.fetch()) {
      auto it = by_code.find(GetText(r, 1));
      if (it != by_code.end()) {
        it->second->id = GetInt(r, 0);
        it->second->version = 1;
      }
    }
  }
  }
  std::vector<const Project*> all;
  for (const Project& p : ps) all.push_back(&p);
  InsertPlans(tx, all);
}

bool UpdateProjects(db::Tx& tx, const std::vector<Project>& ps) {
  if (ps.empty()) return true;
  std::string name, level, category, industry, chain, location, stage, dates, cc;
  long long unit = 0, leader = 0, tf = 0, total = 0, updated = 0, id = 0;
  int start_year = 0, end_year = 0, archived = 0, version = 0;
  soci::indicator leader_ind = soci::i_null, tf_ind = soci::i_null, cc_ind = soci::i_null;
  soci::statement st =
      (tx.sql().prepare << "UPDATE projects SET name = :n, level = :l, category = :ca, industry = :i, "
                           "chain = :ch, unit_id = :u, leader_id = :le, task_force_id = :tf, location = :lo, "
                           "total_investment = :t, start_year = :sy, end_year = :ey, committed_completion = :cc, "
                           "stage = :st, stage_dates = :sd, archived = :ar, updated_at = :up, "
                           "version = version + 1 WHERE id = :id AND version = :v",
       soci::use(name), soci::use(level), soci::use(category), soci::use(industry), soci::use(chain),
       soci::use(unit), soci::use(leader, leader_ind), soci::use(tf, tf_ind), soci::use(location),
       soci::use(total), soci::use(start_year), soci::use(end_year), soci::use(cc, cc_ind), soci::use(stage),
       soci::use(dates), soci::use(archived), soci::use(updated), soci::use(id), soci::use(version));
  for (const Project& p : ps) {
    name = p.name;
    level = p.level;
    category = p.category;
    industry = p.industry;
    chain = p.chain;
    unit = p.unit_id;
    leader = p.leader_id.value_or(0);
    leader_ind = p.leader_id ? soci::i_ok : soci::i_null;
    tf = p.task_force_id.value_or(0);
    tf_ind = p.task_force_id ? soci::i_ok : soci::i_null;
    location = p.location;
    total = p.total_investment.raw();
    start_year = p.start_year;
    end_year = p.end_year;
    cc = p.committed_completion ? FormatIsoDate(*p.committed_completion) : std::string();
    cc_ind = p.committed_completion ? soci::i_ok : soci::i_null;
    stage = p.stage;
    dates = StageDatesText(p.stage_dates);
    archived = p.archived ? 1 : 0;
    updated = p.updated_at;
    id = p.id;
    version = p.version;
    st.execute(true);
    if (st.get_affected_rows() != 1) return false;
  }
  std::vector<int64_t> ids;
  std::vector<const Project*> all;
  for (const Project& p : ps) {
    ids.push_back(p.id);
    all.push_back(&p);
  }
  for (size_t start = 0; start < ids.size(); start += kBulkRows) {
    std::vector<int64_t> chunk(ids.begin() + start, ids.begin() + std::min(ids.size(), start + kBulkRows));
    tx.sql() << "DELETE FROM project_plans WHERE project_id IN (" + InIds(chunk) + ")";
  }
  InsertPlans(tx, all);
  return true;
}

std::vector<Progress> ProgressOfMany(db::Tx& tx, const std::vector<int64_t>& ids) {
  std::vector<Progress> out;
  for (size_t start = 0; start < ids.size(); start += kBulkRows) {
    std::vector<int64_t> chunk(ids.begin() + start, ids.begin() + std::min(ids.size(), start + kBulkRows));
    soci::row r;
    soci::statement st = (tx.sql().prepare << std::string("SELECT ") + kProgressCols +
                                                  " FROM project_progress WHERE project_id IN (" + InIds(chunk) +
                                                  ") ORDER BY project_id, month",
                          soci::into(r));
    st.execute();
    while (st.fetch()) out.push_back(ProgressFromRow(r));
  }
  return out;
}

std::map<int64_t, int> OpenProblemCounts(db::Tx& tx, const std::vector<int64_t>& ids) {
  std::map<int64_t, int> out;
  for (size_t start = 0; start < ids.size(); start += kBulkRows) {
    std::vector<int64_t> chunk(ids.begin() + start, ids.begin() + std::min(ids.size(), start + kBulkRows));
    soci::row r;
    soci::statement st = (tx.sql().prepare << "SELECT project_id, COUNT(*) FROM project_problems WHERE state = "
                                              "'open' AND project_id IN (" + InIds(chunk) + ") GROUP BY project_id",
                          soci::into(r));
    st.execute();
    while (st.fetch()) out[GetInt(r, 0)] = static_cast<int>(GetInt(r, 1));
  }
  return out;
}

void UpsertYears(db::Tx& tx, const std::vector<ProjectYear>& ys, bool fresh) {
  for (size_t start = 0; !fresh && start < ys.size(); start += kBulkRows) {
    const size_t end = std::min(ys.size(), start + kBulkRows);
    std::string del = "DELETE FROM project_years WHERE (project_id, year) IN (VALUES ";
    for (size_t k = start; k < end; ++k) {
      if (k > start) del += ',';
      del += '(';
      AppendInt(del, ys[k].project_id);
      del += ',';
      AppendInt(del, ys[k].year);
      del += ')';
    }
    tx.sql() << del + ")";
  }
  if (ys.empty()) return;
  if (!tx.postgres()) {
    // SQLite: one prepared statement stepped once per row (no round trips to save).
    const size_t n = ys.size();
    std::vector<long long> project(n), year(n), plan(n), ytd(n), cum(n), completion(n), open(n), overdue(n), unit(n);
    std::vector<soci::indicator> plan_ind(n), completion_ind(n);
    std::vector<std::string> status(n), reason(n), as_of(n);
    for (size_t k = 0; k < n; ++k) {
      const ProjectYear& y = ys[k];
      project[k] = y.project_id;
      year[k] = y.year;
      plan[k] = y.plan ? y.plan->raw() : 0;
      plan_ind[k] = y.plan ? soci::i_ok : soci::i_null;
      ytd[k] = y.ytd.raw();
      cum[k] = y.cumulative.raw();
      completion[k] = y.completion ? y.completion->raw() : 0;
      completion_ind[k] = y.completion ? soci::i_ok : soci::i_null;
      status[k] = y.status;
      reason[k] = y.status_reason;
      open[k] = y.open_problems;
      overdue[k] = y.overdue_milestones;
      as_of[k] = y.as_of;
      unit[k] = y.unit_id;
    }
    tx.sql() << "INSERT INTO project_years (project_id, year, plan, ytd, cumulative, completion, status, "
                "status_reason, open_problems, overdue_milestones, as_of, unit_id) VALUES (:p, :y, :pl, :ytd, :cum, "
                ":c, :s, :r, :op, :om, :a, :u)",
        soci::use(project), soci::use(year), soci::use(plan, plan_ind), soci::use(ytd), soci::use(cum),
        soci::use(completion, completion_ind), soci::use(status), soci::use(reason), soci::use(open),
        soci::use(overdue), soci::use(as_of), soci::use(unit);
    return;
  }
  // PostgreSQL: the twelve columns as arrays, one statement.
  std::vector<std::string> cols(12, "{");
  for (const ProjectYear& y : ys) {
    ArrayInt(cols[0], y.project_id);
    ArrayInt(cols[1], y.year);
    ArrayOptInt(cols[2], y.plan ? std::optional<int64_t>(y.plan->raw()) : std::nullopt);
    ArrayInt(cols[3], y.ytd.raw());
    ArrayInt(cols[4], y.cumulative.raw());
    ArrayOptInt(cols[5], y.completion ? std::optional<int64_t>(y.completion->raw()) : std::nullopt);
    ArrayText(cols[6], y.status);
    ArrayText(cols[7], y.status_reason);
    ArrayInt(cols[8], y.open_problems);
    ArrayInt(cols[9], y.overdue_milestones);
    ArrayText(cols[10], y.as_of);
    ArrayInt(cols[11], y.unit_id);
  }
  for (std::string& c : cols) c += '}';
  tx.sql() << "INSERT INTO project_years (project_id, year, plan, ytd, cumulative, completion, status, "
              "status_reason, open_problems, overdue_milestones, as_of, unit_id) SELECT * FROM unnest("
              "CAST(:p AS bigint[]), CAST(:y AS integer[]), CAST(:pl AS bigint[]), CAST(:ytd AS bigint[]), "
              "CAST(:cum AS bigint[]), CAST(:c AS bigint[]), CAST(:s AS text[]), CAST(:r AS text[]), "
              "CAST(:op AS integer[]), CAST(:om AS integer[]), CAST(:a AS text[]), CAST(:u AS bigint[]))",
      soci::use(cols[0]), soci::use(cols[1]), soci::use(cols[2]), soci::use(cols[3]), soci::use(cols[4]),
      soci::use(cols[5]), soci::use(cols[6]), soci::use(cols[7]), soci::use(cols[8]), soci::use(cols[9]),
      soci::use(cols[10]), soci::use(cols[11]);
}

Status AppendAuditBatch(db::Tx& tx, std::vector<auth::AuditEntry> entries) {
  if (entries.empty()) return Status::Ok();
  ChainAudit(LockAuditChain(tx), entries);
  InsertAudit(tx, std::move(entries));
  return Status::Ok();
}

AuditHead LockAuditChain(db::Tx& tx) {
  soci::session& sql = tx.sql();
  // As auth::AppendAudit: appends are serialized (SQLite: the write lock), and each entry's
  // hash covers the previous one's.
  if (tx.postgres()) sql << "SELECT pg_advisory_xact_lock(73100002)";
  AuditHead head{0, auth::kAuditGenesis};
  soci::row last;
  sql << "SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1", soci::into(last);
  if (sql.got_data()) {
    head.seq = GetInt(last, 0);
    head.hash = GetText(last, 1);
  }
  return head;
}

void ChainAudit(const AuditHead& head, std::vector<auth::AuditEntry>& entries) {
  int64_t last_seq = head.seq;
  std::string last_hash = head.hash;
  for (auth::AuditEntry& e : entries) {
    e.seq = ++last_seq;
    e.prev_hash = std::move(last_hash);
    e.hash = auth::Sm3Hex(auth::AuditCanonical(e));
    last_hash = e.hash;
  }
}

void InsertAudit(db::Tx& tx, std::vector<auth::AuditEntry> entries) {
  if (entries.empty()) return;
  soci::session& sql = tx.sql();
  if (!tx.postgres()) {
    // SQLite: one prepared statement stepped once per row.
    const size_t n = entries.size();
    std::vector<long long> seq(n), at(n), user(n), unit(n);
    std::vector<soci::indicator> user_ind(n), unit_ind(n), before_ind(n), after_ind(n);
    std::vector<std::string> username(n), role(n), ip(n), event(n), type(n), id(n), outcome(n), before(n), after(n),
        prev(n), hash(n);
    for (size_t k = 0; k < n; ++k) {
      auth::AuditEntry& e = entries[k];
      seq[k] = e.seq;
      at[k] = e.at;
      user[k] = e.user_id.value_or(0);
      user_ind[k] = e.user_id ? soci::i_ok : soci::i_null;
      unit[k] = e.unit_id.value_or(0);
      unit_ind[k] = e.unit_id ? soci::i_ok : soci::i_null;
      username[k] = std::move(e.username);
      role[k] = std::move(e.role);
      ip[k] = std::move(e.ip);
      event[k] = std::move(e.event);
      type[k] = std::move(e.object_type);
      id[k] = std::move(e.object_id);
      outcome[k] = std::move(e.outcome);
      before_ind[k] = e.before_json.empty() ? soci::i_null : soci::i_ok;
      after_ind[k] = e.after_json.empty() ? soci::i_null : soci::i_ok;
      before[k] = std::move(e.before_json);
      after[k] = std::move(e.after_json);
      prev[k] = std::move(e.prev_hash);
      hash[k] = std::move(e.hash);
    }
    sql << "INSERT INTO audit_log (seq, at, user_id, username, role, unit_id, ip, event, "
           "object_type, object_id, outcome, before_json, after_json, prev_hash, hash) VALUES "
           "(:seq, :at, :uid, :un, :role, :unit, :ip, :ev, :ot, :oid, :out, :b, :a, :ph, :h)",
        soci::use(seq), soci::use(at), soci::use(user, user_ind), soci::use(username), soci::use(role),
        soci::use(unit, unit_ind), soci::use(ip), soci::use(event), soci::use(type), soci::use(id),
        soci::use(outcome), soci::use(before, before_ind), soci::use(after, after_ind), soci::use(prev),
        soci::use(hash);
    return;
  }
  // PostgreSQL: the fifteen columns as arrays, one statement.
  std::vector<std::string> cols(15, "{");
  auto opt_text = [](std::string& a, const std::string& v) {
    if (v.empty()) a += a.size() > 1 ? ",NULL" : "NULL";
    else ArrayText(a, v);
  };
  for (const auth::AuditEntry& e : entries) {
    ArrayInt(cols[0], e.seq);
    ArrayInt(cols[1], e.at);
    ArrayOptInt(cols[2], e.user_id);
    ArrayText(cols[3], e.username);
    ArrayText(cols[4], e.role);
    ArrayOptInt(cols[5], e.unit_id);
    ArrayText(cols[6], e.ip);
    ArrayText(cols[7], e.event);
    ArrayText(cols[8], e.object_type);
    ArrayText(cols[9], e.object_id);
    ArrayText(cols[10], e.outcome);
    opt_text(cols[11], e.before_json);
    opt_text(cols[12], e.after_json);
    ArrayText(cols[13], e.prev_hash);
    ArrayText(cols[14], e.hash);
  }
  for (std::string& c : cols) c += '}';
  sql << "INSERT INTO audit_log (seq, at, user_id, username, role, unit_id, ip, event, object_type, object_id, "
         "outcome, before_json, after_json, prev_hash, hash) SELECT * FROM unnest(CAST(:seq AS bigint[]), "
         "CAST(:at AS bigint[]), CAST(:uid AS bigint[]), CAST(:un AS text[]), CAST(:role AS text[]), "
         "CAST(:unit AS bigint[]), CAST(:ip AS text[]), CAST(:ev AS text[]), CAST(:ot AS text[]), "
         "CAST(:oid AS text[]), CAST(:out AS text[]), CAST(:b AS text[]), CAST(:a AS text[]), "
         "CAST(:ph AS text[]), CAST(:h AS text[]))",
      soci::use(cols[0]), soci::use(cols[1]), soci::use(cols[2]), soci::use(cols[3]), soci::use(cols[4]),
      soci::use(cols[5]), soci::use(cols[6]), soci::use(cols[7]), soci::use(cols[8]), soci::use(cols[9]),
      soci::use(cols[10]), soci::use(cols[11]), soci::use(cols[12]), soci::use(cols[13]), soci::use(cols[14]);
}

}  // namespace tiaodu::projects::store
