#include "app/demo_indicators.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <ostream>
#include <set>
#include <string>
#include <string_view>
#include <tuple>
#include <vector>

namespace tiaodu {

void PrintTo(const Decimal& d, std::ostream* os) { *os << d.ToString(); }

namespace app {
namespace {

using indicators::Indicator;

constexpr uint64_t kSeed = 20240630;

Decimal D(std::string_view text) { return Decimal::Parse(text).value_or(Decimal()); }

// 南阳市 and its 17 children (units-nanyang.csv), ids 1..18.
std::vector<DemoUnit> NanyangUnits() {
  const char* rows[][2] = {
      {"411300", "南阳市"},    {"411302", "宛城区"},  {"411303", "卧龙区"},
      {"411321", "南召县"},    {"411322", "方城县"},  {"411323", "西峡县"},
      {"411324", "镇平县"},    {"411325", "内乡县"},  {"411326", "淅川县"},
      {"411327", "社旗县"},    {"411328", "唐河县"},  {"411329", "新野县"},
      {"411330", "桐柏县"},    {"411381", "邓州市"},  {"Z411371", "南阳高新技术产业开发区"},
      {"Z411372", "南阳市城乡一体化示范区"}, {"Z411373", "南阳官庄工区"},
      {"Z411374", "南阳鸭河工区"},
  };
  std::vector<DemoUnit> units;
  int64_t id = 1;
  for (const auto& row : rows) {
    units.push_back({id, row[0], row[1], id == 1 ? 0 : 1});
    ++id;
  }
  return units;
}

constexpr int64_t kCity = 1;
constexpr int64_t kWolong = 3;       // 411303
constexpr int64_t kGuanzhuang = 17;  // Z411373

// The Nanyang units plus three towns under 卧龙区 and two under 官庄工区.
std::vector<DemoUnit> NanyangWithTowns() {
  std::vector<DemoUnit> units = NanyangUnits();
  units.push_back({101, "T411303-01", "七一街道", kWolong});
  units.push_back({102, "T411303-02", "石桥镇", kWolong});
  units.push_back({103, "T411303-03", "潦河镇", kWolong});
  units.push_back({104, "TZ411373-01", "官庄镇", kGuanzhuang});
  units.push_back({105, "TZ411373-02", "工区街道", kGuanzhuang});
  return units;
}

using Key = std::tuple<int64_t, std::string, std::string>;  // unit, indicator, period

struct Indexed {
  std::map<Key, const DemoValue*> by_key;
  const DemoValue& at(int64_t unit, const std::string& ind, const std::string& period) const {
    auto it = by_key.find({unit, ind, period});
    EXPECT_NE(it, by_key.end()) << unit << " " << ind << " " << period;
    static const DemoValue kMissing{};
    return it == by_key.end() ? kMissing : *it->second;
  }
  bool has(int64_t unit, const std::string& ind, const std::string& period) const {
    return by_key.count({unit, ind, period}) > 0;
  }
};

Indexed Index(const std::vector<DemoValue>& values) {
  Indexed out;
  for (const DemoValue& v : values) {
    bool inserted = out.by_key.emplace(Key{v.unit_id, v.indicator, v.period}, &v).second;
    EXPECT_TRUE(inserted) << "duplicate " << v.unit_id << " " << v.indicator << " " << v.period;
  }
  return out;
}

std::string MonthKey(int year, int month) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02d", year, month);
  return buf;
}

bool IsKey(const Indicator& ind, int month) {
  if (ind.periodicity == "quarter") return month % 3 == 0;
  if (ind.periodicity == "year") return month == 12;
  return !(ind.accumulation == "ytd" && month == 1);
}

// Keys of `ind` in [first_year, last_year].
std::vector<std::string> Keys(const Indicator& ind, int first_year, int last_year) {
  std::vector<std::string> out;
  for (int y = first_year; y <= last_year; ++y) {
    for (int m = 1; m <= 12; ++m) {
      if (IsKey(ind, m)) out.push_back(MonthKey(y, m));
    }
  }
  return out;
}

// Competition rank by value among `ids`, larger first.
int RankOf(int64_t id, const std::vector<int64_t>& ids, const std::map<int64_t, Decimal>& key) {
  int rank = 1;
  for (int64_t other : ids) {
    if (key.at(other) > key.at(id)) ++rank;
  }
  return rank;
}

// YoY growth in percent as a Decimal, (now / last − 1) × 100, to 6 places.
Decimal Yoy(Decimal now, Decimal last) {
  return (now - last).Mul(Decimal::FromInt(100)).value().Div(last).value();
}

class DemoIndicatorsTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    catalog_ = new std::vector<Indicator>(SeedCatalog());
    units_ = new std::vector<DemoUnit>(NanyangUnits());
    values_ = new std::vector<DemoValue>(
        GenerateIndicatorValues(*units_, *catalog_, 2022, 2024, kSeed));
    index_ = new Indexed(Index(*values_));
  }
  static void TearDownTestSuite() {
    delete index_;
    delete values_;
    delete units_;
    delete catalog_;
  }
  static std::vector<int64_t> Children() {
    std::vector<int64_t> ids;
    for (int64_t id = 2; id <= 18; ++id) ids.push_back(id);
    return ids;
  }
  static const Indicator& Ind(std::string_view code) {
    for (const Indicator& ind : *catalog_) {
      if (ind.code == code) return ind;
    }
    ADD_FAILURE() << "no indicator " << code;
    return catalog_->front();
  }
  static Decimal V(int64_t unit, const std::string& ind, const std::string& period) {
    return index_->at(unit, ind, period).value;
  }

