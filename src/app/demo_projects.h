// Deterministic demo data for the key-projects domain (重点项目): projects, milestones, monthly
// progress and problems for Nanyang's county-level units, and a synthetic province for
// benchmarks. Pure: no database, no clock, no I/O ("today" is passed in).
//
// What the generated data guarantee (the tests check each):
//   - every project passes projects::CheckProject: codes unique ("WL2024-001"), names unique
//     and realistic ("卧龙区中科新材料产业园项目", "卧龙区光武路提质改造工程"), level
//     province/city/district, a GB/T 4754 industry on every project, a chain (新能源汽车,
//     装备制造, 中医药, 光电信息, 新材料, 绿色食品, 新能源) on industry projects only, total
//     investment 1–80亿元, an annual plan (> 0) for every year of start_year..end_year whose
//     sum is at most the total, a committed completion (a month end) within end_year;
//   - milestones: the category's standard steps (DefaultSettings().durations) laid out by
//     projects::BackwardSchedule from the committed completion: the steps before the
//     construction step (主体施工/主体建设) keep their standard durations and end at the
//     construction start (开工, in start_year, February–June); the construction step and the
//     later ones are stretched to fill the time until the committed completion. Milestones
//     planned before today carry an actual date (never after today, in order), except on the
//     ~10% of projects picked as overdue: there the most recent past construction-phase
//     milestone and any later past one have none;
//   - stages follow the dates: signed before the first milestone, started at the actual date
//     of the last step before construction, completed at the last milestone's actual date,
//     producing and effective (industry and agriculture only) some months later; stage_dates
//     holds every reached stage, in order, none after today; a project whose signing date is
//     after today is at the planning stage;
//   - progress: one report a month from the construction start's month through the month
//     before today's month (and not after the committed completion's month), never before
//     start_year, amounts >= 0 (to 万元, i.e. 0.0001亿元); a past year's total is 95–105% of
//     its plan (by construction; for 卧龙区's 2024, whose first half is pinned, the tests check
//     it), the cumulative total never exceeds the total investment;
//   - this year (when today is in March or later): ~15% of the projects are behind their
//     plan (projects::ComputeStatus with DefaultSettings, the elapsed share of the months
//     before today's month as the service uses it, gives 滞后 or 严重滞后 by the plan rule),
//     ~10% have an overdue milestone, the others are on track (ahead of the time share by
//     1–15 percentage points, so they stay 正常 even against the day-based share);
//   - problems: 20 open (8 of them past their deadline, not yet escalated: the escalation job
//     escalates them) and 10 resolved, mostly on lagging projects, owned by the project's unit;
//   - the same inputs and seed give the same output on every run.
#pragma once

#include <cstdint>
#include <vector>

#include "app/demo_indicators.h"
#include "base/clock.h"
#include "projects/model.h"

namespace tiaodu::app {

struct DemoProjects {
  std::vector<projects::Project> projects;      // ids 0; unit/leader/task force ids as passed
  std::vector<projects::Milestone> milestones;  // project_id = index into projects
  std::vector<projects::Progress> progress;     // project_id = index into projects; reported_by 0
  std::vector<projects::Problem> problems;      // project_id = index; owner_unit_id = a unit's id
};

// About 250 projects for Nanyang: 卧龙区's 100 pinned ones plus 8 district-level ones, and 150
// over the other county-level units by size (at least 4 each; ~40% of the district-level
// ones at a town of the unit, when its towns are passed). Grouped by county-level unit in
// the order given.
//
// `units`: the city's county-level units and (optionally) their towns, as the org tree has
// them. A root (parent 0) with children, or a unit with a 6-digit code ending in "00"
// (411300), is an aggregate and gets no projects; units whose parent is an aggregate or is
// not in the list are county-level; units whose parent is county-level are towns (they get
// district-level projects only). Start years run from 2023 to today's year; ~5% of the other
// units' projects are being prepared for next year (planning/signed stage, no progress).
//
// The published facts of 卧龙区 (code 411303), when it is passed and today is 2024-07-01 or
// later: exactly 100 of its projects have level province or city — all of them span 2024
// (start 2023 or 2024, end 2025 or later) — their 2024 annual plans sum to exactly 273亿元 and
// their 2024-01…2024-06 progress to exactly 173.9亿元. Its other projects (8, some at its
// towns) are district-level. leader_ids go to province/city projects, task_force_ids to
// province-level and large (>= 20亿元) ones; either list may be empty.
DemoProjects GenerateNanyangProjects(const std::vector<DemoUnit>& units,
                                     const std::vector<int64_t>& leader_ids,
                                     const std::vector<int64_t>& task_force_ids,
                                     const CivilDate& today, uint64_t seed);

// Province scale for benchmarks: `count` projects over `units` (any tree; every unit takes
// projects): the first unit gets exactly min(count, 500), the rest are dealt round-robin over
// the others (with a single unit, it gets all). Every project is under construction through
// the whole window and reports every month of the `months` months ending at today's month
// (inclusive), so there are count × months reports (fewer only when months exceeds the 15
// years a project may span). No leaders or task forces; ~count/10 problems. The lagging and
// overdue shares are those of the Nanyang data.
DemoProjects GenerateProvinceProjects(const std::vector<DemoUnit>& units, int count, int months,
                                      const CivilDate& today, uint64_t seed);

}  // namespace tiaodu::app
