// Deterministic demo data for supervision (督查督办) under the 13710 clock: the city's and
// 宛城区's meetings (周碰头会, 月例会, 专题会) with their decisions (议定事项), and the tasks
// assigned over the last ~3 months with their timelines and evidence files, as they stand at
// `now`. Pure: no database, no clock, no I/O ("now" is passed in). The result is
// supervision::BulkData, whose references are positions (see supervision/service.h).
//
// What the generated data guarantee (the tests check each):
//   - meetings (~13): the city's 市政府周碰头会 (kind "weekly", the first Monday–Friday
//     working day of each of the last 6 weeks), 全市经济运行暨重点工作月例会 ("monthly", the
//     first working day on or after the 15th of the last 3 months), two 专题会 ("special"),
//     all convened by the city (unit_id of "411300", created_by `supervisor`), and two
//     宛城区政府周碰头会 convened by 宛城区 ("411302", created_by `supervisor_wancheng`); all
//     published, held on working days before today (Beijing), created that day before now;
//     minutes in official style ("会议听取了……汇报，研究了……。会议议定如下事项：一、……");
//     each has 2–5 decisions naming an owner unit, most with a deadline; Decision::id,
//     meeting_id and task_id are left empty (0 / nullopt), seq is 1, 2, …;
//   - most decisions became tasks (TaskRecord::meeting_id = the meeting's position,
//     decision_id = the decision's position in it; title = the decision's text, owner = its
//     owner, deadline = its deadline, source "meeting", source_ref = the meeting's title); a
//     few of the latest meetings' decisions did not yet (1–2 of the newest city weekly
//     meeting, 1 of the newest monthly and of the newest 宛城区 meeting), and no decision has
//     two tasks;
//   - tasks (~60 by `supervisor` for the city, unit D411300-DCS, owners city departments and
//     county-level units; ~15 by `supervisor_wancheng`, unit 411302, owners 宛城区's towns
//     and departments): sources meeting / instruction ("王市长批示〔2026〕15号") / higher
//     ("豫督〔2026〕23号"; 宛城区's "南督〔2026〕8号"); some with co-units (never the owner);
//     profile "steps", except two urgent instructions on "urgency" (class 3 and 7); an
//     explicit deadline later than the 13710 one always carries a deadline_reason (complex
//     matters), set at assignment or later by a 'deadline' event;
//   - assigned_at between ~60 working days ago and now, on working days in office hours
//     (08:30–18:00 Beijing; ~15% after 17:30, so their clock starts the next working day);
//     codes "DB<year of assigned_at>-NNNN" numbered 0001… per year in order of assigned_at
//     (tasks are sorted by it); version 1; created_at = assigned_at, updated_at = the last
//     event; the read model (light, escalation, completion_due, next_*) is left default;
//   - events[i] is task i's timeline in time order, none after `now`, the first 'assigned' at
//     assigned_at; every human action on a working day in office hours; owner actions
//     (received, plan, feedback, file, reported) by the owner unit and its demo user when it
//     has one (reporter_fgw, reporter_wancheng, reporter_town; otherwise user_id empty),
//     supervisor actions (assigned, returned, accepted, cancelled, deadline) by the assigning
//     supervisor and unit. The record matches them: received_at / planned_at = the
//     'received' / 'plan' event, reported_at = the last 'reported' not followed by a
//     'returned', closed_at = the 'accepted' or 'cancelled' event (a cancelled task carries its
//     cancel_reason); event texts as the service writes them where it has one ('assigned':
//     "领导批示（王市长批示〔2026〕15号）；办结期限2026年11月24日"); state assigned → received → in_progress → reported → closed, or
//     cancelled (two of the city's);
//   - at `now` the tasks spread over every state and, by supervision::Evaluate with
//     OfficialCalendar() and DefaultSettings(), open tasks are green, yellow (completion due
//     within a working day, a step overdue by 1–2 working days) and red (completion overdue,
//     a step overdue longer); finished ones were on time or late; one task was returned once
//     and reported again; some received, planned or reported late;
//   - reported and closed tasks carry at least one evidence file (files[i]: a small valid PDF
//     with Chinese text in the standard STSong-Light font, or a UTF-8 .txt 情况说明, both
//     passing supervision::CheckEvidenceFile, whose content type they carry; size = the bytes'
//     length, sha256 = their hex digest), each with a 'file' event at its time,
//     uploaded before the report; TaskFile::user_id is 0 when the owner unit has no demo
//     user (the loader stores no user then);
//   - D411300-FGW (reporter_fgw) owns several open tasks, one not yet received; 瓦店镇
//     T411302-02 (reporter_town) and 宛城区 411302 (reporter_wancheng) own open tasks too;
//   - the same inputs give the same output on every run.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "app/demo_indicators.h"
#include "supervision/service.h"

namespace tiaodu::app {

// `units`: all units (the city "411300", county-level units, zones, departments "D411300-FGW",
// towns "T411302-02"); a unit or co-unit named by the demo and missing here is skipped (its
// tasks and decisions with it). `users`: username → id; the city's tasks need `supervisor`,
// 宛城区's `supervisor_wancheng` (without them those are not generated). `now`: millis UTC.
supervision::BulkData GenerateNanyangSupervision(const std::vector<DemoUnit>& units,
                                                 const std::map<std::string, int64_t>& users,
                                                 int64_t now);

}  // namespace tiaodu::app
