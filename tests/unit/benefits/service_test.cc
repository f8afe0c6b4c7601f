#include "benefits/service.h"

#include <gtest/gtest.h>

#include <string>

#include "../testing/databases.h"
#include "auth/crypto.h"
#include "base/period.h"
#include "investment/rules.h"
#include "investment/store.h"
#include "org/service.h"
#include "auth/store.h"
#include "supervision/store.h"

namespace tiaodu::benefits {
namespace {

// Specification of the 免申即享 use cases, on both databases. Today is 2026-07-15.
//
// The tree: 南阳市 411300 ─ 卧龙区 411303
//                        └ 宛城区 411302
//                        └ 营商办 (a department of the city: acts for the whole city)
class BenefitServiceTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    ASSERT_TRUE(auth::InitCrypto());
    auto opened = db::Database::Open(testing::FreshDatabaseUrl(GetParam()));
    ASSERT_TRUE(opened.ok()) << opened.status().message();
    db_ = std::move(*opened);
    ASSERT_TRUE(db::Migrate(*db_, clock_.NowMillis()).ok());
    org_ = std::make_unique<org::OrgService>(*db_, clock_);
    svc_ = std::make_unique<BenefitService>(*db_, clock_);
    system_.system = true;
    system_.username = "system";
    city_ = Unit({"411300", "南阳市", "city", 0});
    wolong_ = Unit({"411303", "卧龙区", "district", city_.id});
    wancheng_ = Unit({"411302", "宛城区", "district", city_.id});
    office_ = Unit({"D411300-YSB", "营商办", "department", city_.id});
    officer_ = Actor("officer", "investment_officer", office_, city_.path);
    officer2_ = Actor("officer2", "investment_officer", office_, city_.path);
    leader_ = Actor("leader", "leader", city_, city_.path);
    wancheng_officer_ = Actor("officer_wc", "investment_officer", wancheng_, wancheng_.path);
  }
  static int64_t MillisOf(CivilDate d) { return DaysFromCivil(d) * 86'400'000LL + 4 * 3'600'000LL; }
  org::Unit Unit(const org::NewUnit& n) {
    auto u = org_->Create(system_, n);
    EXPECT_TRUE(u.ok()) << u.status().message();
    return u.ok() ? *u : org::Unit{};
  }
  static auth::Actor Actor(std::string name, std::string role, const org::Unit& unit,
                           std::string scope) {
    auth::Actor a;
    a.user_id = 9;
    a.username = std::move(name);
    a.role = std::move(role);
    a.unit_id = unit.id;
    a.unit_path = std::move(scope);
    return a;
  }
  // Registers an enterprise through the import (the only way a new company enters the register
  // here); figures in 万元 for 2024: revenue, R&D.
  void Register(const std::string& name, const std::string& unit, const std::string& scale,
                const std::string& certs, const std::string& revenue, const std::string& rd) {
    io::Table t;
    t.header = {"企业名称", "所属单位编码", "行业代码",       "规模",
                "资质",     "年份",         "营业收入(万元)", "研发投入(万元)"};
    t.rows.push_back({2, {name, unit, "C34", scale, certs, "2024", revenue, rd}});
    auto r = svc_->ImportEnterprises(officer_, t, false);
    ASSERT_TRUE(r.ok()) << r.status().message()
                        << (r.status().details().empty() ? "" : r.status().details()[0].reason);
  }
  int64_t IdOf(const std::string& name) {
    store::EnterpriseQuery q;
    q.q = name;
    auto list = svc_->ListEnterprises(officer_, q, "");
    EXPECT_TRUE(list.ok());
    return list.ok() && !list->items.empty() ? list->items[0].enterprise.id : 0;
  }
  PolicyInput RdPolicy() {
    PolicyInput in;
    in.title = "规上工业企业研发费用补助";
    in.issuer = "南阳市科技局";
    in.doc_number = "宛科〔2025〕12号";
    in.rules.eligibility = "scale = \"规上\" and rd_spending >= 100万";
    in.rules.amount = "min(rd_spending * 0.1, 50万)";
    in.rules.base_year = 2024;
    return in;
  }
  int64_t AuditCount(const std::string& event) {
    int64_t n = 0;
    EXPECT_TRUE(db_->Read([&](db::Tx& tx) {
                     long long c = 0;
                     tx.sql() << "SELECT COUNT(*) FROM audit_log WHERE event = :e",
                         soci::use(event), soci::into(c);
                     n = c;
                     return Status::Ok();
                   })
                    .ok());
    return n;
  }

  FakeClock clock_{MillisOf(CivilDate{2026, 7, 15})};
  std::unique_ptr<db::Database> db_;
  std::unique_ptr<org::OrgService> org_;
  std::unique_ptr<BenefitService> svc_;
  auth::Actor system_, officer_, officer2_, leader_, wancheng_officer_;
  org::Unit city_, wolong_, wancheng_, office_;
};

TEST_P(BenefitServiceTest, TheRegisterIsScopedByTheRegisteredUnit) {
  Register("卧龙机械有限公司", "411303", "规上", "", "20000", "300");
  Register("宛城电子有限公司", "411302", "规上", "专精特新", "8000", "50");
  EXPECT_EQ(svc_->ListEnterprises(officer_, {}, "")->total, 2);
  auto mine = svc_->ListEnterprises(wancheng_officer_, {}, "");
  ASSERT_EQ(mine->total, 1);
  EXPECT_EQ(mine->items[0].enterprise.name, "宛城电子有限公司");
  EXPECT_EQ(mine->items[0].enterprise.certifications.count("专精特新"), 1u);
  EXPECT_EQ(svc_->GetEnterprise(wancheng_officer_, IdOf("卧龙机械")).status().code(),
            Code::kNotFound);
  EXPECT_EQ(svc_->ListEnterprises(wancheng_officer_, {}, "411303").status().code(),
            Code::kNotFound);
}

TEST_P(BenefitServiceTest, AStaleAttributeEditIsRefusedAndAnEditIsAudited) {
  Register("卧龙机械有限公司", "411303", "规上", "", "20000", "300");
  const int64_t id = IdOf("卧龙机械");
  auto e = svc_->GetEnterprise(officer_, id);
  EnterpriseEdit edit;
  edit.unit_code = "411303";
  edit.industry = "C35";
  edit.scale = "规上";
  edit.certifications = {"高新技术企业"};
  edit.version = e->version;
  YearFigures f;
  f.revenue = Decimal::FromInt(250000000);
  edit.years.push_back({2025, f});
  auto done = svc_->EditEnterprise(officer_, id, edit);
  ASSERT_TRUE(done.ok()) << done.status().message();
  EXPECT_EQ(done->enterprise.industry, "C35");
  EXPECT_EQ(done->enterprise.years.at(2025).revenue->ToString(), "250000000");
  EXPECT_FALSE(done->enterprise.years.at(2025).tax_paid.has_value());  // not reported, not zero
  EXPECT_EQ(svc_->EditEnterprise(officer_, id, edit).status().code(),
            Code::kConflict);  // the old version
  EXPECT_EQ(AuditCount("benefit.enterprise.update"), 1);
  edit.version = done->version;
  edit.certifications = {"不存在的资质"};
  EXPECT_EQ(svc_->EditEnterprise(officer_, id, edit).status().code(), Code::kInvalidArgument);
  edit.certifications = {};
  EXPECT_EQ(svc_->EditEnterprise(wancheng_officer_, id, edit).status().code(), Code::kNotFound);
}

