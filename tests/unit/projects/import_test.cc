#include <gtest/gtest.h>

#include <map>
#include <string>
#include <vector>

#include "../testing/databases.h"
#include "auth/audit.h"
#include "auth/crypto.h"
#include "auth/service.h"
#include "base/period.h"
#include "io/xlsx.h"
#include "io/xlsx_writer.h"
#include "org/service.h"
#include "projects/service.h"
#include "projects/sheets.h"

namespace tiaodu::projects {
namespace {

// Specification of ProjectService::Import / ExportSheet (issue 7), on both databases. Today is
// 2026-07-15 (Beijing time).
//
// The tree: 南阳市 411300 ─ 宛城区 411302
//                        └ 卧龙区 411303
//                        └ 重大项目专班 ZB-01 (task force)
// Leaders: 王市长 (wang), two 李区长 (li_a, li_b: the same display name), and 赵局长 (zhao,
// disabled).
class ProjectImportTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    ASSERT_TRUE(auth::InitCrypto());
    auto opened = db::Database::Open(testing::FreshDatabaseUrl(GetParam()));
    ASSERT_TRUE(opened.ok()) << opened.status().message();
    db_ = std::move(*opened);
    ASSERT_TRUE(db::Migrate(*db_, clock_.NowMillis()).ok());
    org_ = std::make_unique<org::OrgService>(*db_, clock_);
    auth_ = std::make_unique<auth::AuthService>(*db_, clock_);
    svc_ = std::make_unique<ProjectService>(*db_, clock_);
    system_.system = true;
    system_.username = "system";
    city_ = Unit({"411300", "南阳市", "city", 0});
    wancheng_ = Unit({"411302", "宛城区", "district", city_.id});
    wolong_ = Unit({"411303", "卧龙区", "district", city_.id});
    task_force_ = Unit({"ZB-01", "重大项目专班", "task_force", city_.id});
    wang_ = User("wang", "王市长", city_);
    li_a_ = User("li_a", "李区长", wancheng_);
    li_b_ = User("li_b", "李区长", wolong_);
    int64_t zhao = User("zhao", "赵局长", city_);
    auto disabled = auth_->SetDisabled(system_, zhao, true, 1);
    ASSERT_TRUE(disabled.ok()) << disabled.status().message();
    office_ = Actor("project", city_, city_.path);
    wolong_office_ = Actor("project_wolong", wolong_, wolong_.path);
  }

  static int64_t MillisOf(CivilDate d) { return DaysFromCivil(d) * 86'400'000LL + 4 * 3'600'000LL; }

  org::Unit Unit(const org::NewUnit& n) {
    auto u = org_->Create(system_, n);
    EXPECT_TRUE(u.ok()) << u.status().message();
    return u.ok() ? *u : org::Unit{};
  }
  int64_t User(const std::string& username, const std::string& name, const org::Unit& unit) {
    auto u = auth_->EnsureUser(system_, {username, name, "leader", unit.id, "Leader#2024pass"});
    EXPECT_TRUE(u.ok()) << u.status().message();
    return u.ok() ? u->first.id : 0;
  }
  static auth::Actor Actor(std::string name, const org::Unit& unit, std::string scope) {
    auth::Actor a;
    a.user_id = 7;
    a.username = name;
    a.role = "project_office";
    a.unit_id = unit.id;
    a.unit_path = scope;
    return a;
  }

  // A sheet with the template's headers and these rows (cells by header name; the rest empty).
  static io::Table Sheet(const std::vector<std::map<std::string, std::string>>& rows,
                         std::vector<std::string> header = {}) {
    if (header.empty())
      header = {"项目编码", "项目名称", "级别", "类别", "行业代码", "产业链", "责任单位编码", "责任单位名称",
                "联系领导", "专班编码", "建设地点", "总投资(亿元)", "开工年份", "竣工年份", "承诺完工日期",
                "2026年计划投资(亿元)", "2027年计划投资(亿元)", "阶段", "状态"};
    io::Table t;
    t.header = header;
    int line = 1;
    for (const auto& cells : rows) {
      io::Row r;
      r.line = ++line;
      for (const std::string& h : header) {
        auto it = cells.find(h);
        r.cells.push_back(it == cells.end() ? "" : it->second);
      }
      t.rows.push_back(r);
    }
    return t;
  }
  static std::map<std::string, std::string> Row(const std::string& code, const std::string& unit = "411303") {
    return {{"项目编码", code},         {"项目名称", "卧龙区" + code + "新材料产业园项目"},
            {"级别", "市级"},           {"类别", "产业"},
            {"行业代码", "C39"},        {"产业链", "新材料"},
            {"责任单位编码", unit},     {"联系领导", "王市长"},
            {"专班编码", "ZB-01"},      {"建设地点", "卧龙区光武路"},
            {"总投资(亿元)", "12.5"},   {"开工年份", "2026"},
            {"竣工年份", "2027"},       {"承诺完工日期", "2027-12-31"},
            {"2026年计划投资(亿元)", "4"}, {"2027年计划投资(亿元)", "6.25"}};
  }

