// Deterministic demo data for the indicators domain (经济运行): the seeded catalog as structs,
// indicator values for a tree of units (南阳市 and its 17 county-level units, optionally with
// towns), and a synthetic province for benchmarks. Pure: no database, no clock, no I/O.
//
// What the generated values guarantee (the tests check each):
//   - every unit × non-derived indicator × month key the indicator has (monthly ytd: no
//     January key; quarterly: 03/06/09/12; yearly: 12; monthly point values: every month);
//   - additive indicators: a parent's value is the exact sum of its children's (leaves are
//     generated, parents summed); non-additive ones (incomes, PM2.5) are weighted averages;
//   - ytd values never fall within a year; tax_revenue ≤ budget_revenue,
//     signed_projects_100m ≤ signed_projects, industrial_electricity_use ≤ electricity_use,
//     and the investment parts ≤ fixed_asset_investment, for every unit and period;
//   - comparable-price indicators (gdp, industrial_va) carry a reported growth on every value;
//     nominal ones the computed YoY rounded to one decimal when last year's value exists;
//   - values are multiples of 10^-decimals (pinned facts may have up to 4 decimal places);
//   - the published facts of 卧龙区 (2024-06) and 南阳官庄工区 (2022) hold exactly when those
//     units are passed (matched by code) and the year is in range.
// The same inputs and seed give the same output on every run.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "base/decimal.h"
#include "indicators/model.h"

namespace tiaodu::app {

struct DemoUnit {
  int64_t id;
  std::string code;
  std::string name;
  int64_t parent_id;  // 0 for the root
};

struct DemoValue {
  int64_t unit_id;
  std::string indicator;  // indicator code
  std::string period;     // month key "2024-06"
  Decimal value;
  std::optional<Decimal> reported_yoy;  // percent, one decimal
};

// Values for every unit of `units` (a tree; a parent's additive values are the exact sums of
// its children's), every indicator of `catalog` that is not derived, every month key the
// indicator has from first_year-01 to last_year-12. Ordered by unit (as given), indicator (as
// given), period. Deterministic for a seed.
std::vector<DemoValue> GenerateIndicatorValues(const std::vector<DemoUnit>& units,
                                               const std::vector<indicators::Indicator>& catalog,
                                               int first_year, int last_year, uint64_t seed);

// The seeded catalog of /work/shared/data/indicators.csv (31 indicators, in file order).
std::vector<indicators::Indicator> SeedCatalog();

// Province scale for benchmarks: a tree of `unit_count` units (1 province root "P000", then
// cities, then counties, codes "P001"...), a catalog of `indicator_count` indicators (the
// seeded ones, then synthetic additive monthly ytd ones "synthetic_01"...), and `months`
// months of values ending at last_year-12.
struct ProvinceData {
  std::vector<DemoUnit> units;
  std::vector<indicators::Indicator> catalog;
  std::vector<DemoValue> values;
};
ProvinceData GenerateProvince(int unit_count, int indicator_count, int months, int last_year,
                              uint64_t seed);

}  // namespace tiaodu::app
