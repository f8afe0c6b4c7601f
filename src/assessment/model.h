// The assessment domain (考评与通报): scoring schemes and their versions, the league table of
// units with red and black flags (流动红黑旗), and what the monthly bulletin and the cockpit
// are made of. Plain structs; no behaviour.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "base/decimal.h"

namespace tiaodu::assessment {

// What an item of a scheme measures, each for a unit and a month from that month's data:
namespace item_kind {
inline constexpr const char* kIndicatorGrowth = "indicator_growth";      // an indicator's yoy growth (approved)
inline constexpr const char* kProjectCompletion = "project_completion";  // key projects: invested ytd / annual plan
inline constexpr const char* kBatchRate = "batch_rate";                  // 三个一批: 开工率 / 投产率 / 达效率
inline constexpr const char* kInvestmentTarget = "investment_target";    // contract amount signed ytd / yearly target
inline constexpr const char* kOnTimeRate = "on_time_rate";               // 13710: tasks due in the month done on time
}  // namespace item_kind

// One item of a scheme. Units are ranked by the item's measure (competition ranking: ties share
// a rank); the rank buys a share of the item's weight from `points` (percent of the weight for
// rank 1, 2, 3, ...; ranks past the end get the last entry). With no table the share falls
// linearly from 100% for the first to 60% for the last. A unit without data gets nothing.
struct SchemeItem {
  std::string kind;       // item_kind::*
  std::string name;       // label, e.g. "规上工业增加值增速"
  std::string indicator;  // kIndicatorGrowth: the indicator's code
  std::string rate;       // kBatchRate: "start" | "produce" | "effective"
  Decimal weight;         // points of the item (> 0); the weights of a scheme add up to 100
  std::vector<int> points;  // percent by rank, non-increasing, 0..100
};

// One version of a scheme: what it scores, from which month on. Versions are never changed:
// a change is a new version, so a past month's table is computed as it was.
struct SchemeVersion {
  int number = 0;
  std::string effective_from{};  // "2026-07": used for this month and later (until a newer one)
  std::vector<SchemeItem> items{};
  int red_flags = 3, black_flags = 3;  // how many units get a red / a black flag each month
  std::string note{};  // why it changed
  int64_t created_at = 0;
  std::string created_by{};
};

// A scoring scheme: which units it ranks (the children of `parent` that are governments or
// zones), and its versions.
struct Scheme {
  int64_t id = 0;
  std::string name;  // "南阳市县区经济工作月度考评"
  int64_t parent_id = 0;
  std::string parent_code, parent_name;
  bool archived = false;
  int version = 1;  // row version, for stale edits
  std::vector<SchemeVersion> versions;  // oldest first
};

// A unit's score on one item: the measure (percent or growth, absent without data), the
// rank among units with data, and the points.
struct ItemScore {
  std::optional<Decimal> measure;
  int rank = 0;       // 0 without data
  Decimal points;     // rounded to 0.01
  std::string basis;  // how the measure was made: "完成 12.3 / 计划 20.0 亿元"
};

enum class Flag { kNone, kRed, kBlack };

// One row of a league table.
struct LeagueRow {
  int64_t unit_id = 0;
  std::string unit_code, unit_name;
  std::vector<ItemScore> items;  // in the scheme's item order
  Decimal total;                 // sum of points
  int rank = 0;                  // competition ranking by total
  Flag flag = Flag::kNone;
  // The previous month's table (published or computed): rank and flag, for movements.
  int previous_rank = 0;  // 0: not ranked then
  Flag previous_flag = Flag::kNone;
};

// A month's league table under one scheme.
struct League {
  int64_t scheme_id = 0;
  std::string scheme_name;
  std::string period;  // "2026-06"
  int scheme_version = 0;
  std::vector<SchemeItem> items;
  int red_flags = 0, black_flags = 0;
  std::vector<LeagueRow> rows;  // by rank, then unit code
  bool published = false;       // frozen in assessment_results
  int64_t published_at = 0;
};

}  // namespace tiaodu::assessment
