#include <gtest/gtest.h>

#include <map>
#include <string>
#include <vector>

#include "auth/audit.h"
#include "fixture.h"
#include "supervision/sheets.h"

namespace tiaodu::supervision {
namespace {

// Specification of the import of supervision tasks (a batch 交办, issue 7) and of the export
// in its layout, on both databases. Today is Monday 2026-11-23, 09:00 Beijing time; the 13710
// completion deadline of a task assigned now is 2026-12-07 (ten working days on).
class TaskImportTest : public SupervisionFixture {
 protected:
  // A sheet with the import's headers and these rows (cells by header; the rest empty).
  static io::Table Sheet(const std::vector<std::map<std::string, std::string>>& rows,
                         std::vector<std::string> headers = {}) {
    if (headers.empty())
      headers = {"任务编号", "*任务名称", "任务内容", "*来源", "来源文号", "*责任单位编码", "协办单位编码",
                 "*办结时限", "办结时限理由", "督办时限方案", "紧急程度(工作日)"};
    io::Table t;
    t.header = headers;
    int line = 1;
    for (const auto& cells : rows) {
      io::Row row{++line, {}};
      for (std::string h : headers) {
        if (h.starts_with("*")) h.erase(0, 1);
        auto it = cells.find(h);
        row.cells.push_back(it == cells.end() ? "" : it->second);
      }
      t.rows.push_back(std::move(row));
    }
    return t;
  }
  // A new task's row: owner 瓦店镇, a deadline within the 13710 limit.
  static std::map<std::string, std::string> NewRow(const std::string& title = "推进瓦店镇污水管网改造") {
    return {{"任务名称", title},
            {"任务内容", "年底前完成主管网铺设"},
            {"来源", "领导批示"},
            {"来源文号", "王市长批示〔2026〕21号"},
            {"责任单位编码", "T411302-02"},
            {"办结时限", "2026-12-04"}};
  }
  // The export as an uploaded table: headers and cells as written.
  static io::Table AsTable(const io::Sheet& sheet) {
    io::Table t;
    for (const io::SheetColumn& c : sheet.columns) t.header.push_back((c.required ? "*" : "") + c.header);
    int line = 1;
    for (const auto& cells : sheet.rows) t.rows.push_back({++line, cells});
    return t;
  }
  static std::vector<std::string> Fields(const Status& s) {
    std::vector<std::string> out;
    for (const Detail& d : s.details()) out.push_back(d.field);
    return out;
  }
  static std::string Reason(const Status& s, const std::string& field) {
    for (const Detail& d : s.details())
      if (d.field == field) return d.reason;
    return "(no detail " + field + ")";
  }
  std::vector<TaskRow> Tasks() {
    TaskQuery q;
    q.page_size = 500;
    auto page = svc_->ListTasks(supervisor_, q);
    EXPECT_TRUE(page.ok()) << page.status().message();
    return page.ok() ? page->items : std::vector<TaskRow>{};
  }
  int64_t Audits(const std::string& event) {
    auto page = auth::QueryAudit(*db_, {"", event, "", 0, 0, 1, 50});
    EXPECT_TRUE(page.ok());
    return page.ok() ? page->total : -1;
  }
  io::Sheet Export(const auth::Actor& who) {
    auto sheet = svc_->ExportTasks(who, TaskQuery{});
    EXPECT_TRUE(sheet.ok()) << sheet.status().message();
    return sheet.ok() ? *sheet : io::Sheet{};
  }
  static std::string Show(const Status& s) {
    std::string out = s.message();
    for (const Detail& d : s.details()) out += "\n  " + d.field + "：" + d.reason;
    return out;
  }
};

TEST_P(TaskImportTest, NewRowsAreAssignedAsPostTasksAssignsThemWithCodesNotificationsAndAudit) {
  auto two = NewRow("协调解决卧龙区物流园用地问题");
  two["责任单位编码"] = "411303";
  two["协办单位编码"] = "D411300-FGW、T411302-02";
  two["来源"] = "会议议定";
  two["办结时限"] = "2026/12/31";
  two["办结时限理由"] = "涉及用地报批，须省厅审批";
  two["督办时限方案"] = "steps";
  auto r = svc_->ImportTasks(supervisor_, Sheet({NewRow(), two}), false);
  ASSERT_TRUE(r.ok()) << Show(r.status());
  EXPECT_EQ(r->rows, 2);
  EXPECT_EQ(r->inserted, 2);
  EXPECT_EQ(r->updated + r->unchanged, 0);
  auto tasks = Tasks();
  ASSERT_EQ(tasks.size(), 2u);
  std::map<std::string, TaskRow> by_title;
  for (const TaskRow& t : tasks) by_title[t.task.title] = t;
  const TaskRow& town = by_title.at("推进瓦店镇污水管网改造");
  const TaskRow& wolong = by_title.at("协调解决卧龙区物流园用地问题");
  EXPECT_EQ(town.task.code, "DB2026-0001");  // in the order of the rows
  EXPECT_EQ(wolong.task.code, "DB2026-0002");
  EXPECT_EQ(town.task.source, "instruction");
  EXPECT_EQ(town.task.description, "年底前完成主管网铺设");
  EXPECT_EQ(town.unit.code, "D411300-DCS");  // assigned by the importer's unit
  EXPECT_EQ(town.task.assigned_by, supervisor_.user_id);
  EXPECT_EQ(FormatIsoDate(*town.task.completion_due), "2026-12-04");
  EXPECT_EQ(wolong.task.source, "meeting");
  EXPECT_EQ(FormatIsoDate(*wolong.task.deadline), "2026-12-31");
  EXPECT_EQ(wolong.task.deadline_reason, "涉及用地报批，须省厅审批");
  ASSERT_EQ(wolong.co_units.size(), 2u);
  // The read model is set, the owner's and co-units' reporters are told, each task audited.
  EXPECT_EQ(town.task.light, kGreen);
  EXPECT_EQ(town.task.next_step, kReceipt);
  EXPECT_EQ(CountKind(reporter_town_, "assigned"), 2);  // owner of one, co-unit of the other
  EXPECT_EQ(CountKind(reporter_fgw_, "assigned"), 1);
  EXPECT_EQ(Audits("task.assign"), 2);
  EXPECT_EQ(Audits("task.import"), 1);
  auto verify = auth::VerifyAudit(*db_);
  ASSERT_TRUE(verify.ok());
  EXPECT_TRUE(verify->ok) << verify->reason;
  auto detail = svc_->GetTask(supervisor_, town.task.id);
  ASSERT_TRUE(detail.ok());
  ASSERT_FALSE(detail->events.empty());
  EXPECT_EQ(detail->events.front().event.kind, "assigned");
}

TEST_P(TaskImportTest, BadRowsWriteNothingAndEachBadCellIsNamedWithItsReason) {
  auto past = NewRow();
  past["办结时限"] = "2026-11-20";                   // H: before today
  auto units = NewRow();
  units["责任单位编码"] = "999999";                  // F: no such unit
  units["来源"] = "群众来信";                        // D: no such source
  auto co = NewRow();
  co["协办单位编码"] = "T411302-02";                 // G: the owner as a co-unit
  co["办结时限"] = "明年一月";                       // H: no date
  auto late = NewRow();
  late["办结时限"] = "2026-12-31";                   // I: later than 13710 without a reason
  auto cls = NewRow();
  cls["督办时限方案"] = "urgency";
  cls["紧急程度(工作日)"] = "5";                     // K: not one of 1, 3, 7, 10
  auto ctrl = NewRow(std::string("标题\x01含控制字符"));  // B
  const int64_t audits = Audits("");
  auto r = svc_->ImportTasks(supervisor_, Sheet({NewRow(), past, units, co, late, cls, ctrl}), false);
  ASSERT_EQ(r.status().code(), Code::kInvalidArgument);
  EXPECT_EQ(Fields(r.status()),
            (std::vector<std::string>{"第3行 H列（办结时限）", "第4行 D列（来源）", "第4行 F列（责任单位编码）",
                                      "第5行 G列（协办单位编码）", "第5行 H列（办结时限）", "第6行 I列（办结时限理由）",
                                      "第7行 K列（紧急程度(工作日)）", "第8行 B列（任务名称）"}))
      << Show(r.status());
  EXPECT_NE(Reason(r.status(), "第3行 H列（办结时限）").find("不能早于今天"), std::string::npos);
  EXPECT_NE(Reason(r.status(), "第4行 F列（责任单位编码）").find("999999"), std::string::npos);
  EXPECT_NE(Reason(r.status(), "第5行 G列（协办单位编码）").find("牵头单位不能同时是配合单位"), std::string::npos);
  EXPECT_NE(Reason(r.status(), "第5行 H列（办结时限）").find("明年一月"), std::string::npos);
  EXPECT_NE(r.status().message().find("未写入"), std::string::npos);
  EXPECT_TRUE(Tasks().empty());
  EXPECT_EQ(Audits(""), audits);
  EXPECT_TRUE(Inbox(reporter_town_).empty());
  // A header without a required column names the column.
  auto headless = svc_->ImportTasks(supervisor_, Sheet({NewRow()}, {"任务名称", "来源", "责任单位编码"}), false);
  ASSERT_EQ(headless.status().code(), Code::kInvalidArgument);
  EXPECT_EQ(Fields(headless.status()), std::vector<std::string>{"第1行（表头）"});
  EXPECT_NE(headless.status().details()[0].reason.find("办结时限"), std::string::npos);
}

TEST_P(TaskImportTest, ADryRunCountsButWritesNothing) {
  const int64_t audits = Audits("");
  auto r = svc_->ImportTasks(supervisor_, Sheet({NewRow(), NewRow("第二项任务")}), true);
  ASSERT_TRUE(r.ok()) << Show(r.status());
  EXPECT_EQ(r->inserted, 2);
  EXPECT_TRUE(Tasks().empty());
  EXPECT_EQ(Audits(""), audits);
  EXPECT_TRUE(Inbox(reporter_town_).empty());
}

TEST_P(TaskImportTest, TheExportImportsBackUnchangedWhateverStateTheTasksAreIn) {
  // An open task, one with co-units and a justified later deadline, one on the urgency
  // profile, one closed and one cancelled.
  auto with_co = Input("411303", "协调解决卧龙区物流园用地问题");
  with_co.co_units = {"D411300-FGW", "T411302-02"};
  with_co.deadline = "2026-12-31";
  with_co.deadline_reason = "涉及用地报批";
  with_co.description = "  前后有空格的内容\n第二行  ";
  auto urgent = Input("D411300-FGW", "=1+1 加急事项");
  urgent.profile = "urgency";
  urgent.completion_class = 3;
  for (const AssignInput& in : {Input("T411302-02"), with_co, urgent}) ASSERT_TRUE(svc_->Assign(supervisor_, in).ok());
  TaskDetail closed = Assign("T411302-02");
  ReportWithEvidence(closed.row.task.id, reporter_town_);
  ASSERT_TRUE(svc_->Accept(supervisor_, closed.row.task.id, "同意", Version(closed.row.task.id)).ok());
  TaskDetail cancelled = Assign("D411300-FGW");
  ASSERT_TRUE(svc_->Cancel(supervisor_, cancelled.row.task.id, "重复交办", Version(cancelled.row.task.id)).ok());
  clock_.Advance(3 * kDay);  // a light or two has changed since
  ASSERT_TRUE(svc_->Tick("test").ok());

  const auto before = Tasks();
  const int64_t audits = Audits("");
  const io::Sheet sheet = Export(supervisor_);
  ASSERT_EQ(sheet.rows.size(), 5u);
  for (bool dry : {true, false}) {
    auto r = svc_->ImportTasks(supervisor_, AsTable(sheet), dry);
    ASSERT_TRUE(r.ok()) << Show(r.status());
    EXPECT_EQ(r->rows, 5);
    EXPECT_EQ(r->unchanged, 5);
    EXPECT_EQ(r->inserted + r->updated, 0);
  }
  const auto after = Tasks();
  ASSERT_EQ(after.size(), before.size());
  for (size_t k = 0; k < after.size(); ++k) {
    EXPECT_EQ(after[k].task.code, before[k].task.code);
    EXPECT_EQ(after[k].task.version, before[k].task.version) << after[k].task.code;
    EXPECT_EQ(after[k].task.updated_at, before[k].task.updated_at) << after[k].task.code;
  }
  EXPECT_EQ(Audits(""), audits);
}

TEST_P(TaskImportTest, ANewDeadlineInTheSheetIsSetAsTheDeadlineRouteSetsItAndOtherChangesAreRefused) {
  TaskDetail open = Assign("T411302-02");
  TaskDetail closed = Assign("T411302-02");
  ReportWithEvidence(closed.row.task.id, reporter_town_);
  ASSERT_TRUE(svc_->Accept(supervisor_, closed.row.task.id, "", Version(closed.row.task.id)).ok());
  const io::Sheet sheet = Export(supervisor_);
  auto row_of = [&](const std::string& code) {
    for (size_t k = 0; k < sheet.rows.size(); ++k)
      if (sheet.rows[k][0] == code) return k;
    ADD_FAILURE() << code;
    return size_t{0};
  };
  const size_t o = row_of(open.row.task.code), c = row_of(closed.row.task.code);
  const int line = static_cast<int>(o) + 2, closed_line = static_cast<int>(c) + 2;
  auto with = [&](std::vector<std::tuple<size_t, int, std::string>> edits) {
    io::Sheet s = sheet;
    for (const auto& [row, col, value] : edits) s.rows[row][col] = value;
    return AsTable(s);
  };
  const std::string at = "第" + std::to_string(line) + "行 ";
  // Without a reason: refused on the reason's cell.
  auto no_reason = svc_->ImportTasks(supervisor_, with({{o, 7, "2026-12-31"}}), false);
  ASSERT_EQ(no_reason.status().code(), Code::kInvalidArgument);
  EXPECT_EQ(Fields(no_reason.status()), std::vector<std::string>{at + "I列（办结时限理由）"}) << Show(no_reason.status());
  // Beyond 180 days after the original: refused on the date.
  auto too_late = svc_->ImportTasks(supervisor_, with({{o, 7, "2027-12-31"}, {o, 8, "工程量大"}}), false);
  EXPECT_EQ(Fields(too_late.status()), std::vector<std::string>{at + "H列（办结时限）"}) << Show(too_late.status());
  // A title, an owner, a profile: nothing but the deadline of an assigned task is editable.
  auto edited = svc_->ImportTasks(supervisor_, with({{o, 1, "改过的任务名称"}, {o, 5, "411303"}, {o, 9, "urgency"}}), false);
  EXPECT_EQ(Fields(edited.status()),
            (std::vector<std::string>{at + "B列（任务名称）", at + "F列（责任单位编码）", at + "J列（督办时限方案）"}))
      << Show(edited.status());
  EXPECT_NE(Reason(edited.status(), at + "B列（任务名称）").find("任务交办后不能修改"), std::string::npos);
  // A closed task cannot change at all.
  auto on_closed = svc_->ImportTasks(supervisor_, with({{c, 7, "2026-12-31"}, {c, 8, "延期"}}), false);
  EXPECT_EQ(Fields(on_closed.status()),
            std::vector<std::string>{"第" + std::to_string(closed_line) + "行 H列（办结时限）"});
  EXPECT_NE(Reason(on_closed.status(), "第" + std::to_string(closed_line) + "行 H列（办结时限）").find("已办结"),
            std::string::npos);
  // 宛城区's supervisor sees the 瓦店镇 task but did not assign it: no new deadline from them.
  auto outsider = svc_->ImportTasks(supervisor_wancheng_, with({{o, 7, "2026-12-31"}, {o, 8, "理由"}}), false);
  EXPECT_EQ(Fields(outsider.status()), std::vector<std::string>{at + "H列（办结时限）"});
  EXPECT_NE(Reason(outsider.status(), at + "H列（办结时限）").find("只有交办单位的督查人员"), std::string::npos);
  // A code no task has.
  auto unknown = svc_->ImportTasks(supervisor_, with({{o, 0, "DB2026-9999"}}), false);
  EXPECT_EQ(Fields(unknown.status()), std::vector<std::string>{at + "A列（任务编号）"});
  EXPECT_NE(Reason(unknown.status(), at + "A列（任务编号）").find("没有编号为“DB2026-9999”的任务"), std::string::npos);
  EXPECT_EQ(Version(open.row.task.id), open.row.task.version) << "a refused import changed the task";

  // With a reason within the rule: that task only is updated, as POST /tasks/{id}/deadline does.
  const int64_t deadline_audits = Audits("task.deadline");
  auto r = svc_->ImportTasks(supervisor_, with({{o, 7, "2026-12-31"}, {o, 8, "涉及跨部门协调"}}), false);
  ASSERT_TRUE(r.ok()) << Show(r.status());
  EXPECT_EQ(r->updated, 1);
  EXPECT_EQ(r->unchanged, static_cast<int>(sheet.rows.size()) - 1);
  auto d = svc_->GetTask(supervisor_, open.row.task.id);
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(FormatIsoDate(*d->row.task.deadline), "2026-12-31");
  EXPECT_EQ(FormatIsoDate(*d->row.task.completion_due), "2026-12-31");
  EXPECT_EQ(d->row.task.deadline_reason, "涉及跨部门协调");
  EXPECT_EQ(d->row.task.version, open.row.task.version + 1);
  EXPECT_EQ(d->events.back().event.kind, "deadline");
  EXPECT_EQ(Audits("task.deadline"), deadline_audits + 1);
  EXPECT_EQ(CountKind(reporter_town_, "deadline"), 1);
  // The new export imports back unchanged.
  auto again = svc_->ImportTasks(supervisor_, AsTable(Export(supervisor_)), false);
  ASSERT_TRUE(again.ok()) << Show(again.status());
  EXPECT_EQ(again->unchanged, again->rows);
}

TEST_P(TaskImportTest, OnlyThoseWhoAssignTasksImportThemAndOnlyWithinTheirScope) {
  EXPECT_EQ(svc_->ImportTasks(reporter_town_, Sheet({NewRow()}), true).status().code(), Code::kPermissionDenied);
  EXPECT_EQ(svc_->ImportTasks(leader_, Sheet({NewRow()}), true).status().code(), Code::kPermissionDenied);
  EXPECT_EQ(svc_->TaskTemplate(reporter_town_).status().code(), Code::kPermissionDenied);
  // 宛城区's supervisor assigns to 瓦店镇, not to 卧龙区.
  auto wolong = NewRow();
  wolong["责任单位编码"] = "411303";
  auto r = svc_->ImportTasks(supervisor_wancheng_, Sheet({NewRow(), wolong}), false);
  ASSERT_EQ(r.status().code(), Code::kInvalidArgument);
  EXPECT_EQ(Fields(r.status()), std::vector<std::string>{"第3行 F列（责任单位编码）"});
  EXPECT_NE(r.status().details()[0].reason.find("不在您的管理范围内"), std::string::npos);
  EXPECT_TRUE(Tasks().empty());
}

TEST_P(TaskImportTest, TheTemplateHasTheImportColumnsADropDownOfSourcesAndAnExampleThatImports) {
  auto t = svc_->TaskTemplate(supervisor_);
  ASSERT_TRUE(t.ok()) << t.status().message();
  ASSERT_GE(t->columns.size(), kImportedColumns);
  EXPECT_EQ(t->columns[1].header, "任务名称");
  EXPECT_TRUE(t->columns[1].required);
  EXPECT_EQ(t->columns[3].choices, (std::vector<std::string>{"会议议定", "领导批示", "上级交办"}));
  EXPECT_EQ(t->columns[9].choices, (std::vector<std::string>{"steps", "urgency"}));
  for (const io::SheetColumn& c : t->columns) EXPECT_FALSE(c.note.empty()) << c.header;
  ASSERT_EQ(t->rows.size(), 1u);
  auto r = svc_->ImportTasks(supervisor_, AsTable(*t), true);
  ASSERT_TRUE(r.ok()) << Show(r.status());
  EXPECT_EQ(r->inserted, 1);
}

TEST(TaskSheetCells, UnitCodesSplitOnEveryUsualSeparatorAndDatesAcceptTheUsualForms) {
  EXPECT_EQ(SplitUnitCodes("411302、411303,T411302-02;D1，D2；D3  D4"),
            (std::vector<std::string>{"411302", "411303", "T411302-02", "D1", "D2", "D3", "D4"}));
  EXPECT_TRUE(SplitUnitCodes(" 、 ").empty());
  for (const char* text : {"2026-12-31", "2026/12/31", "2026.12.31", "2026-12-31 00:00:00"})
    EXPECT_EQ(FormatIsoDate(DateFromSheet(text).value_or(CivilDate{})), "2026-12-31") << text;
  EXPECT_EQ(FormatIsoDate(*DateFromSheet("2026-1-5")), "2026-01-05");
  for (const char* text : {"2026-02-30", "26-12-31", "2026-12", "2026-12/31", "明年", "46022", ""})
    EXPECT_FALSE(DateFromSheet(text)) << text;
  EXPECT_EQ(SourceFromSheet("上级交办"), "higher");
  EXPECT_EQ(SourceFromSheet("instruction"), "instruction");
  EXPECT_EQ(SourceFromSheet("群众来信"), "");
}

INSTANTIATE_TEST_SUITE_P(Databases, TaskImportTest, ::testing::ValuesIn(testing::DatabaseKinds()));

}  // namespace
}  // namespace tiaodu::supervision
