#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "../testing/databases.h"
#include "auth/audit.h"
#include "auth/crypto.h"
#include "auth/rules.h"
#include "auth/service.h"
#include "auth/sheets.h"
#include "io/xlsx.h"
#include "io/xlsx_writer.h"

namespace tiaodu::auth {
namespace {

constexpr const char* kPassword = "Good#pass1";

// Specification of AuthService::Import / ExportSheet / TemplateSheet (issue 7), on both
// databases: no passwords in or out, the rules of the single calls and 三员分立 row by row.
//
// Units: 南阳市 411300 (/1/) ─ 宛城区 411302 (/1/2/), 卧龙区 411303 (/1/3/), and an archived
// 旧单位 OLD (/1/4/). Users: admin (sys_admin, city), sec (security_admin, city), audit
// (audit_admin), alice (statistician, 宛城区), bob (leader, 卧龙区).
class UserImportTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    ASSERT_TRUE(InitCrypto());
    auto opened = db::Database::Open(testing::FreshDatabaseUrl(GetParam()));
    ASSERT_TRUE(opened.ok());
    db_ = std::move(*opened);
    ASSERT_TRUE(db::Migrate(*db_, clock_.NowMillis()).ok());
    ASSERT_TRUE(db_->Write([&](db::Tx& tx) {
      tx.sql() << "INSERT INTO units (code, name, kind, path, created_at, updated_at) VALUES "
                  "('411300', '南阳市', 'city', '/1/', 0, 0)";
      tx.sql() << "INSERT INTO units (code, name, kind, parent_id, path, created_at, updated_at) "
                  "VALUES ('411302', '宛城区', 'district', 1, '/1/2/', 0, 0)";
      tx.sql() << "INSERT INTO units (code, name, kind, parent_id, path, created_at, updated_at) "
                  "VALUES ('411303', '卧龙区', 'district', 1, '/1/3/', 0, 0)";
      tx.sql() << "INSERT INTO units (code, name, kind, parent_id, path, archived, created_at, updated_at) "
                  "VALUES ('OLD', '旧单位', 'department', 1, '/1/4/', 1, 0, 0)";
      return Status::Ok();
    }).ok());
    auth_ = std::make_unique<AuthService>(*db_, clock_);
    system_.system = true;
    system_.username = "system";
    admin_ = Make("admin", "系统管理员", "sys_admin", 1);
    sec_ = Make("sec", "安全管理员", "security_admin", 1);
    Make("audit", "审计管理员", "audit_admin", 1);
    alice_ = Make("alice", "爱丽丝", "statistician", 2);
    Make("bob", "鲍勃", "leader", 3);
  }

  Actor Make(const std::string& username, const std::string& name, const std::string& role, int64_t unit) {
    auto u = auth_->CreateUser(system_, {username, name, role, unit, kPassword});
    EXPECT_TRUE(u.ok()) << username << ": " << u.status().message();
    return u.ok() ? Actor{u->id, username, role, unit, u->unit_path, "10.0.0.1"} : Actor{};
  }
  User ByName(const std::string& username) {
    auto page = auth_->ListUsers(system_, {.q = username});
    EXPECT_TRUE(page.ok());
    for (const User& u : page->items)
      if (u.username == username) return u;
    ADD_FAILURE() << "no user " << username;
    return User{};
  }
  std::vector<std::string> Snapshots() {
    auto page = auth_->ListUsers(system_, {.page_size = 1000});
    std::vector<std::string> out;
    for (const User& u : page->items) out.push_back(UserSnapshot(u) + u.password_hash);
    return out;
  }
  int64_t AuditCount() {
    auto page = QueryAudit(*db_, {});
    return page.ok() ? page->total : -1;
  }
  // A sheet with the import's headers (用户名, 姓名, 角色, 所属单位编码, 状态) and rows.
  static io::Table Sheet(const std::vector<std::vector<std::string>>& rows,
                         std::vector<std::string> header = {"*用户名", "*姓名", "*角色", "*所属单位编码", "状态"}) {
    io::Table t;
    t.header = std::move(header);
    int line = 1;
    for (const auto& cells : rows) t.rows.push_back(io::Row{++line, cells});
    return t;
  }
  io::Table ExportedFile(const Actor& actor) {
    auto sheet = auth_->ExportSheet(actor, {});
    EXPECT_TRUE(sheet.ok()) << sheet.status().message();
    auto bytes = io::WriteXlsx({*sheet});
    EXPECT_TRUE(bytes.ok());
    auto table = io::ReadXlsx(*bytes);
    EXPECT_TRUE(table.ok());
    return *table;
  }
  static std::vector<std::string> Fields(const Status& s) {
    std::vector<std::string> out;
    for (const Detail& d : s.details()) out.push_back(d.field);
    return out;
  }

