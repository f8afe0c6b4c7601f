// SQL of the key-projects domain, and nothing else. Runs inside a caller's Tx. Amounts are
// Decimal raw int64; dates ISO text.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "auth/model.h"
#include "base/result.h"
#include "db/database.h"
#include "projects/model.h"

namespace tiaodu::projects::store {

struct UnitRef {
  int64_t id = 0;
  std::string code, name, kind, path;
  int64_t parent_id = 0;
};
std::optional<UnitRef> FindUnit(db::Tx& tx, int64_t id);
std::optional<UnitRef> FindUnitByCode(db::Tx& tx, const std::string& code);

struct UserRef {
  int64_t id = 0;
  std::string name, role;
  bool disabled = false;
};
std::optional<UserRef> FindUser(db::Tx& tx, int64_t id);

// Choices for the project form: active leaders and task forces in scope, and the chain names
// in use (projects' own and the investment module's chain map).
struct Options {
  std::vector<UserRef> leaders;
  std::vector<UnitRef> task_forces;
  std::vector<std::string> chains;
};
Options FormOptions(db::Tx& tx, const std::string& scope_path);

// ---- Projects ----
std::optional<Project> FindProject(db::Tx& tx, int64_t id);
std::optional<Project> FindProjectByCode(db::Tx& tx, const std::string& code);
int64_t InsertProject(db::Tx& tx, const Project& p);
// Writes every field where id and version match; bumps the version. Plans are replaced.
bool UpdateProject(db::Tx& tx, const Project& p);

// One row of the list: the project, its figures for the year, and names.
struct ProjectRow {
  Project project;
  ProjectYear year;
  std::string unit_code, unit_name, leader_name, task_force_code, task_force_name;
};
struct ProjectQuery {
  std::string scope_path;   // the actor's scope
  std::string unit_path;    // filter: the unit's subtree ("" = all in scope)
  std::string level, category, stage, status, chain, q;
  std::optional<int64_t> leader_id;
  std::optional<int64_t> unit_id_exact;
  int year = 0;
  bool include_archived = false;
  std::string sort = "code";
  bool with_plans = true;  // the battle map does without
  int page = 1;
  int page_size = 50;
};
std::vector<ProjectRow> ListProjects(db::Tx& tx, const ProjectQuery& q, int64_t* total);
std::optional<ProjectRow> FindProjectRow(db::Tx& tx, int64_t id, int year);
// Ids of all active projects (for the daily refresh).
std::vector<int64_t> AllProjectIds(db::Tx& tx);

// ---- Yearly figures ----
void UpsertYear(db::Tx& tx, const ProjectYear& y);

// ---- Milestones ----
std::vector<Milestone> Milestones(db::Tx& tx, int64_t project_id);
std::vector<Milestone> MilestonesOf(db::Tx& tx, const std::vector<int64_t>& project_ids);
void ReplaceMilestones(db::Tx& tx, int64_t project_id, const std::vector<Milestone>& ms);
std::optional<Milestone> FindMilestone(db::Tx& tx, int64_t id);
bool UpdateMilestone(db::Tx& tx, const Milestone& m);

// ---- Progress ----
std::vector<Progress> ProgressOf(db::Tx& tx, int64_t project_id);
std::optional<Progress> FindProgress(db::Tx& tx, int64_t project_id, const std::string& month);
int64_t InsertProgress(db::Tx& tx, const Progress& p);
bool UpdateProgress(db::Tx& tx, const Progress& p);
void InsertProgressBulk(db::Tx& tx, const std::vector<Progress>& ps);

// A month's report with its project, the project's unit and the reporter, for the progress
// list and its export (ytd and cumulative are left for the service to fill).
struct ProgressRow {
  Progress progress;
  std::string project_code, project_name, unit_code, unit_name, reporter_name;
  int64_t unit_id = 0;    // the project's
  bool archived = false;  // the project's
  Decimal ytd, cumulative;
};
struct ProgressQuery {
  std::string scope_path;          // the actor's scope (the project's unit)
  std::string unit_path;           // filter: the unit's subtree ("" = all in scope)
  std::string from_month, to_month;  // "2026-01" .. "2026-06", inclusive ("" = open)
  std::optional<int64_t> project_id;
  bool include_archived = false;
  int page = 1;
  int page_size = 50;
};
// Reports ordered by project code and month.
std::vector<ProgressRow> ListProgress(db::Tx& tx, const ProgressQuery& q, int64_t* total);

// Sum of the amounts of projects under unit_path from `from_month` to `to_month`, and their
// plans for `year` (the portfolio's figures).
struct Portfolio {
  int64_t projects = 0;
  Decimal plan, done;
};
Portfolio PortfolioOf(db::Tx& tx, const std::string& unit_path, int year,
                      const std::string& from_month, const std::string& to_month,
                      const std::string& level);

// ---- Problems ----
std::optional<Problem> FindProblem(db::Tx& tx, int64_t id);
int64_t InsertProblem(db::Tx& tx, const Problem& p);
bool UpdateProblem(db::Tx& tx, const Problem& p);
struct ProblemRow {
  Problem problem;
  std::string project_code, project_name, owner_code, owner_name, escalated_code, escalated_name;
};
struct ProblemQuery {
  std::string scope_path;
  std::string unit_path;  // owner or escalated-to unit in this subtree
  std::string state;
  std::optional<int64_t> project_id;
  std::string overdue_before;  // ISO date: deadline before it (and open)
  int page = 1;
  int page_size = 50;
};
std::vector<ProblemRow> ListProblems(db::Tx& tx, const ProblemQuery& q, int64_t* total);
// Open, not escalated, deadline before `today`.
std::vector<Problem> ProblemsToEscalate(db::Tx& tx, const std::string& today);
int CountOpenProblems(db::Tx& tx, int64_t project_id);

// ---- Batches ----
std::optional<Batch> FindBatch(db::Tx& tx, int64_t id);
std::vector<Batch> ListBatches(db::Tx& tx);
int64_t InsertBatch(db::Tx& tx, const Batch& b, int64_t now);
// Writes name, deadline, closed, rates and the entries where the version matches.
bool UpdateBatch(db::Tx& tx, const Batch& b);
std::vector<Project> ProjectsByIds(db::Tx& tx, const std::vector<int64_t>& ids);

// ---- Bulk reads and writes of imports: a few statements for many rows ----
// (Multi-row statements carry their values as SQL literals: text quoted with '' doubled,
// numbers as digits. Both databases read them as bound values would be.)

// Every unit (a small table), and every user with the role leader.
std::vector<UnitRef> AllUnits(db::Tx& tx);
struct LeaderRef {
  int64_t id = 0;
  std::string username, name;
  bool disabled = false;
};
std::vector<LeaderRef> Leaders(db::Tx& tx);

// The projects with these codes, with their plans, by code. Codes that are not valid project
// codes ([A-Za-z0-9-], 1–32) are skipped.
std::map<std::string, Project> ProjectsByCodes(db::Tx& tx, const std::vector<std::string>& codes);
// Inserts the projects (version 1) with their plans, in multi-row statements; sets each id.
void InsertProjects(db::Tx& tx, std::vector<Project>& ps);
// UpdateProject for each (one prepared statement), then their plans replaced in bulk. False
// when some project's id and version no longer match (nothing should then be committed).
bool UpdateProjects(db::Tx& tx, const std::vector<Project>& ps);
// Progress and the count of open problems of many projects.
std::vector<Progress> ProgressOfMany(db::Tx& tx, const std::vector<int64_t>& project_ids);
std::map<int64_t, int> OpenProblemCounts(db::Tx& tx, const std::vector<int64_t>& project_ids);
// UpsertYear for many rows: `fresh` when none of the (project, year) rows exists yet.
void UpsertYears(db::Tx& tx, const std::vector<ProjectYear>& ys, bool fresh);
// auth::AppendAudit for many entries in order (the same chain: seq, prev_hash and hash
// computed here under the same lock), in multi-row statements. The three steps it takes are
// below, for a caller that builds and hashes its entries while it writes other rows.
Status AppendAuditBatch(db::Tx& tx, std::vector<auth::AuditEntry> entries);
// The audit chain's last seq and hash, read under the lock auth::AppendAudit takes (SQLite:
// the write transaction; PostgreSQL: the advisory lock, held to the end of the transaction).
struct AuditHead {
  int64_t seq = 0;
  std::string hash;
};
AuditHead LockAuditChain(db::Tx& tx);
// Numbers the entries after `head` and sets each one's prev_hash and hash (no database).
void ChainAudit(const AuditHead& head, std::vector<auth::AuditEntry>& entries);
// Inserts entries that ChainAudit has chained after the head LockAuditChain gave.
void InsertAudit(db::Tx& tx, std::vector<auth::AuditEntry> entries);

}  // namespace tiaodu::projects::store
