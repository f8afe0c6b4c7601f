// The monthly bulletin (月通报): what it says (BulletinData, built by
// AssessmentService::Bulletin from approved data in one read transaction) and its three
// renderings — a .docx laid out as an official document (GB/T 9704-2012), a .xlsx with one
// sheet per section, and a self-contained printable HTML page.
//
// Everything in a bulletin is derived from the data and the period: no "now" (the issue date
// is the 10th of the following month), so rendering the same data twice gives the same
// bytes. The renderers are pure functions; thread-safe.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "assessment/model.h"
#include "base/decimal.h"
#include "base/result.h"

namespace tiaodu::assessment {

// A unit as a bulletin names it.
struct BulletinUnit {
  int64_t id = 0;
  std::string code, name;
};

// (一) One key indicator of the month: the scheme unit's own figure and its children's, with
// their ranks among siblings (indicator_figures: the approved read model).
struct BulletinIndicator {
  std::string code, name, measure_unit;  // "industrial_va", "规模以上工业增加值", "亿元"
  int decimals = 2;
  bool comparable = false;  // growth at comparable prices (reported, not derived)
  std::optional<Decimal> value, yoy;  // the scheme unit's year-to-date value and growth
  struct Row {
    BulletinUnit unit;
    Decimal value;
    std::optional<Decimal> yoy;
    int rank_value = 0, rank_growth = 0;  // 0 = not ranked
  };
  std::vector<Row> rows;  // by growth rank, then unit code
};

// (二) Key projects with a plan in the year, as of the month's end.
struct BulletinProject {
  std::string code, name, unit_name;
  std::string status;  // 正常 | 滞后 | 严重滞后, as of the month's end
  std::string reason;
  Decimal plan, done;  // the year's plan; invested January..month (亿元)
  std::optional<Decimal> completion;  // percent
};
struct BulletinProjectUnit {
  BulletinUnit unit;
  int count = 0, lagging = 0, serious = 0;
  Decimal plan{}, done{};
  std::optional<Decimal> completion{};
};
struct BulletinProjects {
  int count = 0;
  Decimal plan, done;
  std::optional<Decimal> completion;  // percent of the year's plan
  Decimal elapsed;                    // time progress, percent of the year
  int normal = 0, lagging = 0, serious = 0;  // counts by status
  std::vector<BulletinProjectUnit> units;    // the ranked units, in the scheme's order
  std::vector<BulletinProject> lagging_list;  // 严重滞后 first, then by completion, then code
};

// (三) Investment attraction: per unit, the year's contract-amount target and what was signed
// January..month.
struct BulletinInvestmentRow {
  BulletinUnit unit;
  std::optional<Decimal> target;
  Decimal signed_amount;
  std::optional<Decimal> completion;  // percent of the target
};
struct BulletinInvestment {
  Decimal target, signed_amount;
  std::optional<Decimal> completion;
  std::vector<BulletinInvestmentRow> rows;
};

// (四) Supervised tasks (13710) assigned by the month's end and still open, with a yellow or
// red light as the clock last set it.
struct BulletinTask {
  std::string code, title, owner_name, light, light_reason, due;
};
struct BulletinTaskUnit {
  BulletinUnit unit;
  int red = 0, yellow = 0;
};
struct BulletinTasks {
  int red = 0, yellow = 0;
  std::vector<BulletinTaskUnit> units;  // every ranked unit
  std::vector<BulletinTask> red_list;   // by due date, then code
};

struct BulletinData {
  int64_t scheme_id = 0;
  std::string scheme_name;
  BulletinUnit unit;          // the scheme's unit (南阳市)
  std::string period;         // "2024-06"
  std::string period_name;    // "2024年6月"
  std::string span;           // "1—6月" ("1—2月" for February, "1月" for January)
  std::string title;          // "南阳市2024年6月经济运行情况通报"
  std::string office;         // 发文机关: "南阳市经济运行调度办公室"
  std::string doc_number;     // 发文字号: "南调通〔2024〕6号"
  std::string issue_date;     // 成文日期: "2024年7月10日"
  bool scoped = false;        // the caller sees only their own units' rows (decision 0017)
  std::vector<BulletinIndicator> indicators;
  BulletinProjects projects;
  BulletinInvestment investment;
  BulletinTasks tasks;
  League league;
};

// The office, document number, dates and title of a bulletin of `unit_name` for `period`
// ("2024-06"). Document number: the first character of the unit's name + "调通" (the
// office's 代字), the year in 〔〕, the month as the serial number — "南调通〔2024〕6号".
void FillBulletinHeading(BulletinData& d, const std::string& unit_name, const std::string& period);

// The renderings. Docx: A4; margins top 37 mm, left (binding) 28 mm, right 26 mm, bottom 35
// mm (text block 156 × 225 mm); 22 lines per page (exact 28.95 pt); red 发文机关标志 in 小标宋
// and a red rule under the 发文字号; title 2号 方正小标宋简体; body 3号 仿宋_GB2312; first-level
// headings 黑体, second-level 楷体_GB2312; tables 仿宋 4号/小四; page numbers "— 1 —".
Result<std::string> BulletinDocx(const BulletinData& d);
// One sheet per section: 主要指标, 指标排名, 重点项目, 滞后项目, 招商引资, 督办事项, 考评排名.
// Numbers are numbers.
Result<std::string> BulletinXlsx(const BulletinData& d);
// A self-contained page (inline CSS, no script, no external resource) for printing on A4;
// the official fonts fall back to Noto Serif CJK SC / Noto Sans CJK SC.
std::string BulletinHtml(const BulletinData& d);
// "南阳市2024年6月经济运行情况通报.docx"
std::string BulletinFileName(const BulletinData& d, const std::string& extension);

}  // namespace tiaodu::assessment
