#include <gtest/gtest.h>

#include <map>
#include <string>
#include <vector>

#include "../testing/databases.h"
#include "auth/audit.h"
#include "auth/crypto.h"
#include "io/xlsx.h"
#include "io/xlsx_writer.h"
#include "org/rules.h"
#include "org/service.h"
#include "org/sheets.h"

namespace tiaodu::org {
namespace {

// Specification of OrgService::Import / ExportSheet / TemplateSheet (issue 7), on both
// databases.
//
// The tree built in SetUp:
//   南阳市 city 411300
//   ├── 宛城区 district 411302
//   │   └── 仲景街道 town ZJ
//   └── 卧龙区 district 411303
class UnitImportTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    ASSERT_TRUE(auth::InitCrypto());
    auto opened = db::Database::Open(testing::FreshDatabaseUrl(GetParam()));
    ASSERT_TRUE(opened.ok()) << opened.status().message();
    db_ = std::move(*opened);
    ASSERT_TRUE(db::Migrate(*db_, clock_.NowMillis()).ok());
    org_ = std::make_unique<OrgService>(*db_, clock_);
    system_.system = true;
    system_.username = "system";
    city_ = Create({"411300", "南阳市", "city", 0});
    wancheng_ = Create({"411302", "宛城区", "district", city_.id});
    street_ = Create({"ZJ", "仲景街道", "town", wancheng_.id});
    wolong_ = Create({"411303", "卧龙区", "district", city_.id});
    admin_ = auth::Actor{1, "admin", "sys_admin", city_.id, city_.path, "10.0.0.1"};
  }

  Unit Create(const NewUnit& n) {
    auto u = org_->Create(system_, n);
    EXPECT_TRUE(u.ok()) << n.name << ": " << u.status().message();
    return u.ok() ? *u : Unit{};
  }
  Unit ByCode(const std::string& code) {
    auto u = org_->FindByCode(code);
    EXPECT_TRUE(u.ok()) << code;
    return u.ok() ? *u : Unit{};
  }
  std::vector<Unit> All() {
    UnitQuery q;
    q.include_archived = true;
    auto page = org_->List(system_, q);
    EXPECT_TRUE(page.ok());
    return page.ok() ? page->items : std::vector<Unit>{};
  }
  int64_t AuditCount() {
    auto page = auth::QueryAudit(*db_, {});
    return page.ok() ? page->total : -1;
  }
  // A sheet with the import's headers (单位编码, 单位名称, 类别, 上级单位编码, 已撤销) and rows.
  static io::Table Sheet(const std::vector<std::vector<std::string>>& rows) {
    io::Table t;
    t.header = {"*单位编码", "*单位名称", "*类别", "*上级单位编码", "已撤销"};
    int line = 1;
    for (const auto& cells : rows) t.rows.push_back(io::Row{++line, cells});
    return t;
  }
  // The export as the file a user downloads, read back as an upload.
  io::Table ExportedFile(const auth::Actor& actor) {
    UnitQuery q;
    q.include_archived = true;
    auto sheet = org_->ExportSheet(actor, q);
    EXPECT_TRUE(sheet.ok()) << sheet.status().message();
    auto bytes = io::WriteXlsx({*sheet});
    EXPECT_TRUE(bytes.ok());
    auto table = io::ReadXlsx(*bytes);
    EXPECT_TRUE(table.ok()) << table.status().message();
    return *table;
  }
  static std::vector<std::string> Fields(const Status& s) {
    std::vector<std::string> out;
    for (const Detail& d : s.details()) out.push_back(d.field);
    return out;
  }

  FakeClock clock_{1790000000000};
  std::unique_ptr<db::Database> db_;
  std::unique_ptr<OrgService> org_;
  auth::Actor system_, admin_;
  Unit city_, wancheng_, street_, wolong_;
};

