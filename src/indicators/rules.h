// The rules of the indicators domain as pure functions: period keys, YTD ↔ monthly, YoY,
// formulas of derived indicators and validation expressions, league-table ranks, time
// progress, and the validation of one unit's values for one period. No I/O, no clock, no
// database: everything a rule needs is passed in. Thread-safe.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/decimal.h"
#include "base/result.h"
#include "indicators/model.h"

namespace tiaodu::indicators {

// ---- Catalog ----

// Checks an indicator's fields (code syntax, known unit name, enumerations, formula syntax).
// Errors name the field: InvalidArgument with details {"code", "…"}.
Status CheckIndicator(const Indicator& ind);

// ---- Periods ----

// The month key under which a value of `ind` for the period `input` is stored:
//   monthly indicator: "2024-06" → "2024-06"; "2024-01" is refused for "ytd" accumulation
//     (1-2月 rule: "1月数据不单独发布，请填报1-2月累计数（期别2024-02）"), allowed otherwise.
//   quarterly: "2024Q2" or "2024-06" → "2024-06"; "2024-05" refused (not a quarter end).
//   yearly: "2024" or "2024-12" → "2024-12"; other months refused.
// Bad input is InvalidArgument with a Chinese message naming the indicator.
Result<std::string> PeriodKey(const Indicator& ind, std::string_view input);
// Whether `ind` has a value at month key `key` ("2024-05" is not a key of a quarterly one).
bool HasPeriod(const Indicator& ind, const std::string& key);
// The key of the previous value of the same year, or "" when `key` is the year's first
// (2024-03 → 2024-02; 2024-02 → "" for ytd monthly indicators; 2024-06 → 2024-03 quarterly).
std::string PreviousKeyInYear(const Indicator& ind, const std::string& key);
// The same key one year earlier ("2024-06" → "2023-06").
std::string SameKeyLastYear(const std::string& key);
// "2024年1-6月" for ytd, "2024年6月" for point/monthly, "2024年" for annual: the label
// bulletins print for a value at `key`.
std::string KeyLabelZh(const Indicator& ind, const std::string& key);

// ---- YTD and monthly ----

// The month's own value from YTD values: ytd − previous_ytd; the year's first release
// (previous_ytd absent because the key is the first of the year) is its own monthly value.
// nullopt when the previous value of the year is needed but missing.
std::optional<Decimal> MonthlyFromYtd(Decimal ytd, std::optional<Decimal> previous_ytd,
                                      bool first_of_year);
// The inverse: previous_ytd + monthly (monthly alone at the first release).
Result<Decimal> YtdFromMonthly(Decimal monthly, std::optional<Decimal> previous_ytd,
                               bool first_of_year);

// ---- Growth ----

// YoY growth in percent: (current / last_year − 1) × 100, rounded to 6 places.
// nullopt when last_year is zero or negative (growth is not meaningful).
std::optional<Decimal> ComputeYoy(Decimal current, Decimal last_year);
// The growth the board shows: the reported one for comparable-price indicators (the
// published truth), otherwise the computed one, falling back to the reported one.
struct Growth {
  std::optional<Decimal> yoy;
  std::string source;  // "reported" | "computed" | ""
};
Growth ChooseGrowth(const Indicator& ind, std::optional<Decimal> reported,
                    std::optional<Decimal> computed);

// ---- Expressions (formulas and validation rules) ----

// An arithmetic expression over indicator codes and decimal numbers: + − × ÷, parentheses,
// unary minus. "tax_revenue/budget_revenue*100".
class Expr {
 public:
  static Result<Expr> Parse(std::string_view text);
  // Evaluates with values looked up by code; nullopt if a code has no value, on division by
  // zero, or on overflow.
  std::optional<Decimal> Eval(
      const std::function<std::optional<Decimal>(const std::string&)>& lookup) const;
  // Indicator codes the expression reads, sorted, without duplicates.
  const std::vector<std::string>& codes() const { return codes_; }
  const std::string& text() const { return text_; }

  struct Node;  // defined in rules.cc