  static std::vector<Indicator>* catalog_;
  static std::vector<DemoUnit>* units_;
  static std::vector<DemoValue>* values_;
  static Indexed* index_;
};

std::vector<Indicator>* DemoIndicatorsTest::catalog_ = nullptr;
std::vector<DemoUnit>* DemoIndicatorsTest::units_ = nullptr;
std::vector<DemoValue>* DemoIndicatorsTest::values_ = nullptr;
Indexed* DemoIndicatorsTest::index_ = nullptr;

// ---- Catalog ----

TEST(SeedCatalogTest, HasTheThirtyOneCsvIndicatorsWithTheirFacts) {
  std::vector<Indicator> catalog = SeedCatalog();
  ASSERT_EQ(catalog.size(), 31u);
  EXPECT_EQ(catalog.front().code, "gdp");
  EXPECT_EQ(catalog.back().code, "pm25");
  std::set<std::string> codes;
  for (const Indicator& ind : catalog) {
    EXPECT_TRUE(codes.insert(ind.code).second) << ind.code;
    EXPECT_FALSE(ind.name.empty());
    EXPECT_FALSE(ind.aliases.empty()) << ind.code;
    EXPECT_EQ(ind.rank_by, "value");
  }
  const Indicator& gdp = catalog[0];
  EXPECT_EQ(gdp.name, "地区生产总值");
  EXPECT_EQ(gdp.aliases, (std::vector<std::string>{"生产总值", "GDP", "地区生产总值", "经济总量"}));
  EXPECT_EQ(gdp.unit, "亿元");
  EXPECT_EQ(gdp.periodicity, "quarter");
  EXPECT_EQ(gdp.accumulation, "ytd");
  EXPECT_EQ(gdp.growth_basis, "comparable");
  EXPECT_EQ(gdp.direction, "up");
  EXPECT_TRUE(gdp.additive);
  EXPECT_EQ(gdp.decimals, 2);

  auto find = [&](std::string_view code) {
    return *std::find_if(catalog.begin(), catalog.end(),
                         [&](const Indicator& i) { return i.code == code; });
  };
  Indicator tax_share = find("tax_share");
  EXPECT_TRUE(tax_share.derived());
  EXPECT_EQ(tax_share.formula, "tax_revenue/budget_revenue*100");
  EXPECT_FALSE(tax_share.additive);
  EXPECT_EQ(tax_share.decimals, 1);
  EXPECT_FALSE(find("disposable_income").additive);
  EXPECT_FALSE(find("disposable_income_urban").additive);
  EXPECT_FALSE(find("disposable_income_rural").additive);
  EXPECT_EQ(find("disposable_income").decimals, 0);
  Indicator pm25 = find("pm25");
  EXPECT_FALSE(pm25.additive);
  EXPECT_EQ(pm25.direction, "down");
  EXPECT_EQ(pm25.unit, "微克/立方米");
  EXPECT_EQ(pm25.decimals, 0);
  EXPECT_EQ(find("hog_inventory").accumulation, "point");
  EXPECT_TRUE(find("hog_inventory").additive);
  EXPECT_EQ(find("hog_inventory").decimals, 0);
  EXPECT_EQ(find("signed_projects").decimals, 0);
  EXPECT_EQ(find("actual_foreign_capital").decimals, 0);
  EXPECT_EQ(find("grain_output").decimals, 2);
  EXPECT_EQ(find("high_standard_farmland").decimals, 2);
  EXPECT_EQ(find("electricity_use").decimals, 2);
  EXPECT_EQ(find("key_projects").periodicity, "year");
  EXPECT_EQ(find("budget_expenditure").direction, "none");
  int derived = 0;
  for (const Indicator& ind : catalog) derived += ind.derived();
  EXPECT_EQ(derived, 1);
}

