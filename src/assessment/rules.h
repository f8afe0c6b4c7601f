// The arithmetic of assessment: ranks with ties, points by rank, totals, red and black flags,
// which version of a scheme applies to a month, and the checks on a scheme. Pure: no I/O.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "assessment/model.h"
#include "base/status.h"

namespace tiaodu::assessment {

// Competition ranking ("1224"): equal measures share a rank, the next rank skips. Units
// without a measure get rank 0 and do not count. `higher_is_better` false ranks the
// smallest first (e.g. PM2.5).
std::vector<int> CompetitionRanks(const std::vector<std::optional<Decimal>>& measures, bool higher_is_better);

// The points of `rank` (1-based) among `ranked` units for `item`, rounded to 0.01 (half up):
// weight × points[rank-1] / 100 (ranks past the table take its last entry), or with no table
// weight × (100 − 40 × (rank−1)/(ranked−1)) / 100 — 100% for the first, 60% for the last.
// Rank 0 (no data) gets 0.
Decimal PointsFor(const SchemeItem& item, int rank, int ranked);

// The whole table: scores every unit on every item from `measures[item][unit]` (`lower_better[item]`
// for items where a smaller measure is better), adds the totals, ranks them (units without
// any measure stay unranked, rank 0, at the end), and gives flags: red to the ranks 1..red,
// black to the last `black` ranks counted from the bottom (ties at the border share the
// flag; a unit is never both: red wins). Rows come sorted by rank, then unit code.
struct UnitInput {
  int64_t unit_id = 0;
  std::string code, name;
};
std::vector<LeagueRow> ScoreLeague(const std::vector<SchemeItem>& items, const std::vector<UnitInput>& units,
                                   const std::vector<std::vector<std::optional<Decimal>>>& measures,
                                   const std::vector<bool>& lower_better, int red, int black);

// The version of `scheme` that applies to `period` ("2026-06"): the newest whose
// effective_from is not after it; nullptr before the first version.
const SchemeVersion* VersionFor(const Scheme& scheme, std::string_view period);

// Checks items: at least one, at most 20; known kinds; a name of 1–50 characters; an
// indicator for indicator_growth, a rate start|produce|effective for batch_rate; weights
// above 0 adding up to exactly 100; points tables of at most 200 entries, each 0..100 and
// non-increasing. Details name the item: "items[2].weight".
Status CheckItems(const std::vector<SchemeItem>& items);
// Flags 0..50 each.
Status CheckFlags(int red, int black);

// Text forms, for the database and for sheets.
std::string_view FlagCode(Flag f);  // "none" | "red" | "black"
Flag FlagFromCode(std::string_view code);
std::string_view FlagName(Flag f);  // "" | "红旗" | "黑旗"
std::string_view ItemKindName(std::string_view kind);  // "指标增速排名", ...
std::string PointsText(const std::vector<int>& points);  // "100,90,80"
// Parses PointsText's form; nullopt on anything else.
std::optional<std::vector<int>> ParsePointsText(std::string_view text);

}  // namespace tiaodu::assessment