TEST_P(UnitImportTest, TheExportImportsBackWithEveryRowUnchangedAndWritesNothing) {
  Unit gone = Create({"OLD", "旧专班", "task_force", street_.id});
  ASSERT_TRUE(org_->SetArchived(system_, gone.id, true, gone.version).ok());
  const std::vector<Unit> before = All();
  const int64_t audit = AuditCount();
  io::Table file = ExportedFile(admin_);
  ASSERT_EQ(file.rows.size(), before.size());
  for (bool dry : {true, false}) {
    auto r = org_->Import(admin_, file, dry);
    ASSERT_TRUE(r.ok()) << r.status().message();
    EXPECT_EQ(r->rows, 4 + 1);
    EXPECT_EQ(r->unchanged, r->rows);
    EXPECT_EQ(r->inserted + r->updated, 0);
  }
  const std::vector<Unit> after = All();
  ASSERT_EQ(after.size(), before.size());
  for (size_t k = 0; k < after.size(); ++k) EXPECT_EQ(UnitSnapshot(after[k]), UnitSnapshot(before[k]));
  EXPECT_EQ(AuditCount(), audit);
}

TEST_P(UnitImportTest, TheExportShowsTheImportLayoutWithParentsByCode) {
  auto sheet = org_->ExportSheet(admin_, {});
  ASSERT_TRUE(sheet.ok());
  std::vector<std::string> headers;
  for (const auto& c : sheet->columns) headers.push_back(c.header);
  EXPECT_EQ(headers, (std::vector<std::string>{"单位编码", "单位名称", "类别", "上级单位编码", "已撤销", "上级单位名称"}));
  ASSERT_EQ(sheet->rows.size(), 4u);
  EXPECT_EQ(sheet->rows[2], (std::vector<std::string>{"ZJ", "仲景街道", "乡镇/街道", "411302", "否", "宛城区"}));
  // A district administrator sees no parent above the district.
  auth::Actor district{2, "wc_admin", "sys_admin", wancheng_.id, wancheng_.path, ""};
  auto scoped = org_->ExportSheet(district, {});
  ASSERT_TRUE(scoped.ok());
  ASSERT_EQ(scoped->rows.size(), 2u);
  EXPECT_EQ(scoped->rows[0][3], "");
  EXPECT_EQ(scoped->rows[0][5], "");
}

TEST_P(UnitImportTest, NewCodesCreateUnitsWithParentsNamedInLaterRows) {
  const int64_t audit = AuditCount();
  io::Table t = Sheet({{"ZB-2", "二级专班", "专班", "ZB-1", ""},
                       {"ZB-1", "一级专班", "task_force", "ZJ", "否"},
                       {"411321", "南召县", "县", "411300", ""}});
  auto dry = org_->Import(admin_, t, true);
  ASSERT_TRUE(dry.ok()) << dry.status().message();
  EXPECT_EQ(dry->inserted, 3);
  EXPECT_FALSE(org_->FindByCode("ZB-1").ok()) << "a dry run wrote a unit";
  EXPECT_EQ(AuditCount(), audit);
  auto r = org_->Import(admin_, t, false);
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ(r->inserted, 3);
  Unit one = ByCode("ZB-1"), two = ByCode("ZB-2");
  EXPECT_EQ(one.parent_id, street_.id);
  EXPECT_EQ(two.parent_id, one.id);
  EXPECT_EQ(two.path, ChildPath(one.path, two.id));
  EXPECT_EQ(ByCode("411321").kind, "county");
  // One unit.create per unit and one unit.import.
  EXPECT_EQ(AuditCount(), audit + 4);
  auto page = auth::QueryAudit(*db_, {.event = "unit.create"});
  ASSERT_TRUE(page.ok());
  EXPECT_EQ(page->items[0].username, "admin");
}

