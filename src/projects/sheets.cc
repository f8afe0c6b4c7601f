#include "projects/sheets.h"

#include "base/period.h"
#include "projects/rules.h"

namespace tiaodu::projects {
namespace {

struct Words {
  const char* id;
  std::vector<std::string_view> words;  // the first is what a sheet shows
};

const std::vector<Words>& LevelWords() {
  static const std::vector<Words> k = {{"province", {"省级", "省重点", "province"}},
                                       {"city", {"市级", "市重点", "city"}},
                                       {"district", {"区级", "区县级", "县级", "区县重点", "district"}}};
  return k;
}

const std::vector<Words>& CategoryWords() {
  static const std::vector<Words> k = {{"industry", {"产业", "产业项目", "industry"}},
                                       {"infrastructure", {"基础设施", "infrastructure"}},
                                       {"social", {"社会民生", "social"}},
                                       {"urban_renewal", {"城市更新", "urban_renewal"}},
                                       {"agriculture", {"农业农村", "agriculture"}}};
  return k;
}

std::string FromWords(const std::vector<Words>& table, std::string_view text) {
  for (const Words& w : table)
    for (std::string_view word : w.words)
      if (text == word) return w.id;
  return "";
}

std::string ToWord(const std::vector<Words>& table, std::string_view id) {
  for (const Words& w : table)
    if (id == w.id) return std::string(w.words.front());
  return std::string(id);
}

using io::Col;

std::vector<std::string> Choices(const std::vector<Words>& table) {
  std::vector<std::string> out;
  for (const Words& w : table) out.emplace_back(w.words.front());
  return out;
}

}  // namespace

std::string LevelFromSheet(std::string_view text) { return FromWords(LevelWords(), text); }
std::string CategoryFromSheet(std::string_view text) { return FromWords(CategoryWords(), text); }
std::string LevelForSheet(std::string_view level) { return ToWord(LevelWords(), level); }
std::string CategoryForSheet(std::string_view category) { return ToWord(CategoryWords(), category); }

int PlanYearOfHeader(std::string_view h) {
  if (h.starts_with("*")) h.remove_prefix(1);
  if (h.ends_with("*")) h.remove_suffix(1);
  auto year_at = [&](size_t pos) -> int {
    if (h.size() < pos + 4) return 0;
    int y = 0;
    for (size_t k = pos; k < pos + 4; ++k) {
      if (h[k] < '0' || h[k] > '9') return 0;
      y = y * 10 + (h[k] - '0');
    }
    return y >= 1900 && y <= 2200 ? y : 0;
  };
  if (h.starts_with("plan_") && h.size() == 9) return year_at(5);
  int y = year_at(0);
  if (!y) return 0;
  std::string_view rest = h.substr(4);
  for (std::string_view form : {"年计划投资(亿元)", "年计划投资（亿元）", "年计划投资"})
    if (rest == form) return y;
  return 0;
}

std::string PlanHeader(int year) { return std::to_string(year) + "年计划投资(亿元)"; }

std::map<int64_t, std::string> LeaderLabels(const std::vector<store::LeaderRef>& leaders) {
  std::map<std::string, int> count;
  for (const auto& l : leaders) count[l.name]++;
  std::map<int64_t, std::string> out;
  for (const auto& l : leaders)
    out[l.id] = count[l.name] > 1 || l.name.empty() ? l.name + "（" + l.username + "）" : l.name;
  return out;
}

std::vector<io::SheetColumn> ProjectColumns(const std::vector<int>& plan_years) {
  using io::CellKind;
  io::SheetColumn level = Col(header::kLevel, CellKind::kText, 8, "省级、市级或区级（从下拉列表选择）", true);
  level.choices = Choices(LevelWords());
  io::SheetColumn category =
      Col(header::kCategory, CellKind::kText, 10, "产业、基础设施、社会民生、城市更新或农业农村（从下拉列表选择）", true);
  category.choices = Choices(CategoryWords());
  io::SheetColumn total = Col(header::kTotal, CellKind::kNumber, 12, "项目总投资，单位亿元，如 12.5", true);
  std::vector<io::SheetColumn> cols = {
      Col(header::kCode, CellKind::kText, 14,
          "项目的唯一编码，字母、数字和“-”，最长32个字符，如 WL2026-001。系统中已有此编码的项目按本行更新，没有的新建", true),
      Col(header::kName, CellKind::kText, 32, "最长200字节（约66个汉字）", true),
      level,
      category,
      Col(header::kIndustry, CellKind::kText, 8, "国民经济行业分类（GB/T 4754）门类字母加两位大类代码，如 C39；可不填"),
      Col(header::kChain, CellKind::kText, 12, "所属产业链，如 新能源汽车；可不填"),
      Col(header::kUnit, CellKind::kText, 12, "责任单位的编码，如 411303（卧龙区）；须在您的管理范围内", true),
      Col(header::kUnitName, CellKind::kText, 14, "仅供核对，不导入"),
      Col(header::kLeader, CellKind::kText, 12, "联系领导的姓名（须为在用的领导账户）；重名时填“姓名（用户名）”；可不填"),
      Col(header::kTaskForce, CellKind::kText, 12, "工作专班的单位编码；可不填"),
      Col(header::kLocation, CellKind::kText, 20, "可不填"),
      total,
      Col(header::kStartYear, CellKind::kText, 8, "四位年份，如 2026", true),
      Col(header::kEndYear, CellKind::kText, 8, "四位年份，不早于开工年份，建设期最长15年", true),
      Col(header::kCommitted, CellKind::kDate, 12, "日期，如 2027-12-31，在竣工年份内；倒排工期以此为终点；可不填"),
  };
  for (int y : plan_years) {
    io::SheetColumn c = Col(PlanHeader(y), CellKind::kNumber, 14,
                            std::to_string(y) + "年计划完成投资，单位亿元；年度计划合计不超过总投资；空白表示该年没有计划");
    cols.push_back(std::move(c));
  }
  cols.push_back(Col(header::kStage, CellKind::kText, 8, "导出时为当前阶段；导入时忽略（阶段在系统中推进）"));
  cols.push_back(Col(header::kStatus, CellKind::kText, 10, "导出时为当年状态；导入时忽略"));
  return cols;
}

std::vector<std::string> ProjectCells(const store::ProjectRow& r, const std::vector<int>& plan_years,
                                      const std::string& leader_label) {
  const Project& p = r.project;
  std::vector<std::string> cells = {
      p.code,
      p.name,
      LevelForSheet(p.level),
      CategoryForSheet(p.category),
      p.industry,
      p.chain,
      r.unit_code,
      r.unit_name,
      p.leader_id ? leader_label : std::string(),
      r.task_force_code,
      p.location,
      p.total_investment.ToString(),
      std::to_string(p.start_year),
      std::to_string(p.end_year),
      p.committed_completion ? FormatIsoDate(*p.committed_completion) : std::string(),
  };
  for (int y : plan_years) {
    auto it = p.annual_plans.find(y);
    cells.push_back(it == p.annual_plans.end() ? std::string() : it->second.ToString());
  }
  cells.emplace_back(StageName(p.stage));
  cells.push_back(r.year.status);
  return cells;
}

const std::vector<std::string>& ProjectInstructions() {
  static const std::vector<std::string> kText = {
      "1. 一行填写一个项目；带 * 的列必填。按“项目编码”匹配：系统中已有的项目按本行更新，没有的新建。",
      "2. 级别填 省级、市级 或 区级；类别填 产业、基础设施、社会民生、城市更新 或 农业农村（均可从下拉列表选择）。",
      "3. 金额单位为亿元，只填数字，不要带单位文字；年份填四位数字；日期填 2027-12-31 这样的日期。",
      "4. “某年计划投资”每年一列，可增加列（表头照写，如“2027年计划投资(亿元)”）；空白表示该年没有计划。表中没有的年份保持原计划不变。",
      "5. 表中没有的可选列（如联系领导、专班编码）导入时保持原值不变；列存在而单元格空白表示清空。",
      "6. 责任单位编码须在您的管理范围内；联系领导须为在用的领导账户；专班编码须为工作专班。",
      "7. 导入是“全部或全不”：任何一行有错，整批不写入，并标出每一个出错的单元格。阶段和状态由系统维护，导入时忽略。"};
  return kText;
}

// ---- Monthly progress ----

std::string MonthFromSheet(std::string_view t) {
  // Leading digits of `t` (at most `max`) as a number; -1 when there are none.
  auto number = [&t](size_t max) {
    int v = 0;
    size_t n = 0;
    while (n < t.size() && n < max && t[n] >= '0' && t[n] <= '9') v = v * 10 + (t[n++] - '0');
    t.remove_prefix(n);
    return n ? v : -1;
  };
  auto skip = [&t](std::initializer_list<std::string_view> words) {
    for (std::string_view w : words)
      if (t.starts_with(w)) {
        t.remove_prefix(w.size());
        return true;
      }
    return false;
  };
  if (t.size() == 6 && t.find_first_not_of("0123456789") == std::string_view::npos) {
    const int y = number(4), m = number(2);
    return m >= 1 && m <= 12 && y >= 1900 ? Period::Month(y, m).ToString() : "";
  }
  const int y = number(4);
  if (y < 1900 || !skip({"-", "/", ".", "年"})) return "";
  const int m = number(2);
  if (m < 1 || m > 12) return "";
  const bool chinese = skip({"月"});
  if (t.empty()) return Period::Month(y, m).ToString();
  // A date in that month (a date cell reads as 2026-06-01), or 2026年6月30日.
  if (!chinese && !skip({"-", "/", "."})) return "";
  const int d = number(2);
  if (d < 1 || !IsValidDate(CivilDate{y, m, d})) return "";
  if (chinese && !skip({"日"})) return "";
  if (!t.empty() && !skip({" 00:00:00", "T00:00:00"})) return "";
  return t.empty() ? Period::Month(y, m).ToString() : "";
}

std::vector<io::SheetColumn> ProgressColumns() {
  using io::CellKind;
  namespace h = progress_header;
  return {
      Col(header::kCode, CellKind::kText, 14, "已登记的重点项目编码，如 WL2026-001；项目须在您的管理范围内", true),
      Col(header::kName, CellKind::kText, 30, "仅供核对，不导入"),
      Col(h::kMonth, CellKind::kText, 10, "填报的月份，如 2026-06（也可填日期或“2026年6月”）；不能是未来月份，同一项目同一月份只填一行", true),
      Col(h::kAmount, CellKind::kNumber, 14, "当月完成投资，单位亿元，如 1.25；不能为负数，不超过项目总投资", true),
      Col(h::kNarrative, CellKind::kText, 40, "形象进度、进展情况，最长2000字节（约666个汉字）；列存在而单元格空白表示清空"),
      Col(h::kYtd, CellKind::kNumber, 14, "导出时为当年1月至该月的累计；导入时忽略"),
      Col(h::kCumulative, CellKind::kNumber, 14, "导出时为开工以来至该月的累计；导入时忽略"),
      Col(h::kUnit, CellKind::kText, 14, "导出时为项目的责任单位；导入时忽略"),
      Col(h::kReporter, CellKind::kText, 10, "导出时为最后填报人；导入时忽略"),
      Col(h::kReportedAt, CellKind::kText, 16, "导出时为最后填报时间；导入时忽略"),
      Col(h::kVersion, CellKind::kInteger, 6, "导出时为该月进度的版本；导入时如填写，系统中的进度须仍为此版本（期间被他人修改的行将被拒绝）；新填的行留空"),
  };
}

std::vector<std::string> ProgressCells(const store::ProgressRow& r, const std::string& reported_at) {
  const Progress& g = r.progress;
  return {r.project_code,
          r.project_name,
          g.month,
          g.amount.ToString(),
          g.narrative,
          r.ytd.ToString(),
          r.cumulative.ToString(),
          r.unit_name,
          r.reporter_name,
          reported_at,
          std::to_string(g.version)};
}

const std::vector<std::string>& ProgressInstructions() {
  static const std::vector<std::string> kText = {
      "1. 一行填写一个项目一个月份的进展；带 * 的列必填。同一项目同一月份在一个文件中只能出现一次。",
      "2. 按“项目编码”和“月份”匹配：该月已有进度的按本行更新，没有的新增；与系统中完全相同的行不作改动。",
      "3. 月份填 2026-06 这样的年月（也可填该月的日期或“2026年6月”）；不能填未来月份，也不能早于项目开工年份。",
      "4. 金额单位为亿元，只填数字，不要带单位文字；当月完成投资不能为负数，不能超过项目总投资。",
      "5. 项目须在您的管理范围内，已归档的项目不能再填报。年度累计、累计完成、责任单位、填报人和填报时间由系统计算，导入时忽略。",
      "6. “版本”列由导出生成：如填写，系统中该月进度须仍为此版本，期间被他人修改的行将被拒绝，请重新导出后再改；新填的行留空。",
      "7. 导入是“全部或全不”：任何一行有错，整批不写入，并标出每一个出错的单元格。"};
  return kText;
}

}  // namespace tiaodu::projects
