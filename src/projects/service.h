// ProjectService: the use cases of 重点项目 — the registry, stage changes, backward scheduling,
// milestones, monthly progress by the responsible unit, problems and their escalation,
// 三个一批 batches, the battle map, and the daily refresh of statuses. Checks permission and
// data scope, validates, runs each change in one transaction with its audit record, and
// refreshes the project's yearly figures (the list's read model) in that transaction.
// References to db and clock must outlive it. Thread-safe.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "auth/model.h"
#include "base/clock.h"
#include "base/result.h"
#include "db/database.h"
#include "io/table.h"
#include "io/xlsx_writer.h"
#include "projects/model.h"
#include "projects/rules.h"
#include "projects/store.h"

namespace tiaodu::projects {

// What a client sends to create or edit a project (references by code / id).
struct ProjectInput {
  Project project;          // fields as typed (id/version/stage ignored on create)
  std::string unit_code;    // responsible unit
  std::string task_force_code;  // "" = none
};

struct ProjectDetail {
  store::ProjectRow row;
  std::vector<Milestone> milestones;
  std::vector<Progress> progress;
  std::vector<store::ProblemRow> problems;
};

struct BatchView {
  Batch batch;
  std::vector<Project> projects;  // every project named in the lists
  bool frozen = false;
  BatchRates rates;
};

struct BattleMapGroup {
  store::UnitRef unit;
  std::vector<store::ProjectRow> projects;
  std::vector<std::vector<Milestone>> milestones;  // parallel to projects
};

// What an import did (or, in a dry run, would do).
struct ImportResult {
  int rows = 0;
  int inserted = 0;
  int updated = 0;
  int unchanged = 0;
  // Where the time went (milliseconds): reading the database and checking every row, and
  // the writes with the audit records and the commit.
  double check_ms = 0, write_ms = 0;
};

struct SettingsView {
  Settings settings;
  int version = 1;
};

class ProjectService {
 public:
  ProjectService(db::Database& db, const Clock& clock) : db_(db), clock_(clock) {}

  Result<auth::Page<store::ProjectRow>> List(const auth::Actor& actor, store::ProjectQuery q,
                                             const std::string& unit_code);
  Result<ProjectDetail> Get(const auth::Actor& actor, int64_t id, int year);
  Result<ProjectDetail> Create(const auth::Actor& actor, const ProjectInput& in);
  Result<ProjectDetail> Update(const auth::Actor& actor, int64_t id, const ProjectInput& in);
  Result<ProjectDetail> SetArchived(const auth::Actor& actor, int64_t id, bool archived, int version);
  Result<ProjectDetail> ChangeStage(const auth::Actor& actor, int64_t id, const std::string& stage,
                                    const std::string& date, int version);
  Result<ProjectDetail> Schedule(const auth::Actor& actor, int64_t id, int version);
  Result<ProjectDetail> UpdateMilestone(const auth::Actor& actor, int64_t id, int64_t milestone_id,
                                        std::optional<std::string> planned, bool planned_present,
                                        std::optional<std::string> actual, bool actual_present,
                                        int version);
  Result<ProjectDetail> ReportProgress(const auth::Actor& actor, int64_t id, const std::string& month,
                                       const std::string& amount, const std::string& narrative,
                                       std::optional<int> version);

  Result<auth::Page<store::ProblemRow>> ListProblems(const auth::Actor& actor, store::ProblemQuery q,
                                                     const std::string& unit_code, bool overdue_only);
  Result<store::ProblemRow> RaiseProblem(const auth::Actor& actor, int64_t project_id,
                                         const std::string& category, const std::string& description,
                                         const std::string& owner_code, const std::string& deadline);
  Result<store::ProblemRow> ResolveProblem(const auth::Actor& actor, int64_t problem_id,
                                           const std::string& resolution, int version);
  // Escalates every overdue open problem one level up; returns how many.
  Result<int> EscalateOverdue(const CivilDate& today);

  Result<std::vector<BatchView>> ListBatches(const auth::Actor& actor);
  // Every batch, inside a caller's transaction, without permission checks (assessment).
  std::vector<BatchView> BatchesInTx(db::Tx& tx);
  Result<BatchView> GetBatch(const auth::Actor& actor, int64_t id);
  Result<BatchView> CreateBatch(const auth::Actor& actor, int number, const std::string& name,
                                const std::string& deadline);
  Result<BatchView> SetBatchLists(const auth::Actor& actor, int64_t id,
                                  const std::vector<Batch::Entry>& entries, int version);
  Result<BatchView> CloseBatch(const auth::Actor& actor, int64_t id, int version);

  Result<std::vector<BattleMapGroup>> BattleMap(const auth::Actor& actor, const std::string& unit_code,
                                                int year);
  Result<store::Portfolio> Portfolio(const auth::Actor& actor, const std::string& unit_code,
                                     const std::string& month, const std::string& level);