TEST_P(BenefitServiceTest, BadRulesAreRefusedAtSaveTimeWithThePositionAndNothingIsWritten) {
  struct Case {
    std::string eligibility, amount, expect;
  } cases[] = {
      {"revenu >= 100", "10万", "未知属性“revenu”"},
      {"scale > 3", "10万", "类型不符"},
      {"scale = \"规上\"", "rd_spending / (10 - 5 * 2)", "除数为0"},
  };
  for (const Case& c : cases) {
    PolicyInput in = RdPolicy();
    in.rules.eligibility = c.eligibility;
    in.rules.amount = c.amount;
    auto made = svc_->CreatePolicy(officer_, in);
    ASSERT_EQ(made.status().code(), Code::kInvalidArgument) << c.eligibility;
    ASSERT_FALSE(made.status().details().empty());
    EXPECT_NE(made.status().details()[0].reason.find(c.expect), std::string::npos)
        << made.status().details()[0].reason;
    EXPECT_NE(made.status().details()[0].reason.find("第1行第"), std::string::npos);
  }
  EXPECT_EQ(svc_->ListPolicies(officer_, {})->total, 0);
  EXPECT_EQ(AuditCount("benefit.policy.create"), 0);
}

TEST_P(BenefitServiceTest, TheCheckCountsMatchesNearMissesAndMissingDataOverTheRegister) {
  Register("甲机械有限公司", "411303", "规上", "", "20000", "300");  // matched: R&D 300万
  Register("乙机械有限公司", "411302", "规上", "", "9000", "80");    // near miss: R&D below 100万
  Register("丙机械有限公司", "411302", "规上", "", "9000", "");      // data missing: no R&D figure
  Register("丁商贸有限公司", "411302", "小微", "", "100", "1");      // two conditions fail
  auto a = svc_->Check(officer_, RdPolicy().rules);
  ASSERT_TRUE(a.ok()) << a.status().message();
  EXPECT_TRUE(a->errors.empty());
  EXPECT_EQ(a->enterprises, 4);
  EXPECT_EQ(a->matched, 1);
  EXPECT_EQ(a->near_miss, 1);
  EXPECT_EQ(a->data_missing, 1);
  EXPECT_EQ(a->not_matched, 1);
  EXPECT_EQ(a->requested.ToString(), "300000");
  PolicyRules bad = RdPolicy().rules;
  bad.eligibility = "scale = \"规上\" and revenu > 1";
  auto b = svc_->Check(officer_, bad);
  ASSERT_EQ(b->errors.size(), 1u);
  EXPECT_EQ(b->errors[0].field, "eligibility");
  EXPECT_EQ(b->errors[0].pos.column, 18);  // "revenu", counted in characters
}

TEST_P(BenefitServiceTest, ARunIsReviewedApprovedByAnotherUserAndPublishedAndStaysFrozen) {
  Register("甲机械有限公司", "411303", "规上", "", "20000", "800");  // 80万 → capped at 50万
  Register("乙机械有限公司", "411302", "规上", "", "9000", "300");   // 30万
  Register("丙机械有限公司", "411302", "规上", "", "9000", "80");    // near miss
  PolicyInput in = RdPolicy();
  in.budget = "60万";
  auto policy = svc_->CreatePolicy(officer_, in);
  ASSERT_TRUE(policy.ok()) << policy.status().message();
  auto run = svc_->StartRun(officer_, policy->id, 2024);
  ASSERT_TRUE(run.ok()) << run.status().message();
  EXPECT_EQ(run->run.state, "draft");
  EXPECT_EQ(run->run.matched, 2);
  EXPECT_EQ(run->run.near_miss, 1);
  EXPECT_EQ(run->run.requested.ToString(), "800000");
  EXPECT_EQ(run->run.granted.ToString(), "600000");  // in order: 50万 in full, then 10万 of 30万
  ASSERT_EQ(run->results.items.size(), 3u);
  EXPECT_EQ(run->results.items[0].granted->ToString(), "500000");
  EXPECT_EQ(run->results.items[1].granted->ToString(), "100000");
  EXPECT_EQ(run->results.items[2].outcome, "near_miss");
  ASSERT_EQ(run->results.items[2].failed.size(), 1u);
  EXPECT_EQ(run->results.items[2].failed[0], "rd_spending >= 100万");

  const int64_t id = run->run.id;
  EXPECT_EQ(svc_->Approve(leader_, id, run->run.version).status().code(),
            Code::kFailedPrecondition);  // not reviewed
  auto reviewed = svc_->Review(officer_, id, run->run.version);
  ASSERT_TRUE(reviewed.ok()) << reviewed.status().message();
  EXPECT_EQ(svc_->Review(officer_, id, run->run.version).status().code(), Code::kConflict);
  // The user who ran it cannot approve it, even with the permission (a system actor aside).
  auth::Actor runner_as_leader = leader_;
  runner_as_leader.username = "officer";
  EXPECT_EQ(svc_->Approve(runner_as_leader, id, reviewed->run.version).status().code(),
            Code::kFailedPrecondition);
  EXPECT_EQ(svc_->Approve(officer2_, id, reviewed->run.version).status().code(),
            Code::kPermissionDenied);
  auto approved = svc_->Approve(leader_, id, reviewed->run.version);
  ASSERT_TRUE(approved.ok()) << approved.status().message();
  auto published = svc_->Publish(officer2_, id, approved->run.version);
  ASSERT_TRUE(published.ok()) << published.status().message();
  EXPECT_EQ(published->run.state, "published");
  EXPECT_EQ(published->run.approved_by, "leader");

  // Data and the policy change afterwards; the published run does not.
  const int64_t near = IdOf("丙机械");
  auto e = svc_->GetEnterprise(officer_, near);
  EnterpriseEdit edit;
  edit.unit_code = "411302";
  edit.industry = "C34";
  edit.scale = "规上";
  edit.version = e->version;
  YearFigures f;
  f.revenue = Decimal::FromInt(90000000);
  f.rd_spending = Decimal::FromInt(5000000);
  edit.years.push_back({2024, f});
  ASSERT_TRUE(svc_->EditEnterprise(officer_, near, edit).ok());
  PolicyInput changed = RdPolicy();
  changed.rules.amount = "10万";
  changed.version = policy->version;
  ASSERT_TRUE(svc_->UpdatePolicy(officer_, policy->id, changed).ok());
  auto again = svc_->GetRun(leader_, id, {});
  EXPECT_EQ(again->run.granted.ToString(), "600000");
  EXPECT_EQ(again->run.amount, "min(rd_spending * 0.1, 50万)");
  EXPECT_EQ(again->results.items[2].outcome, "near_miss");

  // The enterprise page: received and nearly received.
  auto got = svc_->BenefitsOf(officer_, IdOf("甲机械"));
  ASSERT_EQ(got->size(), 1u);
  EXPECT_EQ((*got)[0].result.outcome, "matched");
  EXPECT_EQ((*got)[0].run.policy_title, "规上工业企业研发费用补助");
  auto nearly = svc_->BenefitsOf(officer_, near);
  ASSERT_EQ(nearly->size(), 1u);
  EXPECT_EQ((*nearly)[0].result.outcome, "near_miss");
  EXPECT_EQ(AuditCount("benefit.run.publish"), 1);
}

// Users stored in the database (the notifications go to real accounts); the actor acting as
// that user.
auth::Actor StoredUser(db::Database& db, const std::string& name, const std::string& role,
                       const org::Unit& unit, const std::string& scope, bool disabled = false) {
  auth::User u;
  u.username = name;
  u.display_name = name;
  u.role = role;
  u.unit_id = unit.id;
  u.password_hash = "-";
  u.disabled = disabled;
  int64_t id = 0;
  EXPECT_TRUE(db.Write([&](db::Tx& tx) {
                  id = auth::store::InsertUser(tx, u);
                  return Status::Ok();
                }).ok());
  auth::Actor a;
  a.user_id = id;
  a.username = name;
  a.role = role;
  a.unit_id = unit.id;
  a.unit_path = scope;
  return a;
}

