// IndicatorService: the use cases of 经济运行 — the catalog, the entry sheet of one unit and
// period (save drafts, submit, withdraw, approve, return), publication, revisions, CSV/xlsx
// import, targets, validation rules and settings, and the board's reads. Checks permission
// and data scope, validates, runs each change in one transaction with its audit record, and
// refreshes the derived figures (the board's read model) in that same transaction.
// References to db and clock must outlive it. Thread-safe.
#pragma once

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "auth/model.h"
#include "base/clock.h"
#include "base/result.h"
#include "db/database.h"
#include "indicators/model.h"
#include "indicators/store.h"
#include "io/table.h"

namespace tiaodu::indicators {

struct SheetData;  // what one sheet's checks read (service.cc)

// One row of the entry sheet.
struct SheetRow {
  Indicator indicator;
  bool applicable = true;  // the indicator has a value at this period
  std::string label;       // "2024年1-6月"
  std::optional<Value> value;             // the stored value (absent for derived rows)
  std::optional<Decimal> derived_value;   // derived rows: computed from the other rows
  std::optional<Decimal> monthly;
  std::optional<Decimal> computed_yoy;
  std::optional<Decimal> previous_ytd;
  std::optional<Decimal> last_year;
};

struct Sheet {
  store::UnitRef unit;
  std::string period;  // month key
  std::vector<SheetRow> rows;
  std::vector<Finding> findings;
  std::map<std::string, int> counts;  // by status, plus "empty"
};

// One edited cell group of a sheet, as text from the request (parsed here).
struct ValueEdit {
  std::string indicator;                // code
  bool value_present = false;           // "value" was sent (null clears a draft)
  std::optional<std::string> value;     // YTD / point / annual value
  std::optional<std::string> monthly;   // alternatively, the month's own value
  bool yoy_present = false;
  std::optional<std::string> reported_yoy;
  std::optional<std::string> note;
  std::optional<int> version;
};

struct ImportResult {
  int rows = 0, inserted = 0, updated = 0, unchanged = 0;
  struct SheetFindings {
    store::UnitRef unit;
    std::string period;
    std::vector<Finding> findings;
  };
  std::vector<SheetFindings> findings;
};

struct QueueEntry {
  store::QueueItem item;
  int errors = 0, warnings = 0;
};

struct BoardCell {
  Figure figure;
  std::optional<Target> target;
};
struct Board {
  store::UnitRef parent;
  std::string period;
  std::vector<Indicator> indicators;
  std::vector<store::UnitRef> units;
  std::vector<BoardCell> total;  // the parent's own figures
  std::vector<BoardCell> cells;
};

struct RuleView {
  std::optional<int64_t> id;
  std::string code;
  std::string expression;
  std::string severity;
  std::string message;
  bool enabled = true;
  bool builtin = false;
  int version = 1;
};

class IndicatorService {
 public:
  IndicatorService(db::Database& db, const Clock& clock) : db_(db), clock_(clock) {}

  // ---- Catalog ----
  Result<std::vector<Indicator>> ListIndicators(const auth::Actor& actor, const std::string& q,
                                                bool include_archived);
  Result<Indicator> GetIndicator(const auth::Actor& actor, int64_t id);
  Result<Indicator> CreateIndicator(const auth::Actor& actor, Indicator ind);
  // `patch` holds the new field values; code must equal the stored one (or be empty).
  Result<Indicator> UpdateIndicator(const auth::Actor& actor, int64_t id, const Indicator& patch);
  Result<Indicator> SetIndicatorArchived(const auth::Actor& actor, int64_t id, bool archived,
                                         int version);
  // init/demo: inserts the indicators whose code is missing. Idempotent.
  Status EnsureCatalog(const auth::Actor& system, const std::vector<Indicator>& catalog);

  // ---- The entry sheet ----
  Result<Sheet> GetSheet(const auth::Actor& actor, const std::string& unit_code,
                         const std::string& period);
  Result<Sheet> SaveSheet(const auth::Actor& actor, const std::string& unit_code,
                          const std::string& period, const std::vector<ValueEdit>& edits);
  Result<Sheet> Submit(const auth::Actor& actor, const std::string& unit_code, const std::string& period);
  Result<Sheet> Withdraw(const auth::Actor& actor, const std::string& unit_code, const std::string& period);
  Result<Sheet> Approve(const auth::Actor& actor, const std::string& unit_code, const std::string& period);
  Result<Sheet> Return(const auth::Actor& actor, const std::string& unit_code,
                       const std::string& period, const std::string& reason);
  Result<int64_t> Publish(const auth::Actor& actor, const std::string& parent_code,
                          const std::string& period);
  Result<std::vector<QueueEntry>> Queue(const auth::Actor& actor);
  Result<std::vector<Finding>> Validate(const auth::Actor& actor, const std::string& unit_code,
                                        const std::string& period);