  // ---- Spreadsheets (the layout: projects/sheets.h) ----
  // Imports a sheet of projects keyed by 项目编码: a new code creates the project (as Create),
  // a known one updates the fields the sheet has (as Update, without a version: the sheet
  // wins) when they differ, and is left alone when they do not. Optional columns the sheet
  // lacks keep their values; plan years without a column keep their plans. The checks of
  // Create/Update (CheckProject; the unit in scope, the task force, the leader; an existing
  // project's own unit in scope) hold for every row. All or nothing: any bad cell → 400 with
  // one Detail per problem, field "第3行 G列（责任单位编码）", nothing written. One
  // transaction; audit records as Create/Update write them (plus one "project.import"); the
  // yearly figures refreshed. project.write.
  Result<ImportResult> Import(const auth::Actor& actor, const io::Table& table, bool dry_run);
  // The whole filtered list (List's filters; not one page; at most 200,000 rows) as a sheet in
  // the import layout, with a plan column for every year any of its projects plans and q.year.
  // project.read.
  Result<io::Sheet> ExportSheet(const auth::Actor& actor, store::ProjectQuery q, const std::string& unit_code);
  // The import template: this year's plan column, drop-downs for 级别, 类别, 联系领导 and
  // 专班编码 (those in scope), one example row. Its 填写说明: ProjectInstructions(). project.write.
  Result<io::Sheet> TemplateSheet(const auth::Actor& actor);

  // ---- Monthly progress in bulk (projects/progress_import.cc; the layout: ProgressColumns) ----
  // The reports of the projects in scope (the project's unit), filters of `q` (months as
  // "2026-06"; "2026-6" accepted) and the unit subtree of `unit_code`, ordered by project code
  // and month, with their ytd and cumulative. project.read.
  Result<auth::Page<store::ProgressRow>> ListProgress(const auth::Actor& actor, store::ProgressQuery q,
                                                      const std::string& unit_code);
  // The whole filtered list (at most 200,000 reports) in the import layout. project.read.
  Result<io::Sheet> ProgressExportSheet(const auth::Actor& actor, store::ProgressQuery q, const std::string& unit_code);
  // The progress template: a drop-down of the project codes in scope, last month in the
  // example row (a project of the caller's when there is one). project.report or project.write.
  Result<io::Sheet> ProgressTemplateSheet(const auth::Actor& actor);
  // Imports monthly reports keyed by (项目编码, 月份), each row as ReportProgress would take it:
  // project.report or project.write, the project's unit in the caller's scope, not archived,
  // no future month or one before the start year, amount >= 0 and <= the total investment,
  // one row per project and month in a file (a second names the first). A row equal to the
  // stored report (amount, and narrative where the sheet has the column) is unchanged and
  // not checked further; a row whose 版本 is given must match the stored report's version.
  // All or nothing (400 naming each bad cell, nothing written); one transaction; each changed
  // report audited as ReportProgress audits it (plus one "project.progress_import"); the
  // touched projects' yearly figures refreshed.
  Result<ImportResult> ImportProgress(const auth::Actor& actor, const io::Table& table, bool dry_run);

  Result<store::Options> FormOptions(const auth::Actor& actor);
  Result<SettingsView> GetSettings(const auth::Actor& actor);
  Result<SettingsView> PutSettings(const auth::Actor& actor, const Settings& s, int version);

  // Recomputes every active project's yearly figures as of `today` (daily, and after
  // settings change). Returns how many projects.
  Result<int> RefreshAll(const CivilDate& today);

  // Bulk load for demo and benchmarks (system actor only): inserts the projects with their
  // milestones and progress, then refreshes them. Ids of `projects` are ignored; milestone
  // and progress project_ids index into `projects` (0-based).
  Status LoadBulk(const auth::Actor& system, const std::vector<Project>& projects,
                  const std::vector<Milestone>& milestones, const std::vector<Progress>& progress,
                  const std::vector<Problem>& problems);

  CivilDate Today() const;

  // For a module that creates a project inside its own transaction (a converted lead):
  // recomputes that project's yearly figures there.
  Status RefreshInTx(db::Tx& tx, int64_t project_id);

 private:
  Status Refresh(db::Tx& tx, int64_t project_id, const CivilDate& today, const Settings& s);
  Result<Settings> LoadSettings(db::Tx& tx);
  Result<ProjectDetail> LoadDetail(db::Tx& tx, int64_t id, int year);

  db::Database& db_;
  const Clock& clock_;
};

// The scope of a list: the actor's (`scope_path`), narrowed to the subtree of `unit_code` when
// one is given (`unit_path`). False when that unit is unknown or outside the scope: nothing
// is visible.
bool ListScope(db::Tx& tx, const auth::Actor& actor, const std::string& unit_code, std::string& scope_path,
               std::string& unit_path);

// Serialization of the settings text (settings key "projects").
std::string SettingsToText(const Settings& s);
Settings SettingsFromText(const std::string& text);

}  // namespace tiaodu::projects