std::vector<supervision::Notification> Inbox(db::Database& db, const auth::Actor& user) {
  std::vector<supervision::Notification> out;
  EXPECT_TRUE(db.Read([&](db::Tx& tx) {
                  out = supervision::store::Notifications(tx, user.user_id, false, 1, 50, nullptr);
                  return Status::Ok();
                }).ok());
  return out;
}

TEST_P(BenefitServiceTest, EachStepOfARunTellsThePeopleOfTheNextStepAndNobodyOutsideItsScope) {
  Register("甲机械有限公司", "411303", "规上", "", "20000", "800");
  const auth::Actor officer = StoredUser(*db_, "officer_s", "investment_officer", office_, city_.path);
  const auth::Actor leader = StoredUser(*db_, "leader_s", "leader", city_, city_.path);
  const auth::Actor leader_wc = StoredUser(*db_, "leader_wc", "leader", wancheng_, wancheng_.path);
  const auth::Actor gone = StoredUser(*db_, "leader_gone", "leader", city_, city_.path, true);
  const auth::Actor stat = StoredUser(*db_, "stat_s", "statistician", city_, city_.path);
  auto policy = svc_->CreatePolicy(officer, RdPolicy());
  ASSERT_TRUE(policy.ok()) << policy.status().message();
  auto run = svc_->StartRun(officer, policy->id, 2024);
  ASSERT_TRUE(run.ok()) << run.status().message();
  EXPECT_TRUE(Inbox(*db_, leader).empty());  // a draft is nobody else's business yet

  auto reviewed = svc_->Review(officer, run->run.id, run->run.version);
  ASSERT_TRUE(reviewed.ok()) << reviewed.status().message();
  // The city's approvers hear of it; 宛城区's leader, a disabled account and a role without
  // benefit.approve do not; the reviewer is not told of their own step.
  auto inbox = Inbox(*db_, leader);
  ASSERT_EQ(inbox.size(), 1u);
  EXPECT_EQ(inbox[0].kind, "benefit_review");
  EXPECT_EQ(inbox[0].object_kind, "benefit_run");
  EXPECT_EQ(inbox[0].object_id, run->run.id);
  EXPECT_NE(inbox[0].title.find("规上工业企业研发费用补助"), std::string::npos) << inbox[0].title;
  EXPECT_NE(inbox[0].body.find("符合 1 家"), std::string::npos) << inbox[0].body;
  EXPECT_TRUE(Inbox(*db_, leader_wc).empty());
  EXPECT_TRUE(Inbox(*db_, gone).empty());
  EXPECT_TRUE(Inbox(*db_, stat).empty());
  EXPECT_TRUE(Inbox(*db_, officer).empty());

  auto approved = svc_->Approve(leader, run->run.id, reviewed->run.version);
  ASSERT_TRUE(approved.ok()) << approved.status().message();
  inbox = Inbox(*db_, officer);  // the one who ran and reviewed it publishes it
  ASSERT_EQ(inbox.size(), 1u);
  EXPECT_EQ(inbox[0].kind, "benefit_approve");
  EXPECT_EQ(Inbox(*db_, leader).size(), 1u);

  ASSERT_TRUE(svc_->Publish(officer, run->run.id, approved->run.version).ok());
  inbox = Inbox(*db_, leader);
  ASSERT_EQ(inbox.size(), 2u);  // newest first
  EXPECT_EQ(inbox[0].kind, "benefit_publish");
  EXPECT_EQ(Inbox(*db_, officer).size(), 1u);
}

TEST_P(BenefitServiceTest, ADistrictPolicyMatchesOnlyItsDistrictsEnterprisesAndIsHiddenFromOthers) {
  Register("甲机械有限公司", "411303", "规上", "", "20000", "800");
  Register("乙机械有限公司", "411302", "规上", "", "9000", "300");
  PolicyInput in = RdPolicy();
  in.unit_code = "411302";
  auto policy = svc_->CreatePolicy(wancheng_officer_, in);
  ASSERT_TRUE(policy.ok()) << policy.status().message();
  auto run = svc_->StartRun(wancheng_officer_, policy->id, 2024);
  ASSERT_TRUE(run.ok());
  EXPECT_EQ(run->run.enterprises, 1);
  EXPECT_EQ(run->run.matched, 1);
  in.unit_code = "411303";
  EXPECT_EQ(svc_->CreatePolicy(wancheng_officer_, in).status().code(), Code::kInvalidArgument);
  auto city = svc_->CreatePolicy(officer_, RdPolicy());
  EXPECT_EQ(svc_->GetPolicy(wancheng_officer_, city->id).status().code(), Code::kNotFound);
  EXPECT_EQ(svc_->StartRun(wancheng_officer_, city->id, 2024).status().code(), Code::kNotFound);
}

TEST_P(BenefitServiceTest, AUnitInARuleMeansTheUnitAndTheTownsAndZonesUnderIt) {
  Unit({"41130201", "仲景街道", "town", wancheng_.id});
  Register("宛城机械有限公司", "411302", "规上", "", "9000", "300");
  Register("仲景机械有限公司", "41130201", "规上", "", "9000", "200");
  Register("卧龙机械有限公司", "411303", "规上", "", "9000", "300");
  PolicyInput in = RdPolicy();
  in.rules.eligibility = "unit = \"411302\" and scale = \"规上\"";
  auto policy = svc_->CreatePolicy(officer_, in);
  ASSERT_TRUE(policy.ok()) << policy.status().message();
  auto run = svc_->StartRun(officer_, policy->id, 2024);
  ASSERT_TRUE(run.ok()) << run.status().message();
  EXPECT_EQ(run->run.enterprises, 3);
  EXPECT_EQ(run->run.matched, 2);  // 宛城区's own and its town's
  EXPECT_EQ(run->run.near_miss, 1);
  for (const auto& r : run->results.items)
    EXPECT_EQ(r.outcome, r.company_name == "卧龙机械有限公司" ? "near_miss" : "matched")
        << r.company_name;

  // The editor's count and the other comparisons agree.
  PolicyRules rules = in.rules;
  rules.eligibility = "unit in [\"411302\", \"411321\"] and scale = \"规上\"";
  auto listed = svc_->Check(officer_, rules);
  ASSERT_TRUE(listed.ok()) << listed.status().message();
  EXPECT_EQ(listed->matched, 2);
  rules.eligibility = "unit != \"411302\" and scale = \"规上\"";
  auto others = svc_->Check(officer_, rules);
  ASSERT_TRUE(others.ok()) << others.status().message();
  EXPECT_EQ(others->matched, 1);  // 卧龙区's only
  EXPECT_EQ(others->near_miss, 2);
}