// ---- Published facts ----

TEST_F(DemoIndicatorsTest, WolongGdpAt2024H1IsThePublished258Point4) {
  EXPECT_EQ(V(kWolong, "gdp", "2024-06"), D("258.4"));
  EXPECT_TRUE(index_->at(kWolong, "gdp", "2024-06").reported_yoy.has_value());
}

TEST_F(DemoIndicatorsTest, WolongRetailAt2024H1Is212Point6WithReportedGrowth6Point3) {
  const DemoValue& v = index_->at(kWolong, "retail_sales", "2024-06");
  EXPECT_EQ(v.value, D("212.6"));
  ASSERT_TRUE(v.reported_yoy.has_value());
  EXPECT_EQ(*v.reported_yoy, D("6.3"));
  // The computed growth agrees with the reported one.
  EXPECT_EQ(Yoy(v.value, V(kWolong, "retail_sales", "2023-06")), D("6.3"));
}

TEST_F(DemoIndicatorsTest, GuanzhuangFactsOf2022HoldExactly) {
  EXPECT_EQ(V(kGuanzhuang, "gdp", "2022-12"), D("89.4"));
  EXPECT_EQ(V(kGuanzhuang, "industrial_va", "2022-12"), D("30"));
  EXPECT_EQ(V(kGuanzhuang, "retail_sales", "2022-12"), D("18.8"));
  EXPECT_EQ(V(kGuanzhuang, "budget_revenue", "2022-12"), D("1.6"));
  EXPECT_EQ(V(kGuanzhuang, "tax_revenue", "2022-12"), D("0.4565"));
}

TEST_F(DemoIndicatorsTest, WolongRanksSecondByGdpAndFirstByRetailValueAndGrowthAt2024H1) {
  std::vector<int64_t> ids = Children();
  std::map<int64_t, Decimal> gdp, retail, retail_growth;
  for (int64_t id : ids) {
    gdp[id] = V(id, "gdp", "2024-06");
    retail[id] = V(id, "retail_sales", "2024-06");
    retail_growth[id] = Yoy(retail[id], V(id, "retail_sales", "2023-06"));
  }
  EXPECT_EQ(RankOf(kWolong, ids, gdp), 2);
  int larger = 0;
  for (int64_t id : ids) larger += gdp[id] > gdp[kWolong];
  EXPECT_EQ(larger, 1);  // exactly one sibling ahead, no tie
  for (int64_t id : ids) {
    if (id != kWolong) {
      EXPECT_NE(gdp[id], gdp[kWolong]) << id;
    }
  }
  EXPECT_EQ(RankOf(kWolong, ids, retail), 1);
  EXPECT_EQ(RankOf(kWolong, ids, retail_growth), 1);
  for (int64_t id : ids) {
    if (id == kWolong) continue;
    EXPECT_LT(retail[id], retail[kWolong]) << id;
    EXPECT_LT(retail_growth[id], retail_growth[kWolong]) << id;
    // The reported (rounded) growth is behind too, so the board ranks it first either way.
    const DemoValue& v = index_->at(id, "retail_sales", "2024-06");
    ASSERT_TRUE(v.reported_yoy.has_value());
    EXPECT_LT(*v.reported_yoy, D("6.3")) << id;
  }
}

// ---- Consistency ----

