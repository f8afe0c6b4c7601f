#include "investment/service.h"

#include <gtest/gtest.h>

#include <string>

#include "../testing/databases.h"
#include "auth/audit.h"
#include "auth/crypto.h"
#include "base/period.h"
#include "org/service.h"

namespace tiaodu::investment {
namespace {

// Specification of the investment use cases, on both databases. Today is 2026-07-15.
//
// The tree: 南阳市 411300 ─ 卧龙区 411303
//                        └ 宛城区 411302
//                        └ 招商局 (department of the city)
class InvestmentServiceTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    ASSERT_TRUE(auth::InitCrypto());
    auto opened = db::Database::Open(testing::FreshDatabaseUrl(GetParam()));
    ASSERT_TRUE(opened.ok()) << opened.status().message();
    db_ = std::move(*opened);
    ASSERT_TRUE(db::Migrate(*db_, clock_.NowMillis()).ok());
    org_ = std::make_unique<org::OrgService>(*db_, clock_);
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
  LeadDetail NewLead(const org::Unit& unit, std::string amount = "5亿元") {
    LeadInput in;
    in.lead.company_id = NewCompany("南阳市艾草制品有限公司" + std::to_string(++n_));
    in.lead.project_name = "艾草深加工项目";
    in.lead.source = "business";
    in.unit_code = unit.code;
    in.amount = amount;
    auto l = svc_->CreateLead(city_officer_, in);
    EXPECT_TRUE(l.ok()) << l.status().message();
    return l.ok() ? *l : LeadDetail{};
  }
  LeadDetail Move(int64_t id, const std::string& stage, const std::string& date) {
    auto cur = svc_->GetLead(city_officer_, id);
    auto l = svc_->ChangeStage(city_officer_, id, stage, date, cur->row.lead.version);
    EXPECT_TRUE(l.ok()) << stage << ": " << l.status().message();
    return l.ok() ? *l : LeadDetail{};
  }
  // Takes a lead from 线索 to 实质性谈判.
  void ToNegotiation(int64_t id) {
    for (const char* s : {"contact", "inspection", "negotiation"}) Move(id, s, "2026-07-15");
  }

