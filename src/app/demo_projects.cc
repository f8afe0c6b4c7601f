#include "app/demo_projects.h"
#include "app/demo_random.h"

#include <algorithm>
#include <cassert>
#include <cmath>
#include <cstdio>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <utility>

#include "base/decimal.h"
#include "base/period.h"
#include "projects/rules.h"

namespace tiaodu::app {
namespace {

using projects::Milestone;
using projects::Problem;
using projects::Progress;
using projects::Project;

// Amounts are integers counting ticks of 0.0001亿元 (万元, the unit reports are made in); one
// tick is 100 raw millionths of a Decimal. Plans and totals are whole 0.01亿元.
constexpr int64_t kRawPerTick = 100;
constexpr int64_t kPlanGrid = 100;  // ticks of 0.01亿元

// 卧龙区's published 2024 facts (ticks).
constexpr std::string_view kWolong = "411303";
constexpr int kPinnedProjects = 100;
constexpr int64_t kPinnedPlan2024 = 2'730'000;   // 273亿元
constexpr int64_t kPinnedFirstHalf = 1'739'000;  // 173.9亿元
constexpr int kWolongDistrictProjects = 8;
constexpr int kOtherProjects = 150;  // over the other county-level units

// Shares of the projects picked as behind plan this year / with an overdue milestone.
constexpr double kLaggingShare = 0.15;
constexpr double kOverdueShare = 0.10;
constexpr int kOverdueHorizonDays = 240;  // the overdue milestone was planned at most this long ago
// Province-level (省重点) projects are at least this large (ticks: 8亿元).
constexpr int64_t kProvinceLevelFloor = 80'000;

// ---- Deterministic randomness (the same scheme as demo_indicators.cc; no std::
// distributions: their output is not portable) ----




// An independent stream per (what, whom, n).

// Splits `total` (>= 0) into parts proportional to `weights` (>= 0), each at least
// `min_each`, summing exactly to `total` (largest remainders, ties to the earlier part).

// ---- Dates and months ----

// A month as year × 12 + month − 1.
int MonthIndex(int year, int month) { return year * 12 + month - 1; }
int MonthIndex(const CivilDate& d) { return MonthIndex(d.year, d.month); }
int YearOf(int month_index) { return month_index / 12; }
int MonthOf(int month_index) { return month_index % 12 + 1; }

std::string MonthKey(int month_index) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02d", YearOf(month_index), MonthOf(month_index));
  return buf;
}

bool Before(const CivilDate& a, const CivilDate& b) { return CompareDates(a, b) < 0; }
CivilDate Earlier(const CivilDate& a, const CivilDate& b) { return Before(a, b) ? a : b; }
CivilDate Later(const CivilDate& a, const CivilDate& b) { return Before(a, b) ? b : a; }
CivilDate MonthEnd(int year, int month) { return {year, month, DaysInMonth(year, month)}; }

// 09:00 Beijing time (01:00 UTC) of a date, in Unix milliseconds.
int64_t Millis(const CivilDate& d) { return DaysFromCivil(d) * 86'400'000 + 3'600'000; }

Decimal Yi(int64_t ticks) { return Decimal::FromRaw(ticks * kRawPerTick); }

// Fixed-asset investment by month (relative weights, January first): slow winter, a December
// rush.
constexpr double kSeason[12] = {3, 4, 8, 8, 9, 10, 8, 8, 9, 9, 10, 14};

// ---- What projects look like ----

struct Template {
  std::string_view category;
  std::string_view industry;  // GB/T 4754 section + division
  std::string_view chain;     // industry projects only
  std::string_view pattern;   // {u} unit, {x} a firm or place word, {r} a road, {w} a river
  double lo, hi;              // total investment, 亿元
};

const Template kTemplates[] = {
    // 产业 (industry)
    {"industry", "C36", "新能源汽车", "{u}{x}新能源汽车零部件产业园项目", 5, 40},
    {"industry", "C38", "新能源汽车", "{u}{x}年产5GWh动力电池项目", 10, 60},
    {"industry", "C36", "新能源汽车", "{u}{x}电驱动系统及电机控制器项目", 3, 20},
    {"industry", "C35", "装备制造", "{u}{x}智能装备制造产业园项目", 5, 30},
    {"industry", "C38", "装备制造", "{u}{x}高端防爆电机生产线项目", 3, 15},
    {"industry", "C34", "装备制造", "{u}{x}数控机床及精密零部件项目", 2, 12},
    {"industry", "C27", "中医药", "{u}{x}中药配方颗粒生产项目", 2, 10},
    {"industry", "C27", "中医药", "{u}{x}中医药产业园项目", 5, 30},
    {"industry", "C27", "中医药", "{u}{x}艾草精深加工项目", 1, 6},
    {"industry", "C39", "光电信息", "{u}{x}光学镜头及光电元器件项目", 3, 20},
    {"industry", "C40", "光电信息", "{u}{x}精密光学仪器生产项目", 2, 10},
    {"industry", "C39", "光电信息", "{u}{x}半导体封装测试项目", 5, 40},
    {"industry", "C30", "新材料", "{u}{x}新材料产业园项目", 5, 50},
    {"industry", "C28", "新材料", "{u}{x}高性能碳纤维复合材料项目", 5, 35},
    {"industry", "C32", "新材料", "{u}{x}高性能铝合金材料项目", 3, 25},
    {"industry", "C26", "新材料", "{u}{x}电子级化学品项目", 3, 25},
    {"industry", "C13", "绿色食品", "{u}{x}绿色食品产业园项目", 2, 15},
    {"industry", "C13", "绿色食品", "{u}{x}肉制品精深加工项目", 2, 12},
    {"industry", "C14", "绿色食品", "{u}{x}方便食品及调味品生产项目", 1, 8},
    {"industry", "C15", "绿色食品", "{u}{x}特色果蔬饮料生产项目", 1, 6},
    {"industry", "D44", "新能源", "{u}{x}100兆瓦风电项目", 5, 8},
    {"industry", "D44", "新能源", "{u}{x}分布式光伏发电项目", 1, 5},
    // 基础设施 (infrastructure)
    {"infrastructure", "E48", "", "{u}{r}提质改造工程", 1, 8},
    {"infrastructure", "E48", "", "{u}{r}道路及综合管网工程", 2, 12},
    {"infrastructure", "G54", "", "{u}{x}快速通道建设工程", 5, 40},
    {"infrastructure", "N77", "", "{u}{x}污水处理厂扩建工程", 1, 6},
    {"infrastructure", "D44", "", "{u}{x}220千伏输变电工程", 2, 8},
    {"infrastructure", "D45", "", "{u}{x}燃气管网改造工程", 1, 5},
    {"infrastructure", "N76", "", "{u}{w}水库除险加固工程", 1, 6},
    {"infrastructure", "N77", "", "{u}{w}河综合治理工程", 2, 15},
    {"infrastructure", "G59", "", "{u}{x}冷链物流园基础设施项目", 3, 20},
    // 社会民生 (social)
    {"social", "Q84", "", "{u}人民医院{x}院区建设项目", 3, 20},
    {"social", "Q84", "", "{u}中医院{x}门诊综合楼项目", 1, 8},
    {"social", "P83", "", "{u}{x}中学新校区建设项目", 1, 8},
    {"social", "P83", "", "{u}{x}职业技术学校实训基地项目", 1, 5},
    {"social", "Q85", "", "{u}{x}养老服务中心项目", 1, 4},
    {"social", "R89", "", "{u}{x}全民健身中心项目", 1, 6},
    {"social", "R88", "", "{u}{x}文化艺术中心项目", 2, 10},
    // 城市更新 (urban renewal)
    {"urban_renewal", "E47", "", "{u}{x}片区城市更新项目", 5, 60},
    {"urban_renewal", "E47", "", "{u}{x}老旧小区改造项目", 1, 6},
    {"urban_renewal", "K70", "", "{u}{x}城中村改造项目", 5, 40},
    {"urban_renewal", "E48", "", "{u}{r}背街小巷整治工程", 1, 3},
    {"urban_renewal", "E47", "", "{u}{x}历史文化街区保护更新项目", 2, 15},
    // 农业农村 (agriculture)
    {"agriculture", "A05", "", "{u}{x}高标准农田建设项目", 1, 5},
    {"agriculture", "A03", "", "{u}{x}年出栏30万头生猪养殖项目", 2, 10},
    {"agriculture", "A01", "", "{u}{x}食用菌产业园项目", 1, 6},
    {"agriculture", "A01", "", "{u}{x}猕猴桃种植基地项目", 1, 4},
    {"agriculture", "A01", "", "{u}{x}艾草种植基地项目", 1, 3},
};

constexpr std::string_view kFirms[] = {"中科", "华瑞", "恒达", "金鼎", "瑞丰", "宏图", "远航",
                                       "新锐", "润泽", "鑫源", "中原", "伏牛", "白河", "丹江",
                                       "汉风", "仲景", "独山", "张衡", "宛都", "南都"};
constexpr std::string_view kPlaces[] = {"城东", "城西", "城南", "城北",     "滨河", "东部",
                                        "西部", "新区", "老城", "白河南岸", "站前", "北部"};
constexpr std::string_view kRoads[] = {"光武路", "卧龙路", "车站路", "仲景路",  "张衡路", "建设路",
                                       "人民路", "孔明路", "七一路", "中州路",  "文化路", "工业路",
                                       "滨河路", "新华路", "解放路", "独山大道"};
constexpr std::string_view kRivers[] = {"梅溪", "温凉", "三里", "十二里",
                                        "潦",   "李湾", "龙潭", "白条"};
constexpr std::string_view kPhases[] = {"二期", "三期", "四期", "五期"};

// Category mixes: county-level units, development zones (more industry), towns (more
// agriculture). Order: industry, infrastructure, social, urban_renewal, agriculture.
constexpr std::string_view kCategories[] = {"industry", "infrastructure", "social", "urban_renewal",
                                            "agriculture"};
constexpr double kCountyMix[] = {0.45, 0.20, 0.12, 0.13, 0.10};
constexpr double kZoneMix[] = {0.65, 0.20, 0.05, 0.07, 0.03};
constexpr double kTownMix[] = {0.15, 0.20, 0.15, 0.15, 0.35};

// Nanyang's county-level units: code abbreviation (pinyin initials, for project codes) and
// 2023 GDP (亿元, weights the share of projects).
struct KnownUnit {
  std::string_view code;
  std::string_view abbrev;
  double gdp;
};
constexpr KnownUnit kKnownUnits[] = {
    {"411302", "WC", 430}, {"411303", "WL", 540},  {"411321", "NZ", 180},  {"411322", "FC", 330},
    {"411323", "XX", 330}, {"411324", "ZP", 330},  {"411325", "NX", 290},  {"411326", "XC", 280},
    {"411327", "SQ", 200}, {"411328", "TH", 400},  {"411329", "XY", 270},  {"411330", "TB", 180},
    {"411381", "DZ", 570}, {"Z411371", "GX", 200}, {"Z411372", "SF", 150}, {"Z411373", "GZ", 100},
    {"Z411374", "YH", 60},
};
const KnownUnit* FindKnown(std::string_view code) {
  for (const KnownUnit& k : kKnownUnits) {
    if (k.code == code) return &k;
  }
  return nullptr;
}

// Short forms used in project names.
std::string ShortName(const std::string& name) {
  if (name == "南阳高新技术产业开发区") return "南阳高新区";
  if (name == "南阳市城乡一体化示范区") return "南阳市示范区";
  return name;
}

std::string CodePrefix(const DemoUnit& u) {
  if (const KnownUnit* k = FindKnown(u.code)) return std::string(k->abbrev);
  std::string out;
  for (char c : u.code) {
    bool ok =
        (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '-';
    if (ok && out.size() < 20) out.push_back(c);
  }
  if (out.empty()) out = "U" + std::to_string(u.id % 1'000'000);
  return out + "-";
}

void ReplaceAll(std::string& s, std::string_view from, std::string_view to) {
  for (size_t at = s.find(from); at != std::string::npos; at = s.find(from, at + to.size())) {
    s.replace(at, from.size(), to);
  }
}

// ---- Drafts ----

enum class Group { kOnTrack, kLagging, kOverdue };

struct Draft {
  int unit = 0;    // index into the units
  int county = 0;  // the county-level unit it belongs to (itself when not a town)
  const Template* tpl = nullptr;
  std::string level;
  bool pinned = false;  // one of 卧龙区's published 100
  Rng rng;
  int start_year = 0, end_year = 0;
  CivilDate start{}, completion{};  // 开工 (construction start), committed completion
  CivilDate signed_on{};
  std::vector<projects::PlannedMilestone> planned;
  std::vector<int> days;         // each step's duration: it begins at planned − days
  int construction = 1;          // index of the construction step (主体施工 / 主体建设)
  int64_t total = 0;             // ticks
  std::map<int, int64_t> plans;  // ticks
  Group group = Group::kOnTrack;
  int overdue_step = -1;  // the milestone left without an actual date (overdue group)
  double rate_now = 0;    // this year's completion through the last reported month, % of plan
  std::map<int, int64_t> fixed_months;  // month index → ticks (the pinned first half of 2024)
};

struct Context {
  const std::vector<DemoUnit>* units = nullptr;
  CivilDate today{};
  uint64_t seed = 0;
  int first_report = 0;  // month index of the first report any project may have
  int last_report = 0;   // ... and of the last
  projects::Settings settings = projects::DefaultSettings();
  std::unordered_set<std::string> names;
  std::unordered_set<std::string> codes;
  std::map<std::pair<int, int>, int> serial;  // (unit, start year) → last sequence number
};

const Template& PickTemplate(Rng& rng, std::string_view category) {
  std::vector<const Template*> fit;
  for (const Template& t : kTemplates) {
    if (t.category == category) fit.push_back(&t);
  }
  return *fit[rng.Next() % fit.size()];
}

std::string_view PickCategory(Rng& rng, const double (&mix)[5]) {
  double x = rng.Unit(), acc = 0;
  for (int i = 0; i < 5; ++i) {
    acc += mix[i];
    if (x < acc) return kCategories[i];
  }
  return kCategories[0];
}

// Lays the category's standard steps out over [start − pre-construction time, completion]:
// the steps before the construction step keep their standard durations and end at `start`;
// the construction step and those after it are scaled to end exactly at `completion`. The
// dates come from projects::BackwardSchedule with these durations.
void Layout(const Context& ctx, Draft& d) {
  auto it = ctx.settings.durations.find(std::string(d.tpl->category));
  assert(it != ctx.settings.durations.end());
  std::vector<projects::Settings::Step> steps = it->second;
  int k = -1;
  for (size_t i = 0; i < steps.size(); ++i) {
    if (steps[i].name.rfind("主体", 0) == 0) k = static_cast<int>(i);
  }
  if (k < 1) k = std::max<int>(1, static_cast<int>(steps.size()) / 2);
  d.construction = k;
  int64_t pre = 0, post = 0;
  for (size_t i = 0; i < steps.size(); ++i) (static_cast<int>(i) < k ? pre : post) += steps[i].days;
  const int64_t span = DaysBetween(d.start, d.completion);
  int64_t used = 0;
  for (size_t i = k; i < steps.size(); ++i) {
    steps[i].days = std::max<int>(
        1, static_cast<int>(std::llround(static_cast<double>(steps[i].days) * span / post)));
    used += steps[i].days;
  }
  steps[k].days += static_cast<int>(span - used);
  if (steps[k].days < 1) steps[k].days = 1;  // spans are at least a year: never happens
  auto planned = projects::BackwardSchedule(steps, d.completion, AddDays(d.start, -pre));
  assert(planned.ok());
  d.planned = planned.ok() ? *planned : std::vector<projects::PlannedMilestone>{};
  d.days.clear();
  for (const auto& s : steps) d.days.push_back(s.days);
  CivilDate begin = AddDays(d.start, -pre);
  d.signed_on = AddDays(begin, -d.rng.Int(15, 60));
}

// Construction start: a day in February–June of `year`, or of the months given.
CivilDate StartDate(Rng& rng, int year, int first_month, int last_month) {
  int m = rng.Int(first_month, last_month);
  return {year, m, rng.Int(1, DaysInMonth(year, m))};
}

// A committed completion: a month end in June–December of `year`.
CivilDate CompletionDate(Rng& rng, int year) { return MonthEnd(year, rng.Int(6, 12)); }

// Active (construction) months of the project within `year`, and the season weight of each.
double YearWeight(const Draft& d, int year) {
  int from = std::max(MonthIndex(d.start), MonthIndex(year, 1));
  int to = std::min(MonthIndex(d.completion), MonthIndex(year, 12));
  double w = 0;
  for (int m = from; m <= to; ++m) w += kSeason[MonthOf(m) - 1];
  return w;
}

// The years' plan weights: the season weight of the active months, the middle years heavier.
std::vector<double> PlanWeights(const Draft& d) {
  std::vector<double> w;
  for (int y = d.start_year; y <= d.end_year; ++y) {
    double shape = y == d.start_year ? 0.9 : y == d.end_year ? 0.8 : 1.2;
    w.push_back(std::max(YearWeight(d, y), 1.0) * shape);
  }
  return w;
}

// Total investment from the template's range (log-uniform; at most `cap`亿元), plans 80–93%
// of it.
void Plans(Draft& d, double cap) {
  double hi = std::max(d.tpl->lo, std::min(d.tpl->hi, cap));
  double yi = d.tpl->lo * std::pow(hi / d.tpl->lo, d.rng.Unit());
  int64_t units = std::clamp<int64_t>(std::llround(yi * 100), 100, 8000);
  d.total = units * kPlanGrid;
  int64_t planned = static_cast<int64_t>(static_cast<double>(units) * d.rng.Uniform(0.80, 0.93));
  std::vector<int64_t> parts = Allocate(planned, PlanWeights(d), 1);
  d.plans.clear();
  for (int y = d.start_year; y <= d.end_year; ++y) {
    d.plans[y] = parts[y - d.start_year] * kPlanGrid;
  }
}

// A pinned project's plans around its given 2024 plan (in 0.01亿元).
void PinnedPlans(Draft& d, int64_t plan_2024) {
  std::vector<double> w = PlanWeights(d);
  double w24 = w[2024 - d.start_year];
  std::map<int, int64_t> units;
  int64_t sum = 0;
  for (int y = d.start_year; y <= d.end_year; ++y) {
    int64_t u = y == 2024
                    ? plan_2024
                    : std::max<int64_t>(1, std::llround(plan_2024 * w[y - d.start_year] / w24));
    units[y] = u;
    sum += u;
  }
  double share = d.rng.Uniform(0.80, 0.93);
  int64_t total = std::clamp<int64_t>(static_cast<int64_t>(std::ceil(sum / share)), 100, 8000);
  if (sum > total) {  // a very large 2024 plan: shrink the other years
    int64_t others = sum - plan_2024;
    int64_t room = std::max<int64_t>(0, total - plan_2024);
    for (auto& [y, u] : units) {
      if (y != 2024) u = others > 0 ? u * room / others : 0;
    }
  }
  d.total = total * kPlanGrid;
  d.plans.clear();
  for (const auto& [y, u] : units) d.plans[y] = u * kPlanGrid;
}

// Name, unique within the generated set: the pattern with words; other words on a clash,
// then phases (二期…), then a number.
std::string MakeName(Context& ctx, Draft& d) {
  const DemoUnit& u = (*ctx.units)[d.unit];
  const DemoUnit& county = (*ctx.units)[d.county];
  std::string prefix = ShortName(county.name);
  if (d.unit != d.county) prefix += u.name;
  std::string_view pattern = d.tpl->pattern;
  bool place_word = d.tpl->category != "industry" && d.tpl->category != "agriculture";
  size_t firm = d.rng.Next(), road = d.rng.Next(), river = d.rng.Next();
  auto build = [&](size_t shift, std::string_view phase) {
    std::string s(pattern);
    ReplaceAll(s, "{u}", prefix);
    if (place_word) {
      ReplaceAll(s, "{x}", kPlaces[(firm + shift) % std::size(kPlaces)]);
    } else {
      ReplaceAll(s, "{x}", kFirms[(firm + shift) % std::size(kFirms)]);
    }
    ReplaceAll(s, "{r}", kRoads[(road + shift) % std::size(kRoads)]);
    ReplaceAll(s, "{w}", kRivers[(river + shift) % std::size(kRivers)]);
    if (!phase.empty()) {
      // "…项目" → "…二期项目", "…工程" → "…二期工程".
      s.insert(s.size() - std::string_view("项目").size(), phase);
    }
    return s;
  };
  for (std::string_view phase :
       {std::string_view(), kPhases[0], kPhases[1], kPhases[2], kPhases[3]}) {
    for (size_t shift = 0; shift < std::size(kFirms); ++shift) {
      std::string s = build(shift, phase);
      if (ctx.names.insert(s).second) return s;
    }
  }
  for (int n = 2;; ++n) {
    std::string s = build(0, "") + "（" + std::to_string(n) + "）";
    if (ctx.names.insert(s).second) return s;
  }
}

std::string MakeCode(Context& ctx, const Draft& d) {
  const DemoUnit& u = (*ctx.units)[d.unit];
  int seq = ++ctx.serial[{d.unit, d.start_year}];
  char tail[32];
  std::snprintf(tail, sizeof tail, "%04d-%03d", d.start_year, seq);
  std::string code = CodePrefix(u) + tail;
  for (int n = 2; !ctx.codes.insert(code).second; ++n) {
    code = "X" + std::to_string(n) + "-" + tail;
  }
  return code;
}

std::string Location(Context& ctx, Draft& d) {
  const DemoUnit& u = (*ctx.units)[d.unit];
  const DemoUnit& county = (*ctx.units)[d.county];
  std::string where = ShortName(county.name);
  if (d.unit != d.county) where += u.name;
  std::string_view r1 = d.rng.Pick(kRoads), r2 = d.rng.Pick(kRoads);
  if (r1 == r2)
    r2 = kRoads[(std::find(std::begin(kRoads), std::end(kRoads), r1) - std::begin(kRoads) + 1) %
                std::size(kRoads)];
  std::string_view c = d.tpl->category;
  if (c == "industry") return where + (d.rng.Chance(0.5) ? "产业集聚区" : std::string(r1) + "以东");
  if (c == "agriculture") return where + (d.unit != d.county ? "辖区" : "乡镇");
  if (c == "infrastructure") return where + std::string(r1) + "沿线";
  return where + std::string(r1) + "与" + std::string(r2) + "交叉口";
}

// ---- Groups ----

// Picks round(share × n) of the eligible drafts by a seeded hash order.
std::vector<int> PickShare(const std::vector<int>& eligible, size_t n, double share, uint64_t seed,
                           std::string_view what) {
  std::vector<std::pair<uint64_t, int>> keyed;
  for (int i : eligible)
    keyed.push_back({Mix(seed ^ HashText(what) ^ Mix(static_cast<uint64_t>(i))), i});
  std::sort(keyed.begin(), keyed.end());
  size_t want =
      std::min(keyed.size(), static_cast<size_t>(std::llround(share * static_cast<double>(n))));
  std::vector<int> out;
  for (size_t k = 0; k < want; ++k) out.push_back(keyed[k].second);
  return out;
}

// First and last reported month of a draft (first > last: none).
std::pair<int, int> ReportRange(const Context& ctx, const Draft& d) {
  return {std::max(ctx.first_report, MonthIndex(d.start)),
          std::min(ctx.last_report, MonthIndex(d.completion))};
}

void AssignGroups(const Context& ctx, std::vector<Draft>& drafts) {
  const CivilDate& today = ctx.today;
  const double elapsed = (today.month - 1) * 100.0 / 12.0;  // the service's time share, %
  std::vector<int> lag_ok;
  for (size_t i = 0; i < drafts.size(); ++i) {
    const Draft& d = drafts[i];
    auto [first, last] = ReportRange(ctx, d);
    auto plan = d.plans.find(today.year);
    bool eligible = today.month >= 3 && plan != d.plans.end() && plan->second > 0 &&
                    first <= last && YearOf(last) == today.year &&
                    MonthIndex(d.completion) > last && !(d.pinned && today.year == 2024);
    if (eligible) lag_ok.push_back(static_cast<int>(i));
  }
  for (int i : PickShare(lag_ok, drafts.size(), kLaggingShare, ctx.seed, "lagging")) {
    drafts[i].group = Group::kLagging;
  }
  std::vector<int> overdue_ok;
  for (size_t i = 0; i < drafts.size(); ++i) {
    Draft& d = drafts[i];
    if (d.group != Group::kOnTrack) continue;
    int latest = -1;
    for (size_t s = d.construction; s < d.planned.size(); ++s) {
      if (Before(d.planned[s].planned, today)) latest = static_cast<int>(s);
    }
    if (latest < 0 || DaysBetween(d.planned[latest].planned, today) > kOverdueHorizonDays) continue;
    d.overdue_step = latest;  // kept only for the picked ones below
    overdue_ok.push_back(static_cast<int>(i));
  }
  std::vector<int> picked =
      PickShare(overdue_ok, drafts.size(), kOverdueShare, ctx.seed, "overdue");
  std::unordered_set<int> chosen(picked.begin(), picked.end());
  for (int i : overdue_ok) {
    if (chosen.count(i)) {
      drafts[i].group = Group::kOverdue;
    } else {
      drafts[i].overdue_step = -1;
    }
  }
  // This year's completion through the last reported month (% of the plan).
  for (Draft& d : drafts) {
    if (d.group == Group::kLagging) {
      double gap = d.rng.Chance(0.6) ? d.rng.Uniform(12, 19) : d.rng.Uniform(22, 40);
      d.rate_now = std::max(0.0, elapsed - gap);
    } else {
      d.rate_now = std::min(elapsed + d.rng.Uniform(1, 15), 105.0);
    }
  }
}

// ---- Realizing a draft ----

std::string Narrative(const Draft& d, int month_index) {
  CivilDate mid{YearOf(month_index), MonthOf(month_index), 15};
  for (size_t i = 0; i < d.planned.size(); ++i) {
    CivilDate end = d.planned[i].planned;
    CivilDate begin = AddDays(end, -d.days[i]);
    if (Before(mid, begin) || !Before(mid, end)) continue;
    int pct = static_cast<int>(100 * DaysBetween(begin, mid) / std::max<int64_t>(1, d.days[i]));
    pct = std::clamp(pct, 1, 99);
    const std::string& name = d.planned[i].name;
    std::string p = std::to_string(pct) + "%";
    std::string what;
    if (name == "前期手续") {
      what = "可研、规划、环评等前期手续办理中";
    } else if (name == "土地征收/供地" || name == "用地保障") {
      what = "土地组卷报批及供地手续推进中";
    } else if (name == "土地流转") {
      what = "土地流转签约推进中，已完成" + p;
    } else if (name == "征地拆迁" || name == "房屋征收安置") {
      what = "征迁工作有序推进，已完成" + p;
    } else if (name == "施工许可") {
      what = "施工图审查及施工许可办理中";
    } else if (name == "招标") {
      what = "施工及监理招标推进中";
    } else if (name.rfind("主体", 0) == 0) {
      what = "主体工程施工中，形象进度" + p;
    } else if (name.rfind("设备", 0) == 0) {
      what = "设备安装调试中，已完成" + p;
    } else if (name == "配套设施建设") {
      what = "配套设施建设中，形象进度" + p;
    } else if (name == "竣工验收") {
      what = "竣工验收准备中";
    } else {
      what = "推进中";
    }
    return name + "：" + what;
  }
  return "工程收尾及竣工结算";
}

// The project, its milestones and its progress, appended to `out` (the project's index is
// out.projects.size() before the call).
void Realize(Context& ctx, Draft& d, const std::vector<int64_t>& leader_ids,
             const std::vector<int64_t>& task_force_ids, DemoProjects& out) {
  const CivilDate& today = ctx.today;
  const int64_t index = static_cast<int64_t>(out.projects.size());
  const DemoUnit& unit = (*ctx.units)[d.unit];

  Project p;
  p.code = MakeCode(ctx, d);
  p.name = MakeName(ctx, d);
  p.level = d.level;
  p.category = std::string(d.tpl->category);
  p.industry = std::string(d.tpl->industry);
  p.chain = std::string(d.tpl->chain);
  p.unit_id = unit.id;
  if (d.level != "district" && !leader_ids.empty()) {
    p.leader_id = leader_ids[d.rng.Next() % leader_ids.size()];
  }
  if ((d.level == "province" || d.total >= 20 * 10'000) && !task_force_ids.empty()) {
    p.task_force_id = task_force_ids[d.rng.Next() % task_force_ids.size()];
  }
  p.location = Location(ctx, d);
  p.total_investment = Yi(d.total);
  p.start_year = d.start_year;
  p.end_year = d.end_year;
  p.committed_completion = d.completion;
  for (const auto& [y, t] : d.plans) p.annual_plans[y] = Yi(t);

  // Milestones and their actual dates (in order, never after today).
  CivilDate prev = d.signed_on;
  bool stopped = false;
  std::vector<std::optional<CivilDate>> actual(d.planned.size());
  for (size_t i = 0; i < d.planned.size(); ++i) {
    const CivilDate& planned = d.planned[i].planned;
    if (static_cast<int>(i) == d.overdue_step) stopped = true;
    if (stopped || !Before(planned, today)) continue;
    CivilDate a = AddDays(planned, d.rng.Int(-10, 15));
    a = Earlier(Later(a, prev), today);
    actual[i] = a;
    prev = a;
  }
  for (size_t i = 0; i < d.planned.size(); ++i) {
    Milestone m;
    m.project_id = index;
    m.seq = static_cast<int>(i) + 1;
    m.name = d.planned[i].name;
    m.planned = d.planned[i].planned;
    m.actual = actual[i];
    out.milestones.push_back(std::move(m));
  }

  // Stages from the dates.
  if (!Before(today, d.signed_on)) p.stage_dates["signed"] = d.signed_on;
  if (actual[d.construction - 1]) p.stage_dates["started"] = *actual[d.construction - 1];
  if (actual.back()) {
    CivilDate done = *actual.back();
    p.stage_dates["completed"] = done;
    if (p.category == "industry" || p.category == "agriculture") {
      CivilDate producing = AddDays(done, d.rng.Int(30, 120));
      if (!Before(today, producing)) {
        p.stage_dates["producing"] = producing;
        CivilDate effective = AddDays(producing, d.rng.Int(150, 365));
        if (!Before(today, effective)) p.stage_dates["effective"] = effective;
      }
    }
  }
  p.stage = "planning";
  for (int s = projects::kStageCount - 1; s >= 0; --s) {
    if (p.stage_dates.count(projects::kStages[s])) {
      p.stage = projects::kStages[s];
      break;
    }
  }

  // Monthly progress: each year's amount, spread over its reported months by season.
  auto [first, last] = ReportRange(ctx, d);
  int64_t last_reported_at = 0;
  for (int y = first <= last ? YearOf(first) : 1; first <= last && y <= YearOf(last); ++y) {
    int from = std::max(first, MonthIndex(y, 1));
    int to = std::min(last, MonthIndex(y, 12));
    std::vector<int> months;
    std::vector<double> weights;
    double reported_w = 0;
    int64_t fixed = 0;
    for (int m = from; m <= to; ++m) {
      double w = kSeason[MonthOf(m) - 1];
      reported_w += w;
      auto f = d.fixed_months.find(m);
      if (f != d.fixed_months.end()) {
        fixed += f->second;
        continue;
      }
      months.push_back(m);
      weights.push_back(w * d.rng.Uniform(0.75, 1.25));
    }
    // The year's amount: a complete year (past, or the project's active months are all
    // reported) reaches 95–105% of the plan; this year's reaches rate_now.
    auto plan_it = d.plans.find(y);
    int64_t plan = plan_it == d.plans.end() ? 0 : plan_it->second;
    int active_to = std::min(MonthIndex(d.completion), MonthIndex(y, 12));
    bool complete = y < today.year || active_to <= last;
    double rate = complete ? d.rng.Uniform(95, 105) : d.rate_now;
    double active_w = 0;
    for (int m = std::max(MonthIndex(d.start), MonthIndex(y, 1)); m <= std::min(active_to, last);
         ++m) {
      active_w += kSeason[MonthOf(m) - 1];
    }
    double ratio = active_w > 0 ? reported_w / active_w : 0;
    int64_t amount = std::llround(static_cast<double>(plan) * rate / 100.0 * ratio);
    std::vector<int64_t> parts = Allocate(std::max<int64_t>(0, amount - fixed), weights, 0);
    std::map<int, int64_t> by_month = d.fixed_months;
    for (size_t k = 0; k < months.size(); ++k) by_month[months[k]] = parts[k];
    for (int m = from; m <= to; ++m) {
      Progress r;
      r.project_id = index;
      r.month = MonthKey(m);
      r.amount = Yi(by_month[m]);
      r.narrative = Narrative(d, m);
      // Reported on the 5th of the next month (or today, for the latest months).
      CivilDate next = Earlier(CivilDate{YearOf(m + 1), MonthOf(m + 1), 5}, today);
      r.reported_at = Millis(next);
      last_reported_at = std::max(last_reported_at, r.reported_at);
      out.progress.push_back(std::move(r));
    }
  }
  p.created_at = Millis(Earlier(d.signed_on, today));
  p.updated_at = std::max(p.created_at, last_reported_at);
  out.projects.push_back(std::move(p));
}

// ---- 卧龙区's first half of 2024 ----

// Fixes the 2024-01…06 amounts of the pinned drafts so that they sum to exactly 173.9亿元:
// each project's share follows its expected first-half amount (its 2024 amount × the season
// weight of its first-half months ÷ that of its reported 2024 months).
void PinFirstHalf(const Context& ctx, std::vector<Draft>& drafts) {
  std::vector<Draft*> pinned;
  std::vector<double> expected;
  for (Draft& d : drafts) {
    if (!d.pinned) continue;
    auto [first, last] = ReportRange(ctx, d);
    double h1 = 0, year = 0;
    for (int m = std::max(first, MonthIndex(2024, 1)); m <= std::min(last, MonthIndex(2024, 12));
         ++m) {
      double w = kSeason[MonthOf(m) - 1];
      year += w;
      if (m <= MonthIndex(2024, 6)) h1 += w;
    }
    double rate = ctx.today.year > 2024 ? 100.0 : d.rate_now;
    pinned.push_back(&d);
    expected.push_back(year > 0 ? static_cast<double>(d.plans[2024]) * rate / 100.0 * h1 / year
                                : 0);
  }
  std::vector<int64_t> halves = Allocate(kPinnedFirstHalf, expected, 0);
  for (size_t i = 0; i < pinned.size(); ++i) {
    Draft& d = *pinned[i];
    auto [first, last] = ReportRange(ctx, d);
    std::vector<int> months;
    std::vector<double> w;
    for (int m = std::max(first, MonthIndex(2024, 1)); m <= MonthIndex(2024, 6); ++m) {
      months.push_back(m);
      w.push_back(kSeason[MonthOf(m) - 1] * d.rng.Uniform(0.75, 1.25));
    }
    if (months.empty()) continue;  // cannot happen: pinned projects build in 2024's first half
    std::vector<int64_t> parts = Allocate(halves[i], w, 0);
    for (size_t k = 0; k < months.size(); ++k) d.fixed_months[months[k]] = parts[k];
  }
}

// ---- Problems ----

struct ProblemText {
  std::string_view category;
  std::string_view text;  // {n}: a number
};
constexpr ProblemText kProblemTexts[] = {
    {"land", "项目约{n}0亩建设用地尚未完成农转用报批，影响主体施工"},
    {"land", "二期用地{n}0亩指标未落实，需市自然资源和规划局协调"},
    {"funding", "项目{n}亿元银行贷款审批未到位，资金缺口较大"},
    {"funding", "专项债券资金{n}亿元尚未拨付到位，影响工程款支付"},
    {"approval", "施工许可证尚未办理，消防设计审查意见未出具"},
    {"approval", "项目可研批复滞后，规划方案需调整后重新报审"},
    {"environment", "环境影响评价报告待批复，需补充大气污染防治措施"},
    {"environment", "排污许可证办理滞后，影响设备联动试车"},
    {"demolition", "项目红线内尚有{n}户未签订征收补偿协议"},
    {"demolition", "{n}处杆线及管网迁改未完成，影响道路施工"},
    {"utilities", "110千伏供电专线未接入，影响设备调试"},
    {"utilities", "天然气管道及供水管网未接通，影响投产"},
    {"other", "施工图设计变更待审定，影响工程推进"},
};
constexpr std::string_view kResolutions[] = {
    "经市重点项目专班协调，相关手续已办结",
    "已召开专题协调会，问题已解决",
    "责任单位已落实资金，款项拨付到位",
    "经现场办公协调，问题已销号",
};

std::vector<std::string_view> ProblemCategoriesFor(std::string_view project_category) {
  if (project_category == "industry")
    return {"land", "utilities", "approval", "environment", "funding"};
  if (project_category == "infrastructure") return {"demolition", "land", "funding", "approval"};
  if (project_category == "social") return {"approval", "funding", "land"};
  if (project_category == "urban_renewal") return {"demolition", "funding", "approval"};
  return {"land", "funding", "utilities", "other"};
}

Problem MakeProblem(const Context& ctx, const Draft& d, int64_t project_index, Rng& rng) {
  Problem pr;
  pr.project_id = project_index;
  pr.owner_unit_id = (*ctx.units)[d.unit].id;
  std::vector<std::string_view> cats = ProblemCategoriesFor(d.tpl->category);
  pr.category = std::string(cats[rng.Next() % cats.size()]);
  std::vector<const ProblemText*> texts;
  for (const ProblemText& t : kProblemTexts) {
    if (t.category == pr.category) texts.push_back(&t);
  }
  std::string text(texts[rng.Next() % texts.size()]->text);
  ReplaceAll(text, "{n}", std::to_string(rng.Int(2, 12)));
  pr.description = text;
  return pr;
}

// Problems: `open` open ones (`overdue` of them past their deadline), `resolved` resolved ones,
// on the drafts that have been signed for at least a month; open ones mostly (70%) on
// lagging or overdue projects.
void AddProblems(const Context& ctx, const std::vector<Draft>& drafts, int open, int overdue,
                 int resolved, DemoProjects& out) {
  const CivilDate& today = ctx.today;
  std::vector<int> troubled, fine;
  for (size_t i = 0; i < drafts.size(); ++i) {
    if (DaysBetween(drafts[i].signed_on, today) < 30) continue;
    (drafts[i].group == Group::kOnTrack ? fine : troubled).push_back(static_cast<int>(i));
  }
  auto order = [&](std::vector<int>& v, std::string_view what) {
    std::sort(v.begin(), v.end(), [&](int a, int b) {
      return Mix(ctx.seed ^ HashText(what) ^ Mix(a)) < Mix(ctx.seed ^ HashText(what) ^ Mix(b));
    });
  };
  order(troubled, "problems/troubled");
  order(fine, "problems/fine");
  std::vector<int> open_on;
  size_t t = 0, f = 0;
  for (int k = 0; k < open; ++k) {
    bool want_troubled = k % 10 < 7;
    if ((want_troubled && t < troubled.size()) || f >= fine.size()) {
      if (t < troubled.size()) open_on.push_back(troubled[t++]);
    } else {
      open_on.push_back(fine[f++]);
    }
  }
  Rng rng = Stream(ctx.seed, "problems", "");
  for (size_t k = 0; k < open_on.size(); ++k) {
    const Draft& d = drafts[open_on[k]];
    Problem pr = MakeProblem(ctx, d, open_on[k], rng);
    if (static_cast<int>(k) < overdue) {
      pr.deadline = AddDays(today, -rng.Int(3, 60));
    } else {
      pr.deadline = AddDays(today, rng.Int(5, 60));
    }
    CivilDate raised = Earlier(AddDays(pr.deadline, -rng.Int(15, 45)), AddDays(today, -1));
    pr.raised_at = Millis(Later(raised, d.signed_on));
    out.problems.push_back(std::move(pr));
  }
  for (int k = 0; k < resolved; ++k) {
    int i = f < fine.size() ? fine[f++] : t < troubled.size() ? troubled[t++] : -1;
    if (i < 0) break;
    const Draft& d = drafts[i];
    Problem pr = MakeProblem(ctx, d, i, rng);
    CivilDate raised = Later(AddDays(today, -rng.Int(60, 300)), d.signed_on);
    pr.deadline = AddDays(raised, rng.Int(15, 45));
    CivilDate solved = Earlier(AddDays(raised, rng.Int(5, 50)), today);
    pr.state = "resolved";
    pr.resolution = std::string(kResolutions[rng.Next() % std::size(kResolutions)]);
    pr.raised_at = Millis(raised);
    pr.resolved_at = std::max(pr.raised_at, Millis(solved));
    out.problems.push_back(std::move(pr));
  }
  std::stable_sort(out.problems.begin(), out.problems.end(),
                   [](const Problem& a, const Problem& b) { return a.project_id < b.project_id; });
}

DemoProjects Finish(Context& ctx, std::vector<Draft>& drafts,
                    const std::vector<int64_t>& leader_ids,
                    const std::vector<int64_t>& task_force_ids, int open, int overdue,
                    int resolved) {
  DemoProjects out;
  for (Draft& d : drafts) Realize(ctx, d, leader_ids, task_force_ids, out);
  AddProblems(ctx, drafts, open, overdue, resolved, out);
  return out;
}

}  // namespace

DemoProjects GenerateNanyangProjects(const std::vector<DemoUnit>& units,
                                     const std::vector<int64_t>& leader_ids,
                                     const std::vector<int64_t>& task_force_ids,
                                     const CivilDate& today, uint64_t seed) {
  Context ctx;
  ctx.units = &units;
  ctx.today = today;
  ctx.seed = seed;
  ctx.first_report = 0;
  ctx.last_report = MonthIndex(today) - 1;  // reports are made for completed months

  // Classify the units: aggregates (no projects), county-level units, towns.
  std::unordered_map<int64_t, int> index;
  for (size_t i = 0; i < units.size(); ++i) index[units[i].id] = static_cast<int>(i);
  std::vector<bool> has_children(units.size());
  for (const DemoUnit& u : units) {
    auto it = index.find(u.parent_id);
    if (u.parent_id != 0 && it != index.end()) has_children[it->second] = true;
  }
  auto aggregate = [&](int i) {
    const std::string& c = units[i].code;
    bool prefecture =
        c.size() == 6 && c.ends_with("00") &&
        std::all_of(c.begin(), c.end(), [](char ch) { return ch >= '0' && ch <= '9'; });
    return prefecture || (units[i].parent_id == 0 && has_children[i]);
  };
  std::vector<int> counties;
  std::map<int, std::vector<int>> towns;
  for (size_t i = 0; i < units.size(); ++i) {
    if (aggregate(static_cast<int>(i))) continue;
    auto parent = index.find(units[i].parent_id);
    if (units[i].parent_id == 0 || parent == index.end() || aggregate(parent->second)) {
      counties.push_back(static_cast<int>(i));
    }
  }
  for (size_t i = 0; i < units.size(); ++i) {
    auto parent = index.find(units[i].parent_id);
    if (units[i].parent_id == 0 || parent == index.end()) continue;
    if (std::find(counties.begin(), counties.end(), parent->second) != counties.end() &&
        !aggregate(static_cast<int>(i))) {
      towns[parent->second].push_back(static_cast<int>(i));
    }
  }
  if (counties.empty()) return {};

  const int first_year = std::min(2023, today.year);
  const bool pin = CompareDates(today, CivilDate{2024, 7, 1}) >= 0;
  int wolong = -1;
  for (int c : counties) {
    if (units[c].code == kWolong) wolong = c;
  }
  if (!pin) wolong = -1;

  // Projects per county: 卧龙区's pinned 100 and district extras; 150 over the others by size.
  std::vector<int> others;
  std::vector<double> weights;
  for (int c : counties) {
    if (c == wolong) continue;
    others.push_back(c);
    const KnownUnit* k = FindKnown(units[c].code);
    weights.push_back(std::pow(k ? k->gdp : 250.0, 0.6));
  }
  std::vector<int64_t> counts = Allocate(kOtherProjects, weights, others.empty() ? 0 : 4);

  std::vector<Draft> drafts;
  auto new_draft = [&](int county, int n) {
    Draft d;
    d.county = county;
    d.unit = county;
    d.rng = Stream(seed, units[county].code, "project", n);
    return d;
  };
  auto place_in_town = [&](Draft& d, double p) {
    auto it = towns.find(d.county);
    if (it == towns.end() || it->second.empty() || !d.rng.Chance(p)) return;
    d.unit = it->second[d.rng.Next() % it->second.size()];
  };
  auto mix_of = [&](const Draft& d) -> const double(&)[5] {
    if (d.unit != d.county) return kTownMix;
    const std::string& code = units[d.county].code;
    const std::string& name = units[d.county].name;
    bool zone = code.starts_with("Z") || name.find("开发区") != std::string::npos ||
                name.find("工区") != std::string::npos || name.find("示范区") != std::string::npos;
    return zone ? kZoneMix : kCountyMix;
  };
  // An ordinary project of a county (or one of its towns).
  auto ordinary = [&](int county, int n, bool district_only) {
    Draft d = new_draft(county, n);
    double r = d.rng.Unit();
    d.level = district_only ? "district" : r < 0.10 ? "province" : r < 0.48 ? "city" : "district";
    if (d.level == "district") place_in_town(d, 0.4);
    d.tpl = &PickTemplate(d.rng, PickCategory(d.rng, mix_of(d)));
    bool next_year = d.rng.Chance(0.05);
    if (next_year) {
      d.start_year = today.year + 1;
      d.start = StartDate(d.rng, d.start_year, 3, 6);
    } else {
      d.start_year = d.rng.Int(first_year, today.year);
      if (d.start_year == today.year && today.month >= 3) {
        d.start = StartDate(d.rng, d.start_year, 2, std::min(6, today.month - 1));
      } else if (d.start_year == today.year) {
        d.start = StartDate(d.rng, d.start_year, 3, 6);  // not started yet
      } else {
        d.start = StartDate(d.rng, d.start_year, 2, 6);
      }
    }
    double s = d.rng.Unit();
    int span = s < 0.35 ? 1 : s < 0.70 ? 2 : s < 0.90 ? 3 : 4;
    d.end_year = d.start_year + span;
    d.completion = CompletionDate(d.rng, d.end_year);
    Layout(ctx, d);
    // Towns build small; province-level projects are large (else they are city-level).
    Plans(d, d.unit != d.county ? 10 : 80);
    if (d.level == "province" && d.total < kProvinceLevelFloor) d.level = "city";
    return d;
  };

  for (int c : counties) {
    if (c == wolong) {
      std::vector<Draft> pinned;
      std::vector<double> w;
      for (int n = 0; n < kPinnedProjects; ++n) {
        Draft d = new_draft(c, n);
        d.pinned = true;
        d.level = "city";  // province-level once the size is known
        d.tpl = &PickTemplate(d.rng, PickCategory(d.rng, kCountyMix));
        d.start_year = d.rng.Chance(0.45) ? 2023 : 2024;
        d.start = StartDate(d.rng, d.start_year, 2, 6);
        d.end_year = std::max(2025, d.start_year + d.rng.Int(1, 3));
        d.completion = CompletionDate(d.rng, d.end_year);
        Layout(ctx, d);
        w.push_back(std::sqrt(d.tpl->lo * d.tpl->hi) * std::exp(d.rng.Uniform(-0.6, 0.6)));
        pinned.push_back(std::move(d));
      }
      std::vector<int64_t> plan_2024 = Allocate(kPinnedPlan2024 / kPlanGrid, w, 20);
      for (size_t i = 0; i < pinned.size(); ++i) {
        PinnedPlans(pinned[i], plan_2024[i]);
        if (pinned[i].total >= kProvinceLevelFloor && pinned[i].rng.Chance(0.5)) {
          pinned[i].level = "province";
        }
        drafts.push_back(std::move(pinned[i]));
      }
      for (int n = 0; n < kWolongDistrictProjects; ++n) {
        drafts.push_back(ordinary(c, kPinnedProjects + n, /*district_only=*/true));
      }
    } else {
      size_t k = std::find(others.begin(), others.end(), c) - others.begin();
      for (int n = 0; n < counts[k]; ++n) drafts.push_back(ordinary(c, n, false));
    }
  }

  AssignGroups(ctx, drafts);
  if (wolong >= 0) PinFirstHalf(ctx, drafts);
  return Finish(ctx, drafts, leader_ids, task_force_ids, /*open=*/20, /*overdue=*/8,
                /*resolved=*/10);
}

DemoProjects GenerateProvinceProjects(const std::vector<DemoUnit>& units, int count, int months,
                                      const CivilDate& today, uint64_t seed) {
  if (units.empty() || count <= 0) return {};
  Context ctx;
  ctx.units = &units;
  ctx.today = today;
  ctx.seed = seed;
  ctx.last_report = MonthIndex(today);
  ctx.first_report = ctx.last_report - std::max(months, 0) + 1;
  const int window_year = YearOf(ctx.first_report);

  const int big = std::min(count, 500);
  std::vector<Draft> drafts;
  drafts.reserve(count);
  for (int i = 0; i < count; ++i) {
    int u = i < big || units.size() == 1 ? 0 : 1 + (i - big) % static_cast<int>(units.size() - 1);
    Draft d;
    d.unit = d.county = u;
    d.rng = Stream(seed, units[u].code, "province-project", i);
    double r = d.rng.Unit();
    d.level = r < 0.12 ? "province" : r < 0.45 ? "city" : "district";
    d.tpl = &PickTemplate(d.rng, PickCategory(d.rng, kCountyMix));
    d.end_year = today.year + 1 + d.rng.Int(0, 2);
    d.start_year = std::max({window_year - 1 - d.rng.Int(0, 1), d.end_year - 15, 2000});
    d.start = StartDate(d.rng, d.start_year, 2, 6);
    d.completion = CompletionDate(d.rng, d.end_year);
    Layout(ctx, d);
    Plans(d, 80);
    if (d.level == "province" && d.total < kProvinceLevelFloor) d.level = "city";
    drafts.push_back(std::move(d));
  }
  AssignGroups(ctx, drafts);
  int problems = count / 10;
  int open = problems * 2 / 3;
  return Finish(ctx, drafts, {}, {}, open, open / 3, problems - open);
}

}  // namespace tiaodu::app
