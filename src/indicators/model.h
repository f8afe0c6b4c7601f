// Plain structs of the indicators domain (经济运行): the catalog, reported values, targets,
// validation rules and findings, and the derived figures the board reads.
//
// Periods of values are stored as month keys "YYYY-MM": a monthly indicator at its month, a
// quarterly one at the last month of its quarter (2024Q2 → "2024-06"), a yearly one at
// "YYYY-12". January is never a key of a year-to-date indicator (the 1-2月 rule: the first
// release of a year is stored at YYYY-02).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "base/decimal.h"

namespace tiaodu::indicators {

// One catalog entry (指标).
struct Indicator {
  int64_t id = 0;
  std::string code;                  // "gdp", "tax_revenue"; [a-z][a-z0-9_]*
  std::string name;                  // "地区生产总值"
  std::vector<std::string> aliases;  // names used in report texts ("生产总值", "GDP")
  std::string unit;                  // "亿元", "%", "元" — a name base/decimal.h knows
  std::string periodicity;           // "month" | "quarter" | "year"
  std::string accumulation;          // "ytd" (累计) | "annual" (全年) | "point" (时点)
  std::string growth_basis;          // "comparable" (可比价, reported) | "nominal" | "none"
  std::string direction;             // "up" (bigger is better) | "down" | "none"
  std::string formula;               // derived indicators only: "tax_revenue/budget_revenue*100"
  std::string rank_by = "value";     // "value" | "growth": which rank the board leads with
  bool additive = true;              // children sum to the parent (amounts, counts)
  int decimals = 2;                  // places shown
  int sort_order = 0;
  bool archived = false;
  int version = 1;

  bool derived() const { return !formula.empty(); }
};

// Status of a reported value. Transitions: draft → submitted (报送) → approved (审核) →
// published (发布); submitted → draft by withdrawal (撤回) or return (退回).
inline constexpr const char* kDraft = "draft";
inline constexpr const char* kSubmitted = "submitted";
inline constexpr const char* kApproved = "approved";
inline constexpr const char* kPublished = "published";

// One reported value: unit × indicator × period. For "ytd" indicators `value` is the
// year-to-date value; the month's own value is derived from it.
struct Value {
  int64_t id = 0;
  int64_t unit_id = 0;
  int64_t indicator_id = 0;
  std::string period;  // month key "2024-06"
  Decimal value;
  std::optional<Decimal> reported_yoy;  // percent, e.g. 6.3
  std::string status = kDraft;
  std::string note;  // explanation; required when a warning stands at submission
  int revision = 0;  // number of revisions after approval
  int version = 1;
  int64_t updated_by = 0;
  int64_t updated_at = 0;
  int64_t submitted_at = 0;
  int64_t approved_by = 0;
  int64_t approved_at = 0;
  int64_t published_at = 0;
};

// A target for one unit × indicator × year: a value and/or growth floor and stretch (保8争9).
struct Target {
  int64_t id = 0;
  int64_t unit_id = 0;
  int64_t indicator_id = 0;
  int year = 0;
  std::optional<Decimal> value;
  std::optional<Decimal> growth_floor;    // percent
  std::optional<Decimal> growth_stretch;  // percent
  int version = 1;
  int64_t updated_at = 0;
};

// A comparison between expressions over indicators of the same unit and period, written by a
// statistician: "tax_revenue <= budget_revenue".
struct Rule {
  int64_t id = 0;
  std::string expression;
  std::string severity = "error";  // "error" | "warning"
  std::string message;             // shown to users
  bool enabled = true;
  int version = 1;
};

// One validation finding.
struct Finding {
  std::string rule;      // "tax_le_budget", "ytd_not_decreasing", "children_sum", "rule:12" ...
  std::string severity;  // "error" | "warning"
  std::string indicator;  // indicator code the finding is about (may be empty)
  std::string message;    // Chinese, complete sentence with the figures
};

// Thresholds from configuration.
struct Settings {
  // Time progress: d = share of target reached − share of year elapsed (both as fractions).
  // ahead when d >= ahead_margin; behind when d < -behind_margin; otherwise on track.
  Decimal ahead_margin = Decimal::FromRaw(30'000);   // 3 percentage points
  Decimal behind_margin = Decimal::FromRaw(30'000);  // 3 percentage points
  Decimal yoy_tolerance = Decimal::FromRaw(150'000);  // reported vs computed YoY, in points
  Decimal swing_threshold = Decimal::FromInt(10);     // growth change vs previous, in points
  Decimal children_tolerance = Decimal::FromInt(1);   // percent of the parent's value
};

// A derived, ready-to-read figure (the board's row): computed when values are approved,
// published or revised, never when a page loads.
struct Figure {
  int64_t unit_id = 0;
  int64_t indicator_id = 0;
  std::string period;
  int64_t parent_id = 0;  // the unit's parent (0 for the root): the league's key
  Decimal value;
  std::optional<Decimal> monthly;  // the month's own value (ytd indicators)
  std::optional<Decimal> yoy;      // percent
  std::string yoy_source;          // "reported" | "computed" | ""
  std::optional<int> rank_value;
  std::optional<int> rank_growth;
  std::optional<Decimal> target_value;
  std::optional<Decimal> progress;  // share of the annual target reached, percent
  std::optional<Decimal> elapsed;   // share of the year elapsed, percent
  std::string progress_status;      // "ahead" | "on_track" | "behind" | ""
  std::string status;               // the value's status (approved / published)
};

}  // namespace tiaodu::indicators
