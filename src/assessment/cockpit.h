// The leaders' cockpit (驾驶舱): one answer with the figures a leader reads at a glance for a
// unit and a month — key indicators (value, growth, rank among siblings, time progress), key
// projects by status, the investment pipeline, supervised tasks by light, and the league's
// red and black flags. Every figure carries `link`: the web route, with its filter, that lists
// the records behind it. Each section is present only when the caller may read its data.
//
// Figures are read, never derived here: the indicator figures and project statuses are the
// read models written at approval / change time (decisions 0007, 0010); the rest are a few
// indexed counts of the caller's subtree. Each count uses the same filter as the list its
// link opens, so the two always agree. Owns nothing; the services outlive it.
#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "assessment/model.h"
#include "assessment/service.h"
#include "auth/model.h"
#include "base/result.h"
#include "http/router.h"

namespace tiaodu::assessment {

// A counted figure and the list behind it.
struct CockpitCount {
  std::string key;   // status, stage or light code
  std::string name;  // its Chinese name
  int64_t count = 0;
  std::optional<Decimal> amount, plan;  // 亿元 where the figure has them
  std::string link;
};

struct CockpitIndicator {
  std::string code, name, unit, direction;
  int decimals = 2;
  Decimal value;
  std::optional<Decimal> yoy, target, progress, elapsed;
  std::optional<int> rank_value, rank_growth;
  int siblings = 0;
  std::string progress_status;  // ahead | on_track | behind | ""
  std::string link;
};

struct CockpitLeagueRow {
  int64_t unit_id = 0;
  std::string code, name;
  Decimal total;
  int rank = 0, previous_rank = 0;
  Flag flag = Flag::kNone;
};

struct Cockpit {
  int64_t computed_at = 0;  // ms: when these figures were read
  int64_t unit_id = 0;
  std::string unit_code, unit_name, period;
  int year = 0;
  bool has_indicators = false, has_projects = false, has_investment = false, has_tasks = false, has_league = false;
  // Indicators: the latest month <= period with figures of the unit.
  std::string indicator_period, indicators_link;
  std::vector<CockpitIndicator> indicators;
  // Key projects of the year: all (as the list counts them) and per status.
  CockpitCount projects_total;
  std::vector<CockpitCount> projects_by_status;  // 正常, 滞后, 严重滞后
  std::optional<Decimal> projects_ytd;
  // Investment: open leads per stage, contracts signed in the year (to today) vs the target.
  std::vector<CockpitCount> stages;
  CockpitCount open_leads;
  Decimal signed_amount;
  int64_t signed_contracts = 0;
  std::optional<Decimal> target_amount;
  std::string signed_as_of, signed_link;
  // Tasks: open by light, overdue today, on-time rate of the month.
  std::vector<CockpitCount> lights;
  CockpitCount open_tasks, overdue_tasks;
  int due = 0, on_time = 0;
  std::string on_time_link;
  // League: the default scheme's latest published month <= period.
  std::optional<int64_t> scheme_id;
  std::string scheme_name, league_period, league_link;
  int red_flags = 0, black_flags = 0, ranked = 0;
  std::vector<CockpitLeagueRow> league_rows;  // in the caller's scope, by rank
  std::optional<CockpitLeagueRow> own;        // the ranked unit holding the selected one
};

class CockpitService {
 public:
  explicit CockpitService(AssessmentService& assessment) : assessment_(assessment) {}

  // The cockpit of `unit_code` (default: the caller's scope root; must be in scope, else
  // NotFound) for `period` ("2026-06"; default the current month). assessment.read.
  // Answers are kept for kFreshMillis per (scope, role, unit, month): at province scale one
  // answer sums 100,000 leads and 20,000 projects and tasks, and a room of leaders opening the
  // cockpit together should cost one such read, not one each. Figures may thus lag a write by
  // up to that long; `computed_at` says when they were read. While one caller re-reads a stale
  // answer, the others get the stale one (no stampede of identical reads).
  Result<Cockpit> Get(const auth::Actor& actor, const std::string& period, const std::string& unit_code);

  static constexpr int64_t kFreshMillis = 15000;

 private:
  Result<Cockpit> Read(const auth::Actor& actor, const std::string& period_key, const std::string& unit_code);

  AssessmentService& assessment_;
  std::mutex mu_;
  struct Entry {
    Cockpit cockpit;
    bool refreshing = false;
  };
  std::map<std::string, Entry> fresh_;  // guarded by mu_
};

// GET /api/v1/cockpit?period=&unit= (assessment.read).
http::Route CockpitRoute(std::shared_ptr<CockpitService> cockpit);

}  // namespace tiaodu::assessment
