#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "../testing/databases.h"
#include "auth/audit.h"
#include "auth/crypto.h"
#include "base/period.h"
#include "io/xlsx.h"
#include "io/xlsx_writer.h"
#include "org/service.h"
#include "projects/service.h"
#include "projects/sheets.h"

namespace tiaodu::projects {
namespace {

// Specification of the monthly progress sheets (issue 7): ProjectService::ImportProgress,
// ProgressExportSheet and the month cells (MonthFromSheet), on both databases. Today is
// 2026-07-15 (Beijing time), so 2026-07 is the latest month a report may be for.
//
// The tree: 南阳市 411300 ─ 宛城区 411302, 卧龙区 411303. Projects: WL-001 and WL-002 of 卧龙区
// (total 12.5亿元, started 2025), WC-001 of 宛城区 (total 3亿元, started 2026).
class ProgressImportTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    ASSERT_TRUE(auth::InitCrypto());
    auto opened = db::Database::Open(testing::FreshDatabaseUrl(GetParam()));
    ASSERT_TRUE(opened.ok()) << opened.status().message();
    db_ = std::move(*opened);
    ASSERT_TRUE(db::Migrate(*db_, clock_.NowMillis()).ok());
    org::OrgService org(*db_, clock_);
    svc_ = std::make_unique<ProjectService>(*db_, clock_);
    system_.system = true;
    system_.username = "system";
    auto city = org.Create(system_, {"411300", "南阳市", "city", 0});
    ASSERT_TRUE(city.ok());
    auto wancheng = org.Create(system_, {"411302", "宛城区", "district", city->id});
    ASSERT_TRUE(org.Create(system_, {"411303", "卧龙区", "district", city->id}).ok());
    office_ = Person("project", "project_office", city->path);
    reporter_ = Person("reporter_wancheng", "reporter", wancheng->path);
    io::Table projects;
    projects.header = {"项目编码", "项目名称", "级别", "类别", "责任单位编码", "总投资(亿元)", "开工年份", "竣工年份"};
    projects.rows = {{2, {"WL-001", "卧龙区新材料产业园项目", "市级", "产业", "411303", "12.5", "2025", "2027"}},
                     {3, {"WL-002", "卧龙区物流园项目", "区级", "产业", "411303", "12.5", "2025", "2027"}},
                     {4, {"WC-001", "宛城区老旧小区改造工程", "区级", "城市更新", "411302", "3", "2026", "2026"}}};
    auto made = svc_->Import(office_, projects, false);
    ASSERT_TRUE(made.ok()) << made.status().message();
  }

  static int64_t MillisOf(CivilDate d) { return DaysFromCivil(d) * 86'400'000LL + 4 * 3'600'000LL; }
  static auth::Actor Person(std::string username, std::string role, std::string scope) {
    auth::Actor a;
    a.user_id = 7;
    a.username = std::move(username);
    a.role = std::move(role);
    a.unit_path = std::move(scope);
    return a;
  }

