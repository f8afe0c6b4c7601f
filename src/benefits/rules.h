// The benefit rule language (免申即享): parse, print, check, compile and evaluate a policy's
// eligibility condition and amount formula against enterprises, and apply a budget cap.
// Pure functions and values, no I/O, no global state. The language and its semantics are
// described in docs/decisions/0019-benefit-rule-language.md; in short:
//
//   condition  := or
//   or         := and ("or" and)*
//   and        := not ("and" not)*
//   not        := "not" not | comparison
//   comparison := sum [("=" | "==" | "!=" | "<" | "<=" | ">" | ">=" | "in") sum]
//   sum        := product (("+" | "-") product)*
//   product    := unary (("*" | "/") unary)*
//   unary      := "-" unary | primary
//   primary    := number ["万" | "亿"] | "text" | “text” | YYYY-MM-DD | "[" items "]"
//               | "(" condition ")" | name ["[" year "]"] | name "(" args ")"
//
// Attributes: industry (text, GB/T 4754 division "C39"), scale (text: 规上/限上/小微 or their
// codes), certifications (a set: only `"专精特新" in certifications`), unit (registered unit
// code; `unit = "411302"` and `unit in [...]` hold for that unit and every unit under it),
// founded (date); figures revenue, tax_paid, rd_spending, employees (numbers; bare =
// the policy's base year, `revenue[2024]` = that year). Functions: growth(figure) (percent,
// the figure's year over the year before), min(a, b, ...), max(a, b, ...), if(c, a, b),
// tiers(x, [[from, amount], ...]) (the amount of the last tier whose `from` <= x, 0 below the
// first; `from` inclusive, strictly increasing). Chinese names are accepted for attributes
// (营业收入, 纳税额, 研发投入, 从业人员, 行业, 规模, 资质, 所属单位, 成立日期, 增速).
//
// Typical use (a matching run; the editor's live count is the same with the register's
// enterprises flattened after compiling the text being typed):
//   Layout layout;                                           // one per run
//   Result<Policy> p = CompilePolicy(rules, layout);         // per policy; errors name position
//   Facts f = layout.Flatten(enterprise);                    // per enterprise, after compiling
//   Evaluation e; Evaluate(*p, f, e);                        // per (policy, enterprise)
//   std::vector<Award> a = ApplyBudget(requests, budget, BudgetMode::kOrder);
//
// Thread-safety: Policy, Layout (once compiling is done) and Facts are immutable values and
// may be shared between threads; Evaluate writes only to its Evaluation argument.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "base/result.h"
#include "benefits/model.h"

namespace tiaodu::benefits {

// ---- Parsing and printing ----

// A position in rule text for messages: 1-based line and column, columns counted in
// characters (UTF-8 code points), as an editor shows them.
struct TextPos {
  int line = 1;
  int column = 1;
};
TextPos PositionOf(std::string_view text, int byte_offset);

// Parses an expression (condition or formula; no type check). Errors are InvalidArgument
// with a message "第1行第12列：…" (see RuleError). Texts over 20,000 bytes and trees nested
// deeper than 400 levels are refused, so hostile input cannot exhaust the stack.
Result<Expr> ParseExpression(std::string_view text);

// The canonical text of a tree: English names, minimal parentheses, `and`/`or`/`not`,
// numbers without 万/亿, dates YYYY-MM-DD, text in "...". ParseExpression(Print(e)) gives a
// tree equal to e (SameTree) for every tree the parser can produce.
std::string Print(const Expr& e);

// Structural equality, ignoring source positions.
bool SameTree(const Expr& a, const Expr& b);

// ---- Checking ----

// What the checker accepts beyond the grammar.
struct CheckOptions {
  // Certification names accepted in `"…" in certifications`; empty = kKnownCertifications.
  std::vector<std::string> certifications;
  int min_year = 1990;  // years allowed in revenue[YEAR]
  int max_year = 2100;
};

// A rule error for an editor: where it is and what is wrong (Chinese).
struct RuleError {
  std::string field;  // "eligibility" or "amount"
  int begin = 0;      // byte offsets of the offending part of the text
  int end = 0;
  TextPos pos;
  std::string message;  // without the position, e.g. "未知属性“revenu”，是否为“revenue”？"
};

// Checks a policy's two rule texts at save time: the condition must be a condition and the
// amount a number; unknown attributes, type mismatches (`scale > 3`), unknown scale or
// certification names, malformed industry codes, years out of range, non-increasing tiers and
// division by a constant zero are errors. OK, or InvalidArgument "规则有误" whose details are
// {field: "eligibility"|"amount", reason: "第1行第12列：…"} (one per faulty field).
Status CheckPolicyRules(const PolicyRules& rules, const CheckOptions& options = {});
// The same as a list for an editor (empty when fine).
std::vector<RuleError> DiagnosePolicyRules(const PolicyRules& rules,
                                           const CheckOptions& options = {});

// ---- Compilation ----

// An enterprise flattened for fast evaluation: no strings, no maps.
struct Facts {
  int32_t industry = -1;  // Layout text id; -2 = missing
  int32_t unit = -1;      // Layout text id; -2 = missing
  // Layout text ids of the unit and of the units above it that rules name (for `unit = "…"`
  // and `unit in […]`, which hold for the named unit's whole subtree).
  std::vector<int32_t> units;
  int32_t scale = -1;     // Scale as int; -1 = missing
  int64_t founded = 0;    // days since 1970-01-01
  bool founded_known = false;
  uint64_t certifications = 0;   // Layout certification bits
  std::vector<int64_t> figures;  // Decimal raw values by slot
  std::vector<uint8_t> known;    // 1 when the figure of that slot is reported
};

// The slots of one matching run: each (figure, year) a rule reads gets a number slot, each
// text value a rule compares with gets an id, each certification a rule asks about gets a bit.
// Policies compiled against one Layout share it; Flatten an enterprise after compiling every
// policy of the run (Evaluate asserts that the Facts are as wide as the Policy needs).
class Layout {
 public:
  // The facts of one enterprise in this layout (text values not named by any rule get id -1).
  Facts Flatten(const Enterprise& e) const;