TEST_F(DemoIndicatorsTest, EveryUnitIndicatorAndKeyHasExactlyOneValue) {
  size_t expected = 0;
  for (const Indicator& ind : *catalog_) {
    if (ind.derived()) continue;
    for (const std::string& key : Keys(ind, 2022, 2024)) {
      for (const DemoUnit& u : *units_) {
        EXPECT_TRUE(index_->has(u.id, ind.code, key)) << u.code << " " << ind.code << " " << key;
      }
      expected += units_->size();
    }
  }
  EXPECT_EQ(values_->size(), expected);
  for (const DemoValue& v : *values_) EXPECT_NE(v.indicator, "tax_share");
}

TEST_F(DemoIndicatorsTest, NoJanuaryKeyForYtdAndOnlyPeriodEndsForQuarterlyAndYearly) {
  for (const DemoValue& v : *values_) {
    const Indicator& ind = Ind(v.indicator);
    int month = std::stoi(v.period.substr(5));
    if (ind.accumulation == "ytd") {
      EXPECT_NE(month, 1) << v.indicator << " " << v.period;
    }
    if (ind.periodicity == "quarter") {
      EXPECT_EQ(month % 3, 0) << v.indicator << " " << v.period;
    }
    if (ind.periodicity == "year") {
      EXPECT_EQ(month, 12) << v.indicator << " " << v.period;
    }
  }
  EXPECT_TRUE(index_->has(kCity, "hog_inventory", "2024-01"));  // a point value has January
  EXPECT_FALSE(index_->has(kCity, "retail_sales", "2024-01"));
  EXPECT_FALSE(index_->has(kCity, "gdp", "2024-05"));
  EXPECT_FALSE(index_->has(kCity, "grain_output", "2024-06"));
}

TEST_F(DemoIndicatorsTest, ChildrenSumToTheCityForAdditiveIndicators) {
  for (const std::string period : {"2022-12", "2023-06", "2024-02", "2024-06", "2024-12"}) {
    for (const Indicator& ind : *catalog_) {
      if (ind.derived() || !ind.additive || !index_->has(kCity, ind.code, period)) continue;
      Decimal sum;
      for (int64_t id : Children()) sum += V(id, ind.code, period);
      EXPECT_EQ(sum, V(kCity, ind.code, period)) << ind.code << " " << period;
    }
  }
}

TEST_F(DemoIndicatorsTest, NonAdditiveCityValuesAreAveragesWithinTheChildrensRange) {
  for (const std::string code :
       {"disposable_income", "disposable_income_urban", "disposable_income_rural", "pm25"}) {
    for (const std::string& period : Keys(Ind(code), 2022, 2024)) {
      Decimal lo = V(2, code, period), hi = lo;
      for (int64_t id : Children()) {
        lo = std::min(lo, V(id, code, period));
        hi = std::max(hi, V(id, code, period));
      }
      Decimal city = V(kCity, code, period);
      EXPECT_GE(city, lo) << code << " " << period;
      EXPECT_LE(city, hi) << code << " " << period;
    }
  }
}

TEST_F(DemoIndicatorsTest, YtdValuesNeverFallWithinAYear) {
  for (const Indicator& ind : *catalog_) {
    if (ind.derived() || !ind.additive || ind.accumulation != "ytd") continue;
    for (const DemoUnit& u : *units_) {
      for (int year = 2022; year <= 2024; ++year) {
        std::optional<Decimal> previous;
        for (const std::string& key : Keys(ind, year, year)) {
          Decimal v = V(u.id, ind.code, key);
          EXPECT_GE(v, Decimal()) << u.code << " " << ind.code << " " << key;
          if (previous) {
            EXPECT_GE(v, *previous) << u.code << " " << ind.code << " " << key;
          }
          previous = v;
        }
      }
    }
  }
}

TEST_F(DemoIndicatorsTest, PartsNeverExceedTheirWholeForAnyUnitAndPeriod) {
  const std::pair<const char*, const char*> pairs[] = {
      {"tax_revenue", "budget_revenue"},
      {"signed_projects_100m", "signed_projects"},
      {"industrial_electricity_use", "electricity_use"},
      {"retail_sales_above_quota", "retail_sales"},
      {"infrastructure_investment", "fixed_asset_investment"},
      {"industrial_investment", "fixed_asset_investment"},
  };
  for (const auto& [part, whole] : pairs) {
    for (const DemoUnit& u : *units_) {
      for (const std::string& key : Keys(Ind(part), 2022, 2024)) {
        EXPECT_LE(V(u.id, part, key), V(u.id, whole, key)) << u.code << " " << part << " " << key;
      }
    }
  }
}

