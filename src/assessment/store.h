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

namespace tiaodu::assessment::store {

struct UnitRef {
  int64_t id = 0;
  std::string code, name, path, kind;
  int64_t parent_id = 0;
};
std::optional<UnitRef> FindUnit(db::Tx& tx, int64_t id);
std::optional<UnitRef> FindUnitByCode(db::Tx& tx, const std::string& code);
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

}  // namespace tiaodu::assessment::store