  // A progress sheet with the template's first five headers and these rows (line 2 on).
  static io::Table Sheet(const std::vector<std::vector<std::string>>& rows,
                         std::vector<std::string> header = {"项目编码", "项目名称", "月份", "本月完成投资(亿元)", "形象进度"}) {
    io::Table t;
    t.header = std::move(header);
    for (const auto& cells : rows) t.rows.push_back({static_cast<int>(t.rows.size()) + 2, cells});
    return t;
  }
  // Every report, as the list gives it (ordered by project code and month).
  std::vector<store::ProgressRow> Reports() {
    store::ProgressQuery q;
    q.page_size = 1000;
    auto page = svc_->ListProgress(system_, q, "");
    EXPECT_TRUE(page.ok()) << page.status().message();
    return page.ok() ? page->items : std::vector<store::ProgressRow>{};
  }
  int64_t ProjectId(const std::string& code) {
    for (const auto& r : Reports())
      if (r.project_code == code) return r.progress.project_id;
    store::ProjectQuery q;
    q.q = code;
    auto page = svc_->List(system_, q, "");
    return page.ok() && !page->items.empty() ? page->items[0].project.id : 0;
  }
  int64_t AuditCount(const std::string& event = "") {
    auto page = auth::QueryAudit(*db_, {"", event, "", 0, 0, 1, 50});
    return page.ok() ? page->total : -1;
  }
  // The audit records of exactly this event, newest first.
  std::vector<auth::AuditEntry> Audited(const std::string& event) {
    auto page = auth::QueryAudit(*db_, {"", event, "", 0, 0, 1, 500});
    std::vector<auth::AuditEntry> out;
    if (page.ok())
      for (auto& e : page->items)
        if (e.event == event) out.push_back(std::move(e));
    return out;
  }
  // The export as the file a user downloads, read back as an upload.
  io::Table ExportedFile(store::ProgressQuery q = {}) {
    auto sheet = svc_->ProgressExportSheet(office_, q, "");
    EXPECT_TRUE(sheet.ok()) << sheet.status().message();
    auto bytes = io::WriteXlsx({*sheet});
    EXPECT_TRUE(bytes.ok()) << bytes.status().message();
    auto table = io::ReadXlsx(*bytes);
    EXPECT_TRUE(table.ok()) << table.status().message();
    return *table;
  }
  static std::vector<std::string> Fields(const Status& s) {
    std::vector<std::string> out;
    for (const Detail& d : s.details()) out.push_back(d.field);
    return out;
  }
  static std::string Explain(const Status& s) {
    std::string out = s.message();
    for (const Detail& d : s.details()) out += "\n" + d.field + "：" + d.reason;
    return out;
  }

  FakeClock clock_{MillisOf(CivilDate{2026, 7, 15})};
  std::unique_ptr<db::Database> db_;
  std::unique_ptr<ProjectService> svc_;
  auth::Actor system_, office_, reporter_;
};

TEST_P(ProgressImportTest, NewMonthsAreReportedWithTheDerivedFiguresAndOneAuditRecordEachAsThePutWrites) {
  auto r = svc_->ImportProgress(office_, Sheet({{"WL-001", "", "2026-05", "1.5", "桩基完成"},
                                                {"WL-001", "", "2026-06", "2", "主体施工"},
                                                {"WL-001", "", "2025-12", "0.5", ""},
                                                {"WC-001", "", "2026-06", "0.25", "开工"}}),
                                false);
  ASSERT_TRUE(r.ok()) << Explain(r.status());
  EXPECT_EQ(r->rows, 4);
  EXPECT_EQ(r->inserted, 4);
  EXPECT_EQ(r->updated + r->unchanged, 0);
  const auto reports = Reports();
  ASSERT_EQ(reports.size(), 4u);
  EXPECT_EQ(reports[0].project_code, "WC-001");
  const store::ProgressRow& june = reports[3];
  EXPECT_EQ(june.project_code, "WL-001");
  EXPECT_EQ(june.progress.month, "2026-06");
  EXPECT_EQ(june.progress.narrative, "主体施工");
  EXPECT_EQ(june.progress.reported_by, 7);
  EXPECT_EQ(june.ytd.ToString(), "3.5");         // 2026-05 and 2026-06
  EXPECT_EQ(june.cumulative.ToString(), "4");    // and 2025-12
  // The project's read model follows, as after PUT /projects/{id}/progress.
  auto detail = svc_->Get(office_, june.progress.project_id, 2026);
  ASSERT_TRUE(detail.ok());
  EXPECT_EQ(detail->row.year.ytd.ToString(), "3.5");
  EXPECT_EQ(detail->row.year.cumulative.ToString(), "4");
  // One "project.progress" per report (before empty, after the month), one for the import.
  const auto audit = Audited("project.progress");
  ASSERT_EQ(audit.size(), 4u);
  EXPECT_EQ(audit[0].object_type, "project");
  EXPECT_EQ(audit[0].object_id, std::to_string(reports[0].progress.project_id));  // WC-001, the last row
  EXPECT_TRUE(audit[0].before_json.empty());
  EXPECT_NE(audit[0].after_json.find("\"amount\":\"0.25\""), std::string::npos) << audit[0].after_json;
  EXPECT_EQ(Audited("project.progress_import").size(), 1u);
  auto verify = auth::VerifyAudit(*db_);
  ASSERT_TRUE(verify.ok());
  EXPECT_TRUE(verify->ok) << verify->reason;
}

