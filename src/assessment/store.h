// SQL of the assessment domain, and nothing else. Runs inside a caller's Tx. Reads the other
// domains' tables only for the month's figures a scheme scores (read-only, aggregated).
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "assessment/model.h"
#include "db/database.h"
#include "projects/model.h"

namespace tiaodu::assessment::store {

struct UnitRef {
  int64_t id = 0;
  std::string code, name, path, kind;
  int64_t parent_id = 0;
};
std::optional<UnitRef> FindUnit(db::Tx& tx, int64_t id);
std::optional<UnitRef> FindUnitByCode(db::Tx& tx, const std::string& code);
// The unit whose path is `path` (a caller's scope root), for the cockpit.
std::optional<UnitRef> FindUnitByPath(db::Tx& tx, const std::string& path);
// The units a scheme ranks: active children of `parent_id` that are governments or zones.
std::vector<UnitRef> RankedUnits(db::Tx& tx, int64_t parent_id);

// ---- Schemes ----
// The scheme with its versions and their items; nullopt when absent.
std::optional<Scheme> LoadScheme(db::Tx& tx, int64_t id);
// Schemes whose parent unit is inside `scope_path` ("" for all). Without versions.
std::vector<Scheme> ListSchemes(db::Tx& tx, const std::string& scope_path, bool include_archived);
int64_t InsertScheme(db::Tx& tx, const Scheme& s, int64_t now);
// Writes name and archived where id and version match; bumps the version.
bool UpdateScheme(db::Tx& tx, const Scheme& s, int64_t now);
void InsertVersion(db::Tx& tx, int64_t scheme_id, const SchemeVersion& v);
// The latest published month of the scheme, "" when none.
std::string LastPublished(db::Tx& tx, int64_t scheme_id);

// ---- Published tables (frozen) ----
struct PublishedInfo {
  int scheme_version = 0;
  int64_t published_at = 0;
  std::string published_by;
};
std::optional<PublishedInfo> FindPublished(db::Tx& tx, int64_t scheme_id, const std::string& period);
// The frozen rows (items with measures, ranks and points) in rank order.
std::vector<LeagueRow> LoadPublishedRows(db::Tx& tx, int64_t scheme_id, const std::string& period, size_t items);
void InsertPublished(db::Tx& tx, int64_t scheme_id, const std::string& period, const League& league,
                     int64_t now, const std::string& by);
// Every unit's flags under a scheme for months in [from, to], for the flags board.
struct FlagCell {
  int64_t unit_id = 0;
  std::string period;
  int rank = 0;
  Flag flag = Flag::kNone;
};
std::vector<FlagCell> FlagsBetween(db::Tx& tx, int64_t scheme_id, const std::string& from, const std::string& to);

// ---- The month's figures ----
struct IndicatorRef {
  int64_t id = 0;
  std::string code, name, unit;
  bool lower_better = false;
  int decimals = 2;
};
std::optional<IndicatorRef> FindIndicator(db::Tx& tx, const std::string& code);
// Approved growth (yoy, percent) of an indicator for `period`, by unit id.
std::map<int64_t, Decimal> IndicatorGrowth(db::Tx& tx, int64_t indicator_id, const std::string& period);
// Key projects, per project unit path: the year's plan (sum of plans of active projects with a
// plan that year) and the amount invested from January to `to_month` ("2026-06").
struct Amounts {
  Decimal done, plan;
};
std::map<std::string, Amounts> ProjectAmountsByPath(db::Tx& tx, int year, const std::string& to_month);
// Contracts dated within [from, to] (ISO dates), summed by the lead's unit path.
std::map<std::string, Decimal> ContractsByPath(db::Tx& tx, const std::string& from, const std::string& to);
// The year's investment targets (contract amount), by unit id.
std::map<int64_t, Decimal> InvestmentTargets(db::Tx& tx, int year);

// ---- The cockpit's figures (驾驶舱; each mirrors the filter of the list its figure links to) ----
// The latest month <= `period` with indicator figures of the unit, "" when none.
std::string LatestFigurePeriod(db::Tx& tx, int64_t unit_id, const std::string& period);
// One indicator figure of a unit (the approved read model, indicator_figures).
struct FigureRow {
  std::string code, name, unit, direction;
  int decimals = 2;
  int64_t parent_id = 0;
  Decimal value;
  std::optional<Decimal> yoy, target_value, progress, elapsed;
  std::optional<int> rank_value, rank_growth;
  std::string yoy_source, progress_status;
  int siblings = 0;  // units ranked with it (figures of the same parent, indicator and month)
};
// The unit's figures of `period` in catalog order, with the number of siblings ranked.
std::vector<FigureRow> UnitFigures(db::Tx& tx, int64_t unit_id, const std::string& period);
// Key projects under `unit_path` as the project list counts them (archived left out): every
// project, and per status of `year` (a project without that year's figures is 正常).
struct StatusSums {
  std::string status;
  int64_t count = 0;
  Decimal plan{}, ytd{};
};
std::vector<StatusSums> ProjectsByStatus(db::Tx& tx, const std::string& unit_path, int year);
// Open leads under `unit_path` per stage (as the pipeline board counts them).
struct StageSums {
  std::string stage;
  int64_t count = 0;
  Decimal amount;
};
std::vector<StageSums> OpenLeadsByStage(db::Tx& tx, const std::string& unit_path);
// Contracts of leads under `unit_path` dated within [from, to] (ISO dates): count and sum.
std::pair<int64_t, Decimal> ContractsUnder(db::Tx& tx, const std::string& unit_path, const std::string& from,
                                           const std::string& to);
// The unit's own investment target of the year (contract amount, 亿元以上 projects).
std::optional<std::pair<Decimal, int>> InvestmentTargetOf(db::Tx& tx, int64_t unit_id, int year);
// Open tasks (neither closed nor cancelled) owned under `unit_path`, by light.
std::map<std::string, int64_t> OpenTasksByLight(db::Tx& tx, const std::string& unit_path);
// Open tasks owned under `unit_path` that are overdue on `today` (ISO), as `GET /tasks?overdue=1`.
int64_t OverdueTasks(db::Tx& tx, const std::string& unit_path, const std::string& today);
// Tasks (not cancelled) owned under `unit_path` whose completion deadline lies in [from, to]:
// the deadline (ISO) and when completion was reported (ms; nullopt if not).
std::vector<std::pair<std::string, std::optional<int64_t>>> TasksDue(db::Tx& tx, const std::string& unit_path,
                                                                     const std::string& from, const std::string& to);
// The latest published month <= `period` of a scheme, "" when none.
std::string LatestPublishedUpTo(db::Tx& tx, int64_t scheme_id, const std::string& period);

// ---- The bulletin's figures (read-only over the other domains' tables) ----
struct IndicatorInfo {
  int64_t id = 0;
  std::string code, name, unit, growth_basis;
  int decimals = 2;
};
// The catalog's active indicators with these codes, in `codes`' order (absent ones skipped).
std::vector<IndicatorInfo> IndicatorsByCode(db::Tx& tx, const std::vector<std::string>& codes);
// One approved figure (status approved or published) of the board's read model.
struct UnitFigureRow {
  int64_t unit_id = 0;
  std::string unit_code, unit_name;
  Decimal value;
  std::optional<Decimal> yoy;
  int rank_value = 0, rank_growth = 0;
};
// The unit's own figure for the period, nullopt without an approved one.
std::optional<UnitFigureRow> UnitFigure(db::Tx& tx, int64_t unit_id, int64_t indicator_id, const std::string& period);
// The approved figures of the unit's children (the board's league) for the period, by unit code.
std::vector<UnitFigureRow> ChildFigures(db::Tx& tx, int64_t parent_id, int64_t indicator_id, const std::string& period);

// A key project with a plan in `year` under `root_path`, with what it invested January..`to_month`
// and its milestones (for its status as of the month's end).
struct PlannedProject {
  int64_t id = 0;
  std::string code, name, unit_path, unit_name;
  Decimal plan, done;
  std::vector<projects::Milestone> milestones;
};
std::vector<PlannedProject> PlannedProjects(db::Tx& tx, const std::string& root_path, int year,
                                            const std::string& to_month);
// The projects domain's settings text (settings key "projects"), "" when never saved.
std::string ProjectSettingsText(db::Tx& tx);

// Open supervised tasks (not closed or cancelled) under `root_path` assigned at or before
// `assigned_by` (millis) whose light is yellow or red.
struct LitTask {
  std::string code, title, light, light_reason, due, owner_path, owner_name;
};
std::vector<LitTask> LitOpenTasks(db::Tx& tx, const std::string& root_path, int64_t assigned_by);

}  // namespace tiaodu::assessment::store
