// Figures: the board's read model, computed from approved values when they change (DESIGN
// 4.1: aggregate at write time, never at read time). ComputeLeague turns the values of one
// league (the children of one parent at one period) into figures with monthly values,
// growth, target progress and ranks. Pure; the service loads the inputs and stores the output.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "indicators/model.h"

namespace tiaodu::indicators {

using ValueKey = std::tuple<int64_t, int64_t, std::string>;  // unit, indicator, period
using ValueMap = std::map<ValueKey, Value>;
using TargetMap = std::map<std::pair<int64_t, int64_t>, Target>;  // (unit, indicator)

// Every period whose values the figures at `period` read: the period, the previous key of
// the same year of each indicator, and both of those one year earlier.
std::vector<std::string> PeriodsRead(const std::vector<Indicator>& catalog, const std::string& period);

struct LeagueInput {
  int64_t parent_id = 0;
  std::string period;
  std::vector<int64_t> unit_ids;          // the league's members
  const std::vector<Indicator>* catalog;  // non-archived indicators
  const ValueMap* values;                 // approved/published values, at PeriodsRead()
  const TargetMap* targets;               // targets of the period's year
  Settings settings;
};

std::vector<Figure> ComputeLeague(const LeagueInput& in);
// Sets rank_value and rank_growth of figures of one league and one period, per indicator.
void AssignRanks(std::vector<Figure>& figures, const std::map<int64_t, const Indicator*>& by_id);

}  // namespace tiaodu::indicators