TEST_P(BenefitServiceTest, ARunIsRefusedOnceThePolicyHasExpiredOrForAYearAfterItsValidity) {
  Register("甲机械有限公司", "411303", "规上", "", "20000", "300");
  // Today is 2026-07-15.
  PolicyInput expired = RdPolicy();
  expired.valid_from = CivilDate{2024, 1, 1};
  expired.valid_to = CivilDate{2026, 7, 14};
  auto old = svc_->CreatePolicy(officer_, expired);
  ASSERT_TRUE(old.ok()) << old.status().message();
  auto refused = svc_->StartRun(officer_, old->id, 2024);
  EXPECT_EQ(refused.status().code(), Code::kFailedPrecondition);
  EXPECT_EQ(refused.status().message(), "政策已于2026年7月14日失效，不能再发起匹配");

  PolicyInput current = RdPolicy();
  current.valid_from = CivilDate{2025, 1, 1};
  current.valid_to = CivilDate{2026, 7, 15};  // its last day is today: still valid
  auto policy = svc_->CreatePolicy(officer_, current);
  ASSERT_TRUE(policy.ok()) << policy.status().message();
  auto later = svc_->StartRun(officer_, policy->id, 2027);
  ASSERT_EQ(later.status().code(), Code::kInvalidArgument);
  ASSERT_EQ(later.status().details().size(), 1u);
  EXPECT_EQ(later.status().details()[0].field, "year");
  EXPECT_EQ(later.status().details()[0].reason,
            "政策有效期至2026年7月15日，匹配年度不能晚于2026年：2027");
  EXPECT_TRUE(svc_->StartRun(officer_, policy->id, 2026).ok());
  auto earlier = svc_->StartRun(officer_, policy->id, 2024);  // before valid_from's year too
  ASSERT_TRUE(earlier.ok()) << earlier.status().message();
  EXPECT_EQ(earlier->run.matched, 1);
  EXPECT_EQ(svc_->RunsOf(officer_, old->id)->size(), 0u);
  EXPECT_EQ(AuditCount("benefit.run.create"), 2);
}

TEST_P(BenefitServiceTest, NewCompaniesAreAddedAsTheInvestmentModuleAddsThem) {
  io::Table t;
  t.header = {"统一社会信用代码", "企业名称", "所属单位编码", "年份", "营业收入(万元)"};
  t.rows.push_back({2, {"91350100M000100Y43", "南阳（宛城）精工有限公司", "411302", "2024", "9000"}});
  auto done = svc_->ImportEnterprises(officer_, t, false);
  ASSERT_TRUE(done.ok()) << done.status().message();
  // The investment module's duplicate search finds it by its normalized name.
  EXPECT_TRUE(db_->Read([&](db::Tx& tx) {
                   auto same = investment::store::CompaniesByNormalizedName(
                       tx, investment::NormalizeCompanyName("南阳(宛城)精工有限公司"));
                   EXPECT_EQ(same.size(), 1u);
                   return Status::Ok();
                 })
                  .ok());
  // A second company with a registered 统一社会信用代码 is refused, as CreateCompany refuses it.
  store::EnterpriseRow row;
  row.enterprise.name = "另一家精工有限公司";
  row.uscc = "91350100M000100Y43";
  row.unit_id = wancheng_.id;
  Status loaded = svc_->LoadRegister(system_, {row});
  EXPECT_EQ(loaded.code(), Code::kConflict);
  EXPECT_NE(loaded.message().find("统一社会信用代码已登记：南阳（宛城）精工有限公司"),
            std::string::npos)
      << loaded.message();
  EXPECT_EQ(svc_->ListEnterprises(officer_, {}, "")->total, 1);
  EXPECT_EQ(AuditCount("benefit.enterprise.load"), 0);
}

TEST_P(BenefitServiceTest, AnImportIsAllOrNothingAndAnExportImportsBackUnchanged) {
  io::Table t;
  t.header = {"统一社会信用代码", "企业名称",       "所属单位编码",
              "行业代码",         "规模",           "资质",
              "成立日期",         "年份",           "营业收入(万元)",
              "纳税额(万元)",     "研发投入(万元)", "从业人员(人)"};
  t.rows.push_back({2,
                    {"", "甲机械有限公司", "411303", "C34", "规上", "专精特新、高新技术企业",
                     "2015-03-20", "2023", "18000.5", "900", "600", "210"}});
  t.rows.push_back({3,
                    {"", "甲机械有限公司", "411303", "C34", "规上", "专精特新、高新技术企业",
                     "2015-03-20", "2024", "20000.25", "", "800", "230"}});
  t.rows.push_back(
      {4, {"", "乙商贸有限公司", "411302", "F51", "限上", "", "", "2024", "5000", "100", "", ""}});
  io::Table bad = t;
  bad.rows[1].cells[4] = "中型";    // scale
  bad.rows[2].cells[2] = "999999";  // unit
  auto refused = svc_->ImportEnterprises(officer_, bad, false);
  ASSERT_EQ(refused.status().code(), Code::kInvalidArgument);
  ASSERT_GE(refused.status().details().size(), 2u);
  EXPECT_EQ(refused.status().details()[0].field, "第3行 E列（规模）");
  EXPECT_EQ(svc_->ListEnterprises(officer_, {}, "")->total, 0);

  auto done = svc_->ImportEnterprises(officer_, t, false);
  ASSERT_TRUE(done.ok()) << done.status().message();
  EXPECT_EQ(done->inserted, 3);
  auto sheet = svc_->ExportEnterprises(officer_, {}, "");
  ASSERT_TRUE(sheet.ok());
  ASSERT_EQ(sheet->rows.size(), 3u);
  io::Table back;
  for (const auto& c : sheet->columns) back.header.push_back(c.header);
  int line = 2;
  for (const auto& r : sheet->rows) back.rows.push_back({line++, r});
  auto again = svc_->ImportEnterprises(officer_, back, false);
  ASSERT_TRUE(again.ok()) << again.status().message()
                          << (again.status().details().empty()
                                  ? ""
                                  : again.status().details()[0].reason);
  EXPECT_EQ(again->unchanged, 3);
  EXPECT_EQ(again->updated + again->inserted, 0);
  auto a = svc_->GetEnterprise(officer_, IdOf("甲机械"));
  EXPECT_EQ(a->enterprise.years.at(2024).revenue->ToString(), "200002500");
  EXPECT_FALSE(a->enterprise.years.at(2024).tax_paid.has_value());
  EXPECT_EQ(a->enterprise.years.at(2023).employees->ToString(), "210");
}

// Everything a run stores, results included, in a form to compare runs by.
std::string RunContent(BenefitService& svc, const auth::Actor& actor, int64_t run_id) {
  store::ResultQuery q;
  q.page_size = 500;
  auto d = svc.GetRun(actor, run_id, q);
  EXPECT_TRUE(d.ok());
  if (!d.ok()) return "";
  const store::RunRecord& r = d->run;
  std::string out = std::to_string(r.policy_id) + " " + std::to_string(r.year) + " " + r.state +
                    " n=" + std::to_string(r.enterprises) + " m=" + std::to_string(r.matched) +
                    " nm=" + std::to_string(r.near_miss) + " dm=" + std::to_string(r.data_missing) +
                    " de=" + std::to_string(r.data_error) + " rq=" + r.requested.ToString() +
                    " g=" + r.granted.ToString() + "\n";
  auto join = [](const std::vector<std::string>& v) {
    std::string j;
    for (const auto& x : v) j += x + "|";
    return j;
  };
  for (const auto& x : d->results.items)
    out += x.company_name + " " + x.outcome + " met=" + join(x.met) + " failed=" + join(x.failed) +
           " missing=" + join(x.missing) + " error=" + x.error + " inputs=" + x.inputs +
           " rq=" + (x.requested ? x.requested->ToString() : "-") +
           " g=" + (x.granted ? x.granted->ToString() : "-") + "\n";
  return out;
}

