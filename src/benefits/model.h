// Plain structs of auto-granted enterprise benefits (免申即享, DESIGN 4.7, issue 10): an
// enterprise as the policies see it, a policy's rules as text, and the syntax tree of the
// rule language (docs/decisions/0019-benefit-rule-language.md). No I/O here; the parser,
// checker, compiler and evaluator are in rules.h. Values; not thread-safe to mutate.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "base/clock.h"
#include "base/decimal.h"

namespace tiaodu::benefits {

// 企业规模. Codes (stored, and accepted in rules) and Chinese names (accepted in rules too):
// "above_designated" 规上 (规模以上工业企业), "above_quota" 限上 (限额以上批零住餐企业),
// "small_micro" 小微.
enum class Scale { kAboveDesignated, kAboveQuota, kSmallMicro };
inline constexpr int kScaleCount = 3;
inline constexpr const char* kScaleCodes[] = {"above_designated", "above_quota", "small_micro"};
inline constexpr const char* kScaleNames[] = {"规上", "限上", "小微"};

// Certifications (资质) the checker accepts by default in `"…" in certifications`; a caller may
// pass its own list (CheckOptions::certifications), e.g. the names found in the register.
inline constexpr const char* kKnownCertifications[] = {
    "专精特新",         "专精特新小巨人", "高新技术企业", "科技型中小企业",   "创新型中小企业",
    "瞪羚企业",         "独角兽企业",     "单项冠军",     "技术创新示范企业", "企业技术中心",
    "工程技术研究中心", "绿色工厂",       "智能工厂",     "上市企业"};

// The yearly figures policies look at. Each may be missing (not reported yet); a missing
// figure is never read as zero. Money in 元.
enum class Figure { kRevenue, kTaxPaid, kRdSpending, kEmployees };
inline constexpr int kFigureCount = 4;

struct YearFigures {
  std::optional<Decimal> revenue;      // 营业收入, 元
  std::optional<Decimal> tax_paid;     // 纳税额 (入库税收), 元
  std::optional<Decimal> rd_spending;  // 研发投入, 元
  std::optional<Decimal> employees;    // 从业人员 (年末), 人; a whole number
};

// An enterprise of the register, with the attributes policies need. Empty text / nullopt
// means "not known": a rule that needs it gives "data missing", never false.
struct Enterprise {
  int64_t id = 0;
  std::string name;
  std::string industry;  // GB/T 4754 division (门类字母 + 两位大类), e.g. "C39"; "" unknown
  std::optional<Scale> scale;
  std::set<std::string> certifications;  // empty = none (never "missing")
  std::string unit_code;  // registered unit (属地), the org unit's code; "" unknown
  // The codes of the units above unit_code (any order; the register fills them from the unit
  // tree), so that a rule's `unit = "411302"` also holds for a town or zone under 411302.
  std::vector<std::string> unit_ancestors;
  std::optional<CivilDate> founded;  // 成立日期
  std::map<int, YearFigures> years;  // by calendar year
};

// A policy's rules as the office writes them (the stored form is the text).
struct PolicyRules {
  std::string eligibility;  // a condition, e.g. `industry in ["C39"] and revenue >= 2000万`
  std::string amount;       // a number in 元, e.g. `min(rd_spending * 0.1, 500000)`
  int base_year = 0;        // the year that `revenue` (without [year]) means
};

// ---- Syntax tree of the rule language ----

enum class ExprKind {
  kNumber,     // 12.5, 2000万 (number holds the value)
  kText,       // "C39" (text)
  kDate,       // 2020-01-01 (date)
  kList,       // [a, b, ...] (args)
  kAttribute,  // industry, scale, certifications, unit, founded (text = canonical name)
  kFigure,     // revenue, revenue[2024] (text = canonical name, year = 0 for the base year)
  kCall,       // min(...), max(...), tiers(x, [[from, amount], ...]), growth(fig), if(c, a, b)
  kUnary,      // op: kNeg or kNot (args[0])
  kBinary,     // op (args[0], args[1])
};

enum class Op {
  kNone,
  kOr,
  kAnd,
  kNot,
  kEq,
  kNe,
  kLt,
  kLe,
  kGt,
  kGe,
  kIn,
  kAdd,
  kSub,
  kMul,
  kDiv,
  kNeg,
};

// One node. begin/end are byte offsets into the source text (end exclusive); a node built by
// hand has 0/0. Equality ignores positions (see SameTree in rules.h).
struct Expr {
  ExprKind kind = ExprKind::kNumber;
  Op op = Op::kNone;
  std::string text;  // text literal, attribute/figure/function name
  Decimal number;
  CivilDate date{0, 0, 0};
  int year = 0;  // kFigure: the year in brackets, 0 = the base year
  std::vector<Expr> args;
  int begin = 0;
  int end = 0;
};

}  // namespace tiaodu::benefits
