// Province-scale supervision data (督查督办) for benchmarks: `count` tasks on the 13710
// clock assigned by one supervisor at the province root to its cities and counties over the
// last ~60 working days before `now`, with their timelines as they stand at `now`. Pure: no
// database, no clock, no I/O. The result is supervision::BulkData (no meetings).
//
// What the generated data guarantee:
//   - owners: the first of `units` gets exactly min(count, 500) tasks (make it a county, so
//     that one county's list is the heaviest), the others share the rest (at least one each
//     while there are enough, a little more or less than an equal share each); with a single
//     unit it gets all; some tasks (~15%) have 1–2 co-units under the owner's parent, never
//     the owner;
//   - every task: unit_id = `assigning_unit_id`, assigned_by = `supervisor_id`, profile
//     "steps"; source instruction / higher / meeting (source_ref a document number or the
//     meeting's name, never a meeting link); about half carry an explicit deadline 20–60
//     working days after the clock's start with a deadline_reason (complex matters), the
//     others the 13710 completion deadline (10 working days);
//   - assigned_at on the working days (official calendar) of the last 60 working days up to
//     now, in office hours (~12% after 17:30, so their clock starts the next working day),
//     never after now; codes "DB<year>-NNNN" numbered per year in order of assigned_at, with
//     as many digits as the year's largest number needs (at least 4), so that codes of one
//     year sort as their numbers do;
//   - events[i] is task i's timeline in time order, none after now, the first 'assigned' at
//     assigned_at, every later one on a working day in office hours: 'received', 'plan',
//     'feedback' (every 5–7 working days; ~20% of the tasks in progress stopped reporting
//     1–2 weeks ago), 'file' then 'reported' (one small UTF-8 .txt 情况说明 in files[i],
//     passing supervision::CheckEvidenceFile), 'accepted', 'cancelled'; the record matches
//     its events (received_at, planned_at, reported_at, closed_at, state, plan, result,
//     cancel_reason); owner actions carry the owner unit and no user, supervisor actions the
//     supervisor and the assigning unit;
//   - at `now` the states spread like real work (20,000 tasks: ~3% assigned, not received;
//     ~3% received; ~46% in progress; ~9% reported, waiting for acceptance; ~38% closed; ~1%
//     cancelled); of the open ones ~75% are green, ~7% yellow and ~18% red (lapsed feedback,
//     receipts and completions overdue); the read model is left default (LoadBulk
//     evaluates it);
//   - the same inputs give the same output on every run.
#pragma once

#include <cstdint>
#include <vector>

#include "app/demo_indicators.h"
#include "supervision/service.h"

namespace tiaodu::app {

supervision::BulkData GenerateProvinceSupervision(const std::vector<DemoUnit>& units,
                                                  int64_t assigning_unit_id,
                                                  int64_t supervisor_id, int count, int64_t now,
                                                  uint64_t seed);

}  // namespace tiaodu::app