  std::vector<store::ProjectRow> All() {
    store::ProjectQuery q;
    q.page_size = 1000;
    q.include_archived = true;
    auto page = svc_->List(system_, q, "");
    EXPECT_TRUE(page.ok());
    return page.ok() ? page->items : std::vector<store::ProjectRow>{};
  }
  int64_t AuditCount() {
    auto page = auth::QueryAudit(*db_, {});
    return page.ok() ? page->total : -1;
  }
  // The export as the file a user downloads, read back as an upload.
  io::Table ExportedFile(const auth::Actor& actor) {
    auto sheet = svc_->ExportSheet(actor, {}, "");
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

  FakeClock clock_{MillisOf(CivilDate{2026, 7, 15})};
  std::unique_ptr<db::Database> db_;
  std::unique_ptr<org::OrgService> org_;
  std::unique_ptr<auth::AuthService> auth_;
  std::unique_ptr<ProjectService> svc_;
  auth::Actor system_, office_, wolong_office_;
  org::Unit city_, wancheng_, wolong_, task_force_;
  int64_t wang_ = 0, li_a_ = 0, li_b_ = 0;
};

TEST_P(ProjectImportTest, NewCodesCreateProjectsWithEveryFieldResolvedAndAudited) {
  auto r = svc_->Import(office_, Sheet({Row("WL-001"), Row("WL-002", "411302")}), false);
  ASSERT_TRUE(r.ok()) << r.status().message() << " " << (r.status().details().empty() ? "" : r.status().details()[0].field + r.status().details()[0].reason);
  EXPECT_EQ(r->rows, 2);
  EXPECT_EQ(r->inserted, 2);
  EXPECT_EQ(r->updated + r->unchanged, 0);
  auto rows = All();
  ASSERT_EQ(rows.size(), 2u);
  const store::ProjectRow& p = rows[0];
  EXPECT_EQ(p.project.code, "WL-001");
  EXPECT_EQ(p.project.level, "city");
  EXPECT_EQ(p.project.category, "industry");
  EXPECT_EQ(p.unit_code, "411303");
  EXPECT_EQ(rows[1].unit_code, "411302");
  EXPECT_EQ(p.project.leader_id, std::optional<int64_t>(wang_));
  EXPECT_EQ(p.task_force_code, "ZB-01");
  EXPECT_EQ(p.project.total_investment.ToString(), "12.5");
  EXPECT_EQ(FormatIsoDate(*p.project.committed_completion), "2027-12-31");
  EXPECT_EQ(p.project.annual_plans.at(2027).ToString(), "6.25");
  EXPECT_EQ(p.project.stage, "planning");
  // The read model: this year's plan and a status.
  EXPECT_EQ(p.year.year, 2026);
  ASSERT_TRUE(p.year.plan.has_value());
  EXPECT_EQ(p.year.plan->ToString(), "4");
  EXPECT_FALSE(p.year.status.empty());
  // One audit record per project as Create writes it, one for the import; the chain holds.
  auto created = auth::QueryAudit(*db_, {"", "project.create", "", 0, 0, 1, 50});
  ASSERT_TRUE(created.ok());
  EXPECT_EQ(created->total, 2);
  EXPECT_NE(created->items[0].after_json.find("WL-00"), std::string::npos);
  auto imported = auth::QueryAudit(*db_, {"", "project.import", "", 0, 0, 1, 50});
  EXPECT_EQ(imported->total, 1);
  auto verify = auth::VerifyAudit(*db_);
  ASSERT_TRUE(verify.ok());
  EXPECT_TRUE(verify->ok) << verify->reason;
}

TEST_P(ProjectImportTest, OneBadRowWritesNothingAndEveryBadCellIsNamedWithItsReason) {
  auto bad = Row("WL-002");
  bad["责任单位编码"] = "999999";         // G: no such unit
  bad["总投资(亿元)"] = "十二亿";          // L: not a number
  bad["级别"] = "国家级";                 // C: no such level
  bad["联系领导"] = "赵局长";             // I: disabled
  auto dup = Row("WL-001");               // a second WL-001
  auto years = Row("WL-003");
  years["竣工年份"] = "2020";             // N: before the start
  const int64_t audit_before = AuditCount();
  auto r = svc_->Import(office_, Sheet({Row("WL-001"), bad, dup, years}), false);
  ASSERT_EQ(r.status().code(), Code::kInvalidArgument);
  EXPECT_EQ(Fields(r.status()),
            (std::vector<std::string>{"第3行 C列（级别）", "第3行 G列（责任单位编码）", "第3行 I列（联系领导）",
                                      "第3行 L列（总投资）", "第4行 A列（项目编码）", "第5行 N列（竣工年份）"}));
  const auto& d = r.status().details();
  EXPECT_NE(d[1].reason.find("999999"), std::string::npos) << d[1].reason;
  EXPECT_NE(d[3].reason.find("十二亿"), std::string::npos) << d[3].reason;
  EXPECT_NE(d[4].reason.find("第2行"), std::string::npos) << d[4].reason;
  EXPECT_NE(r.status().message().find("未写入"), std::string::npos);
  EXPECT_TRUE(All().empty());
  EXPECT_EQ(AuditCount(), audit_before);
  // A header without a required column names the column.
  auto headless = svc_->Import(office_, Sheet({{{"项目编码", "WL-009"}}}, {"项目编码", "项目名称"}), false);
  ASSERT_EQ(headless.status().code(), Code::kInvalidArgument);
  EXPECT_EQ(headless.status().details()[0].field, "第1行（表头）");
}

TEST_P(ProjectImportTest, ReimportingTheExportChangesNothing) {
  ASSERT_TRUE(svc_->Import(office_, Sheet({Row("WL-001"), Row("WL-002", "411302"), Row("WL-003")}), false).ok());
  // A plan outside the sheet's usual years, an empty optional field: both survive the file.
  auto sheet = Sheet({[&] {
    auto r = Row("WL-004");
    r["2026年计划投资(亿元)"] = "";
    r["联系领导"] = "李区长（li_b）";
    r["专班编码"] = "";
    r["承诺完工日期"] = "";
    r["建设地点"] = "=HYPERLINK(\"x\")";  // text, never a formula
    return r;
  }()});
  ASSERT_TRUE(svc_->Import(office_, sheet, false).ok());
  const auto before = All();
  const int64_t audit_before = AuditCount();
  auto again = svc_->Import(office_, ExportedFile(office_), false);
  ASSERT_TRUE(again.ok()) << again.status().message() << " "
                          << (again.status().details().empty() ? "" : again.status().details()[0].field + again.status().details()[0].reason);
  EXPECT_EQ(again->rows, 4);
  EXPECT_EQ(again->unchanged, 4);
  EXPECT_EQ(again->inserted + again->updated, 0);
  EXPECT_EQ(AuditCount(), audit_before);  // nothing changed, nothing audited
  const auto after = All();
  ASSERT_EQ(after.size(), before.size());
  for (size_t k = 0; k < after.size(); ++k) EXPECT_EQ(after[k].project.version, before[k].project.version);
  EXPECT_EQ(after[3].project.leader_id, std::optional<int64_t>(li_b_));
  EXPECT_EQ(after[3].project.location, "=HYPERLINK(\"x\")");
  EXPECT_FALSE(after[3].project.committed_completion.has_value());
  EXPECT_EQ(after[3].project.annual_plans.count(2026), 0u);
}

TEST_P(ProjectImportTest, AChangedCellUpdatesThatProjectOnlyWithItsAuditAndFigures) {
  ASSERT_TRUE(svc_->Import(office_, Sheet({Row("WL-001"), Row("WL-002")}), false).ok());
  const auto before = All();
  auto changed = Row("WL-002");
  changed["项目名称"] = "卧龙区新能源电池材料产业园项目";
  changed["2026年计划投资(亿元)"] = "5";
  changed["联系领导"] = "";  // cleared
  auto r = svc_->Import(office_, Sheet({Row("WL-001"), changed}), false);
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ(r->updated, 1);
  EXPECT_EQ(r->unchanged, 1);
  const auto after = All();
  EXPECT_EQ(after[0].project.version, before[0].project.version);
  EXPECT_EQ(after[1].project.version, before[1].project.version + 1);
  EXPECT_EQ(after[1].project.name, "卧龙区新能源电池材料产业园项目");
  EXPECT_FALSE(after[1].project.leader_id.has_value());
  EXPECT_EQ(after[1].year.plan->ToString(), "5");  // the read model follows
  auto updates = auth::QueryAudit(*db_, {"", "project.update", "", 0, 0, 1, 50});
  ASSERT_EQ(updates->total, 1);
  EXPECT_NE(updates->items[0].before_json.find("WL-002"), std::string::npos);
  EXPECT_NE(updates->items[0].after_json.find("新能源电池"), std::string::npos);
  // Columns a sheet does not have keep their values.
  auto slim = Sheet({{{"项目编码", "WL-001"}, {"项目名称", "卧龙区WL-001新材料产业园项目"}, {"级别", "省级"},
                      {"类别", "产业"}, {"责任单位编码", "411303"}, {"总投资(亿元)", "12.5"}, {"开工年份", "2026"},
                      {"竣工年份", "2027"}}},
                    {"项目编码", "项目名称", "级别", "类别", "责任单位编码", "总投资(亿元)", "开工年份", "竣工年份"});
  r = svc_->Import(office_, slim, false);
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ(r->updated, 1);
  const auto slimmed = All();
  EXPECT_EQ(slimmed[0].project.level, "province");
  EXPECT_EQ(slimmed[0].project.leader_id, std::optional<int64_t>(wang_));
  EXPECT_EQ(slimmed[0].task_force_code, "ZB-01");
  EXPECT_EQ(slimmed[0].project.annual_plans.size(), 2u);
  EXPECT_TRUE(auth::VerifyAudit(*db_)->ok);
}

TEST_P(ProjectImportTest, UnitsAndProjectsOutsideTheScopeAreRefused) {
  ASSERT_TRUE(svc_->Import(office_, Sheet({Row("WC-001", "411302")}), false).ok());
  // 卧龙区's office: a new project of 宛城区, and 宛城区's existing project, are both refused.
  auto r = svc_->Import(wolong_office_, Sheet({Row("WL-001"), Row("WL-002", "411302"), Row("WC-001")}), false);
  ASSERT_EQ(r.status().code(), Code::kInvalidArgument);
  EXPECT_EQ(Fields(r.status()), (std::vector<std::string>{"第3行 G列（责任单位编码）", "第4行 A列（项目编码）"}));
  EXPECT_EQ(All().size(), 1u);
  EXPECT_EQ(All()[0].unit_code, "411302");
  // Without project.write: refused before reading anything.
  auth::Actor reporter = wolong_office_;
  reporter.role = "reporter";
  EXPECT_EQ(svc_->Import(reporter, Sheet({Row("WL-001")}), false).status().code(), Code::kPermissionDenied);
}

TEST_P(ProjectImportTest, LeadersAreFoundByNameOrUsernameAndAnAmbiguousNameIsRefused) {
  auto by_name = Row("WL-001");
  by_name["联系领导"] = "李区长";
  auto r = svc_->Import(office_, Sheet({by_name}), false);
  ASSERT_EQ(r.status().code(), Code::kInvalidArgument);
  EXPECT_EQ(Fields(r.status()), std::vector<std::string>{"第2行 I列（联系领导）"});
  EXPECT_NE(r.status().details()[0].reason.find("姓名（用户名）"), std::string::npos);
  by_name["联系领导"] = "李区长(li_a)";
  auto by_user = Row("WL-002");
  by_user["联系领导"] = "wang";
  ASSERT_TRUE(svc_->Import(office_, Sheet({by_name, by_user}), false).ok());
  auto rows = All();
  EXPECT_EQ(rows[0].project.leader_id, std::optional<int64_t>(li_a_));
  EXPECT_EQ(rows[1].project.leader_id, std::optional<int64_t>(wang_));
  // The export names the namesakes unambiguously, so the file goes back in unchanged.
  auto sheet = svc_->ExportSheet(office_, {}, "");
  ASSERT_TRUE(sheet.ok());
  EXPECT_EQ(sheet->rows[0][8], "李区长（li_a）");
  EXPECT_EQ(sheet->rows[1][8], "王市长");
  EXPECT_EQ(svc_->Import(office_, ExportedFile(office_), false)->unchanged, 2);
}

TEST_P(ProjectImportTest, AProjectKeepsALeaderWhoseAccountWasDisabledButNoNewProjectGetsOne) {
  auto qian = auth_->EnsureUser(system_, {"qian", "钱主任", "leader", city_.id, "Leader#2024pass"});
  ASSERT_TRUE(qian.ok());
  auto row = Row("WL-001");
  row["联系领导"] = "钱主任";
  ASSERT_TRUE(svc_->Import(office_, Sheet({row}), false).ok());
  ASSERT_TRUE(auth_->SetDisabled(system_, qian->first.id, true, qian->first.version).ok());
  auto again = svc_->Import(office_, ExportedFile(office_), false);
  ASSERT_TRUE(again.ok()) << again.status().message();
  EXPECT_EQ(again->unchanged, 1);
  auto other = Row("WL-002");
  other["联系领导"] = "钱主任";
  auto r = svc_->Import(office_, Sheet({row, other}), false);
  ASSERT_EQ(r.status().code(), Code::kInvalidArgument);
  EXPECT_EQ(Fields(r.status()), std::vector<std::string>{"第3行 I列（联系领导）"});
  EXPECT_NE(r.status().details()[0].reason.find("停用"), std::string::npos);
}

TEST_P(ProjectImportTest, ADryRunCountsButWritesNothing) {
  const int64_t audit_before = AuditCount();
  auto r = svc_->Import(office_, Sheet({Row("WL-001"), Row("WL-002")}), true);
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ(r->inserted, 2);
  EXPECT_TRUE(All().empty());
  EXPECT_EQ(AuditCount(), audit_before);
}

TEST_P(ProjectImportTest, TheExportIsTheImportLayoutWithAPlanColumnPerYear) {
  auto later = Row("WL-002");
  later["开工年份"] = "2027";
  later["竣工年份"] = "2029";
  later["2026年计划投资(亿元)"] = "";
  later["承诺完工日期"] = "2029-06-30";
  io::Table t = Sheet({Row("WL-001"), later});
  t.header.push_back("2029年计划投资(亿元)");
  t.rows[1].cells.push_back("3");
  ASSERT_TRUE(svc_->Import(office_, t, false).ok());
  auto sheet = svc_->ExportSheet(office_, {}, "");
  ASSERT_TRUE(sheet.ok());
  std::vector<std::string> headers;
  for (const auto& c : sheet->columns) headers.push_back(c.header);
  EXPECT_EQ(headers, (std::vector<std::string>{"项目编码", "项目名称", "级别", "类别", "行业代码", "产业链",
                                               "责任单位编码", "责任单位名称", "联系领导", "专班编码", "建设地点",
                                               "总投资(亿元)", "开工年份", "竣工年份", "承诺完工日期",
                                               "2026年计划投资(亿元)", "2027年计划投资(亿元)",
                                               "2029年计划投资(亿元)", "阶段", "状态"}));
  EXPECT_EQ(sheet->rows[0][2], "市级");
  EXPECT_EQ(sheet->rows[0][3], "产业");
  EXPECT_EQ(sheet->rows[0][7], "卧龙区");
  EXPECT_EQ(sheet->rows[1][17], "3");
  EXPECT_EQ(sheet->rows[1][18], "谋划");
  // The template: this year's plan column, drop-downs, an example row that imports.
  auto tpl = svc_->TemplateSheet(office_);
  ASSERT_TRUE(tpl.ok());
  ASSERT_EQ(tpl->rows.size(), 1u);
  std::map<std::string, std::vector<std::string>> choices;
  for (const auto& c : tpl->columns) choices[c.header] = c.choices;
  EXPECT_EQ(choices["级别"], (std::vector<std::string>{"省级", "市级", "区级"}));
  EXPECT_EQ(choices["类别"].size(), 5u);
  EXPECT_EQ(choices["专班编码"], std::vector<std::string>{"ZB-01"});
  EXPECT_TRUE(choices.count("2026年计划投资(亿元)"));
  io::Table example;
  for (const auto& c : tpl->columns) example.header.push_back(c.header);
  example.rows.push_back({2, tpl->rows[0]});
  auto r = svc_->Import(office_, example, true);
  EXPECT_TRUE(r.ok()) << r.status().message() << " "
                      << (r.status().details().empty() ? "" : r.status().details()[0].field + r.status().details()[0].reason);
}

INSTANTIATE_TEST_SUITE_P(Databases, ProjectImportTest, ::testing::ValuesIn(testing::DatabaseKinds()));

}  // namespace
}  // namespace tiaodu::projects