TEST_P(UnitImportTest, KnownCodesAreRenamedMovedArchivedAndRestoredAsTheSingleCallsDo) {
  Unit tf = Create({"TF", "专班", "task_force", street_.id});
  auto r = org_->Import(admin_, Sheet({{"ZJ", "仲景街道办事处", "乡镇/街道", "411303", "是"},
                                       {"TF", "专班", "专班", "ZJ", "是"}}),
                        false);
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ(r->updated, 2);
  Unit street = ByCode("ZJ");
  EXPECT_EQ(street.name, "仲景街道办事处");
  EXPECT_EQ(street.parent_id, wolong_.id);
  EXPECT_TRUE(street.archived);
  EXPECT_EQ(ByCode("TF").path, ChildPath(street.path, tf.id)) << "the subtree moved along";
  EXPECT_TRUE(ByCode("TF").archived);
  auto events = auth::QueryAudit(*db_, {});
  ASSERT_TRUE(events.ok());
  std::vector<std::string> names;
  for (size_t k = 0; k < 5; ++k) names.push_back(events->items[k].event);
  // Newest first: archiving last, the child before its parent.
  EXPECT_EQ(names, (std::vector<std::string>{"unit.import", "unit.archive", "unit.archive", "unit.move", "unit.update"}));
  // Restoring: the parent first, wherever its row is.
  r = org_->Import(admin_, Sheet({{"TF", "专班", "专班", "", "否"}, {"ZJ", "仲景街道办事处", "乡镇/街道", "", "否"}}), false);
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_FALSE(ByCode("TF").archived);
  EXPECT_FALSE(ByCode("ZJ").archived);
  EXPECT_EQ(ByCode("ZJ").parent_id, wolong_.id) << "a blank parent keeps the parent";
}

TEST_P(UnitImportTest, BadCellsAreNamedAndNothingIsWritten) {
  const std::vector<Unit> before = All();
  const int64_t audit = AuditCount();
  auto r = org_->Import(admin_,
                        Sheet({{"411302", "宛城区", "区", "ZJ", ""},          // row 2: under its own town
                               {"X-1", "新区", "区", "411300", ""},            // row 3: not GB/T 2260
                               {"X-2", "", "部门", "411300", "也许"},          // row 4
                               {"X-3", "新局", "委员会", "411300", ""},         // row 5
                               {"X-4", "新专班", "专班", "NOPE", ""},           // row 6: unknown parent
                               {"X-5", "新专班", "专班", "", ""},               // row 7: no parent
                               {"X-6", "甲", "专班", "X-7", ""},                // rows 8-9: a loop
                               {"X-7", "乙", "专班", "X-6", ""},
                               {"X-8", "下级", "专班", "X-1", ""},             // row 10: parent refused
                               {"X-4", "重复", "专班", "411300", ""},           // row 11: duplicate
                               {"411300", "南阳市", "市", "", "是"}}),          // row 12: has children
                        false);
  ASSERT_EQ(r.status().code(), Code::kInvalidArgument);
  EXPECT_EQ(Fields(r.status()),
            (std::vector<std::string>{"第2行 D列（上级单位编码）", "第3行 A列（单位编码）", "第4行 B列（单位名称）",
                                      "第4行 E列（已撤销）", "第5行 C列（类别）", "第6行 D列（上级单位编码）",
                                      "第7行 D列（上级单位编码）", "第8行 D列（上级单位编码）",
                                      "第9行 D列（上级单位编码）", "第10行 D列（上级单位编码）",
                                      "第11行 A列（单位编码）"}));
  EXPECT_EQ(r.status().details()[0].reason, "不能移动到自身或其下级单位之下");
  EXPECT_NE(r.status().details()[7].reason.find("循环"), std::string::npos) << r.status().details()[7].reason;
  EXPECT_NE(r.status().details()[9].reason.find("未能新建"), std::string::npos) << r.status().details()[9].reason;
  EXPECT_EQ(All().size(), before.size());
  EXPECT_EQ(AuditCount(), audit);
  // Archiving a unit with live children is refused on its 已撤销 cell (when nothing else is wrong).
  r = org_->Import(admin_, Sheet({{"411303", "卧龙区", "区", "411300", "是"}, {"X-9", "新专班", "专班", "411303", ""}}), false);
  ASSERT_EQ(r.status().code(), Code::kInvalidArgument);
  EXPECT_EQ(Fields(r.status()), (std::vector<std::string>{"第2行 E列（已撤销）"}));
  EXPECT_FALSE(org_->FindByCode("X-9").ok());
}