TEST_P(BenefitServiceTest, ABatchStoresEachPolicysRunAsRunningItAloneWould) {
  Register("甲机械有限公司", "411303", "规上", "专精特新", "20000", "800");
  Register("乙机械有限公司", "411302", "规上", "", "9000", "300");
  Register("丙机械有限公司", "411302", "小微", "专精特新", "900", "");
  auto rd = svc_->CreatePolicy(officer_, RdPolicy());
  PolicyInput big = RdPolicy();  // reads revenue first: another slot order in the shared layout
  big.title = "营收与研发双达标奖励";
  big.rules.eligibility = "revenue >= 5000万 and rd_spending >= 10万 and \"专精特新\" in certifications";
  big.rules.amount = "revenue * 0.001";
  big.budget = "10万";
  big.budget_mode = "pro_rata";
  auto both = svc_->CreatePolicy(officer_, big);
  PolicyInput district = RdPolicy();
  district.title = "宛城区研发奖励";
  district.unit_code = "411302";
  auto wc = svc_->CreatePolicy(officer_, district);
  ASSERT_TRUE(rd.ok() && both.ok() && wc.ok());

  auto batch = svc_->StartRuns(officer_, 2024, {});
  ASSERT_TRUE(batch.ok()) << batch.status().message();
  ASSERT_EQ(batch->size(), 3u);
  EXPECT_EQ((*batch)[0].policy_id, rd->id);  // all policies: by id
  EXPECT_EQ((*batch)[2].enterprises, 2);     // the district's register only
  EXPECT_EQ((*batch)[1].near_miss, 1);  // 丙 fails the revenue and lacks R&D: not a near miss
  EXPECT_EQ(AuditCount("benefit.run.create"), 3);
  for (const auto& run : *batch) {
    EXPECT_EQ(run.state, "draft");
    auto alone = svc_->StartRun(officer_, run.policy_id, 2024);
    ASSERT_TRUE(alone.ok()) << alone.status().message();
    EXPECT_EQ(RunContent(*svc_, officer_, run.id), RunContent(*svc_, officer_, alone->run.id));
  }
  EXPECT_EQ(AuditCount("benefit.run.create"), 6);
  // A listed subset, in the order asked.
  auto two = svc_->StartRuns(officer_, 2024, {wc->id, rd->id, wc->id});
  ASSERT_TRUE(two.ok()) << two.status().message();
  ASSERT_EQ(two->size(), 2u);
  EXPECT_EQ((*two)[0].policy_id, wc->id);
  EXPECT_EQ((*two)[1].policy_id, rd->id);
}

// A result in a form to compare by: every field the API shows.
std::string ResultText(const store::ResultRecord& x) {
  auto join = [](const std::vector<std::string>& v) {
    std::string j;
    for (const auto& s : v) j += s + "|";
    return j;
  };
  return std::to_string(x.company_id) + " " + x.company_name + " " + x.uscc + " " + x.unit_code +
         " " + x.unit_name + " " + x.outcome + " met=" + join(x.met) + " failed=" +
         join(x.failed) + " missing=" + join(x.missing) + " error=" + x.error +
         " inputs=" + x.inputs + " rq=" + (x.requested ? x.requested->ToString() : "-") +
         " g=" + (x.granted ? x.granted->ToString() : "-");
}

// How many rows a table holds.
int64_t Rows(db::Database& db, const std::string& table) {
  long long n = 0;
  EXPECT_TRUE(db.Read([&](db::Tx& tx) {
                  tx.sql() << "SELECT COUNT(*) FROM " + table, soci::into(n);
                  return Status::Ok();
                })
                  .ok());
  return n;
}

TEST_P(BenefitServiceTest, ARunsResultsReadFromItsBlockEqualTheRowsItsPublicationStores) {
  // Every outcome, equal amounts (ordered by company id), a two-line condition, figures of two
  // years, certifications and a division by zero.
  Register("甲机械有限公司", "411303", "规上", "专精特新、高新技术企业", "20000", "800");
  Register("乙机械有限公司", "411302", "规上", "", "9000", "300");
  Register("丁机械有限公司", "411302", "规上", "", "9000", "300");
  Register("丙机械有限公司", "411302", "规上", "", "9000", "80");   // near miss
  Register("戊机械有限公司", "411303", "规上", "", "9000", "");     // R&D missing
  Register("己机械有限公司", "411303", "规上", "", "0", "200");     // revenue 0: ÷0
  Register("庚机械有限公司", "411303", "小微", "", "100", "1");     // not matched: not stored
  PolicyInput in = RdPolicy();
  in.rules.eligibility =
      "scale = \"规上\" and rd_spending >= 100万\n  and rd_spending / revenue >= 0.001\n"
      "and (revenue >= 1万 or\n\n revenue[2023] >= 0 or revenue >= 0)";
  in.budget = "70万";
  auto policy = svc_->CreatePolicy(officer_, in);
  ASSERT_TRUE(policy.ok()) << policy.status().message();
  auto run = svc_->StartRun(officer_, policy->id, 2024);
  ASSERT_TRUE(run.ok()) << run.status().message();
  EXPECT_EQ(run->run.snapshot_id != 0, true);
  EXPECT_EQ(run->run.matched, 3);
  EXPECT_EQ(run->run.near_miss, 1);
  EXPECT_EQ(run->run.data_missing, 1);
  EXPECT_EQ(run->run.data_error, 1);
  EXPECT_EQ(Rows(*db_, "benefit_results"), 0);  // a draft's results are its block
  ASSERT_EQ(run->results.items.size(), 6u);
  EXPECT_EQ(run->results.items[0].company_name, "甲机械有限公司");
  EXPECT_EQ(run->results.items[1].company_name, "乙机械有限公司");  // 30万 each: by id
  EXPECT_EQ(run->results.items[2].company_name, "丁机械有限公司");
  EXPECT_EQ(run->results.items[1].granted->ToString(), "200000");
  EXPECT_EQ(run->results.items[2].granted->ToString(), "0");
  EXPECT_EQ(run->results.items[0].inputs,
            "industry=C34; scale=规上; certifications=专精特新、高新技术企业; unit=411303; "
            "founded=-; rd_spending[2024]=8000000; revenue[2024]=200000000; revenue[2023]=-");
  EXPECT_EQ(run->results.items[4].missing, std::vector<std::string>{"rd_spending[2024]"});
  EXPECT_EQ(run->results.items[5].outcome, "data_error");
  EXPECT_NE(run->results.items[5].error, "");

  // Every page of every filter, read from the block; then the same read from the rows that
  // publishing stores, through the query runs stored before migration 10 use.
  auto pages = [&](const std::string& outcome, int size) {
    std::vector<std::string> out;
    int64_t total = -1;
    for (int page = 1; page <= 8; ++page) {
      store::ResultQuery q;
      q.outcome = outcome;
      q.page = page;
      q.page_size = size;
      auto d = svc_->GetRun(leader_, run->run.id, q);
      EXPECT_TRUE(d.ok()) << d.status().message();
      if (!d.ok()) break;
      total = d->results.total;
      for (const auto& x : d->results.items) out.push_back(ResultText(x));
    }
    out.push_back("total=" + std::to_string(total));
    return out;
  };
  auto rows = [&](const std::string& outcome, int size) {
    std::vector<std::string> out;
    int64_t total = -1;
    EXPECT_TRUE(db_->Read([&](db::Tx& tx) {
                     for (int page = 1; page <= 8; ++page) {
                       store::ResultQuery q{run->run.id, outcome, page, size};
                       for (const auto& x : store::ListResults(tx, q, &total))
                         out.push_back(ResultText(x));
                     }
                     return Status::Ok();
                   })
                    .ok());
    out.push_back("total=" + std::to_string(total));
    return out;
  };
  const std::vector<std::pair<std::string, int>> reads = {
      {"", 500}, {"", 2}, {"matched", 2}, {"near_miss", 1}, {"data_missing", 3}, {"data_error", 1}};
  std::vector<std::vector<std::string>> from_block;
  for (const auto& [outcome, size] : reads) from_block.push_back(pages(outcome, size));
  EXPECT_EQ(from_block[0].size(), 7u);
  // The workbook's read: every result of a filter in one pass, the same as all its pages.
  auto all = [&](const std::string& outcome) {
    std::vector<std::string> out;
    auto d = svc_->AllResults(leader_, run->run.id, outcome);
    EXPECT_TRUE(d.ok()) << d.status().message();
    if (!d.ok()) return out;
    for (const auto& x : d->results.items) out.push_back(ResultText(x));
    out.push_back("total=" + std::to_string(d->results.total));
    return out;
  };
  for (size_t k = 0; k < reads.size(); ++k) EXPECT_EQ(all(reads[k].first), from_block[k]);
  EXPECT_EQ(svc_->AllResults(leader_, run->run.id, "bogus").status().code(),
            Code::kInvalidArgument);

  auto reviewed = svc_->Review(officer_, run->run.id, run->run.version);
  auto approved = svc_->Approve(leader_, run->run.id, reviewed->run.version);
  auto published = svc_->Publish(officer_, run->run.id, approved->run.version);
  ASSERT_TRUE(published.ok()) << published.status().message();
  EXPECT_EQ(Rows(*db_, "benefit_results"), 6);
  for (size_t k = 0; k < reads.size(); ++k) {
    EXPECT_EQ(rows(reads[k].first, reads[k].second), from_block[k]) << reads[k].first;
    EXPECT_EQ(pages(reads[k].first, reads[k].second), from_block[k]) << "published";
  }
  // The enterprise page reads the rows.
  auto got = svc_->BenefitsOf(officer_, IdOf("丙机械"));
  ASSERT_EQ(got->size(), 1u);
  EXPECT_EQ(ResultText((*got)[0].result), from_block[3][0]);
}

