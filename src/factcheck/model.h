// Plain structs of the fact-check domain (数据核查): what the extractor reads from a report
// text (facts), what the checks conclude (findings), the catalog the extractor is driven by and
// the approved ledger figures it is compared with. Values are exact decimals as written in the
// text, in the unit written ("4.2万元" is 4.2 in 万元, never converted).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "base/decimal.h"

namespace tiaodu::factcheck {

// One catalog indicator as the extractor needs it: its code, name, the aliases report texts
// use, and its unit (for the ledger comparison).
struct CatalogEntry {
  std::string code;
  std::string name;
  std::vector<std::string> aliases;
  std::string unit;
};

// One figure the text states.
struct Fact {
  std::optional<std::string> indicator;  // catalog code, or none
  std::string label;                     // the words the text names it with ("税收", "开工率")
  std::optional<Decimal> value;          // as written; none for a growth or rank alone
  std::string unit;  // as written ("亿元", "%", "个百分点"); empty when no value
  std::optional<Decimal> growth_pct;  // 增长 2.2% → 2.2, 下降 1.5% → -1.5
  std::optional<int> rank;            // 全市排名第二 → 2
  bool target = false;                // 力争, 确保, 目标, 计划 ...: a plan, not a result
  size_t offset = 0;                  // byte offset (UTF-8) of the figure in the text
  std::string quote;                  // the sentence it came from

  // Internal to the checks (not part of the JSON contract).
  int sentence = 0;          // index of its sentence in the document
  int clause = 0;            // index of its clause within the document
  bool headline = false;     // the clause's subject is the indicator itself (全区GDP...)
  bool result_verb = false;  // stated with 完成/实现/达到/为... between the name and the figure
  bool approximate = false;  // 约, 左右, 余, 多
  int bound = 0;            // +1: "超过/以上/不低于" (a lower bound), -1: "以内/不超过"
  int decimals = 0;         // digits written after the point
  std::string time;         // the time qualifier of its sentence ("一季度", "1-6月"), if any
  std::string share_of;     // a share: the whole it is a share of ("" = 占比 with 其中)
  bool share = false;       // 占比 / 占…的…%
  bool completion = false;  // 完成年度计划的…% / 占年度计划的…%
  bool sum_total = false;   // 总数, 合计, 共 ...: the total of an enumeration
  bool after_qizhong = false;  // stated in a clause introduced by 其中
  size_t qizhong_at = 0;       // byte offset of that 其中
  bool qizhong_opens = false;  // that 其中 opens the sentence: the whole is in the one before
  size_t end = 0;              // byte offset just after the figure and its unit
};

enum class Check { kShare, kCompletion, kSum, kRepeat, kLedger };
enum class Verdict { kConsistent, kInconsistent };

// One conclusion of a check.
struct Finding {
  Check check = Check::kShare;
  Verdict verdict = Verdict::kConsistent;
  Decimal stated;
  Decimal computed;
  std::string quote;
  std::string explanation;  // Chinese
  size_t offset = 0;        // byte offset of the stated figure (for ordering; not in the JSON)
};

// An approved figure of the ledger (indicator_values) for the document's region and period,
// in the indicator's catalog unit.
struct LedgerFigure {
  std::string code;
  std::string unit;
  Decimal value;
  std::optional<Decimal> yoy;
};

// Everything read from one text.
struct Document {
  std::vector<Fact> facts;
  std::vector<Finding> findings;
  std::string region;  // as stated in the text (or given), "" when unknown
  std::string period;  // "2023" or "2024-06", "" when unknown
};

const char* CheckName(Check c);
const char* VerdictName(Verdict v);

}  // namespace tiaodu::factcheck