TEST_P(ProgressImportTest, AChangedRowUpdatesThatReportWithItsAuditAndAnIdenticalRowWritesNothing) {
  const int64_t wl1 = ProjectId("WL-001");
  ASSERT_TRUE(svc_->ReportProgress(office_, wl1, "2026-05", "1.5", "桩基完成", std::nullopt).ok());
  ASSERT_TRUE(svc_->ReportProgress(office_, wl1, "2026-06", "2", "主体施工", std::nullopt).ok());
  const int64_t audit_before = AuditCount();
  auto r = svc_->ImportProgress(office_, Sheet({{"WL-001", "", "2026-05", "1.5", "桩基完成"},
                                                {"WL-001", "", "2026-06", "2.75", "主体封顶"}}),
                                false);
  ASSERT_TRUE(r.ok()) << Explain(r.status());
  EXPECT_EQ(r->updated, 1);
  EXPECT_EQ(r->unchanged, 1);
  EXPECT_EQ(r->inserted, 0);
  const auto reports = Reports();
  EXPECT_EQ(reports[0].progress.version, 1);
  EXPECT_EQ(reports[1].progress.version, 2);
  EXPECT_EQ(reports[1].progress.amount.ToString(), "2.75");
  EXPECT_EQ(reports[1].progress.narrative, "主体封顶");
  EXPECT_EQ(reports[1].ytd.ToString(), "4.25");
  EXPECT_EQ(AuditCount(), audit_before + 2);  // the changed report and the import
  const auto audit = Audited("project.progress");
  ASSERT_EQ(audit.size(), 3u);
  EXPECT_NE(audit[0].before_json.find("\"amount\":\"2\""), std::string::npos) << audit[0].before_json;
  EXPECT_NE(audit[0].after_json.find("主体封顶"), std::string::npos);
  // Without a 形象进度 column the narrative is kept; the same amount is then no change at all.
  auto kept = svc_->ImportProgress(office_, Sheet({{"WL-001", "", "2026-06", "2.75"}},
                                                  {"项目编码", "项目名称", "月份", "本月完成投资(亿元)"}),
                                   false);
  ASSERT_TRUE(kept.ok()) << Explain(kept.status());
  EXPECT_EQ(kept->unchanged, 1);
  EXPECT_EQ(AuditCount(), audit_before + 2);
}

TEST_P(ProgressImportTest, ReimportingTheExportChangesNothingAndMonthsMayBeDatesOrChinese) {
  ASSERT_TRUE(svc_->ImportProgress(office_, Sheet({{"WL-001", "", "2025-12", "0.5", "=1+1"},
                                                   {"WL-001", "", "2026-06", "2", "主体施工\n二层"},
                                                   {"WL-002", "", "2026-01", "0.0001", ""},
                                                   {"WC-001", "", "2026-06", "0.25", "开工"}}),
                                   false).ok());
  const auto before = Reports();
  const int64_t audit_before = AuditCount();
  for (bool dry : {true, false}) {
    auto again = svc_->ImportProgress(office_, ExportedFile(), dry);
    ASSERT_TRUE(again.ok()) << Explain(again.status());
    EXPECT_EQ(again->rows, 4);
    EXPECT_EQ(again->unchanged, 4);
    EXPECT_EQ(again->inserted + again->updated, 0);
  }
  EXPECT_EQ(AuditCount(), audit_before);  // nothing changed, nothing audited
  const auto after = Reports();
  ASSERT_EQ(after.size(), before.size());
  for (size_t k = 0; k < after.size(); ++k) {
    EXPECT_EQ(after[k].progress.version, before[k].progress.version);
    EXPECT_EQ(after[k].progress.reported_at, before[k].progress.reported_at);
  }
  EXPECT_EQ(after[1].progress.narrative, "=1+1");  // text, never a formula
  // A date cell (as a reader gives it) or "2026年6月" names the same month.
  auto same = svc_->ImportProgress(office_, Sheet({{"WL-001", "", "2026-06-01", "2", "主体施工\n二层"},
                                                   {"WC-001", "", "2026年6月", "0.25", "开工"}}),
                                   false);
  ASSERT_TRUE(same.ok()) << Explain(same.status());
  EXPECT_EQ(same->unchanged, 2);
  // The export of one year holds its months only, with the figures the list shows.
  store::ProgressQuery y2026;
  y2026.from_month = "2026-01";
  y2026.to_month = "2026-12";
  const io::Table file = ExportedFile(y2026);
  ASSERT_EQ(file.rows.size(), 3u);
  EXPECT_EQ(file.header[0], "*项目编码");
  EXPECT_EQ(io::Table::Cell(file.rows[1], 1), "卧龙区新材料产业园项目");
  EXPECT_EQ(io::Table::Cell(file.rows[1], file.Column({progress_header::kCumulative})), "2.5");
  EXPECT_EQ(io::Table::Cell(file.rows[1], file.Column({progress_header::kUnit})), "卧龙区");
}