TEST_F(DemoIndicatorsTest, ReportedGrowthIsSetForComparableAndComputedForNominal) {
  for (const DemoValue& v : *values_) {
    const Indicator& ind = Ind(v.indicator);
    if (ind.growth_basis == "comparable") {
      ASSERT_TRUE(v.reported_yoy.has_value()) << v.unit_id << " " << v.indicator << " " << v.period;
      EXPECT_GE(*v.reported_yoy, D("3")) << v.indicator;
      EXPECT_LE(*v.reported_yoy, D("9")) << v.indicator;
    } else if (ind.growth_basis == "nominal") {
      std::string last = std::to_string(std::stoi(v.period.substr(0, 4)) - 1) + v.period.substr(4);
      if (!index_->has(v.unit_id, v.indicator, last)) {
        EXPECT_FALSE(v.reported_yoy.has_value()) << v.indicator << " " << v.period;
        continue;
      }
      Decimal before = V(v.unit_id, v.indicator, last);
      if (before <= Decimal()) continue;
      ASSERT_TRUE(v.reported_yoy.has_value()) << v.indicator << " " << v.period;
      Decimal computed = Decimal::Parse(Yoy(v.value, before).Format(1)).value();
      EXPECT_EQ(*v.reported_yoy, computed) << v.unit_id << " " << v.indicator << " " << v.period;
    } else {
      EXPECT_FALSE(v.reported_yoy.has_value()) << v.indicator;
    }
  }
}

