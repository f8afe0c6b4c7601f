#include <gtest/gtest.h>

#include <map>
#include <string>
#include <vector>

#include "../testing/databases.h"
#include "auth/audit.h"
#include "auth/crypto.h"
#include "auth/service.h"
#include "base/period.h"
#include "investment/service.h"
#include "investment/sheets.h"
#include "io/xlsx.h"
#include "io/xlsx_writer.h"
#include "org/service.h"

namespace tiaodu::investment {
namespace {

// Specification of InvestmentService::ImportLeads / ExportLeads / LeadTemplate (issue 7), on
// both databases. Today is 2026-07-15 (Beijing time).
//
// The tree: 南阳市 411300 ─ 卧龙区 411303
//                        └ 宛城区 411302
//                        └ 招商局 (department of the city)
// Companies: 南阳艾草制品有限公司 (with a USCC), 宛西制药有限公司, and 卧龙建材有限公司 with
// 卧龙建材有限责任公司 (one company by its normalised name, not merged yet). The chain 艾草
// has the segments 艾草种植 and 艾灸器具.
// 吴招商 is an investment officer of 卧龙区.
class LeadImportTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    ASSERT_TRUE(auth::InitCrypto());
    auto opened = db::Database::Open(testing::FreshDatabaseUrl(GetParam()));
    ASSERT_TRUE(opened.ok()) << opened.status().message();
    db_ = std::move(*opened);
    ASSERT_TRUE(db::Migrate(*db_, clock_.NowMillis()).ok());
    org_ = std::make_unique<org::OrgService>(*db_, clock_);
    auth_ = std::make_unique<auth::AuthService>(*db_, clock_);
    projects_ = std::make_unique<projects::ProjectService>(*db_, clock_);
    svc_ = std::make_unique<InvestmentService>(*db_, clock_, *projects_);
    system_.system = true;
    system_.username = "system";
    city_ = Unit({"411300", "南阳市", "city", 0});
    wolong_ = Unit({"411303", "卧龙区", "district", city_.id});
    wancheng_ = Unit({"411302", "宛城区", "district", city_.id});
    bureau_ = Unit({"", "招商局", "department", city_.id});
    city_officer_ = Actor("invest", bureau_, city_.path);
    wolong_officer_ = Actor("invest_wolong", wolong_, wolong_.path);
    auto wu = auth_->EnsureUser(system_, {"wu_zs", "吴招商", "investment_officer", wolong_.id, "Invest#2024pass"});
    ASSERT_TRUE(wu.ok()) << wu.status().message() << (wu.status().details().empty() ? "" : wu.status().details()[0].reason);
    wu_ = wu->first.id;
    aicao_ = NewCompany("南阳艾草制品有限公司", "91320585MAXLH8HM9P");
    wanxi_ = NewCompany("宛西制药有限公司");
    NewCompany("卧龙建材有限公司");
    NewCompany("卧龙建材有限责任公司");
    Chain ch;
    ch.name = "艾草";
    ch.segments = {{0, 0, "upstream", "艾草种植", 1, {}, {}}, {0, 0, "downstream", "艾灸器具", 2, {}, {}}};
    auto made = svc_->CreateChain(city_officer_, ch);
    ASSERT_TRUE(made.ok()) << made.status().message();
    chain_ = made->chain;
  }