  // Used by the compiler.
  int FigureSlot(Figure f, int year);
  int TextId(std::string_view text);
  int CertificationBit(std::string_view name);  // -1 when more than 64 are in use
  int figure_slots() const { return static_cast<int>(slots_.size()); }
  // "revenue[2024]" for a slot.
  std::string SlotName(int slot) const;

 private:
  struct SlotKey {
    Figure figure;
    int year;
  };
  std::vector<SlotKey> slots_;
  std::unordered_map<std::string, int> texts_;
  std::vector<std::string> certifications_;
};

// One instruction of a compiled expression (a stack machine; see rules.cc).
struct Instr {
  uint8_t op = 0;
  int32_t a = 0;      // slot, text id, bit, table index, count
  int64_t b = 0;      // constant (Decimal raw or days)
  int32_t node = -1;  // index into Policy::spans for data-error messages
};

// A compiled policy: the top-level conditions of the eligibility (the operands of its
// outermost `and`s, at most 64) and the amount, each a program over Layout slots.
struct Policy {
  struct Condition {
    std::string text;  // the condition as written (trimmed source text)
    std::vector<Instr> code;
  };
  std::vector<Condition> conditions;
  std::vector<Instr> amount;
  std::string amount_text;
  std::vector<std::vector<std::pair<int64_t, int64_t>>> tier_tables;  // raw Decimal pairs
  std::vector<std::vector<int64_t>> sets;                  // constant lists of `in`, sorted
  std::vector<std::pair<std::string, std::string>> spans;  // (text, "eligibility"/"amount")
  int max_stack = 0;
  std::vector<int> slots;          // the layout slots this policy reads, in first-read order
  int figure_slots = 0;            // Facts::figures must be at least this long
  const Layout* layout = nullptr;  // for names of missing attributes; must outlive the Policy
};

// Checks and compiles a policy's rules against `layout` (which it extends). Errors as
// CheckPolicyRules. An empty eligibility text means "every enterprise" (no condition).
Result<Policy> CompilePolicy(const PolicyRules& rules, Layout& layout,
                             const CheckOptions& options = {});

// ---- Evaluation ----

// The outcome for one (policy, enterprise); see docs/decisions/0019 for the exact rules.
enum class Outcome {
  kMatched,      // every condition holds, the amount is known
  kNearMiss,     // exactly one condition fails, every other holds (`failed` names it)
  kNotMatched,   // two or more conditions fail, or one fails and others lack data
  kDataMissing,  // no condition fails, but a condition or the amount needs a missing figure
  kDataError,    // no condition fails, but a value cannot be computed (÷0, overflow, ...)
};
const char* OutcomeName(Outcome o);  // "matched", "near_miss", ... (API and storage)
const char* OutcomeLabel(Outcome o);  // "符合", "差一项", "不符合", "数据缺失", "数据有误"

struct Evaluation {
  Outcome outcome = Outcome::kNotMatched;
  uint64_t met = 0;      // bit i: condition i holds
  uint64_t failed = 0;   // bit i: condition i fails (for kNotMatched: at least the first two)
  uint64_t missing = 0;  // bit i: condition i lacks data
  uint64_t errored = 0;  // bit i: condition i cannot be computed (data error)
  bool amount_missing = false;                  // kDataMissing because of the amount formula
  std::optional<Decimal> amount;                // kMatched (and kNearMiss when computable), 元,
                                                // rounded to 0.01 half away from zero
  std::vector<std::string> missing_attributes;  // "revenue[2023]", "industry", ... (sorted)
  std::string error;  // the first data error ("除数为0：rd_spending / employees"): for
                      // kDataError, and for kNotMatched when a condition could not be computed
};

// Evaluates `policy` for `facts` (Flattened by the policy's layout) into `out` (reused, so
// that a run allocates nothing per enterprise in the common cases).
void Evaluate(const Policy& policy, const Facts& facts, Evaluation& out);

// The texts of the conditions whose bits are set in `mask`, in order.
std::vector<std::string> ConditionTexts(const Policy& policy, uint64_t mask);
// "2023年营业收入（revenue[2023]）" for "revenue[2023]", "行业（industry）" for "industry".
std::string AttributeLabel(std::string_view name);

// ---- Budget cap ----

struct AwardRequest {
  int64_t enterprise_id = 0;
  Decimal amount;  // >= 0, in 元, whole 分
};
struct Award {
  int64_t enterprise_id = 0;
  Decimal requested;
  Decimal granted;  // 0 <= granted <= requested, whole 分
};
enum class BudgetMode {
  // By requested amount descending, then enterprise id ascending; each granted in full while
  // the budget lasts; the first that does not fit gets what is left (partially), all after
  // it get 0. No skipping ahead to smaller amounts that would still fit.
  kOrder,
  // Every amount scaled by budget / total, rounded down to 分; the 分 left over go one each
  // to the largest rounding remainders (ties: larger request, then smaller id). The grants
  // sum to the budget exactly.
  kProRata,
};
// The awards in the order of kOrder (amount descending, id ascending) in both modes. Without
// a budget, or when the total fits, everyone gets the full amount.
std::vector<Award> ApplyBudget(const std::vector<AwardRequest>& requests,
                               std::optional<Decimal> budget, BudgetMode mode);

}  // namespace tiaodu::benefits
