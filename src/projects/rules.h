// The rules of the key-projects domain as pure functions: field checks, stage transitions,
// backward scheduling (倒排工期), YTD/cumulative progress, the 正常/滞后/严重滞后 status with
// its reason, 三个一批 rates, and problem escalation. No I/O, no clock: "today" is passed in.
// Thread-safe.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/clock.h"
#include "base/decimal.h"
#include "base/result.h"
#include "projects/model.h"

namespace tiaodu::projects {

// ---- Fields ----

// Checks a project's own fields (not references to units or users). InvalidArgument with one
// Detail per bad field, in Chinese:
//   code 1–32 of [A-Za-z0-9-]; name 1–200 bytes; level/category from the lists; industry
//   empty or a GB/T 4754 section letter A–T followed by a 2-digit division ("C39");
//   total_investment > 0 and at most 10000 (亿元; more is absurd for a county project);
//   2000 <= start_year <= end_year <= start_year + 15; every annual plan's year within
//   [start_year, end_year], amount >= 0, and the plans' sum <= total_investment;
//   committed_completion (if any) within end_year or earlier and not before start_year.
Status CheckProject(const Project& p);

// Chinese names: "谋划", "签约", "开工", "竣工", "投产", "达效"; level "省重点"/"市重点"/
// "区县重点"; category "产业"/"基础设施"/"社会民生"/"城市更新"/"农业农村".
std::string_view StageName(std::string_view stage);
std::string_view LevelName(std::string_view level);
std::string_view CategoryName(std::string_view category);
// 0..5, or -1 for an unknown stage.
int StageIndex(std::string_view stage);

// A stage change: only forward (later stages may be skipped: a project can be signed and
// started the same month); the date not before the current stage's date and not after today.
Status CheckStageChange(const Project& p, std::string_view to, const CivilDate& date,
                        const CivilDate& today);

// ---- Backward scheduling (倒排工期) ----

struct PlannedMilestone {
  std::string name;
  CivilDate planned;
};
// Lays the steps backwards from `completion`: the last step ends at completion, each earlier
// step ends where the next begins. Error (FailedPrecondition, Chinese, naming the days
// available and needed) when the first step would have to begin before `earliest_start`
// — a deadline that leaves too little time is an error, never a negative duration. Steps
// with days <= 0 or an empty list are InvalidArgument.
Result<std::vector<PlannedMilestone>> BackwardSchedule(const std::vector<Settings::Step>& steps,
                                                       const CivilDate& completion,
                                                       const CivilDate& earliest_start);

// Whether a milestone is overdue at `today` (planned before today, no actual date), and by
// how many days (0 when not overdue).
int OverdueDays(const Milestone& m, const CivilDate& today);

// ---- Progress ----

// Year-to-date investment at `month` ("2024-06"): the sum of the amounts of that year's
// months up to and including it. Cumulative: every month up to and including it.
Decimal YtdAt(const std::vector<Progress>& progress, const std::string& month);
Decimal CumulativeAt(const std::vector<Progress>& progress, const std::string& month);

// Checks one month's report: month a valid "YYYY-MM" not after today's month and not before
// the project's start year; amount >= 0 and <= the project's total investment; narrative at
// most 2000 bytes. InvalidArgument with details.
Status CheckProgress(const Project& p, const Progress& r, const CivilDate& today);

// ---- Status ----

struct StatusInput {
  std::optional<Decimal> annual_plan;  // this year's planned investment
  Decimal ytd;                         // completed this year
  Decimal elapsed_share;               // of the year, 0..1 (e.g. 0.5 at the end of June)
  std::vector<Milestone> milestones;
  CivilDate today;
};
struct StatusResult {
  std::string status;      // kNormal | kLagging | kSeriouslyLagging
  std::string reason;      // Chinese: which rule made it so, with the figures
  std::optional<Decimal> completion;  // percent of the annual plan
};
// The worse of two rules:
//   plan: gap = elapsed% − completion% (percentage points); >= serious_gap → 严重滞后,
//         >= lag_gap → 滞后 (no plan or a zero plan: this rule says nothing);
//   milestones: any overdue → 滞后; overdue >= serious_overdue_days → 严重滞后.
// Reason examples: "年度计划完成30.0%，低于时间进度50.0%（差20.0个百分点）";
// "节点“主体封顶”逾期45天（计划2024-05-01）"; "正常" results give "按计划推进".
StatusResult ComputeStatus(const StatusInput& in, const Settings& s);

// ---- 三个一批 ----

// The rates of a batch in percent (one decimal is enough for display; keep exact here):
//   sign_rate      share of the "sign" list at stage >= signed by the deadline
//   start_rate     share of the "start" list at stage >= started by the deadline
//   produce_rate   share of the "produce" list at stage >= producing by the deadline
//   effective_rate share of the "produce" list at stage >= effective by the deadline
// "By the deadline": the date of reaching the stage (stage_dates) is on or before it.
// An empty list gives no rate.
struct BatchRates {
  std::optional<Decimal> sign_rate, start_rate, produce_rate, effective_rate;
};
BatchRates ComputeBatchRates(const Batch& batch, const std::vector<Project>& projects);

// ---- Problems ----

// Whether an open problem is overdue at `today` (deadline before today) and not yet
// escalated: then it escalates to the owner unit's parent.
bool ShouldEscalate(const Problem& p, const CivilDate& today);
// Category names: "用地", "资金", "审批手续", "环评", "征迁", "水电气", "其他".
std::string_view ProblemCategoryName(std::string_view category);

}  // namespace tiaodu::projects