TEST_P(BenefitServiceTest, ARunStoredBeforeMigration10KeepsReadingAndPublishingItsRows) {
  Register("甲机械有限公司", "411303", "规上", "", "20000", "800");
  Register("乙机械有限公司", "411302", "规上", "", "9000", "80");
  auto policy = svc_->CreatePolicy(officer_, RdPolicy());
  ASSERT_TRUE(policy.ok());
  const int64_t jia = IdOf("甲机械"), yi = IdOf("乙机械");
  int64_t run_id = 0;
  ASSERT_TRUE(db_->Write([&](db::Tx& tx) {
                   store::RunRecord r;  // as the code before migration 10 stored it: no block
                   r.policy_id = policy->id;
                   r.policy_version = policy->version;
                   r.year = 2024;
                   r.eligibility = RdPolicy().rules.eligibility;
                   r.amount = RdPolicy().rules.amount;
                   r.enterprises = 2;
                   r.matched = 1;
                   r.near_miss = 1;
                   r.requested = r.granted = Decimal::FromInt(500000);
                   r.run_by = "officer";
                   r.run_at = clock_.NowMillis();
                   run_id = store::InsertRun(tx, r);
                   std::vector<store::NewResult> rows(2);
                   rows[0] = {yi, "near_miss", "scale = \"规上\"", "rd_spending >= 100万", "", "",
                              "industry=C34; rd_spending[2024]=800000", Decimal::FromInt(80000),
                              std::nullopt};
                   rows[1] = {jia, "matched", "scale = \"规上\"\nrd_spending >= 100万", "", "", "",
                              "industry=C34; rd_spending[2024]=8000000",
                              Decimal::FromInt(500000), Decimal::FromInt(500000)};
                   store::InsertResults(tx, run_id, rows);
                   return Status::Ok();
                 })
                  .ok());
  auto run = svc_->GetRun(leader_, run_id, {});
  ASSERT_TRUE(run.ok()) << run.status().message();
  EXPECT_EQ(run->run.snapshot_id, 0);
  ASSERT_EQ(run->results.items.size(), 2u);
  EXPECT_EQ(run->results.total, 2);
  EXPECT_EQ(run->results.items[0].company_name, "甲机械有限公司");  // matched first
  EXPECT_EQ(run->results.items[0].met.size(), 2u);
  EXPECT_EQ(run->results.items[1].inputs, "industry=C34; rd_spending[2024]=800000");
  store::ResultQuery q;
  q.outcome = "near_miss";
  auto near = svc_->GetRun(leader_, run_id, q);
  ASSERT_EQ(near->results.items.size(), 1u);
  EXPECT_EQ(near->results.items[0].failed, std::vector<std::string>{"rd_spending >= 100万"});
  auto every = svc_->AllResults(leader_, run_id, "");
  ASSERT_TRUE(every.ok()) << every.status().message();
  ASSERT_EQ(every->results.items.size(), 2u);
  EXPECT_EQ(every->results.items[0].company_name, "甲机械有限公司");

  auto reviewed = svc_->Review(officer_, run_id, run->run.version);
  auto approved = svc_->Approve(leader_, run_id, reviewed->run.version);
  auto published = svc_->Publish(officer_, run_id, approved->run.version);
  ASSERT_TRUE(published.ok()) << published.status().message();
  EXPECT_EQ(Rows(*db_, "benefit_results"), 2);  // its rows, not stored again
  auto got = svc_->BenefitsOf(officer_, yi);
  ASSERT_EQ(got->size(), 1u);
  EXPECT_EQ(got->front().result.outcome, "near_miss");
}

// A run published, then its register, its policy and the unit tree changed: recomputing it
// from what it stored gives exactly its results.
TEST_P(BenefitServiceTest, APublishedRunReproducesAfterTheRegisterThePolicyAndTheUnitTreeChange) {
  org::Unit town = Unit({"41130201", "仲景街道", "town", wancheng_.id});
  Register("宛城机械有限公司", "411302", "规上", "", "9000", "300");    // 30万
  Register("仲景机械有限公司", "41130201", "规上", "", "9000", "800");  // 50万 (capped): by the tree
  Register("卧龙机械有限公司", "411303", "规上", "", "9000", "300");    // near miss: not 宛城区
  Register("宛城电子有限公司", "411302", "规上", "", "9000", "");       // R&D missing
  PolicyInput in = RdPolicy();
  in.rules.eligibility = "unit = \"411302\" and scale = \"规上\" and rd_spending >= 100万";
  in.budget = "60万";
  auto policy = svc_->CreatePolicy(officer_, in);
  ASSERT_TRUE(policy.ok()) << policy.status().message();
  auto run = svc_->StartRun(officer_, policy->id, 2024);
  ASSERT_TRUE(run.ok()) << run.status().message();
  ASSERT_EQ(run->run.matched, 2);
  EXPECT_EQ(run->run.granted.ToString(), "600000");
  auto reviewed = svc_->Review(officer_, run->run.id, run->run.version);
  auto approved = svc_->Approve(leader_, run->run.id, reviewed->run.version);
  auto published = svc_->Publish(officer_, run->run.id, approved->run.version);
  ASSERT_TRUE(published.ok()) << published.status().message();

  auto same = svc_->Reproduce(leader_, run->run.id);
  ASSERT_TRUE(same.ok()) << same.status().message();
  EXPECT_TRUE(same->ok);
  EXPECT_EQ(same->enterprises, 4);
  EXPECT_EQ(same->compared, 4);
  EXPECT_EQ(same->total_differences, 0);
  EXPECT_FALSE(same->current_unit_tree);

  // The town moves to 卧龙区, figures change, the policy's rules change.
  auto moved = org_->Move(system_, town.id, wolong_.id, town.version);
  ASSERT_TRUE(moved.ok()) << moved.status().message();
  Register("宛城机械有限公司", "411302", "规上", "", "9000", "50");
  Register("宛城电子有限公司", "411302", "规上", "", "9000", "900");
  in.rules.amount = "rd_spending * 0.2";
  in.version = policy->version;
  ASSERT_TRUE(svc_->UpdatePolicy(officer_, policy->id, in).ok());
  auto today = svc_->StartRun(officer_, policy->id, 2024);
  ASSERT_TRUE(today.ok()) << today.status().message();
  EXPECT_EQ(today->run.matched, 1);  // only 宛城电子 now: a run today differs

  auto still = svc_->Reproduce(officer_, run->run.id);
  ASSERT_TRUE(still.ok()) << still.status().message();
  EXPECT_TRUE(still->ok);
  EXPECT_EQ(still->total_differences, 0);
  for (const auto& d : still->differences)
    ADD_FAILURE() << d.company_name << " " << d.field << ": " << d.stored << " / " << d.recomputed;
}