TEST_P(ProgressImportTest, EveryBadCellIsNamedWithItsReasonAndNothingIsWritten) {
  const int64_t audit_before = AuditCount();
  auto r = svc_->ImportProgress(office_, Sheet({{"WL-001", "", "2026-06", "2", ""},
                                                {"WL-001", "", "2026-08", "-1", ""},       // 3: C future, D negative
                                                {"WL-002", "", "六月", "2亿", ""},          // 4: C, D as typed
                                                {"WC-001", "", "2026-05", "30", ""},       // 5: D over the total
                                                {"WC-001", "", "2025-12", "1", ""},        // 6: C before the start
                                                {"XX-404", "", "2026-06", "1", ""},        // 7: A no such project
                                                {"WL-001", "", "2026年6月", "3", ""},      // 8: C the same as row 2
                                                {"", "", "", "", "只有进展"}}),              // 9: A, C, D missing
                                false);
  ASSERT_EQ(r.status().code(), Code::kInvalidArgument);
  EXPECT_EQ(Fields(r.status()),
            (std::vector<std::string>{"第3行 C列（月份）", "第3行 D列（本月完成投资）", "第4行 C列（月份）",
                                      "第4行 D列（本月完成投资）", "第5行 D列（本月完成投资）", "第6行 C列（月份）",
                                      "第7行 A列（项目编码）", "第8行 C列（月份）", "第9行 A列（项目编码）",
                                      "第9行 C列（月份）", "第9行 D列（本月完成投资）"}));
  const auto& d = r.status().details();
  EXPECT_NE(d[0].reason.find("未来月份"), std::string::npos) << d[0].reason;
  EXPECT_NE(d[2].reason.find("六月"), std::string::npos) << d[2].reason;
  EXPECT_NE(d[3].reason.find("2亿"), std::string::npos) << d[3].reason;
  EXPECT_NE(d[4].reason.find("总投资"), std::string::npos) << d[4].reason;
  EXPECT_NE(d[6].reason.find("XX-404"), std::string::npos) << d[6].reason;
  EXPECT_NE(d[7].reason.find("第2行"), std::string::npos) << d[7].reason;  // both rows named
  EXPECT_NE(r.status().message().find("未写入"), std::string::npos);
  EXPECT_TRUE(Reports().empty());
  EXPECT_EQ(AuditCount(), audit_before);
  // A sheet without a required column names the header.
  auto headless = svc_->ImportProgress(office_, Sheet({{"WL-001", "2026-06"}}, {"项目编码", "月份"}), false);
  ASSERT_EQ(headless.status().code(), Code::kInvalidArgument);
  EXPECT_EQ(Fields(headless.status()), std::vector<std::string>{"第1行（表头）"});
}

TEST_P(ProgressImportTest, AReporterReportsForProjectsInScopeOnlyAndOtherRolesNotAtAll) {
  auto outside = svc_->ImportProgress(reporter_, Sheet({{"WC-001", "", "2026-06", "0.25", ""},
                                                        {"WL-001", "", "2026-06", "1", ""}}),
                                      false);
  ASSERT_EQ(outside.status().code(), Code::kInvalidArgument);
  EXPECT_EQ(Fields(outside.status()), std::vector<std::string>{"第3行 A列（项目编码）"});
  EXPECT_NE(outside.status().details()[0].reason.find("管理范围"), std::string::npos);
  EXPECT_TRUE(Reports().empty());
  auto own = svc_->ImportProgress(reporter_, Sheet({{"WC-001", "", "2026-06", "0.25", ""}}), false);
  ASSERT_TRUE(own.ok()) << Explain(own.status());
  EXPECT_EQ(own->inserted, 1);
  // Neither project.report nor project.write: refused before the file is read.
  for (const char* role : {"leader", "statistician"}) {
    auto denied = svc_->ImportProgress(Person("x", role, "/"), Sheet({{"WC-001", "", "2026-06", "1", ""}}), false);
    EXPECT_EQ(denied.status().code(), Code::kPermissionDenied) << role;
  }
  // The reporter's export holds the reports of their scope only.
  auto mine = svc_->ListProgress(reporter_, {}, "");
  ASSERT_TRUE(mine.ok());
  EXPECT_EQ(mine->total, 1);
}