 private:
  std::shared_ptr<const Node> root_;
  std::vector<std::string> codes_;
  std::string text_;
};

// A comparison of two expressions: "tax_revenue <= budget_revenue". Operators
// <= >= < > = !=  (also ≤ ≥ ≠).
struct Comparison {
  Expr left;
  std::string op;
  Expr right;
  static Result<Comparison> Parse(std::string_view text);
  // true/false, or nullopt when a side cannot be evaluated (a value is missing).
  std::optional<bool> Holds(
      const std::function<std::optional<Decimal>(const std::string&)>& lookup) const;
};

// ---- League tables ----

// Competition ranking ("1, 2, 2, 4"): entries without a key get no rank. direction "up":
// larger keys rank first; "down": smaller first; "none": no ranks at all.
std::vector<std::optional<int>> Rank(const std::vector<std::optional<Decimal>>& keys,
                                     const std::string& direction);

// ---- Targets and time progress ----

// Status of a value target: d = reached_share − elapsed_share (fractions, e.g. 0.52 − 0.5).
// "ahead" when d >= ahead_margin, "behind" when d < −behind_margin, else "on_track".
std::string ProgressStatus(Decimal reached_share, Decimal elapsed_share, const Settings& s);
// Status of a growth target: "ahead" at or above the stretch (争), "on_track" at or above
// the floor (保), else "behind". Without a stretch, at or above the floor is "on_track".
// For direction "down" the comparisons flip.
std::string GrowthTargetStatus(Decimal yoy, std::optional<Decimal> floor,
                               std::optional<Decimal> stretch, const std::string& direction);
// Elapsed share of the year at month key "2024-06" (0.5). Yearly indicators count as 1.
Decimal ElapsedShare(const std::string& key);

// ---- Validation ----

// Everything the validation of one unit's values for one period needs.
struct ValidationInput {
  std::map<std::string, Indicator> indicators;  // by code (the whole catalog)
  std::string period;                           // month key
  // This unit, this period: value and reported YoY by indicator code.
  std::map<std::string, Decimal> values;
  std::map<std::string, std::optional<Decimal>> reported_yoy;
  std::map<std::string, Decimal> previous_ytd;      // previous key of the same year
  std::map<std::string, Decimal> last_year;         // same key last year
  std::map<std::string, Decimal> previous_growth;   // growth at the previous key
  // Sum of the children's values (and how many children reported) for additive indicators,
  // when the unit has children.
  std::map<std::string, Decimal> children_sum;
  std::map<std::string, int> children_count;
  int children_total = 0;  // how many children the unit has
  std::vector<Rule> rules;  // statisticians' rules (enabled ones are applied)
};

// The built-in rules, each on its own (tests call them one by one):
//   tax_le_budget       error    tax_revenue > budget_revenue
//   ytd_not_decreasing  error    a ytd additive value below the previous one of the year
//   negative_value      error    an amount or count below zero
//   yoy_mismatch        warning  nominal: |reported − computed| > yoy_tolerance
//   growth_swing        warning  |growth − previous growth| > swing_threshold points
//   children_sum        warning  every child reported and |Σ children − value| > tolerance %
std::vector<Finding> CheckTaxWithinBudget(const ValidationInput& in);
std::vector<Finding> CheckYtdNotDecreasing(const ValidationInput& in);
std::vector<Finding> CheckNotNegative(const ValidationInput& in);
std::vector<Finding> CheckYoyMatches(const ValidationInput& in, const Settings& s);
std::vector<Finding> CheckGrowthSwing(const ValidationInput& in, const Settings& s);
std::vector<Finding> CheckChildrenSum(const ValidationInput& in, const Settings& s);
// The statisticians' rules: a rule whose comparison fails gives a finding of its severity,
// rule "rule:<id>", indicator = the first code of the left side.
std::vector<Finding> CheckCustomRules(const ValidationInput& in);
// All of the above, errors first.
std::vector<Finding> Validate(const ValidationInput& in, const Settings& s);
bool HasErrors(const std::vector<Finding>& findings);

}  // namespace tiaodu::indicators
