#include "app/demo_indicators.h"
#include "app/demo_random.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <functional>
#include <limits>
#include <map>
#include <string_view>
#include <tuple>
#include <unordered_map>
#include <utility>

namespace tiaodu::app {
namespace {

using indicators::Indicator;

// Values are kept as integers counting ticks of 0.0001 (no value is more precise than 4
// places); one tick is 100 raw millionths of a Decimal.
constexpr int64_t kRawPerTick = 100;
constexpr double kTicksPerUnit = 10'000.0;
constexpr int kRefYear = 2023;  // levels below are 2023 levels; other years chain from it
constexpr int32_t kNoYoy = std::numeric_limits<int32_t>::min();

// ---- Deterministic randomness (no std:: distributions: their output is not portable) ----




// An independent stream per (what, whom, n): results do not depend on iteration order or
// on which other units and indicators are generated.

int64_t RoundToGrid(double ticks, int64_t grid) {
  return static_cast<int64_t>(std::llround(ticks / static_cast<double>(grid))) * grid;
}
// Unbiased rounding of small amounts (a county's 0.4 projects a month are sometimes 1).
int64_t StochasticToGrid(double ticks, int64_t grid, Rng& rng) {
  return static_cast<int64_t>(std::floor(ticks / static_cast<double>(grid) + rng.Unit())) * grid;
}

// a / b rounded half away from zero (b > 0).
__int128 DivRound(__int128 a, __int128 b) {
  return a >= 0 ? (a + b / 2) / b : -((-a + b / 2) / b);
}

std::string MonthKey(int year, int month) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02d", year, month);
  return buf;
}

// Whether `ind` has a value at month `month` of a year (rules.h HasPeriod, kept private so
// the generator does not depend on the indicators library).
bool HasMonth(const Indicator& ind, int month) {
  if (ind.periodicity == "quarter") return month % 3 == 0;
  if (ind.periodicity == "year") return month == 12;
  return !(ind.accumulation == "ytd" && month == 1);
}

// ---- Seasonality (relative monthly weights, January first) ----

enum class Season {
  kFlat, kGdp, kIndustry, kInvestment, kRetail, kRevenue, kExpenditure, kIncome,
  kElectricity, kHogSlaughter, kProjects, kSigning, kPm25, kHogStock,
};

const double* SeasonWeights(Season s) {
  static const double kFlat[12] = {1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1};
  static const double kGdp[12] = {7, 7, 8, 8, 8.5, 8.5, 8, 8.5, 8.5, 9, 9.5, 9.5};
  static const double kIndustry[12] = {7.5, 7, 8.5, 8.2, 8.4, 8.8, 8, 8.1, 8.6, 8.5, 8.9, 9.5};
  static const double kInvestment[12] = {3, 4, 8, 8, 9, 10, 8, 8, 9, 9, 10, 14};
  static const double kRetail[12] = {9, 8, 7.8, 7.6, 8, 8.2, 7.8, 8, 8.4, 8.8, 8.6, 9.8};
  static const double kRevenue[12] = {12, 7, 9, 10, 8, 9, 8, 6, 7, 9, 7, 8};
  static const double kExpenditure[12] = {6, 6, 9, 7, 8, 10, 7, 7, 9, 6, 8, 17};
  static const double kIncome[12] = {9, 9, 9, 7.8, 7.8, 7.9, 7.8, 7.8, 7.9, 8.6, 8.7, 8.7};
  static const double kElectricity[12] = {9, 8, 8, 7.5, 8, 8.5, 10, 10, 8, 7.5, 7.5, 8};
  static const double kHogSlaughter[12] = {9.5, 8, 8, 7.5, 7.5, 7.5, 7.5, 8, 8, 8.5, 9.5, 10.5};
  static const double kProjects[12] = {4, 5, 9, 9, 9, 10, 8, 8, 9, 9, 10, 10};
  static const double kSigning[12] = {5, 6, 10, 8, 8, 10, 7, 7, 10, 8, 9, 12};
  // PM2.5 by month (µg/m³ in a typical Henan year; mean 45.5): winter high, summer low.
  static const double kPm25[12] = {75, 65, 50, 42, 38, 30, 25, 26, 30, 40, 55, 70};
  static const double kHogStock[12] = {1.02, 1.0, 0.98, 0.97, 0.97, 0.98,
                                       0.99, 1.0, 1.01, 1.02, 1.03, 1.03};
  switch (s) {
    case Season::kFlat: return kFlat;
    case Season::kGdp: return kGdp;
    case Season::kIndustry: return kIndustry;
    case Season::kInvestment: return kInvestment;
    case Season::kRetail: return kRetail;
    case Season::kRevenue: return kRevenue;
    case Season::kExpenditure: return kExpenditure;
    case Season::kIncome: return kIncome;
    case Season::kElectricity: return kElectricity;
    case Season::kHogSlaughter: return kHogSlaughter;
    case Season::kProjects: return kProjects;
    case Season::kSigning: return kSigning;
    case Season::kPm25: return kPm25;
    case Season::kHogStock: return kHogStock;
  }
  return kFlat;
}

// ---- Indicator profiles ----

// How an indicator's leaf values are drawn. Amounts: the 2023 annual amount (the level for
// point values) is per_gdp × the unit's 2023 GDP (亿元) × a unit factor in
// [1 - spread, 1 + spread]; growth per year in [g_lo, g_hi] percent (for comparable-price
// indicators: the real growth, reported; the nominal path adds a deflator). Dependents are a
// share in [r_lo, r_hi] of their base's increments, so they never exceed it.
struct Profile {
  std::string_view code;
  double per_gdp;
  double spread;
  double g_lo, g_hi;
  Season season;
  std::string_view base = {};
  double r_lo = 0, r_hi = 0;
  bool agri = false;  // scaled by the unit's agricultural weight
};

const Profile kProfiles[] = {
    {"gdp", 1.0, 0.0, 3.5, 7.5, Season::kGdp},
    {"industrial_va", 0.30, 0.35, 4.0, 9.0, Season::kIndustry},
    {"fixed_asset_investment", 0.55, 0.30, -3.0, 10.0, Season::kInvestment},
    {"infrastructure_investment", 0.15, 0.3, -5, 12, Season::kInvestment,
     "fixed_asset_investment", 0.18, 0.30},
    {"industrial_investment", 0.17, 0.3, -5, 15, Season::kInvestment, "fixed_asset_investment",
     0.25, 0.38},
    {"retail_sales", 0.40, 0.15, 3.0, 6.5, Season::kRetail},
    {"retail_sales_above_quota", 0.18, 0.3, 2, 9, Season::kRetail, "retail_sales", 0.35, 0.50},
    {"budget_revenue", 0.05, 0.30, 1.0, 8.0, Season::kRevenue},
    {"tax_revenue", 0.033, 0.3, 0, 8, Season::kRevenue, "budget_revenue", 0.55, 0.75},
    {"budget_expenditure", 0.16, 0.30, 0.0, 6.0, Season::kExpenditure},
    {"foreign_trade", 0.045, 0.70, -8.0, 18.0, Season::kFlat},
    {"actual_foreign_capital", 6.5, 0.70, -15.0, 15.0, Season::kSigning},
    {"actual_domestic_capital", 0.19, 0.40, 2.0, 10.0, Season::kSigning},
    {"electricity_use", 0.05, 0.30, 2.0, 8.0, Season::kElectricity},
    {"industrial_electricity_use", 0.028, 0.3, 0, 9, Season::kElectricity, "electricity_use",
     0.45, 0.65},
    {"contract_investment", 0.30, 0.50, -5.0, 15.0, Season::kSigning},
    {"signed_projects", 0.12, 0.40, -5.0, 10.0, Season::kSigning},
    {"signed_projects_100m", 0.06, 0.4, -5, 10, Season::kSigning, "signed_projects", 0.35,
     0.65},
    {"key_projects", 0.09, 0.40, 0.0, 8.0, Season::kFlat},
    {"key_project_plan", 0.30, 0.40, 0.0, 10.0, Season::kFlat},
    // Completed investment: the year's plan × a share in [r_lo, r_hi], spread over the year.
    {"key_project_completed", 0.30, 0.40, 0, 10, Season::kProjects, "key_project_plan", 0.92,
     1.12},
    {"new_above_scale_enterprises", 0.04, 0.50, -5.0, 10.0, Season::kSigning},
    {"grain_output", 0.125, 0.40, -3.0, 3.0, Season::kFlat, {}, 0, 0, true},
    {"high_standard_farmland", 0.012, 0.50, -10.0, 10.0, Season::kFlat, {}, 0, 0, true},
    {"hog_inventory", 1300, 0.40, -6.0, 6.0, Season::kHogStock, {}, 0, 0, true},
    {"hog_slaughter", 2300, 0.40, -5.0, 8.0, Season::kHogSlaughter, {}, 0, 0, true},
};

// Indicators not in the table (synthetic or custom ones).
const Profile kDefaultProfile = {"", 0.10, 0.50, 0.0, 10.0, Season::kIndustry};

const Profile& ProfileOf(const std::string& code) {
  for (const Profile& p : kProfiles) {
    if (p.code == code) return p;
  }
  return kDefaultProfile;
}

enum class Kind { kAmount, kIncomeUrban, kIncomeRural, kIncome, kConcentration, kAverage };

Kind KindOf(const Indicator& ind) {
  if (ind.code == "disposable_income_urban") return Kind::kIncomeUrban;
  if (ind.code == "disposable_income_rural") return Kind::kIncomeRural;
  if (ind.code == "disposable_income") return Kind::kIncome;
  if (ind.additive) return Kind::kAmount;
  if (ind.code == "pm25" || ind.unit == "微克/立方米") return Kind::kConcentration;
  return Kind::kAverage;
}

// ---- Units ----

// Facts about Nanyang's units that shape the demo: 2023 GDP (亿元; the root's is the city
// total, the children's are relative sizes), retail sales / GDP, agricultural weight, and
// where a pinned fact needs it, the industrial share, budget revenue / GDP and tax share.
struct KnownUnit {
  std::string_view code;
  double gdp;
  double retail = 0;
  double agri = 0;
  double industry = 0;
  double budget = 0;
  double tax = 0;
};

const KnownUnit kKnownUnits[] = {
    {"411300", 4600},
    {"411302", 430, 0.62, 0.6},    // 宛城区
    {"411303", 540, 0.80, 0.5},    // 卧龙区
    {"411321", 180, 0.40, 1.0},    // 南召县
    {"411322", 330, 0.38, 1.3},    // 方城县
    {"411323", 330, 0.35, 0.8},    // 西峡县
    {"411324", 330, 0.40, 1.1},    // 镇平县
    {"411325", 290, 0.36, 1.0},    // 内乡县
    {"411326", 280, 0.38, 1.0},    // 淅川县
    {"411327", 200, 0.40, 1.3},    // 社旗县
    {"411328", 400, 0.38, 1.6},    // 唐河县
    {"411329", 270, 0.40, 1.4},    // 新野县
    {"411330", 180, 0.36, 0.9},    // 桐柏县
    {"411381", 570, 0.42, 1.8},    // 邓州市
    {"Z411371", 200, 0.25, 0.1},   // 南阳高新技术产业开发区
    {"Z411372", 150, 0.30, 0.3},   // 南阳市城乡一体化示范区
    {"Z411373", 100, 0.21, 0.5, 0.34, 0.018, 0.29},  // 南阳官庄工区
    {"Z411374", 60, 0.25, 0.5},    // 南阳鸭河工区
};

const KnownUnit* FindKnown(const std::string& code) {
  for (const KnownUnit& k : kKnownUnits) {
    if (k.code == code) return &k;
  }
  return nullptr;
}

constexpr std::string_view kWolong = "411303";
constexpr std::string_view kGuanzhuang = "Z411373";

// Published facts that must hold exactly. The 2023-06 retail figure of 卧龙区 is not
// published; it is pinned so that the computed growth at 2024-06 is exactly the reported 6.3.
struct Pin {
  std::string_view unit;
  std::string_view indicator;
  int year, month;
  int64_t ticks;
  int32_t reported_tenths = kNoYoy;
};

const Pin kPins[] = {
    {kWolong, "gdp", 2024, 6, 2'584'000},
    {kWolong, "retail_sales", 2023, 6, 2'000'000},
    {kWolong, "retail_sales", 2024, 6, 2'126'000, 63},
    {kGuanzhuang, "gdp", 2022, 12, 894'000},
    {kGuanzhuang, "industrial_va", 2022, 12, 300'000},
    {kGuanzhuang, "retail_sales", 2022, 12, 188'000},
    {kGuanzhuang, "budget_revenue", 2022, 12, 16'000},
    {kGuanzhuang, "tax_revenue", 2022, 12, 4'565},
};

struct UnitInfo {
  const DemoUnit* unit = nullptr;
  int parent = -1;
  std::vector<int> children;
  std::vector<int> leaves;  // leaves of the subtree (itself when a leaf)
  int depth = 0;
  double gdp = 0;  // 2023 annual GDP, 亿元
  double retail = 0, agri = 0, industry = 0, budget = 0, tax = 0;  // 0: draw per unit
  double pop = 0, area = 0;  // weights of averages (sums over children for parents)
};

// One indicator's values for all units: v[unit][key] in ticks.
struct Series {
  const Indicator* ind = nullptr;
  const Profile* profile = nullptr;
  Kind kind = Kind::kAmount;
  bool ytd = false;
  bool comparable = false;
  bool nominal = false;
  int64_t grid = 1;  // ticks per step of the indicator's decimals
  int keys_per_year = 0;
  std::vector<int> months;  // months of a year that are keys
  std::vector<std::vector<int64_t>> v;
  std::vector<std::vector<int32_t>> reported;  // tenths of a percent, kNoYoy when none
  bool generated = false;
};

class Generator {
 public:
  Generator(const std::vector<DemoUnit>& units, const std::vector<Indicator>& catalog,
            int first_year, int last_year, uint64_t seed)
      : units_(units), first_year_(first_year), last_year_(last_year), seed_(seed) {
    years_ = last_year - first_year + 1;
    BuildTree();
    for (const Indicator& ind : catalog) {
      if (ind.derived() || by_code_.count(ind.code)) continue;
      Series s;
      s.ind = &ind;
      s.profile = &ProfileOf(ind.code);
      s.kind = KindOf(ind);
      s.ytd = ind.accumulation == "ytd";
      s.comparable = ind.growth_basis == "comparable";
      s.nominal = ind.growth_basis == "nominal";
      int places = std::clamp(ind.decimals, 0, 4);
      s.grid = 1;
      for (int i = places; i < 4; ++i) s.grid *= 10;
      for (int m = 1; m <= 12; ++m) {
        if (HasMonth(ind, m)) s.months.push_back(m);
      }
      s.keys_per_year = static_cast<int>(s.months.size());
      s.v.assign(info_.size(), std::vector<int64_t>(s.keys_per_year * years_, 0));
      if (s.comparable) {
        s.reported.assign(info_.size(), std::vector<int32_t>(s.keys_per_year * years_, kNoYoy));
      }
      by_code_[ind.code] = series_.size();
      series_.push_back(std::move(s));
    }
  }

  std::vector<DemoValue> Run(int min_month_index) {
    std::vector<DemoValue> out;
    if (years_ <= 0 || info_.empty()) return out;
    // Primaries, then the published facts and league positions, then the dependents (shares
    // of the adjusted bases), then their facts; parents last.
    for (Series& s : series_) {
      if (!IsDependent(s)) GenerateLeaves(s);
    }
    ApplyPins(/*dependents=*/false);
    ArrangeNanyangLeague();
    for (Series& s : series_) {
      if (IsDependent(s)) GenerateLeaves(s);
    }
    ApplyPins(/*dependents=*/true);
    for (Series& s : series_) Aggregate(s);
    return Emit(min_month_index);
  }

 private:
  // ---- Tree ----

  void BuildTree() {
    info_.resize(units_.size());
    std::unordered_map<int64_t, int> index;
    for (size_t i = 0; i < units_.size(); ++i) {
      index[units_[i].id] = static_cast<int>(i);
      info_[i].unit = &units_[i];
    }
    for (size_t i = 0; i < units_.size(); ++i) {
      auto it = index.find(units_[i].parent_id);
      if (units_[i].parent_id != 0 && it != index.end() && it->second != static_cast<int>(i)) {
        info_[i].parent = it->second;
        info_[it->second].children.push_back(static_cast<int>(i));
      }
    }
    // Breadth-first order from the roots (parents before children).
    for (size_t i = 0; i < info_.size(); ++i) {
      if (info_[i].parent < 0) order_.push_back(static_cast<int>(i));
    }
    for (size_t head = 0; head < order_.size(); ++head) {
      int u = order_[head];
      for (int c : info_[u].children) {
        info_[c].depth = info_[u].depth + 1;
        order_.push_back(c);
      }
    }
    // A cycle in the parent links leaves units unreached: treat them as roots.
    if (order_.size() < info_.size()) {
      std::vector<bool> seen(info_.size());
      for (int u : order_) seen[u] = true;
      for (size_t i = 0; i < info_.size(); ++i) {
        if (!seen[i]) {
          info_[i].parent = -1;
          info_[i].children.clear();
          order_.push_back(static_cast<int>(i));
        }
      }
      for (auto& in : info_) {
        std::erase_if(in.children, [&](int c) { return info_[c].parent < 0; });
      }
    }
    // Leaves of each subtree, children before parents.
    for (auto it = order_.rbegin(); it != order_.rend(); ++it) {
      UnitInfo& in = info_[*it];
      if (in.children.empty()) {
        in.leaves.push_back(*it);
      } else {
        for (int c : in.children) {
          in.leaves.insert(in.leaves.end(), info_[c].leaves.begin(), info_[c].leaves.end());
        }
      }
    }
    // Sizes and traits, top-down.
    for (int u : order_) {
      UnitInfo& in = info_[u];
      const KnownUnit* known = FindKnown(in.unit->code);
      if (in.parent < 0) {
        bool all_known = !in.children.empty();
        double sum = 0;
        for (int c : in.children) {
          const KnownUnit* k = FindKnown(info_[c].unit->code);
          all_known = all_known && k;
          sum += k ? k->gdp : 0;
        }
        in.gdp = known ? known->gdp : all_known ? sum : 300.0 * in.leaves.size();
      }
      const UnitInfo* parent = in.parent >= 0 ? &info_[in.parent] : nullptr;
      auto trait = [&](double known_value, double UnitInfo::*field) {
        if (known_value > 0) return known_value;
        return parent ? parent->*field : 0.0;
      };
      in.retail = trait(known ? known->retail : 0, &UnitInfo::retail);
      in.agri = trait(known ? known->agri : 0, &UnitInfo::agri);
      in.industry = trait(known ? known->industry : 0, &UnitInfo::industry);
      in.budget = trait(known ? known->budget : 0, &UnitInfo::budget);
      in.tax = trait(known ? known->tax : 0, &UnitInfo::tax);
      if (in.children.empty()) continue;
      // Children share the parent's size: known children by their relative sizes, others by
      // a draw around the known ones' mean.
      double known_sum = 0;
      int known_count = 0;
      for (int c : in.children) {
        if (const KnownUnit* k = FindKnown(info_[c].unit->code)) {
          known_sum += k->gdp;
          ++known_count;
        }
      }
      double mean = known_count ? known_sum / known_count : 1.0;
      std::vector<double> w;
      double total = 0;
      for (int c : in.children) {
        const KnownUnit* k = FindKnown(info_[c].unit->code);
        double x = k ? k->gdp : mean * UnitStream(c, "size").Uniform(0.4, 1.6);
        w.push_back(x);
        total += x;
      }
      for (size_t i = 0; i < in.children.size(); ++i) {
        info_[in.children[i]].gdp = in.gdp * w[i] / total;
      }
    }
    for (UnitInfo& in : info_) {
      if (in.agri <= 0) in.agri = UnitStream(&in - info_.data(), "agri").Uniform(0.4, 1.6);
    }
    for (auto it = order_.rbegin(); it != order_.rend(); ++it) {
      UnitInfo& in = info_[*it];
      if (in.children.empty()) {
        Rng rng = UnitStream(*it, "weights");
        in.pop = in.gdp * rng.Uniform(0.6, 1.4);
        in.area = rng.Uniform(500, 3000);
      } else {
        for (int c : in.children) {
          in.pop += info_[c].pop;
          in.area += info_[c].area;
        }
      }
    }
  }

  Rng UnitStream(int64_t u, std::string_view what, int64_t n = 0) const {
    return Stream(seed_, info_[u].unit->code, what, n);
  }

  // ---- Keys ----

  int KeyIndex(const Series& s, int year, int month) const {
    if (year < first_year_ || year > last_year_) return -1;
    auto it = std::find(s.months.begin(), s.months.end(), month);
    if (it == s.months.end()) return -1;
    return (year - first_year_) * s.keys_per_year + static_cast<int>(it - s.months.begin());
  }

  Series* Find(std::string_view code) {
    auto it = by_code_.find(std::string(code));
    return it == by_code_.end() ? nullptr : &series_[it->second];
  }

  Series* BaseOf(const Series& s) {
    if (s.profile->base.empty() || s.kind != Kind::kAmount) return nullptr;
    Series* b = Find(s.profile->base);
    if (!b || b->kind != Kind::kAmount) return nullptr;
    // key_project_completed reads the yearly plan; the others share their base's keys.
    if (s.ind->code == "key_project_completed") return b->ind->periodicity == "year" ? b : nullptr;
    if (b->months != s.months || b->ytd != s.ytd) return nullptr;
    return b;
  }
  bool IsDependent(const Series& s) {
    return BaseOf(s) != nullptr;
  }

  // ---- Growth ----

  // Percent growth of `code` for unit u in `year`: a year-wide common part plus a unit part.
  double Growth(int u, const std::string& code, double lo, double hi, int year) const {
    double width = hi - lo;
    double common = Stream(seed_, "common", code, year).Uniform(lo + width / 4, hi - width / 4);
    double own = UnitStream(u, code, year).Uniform(-width / 4, width / 4);
    return std::clamp(common + own, lo, hi);
  }
  // Real growth of a comparable-price indicator (reported), within 3–9%.
  double RealGrowth(int u, const Series& s, int year) const {
    return std::clamp(Growth(u, s.ind->code + "/real", s.profile->g_lo, s.profile->g_hi, year),
                      3.0, 9.0);
  }
  double NominalGrowth(int u, const Series& s, int year) const {
    if (!s.comparable) return Growth(u, s.ind->code, s.profile->g_lo, s.profile->g_hi, year);
    double deflator = Growth(u, s.ind->code + "/deflator", 0.0, 2.4, year);
    return RealGrowth(u, s, year) + deflator;
  }
  // The annual amounts (levels) of unit u for each year of the range, from its 2023 level.
  std::vector<double> Annuals(double level_2023,
                              const std::function<double(int)>& growth) const {
    std::vector<double> out(years_);
    for (int i = 0; i < years_; ++i) {
      int year = first_year_ + i;
      double x = level_2023;
      for (int y = kRefYear + 1; y <= year; ++y) x *= 1 + growth(y) / 100;
      for (int y = kRefYear; y > year; --y) x /= 1 + growth(y) / 100;
      out[i] = x;
    }
    return out;
  }

  // ---- Leaves ----

  void GenerateLeaves(Series& s) {
    for (const UnitInfo& in : info_) {
      if (!in.children.empty()) continue;
      int u = static_cast<int>(&in - info_.data());
      switch (s.kind) {
        case Kind::kAmount:
          if (Series* base = BaseOf(s)) {
            if (s.ind->code == "key_project_completed") {
              PlanBasedLeaf(s, *base, u);
            } else {
              DependentLeaf(s, *base, u);
            }
          } else {
            AmountLeaf(s, u);
          }
          break;
        case Kind::kIncomeUrban:
        case Kind::kIncomeRural:
        case Kind::kIncome:
          IncomeLeaf(s, u);
          break;
        case Kind::kConcentration:
          ConcentrationLeaf(s, u);
          break;
        case Kind::kAverage:
          AverageLeaf(s, u);
          break;
      }
    }
    s.generated = true;
  }

  double AmountLevel(const Series& s, int u) const {
    const UnitInfo& in = info_[u];
    const std::string& code = s.ind->code;
    double per_gdp = s.profile->per_gdp;
    double factor = UnitStream(u, code, -1).Uniform(1 - s.profile->spread, 1 + s.profile->spread);
    if (code == "retail_sales" && in.retail > 0) per_gdp = in.retail, factor = 1;
    if (code == "industrial_va" && in.industry > 0) per_gdp = in.industry, factor = 1;
    if (code == "budget_revenue" && in.budget > 0) per_gdp = in.budget, factor = 1;
    if (code == "gdp") factor = 1;
    if (s.profile->agri) factor *= in.agri;
    return in.gdp * per_gdp * factor;
  }

  // Values of one leaf from the annual amounts: ytd (cumulated monthly amounts, seasonal),
  // point (level with a seasonal wave) or annual.
  void FillFromAnnuals(Series& s, int u, const std::vector<double>& annuals,
                       const std::function<double(int)>& growth) {
    Rng rng = UnitStream(u, s.ind->code, 1'000'000);
    const double* season = SeasonWeights(s.profile->season);
    std::vector<int64_t>& v = s.v[u];
    for (int i = 0; i < years_; ++i) {
      int year = first_year_ + i;
      double total = annuals[i] * kTicksPerUnit;
      int base = i * s.keys_per_year;
      if (s.ytd) {
        double w[12], sum = 0;
        for (int m = 0; m < 12; ++m) sum += w[m] = season[m] * rng.Uniform(0.97, 1.03);
        int64_t cum = 0;
        int prev = 0;
        for (int k = 0; k < s.keys_per_year; ++k) {
          double amount = 0;
          for (int m = prev; m < s.months[k]; ++m) amount += total * w[m] / sum;
          prev = s.months[k];
          cum += std::max<int64_t>(0, StochasticToGrid(amount, s.grid, rng));
          v[base + k] = cum;
        }
      } else if (s.ind->accumulation == "point") {
        double g = growth(year) / 100;
        for (int k = 0; k < s.keys_per_year; ++k) {
          int m = s.months[k];
          double x = total * (1 + g * (m - 12) / 12.0) * season[m - 1] * rng.Uniform(0.985, 1.015);
          v[base + k] = std::max<int64_t>(0, RoundToGrid(x, s.grid));
        }
      } else {
        for (int k = 0; k < s.keys_per_year; ++k) {
          v[base + k] = std::max<int64_t>(0, RoundToGrid(total * rng.Uniform(0.98, 1.02), s.grid));
        }
      }
    }
  }

  void AmountLeaf(Series& s, int u) {
    auto growth = [&](int year) { return NominalGrowth(u, s, year); };
    FillFromAnnuals(s, u, Annuals(AmountLevel(s, u), growth), growth);
    if (s.comparable) {
      for (int i = 0; i < years_; ++i) {
        int year = first_year_ + i;
        double real = RealGrowth(u, s, year);
        Rng rng = UnitStream(u, s.ind->code + "/reported", year);
        for (int k = 0; k < s.keys_per_year; ++k) {
          double r = std::clamp(real + rng.Uniform(-0.4, 0.4), 3.0, 9.0);
          s.reported[u][i * s.keys_per_year + k] = static_cast<int32_t>(std::llround(r * 10));
        }
      }
    }
  }

  // Completed investment of key projects: the year's plan × a share, spread over the year.
  void PlanBasedLeaf(Series& s, const Series& plan, int u) {
    std::vector<double> annuals(years_);
    for (int i = 0; i < years_; ++i) {
      double share = UnitStream(u, s.ind->code, first_year_ + i).Uniform(s.profile->r_lo,
                                                                         s.profile->r_hi);
      annuals[i] = static_cast<double>(plan.v[u][(i + 1) * plan.keys_per_year - 1]) /
                   kTicksPerUnit * share;
    }
    FillFromAnnuals(s, u, annuals, [](int) { return 0.0; });
  }

  // A share of the base's increments (ytd) or values, never above the base.
  void DependentLeaf(Series& s, const Series& base, int u) {
    const std::vector<int64_t>& b = base.v[u];
    std::vector<int64_t>& v = s.v[u];
    const UnitInfo& in = info_[u];
    bool counts = s.grid == 10'000 && base.grid == 10'000;
    // The unit's share drifts a little from year to year.
    double share = UnitStream(u, s.ind->code, -1).Uniform(s.profile->r_lo, s.profile->r_hi);
    if (s.ind->code == "tax_revenue" && in.tax > 0) share = in.tax;
    for (int i = 0; i < years_; ++i) {
      Rng rng = UnitStream(u, s.ind->code, first_year_ + i);
      double r = std::min(share * rng.Uniform(0.98, 1.02), 1.0);
      int64_t cum = 0;
      for (int k = 0; k < s.keys_per_year; ++k) {
        int idx = i * s.keys_per_year + k;
        int64_t prev_b = (s.ytd && k > 0) ? b[idx - 1] : 0;
        int64_t part = b[idx] - prev_b;
        int64_t mine;
        if (counts && part / 10'000 <= 1000) {
          int64_t n = 0;
          for (int64_t j = 0; j < part / 10'000; ++j) n += rng.Unit() < r;
          mine = n * 10'000;
        } else {
          mine = StochasticToGrid(static_cast<double>(part) * r * rng.Uniform(0.97, 1.03), s.grid,
                                  rng);
        }
        mine = std::clamp<int64_t>(mine, 0, part);
        if (s.ytd) {
          cum += mine;
          v[idx] = cum;
        } else {
          v[idx] = mine;
        }
      }
    }
  }

  // Per-capita income (元, ytd by quarter): urban ~33,000–42,000 and rural ~16,500–19,500 a
  // year in 2023, growing 4.5–6% and 6–8%; the overall figure weights them by urbanisation.
  double IncomeYtd(int u, bool urban, int year, int month) const {
    const UnitInfo& in = info_[u];
    std::string_view what = urban ? "income/urban" : "income/rural";
    Rng level_rng = UnitStream(u, what, -1);
    double level = urban ? level_rng.Uniform(33000, 39000) + (in.agri < 0.7 ? 3000 : 0)
                         : level_rng.Uniform(16500, 19500);
    double lo = urban ? 4.5 : 6.0, hi = urban ? 6.0 : 8.0;
    std::string code(what);
    double x = level;
    for (int y = kRefYear + 1; y <= year; ++y) x *= 1 + Growth(u, code, lo, hi, y) / 100;
    for (int y = kRefYear; y > year; --y) x /= 1 + Growth(u, code, lo, hi, y) / 100;
    Rng rng = UnitStream(u, what, year);
    const double* season = SeasonWeights(Season::kIncome);
    double w[12], sum = 0, upto = 0;
    for (int m = 0; m < 12; ++m) {
      sum += w[m] = season[m] * rng.Uniform(0.98, 1.02);
      if (m < month) upto += w[m];
    }
    return x * upto / sum;
  }

  void IncomeLeaf(Series& s, int u) {
    double urbanisation = std::clamp(0.75 - 0.25 * info_[u].agri, 0.3, 0.8);
    for (int i = 0; i < years_; ++i) {
      for (int k = 0; k < s.keys_per_year; ++k) {
        int year = first_year_ + i, month = s.months[k];
        // Rounded to whole 元 first, like the published urban and rural figures.
        double urban = std::round(IncomeYtd(u, true, year, month));
        double rural = std::round(IncomeYtd(u, false, year, month));
        double x = s.kind == Kind::kIncomeUrban   ? urban
                   : s.kind == Kind::kIncomeRural ? rural
                                                  : urbanisation * urban + (1 - urbanisation) * rural;
        s.v[u][i * s.keys_per_year + k] = RoundToGrid(x * kTicksPerUnit, s.grid);
      }
    }
  }

  // PM2.5 (µg/m³): a 2023 annual mean of 38–52 falling 2–6% a year; ytd values are the mean
  // of the months so far.
  void ConcentrationLeaf(Series& s, int u) {
    double level = UnitStream(u, s.ind->code, -1).Uniform(38, 52);
    const double* profile = SeasonWeights(Season::kPm25);
    for (int i = 0; i < years_; ++i) {
      int year = first_year_ + i;
      double x = level;
      for (int y = kRefYear + 1; y <= year; ++y) x *= 1 + Growth(u, s.ind->code, -6, -2, y) / 100;
      for (int y = kRefYear; y > year; --y) x /= 1 + Growth(u, s.ind->code, -6, -2, y) / 100;
      Rng rng = UnitStream(u, s.ind->code, year);
      double monthly[12];
      for (int m = 0; m < 12; ++m) monthly[m] = x * profile[m] / 45.5 * rng.Uniform(0.92, 1.08);
      for (int k = 0; k < s.keys_per_year; ++k) {
        int month = s.months[k];
        double value = monthly[month - 1];
        if (s.ytd) {
          double sum = 0;
          for (int m = 0; m < month; ++m) sum += monthly[m];
          value = sum / month;
        }
        s.v[u][i * s.keys_per_year + k] = RoundToGrid(value * kTicksPerUnit, s.grid);
      }
    }
  }

  // Any other non-additive indicator: a level around 100 with a trend and noise.
  void AverageLeaf(Series& s, int u) {
    double level = UnitStream(u, s.ind->code, -1).Uniform(50, 150);
    for (int i = 0; i < years_; ++i) {
      int year = first_year_ + i;
      Rng rng = UnitStream(u, s.ind->code, year);
      double x = level * (1 + 0.03 * (year - kRefYear));
      for (int k = 0; k < s.keys_per_year; ++k) {
        s.v[u][i * s.keys_per_year + k] =
            RoundToGrid(x * rng.Uniform(0.95, 1.05) * kTicksPerUnit, s.grid);
      }
    }
  }

  // ---- Pins: scaling a unit's year so that one value is exact ----

  int64_t SubtreeValue(const Series& s, int u, int idx) const {
    int64_t sum = 0;
    for (int leaf : info_[u].leaves) sum += s.v[leaf][idx];
    return sum;
  }

  // Scales every leaf of u's subtree in the year of key `idx` so that u's value at `idx`
  // becomes `target` exactly. ytd series are scaled as monthly increments (so they stay
  // non-negative and the year's shape is kept); the rounding remainder goes to the largest
  // increment up to `idx`.
  void PinSubtree(Series& s, int u, int idx, int64_t target) {
    int year_begin = idx / s.keys_per_year * s.keys_per_year;
    int year_end = year_begin + s.keys_per_year;
    int64_t current = SubtreeValue(s, u, idx);
    double factor = current > 0 ? static_cast<double>(target) / static_cast<double>(current) : 1;
    const std::vector<int>& leaves = info_[u].leaves;
    std::vector<std::vector<int64_t>> parts(leaves.size());
    for (size_t l = 0; l < leaves.size(); ++l) {
      const std::vector<int64_t>& v = s.v[leaves[l]];
      for (int k = year_begin; k < year_end; ++k) {
        int64_t part = (s.ytd && k > year_begin) ? v[k] - v[k - 1] : v[k];
        parts[l].push_back(std::max<int64_t>(0, RoundToGrid(part * factor, s.grid)));
      }
    }
    int last = idx - year_begin;
    int64_t sum = 0;
    std::vector<int64_t*> candidates;  // the parts that make up the value at idx
    for (size_t l = 0; l < leaves.size(); ++l) {
      for (int k = s.ytd ? 0 : last; k <= last; ++k) {
        sum += parts[l][k];
        candidates.push_back(&parts[l][k]);
      }
    }
    std::stable_sort(candidates.begin(), candidates.end(),
                     [](const int64_t* a, const int64_t* b) { return *a > *b; });
    int64_t diff = target - sum;
    if (diff >= 0 && !candidates.empty()) {
      *candidates.front() += diff;
    } else {
      // Taken from the largest parts, none below zero (sum ≥ target, so this ends).
      for (int64_t* p : candidates) {
        int64_t take = std::min(*p, -diff);
        *p -= take;
        diff += take;
        if (diff == 0) break;
      }
    }
    for (size_t l = 0; l < leaves.size(); ++l) {
      std::vector<int64_t>& v = s.v[leaves[l]];
      int64_t cum = 0;
      for (int k = year_begin; k < year_end; ++k) {
        int64_t part = parts[l][k - year_begin];
        cum = s.ytd ? cum + part : part;
        v[k] = cum;
      }
    }
  }

  int UnitByCode(std::string_view code) const {
    for (size_t i = 0; i < info_.size(); ++i) {
      if (info_[i].unit->code == code) return static_cast<int>(i);
    }
    return -1;
  }

  void ApplyPins(bool dependents) {
    for (const Pin& pin : kPins) {
      Series* s = Find(pin.indicator);
      int u = UnitByCode(pin.unit);
      if (!s || u < 0 || s->kind != Kind::kAmount || IsDependent(*s) != dependents) continue;
      int idx = KeyIndex(*s, pin.year, pin.month);
      if (idx < 0) continue;
      PinSubtree(*s, u, idx, pin.ticks);
      if (pin.reported_tenths != kNoYoy) pinned_yoy_[{u, s->ind->code, idx}] = pin.reported_tenths;
    }
  }

  // 卧龙区 at 2024-06 among its siblings: second by GDP (one sibling larger, the others
  // smaller), first by retail sales and by their growth. Siblings are moved, by scaling
  // their whole 2024, only when the draw put them on the wrong side.
  void ArrangeNanyangLeague() {
    int wolong = UnitByCode(kWolong);
    if (wolong < 0 || info_[wolong].parent < 0) return;
    std::vector<int> others;
    for (int c : info_[info_[wolong].parent].children) {
      if (c != wolong) others.push_back(c);
    }
    if (others.empty()) return;
    Rng rng = UnitStream(wolong, "league");
    if (Series* gdp = Find("gdp"); gdp && gdp->kind == Kind::kAmount) {
      int idx = KeyIndex(*gdp, 2024, 6);
      if (idx >= 0) {
        int64_t mine = SubtreeValue(*gdp, wolong, idx);
        std::vector<std::pair<int64_t, int>> by_value;
        for (int o : others) by_value.push_back({SubtreeValue(*gdp, o, idx), o});
        std::sort(by_value.begin(), by_value.end(), std::greater<>());
        if (by_value[0].first <= mine) {
          PinSubtree(*gdp, by_value[0].second, idx,
                     RoundToGrid(mine * rng.Uniform(1.05, 1.12), gdp->grid));
        }
        for (size_t i = 1; i < by_value.size(); ++i) {
          if (by_value[i].first * 100 >= mine * 97) {
            PinSubtree(*gdp, by_value[i].second, idx,
                       RoundToGrid(mine * rng.Uniform(0.85, 0.95), gdp->grid));
          }
        }
      }
    }
    if (Series* retail = Find("retail_sales"); retail && retail->kind == Kind::kAmount) {
      int idx = KeyIndex(*retail, 2024, 6);
      int idx_ly = KeyIndex(*retail, 2023, 6);
      if (idx >= 0) {
        int64_t mine = SubtreeValue(*retail, wolong, idx);
        for (int o : others) {
          int64_t value = SubtreeValue(*retail, o, idx);
          int64_t target = value;
          if (target * 100 >= mine * 97) target = RoundToGrid(mine * rng.Uniform(0.80, 0.92), 1);
          if (idx_ly >= 0) {
            int64_t last = SubtreeValue(*retail, o, idx_ly);
            // Growth of 6% or more would come close to 卧龙区's 6.3%.
            if (last > 0 && target * 100 >= last * 106) {
              target = std::min<int64_t>(RoundToGrid(last * rng.Uniform(1.03, 1.058), 1),
                                         mine * 9 / 10);
            }
          }
          if (target != value) PinSubtree(*retail, o, idx, RoundToGrid(target, retail->grid));
        }
      }
    }
  }

  // ---- Parents ----

  void Aggregate(Series& s) {
    size_t n = s.keys_per_year * years_;
    for (auto it = order_.rbegin(); it != order_.rend(); ++it) {
      const UnitInfo& in = info_[*it];
      if (in.children.empty()) continue;
      std::vector<int64_t>& v = s.v[*it];
      if (s.kind == Kind::kAmount) {
        std::fill(v.begin(), v.end(), 0);
        for (int c : in.children) {
          for (size_t k = 0; k < n; ++k) v[k] += s.v[c][k];
        }
      } else {
        bool by_area = s.kind == Kind::kConcentration;
        for (size_t k = 0; k < n; ++k) {
          double num = 0, den = 0;
          for (int c : in.children) {
            double w = by_area ? info_[c].area : info_[c].pop;
            num += w * static_cast<double>(s.v[c][k]);
            den += w;
          }
          v[k] = den > 0 ? RoundToGrid(num / den, s.grid) : 0;
        }
      }
      if (s.comparable) {
        // The reported growth of a parent: its children's, weighted by their values.
        for (size_t k = 0; k < n; ++k) {
          double num = 0, den = 0;
          for (int c : in.children) {
            if (s.reported[c][k] == kNoYoy) continue;
            num += static_cast<double>(s.v[c][k]) * s.reported[c][k];
            den += static_cast<double>(s.v[c][k]);
          }
          if (den > 0) s.reported[*it][k] = static_cast<int32_t>(std::llround(num / den));
        }
      }
    }
  }

  // ---- Output ----

  std::optional<Decimal> ReportedYoy(const Series& s, int u, int idx) const {
    auto pinned = pinned_yoy_.find({u, s.ind->code, idx});
    if (pinned != pinned_yoy_.end()) return Decimal::FromRaw(int64_t{pinned->second} * 100'000);
    if (s.comparable) {
      int32_t r = s.reported[u][idx];
      if (r == kNoYoy) return std::nullopt;
      return Decimal::FromRaw(int64_t{r} * 100'000);
    }
    if (!s.nominal || idx < s.keys_per_year) return std::nullopt;
    int64_t now = s.v[u][idx], last = s.v[u][idx - s.keys_per_year];
    if (last <= 0) return std::nullopt;
    // As rules.h ComputeYoy: percent rounded to 6 places, then to one decimal for display.
    __int128 millionths = DivRound(static_cast<__int128>(now - last) * 100'000'000, last);
    int64_t tenths = static_cast<int64_t>(DivRound(millionths, 100'000));
    return Decimal::FromRaw(tenths * 100'000);
  }

  std::vector<DemoValue> Emit(int min_month_index) {
    std::vector<DemoValue> out;
    size_t total = 0;
    for (const Series& s : series_) total += s.keys_per_year * years_;
    out.reserve(total * info_.size());
    std::vector<std::vector<std::string>> keys(series_.size());
    std::vector<std::vector<bool>> wanted(series_.size());
    for (size_t i = 0; i < series_.size(); ++i) {
      const Series& s = series_[i];
      for (int y = 0; y < years_; ++y) {
        for (int m : s.months) {
          keys[i].push_back(MonthKey(first_year_ + y, m));
          wanted[i].push_back((first_year_ + y) * 12 + m >= min_month_index);
        }
      }
    }
    for (size_t u = 0; u < info_.size(); ++u) {
      for (size_t i = 0; i < series_.size(); ++i) {
        const Series& s = series_[i];
        for (size_t k = 0; k < keys[i].size(); ++k) {
          if (!wanted[i][k]) continue;
          out.push_back(DemoValue{units_[u].id, s.ind->code, keys[i][k],
                                  Decimal::FromRaw(s.v[u][k] * kRawPerTick),
                                  ReportedYoy(s, static_cast<int>(u), static_cast<int>(k))});
        }
      }
    }
    return out;
  }

  struct PinKey {
    int unit;
    std::string code;
    int idx;
    bool operator<(const PinKey& o) const {
      return std::tie(unit, code, idx) < std::tie(o.unit, o.code, o.idx);
    }
  };

  const std::vector<DemoUnit>& units_;
  int first_year_, last_year_, years_ = 0;
  uint64_t seed_;
  std::vector<UnitInfo> info_;
  std::vector<int> order_;  // breadth-first, parents before children
  std::vector<Series> series_;
  std::unordered_map<std::string, size_t> by_code_;
  std::map<PinKey, int32_t> pinned_yoy_;
};

// ---- Seeded catalog ----

struct CatalogRow {
  const char* code;
  const char* name;
  const char* aliases;  // "|"-separated
  const char* unit;
  const char* period;
  const char* accumulation;
  const char* growth_basis;
  const char* direction;
  const char* formula;
};

// /work/shared/data/indicators.csv, in file order.
const CatalogRow kCatalog[] = {
    {"gdp", "地区生产总值", "生产总值|GDP|地区生产总值|经济总量", "亿元", "quarter", "ytd",
     "comparable", "up", ""},
    {"industrial_va", "规模以上工业增加值", "规上工业增加值|规模以上工业增加值|规上工业", "亿元",
     "month", "ytd", "comparable", "up", ""},
    {"fixed_asset_investment", "固定资产投资", "固投|固定资产投资|全社会固定资产投资", "亿元",
     "month", "ytd", "nominal", "up", ""},
    {"infrastructure_investment", "基础设施投资", "基础设施投资|基础设施", "亿元", "month", "ytd",
     "nominal", "up", ""},
    {"industrial_investment", "工业投资", "工业投资", "亿元", "month", "ytd", "nominal", "up", ""},
    {"retail_sales", "社会消费品零售总额", "社会消费品零售总额|社零额|社零|全社会消费品零售总额",
     "亿元", "month", "ytd", "nominal", "up", ""},
    {"retail_sales_above_quota", "限额以上批发零售业零售额",
     "限额以上零售额|限额以上批发零售业零售额|限额以上贸易业零售额", "亿元", "month", "ytd",
     "nominal", "up", ""},
    {"budget_revenue", "一般公共预算收入", "一般公共预算收入|地方一般公共预算收入|公共预算收入",
     "亿元", "month", "ytd", "nominal", "up", ""},
    {"tax_revenue", "税收收入", "税收收入|税收", "亿元", "month", "ytd", "nominal", "up", ""},
    {"tax_share", "税收占一般公共预算收入比重", "税收占比", "%", "month", "ytd", "none", "up",
     "tax_revenue/budget_revenue*100"},
    {"budget_expenditure", "一般公共预算支出", "一般公共预算支出|公共预算支出", "亿元", "month",
     "ytd", "nominal", "none", ""},
    {"disposable_income", "居民人均可支配收入", "居民人均可支配收入|人均可支配收入", "元",
     "quarter", "ytd", "nominal", "up", ""},
    {"disposable_income_urban", "城镇居民人均可支配收入",
     "城镇居民人均可支配收入|城镇居民收入", "元", "quarter", "ytd", "nominal", "up", ""},
    {"disposable_income_rural", "农村居民人均可支配收入",
     "农村居民人均可支配收入|农民人均可支配收入", "元", "quarter", "ytd", "nominal", "up", ""},
    {"foreign_trade", "进出口总额", "进出口总额|外贸进出口", "亿元", "month", "ytd", "nominal",
     "up", ""},
    {"actual_foreign_capital", "实际使用外资", "实际使用外资|实际利用外资", "万美元", "month",
     "ytd", "nominal", "up", ""},
    {"actual_domestic_capital", "实际到位省外资金", "实际到位省外资金|省外资金", "亿元", "month",
     "ytd", "nominal", "up", ""},
    {"electricity_use", "全社会用电量", "全社会用电量", "亿千瓦时", "month", "ytd", "nominal",
     "up", ""},
    {"industrial_electricity_use", "工业用电量", "工业用电量", "亿千瓦时", "month", "ytd",
     "nominal", "up", ""},
    {"contract_investment", "合同引资额", "合同引资额|合同引资|签约金额", "亿元", "month", "ytd",
     "none", "up", ""},
    {"signed_projects", "签约项目个数", "签约项目|新签约项目|签约落地项目", "个", "month", "ytd",
     "none", "up", ""},
    {"signed_projects_100m", "亿元以上签约项目个数", "亿元以上项目", "个", "month", "ytd", "none",
     "up", ""},
    {"key_projects", "重点项目个数", "重点项目|省市重点项目|省重点项目|市重点项目", "个", "year",
     "annual", "none", "up", ""},
    {"key_project_plan", "重点项目年度计划投资", "年度计划投资|计划投资", "亿元", "year",
     "annual", "none", "up", ""},
    {"key_project_completed", "重点项目累计完成投资", "累计完成投资|完成投资|累计投资", "亿元",
     "month", "ytd", "none", "up", ""},
    {"new_above_scale_enterprises", "新增四上企业", "四上企业|新培育四上企业|新增规上企业", "个",
     "month", "ytd", "none", "up", ""},
    {"grain_output", "粮食总产量", "粮食总产|粮食总产量|粮食产量", "万吨", "year", "annual",
     "nominal", "up", ""},
    {"high_standard_farmland", "新建高标准农田", "高标准农田", "万亩", "year", "annual", "none",
     "up", ""},
    {"hog_inventory", "生猪存栏", "生猪存栏", "头", "month", "point", "nominal", "none", ""},
    {"hog_slaughter", "生猪出栏", "生猪出栏", "头", "month", "ytd", "nominal", "none", ""},
    {"pm25", "PM2.5平均浓度", "PM2.5", "微克/立方米", "month", "ytd", "none", "down", ""},
};

int DecimalsOf(std::string_view unit) {
  if (unit == "亿元" || unit == "万吨" || unit == "万亩" || unit == "亿千瓦时") return 2;
  if (unit == "%") return 1;
  return 0;  // 元, 个, 头, 万美元, 微克/立方米
}

std::vector<std::string> SplitAliases(std::string_view text) {
  std::vector<std::string> out;
  while (!text.empty()) {
    size_t bar = text.find('|');
    out.emplace_back(text.substr(0, bar));
    if (bar == std::string_view::npos) break;
    text.remove_prefix(bar + 1);
  }
  return out;
}

}  // namespace

std::vector<DemoValue> GenerateIndicatorValues(const std::vector<DemoUnit>& units,
                                               const std::vector<Indicator>& catalog,
                                               int first_year, int last_year, uint64_t seed) {
  if (first_year > last_year) return {};
  return Generator(units, catalog, first_year, last_year, seed).Run(0);
}

std::vector<Indicator> SeedCatalog() {
  std::vector<Indicator> out;
  int order = 0;
  for (const CatalogRow& row : kCatalog) {
    Indicator ind;
    ind.code = row.code;
    ind.name = row.name;
    ind.aliases = SplitAliases(row.aliases);
    ind.unit = row.unit;
    ind.periodicity = row.period;
    ind.accumulation = row.accumulation;
    ind.growth_basis = row.growth_basis;
    ind.direction = row.direction;
    ind.formula = row.formula;
    ind.rank_by = "value";
    std::string_view code = row.code;
    ind.additive = !(ind.derived() || code.starts_with("disposable_income") || code == "pm25");
    ind.decimals = DecimalsOf(row.unit);
    ind.sort_order = ++order;
    out.push_back(std::move(ind));
  }
  return out;
}

ProvinceData GenerateProvince(int unit_count, int indicator_count, int months, int last_year,
                              uint64_t seed) {
  ProvinceData data;
  if (unit_count <= 0 || indicator_count < 0 || months <= 0) return data;
  auto code = [](int i) {
    char buf[16];
    std::snprintf(buf, sizeof buf, "P%03d", i);
    return std::string(buf);
  };
  // 1 root, about one city per 12 units, the rest counties spread over the cities.
  int cities = unit_count > 1 ? std::max(1, (unit_count - 1 + 6) / 12) : 0;
  data.units.push_back({1, code(0), "示范省", 0});
  for (int c = 1; c <= cities; ++c) {
    char name[32];
    std::snprintf(name, sizeof name, "示范市%02d", c);
    data.units.push_back({c + 1, code(c), name, 1});
  }
  for (int i = cities + 1; i < unit_count; ++i) {
    int county = i - cities;
    char name[32];
    std::snprintf(name, sizeof name, "示范县%03d", county);
    int city = 1 + (county - 1) % cities;
    data.units.push_back({i + 1, code(i), name, city + 1});
  }

  std::vector<Indicator> seeded = SeedCatalog();
  for (int i = 0; i < indicator_count && i < static_cast<int>(seeded.size()); ++i) {
    data.catalog.push_back(seeded[i]);
  }
  for (int i = static_cast<int>(seeded.size()); i < indicator_count; ++i) {
    int n = i - static_cast<int>(seeded.size()) + 1;
    char buf[32];
    std::snprintf(buf, sizeof buf, "synthetic_%02d", n);
    Indicator ind;
    ind.code = buf;
    std::snprintf(buf, sizeof buf, "合成指标%02d", n);
    ind.name = buf;
    ind.unit = "亿元";
    ind.periodicity = "month";
    ind.accumulation = "ytd";
    ind.growth_basis = "nominal";
    ind.direction = "up";
    ind.decimals = 2;
    ind.sort_order = i + 1;
    data.catalog.push_back(std::move(ind));
  }

  // Whole years, then only the last `months` months.
  int end = last_year * 12 + 12;
  int start = end - months + 1;  // month index year*12 + month
  int first_year = (start - 1) / 12;
  data.values = Generator(data.units, data.catalog, first_year, last_year, seed).Run(start);
  return data;
}

}  // namespace tiaodu::app