  static int64_t MillisOf(CivilDate d) { return DaysFromCivil(d) * 86'400'000LL + 4 * 3'600'000LL; }
  org::Unit Unit(const org::NewUnit& n) {
    auto u = org_->Create(system_, n);
    EXPECT_TRUE(u.ok()) << u.status().message();
    return u.ok() ? *u : org::Unit{};
  }
  static auth::Actor Actor(std::string name, const org::Unit& unit, std::string scope) {
    auth::Actor a;
    a.user_id = 9;
    a.username = name;
    a.role = "investment_officer";
    a.unit_id = unit.id;
    a.unit_path = scope;
    return a;
  }
  int64_t NewCompany(std::string name, std::string uscc = "") {
    Company c;
    c.name = name;
    c.uscc = uscc;
    auto made = svc_->CreateCompany(city_officer_, c);
    EXPECT_TRUE(made.ok()) << made.status().message();
    return made.ok() ? made->company.id : 0;
  }
  // A lead of 南阳艾草制品 in `unit`, with the chain, a segment and 吴招商 when in 卧龙区.
  Lead NewLead(const org::Unit& unit, const std::string& project) {
    LeadInput in;
    in.lead.company_id = aicao_;
    in.lead.project_name = project;
    in.lead.source = "business";
    in.lead.chain_id = chain_.id;
    in.lead.segment_id = chain_.segments[0].id;
    if (unit.id == wolong_.id) in.lead.officer_id = wu_;
    in.unit_code = unit.code;
    in.amount = "5.5";
    in.date = "2026-03-01";
    auto l = svc_->CreateLead(city_officer_, in);
    EXPECT_TRUE(l.ok()) << l.status().message();
    return l.ok() ? l->row.lead : Lead{};
  }
  Lead Move(int64_t id, const std::string& stage, const std::string& date) {
    auto cur = svc_->GetLead(city_officer_, id);
    auto l = svc_->ChangeStage(city_officer_, id, stage, date, cur->row.lead.version);
    EXPECT_TRUE(l.ok()) << stage << ": " << l.status().message();
    return l.ok() ? l->row.lead : Lead{};
  }
  Lead Get(int64_t id) { return svc_->GetLead(city_officer_, id)->row.lead; }
  std::vector<store::LeadRow> All() {
    store::LeadQuery q;
    q.page_size = 1000;
    auto page = svc_->ListLeads(system_, q, "");
    EXPECT_TRUE(page.ok());
    return page.ok() ? page->items : std::vector<store::LeadRow>{};
  }
  int64_t Audits(const std::string& event = "") {
    auth::AuditQuery q;
    q.event = event;
    auto page = auth::QueryAudit(*db_, q);
    return page.ok() ? page->total : -1;
  }