TEST_P(UnitImportTest, ADistrictAdministratorChangesItsSubtreeOnly) {
  auth::Actor district{2, "wc_admin", "sys_admin", wancheng_.id, wancheng_.path, ""};
  io::Table own = ExportedFile(district);
  auto back = org_->Import(district, own, false);
  ASSERT_TRUE(back.ok()) << back.status().message();
  EXPECT_EQ(back->unchanged, 2);
  auto r = org_->Import(district,
                        Sheet({{"411303", "卧龙区（改）", "区", "", ""},  // another district
                               {"WC-1", "宛城专班", "专班", "411300", ""},  // a parent outside
                               {"411302", "宛城区", "区", "411303", ""},   // its own unit moved
                               {"ZJ", "仲景街道", "乡镇/街道", "411302", "是"}}),
                        false);
  ASSERT_EQ(r.status().code(), Code::kInvalidArgument);
  EXPECT_EQ(Fields(r.status()), (std::vector<std::string>{"第2行 A列（单位编码）", "第3行 D列（上级单位编码）",
                                                          "第4行 D列（上级单位编码）"}));
  auth::Actor leader{3, "leader", "leader", city_.id, city_.path, ""};
  EXPECT_EQ(org_->Import(leader, own, true).status().code(), Code::kPermissionDenied);
  EXPECT_EQ(org_->TemplateSheet(leader).status().code(), Code::kPermissionDenied);
}

TEST_P(UnitImportTest, TheTemplateExampleImportsForTheActorItIsMadeFor) {
  auth::Actor district{2, "wc_admin", "sys_admin", wancheng_.id, wancheng_.path, ""};
  auto sheet = org_->TemplateSheet(district);
  ASSERT_TRUE(sheet.ok());
  ASSERT_EQ(sheet->rows.size(), 1u);
  EXPECT_EQ(sheet->rows[0][3], "411302");
  for (const auto& c : sheet->columns) EXPECT_FALSE(c.note.empty()) << c.header;
  auto bytes = io::WriteXlsx({*sheet});
  ASSERT_TRUE(bytes.ok());
  auto table = io::ReadXlsx(*bytes);
  ASSERT_TRUE(table.ok());
  auto r = org_->Import(district, *table, true);
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ(r->inserted, 1);
}

TEST(UnitSheets, KindsAndArchivedCellsReadAsTheSheetWritesThem) {
  for (const KindInfo& k : UnitKinds()) EXPECT_EQ(KindFromSheet(KindForSheet(k.code)), k.code);
  EXPECT_EQ(KindFromSheet("街道"), "town");
  EXPECT_EQ(KindFromSheet("district"), "district");
  EXPECT_EQ(KindFromSheet("委员会"), "");
  EXPECT_EQ(ArchivedFromSheet("是"), true);
  EXPECT_EQ(ArchivedFromSheet("已撤销"), true);
  EXPECT_EQ(ArchivedFromSheet(""), false);
  EXPECT_EQ(ArchivedFromSheet("否"), false);
  EXPECT_EQ(ArchivedFromSheet("也许"), std::nullopt);
}

INSTANTIATE_TEST_SUITE_P(BothDatabases, UnitImportTest, ::testing::ValuesIn(testing::DatabaseKinds()),
                         [](const auto& info) { return info.param; });

}  // namespace
}  // namespace tiaodu::org