TEST_P(ProgressImportTest, AReportChangedSinceTheExportOrOfAnArchivedProjectIsRefused) {
  const int64_t wl1 = ProjectId("WL-001"), wl2 = ProjectId("WL-002");
  ASSERT_TRUE(svc_->ReportProgress(office_, wl1, "2026-06", "2", "主体施工", std::nullopt).ok());
  ASSERT_TRUE(svc_->ReportProgress(office_, wl2, "2026-06", "1", "", std::nullopt).ok());
  io::Table file = ExportedFile();
  ASSERT_EQ(file.rows.size(), 2u);
  // Someone else corrects WL-001's June after the export; the file's older figure would undo it.
  ASSERT_TRUE(svc_->ReportProgress(office_, wl1, "2026-06", "2.5", "主体施工", 1).ok());
  file.rows[0].cells[3] = "2.2";
  auto stale = svc_->ImportProgress(office_, file, false);
  ASSERT_EQ(stale.status().code(), Code::kInvalidArgument);
  EXPECT_EQ(Fields(stale.status()), std::vector<std::string>{"第2行 K列（版本）"});
  EXPECT_NE(stale.status().details()[0].reason.find("重新导出"), std::string::npos);
  EXPECT_EQ(Reports()[0].progress.amount.ToString(), "2.5");
  // An archived project's reports stay as they are: an unchanged row passes, a change does not.
  auto d = svc_->Get(office_, wl2, 2026);
  ASSERT_TRUE(svc_->SetArchived(office_, wl2, true, d->row.project.version).ok());
  auto archived = svc_->ImportProgress(office_, Sheet({{"WL-002", "", "2026-06", "1", ""}}), false);
  ASSERT_TRUE(archived.ok()) << Explain(archived.status());
  EXPECT_EQ(archived->unchanged, 1);
  auto changed = svc_->ImportProgress(office_, Sheet({{"WL-002", "", "2026-06", "1.5", ""}}), false);
  ASSERT_EQ(changed.status().code(), Code::kInvalidArgument);
  EXPECT_NE(changed.status().details()[0].reason.find("已归档"), std::string::npos);
}

TEST_P(ProgressImportTest, ADryRunCountsButWritesNothing) {
  const int64_t audit_before = AuditCount();
  auto r = svc_->ImportProgress(office_, Sheet({{"WL-001", "", "2026-06", "2", ""}}), true);
  ASSERT_TRUE(r.ok()) << Explain(r.status());
  EXPECT_EQ(r->inserted, 1);
  EXPECT_TRUE(Reports().empty());
  EXPECT_EQ(AuditCount(), audit_before);
}

INSTANTIATE_TEST_SUITE_P(Databases, ProgressImportTest, ::testing::ValuesIn(testing::DatabaseKinds()));

TEST(MonthFromSheet, ReadsTheWaysAMonthIsTypedAndRefusesTheRest) {
  for (const char* t : {"2026-06", "2026-6", "2026/06", "2026.6", "2026年6月", "2026年06月", "202606", "2026-06-01",
                        "2026-06-30", "2026/6/30", "2026年6月30日", "2026-06-01 00:00:00"})
    EXPECT_EQ(MonthFromSheet(t), "2026-06") << t;
  for (const char* t : {"", "六月", "2026", "2026-13", "2026-00", "2026-06-31", "2026-06-01 08:30:00", "26-06",
                        "2026-06x", "2026年6月5", "202613", "0026-06"})
    EXPECT_EQ(MonthFromSheet(t), "") << t;
}

}  // namespace
}  // namespace tiaodu::projects