  // A sheet with the layout's headers and these rows (cells by header name; the rest empty).
  static io::Table Sheet(const std::vector<std::map<std::string, std::string>>& rows) {
    io::Table t;
    for (const io::SheetColumn& c : LeadColumns()) t.header.push_back(c.header);
    int line = 1;
    for (const auto& cells : rows) {
      io::Row r;
      r.line = ++line;
      for (const std::string& h : t.header) {
        auto it = cells.find(h);
        r.cells.push_back(it == cells.end() ? "" : it->second);
      }
      t.rows.push_back(r);
    }
    return t;
  }
  // The cells of a lead as exported, by header.
  std::map<std::string, std::string> RowOf(int64_t id) {
    auto d = svc_->GetLead(city_officer_, id);
    EXPECT_TRUE(d.ok());
    std::map<std::string, std::string> out;
    const auto cells = LeadCells(d->row);
    const auto cols = LeadColumns();
    for (size_t k = 0; k < cols.size(); ++k) out[cols[k].header] = cells[k];
    return out;
  }
  static std::map<std::string, std::string> NewRow(const std::string& project, const std::string& unit = "411303") {
    return {{"企业名称", "宛西制药有限公司"}, {"项目名称", project}, {"意向投资额(亿元)", "12.5"},
            {"招商方式", "驻外招商"},        {"责任单位编码", unit}, {"阶段", "线索"},
            {"线索日期", "2026-06-01"}};
  }
  // The export as the file a user downloads, read back as an upload.
  io::Table ExportedFile(const auth::Actor& actor) {
    auto sheet = svc_->ExportLeads(actor, {}, "");
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
  static std::string Reasons(const Status& s) {
    std::string out = s.message();
    for (const Detail& d : s.details()) out += " | " + d.field + "：" + d.reason;
    return out;
  }

  FakeClock clock_{MillisOf(CivilDate{2026, 7, 15})};
  std::unique_ptr<db::Database> db_;
  std::unique_ptr<org::OrgService> org_;
  std::unique_ptr<auth::AuthService> auth_;
  std::unique_ptr<projects::ProjectService> projects_;
  std::unique_ptr<InvestmentService> svc_;
  auth::Actor system_, city_officer_, wolong_officer_;
  org::Unit city_, wolong_, wancheng_, bureau_;
  int64_t wu_ = 0, aicao_ = 0, wanxi_ = 0;
  Chain chain_;
};

TEST_P(LeadImportTest, TheExportImportsBackUnchangedAsADryRunAndForRealAndWritesNothing) {
  Lead a = NewLead(wolong_, "艾草深加工项目");
  Move(a.id, "contact", "2026-04-01");
  Move(a.id, "inspection", "2026-05-10");
  NewLead(wancheng_, "艾灸器具生产项目");
  const auto before = All();
  const int64_t audits = Audits();
  for (bool dry : {true, false}) {
    auto r = svc_->ImportLeads(city_officer_, ExportedFile(city_officer_), dry);
    ASSERT_TRUE(r.ok()) << Reasons(r.status());
    EXPECT_EQ(r->rows, 2);
    EXPECT_EQ(r->unchanged, 2);
    EXPECT_EQ(r->inserted + r->updated, 0);
  }
  const auto after = All();
  ASSERT_EQ(after.size(), before.size());
  for (size_t k = 0; k < after.size(); ++k) EXPECT_EQ(after[k].lead.version, before[k].lead.version);
  EXPECT_EQ(Audits(), audits) << "an unchanged import writes no audit record";
}

TEST_P(LeadImportTest, ANewRowCreatesALeadAtItsFirstStageAuditedAsTheJsonCreateIs) {
  auto r = svc_->ImportLeads(city_officer_, Sheet({NewRow("宛西中药饮片项目")}), false);
  ASSERT_TRUE(r.ok()) << Reasons(r.status());
  EXPECT_EQ(r->inserted, 1);
  auto all = All();
  ASSERT_EQ(all.size(), 1u);
  const Lead& l = all[0].lead;
  EXPECT_EQ(l.company_id, wanxi_);
  EXPECT_EQ(l.source, "resident");
  EXPECT_EQ(l.amount.ToString(), "12.5");
  EXPECT_EQ(l.stage, "clue");
  EXPECT_EQ(FormatIsoDate(l.stage_dates.at("clue")), "2026-06-01");
  EXPECT_EQ(Audits("investment.lead.create"), 1);
  EXPECT_EQ(Audits("investment.lead.import"), 1);
}

TEST_P(LeadImportTest, ADryRunCountsWhatItWouldDoButWritesNothing) {
  Lead a = NewLead(wolong_, "艾草深加工项目");
  auto row = RowOf(a.id);
  row["意向投资额(亿元)"] = "8";
  const int64_t audits = Audits();
  auto r = svc_->ImportLeads(city_officer_, Sheet({row, NewRow("宛西中药饮片项目")}), true);
  ASSERT_TRUE(r.ok()) << Reasons(r.status());
  EXPECT_EQ(r->inserted, 1);
  EXPECT_EQ(r->updated, 1);
  EXPECT_EQ(All().size(), 1u);
  EXPECT_EQ(Get(a.id).amount.ToString(), "5.5");
  EXPECT_EQ(Audits(), audits);
}

TEST_P(LeadImportTest, AnEditedCellUpdatesThatLeadOnlyWithOneAuditRecord) {
  Lead a = NewLead(wolong_, "艾草深加工项目");
  Lead b = NewLead(wolong_, "艾草精油项目");
  auto row = RowOf(a.id);
  row["意向投资额(亿元)"] = "8";
  row["产业链环节"] = "艾灸器具";
  row["招商员"] = "";
  auto r = svc_->ImportLeads(wolong_officer_, Sheet({row, RowOf(b.id)}), false);
  ASSERT_TRUE(r.ok()) << Reasons(r.status());
  EXPECT_EQ(r->updated, 1);
  EXPECT_EQ(r->unchanged, 1);
  Lead after = Get(a.id);
  EXPECT_EQ(after.amount.ToString(), "8");
  EXPECT_EQ(after.segment_id, chain_.segments[1].id);
  EXPECT_FALSE(after.officer_id.has_value()) << "a blank cell of a present column clears";
  EXPECT_EQ(after.version, a.version + 1);
  EXPECT_EQ(Get(b.id).version, b.version);
  EXPECT_EQ(Audits("investment.lead.update"), 1);
}

TEST_P(LeadImportTest, ARowMovesALeadOneStageWithThatStagesDateAuditedAsAStageChange) {
  Lead a = NewLead(wolong_, "艾草深加工项目");
  auto row = RowOf(a.id);
  row["阶段"] = "接洽";
  row["接洽日期"] = "2026-07-01";
  auto r = svc_->ImportLeads(city_officer_, Sheet({row}), false);
  ASSERT_TRUE(r.ok()) << Reasons(r.status());
  EXPECT_EQ(r->updated, 1);
  Lead after = Get(a.id);
  EXPECT_EQ(after.stage, "contact");
  EXPECT_EQ(FormatIsoDate(after.stage_dates.at("contact")), "2026-07-01");
  EXPECT_EQ(Audits("investment.lead.stage"), 1);
}

TEST_P(LeadImportTest, AStageJumpIsRefusedNamingBothStagesAndNothingIsWritten) {
  Lead a = NewLead(wolong_, "艾草深加工项目");
  Lead b = NewLead(wolong_, "艾草精油项目");
  auto good = RowOf(b.id);
  good["意向投资额(亿元)"] = "9";
  auto row = RowOf(a.id);
  row["阶段"] = "考察";
  row["接洽日期"] = "2026-07-01";
  row["考察日期"] = "2026-07-02";
  const int64_t audits = Audits();
  auto r = svc_->ImportLeads(city_officer_, Sheet({good, row}), false);
  ASSERT_EQ(r.status().code(), Code::kInvalidArgument);
  ASSERT_EQ(Fields(r.status()), std::vector<std::string>{"第3行 L列（阶段）"});
  EXPECT_NE(r.status().details()[0].reason.find("不能从“线索”直接到“考察”"), std::string::npos) << Reasons(r.status());
  EXPECT_EQ(Get(a.id).version, a.version);
  EXPECT_EQ(Get(b.id).amount.ToString(), "5.5") << "all or nothing";
  EXPECT_EQ(Audits(), audits);
}

TEST_P(LeadImportTest, AMoveBackwardsAMoveWithoutItsDateAndSigningWithoutAContractAreRefused) {
  Lead a = NewLead(wolong_, "艾草深加工项目");
  Move(a.id, "contact", "2026-04-01");
  Lead b = NewLead(wolong_, "艾草精油项目");
  Lead c = NewLead(wolong_, "艾草日化项目");
  for (const char* s : {"contact", "inspection", "negotiation"}) Move(c.id, s, "2026-05-01");
  auto back = RowOf(a.id);
  back["阶段"] = "线索";
  auto undated = RowOf(b.id);
  undated["阶段"] = "接洽";
  auto unsigned_row = RowOf(c.id);
  unsigned_row["阶段"] = "签约";
  unsigned_row["签约日期"] = "2026-07-01";
  auto r = svc_->ImportLeads(city_officer_, Sheet({back, undated, unsigned_row}), false);
  ASSERT_EQ(r.status().code(), Code::kInvalidArgument);
  EXPECT_EQ(Fields(r.status()), (std::vector<std::string>{"第2行 L列（阶段）", "第3行 N列（接洽日期）", "第4行 L列（阶段）"}))
      << Reasons(r.status());
  EXPECT_NE(r.status().details()[0].reason.find("不能退回"), std::string::npos);
  EXPECT_NE(r.status().details()[2].reason.find("合同"), std::string::npos) << Reasons(r.status());
}

TEST_P(LeadImportTest, AChangedDateOfAReachedStageAndADateOfALaterStageAreRefused) {
  Lead a = NewLead(wolong_, "艾草深加工项目");
  auto row = RowOf(a.id);
  row["线索日期"] = "2026-02-01";
  row["签约日期"] = "2026-07-01";
  auto r = svc_->ImportLeads(city_officer_, Sheet({row}), false);
  ASSERT_EQ(r.status().code(), Code::kInvalidArgument);
  EXPECT_EQ(Fields(r.status()), (std::vector<std::string>{"第2行 M列（线索日期）", "第2行 Q列（签约日期）"}));
  EXPECT_NE(r.status().details()[0].reason.find("2026-03-01"), std::string::npos) << "names the date on record";
  // Blank dates of reached stages leave them as they are.
  row = RowOf(a.id);
  row["线索日期"] = "";
  auto ok = svc_->ImportLeads(city_officer_, Sheet({row}), false);
  ASSERT_TRUE(ok.ok()) << Reasons(ok.status());
  EXPECT_EQ(ok->unchanged, 1);
}

TEST_P(LeadImportTest, ReachingStartedConvertsTheLeadIntoAKeyProjectAsTheStageRouteDoes) {
  Lead a = NewLead(wolong_, "艾草深加工项目");
  for (const char* s : {"contact", "inspection", "negotiation"}) Move(a.id, s, "2026-05-01");
  ASSERT_TRUE(svc_->AddContract(city_officer_, a.id, "2026-06-01", "3", "formal").ok());
  Move(a.id, "signed", "2026-06-01");
  Move(a.id, "registered", "2026-06-10");
  auto row = RowOf(a.id);
  row["阶段"] = "开工";
  row["开工日期"] = "2026-07-10";
  auto r = svc_->ImportLeads(city_officer_, Sheet({row}), false);
  ASSERT_TRUE(r.ok()) << Reasons(r.status());
  auto d = svc_->GetLead(city_officer_, a.id);
  ASSERT_TRUE(d->row.lead.project_id.has_value());
  EXPECT_EQ(d->row.project_code, "ZS" + std::to_string(a.id));
  EXPECT_EQ(Audits("investment.lead.convert"), 1);
}

TEST_P(LeadImportTest, AnUnregisteredCompanyIsRefusedNotCreatedAndATwiceRegisteredNameNeedsItsCode) {
  auto unknown = NewRow("新项目一");
  unknown["企业名称"] = "未登记的科技有限公司";
  auto twice = NewRow("新项目二");
  twice["企业名称"] = "卧龙建材 有限公司";  // exactly neither record, the same as both
  auto wrong_code = NewRow("新项目三");
  wrong_code["统一社会信用代码"] = "91320585MAXLH8HM9P";
  auto r = svc_->ImportLeads(city_officer_, Sheet({unknown, twice, wrong_code}), false);
  ASSERT_EQ(r.status().code(), Code::kInvalidArgument);
  EXPECT_EQ(Fields(r.status()), (std::vector<std::string>{"第2行 B列（企业名称）", "第3行 B列（企业名称）", "第4行 B列（企业名称）"}));
  EXPECT_NE(r.status().details()[0].reason.find("导入不新建企业"), std::string::npos);
  EXPECT_NE(r.status().details()[1].reason.find("统一社会信用代码"), std::string::npos);
  EXPECT_NE(r.status().details()[2].reason.find("南阳艾草制品有限公司"), std::string::npos);
  auto companies = svc_->ListCompanies(city_officer_, "", "", 1, 100);
  EXPECT_EQ(companies->total, 4) << "no company created";
  // A name written differently (brackets, 有限责任公司) still finds the one record.
  auto spaced = NewRow("宛西新项目");
  spaced["企业名称"] = "宛西制药有限责任公司";
  auto ok = svc_->ImportLeads(city_officer_, Sheet({spaced}), true);
  EXPECT_TRUE(ok.ok()) << Reasons(ok.status());
}

TEST_P(LeadImportTest, AnOfficerCannotImportAnotherCountysLeadOrPutALeadUnderIt) {
  Lead theirs = NewLead(wancheng_, "宛城艾草项目");
  auto row = RowOf(theirs.id);
  row["意向投资额(亿元)"] = "9";
  auto moved = NewRow("卧龙新项目", "411302");
  auto r = svc_->ImportLeads(wolong_officer_, Sheet({row, moved}), false);
  ASSERT_EQ(r.status().code(), Code::kInvalidArgument);
  EXPECT_EQ(Fields(r.status()), (std::vector<std::string>{"第2行 A列（线索编号）", "第2行 I列（责任单位编码）",
                                                          "第3行 I列（责任单位编码）"}))
      << Reasons(r.status());
  EXPECT_EQ(Get(theirs.id).amount.ToString(), "5.5");
  // Without investment.write: refused before reading a row.
  auth::Actor reader = wolong_officer_;
  reader.role = "leader";
  EXPECT_EQ(svc_->ImportLeads(reader, Sheet({NewRow("x项目")}), true).status().code(), Code::kPermissionDenied);
}

TEST_P(LeadImportTest, ANewRowRepeatingALeadOnRecordOrAnotherRowIsRefusedAsADoubleImport) {
  auto first = svc_->ImportLeads(city_officer_, Sheet({NewRow("宛西中药饮片项目")}), false);
  ASSERT_TRUE(first.ok()) << Reasons(first.status());
  auto again = svc_->ImportLeads(city_officer_, Sheet({NewRow("宛西中药饮片项目"), NewRow("宛西颗粒剂项目"),
                                                       NewRow("宛西颗粒剂项目")}),
                                 false);
  ASSERT_EQ(again.status().code(), Code::kInvalidArgument);
  EXPECT_EQ(Fields(again.status()), (std::vector<std::string>{"第2行 D列（项目名称）", "第4行 D列（项目名称）"}));
  EXPECT_EQ(All().size(), 1u);
}

TEST_P(LeadImportTest, HostileCellsAreRefusedWithAClearReason) {
  auto formula = NewRow("=1+1");
  auto long_name = NewRow(std::string(70, 'x') + "项目");
  long_name["项目名称"] = std::string(201, 'x');
  auto words = NewRow("宛西饮片项目二");
  words["意向投资额(亿元)"] = "五亿";
  words["线索日期"] = "2026/06/01";
  words["招商方式"] = "招商";
  words["阶段"] = "洽谈";
  auto r = svc_->ImportLeads(city_officer_, Sheet({formula, long_name, words}), true);
  ASSERT_EQ(r.status().code(), Code::kInvalidArgument);
  EXPECT_EQ(Fields(r.status()), (std::vector<std::string>{"第3行 D列（项目名称）", "第4行 E列（意向投资额）",
                                                          "第4行 H列（招商方式）", "第4行 L列（阶段）", "第4行 M列（线索日期）"}))
      << Reasons(r.status());
  // Text starting with = is a name like any other, kept as typed.
  auto ok = svc_->ImportLeads(city_officer_, Sheet({formula}), false);
  ASSERT_TRUE(ok.ok()) << Reasons(ok.status());
  EXPECT_EQ(All()[0].lead.project_name, "=1+1");
}

TEST_P(LeadImportTest, TheTemplateHasDropDownsAndAnExampleRowThatImports) {
  auto tpl = svc_->LeadTemplate(wolong_officer_);
  ASSERT_TRUE(tpl.ok()) << tpl.status().message();
  ASSERT_EQ(tpl->rows.size(), 1u);
  std::map<std::string, std::vector<std::string>> choices;
  for (const auto& c : tpl->columns) choices[c.header] = c.choices;
  EXPECT_EQ(choices["产业链"], std::vector<std::string>{"艾草"});
  EXPECT_EQ(choices["招商员"], std::vector<std::string>{"吴招商"});
  EXPECT_EQ(choices["阶段"].size(), 8u);
  EXPECT_EQ(choices["招商方式"].size(), 5u);
  io::Table example;
  for (const auto& c : tpl->columns) example.header.push_back(c.header);
  example.rows.push_back({2, tpl->rows[0]});
  auto r = svc_->ImportLeads(wolong_officer_, example, true);
  EXPECT_TRUE(r.ok()) << Reasons(r.status());
  auth::Actor leader = wolong_officer_;
  leader.role = "leader";
  EXPECT_EQ(svc_->LeadTemplate(leader).status().code(), Code::kPermissionDenied);
}

INSTANTIATE_TEST_SUITE_P(Databases, LeadImportTest, ::testing::ValuesIn(testing::DatabaseKinds()));

}  // namespace
}  // namespace tiaodu::investment