  FakeClock clock_{MillisOf(CivilDate{2026, 7, 15})};
  std::unique_ptr<db::Database> db_;
  std::unique_ptr<org::OrgService> org_;
  std::unique_ptr<projects::ProjectService> projects_;
  std::unique_ptr<InvestmentService> svc_;
  auth::Actor system_, city_officer_, wolong_officer_;
  org::Unit city_, wolong_, wancheng_, bureau_;
  int n_ = 0;
};

TEST_P(InvestmentServiceTest, AUnitsOfficerSeesOnlyItsLeadsAndTheCitysBureauSeesAll) {
  NewLead(wolong_);
  NewLead(wancheng_);
  EXPECT_EQ(svc_->ListLeads(city_officer_, {}, "")->total, 2);
  auto mine = svc_->ListLeads(wolong_officer_, {}, "");
  ASSERT_EQ(mine->total, 1);
  EXPECT_EQ(mine->items[0].unit_code, "411303");
}

TEST_P(InvestmentServiceTest, AStageIsReachedOnlyFromThePreviousOneAndSigningNeedsAContract) {
  LeadDetail l = NewLead(wolong_);
  auto jump = svc_->ChangeStage(city_officer_, l.row.lead.id, "signed", "2026-07-15", l.row.lead.version);
  EXPECT_EQ(jump.status().code(), Code::kFailedPrecondition);
  ToNegotiation(l.row.lead.id);
  auto cur = svc_->GetLead(city_officer_, l.row.lead.id);
  EXPECT_EQ(svc_->ChangeStage(city_officer_, l.row.lead.id, "签约", "2026-07-15", cur->row.lead.version).status().code(),
            Code::kFailedPrecondition);
  ASSERT_TRUE(svc_->AddContract(city_officer_, l.row.lead.id, "2026-07-15", "35000万元", "formal").ok());
  LeadDetail s = Move(l.row.lead.id, "签约", "2026-07-15");
  EXPECT_EQ(s.row.lead.stage, "signed");
  EXPECT_EQ(s.row.contract_amount.ToString(), "3.5");
}

TEST_P(InvestmentServiceTest, AnAmountInTheWrongUnitOrAnInvalidUsccIsRefusedAndNothingIsWritten) {
  LeadInput in;
  in.lead.company_id = NewCompany("郑州某某科技有限公司");
  in.lead.project_name = "电子元器件项目";
  in.lead.source = "business";
  in.unit_code = "411303";
  in.amount = "12个";
  EXPECT_EQ(svc_->CreateLead(city_officer_, in).status().code(), Code::kInvalidArgument);
  Company bad;
  bad.name = "某某有限公司";
  bad.uscc = "91350100M000100Y44";  // wrong check character
  EXPECT_EQ(svc_->CreateCompany(city_officer_, bad).status().code(), Code::kInvalidArgument);
  EXPECT_EQ(svc_->ListLeads(city_officer_, {}, "")->total, 0);
  EXPECT_EQ(svc_->ListCompanies(city_officer_, "", "", 1, 50)->total, 1);
}

TEST_P(InvestmentServiceTest, DuplicatesAreFoundByUsccAndByNormalisedNameAndMergedByHand) {
  int64_t a = NewCompany("比亚迪（深圳）有限责任公司", "91350100M000100Y43");
  Company same_uscc;
  same_uscc.name = "另一个名字";
  same_uscc.uscc = "91350100M000100Y43";
  EXPECT_EQ(svc_->CreateCompany(city_officer_, same_uscc).status().code(), Code::kConflict);
  int64_t b = NewCompany("比亚迪(深圳) 有限公司");
  auto detail = svc_->GetCompany(city_officer_, b);
  ASSERT_EQ(detail->duplicates.size(), 1u);
  EXPECT_EQ(detail->duplicates[0].first.id, a);
  LeadInput in;
  in.lead.company_id = b;
  in.lead.project_name = "动力电池项目";
  in.lead.source = "business";
  in.unit_code = "411303";
  in.amount = "20";
  ASSERT_TRUE(svc_->CreateLead(city_officer_, in).ok());
  auto merged = svc_->MergeCompany(city_officer_, b, a, detail->company.version);
  ASSERT_TRUE(merged.ok()) << merged.status().message();
  EXPECT_EQ(merged->company.id, a);
  EXPECT_EQ(merged->leads.size(), 1u);
}

TEST_P(InvestmentServiceTest, ConvertingASignedLeadMakesOneKeyProjectLinkedBothWaysHoweverOftenItIsRepeated) {
  LeadDetail l = NewLead(wolong_);
  EXPECT_EQ(svc_->Convert(city_officer_, l.row.lead.id, l.row.lead.version).status().code(), Code::kFailedPrecondition);
  ToNegotiation(l.row.lead.id);
  ASSERT_TRUE(svc_->AddContract(city_officer_, l.row.lead.id, "2026-07-15", "8", "formal").ok());
  Move(l.row.lead.id, "signed", "2026-07-15");
  int version = svc_->GetLead(city_officer_, l.row.lead.id)->row.lead.version;
  auto first = svc_->Convert(city_officer_, l.row.lead.id, version);
  ASSERT_TRUE(first.ok()) << first.status().message();
  EXPECT_TRUE(first->created);
  auto again = svc_->Convert(city_officer_, l.row.lead.id, version);
  ASSERT_TRUE(again.ok());
  EXPECT_FALSE(again->created);
  EXPECT_EQ(again->project_id, first->project_id);
  auto lead = svc_->GetLead(city_officer_, l.row.lead.id);
  EXPECT_EQ(lead->row.lead.project_id, first->project_id);
  // Starting construction keeps the one project and moves it to 开工.
  Move(l.row.lead.id, "registered", "2026-07-15");
  Move(l.row.lead.id, "started", "2026-07-15");
  auth::Actor office;
  office.system = true;
  auto list = projects_->List(office, {}, "");
  ASSERT_EQ(list->total, 1);
  EXPECT_EQ(list->items[0].project.stage, "started");
  EXPECT_EQ(list->items[0].project.total_investment.ToString(), "8");
}

TEST_P(InvestmentServiceTest, SigningStatisticsAndTargetProgressFollowTheContracts) {
  for (const char* amount : {"0.8", "2.5"}) {
    LeadDetail l = NewLead(wolong_);
    ToNegotiation(l.row.lead.id);
    ASSERT_TRUE(svc_->AddContract(city_officer_, l.row.lead.id, "2026-07-10", amount, "formal").ok());
    Move(l.row.lead.id, "signed", "2026-07-15");
  }
  auto stats = svc_->Stats(city_officer_, "411300", "2026-01-01", "2026-12-31");
  ASSERT_TRUE(stats.ok()) << stats.status().message();
  EXPECT_EQ(stats->first.signed_projects, 2);
  EXPECT_EQ(stats->first.projects_100m, 1);
  EXPECT_EQ(stats->first.contract_amount.ToString(), "3.3");
  auto t = svc_->PutTarget(city_officer_, "411303", 2026, 4, "10", std::nullopt);
  ASSERT_TRUE(t.ok()) << t.status().message();
  EXPECT_EQ(t->actual.projects_100m, 1);
  EXPECT_EQ(t->progress.count_share->ToString(), "25");
  EXPECT_EQ(t->progress.amount_share->ToString(), "33");
  EXPECT_EQ(svc_->PutTarget(city_officer_, "411303", 2026, 5, "10", std::nullopt).status().code(),
            Code::kInvalidArgument);  // an existing target needs its version
}

TEST_P(InvestmentServiceTest, AChainShowsItsGaps) {
  int64_t firm = NewCompany("南阳艾草种植合作社");
  Chain c;
  c.name = "艾草";
  c.chain_leader = "市委副书记";
  c.segments = {{0, 0, "upstream", "艾草种植", 1, {firm}, {}}, {0, 0, "downstream", "艾灸器具", 2, {}, {firm}}};
  auto made = svc_->CreateChain(city_officer_, c);
  ASSERT_TRUE(made.ok()) << made.status().message();
  auto gaps = Gaps(made->chain);
  ASSERT_EQ(gaps.size(), 1u);
  EXPECT_EQ(gaps[0]->name, "艾灸器具");
}

INSTANTIATE_TEST_SUITE_P(Databases, InvestmentServiceTest, ::testing::ValuesIn(testing::DatabaseKinds()));

}  // namespace
}  // namespace tiaodu::investment