TEST_P(BenefitServiceTest, AChangedStoredAmountIsReportedNamingTheEnterpriseAndTheField) {
  Register("甲机械有限公司", "411303", "规上", "", "20000", "800");  // 50万
  Register("乙机械有限公司", "411302", "规上", "", "9000", "300");   // 30万
  auto policy = svc_->CreatePolicy(officer_, RdPolicy());
  ASSERT_TRUE(policy.ok()) << policy.status().message();
  auto run = svc_->StartRun(officer_, policy->id, 2024);
  ASSERT_TRUE(run.ok()) << run.status().message();
  // A copy of the run whose block grants 甲 one 元 more (as an edit of the database would).
  int64_t tampered = 0;
  ASSERT_TRUE(db_->Write([&](db::Tx& tx) -> Status {
                   auto stored = store::RunResults(tx, run->run.id);
                   EXPECT_TRUE(stored.has_value());
                   auto block = DecodeResults(*auth::Base64Decode(*stored));
                   EXPECT_TRUE(block.ok());
                   StoredResult& first = block->results.at(0);
                   EXPECT_EQ(first.granted->ToString(), "500000");
                   first.granted = Decimal::FromInt(500001);
                   tampered = store::InsertRun(tx, run->run,
                                               auth::Base64Encode(EncodeResults(*block)));
                   return Status::Ok();
                 })
                  .ok());
  auto r = svc_->Reproduce(leader_, tampered);
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_FALSE(r->ok);
  ASSERT_EQ(r->total_differences, 1);
  ASSERT_EQ(r->differences.size(), 1u);
  EXPECT_EQ(r->differences[0].company_id, IdOf("甲机械"));
  EXPECT_EQ(r->differences[0].company_name, "甲机械有限公司");
  EXPECT_EQ(r->differences[0].field, "granted");
  EXPECT_EQ(r->differences[0].stored, "500001");
  EXPECT_EQ(r->differences[0].recomputed, "500000");
  EXPECT_TRUE(svc_->Reproduce(leader_, run->run.id)->ok);  // the run itself is intact

  // Outside the run's scope, an unknown run, or without benefit.read: as GetRun.
  EXPECT_EQ(svc_->Reproduce(wancheng_officer_, run->run.id).status().code(), Code::kNotFound);
  EXPECT_EQ(svc_->Reproduce(leader_, tampered + 100).status().code(), Code::kNotFound);
  auth::Actor nobody = Actor("nobody", "reporter", city_, city_.path);
  EXPECT_EQ(svc_->Reproduce(nobody, run->run.id).status().code(), Code::kPermissionDenied);
}

TEST_P(BenefitServiceTest, ARunStoredBeforeTheSnapshotsCannotBeReproducedAndSaysWhy) {
  auto policy = svc_->CreatePolicy(officer_, RdPolicy());
  ASSERT_TRUE(policy.ok());
  int64_t run_id = 0;
  ASSERT_TRUE(db_->Write([&](db::Tx& tx) {
                   store::RunRecord r;  // as the code before migration 10 stored it: no block
                   r.policy_id = policy->id;
                   r.policy_version = policy->version;
                   r.year = 2024;
                   r.eligibility = RdPolicy().rules.eligibility;
                   r.amount = RdPolicy().rules.amount;
                   r.run_by = "officer";
                   r.run_at = clock_.NowMillis();
                   run_id = store::InsertRun(tx, r);
                   return Status::Ok();
                 })
                  .ok());
  auto r = svc_->Reproduce(leader_, run_id);
  EXPECT_EQ(r.status().code(), Code::kFailedPrecondition);  // 422
  EXPECT_NE(r.status().message().find("该批次在快照功能之前生成，无法复算"), std::string::npos)
      << r.status().message();
}

TEST_P(BenefitServiceTest, TheNoticeListsTheMatchedEnterprisesInTheRunsOrderAndWhoApprovedIt) {
  Register("甲机械有限公司", "411303", "规上", "", "20000", "800");  // 50万 (capped)
  Register("乙机械有限公司", "411302", "规上", "", "9000", "300");   // 30万
  Register("丙机械有限公司", "411302", "规上", "", "9000", "80");    // near miss: not listed
  auto policy = svc_->CreatePolicy(officer_, RdPolicy());
  ASSERT_TRUE(policy.ok()) << policy.status().message();
  auto run = svc_->StartRun(officer_, policy->id, 2024);
  ASSERT_TRUE(run.ok()) << run.status().message();

  auto draft = svc_->Notice(leader_, run->run.id);
  ASSERT_TRUE(draft.ok()) << draft.status().message();
  EXPECT_FALSE(draft->approved);
  EXPECT_EQ(draft->approved_by, "");
  EXPECT_EQ(draft->policy_title, "规上工业企业研发费用补助");
  EXPECT_EQ(draft->doc_number, "宛科〔2025〕12号");
  EXPECT_EQ(draft->office, "南阳市科技局");
  EXPECT_EQ(draft->year, 2024);
  EXPECT_EQ(draft->enterprises, 3);
  EXPECT_EQ(draft->matched, 2);
  EXPECT_EQ(draft->granted.ToString(), "800000");
  ASSERT_EQ(draft->rows.size(), 2u);
  EXPECT_EQ(draft->rows[0].name, "甲机械有限公司");
  EXPECT_EQ(draft->rows[0].unit_name, "卧龙区");
  EXPECT_EQ(draft->rows[0].granted.ToString(), "500000");
  EXPECT_EQ(draft->rows[1].name, "乙机械有限公司");
  EXPECT_EQ(draft->date, "2026年7月15日");  // the run's date while not approved

  auto reviewed = svc_->Review(officer_, run->run.id, run->run.version);
  ASSERT_TRUE(reviewed.ok());
  clock_.Advance(86'400'000);
  auto approved = svc_->Approve(leader_, run->run.id, reviewed->run.version);
  ASSERT_TRUE(approved.ok()) << approved.status().message();
  auto notice = svc_->Notice(officer_, run->run.id);
  ASSERT_TRUE(notice.ok());
  EXPECT_TRUE(notice->approved);
  EXPECT_EQ(notice->reviewed_by, "officer");  // no user record here: the username
  EXPECT_EQ(notice->approved_by, "leader");
  EXPECT_EQ(notice->approved_date, "2026年7月16日");
  EXPECT_EQ(notice->date, "2026年7月16日");
  EXPECT_EQ(notice->rows.size(), 2u);

  // Outside the run's scope, or without benefit.read: as GetRun.
  EXPECT_EQ(svc_->Notice(wancheng_officer_, run->run.id).status().code(), Code::kNotFound);
  EXPECT_EQ(svc_->Notice(leader_, run->run.id + 100).status().code(), Code::kNotFound);
  auth::Actor nobody = Actor("nobody", "reporter", city_, city_.path);
  EXPECT_EQ(svc_->Notice(nobody, run->run.id).status().code(), Code::kPermissionDenied);
}

