// SQL of the indicators domain, and nothing else: no permission checks, no rules. Every
// function runs inside a caller's Tx. Decimals are stored as their raw int64 (millionths).
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "db/database.h"
#include "indicators/model.h"

namespace tiaodu::indicators::store {

// ---- Units as this domain sees them ----

// A unit that reports indicators (not a department or task force).
struct UnitRef {
  int64_t id = 0;
  std::string code;
  std::string name;
  std::string path;
  int64_t parent_id = 0;  // 0 for the root
};
std::optional<UnitRef> FindUnitByCode(db::Tx& tx, const std::string& code);
std::optional<UnitRef> FindUnitById(db::Tx& tx, int64_t id);
// The active children of parent_id that report indicators, ordered by sort_order, code.
std::vector<UnitRef> ReportingChildren(db::Tx& tx, int64_t parent_id);
// Every active reporting unit (for recomputing all figures), ordered by path.
std::vector<UnitRef> AllReportingUnits(db::Tx& tx);

// ---- Catalog ----
std::vector<Indicator> ListIndicators(db::Tx& tx, bool include_archived);
std::optional<Indicator> FindIndicator(db::Tx& tx, int64_t id);
std::optional<Indicator> FindIndicatorByCode(db::Tx& tx, const std::string& code);
int64_t InsertIndicator(db::Tx& tx, const Indicator& ind, int64_t now);
// Writes every field but code where id and version match; bumps the version.
bool UpdateIndicator(db::Tx& tx, const Indicator& ind, int64_t now);
int64_t CountValuesOfIndicator(db::Tx& tx, int64_t indicator_id);

// ---- Values ----
std::optional<Value> FindValue(db::Tx& tx, int64_t id);
// Values of one unit at the given periods, any status.
std::vector<Value> ValuesOfUnit(db::Tx& tx, int64_t unit_id, const std::vector<std::string>& periods);
int64_t InsertValue(db::Tx& tx, const Value& v);
// Writes value, reported_yoy, note, status, revision, timestamps where id and version match;
// bumps the version.
bool UpdateValue(db::Tx& tx, const Value& v);
bool DeleteValue(db::Tx& tx, int64_t id, int version);
// Many values at once (demo and benchmark loads); no version checks.
void InsertValues(db::Tx& tx, const std::vector<Value>& values);

struct ValueQuery {
  std::string scope_path;
  std::optional<int64_t> unit_id;
  std::optional<int64_t> indicator_id;
  std::string period, from, to, status;
  int page = 1;
  int page_size = 50;
};
struct ValueRow {
  Value value;
  std::string unit_code, unit_name, indicator_code, indicator_name;
};
std::vector<ValueRow> ListValues(db::Tx& tx, const ValueQuery& q, int64_t* total);

// Submitted sheets (unit × period) under scope_path.
struct QueueItem {
  UnitRef unit;
  std::string period;
  int64_t count = 0;
  int64_t submitted_at = 0;
};
std::vector<QueueItem> SubmittedSheets(db::Tx& tx, const std::string& scope_path);

// Approved values of units under path_prefix at period → published. Returns the count and
// appends the (unit, parent) pairs touched.
int64_t PublishSubtree(db::Tx& tx, const std::string& path_prefix, const std::string& period,
                       int64_t now, std::vector<UnitRef>* touched);

// Sums of the children's values (any status) at a period, by indicator id, with counts.
void ChildrenSums(db::Tx& tx, int64_t parent_id, const std::string& period,
                  std::map<int64_t, Decimal>* sums, std::map<int64_t, int>* counts);

struct Revision {
  int64_t id = 0;
  int64_t value_id = 0;
  Decimal old_value, new_value;
  std::optional<Decimal> old_yoy, new_yoy;
  std::string reason;
  int64_t user_id = 0;
  std::string username;
  int64_t at = 0;
};
void InsertRevision(db::Tx& tx, const Revision& r);
std::vector<Revision> RevisionsOf(db::Tx& tx, int64_t value_id);

// ---- Targets ----
struct TargetQuery {
  std::string scope_path;
  std::optional<int64_t> unit_id;
  std::optional<int64_t> parent_id;
  std::optional<int> year;
};
struct TargetRow {
  Target target;
  std::string unit_code, unit_name, indicator_code, indicator_name;
};
std::vector<TargetRow> ListTargets(db::Tx& tx, const TargetQuery& q);
std::optional<Target> FindTarget(db::Tx& tx, int64_t unit_id, int64_t indicator_id, int year);
int64_t InsertTarget(db::Tx& tx, const Target& t, int64_t user_id);
bool UpdateTarget(db::Tx& tx, const Target& t, int64_t user_id);
// Targets of the given units for a year, keyed by (unit id, indicator id).
std::map<std::pair<int64_t, int64_t>, Target> TargetsOf(db::Tx& tx,
                                                       const std::vector<int64_t>& unit_ids,
                                                       int year);

// ---- Rules and settings ----
std::vector<Rule> ListRules(db::Tx& tx);
std::optional<Rule> FindRule(db::Tx& tx, int64_t id);
int64_t InsertRule(db::Tx& tx, const Rule& r, int64_t now);
bool UpdateRule(db::Tx& tx, const Rule& r, int64_t now);

// ---- Figures (the board's read model) ----

// Approved and published values of the reporting children of parent_id (0: the roots) at
// the given periods.
std::vector<Value> GroupValues(db::Tx& tx, int64_t parent_id, const std::vector<std::string>& periods);
// Approved and published values of every unit at the given periods.
std::vector<Value> AllValuesAt(db::Tx& tx, const std::vector<std::string>& periods);
// Replaces the figures of one league (parent × period).
void ReplaceFigures(db::Tx& tx, int64_t parent_id, const std::string& period,
                    const std::vector<Figure>& figures);
// Replaces all figures of a period.
void ReplaceAllFigures(db::Tx& tx, const std::string& period, const std::vector<Figure>& figures);
std::vector<Figure> FiguresOfGroup(db::Tx& tx, int64_t parent_id, const std::string& period);
std::vector<Figure> FiguresOfPeriod(db::Tx& tx, const std::string& period);
std::vector<Figure> FiguresOfUnit(db::Tx& tx, int64_t unit_id, const std::string& period);
std::vector<Figure> Series(db::Tx& tx, int64_t unit_id, int64_t indicator_id,
                           const std::string& from, const std::string& to);
// Periods that have approved or published values, oldest first.
std::vector<std::string> ApprovedPeriods(db::Tx& tx);
// Periods with figures for the children of parent_id, newest first.
std::vector<std::string> FigurePeriods(db::Tx& tx, int64_t parent_id);
// Writes rank_value / rank_growth of the given figures (matched by unit, indicator, period).
void UpdateRanks(db::Tx& tx, const std::vector<Figure>& figures);

}  // namespace tiaodu::indicators::store
