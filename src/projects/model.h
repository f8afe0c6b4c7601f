// Plain structs of the key-projects domain (重点项目): the registry, milestones, monthly
// progress, problems (问题清单 / 要素保障) and 三个一批 batches. Amounts are in 亿元 as exact
// Decimals; dates are civil dates (ISO "2024-06-30" in the API); months are keys "2024-06".
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "base/clock.h"
#include "base/decimal.h"

namespace tiaodu::projects {

// Stages in order (谋划 → 签约 → 开工 → 竣工/建成 → 投产 → 达效).
inline constexpr const char* kStages[] = {"planning", "signed", "started", "completed", "producing", "effective"};
inline constexpr int kStageCount = 6;

// Statuses (the API answers the Chinese words, as leaders say them).
inline constexpr const char* kNormal = "正常";
inline constexpr const char* kLagging = "滞后";
inline constexpr const char* kSeriouslyLagging = "严重滞后";

struct Project {
  int64_t id = 0;
  std::string code;      // "WL2024-001": unique, [A-Za-z0-9-]
  std::string name;
  std::string level;     // "province" | "city" | "district"
  std::string category;  // "industry" | "infrastructure" | "social" | "urban_renewal" | "agriculture"
  std::string industry;  // GB/T 4754: section letter + division, e.g. "C39"; may be empty
  std::string chain;     // industry chain (链), free text until the investment module links it
  int64_t unit_id = 0;   // the responsible unit (责任单位)
  std::optional<int64_t> leader_id;      // 联系领导: a user with role leader
  std::optional<int64_t> task_force_id;  // 专班: a unit of kind task_force
  std::string location;
  Decimal total_investment;  // 亿元
  int start_year = 0;
  int end_year = 0;
  std::optional<CivilDate> committed_completion;  // 承诺完工日期 (backward scheduling's anchor)
  std::string stage = "planning";
  std::map<std::string, CivilDate> stage_dates;   // stage → the date it was reached
  std::map<int, Decimal> annual_plans;            // year → planned investment (亿元)
  bool archived = false;
  int version = 1;
  int64_t created_at = 0;
  int64_t updated_at = 0;
};

struct Milestone {
  int64_t id = 0;
  int64_t project_id = 0;
  int seq = 0;
  std::string name;
  std::optional<CivilDate> planned;
  std::optional<CivilDate> actual;
  int version = 1;
};

// One month's progress report of a project.
struct Progress {
  int64_t id = 0;
  int64_t project_id = 0;
  std::string month;  // "2024-06"
  Decimal amount;     // investment completed in the month, 亿元
  std::string narrative;  // 形象进度
  int64_t reported_by = 0;
  int64_t reported_at = 0;
  int version = 1;
};

struct Problem {
  int64_t id = 0;
  int64_t project_id = 0;
  std::string category;  // "land" 用地 | "funding" 资金 | "approval" 审批手续 | "environment" 环评 |
                         // "demolition" 征迁 | "utilities" 水电气 | "other" 其他
  std::string description;
  int64_t owner_unit_id = 0;             // who must solve it
  std::optional<int64_t> escalated_to;   // the unit above, once overdue
  CivilDate deadline;
  std::string state = "open";  // "open" | "resolved"
  std::string resolution;
  int64_t raised_by = 0;
  int64_t raised_at = 0;
  int64_t resolved_at = 0;
  int version = 1;
};

// A 三个一批 batch (第N期) and its three lists.
struct Batch {
  int64_t id = 0;
  int number = 0;  // N of 第N期
  std::string name;
  CivilDate deadline;
  bool closed = false;
  struct Entry {
    int64_t project_id = 0;
    std::string list;  // "sign" 签约 | "start" 开工 | "produce" 投产
  };
  std::vector<Entry> entries;
  // Rates in percent; frozen at close (then read from here), live before.
  std::optional<Decimal> sign_rate, start_rate, produce_rate, effective_rate;
  int version = 1;
};

// A project's figures for one year: the list's and the battle map's read model.
struct ProjectYear {
  int64_t project_id = 0;
  int year = 0;
  std::optional<Decimal> plan;
  Decimal ytd;         // completed this year (through the last reported month)
  Decimal cumulative;  // completed since the start, through that year
  std::optional<Decimal> completion;  // percent of plan
  std::string status = kNormal;
  std::string status_reason;
  int open_problems = 0;
  int overdue_milestones = 0;
  std::string as_of;  // the date the status was computed for
  int64_t unit_id = 0;  // the project's unit (copied, so a status filter can stay in this table)
};

// Configuration (settings key "projects").
struct Settings {
  // Status: gap = elapsed share − completion share of the annual plan, in percentage points.
  Decimal lag_gap = Decimal::FromInt(10);      // 滞后 at or above
  Decimal serious_gap = Decimal::FromInt(20);  // 严重滞后 at or above
  int serious_overdue_days = 30;  // a milestone overdue this long → 严重滞后 (any overdue → 滞后)
  // Standard durations (days) of the milestones of each category, in order; the last one
  // ends at the committed completion date.
  struct Step {
    std::string name;
    int days = 0;
  };
  std::map<std::string, std::vector<Step>> durations;
};

Settings DefaultSettings();

}  // namespace tiaodu::projects
