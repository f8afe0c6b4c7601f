#include "projects/rules.h"

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <optional>
#include <string>
#include <utility>

#include "base/period.h"

namespace tiaodu::projects {

namespace {

constexpr size_t kMaxCodeBytes = 32;
constexpr size_t kMaxNameBytes = 200;
constexpr size_t kMaxNarrativeBytes = 2000;
constexpr int kMinStartYear = 2000;
constexpr int kMaxSpanYears = 15;
// More than 1万亿元 is absurd for a county's project: a typing error in the unit (元 for 亿元).
constexpr int64_t kMaxTotalInvestment = 10000;

struct NamePair {
  const char* id;
  const char* zh;
};

constexpr NamePair kStageNames[] = {{"planning", "谋划"},  {"signed", "签约"},
                                    {"started", "开工"},   {"completed", "竣工"},
                                    {"producing", "投产"}, {"effective", "达效"}};
constexpr NamePair kLevelNames[] = {
    {"province", "省重点"}, {"city", "市重点"}, {"district", "区县重点"}};
constexpr NamePair kCategoryNames[] = {{"industry", "产业"},
                                       {"infrastructure", "基础设施"},
                                       {"social", "社会民生"},
                                       {"urban_renewal", "城市更新"},
                                       {"agriculture", "农业农村"}};
constexpr NamePair kProblemCategoryNames[] = {{"land", "用地"},         {"funding", "资金"},
                                              {"approval", "审批手续"}, {"environment", "环评"},
                                              {"demolition", "征迁"},   {"utilities", "水电气"},
                                              {"other", "其他"}};

// The Chinese name of `id` in `table`, or `id` itself when it is unknown (so that a bad
// value still shows as what was stored rather than as nothing).
template <size_t N>
std::string_view Lookup(const NamePair (&table)[N], std::string_view id) {
  for (const NamePair& p : table) {
    if (id == p.id) return p.zh;
  }
  return id;
}

template <size_t N>
bool Known(const NamePair (&table)[N], std::string_view id) {
  for (const NamePair& p : table) {
    if (id == p.id) return true;
  }
  return false;
}

// GB/T 4754-2017: the divisions (两位数大类) of each section (门类) A–T.
struct Section {
  char letter;
  int first;
  int last;
};
constexpr Section kSections[] = {{'A', 1, 5},   {'B', 6, 12},  {'C', 13, 43}, {'D', 44, 46},
                                 {'E', 47, 50}, {'F', 51, 52}, {'G', 53, 60}, {'H', 61, 62},
                                 {'I', 63, 65}, {'J', 66, 69}, {'K', 70, 70}, {'L', 71, 72},
                                 {'M', 73, 75}, {'N', 76, 79}, {'O', 80, 82}, {'P', 83, 83},
                                 {'Q', 84, 85}, {'R', 86, 90}, {'S', 91, 96}, {'T', 97, 97}};

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

// Empty when the industry code is acceptable, otherwise the reason.
std::string IndustryProblem(const std::string& industry) {
  if (industry.empty()) return "";
  if (industry.size() != 3 || !IsDigit(industry[1]) || !IsDigit(industry[2])) {
    return "行业代码应为国民经济行业分类（GB/T 4754）门类字母加两位大类代码，如C39";
  }
  const Section* section = nullptr;
  for (const Section& s : kSections) {
    if (s.letter == industry[0]) section = &s;
  }
  if (section == nullptr) return "行业门类应为大写字母A–T";
  int division = (industry[1] - '0') * 10 + (industry[2] - '0');
  if (division < section->first || division > section->last) {
    char range[16];
    std::snprintf(range, sizeof range, "%02d–%02d", section->first, section->last);
    return "门类" + std::string(1, section->letter) + "下的大类代码应为" + range + "，" + industry +
           "不存在";
  }
  return "";
}

bool IsCodeChar(char c) {
  return IsDigit(c) || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '-';
}

bool IsBlank(const std::string& s) {
  return std::all_of(s.begin(), s.end(), [](char c) { return c == ' ' || c == '\t'; });
}

std::string Quote(std::string_view s) { return "“" + std::string(s) + "”"; }
std::string Iso(const CivilDate& d) { return FormatIsoDate(d); }
std::string Pct(Decimal v) { return v.Format(1) + "%"; }
std::string Yi(Decimal v) { return v.ToString() + "亿元"; }

bool Before(const CivilDate& a, const CivilDate& b) { return CompareDates(a, b) < 0; }

// A month key "YYYY-MM" (exactly that form) as a month Period.
std::optional<Period> ParseMonthKey(const std::string& key) {
  if (key.size() != 7 || key[4] != '-') return std::nullopt;
  Result<Period> p = Period::Parse(key);
  if (!p.ok() || p->kind() != PeriodKind::kMonth) return std::nullopt;
  return *p;
}

// Sums the amounts of the reports whose month is within [from, to] (month Periods).
Decimal SumMonths(const std::vector<Progress>& progress, const Period& from, const Period& to) {
  Decimal sum;
  for (const Progress& r : progress) {
    std::optional<Period> m = ParseMonthKey(r.month);
    if (!m || *m < from || *m > to) continue;
    // Amounts are checked to be at most the total investment (<= 10000亿元), so the sum of
    // any realistic number of months is far from overflow.
    sum += r.amount;
  }
  return sum;
}

// Whether the project reached `stage_index` (or a later stage: stages may be skipped) on
// or before `deadline`, by the dates recorded in stage_dates.
bool ReachedBy(const Project& p, int stage_index, const CivilDate& deadline) {
  for (const auto& [stage, date] : p.stage_dates) {
    if (StageIndex(stage) >= stage_index && !Before(deadline, date)) return true;
  }
  return false;
}

// count × 100 ÷ n, exact to 6 places; n > 0.
Decimal Percent(int64_t count, int64_t n) {
  return Decimal::FromInt(count * 100).Div(Decimal::FromInt(n)).value();
}

int Severity(const std::string& status) {
  if (status == kSeriouslyLagging) return 2;
  if (status == kLagging) return 1;
  return 0;
}

}  // namespace

Settings DefaultSettings() {
  Settings s;
  s.durations = {
      {"industry",
       {{"前期手续", 60},
        {"土地征收/供地", 60},
        {"施工许可", 30},
        {"主体施工", 240},
        {"设备安装调试", 90},
        {"竣工验收", 30}}},
      {"infrastructure",
       {{"前期手续", 90}, {"征地拆迁", 120}, {"招标", 45}, {"主体施工", 300}, {"竣工验收", 30}}},
      {"social",
       {{"前期手续", 60},
        {"用地保障", 45},
        {"招标", 45},
        {"主体施工", 270},
        {"设备配套安装", 45},
        {"竣工验收", 30}}},
      {"urban_renewal",
       {{"前期手续", 60},
        {"房屋征收安置", 120},
        {"招标", 45},
        {"主体施工", 240},
        {"配套设施建设", 60},
        {"竣工验收", 30}}},
      {"agriculture",
       {{"前期手续", 45},
        {"土地流转", 60},
        {"招标", 30},
        {"主体建设", 180},
        {"配套设施建设", 45},
        {"竣工验收", 30}}},
  };
  return s;
}

// ---- Fields ----

Status CheckProject(const Project& p) {
  std::vector<Detail> bad;
  auto add = [&](std::string field, std::string reason) {
    bad.push_back({std::move(field), std::move(reason)});
  };

  if (p.code.empty()) {
    add("code", "项目编号不能为空");
  } else if (p.code.size() > kMaxCodeBytes) {
    add("code", "项目编号最长32个字符，现为" + std::to_string(p.code.size()) + "个");
  } else if (!std::all_of(p.code.begin(), p.code.end(), IsCodeChar)) {
    add("code", "项目编号只能包含字母、数字和连字符“-”");
  }

  if (p.name.empty() || IsBlank(p.name)) {
    add("name", "项目名称不能为空");
  } else if (p.name.size() > kMaxNameBytes) {
    add("name", "项目名称最长200字节（约66个汉字），现为" + std::to_string(p.name.size()) + "字节");
  }

  if (!Known(kLevelNames, p.level)) {
    add("level", "项目级别" + Quote(p.level) + "无效，应为省重点、市重点或区县重点");
  }
  if (!Known(kCategoryNames, p.category)) {
    add("category",
        "项目类别" + Quote(p.category) + "无效，应为产业、基础设施、社会民生、城市更新或农业农村");
  }
  if (std::string why = IndustryProblem(p.industry); !why.empty()) add("industry", why);

  if (p.total_investment.Sign() <= 0) {
    add("total_investment", "总投资应大于0亿元，现为" + Yi(p.total_investment));
  } else if (p.total_investment > Decimal::FromInt(kMaxTotalInvestment)) {
    add("total_investment",
        "总投资" + Yi(p.total_investment) + "超过10000亿元，请核对单位是否为亿元");
  }

  bool years_ok = true;
  if (p.start_year < kMinStartYear) {
    add("start_year", "开工年份应不早于2000年，现为" + std::to_string(p.start_year) + "年");
    years_ok = false;
  }
  if (p.end_year < p.start_year) {
    add("end_year", "完工年份" + std::to_string(p.end_year) + "年早于开工年份" +
                        std::to_string(p.start_year) + "年");
    years_ok = false;
  } else if (p.end_year > p.start_year + kMaxSpanYears) {
    add("end_year", "建设期最长15年，" + std::to_string(p.start_year) + "年至" +
                        std::to_string(p.end_year) + "年共" +
                        std::to_string(p.end_year - p.start_year + 1) + "年");
    years_ok = false;
  }

  Decimal plan_sum;
  bool sum_ok = true;
  for (const auto& [year, amount] : p.annual_plans) {
    std::string field = "annual_plans." + std::to_string(year);
    if (year < p.start_year || year > p.end_year) {
      add(field, std::to_string(year) + "年不在建设期" + std::to_string(p.start_year) + "–" +
                     std::to_string(p.end_year) + "年内");
    }
    if (amount.IsNegative()) {
      add(field, std::to_string(year) + "年计划投资不能为负数，现为" + Yi(amount));
    }
    Result<Decimal> next = Decimal::CheckedAdd(plan_sum, amount);
    if (next.ok()) {
      plan_sum = *next;
    } else {
      sum_ok = false;
    }
  }
  if (!sum_ok || (p.total_investment.Sign() > 0 && plan_sum > p.total_investment)) {
    add("annual_plans", "年度计划投资合计" + (sum_ok ? Yi(plan_sum) : std::string("过大")) +
                            "，超过总投资" + Yi(p.total_investment));
  }

  if (p.committed_completion) {
    const CivilDate& c = *p.committed_completion;
    if (!IsValidDate(c)) {
      add("committed_completion", "承诺完工日期不是有效日期");
    } else if (years_ok && c.year > p.end_year) {
      add("committed_completion",
          "承诺完工日期" + Iso(c) + "晚于完工年份" + std::to_string(p.end_year) + "年");
    } else if (years_ok && c.year < p.start_year) {
      add("committed_completion",
          "承诺完工日期" + Iso(c) + "早于开工年份" + std::to_string(p.start_year) + "年");
    }
  }

  if (!bad.empty()) return InvalidArgument("项目信息有误", std::move(bad));
  return Status::Ok();
}

std::string_view StageName(std::string_view stage) { return Lookup(kStageNames, stage); }
std::string_view LevelName(std::string_view level) { return Lookup(kLevelNames, level); }
std::string_view CategoryName(std::string_view category) {
  return Lookup(kCategoryNames, category);
}

int StageIndex(std::string_view stage) {
  for (int i = 0; i < kStageCount; ++i) {
    if (stage == kStages[i]) return i;
  }
  return -1;
}

Status CheckStageChange(const Project& p, std::string_view to, const CivilDate& date,
                        const CivilDate& today) {
  int to_index = StageIndex(to);
  if (to_index < 0) {
    return InvalidArgument("未知的项目阶段" + Quote(to),
                           {{"stage", "应为谋划、签约、开工、竣工、投产或达效"}});
  }
  int from_index = StageIndex(p.stage);
  if (to_index <= from_index) {
    if (to_index == from_index) {
      return FailedPrecondition("项目已处于" + Quote(StageName(to)) + "阶段");
    }
    return FailedPrecondition("项目已处于" + Quote(StageName(p.stage)) + "阶段，不能退回" +
                              Quote(StageName(to)) + "阶段");
  }
  if (!IsValidDate(date)) {
    return InvalidArgument("阶段日期无效", {{"date", "不是有效日期"}});
  }
  if (Before(today, date)) {
    return InvalidArgument("阶段日期不能晚于今天",
                           {{"date", "日期" + Iso(date) + "晚于今天" + Iso(today)}});
  }
  // The latest date of the stages reached so far (normally the current stage's date).
  const std::string* latest_stage = nullptr;
  const CivilDate* latest = nullptr;
  for (const auto& [stage, d] : p.stage_dates) {
    int i = StageIndex(stage);
    if (i < 0 || i > from_index) continue;
    if (latest == nullptr || Before(*latest, d)) {
      latest = &d;
      latest_stage = &stage;
    }
  }
  if (latest != nullptr && Before(date, *latest)) {
    return InvalidArgument("阶段日期早于上一阶段日期",
                           {{"date", Quote(StageName(to)) + "日期" + Iso(date) + "早于" +
                                         Quote(StageName(*latest_stage)) + "日期" + Iso(*latest)}});
  }
  return Status::Ok();
}

// ---- Backward scheduling ----

Result<std::vector<PlannedMilestone>> BackwardSchedule(const std::vector<Settings::Step>& steps,
                                                       const CivilDate& completion,
                                                       const CivilDate& earliest_start) {
  if (steps.empty()) {
    return InvalidArgument("未配置该类别项目的标准工期", {{"durations", "至少需要一个节点"}});
  }
  std::vector<Detail> bad;
  int64_t needed = 0;
  for (size_t i = 0; i < steps.size(); ++i) {
    if (steps[i].days <= 0) {
      bad.push_back({"durations." + std::to_string(i), "节点" + Quote(steps[i].name) +
                                                           "的工期应大于0天，现为" +
                                                           std::to_string(steps[i].days) + "天"});
    } else {
      needed += steps[i].days;
    }
  }
  if (!bad.empty()) return InvalidArgument("标准工期配置有误", std::move(bad));
  if (!IsValidDate(completion) || !IsValidDate(earliest_start)) {
    return InvalidArgument("倒排工期的日期无效");
  }

  int64_t available = DaysBetween(earliest_start, completion);
  if (available < needed) {
    if (available <= 0) {
      return FailedPrecondition("承诺完工日期" + Iso(completion) + "不晚于起排日期" +
                                Iso(earliest_start) + "，按标准工期需" + std::to_string(needed) +
                                "天，请调整完工日期或工期");
    }
    return FailedPrecondition("距承诺完工日期" + Iso(completion) + "仅剩" +
                              std::to_string(available) + "天，按标准工期需" +
                              std::to_string(needed) + "天，请调整完工日期或工期");
  }

  std::vector<PlannedMilestone> out(steps.size());
  CivilDate end = completion;
  for (size_t i = steps.size(); i-- > 0;) {
    out[i] = {steps[i].name, end};
    end = AddDays(end, -static_cast<int64_t>(steps[i].days));
  }
  return out;
}

int OverdueDays(const Milestone& m, const CivilDate& today) {
  if (m.actual || !m.planned) return 0;
  int64_t days = DaysBetween(*m.planned, today);
  return days > 0 ? static_cast<int>(days) : 0;
}

// ---- Progress ----

Decimal YtdAt(const std::vector<Progress>& progress, const std::string& month) {
  std::optional<Period> to = ParseMonthKey(month);
  if (!to) return Decimal();
  return SumMonths(progress, Period::Month(to->year(), 1), *to);
}

Decimal CumulativeAt(const std::vector<Progress>& progress, const std::string& month) {
  std::optional<Period> to = ParseMonthKey(month);
  if (!to) return Decimal();
  return SumMonths(progress, Period::Month(Period::kMinYear, 1), *to);
}

Status CheckProgress(const Project& p, const Progress& r, const CivilDate& today) {
  std::vector<Detail> bad;
  std::optional<Period> m = ParseMonthKey(r.month);
  if (!m) {
    bad.push_back({"month", "月份" + Quote(r.month) + "格式应为YYYY-MM，如2024-06"});
  } else if (*m > Period::MonthOf(today)) {
    bad.push_back(
        {"month", "不能填报未来月份：" + r.month + "晚于本月" + Period::MonthOf(today).ToString()});
  } else if (m->year() < p.start_year) {
    bad.push_back({"month", r.month + "早于项目开工年份" + std::to_string(p.start_year) + "年"});
  }
  if (r.amount.IsNegative()) {
    bad.push_back({"amount", "月度完成投资不能为负数，现为" + Yi(r.amount)});
  } else if (r.amount > p.total_investment) {
    bad.push_back({"amount", "月度完成投资" + Yi(r.amount) + "超过项目总投资" +
                                 Yi(p.total_investment) + "，请核对单位是否为亿元"});
  }
  if (r.narrative.size() > kMaxNarrativeBytes) {
    bad.push_back({"narrative", "形象进度最长2000字节（约666个汉字），现为" +
                                    std::to_string(r.narrative.size()) + "字节"});
  }
  if (!bad.empty()) return InvalidArgument("进度填报有误", std::move(bad));
  return Status::Ok();
}

// ---- Status ----

StatusResult ComputeStatus(const StatusInput& in, const Settings& s) {
  StatusResult out;
  const Decimal hundred = Decimal::FromInt(100);

  // Plan rule.
  std::string plan_status = kNormal;
  std::string plan_reason;
  if (in.annual_plan && in.annual_plan->Sign() > 0) {
    // ytd × 100 ÷ plan keeps 6 places of the percentage; divide first only if the product
    // would overflow.
    Result<Decimal> completion = Decimal::CheckedMul(in.ytd, hundred);
    if (completion.ok()) {
      completion = completion->Div(*in.annual_plan);
    } else if (Result<Decimal> share = in.ytd.Div(*in.annual_plan); share.ok()) {
      completion = share->Mul(hundred);
    }
    Result<Decimal> elapsed = in.elapsed_share.Mul(hundred);
    if (completion.ok() && elapsed.ok()) {
      out.completion = *completion;
      Result<Decimal> gap = Decimal::CheckedSub(*elapsed, *completion);
      if (gap.ok()) {
        if (*gap >= s.serious_gap) {
          plan_status = kSeriouslyLagging;
        } else if (*gap >= s.lag_gap) {
          plan_status = kLagging;
        }
        if (plan_status != kNormal) {
          plan_reason = "年度计划完成" + Pct(*completion) + "，低于时间进度" + Pct(*elapsed) +
                        "（差" + gap->Format(1) + "个百分点）";
        }
      }
    }
  }

  // Milestone rule: the most overdue milestone decides.
  std::string ms_status = kNormal;
  std::string ms_reason;
  const Milestone* worst = nullptr;
  int worst_days = 0;
  int overdue_count = 0;
  for (const Milestone& m : in.milestones) {
    int days = OverdueDays(m, in.today);
    if (days <= 0) continue;
    ++overdue_count;
    if (days > worst_days) {
      worst_days = days;
      worst = &m;
    }
  }
  if (worst != nullptr) {
    ms_status = worst_days >= s.serious_overdue_days ? kSeriouslyLagging : kLagging;
    ms_reason = "节点" + Quote(worst->name) + "逾期" + std::to_string(worst_days) + "天（计划" +
                Iso(*worst->planned) + "）";
    if (overdue_count > 1) {
      ms_reason += "，另有" + std::to_string(overdue_count - 1) + "个节点逾期";
    }
  }

  // The worse rule decides; its reason comes first, the other's (if it flagged too) after.
  int plan_sev = Severity(plan_status);
  int ms_sev = Severity(ms_status);
  if (plan_sev == 0 && ms_sev == 0) {
    out.status = kNormal;
    out.reason = "按计划推进";
  } else if (plan_sev >= ms_sev) {
    out.status = plan_status;
    out.reason = plan_reason;
    if (ms_sev > 0) out.reason += "；" + ms_reason;
  } else {
    out.status = ms_status;
    out.reason = ms_reason;
    if (plan_sev > 0) out.reason += "；" + plan_reason;
  }
  return out;
}

// ---- 三个一批 ----

BatchRates ComputeBatchRates(const Batch& batch, const std::vector<Project>& projects) {
  auto find = [&](int64_t id) -> const Project* {
    for (const Project& p : projects) {
      if (p.id == id) return &p;
    }
    return nullptr;
  };
  const int signed_index = StageIndex("signed");
  const int started_index = StageIndex("started");
  const int producing_index = StageIndex("producing");
  const int effective_index = StageIndex("effective");

  int64_t sign_n = 0, sign_ok = 0, start_n = 0, start_ok = 0;
  int64_t produce_n = 0, produce_ok = 0, effective_ok = 0;
  for (const Batch::Entry& e : batch.entries) {
    // A project missing from `projects` counts in its list but never as reached.
    const Project* p = find(e.project_id);
    auto reached = [&](int index) { return p != nullptr && ReachedBy(*p, index, batch.deadline); };
    if (e.list == "sign") {
      ++sign_n;
      sign_ok += reached(signed_index);
    } else if (e.list == "start") {
      ++start_n;
      start_ok += reached(started_index);
    } else if (e.list == "produce") {
      ++produce_n;
      produce_ok += reached(producing_index);
      effective_ok += reached(effective_index);
    }
  }
  BatchRates rates;
  if (sign_n > 0) rates.sign_rate = Percent(sign_ok, sign_n);
  if (start_n > 0) rates.start_rate = Percent(start_ok, start_n);
  if (produce_n > 0) {
    rates.produce_rate = Percent(produce_ok, produce_n);
    rates.effective_rate = Percent(effective_ok, produce_n);
  }
  return rates;
}

// ---- Problems ----

bool ShouldEscalate(const Problem& p, const CivilDate& today) {
  return p.state == "open" && !p.escalated_to && Before(p.deadline, today);
}

std::string_view ProblemCategoryName(std::string_view category) {
  return Lookup(kProblemCategoryNames, category);
}

}  // namespace tiaodu::projects