TEST_F(DemoIndicatorsTest, ValuesHaveAtMostFourDecimalsAndTheIndicatorsPlacesOutsidePins) {
  for (const DemoValue& v : *values_) {
    EXPECT_EQ(v.value.raw() % 100, 0) << v.indicator << " " << v.value.ToString();
    if (v.reported_yoy) {
      EXPECT_EQ(v.reported_yoy->raw() % 100'000, 0);
    }
    const Indicator& ind = Ind(v.indicator);
    if (v.indicator == "tax_revenue") continue;  // 0.4565 is a published figure
    int64_t step = 1;
    for (int i = ind.decimals; i < 6; ++i) step *= 10;
    EXPECT_EQ(v.value.raw() % step, 0) << v.indicator << " " << v.value.ToString();
  }
}

TEST_F(DemoIndicatorsTest, MagnitudesAreThoseOfAHenanPrefecture) {
  Decimal gdp = V(kCity, "gdp", "2023-12");
  EXPECT_GT(gdp, D("4400"));
  EXPECT_LT(gdp, D("4800"));
  for (const char* code : {"411302", "411303", "411321", "411322", "411323", "411324", "411325",
                           "411326", "411327", "411328", "411329", "411330", "411381"}) {
    int64_t id = std::find_if(units_->begin(), units_->end(),
                              [&](const DemoUnit& u) { return u.code == code; })->id;
    for (const char* period : {"2022-12", "2023-12", "2024-12"}) {
      EXPECT_GE(V(id, "gdp", period), D("150")) << code << " " << period;
      EXPECT_LE(V(id, "gdp", period), D("600")) << code << " " << period;
    }
  }
  double g = gdp.ToDouble();
  double budget = V(kCity, "budget_revenue", "2023-12").ToDouble();
  EXPECT_GT(budget / g, 0.03);
  EXPECT_LT(budget / g, 0.07);
  double tax = V(kCity, "tax_revenue", "2023-12").ToDouble();
  EXPECT_GT(tax / budget, 0.55);
  EXPECT_LT(tax / budget, 0.75);
  double retail = V(kCity, "retail_sales", "2023-12").ToDouble();
  EXPECT_GT(retail / g, 0.35);
  EXPECT_LT(retail / g, 0.50);
  for (int64_t id : Children()) {
    double urban = V(id, "disposable_income_urban", "2023-12").ToDouble();
    EXPECT_GT(urban, 25000);
    EXPECT_LT(urban, 45000);
    double rural = V(id, "disposable_income_rural", "2023-12").ToDouble();
    EXPECT_GT(rural, 15000);
    EXPECT_LT(rural, 22000);
    double pm25 = V(id, "pm25", "2023-12").ToDouble();
    EXPECT_GE(pm25, 35);
    EXPECT_LE(pm25, 55);
    EXPECT_GT(V(id, "hog_inventory", "2023-12"), D("10000"));
  }
  // A cleaner year: PM2.5 of the city falls from 2022 to 2024.
  EXPECT_LT(V(kCity, "pm25", "2024-12"), V(kCity, "pm25", "2022-12"));
}

// ---- Towns ----

TEST(DemoIndicatorsTownsTest, TownsSumToTheirDistrictAndThePinsStillHold) {
  std::vector<DemoUnit> units = NanyangWithTowns();
  std::vector<Indicator> catalog = SeedCatalog();
  std::vector<DemoValue> values = GenerateIndicatorValues(units, catalog, 2022, 2024, kSeed);
  Indexed index = Index(values);
  auto v = [&](int64_t u, const char* ind, const char* p) { return index.at(u, ind, p).value; };
  EXPECT_EQ(v(kWolong, "gdp", "2024-06"), D("258.4"));
  EXPECT_EQ(v(kWolong, "retail_sales", "2024-06"), D("212.6"));
  EXPECT_EQ(v(kGuanzhuang, "tax_revenue", "2022-12"), D("0.4565"));
  EXPECT_EQ(v(kGuanzhuang, "gdp", "2022-12"), D("89.4"));
  for (const Indicator& ind : catalog) {
    if (ind.derived() || !ind.additive) continue;
    for (const std::string& key : Keys(ind, 2022, 2024)) {
      EXPECT_EQ(v(101, ind.code.c_str(), key.c_str()) + v(102, ind.code.c_str(), key.c_str()) +
                    v(103, ind.code.c_str(), key.c_str()),
                v(kWolong, ind.code.c_str(), key.c_str()))
          << ind.code << " " << key;
      EXPECT_EQ(v(104, ind.code.c_str(), key.c_str()) + v(105, ind.code.c_str(), key.c_str()),
                v(kGuanzhuang, ind.code.c_str(), key.c_str()))
          << ind.code << " " << key;
    }
  }
  for (const std::string& key : Keys(catalog[8], 2022, 2024)) {  // tax_revenue
    for (int64_t town : {101, 102, 103, 104, 105}) {
      EXPECT_LE(v(town, "tax_revenue", key.c_str()), v(town, "budget_revenue", key.c_str()))
          << town << " " << key;
    }
  }
}

// ---- Determinism ----

TEST(DemoIndicatorsDeterminismTest, SameSeedGivesTheSameValuesAndAnotherSeedOthers) {
  std::vector<DemoUnit> units = NanyangUnits();
  std::vector<Indicator> catalog = SeedCatalog();
  auto a = GenerateIndicatorValues(units, catalog, 2022, 2024, 7);
  auto b = GenerateIndicatorValues(units, catalog, 2022, 2024, 7);
  auto c = GenerateIndicatorValues(units, catalog, 2022, 2024, 8);
  ASSERT_EQ(a.size(), b.size());
  ASSERT_EQ(a.size(), c.size());
  size_t differ = 0;
  for (size_t i = 0; i < a.size(); ++i) {
    EXPECT_EQ(a[i].unit_id, b[i].unit_id);
    EXPECT_EQ(a[i].indicator, b[i].indicator);
    EXPECT_EQ(a[i].period, b[i].period);
    EXPECT_EQ(a[i].value, b[i].value);
    EXPECT_EQ(a[i].reported_yoy, b[i].reported_yoy);
    differ += a[i].value != c[i].value;
  }
  EXPECT_GT(differ, a.size() / 2);
  // The published facts hold for any seed.
  Indexed other = Index(c);
  EXPECT_EQ(other.at(kWolong, "gdp", "2024-06").value, D("258.4"));
  EXPECT_EQ(other.at(kWolong, "retail_sales", "2024-06").value, D("212.6"));
  EXPECT_EQ(other.at(kGuanzhuang, "tax_revenue", "2022-12").value, D("0.4565"));
}

TEST(DemoIndicatorsDeterminismTest, LeagueHoldsForManySeeds) {
  std::vector<DemoUnit> units = NanyangUnits();
  std::vector<Indicator> catalog = SeedCatalog();
  for (uint64_t seed = 1; seed <= 20; ++seed) {
    // The index points into the values: keep them alive as long as the index.
    std::vector<DemoValue> values = GenerateIndicatorValues(units, catalog, 2022, 2024, seed);
    Indexed index = Index(values);
    std::vector<int64_t> ids;
    std::map<int64_t, Decimal> gdp, retail, growth;
    for (int64_t id = 2; id <= 18; ++id) {
      ids.push_back(id);
      gdp[id] = index.at(id, "gdp", "2024-06").value;
      retail[id] = index.at(id, "retail_sales", "2024-06").value;
      growth[id] = Yoy(retail[id], index.at(id, "retail_sales", "2023-06").value);
    }
    EXPECT_EQ(RankOf(kWolong, ids, gdp), 2) << seed;
    EXPECT_EQ(RankOf(kWolong, ids, retail), 1) << seed;
    EXPECT_EQ(RankOf(kWolong, ids, growth), 1) << seed;
  }
}

// ---- Province scale ----

TEST(DemoProvinceTest, TwoHundredUnitsFortyIndicatorsTenYearsQuickly) {
  auto start = std::chrono::steady_clock::now();
  ProvinceData p = GenerateProvince(200, 40, 120, 2024, kSeed);
  double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  EXPECT_LT(seconds, 10.0);

  ASSERT_EQ(p.units.size(), 200u);
  ASSERT_EQ(p.catalog.size(), 40u);
  EXPECT_EQ(p.units[0].code, "P000");
  EXPECT_EQ(p.units[0].parent_id, 0);
  EXPECT_EQ(p.units[1].code, "P001");
  EXPECT_EQ(p.units[199].code, "P199");
  int roots = 0;
  std::set<int64_t> ids;
  for (const DemoUnit& u : p.units) {
    roots += u.parent_id == 0;
    ids.insert(u.id);
  }
  EXPECT_EQ(roots, 1);
  for (const DemoUnit& u : p.units) {
    if (u.parent_id != 0) {
      EXPECT_TRUE(ids.count(u.parent_id)) << u.code;
    }
  }
  EXPECT_EQ(p.catalog[31].code, "synthetic_01");
  EXPECT_EQ(p.catalog[39].code, "synthetic_09");

  // Per year: 21 monthly ytd seeded indicators × 11 keys, 4 quarterly × 4, 4 yearly × 1,
  // hog_inventory × 12 months, 9 synthetic × 11; tax_share is derived.
  size_t per_year = 21 * 11 + 4 * 4 + 4 * 1 + 12 + 9 * 11;
  EXPECT_EQ(p.values.size(), 200u * 10 * per_year);
  std::set<std::string> periods;
  for (const DemoValue& v : p.values) periods.insert(v.period);
  EXPECT_EQ(*periods.begin(), "2015-01");
  EXPECT_EQ(*periods.rbegin(), "2024-12");

  // The root is the sum of its cities for additive indicators.
  Indexed index = Index(p.values);
  for (const char* code : {"gdp", "retail_sales", "synthetic_05", "hog_inventory"}) {
    for (const char* period : {"2020-06", "2024-12"}) {
      if (!index.has(1, code, period)) continue;
      Decimal sum;
      for (const DemoUnit& u : p.units) {
        if (u.parent_id == 1) sum += index.at(u.id, code, period).value;
      }
      EXPECT_EQ(sum, index.at(1, code, period).value) << code << " " << period;
    }
  }
}

TEST(DemoProvinceTest, PartialFirstYearStartsAtTheRequestedMonth) {
  ProvinceData p = GenerateProvince(20, 33, 18, 2024, kSeed);
  ASSERT_EQ(p.units.size(), 20u);
  ASSERT_EQ(p.catalog.size(), 33u);
  std::set<std::string> periods;
  for (const DemoValue& v : p.values) periods.insert(v.period);
  EXPECT_EQ(*periods.begin(), "2023-07");
  EXPECT_EQ(*periods.rbegin(), "2024-12");
}

}  // namespace
}  // namespace app
}  // namespace tiaodu