  FakeClock clock_{1790000000000};
  std::unique_ptr<db::Database> db_;
  std::unique_ptr<AuthService> auth_;
  Actor system_, admin_, sec_, alice_;
};

TEST_P(UserImportTest, TheExportHasNoPasswordAndImportsBackUnchangedForEachAdmin) {
  const std::vector<std::string> before = Snapshots();
  const int64_t audit = AuditCount();
  for (const Actor* who : {&admin_, &sec_}) {
    io::Table file = ExportedFile(*who);
    for (const std::string& h : file.header) EXPECT_EQ(h.find("密码"), std::string::npos) << h;
    ASSERT_EQ(file.rows.size(), 5u);
    for (bool dry : {true, false}) {
      auto r = auth_->Import(*who, file, dry);
      ASSERT_TRUE(r.ok()) << who->username << ": " << r.status().message();
      EXPECT_EQ(r->unchanged, 5);
    }
  }
  EXPECT_EQ(Snapshots(), before);
  EXPECT_EQ(AuditCount(), audit);
}

TEST_P(UserImportTest, ANewUserHasAPasswordNobodyKnowsUntilAnAdminResetsIt) {
  const int64_t audit = AuditCount();
  io::Table t = Sheet({{"carol", "卡罗尔", "填报员", "411302", ""}, {"dave", "戴夫", "leader", "411303", "停用"}});
  auto dry = auth_->Import(admin_, t, true);
  ASSERT_TRUE(dry.ok()) << dry.status().message();
  EXPECT_EQ(dry->inserted, 2);
  EXPECT_EQ(AuditCount(), audit) << "a dry run wrote audit records";
  auto r = auth_->Import(admin_, t, false);
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ(r->inserted, 2);
  User carol = ByName("carol"), dave = ByName("dave");
  EXPECT_EQ(carol.role, "reporter");
  EXPECT_EQ(carol.unit_id, 2);
  EXPECT_TRUE(carol.must_change_password);
  EXPECT_FALSE(carol.disabled);
  EXPECT_TRUE(dave.disabled);
  EXPECT_FALSE(carol.password_hash.empty());
  EXPECT_NE(carol.password_hash, ByName("alice").password_hash);
  // One user.create per user (no password in it) and one user.import.
  EXPECT_EQ(AuditCount(), audit + 3);
  auto created = QueryAudit(*db_, {.event = "user.create"});
  ASSERT_TRUE(created.ok());
  EXPECT_EQ(created->items[0].username, "admin");
  EXPECT_EQ(created->items[0].after_json.find("password"), std::string::npos);
  for (const char* guess : {"", kPassword, "carol", "Carol#2024pass"})
    EXPECT_EQ(auth_->Login("carol", guess, "ip").status().code(), Code::kUnauthenticated) << guess;
  ASSERT_TRUE(auth_->ResetPassword(admin_, carol.id, "Reset#pass2").ok());
  EXPECT_TRUE(auth_->Login("carol", "Reset#pass2", "ip").ok());
}

TEST_P(UserImportTest, TheSystemAdminGrantsNoRoleAndManagesNoAdminAccount) {
  const std::vector<std::string> before = Snapshots();
  auto r = auth_->Import(admin_,
                         Sheet({{"alice", "爱丽丝", "安全管理员", "411302", ""},  // row 2: a role change
                                {"eve", "伊芙", "审计管理员", "411300", ""},     // row 3: a new admin
                                {"sec", "安全员", "安全管理员", "411300", ""},   // row 4: an admin account
                                {"audit", "审计管理员", "审计管理员", "411300", "停用"},  // row 5
                                {"admin", "系统管理员", "系统管理员", "411300", "停用"},  // row 6: itself
                                {"frank", "弗兰克", "领导", "411300", ""}}),
                         false);
  ASSERT_EQ(r.status().code(), Code::kInvalidArgument);
  EXPECT_EQ(Fields(r.status()), (std::vector<std::string>{"第2行 C列（角色）", "第3行 C列（角色）", "第4行 B列（姓名）",
                                                          "第5行 E列（状态）", "第6行 E列（状态）"}));
  EXPECT_NE(r.status().details()[0].reason.find("user.role"), std::string::npos);
  EXPECT_NE(r.status().details()[1].reason.find("三员分立"), std::string::npos);
  EXPECT_NE(r.status().details()[2].reason.find("管理员账户"), std::string::npos);
  EXPECT_NE(r.status().details()[4].reason.find("自己"), std::string::npos);
  EXPECT_EQ(Snapshots(), before);
}