TEST_P(BenefitServiceTest, ABatchStoresOneRegisterSnapshotPerScopeAndOneBlockPerRun) {
  Register("甲机械有限公司", "411303", "规上", "", "20000", "800");
  Register("乙机械有限公司", "411302", "规上", "", "9000", "300");
  PolicyInput district = RdPolicy();
  district.title = "宛城区研发奖励";
  district.unit_code = "411302";
  ASSERT_TRUE(svc_->CreatePolicy(officer_, RdPolicy()).ok());
  ASSERT_TRUE(svc_->CreatePolicy(officer_, district).ok());
  PolicyInput other = RdPolicy();
  other.title = "研发奖励（二）";
  ASSERT_TRUE(svc_->CreatePolicy(officer_, other).ok());
  auto batch = svc_->StartRuns(officer_, 2024, {});
  ASSERT_TRUE(batch.ok()) << batch.status().message();
  ASSERT_EQ(batch->size(), 3u);
  EXPECT_EQ(Rows(*db_, "benefit_snapshots"), 2);  // the city's register and 宛城区's
  EXPECT_EQ((*batch)[0].snapshot_id, (*batch)[2].snapshot_id);
  EXPECT_NE((*batch)[0].snapshot_id, (*batch)[1].snapshot_id);
  EXPECT_EQ(Rows(*db_, "benefit_results"), 0);
  // A later change of the register does not change what a run shows: it reads its snapshot.
  const std::string before = RunContent(*svc_, officer_, (*batch)[0].id);
  const int64_t yi = IdOf("乙机械");
  auto e = svc_->GetEnterprise(officer_, yi);
  EnterpriseEdit edit;
  edit.unit_code = "411302";
  edit.industry = "C35";
  edit.scale = "规上";
  edit.certifications = {"专精特新"};
  edit.version = e->version;
  ASSERT_TRUE(svc_->EditEnterprise(officer_, yi, edit).ok());
  EXPECT_EQ(RunContent(*svc_, officer_, (*batch)[0].id), before);
  EXPECT_NE(before.find("industry=C34; scale=规上; certifications=无; unit=411302"),
            std::string::npos);
}

TEST_P(BenefitServiceTest, ABatchIsAllOrNothingAndNamesThePolicyThatRefusedIt) {
  Register("甲机械有限公司", "411303", "规上", "", "20000", "800");
  auto rd = svc_->CreatePolicy(officer_, RdPolicy());
  PolicyInput faulty = RdPolicy();
  faulty.title = "研发投入增长奖励";
  auto g = svc_->CreatePolicy(officer_, faulty);
  PolicyInput old = RdPolicy();
  old.title = "已废止的旧政策";
  auto archived = svc_->CreatePolicy(officer_, old);
  ASSERT_TRUE(rd.ok() && g.ok() && archived.ok());
  ASSERT_TRUE(svc_->ArchivePolicy(officer_, archived->id, archived->version).ok());

  // Rules that no longer compile (as saved by an older version that checked less).
  ASSERT_TRUE(db_->Write([&](db::Tx& tx) {
                   long long id = g->id;
                   tx.sql() << "UPDATE benefit_policies SET eligibility = 'revenu >= 1' WHERE id = :id",
                       soci::use(id);
                   return Status::Ok();
                 })
                  .ok());
  auto faulty_run = svc_->StartRuns(officer_, 2024, {rd->id, g->id});
  ASSERT_EQ(faulty_run.status().code(), Code::kInvalidArgument);
  EXPECT_NE(faulty_run.status().message().find("研发投入增长奖励"), std::string::npos)
      << faulty_run.status().message();
  EXPECT_EQ(faulty_run.status().details().at(0).field, "eligibility");
  auto with_archived = svc_->StartRuns(officer_, 2024, {rd->id, archived->id});
  ASSERT_EQ(with_archived.status().code(), Code::kFailedPrecondition);
  EXPECT_NE(with_archived.status().message().find("已废止的旧政策"), std::string::npos);
  EXPECT_EQ(svc_->StartRuns(officer_, 2024, {rd->id, 999999}).status().code(), Code::kNotFound);
  EXPECT_EQ(svc_->StartRuns(officer_, 1800, {}).status().code(), Code::kInvalidArgument);
  EXPECT_EQ(svc_->StartRuns(leader_, 2024, {}).status().code(), Code::kPermissionDenied);
  EXPECT_TRUE(svc_->RunsOf(officer_, rd->id)->empty());  // nothing stored by any of these
  EXPECT_EQ(AuditCount("benefit.run.create"), 0);

  // Every non-archived policy: the archived one is left out, not refused; the faulty one refuses.
  EXPECT_EQ(svc_->StartRuns(officer_, 2024, {}).status().code(), Code::kInvalidArgument);
  auto fine = svc_->StartRuns(officer_, 2024, {rd->id});
  ASSERT_TRUE(fine.ok()) << fine.status().message();
  EXPECT_EQ(fine->size(), 1u);
}

TEST_P(BenefitServiceTest, ABatchRunsOnlyThePoliciesInTheActorsScope) {
  Register("甲机械有限公司", "411303", "规上", "", "20000", "800");
  Register("乙机械有限公司", "411302", "规上", "", "9000", "300");
  auto city = svc_->CreatePolicy(officer_, RdPolicy());
  PolicyInput district = RdPolicy();
  district.unit_code = "411302";
  auto wc = svc_->CreatePolicy(wancheng_officer_, district);
  ASSERT_TRUE(city.ok() && wc.ok());
  auto mine = svc_->StartRuns(wancheng_officer_, 2024, {});
  ASSERT_TRUE(mine.ok()) << mine.status().message();
  ASSERT_EQ(mine->size(), 1u);
  EXPECT_EQ((*mine)[0].policy_id, wc->id);
  EXPECT_EQ((*mine)[0].enterprises, 1);
  EXPECT_EQ(svc_->StartRuns(wancheng_officer_, 2024, {city->id}).status().code(),
            Code::kNotFound);
  EXPECT_TRUE(svc_->RunsOf(officer_, city->id)->empty());
}

TEST_P(BenefitServiceTest, TheLiveCountSeesEveryChangeOfTheRegister) {
  Register("甲机械有限公司", "411303", "规上", "", "20000", "800");
  Register("乙机械有限公司", "411302", "规上", "", "9000", "30");  // near miss
  auto first = svc_->Check(officer_, RdPolicy().rules);
  ASSERT_TRUE(first.ok());
  EXPECT_EQ(first->matched, 1);
  EXPECT_EQ(svc_->Check(officer_, RdPolicy().rules)->matched, 1);  // kept in memory
  // Figures only (the attributes unchanged), through the import.
  Register("乙机械有限公司", "411302", "规上", "", "9000", "300");
  EXPECT_EQ(svc_->Check(officer_, RdPolicy().rules)->matched, 2);
  // Attributes only, through an edit.
  const int64_t id = IdOf("甲机械");
  auto e = svc_->GetEnterprise(officer_, id);
  EnterpriseEdit edit;
  edit.unit_code = "411303";
  edit.industry = "C34";
  edit.scale = "小微";
  edit.version = e->version;
  ASSERT_TRUE(svc_->EditEnterprise(officer_, id, edit).ok());
  auto after = svc_->Check(officer_, RdPolicy().rules);
  EXPECT_EQ(after->matched, 1);
  EXPECT_EQ(after->near_miss, 1);
  // A new enterprise; and another scope sees its own register.
  Register("丙机械有限公司", "411302", "规上", "", "9000", "500");
  EXPECT_EQ(svc_->Check(officer_, RdPolicy().rules)->enterprises, 3);
  EXPECT_EQ(svc_->Check(wancheng_officer_, RdPolicy().rules)->enterprises, 2);
}

INSTANTIATE_TEST_SUITE_P(Databases, BenefitServiceTest,
                         ::testing::ValuesIn(testing::DatabaseKinds()));

}  // namespace
}  // namespace tiaodu::benefits
