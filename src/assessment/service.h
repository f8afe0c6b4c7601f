// AssessmentService: scoring schemes (versioned), the month's league table with red and black
// flags, publication (which freezes a month), and the flag history of a unit. Reads the other
// domains' data of a month through its store (read-only) and, for the 13710 on-time rate and
// the 三个一批 rates, through their services so each figure has one definition.
// Owns nothing; the database, clock and services outlive it.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "assessment/bulletin.h"
#include "assessment/model.h"
#include "assessment/store.h"
#include "auth/model.h"
#include "base/clock.h"
#include "base/result.h"
#include "db/database.h"

namespace tiaodu::projects {
class ProjectService;
}
namespace tiaodu::supervision {
class SupervisionService;
}

namespace tiaodu::assessment {

// What a create or an edit of a scheme sends. On edit, `items` present means a new version
// (effective from `effective_from`, default the current month) with these items and flags.
struct SchemeInput {
  std::string name;
  std::string parent_code;  // create only
  std::optional<std::vector<SchemeItem>> items;
  std::optional<int> red_flags, black_flags;
  std::string effective_from;  // "2026-07"; "" = the current month
  std::string note;
  std::optional<bool> archived;
};

// Every ranked unit's flags month by month (published months only), for the flags board.
struct FlagBoard {
  Scheme scheme;
  std::vector<std::string> periods;  // ascending
  struct Row {
    store::UnitRef unit;
    std::vector<store::FlagCell> cells;  // one per period (rank 0 / no flag when absent)
    int red = 0, black = 0;              // counts over the periods
  };
  std::vector<Row> rows;
};

class AssessmentService {
 public:
  AssessmentService(db::Database& db, const Clock& clock, projects::ProjectService& projects,
                    supervision::SupervisionService& supervision)
      : db_(db), clock_(clock), projects_(projects), supervision_(supervision) {}

  // ---- Schemes (assessment.read to read, assessment.manage to change) ----
  Result<std::vector<Scheme>> ListSchemes(const auth::Actor& actor, bool include_archived);
  Result<Scheme> GetScheme(const auth::Actor& actor, int64_t id);
  Result<Scheme> CreateScheme(const auth::Actor& actor, const SchemeInput& in);
  Result<Scheme> UpdateScheme(const auth::Actor& actor, int64_t id, const SchemeInput& in, int version);
  // The scheme a caller sees by default: the one ranking the units of their own unit or its
  // nearest ancestor; NotFound when there is none.
  Result<Scheme> DefaultScheme(const auth::Actor& actor);

  // ---- League tables ----
  // The table of `period` ("2026-06"): frozen if published, else computed from the month's
  // data with the scheme version of that month. Each row carries the previous month's rank
  // and flag. scheme_id 0 = DefaultScheme. A caller whose scope does not hold the scheme's
  // unit (a county under the city's scheme) gets only the rows of units in their scope, with
  // their ranks among all (decision 0017).
  Result<League> GetLeague(const auth::Actor& actor, int64_t scheme_id, const std::string& period);
  // Freezes the month (assessment.manage): computes and stores it; a month is published once,
  // not in the future, and only with a scheme version for it.
  Result<League> Publish(const auth::Actor& actor, int64_t scheme_id, const std::string& period);
  // The flags of every published month of `year`, per ranked unit (only `unit_code`'s row
  // when given). Callers whose scope does not hold the scheme's unit see only their own rows.
  Result<FlagBoard> Flags(const auth::Actor& actor, int64_t scheme_id, int year, const std::string& unit_code);

  // The league inside a caller's transaction, without permission checks (the bulletin and the
  // cockpit use it after their own).
  Result<League> LeagueInTx(db::Tx& tx, const Scheme& scheme, const std::string& period);

  // ---- The monthly bulletin ----
  // What the bulletin of `period` ("2024-06") under a scheme says (assessment.read; scheme_id
  // 0 = DefaultScheme), from approved data in one read transaction. A caller whose scope does
  // not hold the scheme's unit gets only the rows of units in their scope in every table
  // (the totals stay: decision 0017).
  Result<BulletinData> Bulletin(const auth::Actor& actor, int64_t scheme_id, const std::string& period);

  std::string CurrentMonth() const;
  // The database and clock, for the read-only views built on this service (the cockpit).
  db::Database& database() { return db_; }
  const Clock& clock() const { return clock_; }

 private:
  Result<Scheme> LoadReadable(db::Tx& tx, const auth::Actor& actor, int64_t id);
  void KeepRowsInScope(db::Tx& tx, const auth::Actor& actor, const Scheme& scheme, std::vector<LeagueRow>& rows);
  Result<Scheme> FindDefault(db::Tx& tx, const auth::Actor& actor);
  Result<League> ComputeLeague(db::Tx& tx, const Scheme& scheme, const std::string& period);
  Status FillPrevious(db::Tx& tx, const Scheme& scheme, League& league);
  // The bulletin's sections (everything but the heading and the league); `visible` says
  // whether a unit's rows may be shown to the caller.
  Status FillBulletin(db::Tx& tx, const Scheme& scheme, const store::UnitRef& parent,
                      const std::function<bool(const std::string&)>& visible, BulletinData& d);
  Status CheckIndicators(db::Tx& tx, const std::vector<SchemeItem>& items);

  db::Database& db_;
  const Clock& clock_;
  projects::ProjectService& projects_;
  supervision::SupervisionService& supervision_;
};

}  // namespace tiaodu::assessment