TEST_P(UserImportTest, TheSecurityAdminChangesRolesOnlyAsSetRoleDoes) {
  auto r = auth_->Import(sec_, Sheet({{"alice", "爱丽丝", "审计管理员", "411302", ""}}), false);
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ(r->updated, 1);
  EXPECT_EQ(ByName("alice").role, "audit_admin");
  auto role = QueryAudit(*db_, {.event = "user.role"});
  ASSERT_TRUE(role.ok());
  ASSERT_EQ(role->total, 1);
  EXPECT_EQ(role->items[0].username, "sec");
  const std::vector<std::string> before = Snapshots();
  r = auth_->Import(sec_,
                    Sheet({{"alice", "爱丽丝二", "统计员", "411302", ""},  // row 2: a name
                           {"bob", "鲍勃", "领导", "411302", ""},          // row 3: a unit
                           {"bob", "鲍勃", "领导", "411303", "停用"},       // row 4: duplicate
                           {"gina", "吉娜", "领导", "411300", ""},         // row 5: a new user
                           {"sec", "安全管理员", "领导", "411300", ""}}),   // row 6: its own role
                    false);
  ASSERT_EQ(r.status().code(), Code::kInvalidArgument);
  EXPECT_EQ(Fields(r.status()), (std::vector<std::string>{"第2行 B列（姓名）", "第3行 D列（所属单位编码）",
                                                          "第4行 A列（用户名）", "第5行 A列（用户名）",
                                                          "第6行 C列（角色）"}));
  EXPECT_EQ(Snapshots(), before);
}

TEST_P(UserImportTest, CellsScopeAndUnitsAreCheckedAndAPasswordColumnIsRefused) {
  Actor district{99, "wc_admin", "sys_admin", 2, "/1/2/", ""};
  auto own = auth_->Import(district, ExportedFile(district), false);
  ASSERT_TRUE(own.ok()) << own.status().message();
  EXPECT_EQ(own->unchanged, 1);  // alice
  auto r = auth_->Import(district,
                         Sheet({{"bob", "鲍勃", "领导", "411303", "停用"},    // row 2: outside the scope
                                {"hank", "汉克", "领导", "411303", ""},       // row 3: a unit outside
                                {"alice", "爱丽丝", "统计员", "411300", ""},  // row 4: moved outside
                                {"Ivy", "", "董事长", "", "暂停"},            // row 5: every cell bad
                                {"jack", "杰克", "领导", "OLD", ""}}),         // row 6: archived (and outside)
                         false);
  ASSERT_EQ(r.status().code(), Code::kInvalidArgument);
  EXPECT_EQ(Fields(r.status()),
            (std::vector<std::string>{"第2行 A列（用户名）", "第3行 D列（所属单位编码）", "第4行 D列（所属单位编码）",
                                      "第5行 A列（用户名）", "第5行 B列（姓名）", "第5行 C列（角色）",
                                      "第5行 D列（所属单位编码）", "第5行 E列（状态）", "第6行 D列（所属单位编码）"}));
  auto pw = auth_->Import(admin_, Sheet({{"kim", "金", "领导", "411300", "", kPassword}},
                                        {"用户名", "姓名", "角色", "所属单位编码", "状态", "初始密码"}),
                          false);
  ASSERT_EQ(pw.status().code(), Code::kInvalidArgument);
  EXPECT_EQ(Fields(pw.status()), (std::vector<std::string>{"第1行 F列（表头）"}));
  Actor leader{98, "leader", "leader", 1, "/1/", ""};
  EXPECT_EQ(auth_->Import(leader, Sheet({{"bob", "鲍勃", "领导", "411303", ""}}), true).status().code(),
            Code::kPermissionDenied);
  Actor auditor{97, "audit", "audit_admin", 1, "/1/", ""};
  EXPECT_EQ(auth_->TemplateSheet(auditor).status().code(), Code::kPermissionDenied);
}

TEST_P(UserImportTest, TheTemplateExampleImportsAndTheSheetWordsReadBack) {
  auto sheet = auth_->TemplateSheet(admin_);
  ASSERT_TRUE(sheet.ok());
  for (const auto& c : sheet->columns) {
    EXPECT_FALSE(c.note.empty()) << c.header;
    EXPECT_EQ(c.header.find("密码"), std::string::npos);
  }
  auto bytes = io::WriteXlsx({*sheet});
  ASSERT_TRUE(bytes.ok());
  auto table = io::ReadXlsx(*bytes);
  ASSERT_TRUE(table.ok());
  auto r = auth_->Import(admin_, *table, true);
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ(r->inserted, 1);
  for (const RoleInfo& role : Roles()) EXPECT_EQ(RoleFromSheet(RoleForSheet(role.code)), role.code);
  EXPECT_EQ(RoleFromSheet("董事长"), "");
  EXPECT_EQ(DisabledFromSheet("停用"), true);
  EXPECT_EQ(DisabledFromSheet("启用"), false);
  EXPECT_EQ(DisabledFromSheet(""), std::nullopt);
}

INSTANTIATE_TEST_SUITE_P(BothDatabases, UserImportTest, ::testing::ValuesIn(testing::DatabaseKinds()),
                         [](const auto& info) { return info.param; });

}  // namespace
}  // namespace tiaodu::auth