  // ---- Values ----
  Result<auth::Page<store::ValueRow>> ListValues(const auth::Actor& actor, const std::string& unit_code,
                                                 const std::string& indicator_code,
                                                 store::ValueQuery q);
  Result<store::ValueRow> Revise(const auth::Actor& actor, int64_t value_id,
                                 const std::string& value, std::optional<std::string> reported_yoy,
                                 bool yoy_present, const std::string& reason, int version);
  Result<std::vector<store::Revision>> Revisions(const auth::Actor& actor, int64_t value_id);

  // ---- Import: all or nothing; every bad row named with its row and column ----
  Result<ImportResult> Import(const auth::Actor& actor, const io::Table& table, bool dry_run);

  // ---- Targets ----
  Result<std::vector<store::TargetRow>> ListTargets(const auth::Actor& actor,
                                                    const std::string& unit_code,
                                                    const std::string& parent_code,
                                                    std::optional<int> year);
  struct TargetEdit {
    std::string unit, indicator;
    int year = 0;
    std::optional<std::string> value, growth_floor, growth_stretch;
    std::optional<int> version;
  };
  Result<store::TargetRow> PutTarget(const auth::Actor& actor, const TargetEdit& e);

  // ---- Rules and settings ----
  Result<std::vector<RuleView>> ListRules(const auth::Actor& actor);
  Result<RuleView> CreateRule(const auth::Actor& actor, Rule rule);
  Result<RuleView> UpdateRule(const auth::Actor& actor, int64_t id, const Rule& patch);
  struct SettingsView {
    Settings settings;
    int version = 0;
  };
  Result<SettingsView> GetSettings(const auth::Actor& actor);
  Result<SettingsView> PutSettings(const auth::Actor& actor, const Settings& s, int version);

  // ---- The board (reads of derived figures) ----
  Result<Board> GetBoard(const auth::Actor& actor, const std::string& parent_code,
                         const std::string& period, const std::vector<std::string>& codes);
  struct SeriesResult {
    store::UnitRef unit;
    Indicator indicator;
    std::vector<Figure> points;
  };
  Result<SeriesResult> GetSeries(const auth::Actor& actor, const std::string& unit_code,
                                 const std::string& indicator_code, const std::string& from,
                                 const std::string& to);
  Result<std::vector<std::string>> Periods(const auth::Actor& actor, const std::string& parent_code);

  // ---- Bulk (demo, benchmarks, maintenance) ----
  // Inserts values as given (status included) and recomputes every figure of their periods.
  Status LoadValues(const auth::Actor& system, const std::vector<Value>& values);
  // Recomputes every figure (all leagues) of one period / of every period with values.
  Status RecomputePeriod(const std::string& period);
  Status RecomputeAll();
  // Re-ranks all leagues of a period from the stored figures.
  Status RecomputeLeagueTables(const std::string& period);

 private:
  Result<Settings> LoadSettings(db::Tx& tx);
  // A status change of one sheet: checks the permission (and that the level above approves,
  // when `approver`), the period, the unit and its scope, loads the sheet, runs `change` in
  // one write transaction, and answers the sheet as it is afterwards.
  using SheetChange = std::function<Status(db::Tx&, const store::UnitRef& unit, const std::string& key,
                                           SheetData& data, int64_t now)>;
  Result<Sheet> ChangeSheet(const auth::Actor& actor, const char* permission, bool approver,
                            const std::string& unit_code, const std::string& period, const SheetChange& change);
  Status RefreshLeague(db::Tx& tx, int64_t parent_id, const std::string& period,
                       const std::vector<Indicator>& catalog, const Settings& settings);
  // Recomputes the leagues a change of `unit` at `period` affects.
  Status RefreshAround(db::Tx& tx, const store::UnitRef& unit, const std::string& period);
  Status RecomputePeriodTx(db::Tx& tx, const std::string& period,
                           const std::vector<Indicator>& catalog, const Settings& settings,
                           const std::vector<store::UnitRef>& units);

  db::Database& db_;
  const Clock& clock_;
};

// Normalizes a sheet's period input ("2024-06", "2024Q2", "2024H1", "2024") to a month key.
Result<std::string> SheetKey(const std::string& input);

}  // namespace tiaodu::indicators
